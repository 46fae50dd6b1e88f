"""core.rates: the one rounding of each rate rule, halves both ways."""

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from federage.core import rates
from federage.core.money import Money


@pytest.mark.parametrize(
    ("cents", "rate_bp", "expected"),
    [(1250, 100, 12), (1350, 100, 14), (-1250, 100, -12), (-1350, 100, -14), (5, 1000, 0)],
)
def test_share_rounds_half_to_even(cents, rate_bp, expected):
    assert rates.share(Money(cents), rate_bp) == Money(expected)


@given(st.integers(-(10**15), 10**15), st.integers(0, 10_000))
def test_share_is_money_from_decimal_rule(cents, rate_bp):
    with localcontext() as context:
        context.prec = 60
        exact = Money(cents).to_decimal() * Decimal(rate_bp) / Decimal(10_000)
        assert rates.share(Money(cents), rate_bp) == Money.from_decimal(exact)


def test_after_haircut_rounds_down_from_the_exact_value():
    assert rates.after_haircut(Money(25), 1000) == Money(22)  # 22.5 -> 22
    assert rates.after_haircut(Money(35), 1000) == Money(31)  # 31.5 -> 31
    assert rates.after_haircut(Fraction(57, 5), 1000) == Money(10)  # 10.26 -> 10
    assert rates.after_haircut(Money(-5), 1000) == Money(0)
    assert rates.after_haircut(Money(1000), 10_000) == Money(0)


def test_rates_out_of_range_are_refused():
    with pytest.raises(ValueError):
        rates.transfer_tax(Money(100), -1)
    with pytest.raises(ValueError):
        rates.after_haircut(Money(100), -1)
    with pytest.raises(ValueError):
        rates.after_haircut(Money(100), 10_001)
