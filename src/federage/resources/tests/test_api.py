"""Resources over HTTP: a company outside the commons declares a commercial use, pays its levy."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.ledger.models import Due, Entry
from federage.resources.models import Usage
from federage.resources.tests.conftest import NOW, amend
from federage.titles import services as titles_services

pytestmark = pytest.mark.django_db

TODAY = NOW.date()


def test_a_company_declares_a_commercial_use_the_levy_is_due_then_paid(world, api_client):
    amend(world.scene, {"levy.metier.rate_bp": 500})
    company = api_client(world.company_user)
    steward = api_client(world.steward)
    nav_before = titles_services.nav_now(commons_id=world.commons.pk)

    listed = company.get(f"/resources/{world.slug}")
    assert listed.status_code == 200, listed.json()
    [machine] = listed.json()
    assert machine["levy"] == {"rate_bp": 500, "per_unit_cents": 0, "line": "resource"}
    assert machine["value_cents"] == 1_200_000

    response = company.post(
        f"/resources/{world.slug}/{world.machine.pk}/usages",
        {
            "quantity": "8.000",
            "unit": "hour",
            "period_start": "2026-11-10",
            "period_end": "2026-11-12",
            "commercial": True,
            "sale_amount_cents": 240_000,
            "agent_id": world.company.pk,
        },
    )
    assert response.status_code == 201, response.json()
    usage = response.json()
    assert (usage["agent_name"], usage["levy_cents"], usage["quantity"]) == (
        "Textiles du Nord",
        12_000,
        "8.000",
    )
    assert usage["charter_version"] is not None and usage["entry_id"] is not None
    # The levy is income: the value per title rises.
    nav_after = titles_services.nav_now(commons_id=world.commons.pk)
    assert nav_after.net_assets_cents == nav_before.net_assets_cents + 12_000

    # The company sees its due; the steward sees it among all.
    [due] = company.get(f"/resources/{world.slug}/dues").json()
    assert (due["kind"], due["status"], due["outstanding_cents"], due["usage_id"]) == (
        "levy",
        "due",
        12_000,
        usage["id"],
    )
    assert [
        row["id"] for row in steward.get(f"/resources/{world.slug}/dues?status=due").json()
    ] == [due["id"]]
    # Only a steward records a payment; more than what remains is refused, nothing written.
    path = f"/resources/{world.slug}/dues/{due['id']}/payments"
    denied = company.post(path, {"amount_cents": 12_000, "paid_on": TODAY.isoformat()})
    assert denied.status_code == 403
    entries = Entry.objects.count()
    too_much = steward.post(path, {"amount_cents": 12_001, "paid_on": TODAY.isoformat()})
    assert too_much.status_code == 409, too_much.json()
    assert too_much.json()["fields"]["amount_cents"]["code"] == "overpayment"
    assert Entry.objects.count() == entries
    partial = steward.post(path, {"amount_cents": 5_000, "paid_on": TODAY.isoformat()})
    assert partial.status_code == 201, partial.json()
    assert (partial.json()["paid_cents"], partial.json()["status"]) == (5_000, "due")
    paid = steward.post(path, {"amount_cents": 7_000, "paid_on": TODAY.isoformat()})
    assert (paid.json()["status"], len(paid.json()["payments"])) == ("paid", 2)

    stats = steward.get(f"/resources/{world.slug}/stats").json()
    assert stats["levies"] == {
        "due_cents": 12_000,
        "collected_cents": 12_000,
        "outstanding_cents": 0,
        "overdue_cents": 0,
    }
    assert stats["by_month"] == [
        {
            "month": "2026-11",
            "quantity": "8.000",
            "sales_cents": 240_000,
            "levy_cents": 12_000,
            "uses": 1,
        }
    ]
    detail = steward.get(f"/resources/{world.slug}/{world.machine.pk}").json()
    assert detail["users"][0]["agent_name"] == "Textiles du Nord"
    assert detail["contributions"][0]["value_cents"] == 1_200_000

    # Open data: aggregates, no single use, no one's name.
    public = api_client()
    [resource] = public.get(f"/public/commons/{world.slug}/resources").json()
    assert (resource["usage_count"], resource["levies_cents"], resource["distinct_users"]) == (
        1,
        12_000,
        1,
    )
    assert "Textiles" not in str(resource)
    levies = public.get(f"/public/commons/{world.slug}/levies").json()
    assert (levies["due_cents"], levies["collected_cents"], levies["outstanding_cents"]) == (
        12_000,
        12_000,
        0,
    )


def test_refusals_over_http_write_nothing(world, api_client):
    company = api_client(world.company_user)
    path = f"/resources/{world.slug}/{world.machine.pk}/usages"
    body = {"quantity": "2", "period_start": "2026-11-10", "agent_id": world.company.pk}
    before = (Usage.objects.count(), Entry.objects.count(), Due.objects.count())
    for change, code in (
        ({"unit": "kg"}, "wrong_unit"),
        ({"quantity": "-3"}, "quantity_out_of_range"),
        ({"quantity": "99999999999"}, "quantity_out_of_range"),
        ({"commercial": True}, "sale_amount_required"),
    ):
        response = company.post(path, {**body, **change})
        assert response.status_code == 422, response.json()
        assert code in {field["code"] for field in response.json()["fields"].values()}, change
    assert (Usage.objects.count(), Entry.objects.count(), Due.objects.count()) == before
    retire = api_client(world.steward).post(f"/resources/{world.slug}/{world.machine.pk}/retire")
    assert retire.status_code == 200 and retire.json()["status"] == "retired"
    response = company.post(path, body)
    assert response.status_code == 409
    assert response.json()["fields"]["resource_id"]["code"] == "resource_retired"
    assert Usage.objects.count() == before[0]


def test_the_outbox_command_registers_and_declares(world, api_client):
    steward = api_client(world.steward)
    created = steward.command(
        "resource.register",
        {
            "commons_slug": world.slug,
            "key": "surjeteuse",
            "name": "Surjeteuse",
            "kind": "equipment",
            "unit": "hour",
        },
    )
    assert created.status_code == 201, created.json()
    resource = created.json()
    assert (resource["key"], resource["account_code"], resource["levy"]["line"]) == (
        "surjeteuse",
        "2154",
        "default",
    )
    used = api_client(world.contributor).command(
        "usage.declare",
        {
            "commons_slug": world.slug,
            "resource_id": resource["id"],
            "quantity": "1.5",
            "period_start": (TODAY - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert used.status_code == 201, used.json()
    assert (used.json()["levy_cents"], used.json()["due_id"]) == (0, None)
