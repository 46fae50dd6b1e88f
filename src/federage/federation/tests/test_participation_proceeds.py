"""A commons' holding of another's titles that leave (sold, redeemed): its bank moves by the cash
received, 261 by the average cost, the difference to a gain or a loss, each movement once."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.management import call_command

from federage.core import clock
from federage.federation import services
from federage.federation.models import Participation, ParticipationDisposal
from federage.federation.tests.scene import hold, make_pair
from federage.ledger import selectors as ledger_selectors
from federage.testing import post_pair
from federage.titles import selectors as titles_selectors
from federage.titles import services as titles_services

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
BEFORE_2025 = dt.datetime(2024, 3, 15, 10, 0, tzinfo=dt.UTC)
NOTICE = dt.timedelta(days=31)  # the charter's default notice is 30 days


def balances(commons) -> dict[str, int]:
    book = ledger_selectors.book_of(commons_id=commons.pk)
    closing = ledger_selectors.account_balances(book=book, at=clock.today()).closing()
    return {number: cents for number, cents in closing.items() if cents}


def units_of(pair) -> Decimal:
    rows = titles_selectors.portfolio(agent_ids=[pair.a.commons.agent_id])
    return next(row["units"] for row in rows if row["commons_slug"] == pair.b.slug)


def sell(pair, units: Decimal, unit_price_cents: int):
    """A's stewards sell units of B to one of B's members, who accepts (and owes the tax)."""
    from federage.contributions.tests.scene import agent_of

    transfer = titles_services.transfer_propose(
        user=pair.a.steward,
        commons_slug=pair.b.slug,
        seller_agent_id=pair.a.commons.agent_id,
        buyer_agent_id=agent_of(pair.b.contributor),
        units=units,
        unit_price_cents=unit_price_cents,
    )
    return titles_services.transfer_accept(user=pair.b.contributor, transfer_id=transfer.pk)


def redeem(pair, units: Decimal):
    return titles_services.redemption_request(
        user=pair.a.steward,
        commons_slug=pair.b.slug,
        agent_id=pair.a.commons.agent_id,
        units=units,
    )


def verify(slug: str) -> str:
    out = io.StringIO()
    call_command("verify", "--commons", slug, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def moved(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        number: after.get(number, 0) - before.get(number, 0)
        for number in set(before) | set(after)
        if after.get(number, 0) != before.get(number, 0)
    }


def test_sales_above_and_below_cost_and_a_redemption_book_cash_cost_and_result(
    make_user, make_commons
):
    with clock.frozen(NOW):
        pair = make_pair(make_user, make_commons)
        participation = hold(pair, 120_000)
        assert participation.cost_cents == 120_000
        held = units_of(pair)
        quarter = (held / 4).quantize(Decimal("0.0001"))
        unit_cost = Decimal(120_000) / held
        high = int(unit_cost * 2)  # sold at twice the cost: a gain
        low = max(1, int(unit_cost / 2))  # at half: a loss
        gain_sale = sell(pair, quarter, high)
        loss_sale = sell(pair, quarter, low)
        request = redeem(pair, quarter)
    with clock.frozen(NOW + NOTICE):
        assert titles_services.redemption_execute_due(redemption_id=request.pk)
        request.refresh_from_db()
        before = balances(pair.a.commons)
        assert services.participations_sync() == 3
        after = balances(pair.a.commons)
        assert services.participations_sync() == 0  # the sweep runs often: each movement once
        assert balances(pair.a.commons) == after

    rows = {(row.source_type, row.source_id): row for row in ParticipationDisposal.objects.all()}
    assert len(rows) == 3
    cash = gain_sale.price_cents + loss_sale.price_cents + request.value_cents
    cost = sum(row.cost_cents for row in rows.values())
    # The seller receives the whole agreed price: the transfer tax is the buyer's.
    assert rows["sale", gain_sale.pk].proceeds_cents == gain_sale.price_cents
    assert rows["sale", loss_sale.pk].proceeds_cents == loss_sale.price_cents
    assert rows["redemption", request.pk].proceeds_cents == request.value_cents
    # Average cost: three equal quarters of one lot cost a quarter each (to the cent).
    for row in rows.values():
        assert abs(row.cost_cents - 30_000) <= 1
    change = moved(before, after)
    assert change["512"] == cash
    assert change["261"] == -cost
    gain = change.get("7671", 0)
    loss = change.get("6671", 0)
    assert -gain - loss == cash - cost  # the result takes exactly the difference
    assert gain == -(gain_sale.price_cents - rows["sale", gain_sale.pk].cost_cents) + min(
        0, -(request.value_cents - rows["redemption", request.pk].cost_cents)
    )
    assert loss == rows["sale", loss_sale.pk].cost_cents - loss_sale.price_cents + max(
        0, rows["redemption", request.pk].cost_cents - request.value_cents
    )
    assert "775" not in change and "675" not in change
    assert sum(change.values()) == 0
    participation = Participation.objects.get(pk=participation.pk)
    assert participation.cost_cents == 120_000 - cost == after["261"]
    with clock.frozen(NOW + NOTICE):
        assert "verified" in verify(pair.a.slug)


def test_before_2025_the_old_disposal_accounts_are_used(make_user, make_commons):
    with clock.frozen(BEFORE_2025):
        pair = make_pair(make_user, make_commons)
        hold(pair, 120_000)
        held = units_of(pair)
        half = (held / 2).quantize(Decimal("0.0001"))
        unit_cost = Decimal(120_000) / held
        gain_sale = sell(pair, half, int(unit_cost * 3))
        loss_sale = sell(pair, held - half, max(1, int(unit_cost / 4)))
        before = balances(pair.a.commons)
        assert services.participations_sync() == 2
        closing = balances(pair.a.commons)
    change = moved(before, closing)
    assert change["512"] == gain_sale.price_cents + loss_sale.price_cents
    assert change["261"] == -120_000  # every unit gone: the whole cost leaves
    assert change["775"] == -(gain_sale.price_cents - 60_000)
    assert change["675"] == 60_000 - loss_sale.price_cents
    assert not {"7671", "6671", "757", "657"} & set(change)
    assert Participation.objects.get().cost_cents == 0
    assert "261" not in closing


def test_the_provision_on_the_units_that_leave_is_reversed_in_proportion(make_user, make_commons):
    with clock.frozen(NOW):
        pair = make_pair(make_user, make_commons)
        participation = hold(pair, 120_000)
        # The host loses half its value: the holding is provided for 60 000 in 2961.
        post_pair(pair.b.commons, "perte", clock.today(), "606", "208", 60_000)
        services.participation_revalue(participation_id=participation.pk)
        participation.refresh_from_db()
        assert participation.impairment_cents == 60_000
        held = units_of(pair)
        quarter = (held / 4).quantize(Decimal("0.0001"))
        sale = sell(pair, quarter, int(Decimal(60_000) / held))  # at the host's NAV
        before = balances(pair.a.commons)
        assert services.participations_sync() == 1
        change = moved(before, balances(pair.a.commons))
    row = ParticipationDisposal.objects.get()
    assert row.impairment_released_cents == 15_000 and row.cost_cents == 30_000
    assert change["2961"] == 15_000 and change["7866"] == -15_000
    assert change["512"] == sale.price_cents and change["261"] == -30_000
    assert change["6671"] == 30_000 - sale.price_cents
    participation.refresh_from_db()
    assert (participation.cost_cents, participation.impairment_cents) == (90_000, 45_000)


def test_units_bought_after_a_sale_add_at_their_price(make_user, make_commons):
    with clock.frozen(NOW):
        pair = make_pair(make_user, make_commons)
        hold(pair, 120_000)
        held = units_of(pair)
        half = (held / 2).quantize(Decimal("0.0001"))
        sell(pair, half, int(Decimal(120_000) / held))  # at cost: no result
        services.participations_sync()
        closing = balances(pair.a.commons)
    assert closing["261"] == 60_000
    assert "7671" not in closing and "6671" not in closing
    assert Participation.objects.get().cost_cents == 60_000


def test_average_cost_never_strays_from_what_was_paid():
    from federage.federation import domain

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        {"kind": "issuance", "id": 1, "at": at, "units": Decimal(3), "cents": 100},
        {"kind": "sale", "id": 1, "at": at, "units": Decimal(1), "cents": 50},
        {"kind": "purchase", "id": 2, "at": at, "units": Decimal(1), "cents": 10},
        {"kind": "sale", "id": 3, "at": at, "units": Decimal(1), "cents": 40},
        {"kind": "redemption", "id": 1, "at": at, "units": Decimal(2), "cents": 20},
    ]
    acquired, disposals = domain.holding_replay(rows)
    assert acquired == 110
    # 100/3 → 33; then (67 + 10) for 3 units → 26; the last two units take the 51 left.
    assert [d.cost_cents for d in disposals] == [33, 26, 51]
    assert sum(d.cost_cents for d in disposals) == acquired
    lines = domain.disposal_lines(
        disposal=disposals[0],
        carried_cost=100,
        impairment=0,
        revaluation=0,
        year_start=dt.date(2025, 1, 1),
    )[2]
    assert lines == [("512", 50, 0), ("261", 0, 33), ("7671", 0, 17)]
