"""Funding over HTTP: offer, the commons' vote, disbursement, dashboard (JSON, CSV), public list."""

from __future__ import annotations

import pytest

from federage.funding.models import Financing
from federage.funding.tests.test_services import vote

pytestmark = pytest.mark.django_db


def test_offer_vote_disburse_and_follow(world, api_client):
    funder = api_client(world.funder_user)
    body = {
        "commons_slug": world.slug,
        "kind": "grant_operating",
        "title": "Subvention",
        "amount_cents": 250_000,
        "agent_id": world.funder.pk,
        "objective_ids": [world.objective.pk],
        "tranches": [{"amount_cents": 250_000}],
    }
    response = funder.post("/funding/offers", body)
    assert response.status_code == 201, response.json()
    financing_id = response.json()["id"]
    assert response.json()["status"] == "offered"
    # Nobody accepts it by hand: the generic proposal route refuses the kind.
    steward = api_client(world.steward)
    response = steward.post(f"/funding/financings/{financing_id}/vote")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "voting"
    vote(world, Financing.objects.get(pk=financing_id))
    response = funder.post(f"/funding/financings/{financing_id}/tranches/1/disburse", {})
    assert response.status_code == 201, response.json()
    assert response.json()["disbursed_cents"] == 250_000
    again = funder.post(f"/funding/financings/{financing_id}/tranches/1/disburse", {})
    assert again.status_code == 409
    assert again.json()["code"] == "disbursement_exceeds_financing"
    board = funder.get(f"/funding/financings/{financing_id}/dashboard")
    assert board.status_code == 200 and board.json()["earmark_left_cents"] == 250_000
    csv = funder.get(f"/funding/financings/{financing_id}/dashboard", format="csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "2500,00" in csv.content.decode()
    mine = funder.get("/funding/mine")
    assert [row["id"] for row in mine.json()] == [financing_id]
    public = api_client().get(f"/public/commons/{world.slug}/financings")
    assert public.status_code == 200 and public.json()[0]["amount_cents"] == 250_000
    # An outsider reads nothing of it.
    outsider = api_client(world.other_steward)
    assert outsider.get(f"/funding/financings/{financing_id}").status_code == 404


def test_bad_offer_answers_with_its_code(world, api_client):
    funder = api_client(world.funder_user)
    response = funder.post(
        "/funding/offers",
        {
            "commons_slug": world.slug,
            "kind": "grant_operating",
            "title": "x",
            "amount_cents": 100,
            "agent_id": world.funder.pk,
            "tranches": [{"amount_cents": 60}, {"amount_cents": 60}],
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "tranches_not_summing"
    assert Financing.objects.count() == 0
