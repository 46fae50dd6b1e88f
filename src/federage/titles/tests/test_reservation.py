"""Redemption requests reserve their units until executed or withdrawn (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.ledger.models import Entry
from federage.titles import selectors, services
from federage.titles.models import Holding, Redemption, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_commons):
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)  # contributor: 100 units at 10 €
    return scene


def holding(scene) -> Holding:
    return Holding.objects.get(agent_id=agent_of(scene.contributor))


def request(scene, units: str) -> Redemption:
    return services.redemption_request(
        user=scene.contributor, commons_slug=scene.slug, units=Decimal(units)
    )


def offer(scene, units: str) -> Transfer:
    return services.transfer_propose(
        user=scene.contributor,
        commons_slug=scene.slug,
        buyer_agent_id=agent_of(scene.other),
        units=Decimal(units),
        unit_price_cents=1000,
    )


def snapshot() -> tuple:
    return (
        list(Holding.objects.order_by("id").values_list("units", "reserved_units")),
        Transfer.objects.count(),
        Redemption.objects.count(),
        Entry.objects.count(),
        Event.objects.count(),
    )


def refused(code: str, call, *args, **kwargs) -> None:
    before = snapshot()
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert snapshot() == before  # nothing written


def test_a_request_reserves_its_units_and_they_cannot_be_offered_or_redeemed_again(scene):
    request(scene, "60")
    assert (holding(scene).units, holding(scene).reserved_units) == (100, 60)
    # 40 are free: offering 41 is refused as reserved (held, but under notice), 101 as missing.
    refused("titles_reserved", offer, scene, "41")
    refused("insufficient_titles", offer, scene, "101")
    refused("titles_reserved", request, scene, "41")
    assert offer(scene, "40").state == "proposed"
    # The reservation still votes: the units are held until executed.
    assert selectors.weights_for(scene.commons.pk, [agent_of(scene.contributor)]) == {
        agent_of(scene.contributor): 1_000_000
    }
    assert selectors.titles_verify(commons_id=scene.commons.pk) == []


def test_a_transfer_offered_before_the_request_cannot_take_reserved_units(scene):
    transfer = offer(scene, "50")
    request(scene, "60")
    refused("titles_reserved", services.transfer_accept, user=scene.other, transfer_id=transfer.pk)
    assert Transfer.objects.get(pk=transfer.pk).state == "proposed"


def test_execution_releases_the_reservation_and_removes_the_units(scene):
    redemption = request(scene, "60")
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        executed = services.redemption_execute(user=scene.steward, redemption_id=redemption.pk)
    assert executed.state == "executed"
    assert (holding(scene).units, holding(scene).reserved_units) == (40, 0)
    totals = selectors.totals(commons_id=scene.commons.pk)
    assert totals["held"] == totals["outstanding"] == Decimal("40")
    assert selectors.titles_verify(commons_id=scene.commons.pk) == []
    # The 40 left are free.
    assert offer(scene, "40").state == "proposed"


def test_withdrawal_releases_the_units(scene, api_client):
    redemption = request(scene, "100")
    refused("titles_reserved", offer, scene, "1")
    # Only the member or a steward may withdraw it.
    refused(
        "permission_denied",
        services.redemption_withdraw,
        user=scene.other,
        redemption_id=redemption.pk,
    )
    answer = api_client(scene.contributor).post(f"/titles/redemptions/{redemption.pk}/withdraw")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "cancelled"
    assert answer.json()["withdrawn_at"] is not None
    assert (holding(scene).units, holding(scene).reserved_units) == (100, 0)
    assert Event.objects.filter(type="redemption.withdrawn").count() == 1
    refused(
        "invalid_transition",
        services.redemption_withdraw,
        user=scene.contributor,
        redemption_id=redemption.pk,
    )
    # The queued job finds it cancelled and leaves it; the units are free again.
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        assert services.redemption_execute_due(redemption_id=redemption.pk) is False
    assert offer(scene, "100").state == "proposed"
    assert selectors.titles_verify(commons_id=scene.commons.pk) == []


def test_an_executed_redemption_cannot_be_withdrawn(scene):
    redemption = request(scene, "10")
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        services.redemption_execute(user=scene.contributor, redemption_id=redemption.pk)
    refused(
        "invalid_transition",
        services.redemption_withdraw,
        user=scene.contributor,
        redemption_id=redemption.pk,
    )


def test_a_transfer_of_reserved_units_is_refused_through_the_api(scene, api_client):
    client = api_client(scene.contributor)
    assert client.post(f"/titles/{scene.slug}/redemptions", {"units": "90"}).status_code == 201
    body = {"buyer_agent_id": agent_of(scene.other), "units": "20", "unit_price_cents": 1000}
    before = snapshot()
    answer = client.post(f"/titles/{scene.slug}/transfers", body, language="en")
    assert (answer.status_code, answer.json()["code"]) == (409, "titles_reserved")
    assert "withdraw it first" in answer.json()["message"]
    assert snapshot() == before
    [row] = client.get("/titles/portfolio").json()
    assert (row["units"], row["reserved_units"]) == ("100.0000", "90.0000")


def test_the_database_refuses_a_reservation_beyond_the_units(scene):
    """The CHECKs stand behind the code: an UPDATE that skips the condition is refused."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.filter(pk=holding(scene).pk).update(reserved_units=F("units") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.filter(pk=holding(scene).pk).update(reserved_units=-1)


def test_verify_sees_a_reservation_that_matches_no_request(scene):
    Holding.objects.filter(pk=holding(scene).pk).update(reserved_units=5)
    problems = selectors.titles_verify(commons_id=scene.commons.pk)
    assert any("reserved" in problem for problem in problems), problems
