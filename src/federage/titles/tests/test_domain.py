"""Title arithmetic: rounding rules, and the invariants over any sequence of movements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from federage.core.errors import ApplicationError
from federage.core.money import Money
from federage.titles import domain

INITIAL = Money(1000)  # 10 € a unit before any issuance


def nav(net: int, units: str) -> domain.Nav:
    return domain.nav_of(net_assets=Money(net), outstanding=Decimal(units), initial_value=INITIAL)


def test_before_any_issuance_the_charter_initial_value_applies():
    assert domain.issuance_quantity(Money(50_000), nav(0, "0")) == Decimal("50.0000")
    # Even if the book already holds value: the initial value stands until units exist.
    assert domain.issuance_quantity(Money(50_000), nav(12_345, "0")) == Decimal("50.0000")
    assert nav(0, "0").cents_per_unit() == Decimal("1000.000000")


def test_issuance_rounds_down_and_the_remainder_stays_with_the_commons():
    # NAV = 1000 € / 3 units = 333.33… €; 100 € buys 0.3 units exactly, 0.30000 → 0.3000.
    assert domain.issuance_quantity(Money(10_000), nav(100_000, "3")) == Decimal("0.3000")
    # 1 € at 333.33… €: 0.003 units exactly → 0.0030.
    assert domain.issuance_quantity(Money(100), nav(100_000, "3")) == Decimal("0.0030")
    # 10 € at NAV 30 € (90 € / 3 units): 0.33333… → 0.3333, never 0.3334.
    quantity = domain.issuance_quantity(Money(1000), nav(9000, "3"))
    assert quantity == Decimal("0.3333")
    # The commons keeps the fraction: existing holders' unit value does not fall.
    assert Decimal(9000 + 1000) / (3 + quantity) >= Decimal(9000) / 3


def test_issuance_refusals():
    with pytest.raises(ApplicationError) as caught:
        domain.issuance_quantity(Money(0), nav(1000, "1"))
    assert caught.value.code == "amount_not_positive"
    with pytest.raises(ApplicationError) as caught:
        domain.issuance_quantity(Money(100), nav(-1, "1"))
    assert caught.value.code == "nav_not_positive"


def test_quantities_finer_than_the_scale_are_refused():
    assert domain.UNIT_SCALE == 4
    assert domain.quantize_units(Decimal("1.5")) == Decimal("1.5000")
    with pytest.raises(ApplicationError):
        domain.quantize_units(Decimal("0.00001"))


def test_transfer_tax_is_half_even_to_the_cent():
    # 1 % of 12.50 € = 12.5 cents → 12 (half to even); of 13.50 € = 13.5 → 14.
    assert domain.transfer_tax(Money(1250), 100) == Money(12)
    assert domain.transfer_tax(Money(1350), 100) == Money(14)
    assert domain.transfer_tax(Money(1250), 0) == Money(0)
    # Agreed price = units × unit price, half to even: 0.3333 × 10.05 € = 3.349665 € → 3.35 €.
    assert domain.agreed_price(Decimal("0.3333"), Money(1005)) == Money(335)


def test_holding_value_and_capital_share():
    current = nav(100_000, "3")
    assert domain.holding_value(Decimal("1"), current) == Money(33_333)
    assert domain.holding_value(Decimal("2"), current) == Money(66_667)
    assert domain.capital_share(Decimal("1"), Decimal("3")) == Decimal("33.3333")
    assert domain.capital_share(Decimal("1"), Decimal("0")) == Decimal("0.0000")


def test_redemption_rounds_down_after_the_haircut():
    # 1 unit of 142.857… € with a 10 % haircut = 128.571… € → 128.57 €.
    assert domain.redemption_value(Decimal("1"), nav(100_000, "7"), 1000) == Money(12_857)
    # Without haircut 142.857… € → 142.85 €, where half to even would give 142.86 €.
    assert domain.redemption_value(Decimal("1"), nav(100_000, "7"), 0) == Money(14_285)


# --- Property: any sequence of movements ----------------------------------------------------

AGENTS = 4
operation = st.one_of(
    st.tuples(st.just("contribute"), st.integers(0, AGENTS - 1), st.integers(1, 5_000_000)),
    st.tuples(
        st.just("transfer"),
        st.integers(0, AGENTS - 1),
        st.integers(0, AGENTS - 1),
        st.integers(1, 10_000),  # share of the seller's holding, in basis points
        st.integers(1, 100_000),  # agreed unit price, cents
        st.integers(0, 5000),  # tax rate, basis points
    ),
    st.tuples(
        st.just("redeem"),
        st.integers(0, AGENTS - 1),
        st.integers(1, 10_000),
        st.integers(0, 10_000),  # haircut, basis points
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=40))
def test_invariants_hold_over_any_sequence(operations):
    net = 0  # cents
    holdings = [0] * AGENTS  # ticks
    issued = redeemed = 0
    for op in operations:
        before = domain.Nav(net, sum(holdings), INITIAL.cents)
        if op[0] == "contribute":
            _, agent, price = op
            ticks = domain.to_ticks(domain.issuance_quantity(Money(price), before))
            if before.outstanding_ticks:
                # No dilution: (net + price) / (units + q) >= net / units, cross-multiplied.
                assert (net + price) * before.outstanding_ticks >= net * (
                    before.outstanding_ticks + ticks
                )
            net += price
            holdings[agent] += ticks
            issued += ticks
        elif op[0] == "transfer":
            _, seller, buyer, share_bp, unit_price, rate = op
            ticks = holdings[seller] * share_bp // 10_000
            if seller == buyer or ticks == 0:
                continue
            units = domain.from_ticks(ticks)
            tax = domain.transfer_tax(domain.agreed_price(units, Money(unit_price)), rate)
            holdings[seller] -= ticks
            holdings[buyer] += ticks
            net += tax.cents  # the tax is income of the commons
        else:
            _, agent, share_bp, haircut = op
            ticks = holdings[agent] * share_bp // 10_000
            if ticks == 0:
                continue
            value = domain.redemption_value(domain.from_ticks(ticks), before, haircut)
            assert value.cents >= 0
            holdings[agent] -= ticks
            redeemed += ticks
            if sum(holdings):
                # The members who stay lose nothing: NAV does not fall.
                assert (net - value.cents) * before.outstanding_ticks >= net * sum(holdings)
            net -= value.cents
        assert min(holdings) >= 0
        assert issued - redeemed == sum(holdings)
        after = domain.Nav(net, sum(holdings), INITIAL.cents)
        if sum(holdings):
            values = [
                domain.holding_value(domain.from_ticks(ticks), after).cents
                for ticks in holdings
                if ticks
            ]
            # NAV × units = net assets, within half a cent per holding (documented rounding).
            assert abs(sum(values) - net) * 2 <= len(values)


@pytest.mark.parametrize(
    ("units", "text"),
    [("20.0000", "20"), ("12.5000", "12,5"), ("0.0001", "0,0001"), ("1000", "1000")],
)
def test_units_are_written_without_trailing_zeros_and_with_a_decimal_comma(units, text):
    assert domain.units_text(Decimal(units)) == text
