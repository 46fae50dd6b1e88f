"""Titles through the HTTP API: transfers, redemptions, cap table and histories."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_commons):
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)
    return scene


def test_transfer_through_the_api_and_the_price_history(scene, api_client):
    seller, buyer = api_client(scene.contributor), api_client(scene.other)
    body = {"buyer_agent_id": agent_of(scene.other), "units": "12.5", "unit_price_cents": 1200}
    proposed = seller.post(f"/titles/{scene.slug}/transfers", body)
    assert proposed.status_code == 201, proposed.json()
    assert (proposed.json()["price_cents"], proposed.json()["tax_cents"]) == (15_000, 150)
    transfer_id = proposed.json()["id"]
    assert [item["id"] for item in buyer.get(f"/titles/{scene.slug}/transfers").json()] == [
        transfer_id
    ]
    refused = seller.post(f"/titles/transfers/{transfer_id}/accept")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    accepted = buyer.post(f"/titles/transfers/{transfer_id}/accept")
    assert accepted.json()["state"] == "accepted", accepted.json()
    [point] = buyer.get(f"/titles/{scene.slug}/price-history").json()
    assert (point["unit_price_cents"], point["units"]) == (1200, "12.5000")
    assert buyer.get(f"/titles/{scene.slug}/nav-history").json()[-1]["cause"] == "transfer"


def test_overdrawing_transfer_is_refused_in_both_languages(scene, api_client):
    body = {"buyer_agent_id": agent_of(scene.other), "units": "100.0001", "unit_price_cents": 10}
    client = api_client(scene.contributor)
    french = client.post(f"/titles/{scene.slug}/transfers", body)
    english = client.post(f"/titles/{scene.slug}/transfers", body, language="en")
    assert (french.status_code, french.json()["code"]) == (409, "insufficient_titles")
    assert french.json()["message"] == "Vous ne détenez pas assez de titres."
    assert english.json()["message"] == "You do not hold enough titles."


def test_redemption_through_the_api(scene, api_client):
    client = api_client(scene.contributor)
    requested = client.post(f"/titles/{scene.slug}/redemptions", {"units": "10"})
    assert requested.status_code == 201, requested.json()
    assert requested.json()["state"] == "requested"
    early = client.post(f"/titles/redemptions/{requested.json()['id']}/execute")
    assert (early.status_code, early.json()["code"]) == (409, "notice_not_elapsed")
    assert len(client.get(f"/titles/{scene.slug}/redemptions").json()) == 1


def test_cap_table_hides_persons_from_outsiders(scene, api_client, make_user):
    member = api_client(scene.approver1).get(f"/titles/{scene.slug}/cap-table").json()
    assert member["holders"][0]["agent_name"] == "Camille Contributor"
    assert member["holders"][0]["percent"] == "100.0000"
    outsider = api_client(make_user()).get(f"/titles/{scene.slug}/cap-table").json()
    assert outsider["holders"][0]["agent_name"] == ""
    assert outsider["holders"][0]["units"] == "100.0000"


def test_transfer_terms_show_value_tax_and_payer_before_sending(scene, api_client, make_user):
    with clock.frozen(dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)):
        seller = api_client(scene.contributor)
        terms = seller.get(
            f"/titles/{scene.slug}/transfer-terms?units=12.5&unit_price_cents=1200"
        ).json()
        # 100 titles for 1 000,00 €: 10,00 € a title; 1 % tax (the charter's default), by the
        # very rule the transfer applies (the same 15 000 / 150 as proposing it).
        assert terms["unit_value_cents"] == "1000.000000"
        assert terms["holdings"] == [
            {"agent_id": agent_of(scene.contributor), "units": "100.0000", "value_cents": 100_000}
        ]
        assert (terms["units"], terms["value_cents"]) == ("12.5000", 12_500)
        assert (terms["price_cents"], terms["tax_cents"], terms["tax_rate_bp"]) == (
            15_000,
            150,
            100,
        )
        assert terms["tax_payer"] == "buyer"
        proposed = seller.post(
            f"/titles/{scene.slug}/transfers",
            {"buyer_agent_id": agent_of(scene.other), "units": "12.5", "unit_price_cents": 1200},
        ).json()
        assert (proposed["price_cents"], proposed["tax_cents"]) == (15_000, 150)
        bare = seller.get(f"/titles/{scene.slug}/transfer-terms").json()
        assert (bare["units"], bare["price_cents"], bare["tax_cents"]) == (None, None, None)
        outsider = api_client(make_user()).get(f"/titles/{scene.slug}/transfer-terms")
        assert outsider.status_code in (403, 404)
