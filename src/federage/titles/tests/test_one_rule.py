"""One transfer-tax rule and one exit rule: the charter's reading (governance) and the books'
(titles) are the same function, rounded the same way, halves included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from federage.core.money import Money
from federage.governance import domain as governance_domain
from federage.titles import domain


def charter(**values) -> dict:
    return {"transfer_tax_bp": 0, "exit.haircut_bp": 0, **values}


@pytest.mark.parametrize(
    ("price", "rate_bp", "tax"),
    [
        (1250, 100, 12),  # 12.5 cents -> 12 (half to even: down)
        (1350, 100, 14),  # 13.5 cents -> 14 (half to even: up)
        (50, 100, 0),  # 0.5 cent -> 0
        (150, 100, 2),  # 1.5 cents -> 2
        (1251, 100, 13),  # 12.51 cents -> 13
        (1249, 100, 12),  # 12.49 cents -> 12
        (10_000, 150, 150),
        (1250, 0, 0),
    ],
)
def test_transfer_tax_rounds_half_to_even_in_both_apps(price, rate_bp, tax):
    assert domain.transfer_tax(Money(price), rate_bp) == Money(tax)
    assert governance_domain.transfer_tax(charter(transfer_tax_bp=rate_bp), Money(price)) == Money(
        tax
    )


@pytest.mark.parametrize(
    ("value", "haircut_bp", "paid"),
    [
        (25, 1000, 22),  # 22.5 cents -> 22 (down; not 25 - 2.5 rounded to even = 23)
        (35, 1000, 31),  # 31.5 cents -> 31 (down; half to even of 31.5 would be 32)
        (15, 1000, 13),  # 13.5 cents -> 13
        (1000, 1000, 900),
        (1009, 1000, 908),  # 908.1 -> 908
        (1019, 1000, 917),  # 917.1 -> 917
        (1000, 0, 1000),
        (1000, 10_000, 0),
    ],
)
def test_exit_haircut_rounds_down_in_both_apps(value, haircut_bp, paid):
    assert governance_domain.exit_haircut(
        charter(**{"exit.haircut_bp": haircut_bp}), Money(value)
    ) == (Money(paid))
    # The same rule on a holding worth exactly `value` cents: 1 unit at NAV = value.
    nav = domain.nav_of(
        net_assets=Money(value), outstanding=Decimal("1"), initial_value=Money(1000)
    )
    assert domain.redemption_value(Decimal("1"), nav, haircut_bp) == Money(paid)


def test_redemption_rounds_the_exact_value_not_a_rounded_one():
    # 1 unit of 57 / 5 = 11.4 cents less 10 %: 10.26 -> 10 from the exact value (the value first
    # rounded to 11 cents would give 9.9 -> 9).
    nav = domain.nav_of(net_assets=Money(57), outstanding=Decimal("5"), initial_value=Money(1000))
    assert domain.redemption_value(Decimal("1"), nav, 1000) == Money(10)


def test_rates_out_of_range_are_refused():
    with pytest.raises(ValueError):
        domain.transfer_tax(Money(100), -1)
    with pytest.raises(ValueError):
        domain.redemption_value(
            Decimal("1"),
            domain.nav_of(
                net_assets=Money(100), outstanding=Decimal("1"), initial_value=Money(1000)
            ),
            10_001,
        )
