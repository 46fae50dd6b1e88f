"""Titles through the services: transfers with their tax, redemptions, cap table, portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.ledger.models import Entry
from federage.titles import selectors, services
from federage.titles.models import Holding, NavPoint, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_commons):
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)  # contributor: 100 units at 10 €
    return scene


def refused(code: str, call, **kwargs) -> None:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value


def offer(scene, units="30", unit_price_cents=1250, buyer=None, seller=None):
    return services.transfer_propose(
        user=seller or scene.contributor,
        commons_slug=scene.slug,
        buyer_agent_id=agent_of(buyer or scene.other),
        units=Decimal(units),
        unit_price_cents=unit_price_cents,
    )


def test_transfer_moves_units_and_books_the_charter_tax(scene):
    transfer = offer(scene)
    # Default charter: 1 % of 30 × 12.50 € = 3.75 €.
    assert (transfer.price_cents, transfer.tax_cents) == (37_500, 375)
    refused(
        "permission_denied",
        services.transfer_accept,
        user=scene.contributor,
        transfer_id=transfer.pk,
    )
    accepted = services.transfer_accept(user=scene.other, transfer_id=transfer.pk)
    assert accepted.state == "accepted"
    entry = Entry.objects.get(pk=accepted.entry_id)
    lines = sorted(
        (line.account.number, line.debit_cents, line.credit_cents) for line in entry.lines.all()
    )
    assert lines == [("411", 375, 0), ("708", 0, 375)]
    units = dict(Holding.objects.values_list("agent_id", "units"))
    assert units == {
        agent_of(scene.contributor): Decimal("70"),
        agent_of(scene.other): Decimal("30"),
    }
    # The tax is income: NAV rises from 10 € to 10.0375 €.
    assert NavPoint.objects.order_by("-id").first().unit_value_cents == Decimal("1003.75")
    [point] = selectors.price_history(commons_id=scene.commons.pk)
    assert (point.unit_price_cents, point.unit_value_cents) == (1250, Decimal("1000"))
    refused(
        "invalid_transition", services.transfer_accept, user=scene.other, transfer_id=transfer.pk
    )


def test_transfer_refusals_write_nothing(scene, make_user):
    refused("insufficient_titles", offer, scene=scene, units="100.0001")
    refused("units_not_positive", offer, scene=scene, units="0")
    refused("amount_not_positive", offer, scene=scene, unit_price_cents=0)
    refused("transfer_to_self", offer, scene=scene, buyer=scene.contributor)
    # The charter keeps titles among members by default.
    refused("transfer_to_non_member", offer, scene=scene, buyer=make_user())
    refused("insufficient_titles", offer, scene=scene, seller=scene.other, buyer=scene.contributor)
    assert not Transfer.objects.exists()


def test_accepting_more_than_is_still_held_is_refused(scene):
    first = offer(scene, units="80")
    second = offer(scene, units="80", buyer=scene.approver1)
    services.transfer_accept(user=scene.other, transfer_id=first.pk)
    refused(
        "insufficient_titles", services.transfer_accept, user=scene.approver1, transfer_id=second.pk
    )
    assert Transfer.objects.get(pk=second.pk).state == "proposed"
    assert Holding.objects.get(agent_id=agent_of(scene.contributor)).units == Decimal("20")


def test_refuse_and_cancel(scene):
    transfer = offer(scene)
    refused(
        "permission_denied", services.transfer_cancel, user=scene.other, transfer_id=transfer.pk
    )
    assert services.transfer_refuse(user=scene.other, transfer_id=transfer.pk).state == "refused"
    other = offer(scene)
    assert (
        services.transfer_cancel(user=scene.contributor, transfer_id=other.pk).state == "cancelled"
    )


def test_redemption_waits_for_the_notice_then_books_the_debt(scene):
    redemption = services.redemption_request(
        user=scene.contributor, commons_slug=scene.slug, units=Decimal("40")
    )
    assert redemption.state == "requested"
    refused(
        "notice_not_elapsed",
        services.redemption_execute,
        user=scene.steward,
        redemption_id=redemption.pk,
    )
    with clock.frozen(clock.now() + dt.timedelta(days=31)):
        executed = services.redemption_execute(user=scene.steward, redemption_id=redemption.pk)
    assert (executed.state, executed.value_cents) == ("executed", 40_000)
    entry = Entry.objects.get(pk=executed.entry_id)
    lines = sorted(
        (line.account.number, line.debit_cents, line.credit_cents) for line in entry.lines.all()
    )
    assert lines == [("1013", 40_000, 0), ("4567", 0, 40_000)]
    totals = selectors.totals(commons_id=scene.commons.pk)
    assert totals["issued"] - totals["redeemed"] == totals["held"] == totals["outstanding"]
    assert totals["held"] == Decimal("60")
    refused(
        "insufficient_titles",
        services.redemption_request,
        user=scene.contributor,
        commons_slug=scene.slug,
        units=Decimal("61"),
    )


def test_cap_table_now_and_as_of_a_date_and_the_portfolio(scene):
    before_transfer = clock.now()
    later = before_transfer + dt.timedelta(hours=1)
    with clock.frozen(later):
        services.transfer_accept(user=scene.other, transfer_id=offer(scene, units="25").pk)
        # Read at the transfer's time, not the real one: an hour before midnight in Paris, the
        # tax entry is dated tomorrow, and a value read today would not count it yet.
        now_table = selectors.cap_table(commons_id=scene.commons.pk)
        [holding] = selectors.portfolio(agent_ids=[agent_of(scene.other)])
    assert [(row["units"], row["percent"]) for row in now_table["holders"]] == [
        (Decimal("75"), Decimal("75.0000")),
        (Decimal("25"), Decimal("25.0000")),
    ]
    past = selectors.cap_table(commons_id=scene.commons.pk, at=before_transfer)
    assert [row["units"] for row in past["holders"]] == [Decimal("100")]
    assert holding["units"] == Decimal("25")
    assert holding["invested_cents"] == 31_250
    # 25 units at NAV (100 000 + 313 tax) / 100 → 25 078.25 → 25 078 cents.
    assert holding["value_cents"] == 25_078


def test_titles_weigh_votes(scene):
    weights = selectors.weights_for(
        scene.commons.pk, [agent_of(scene.contributor), agent_of(scene.other)]
    )
    assert weights == {agent_of(scene.contributor): 1_000_000}
