"""The levy's arithmetic and the depreciation plan, property-tested: exact cents, rounding known."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS, Money
from federage.governance import domain as governance_domain
from federage.resources import domain

rates = st.integers(min_value=0, max_value=10_000)
per_units = st.integers(min_value=0, max_value=100_000_000)
sales = st.integers(min_value=0, max_value=10**11)
quantities = st.integers(min_value=1, max_value=10**9 * 1000).map(lambda m: Decimal(m).scaleb(-3))


def half_even_cents(exact: Fraction) -> int:
    """The reference: an exact amount of cents rounded half to even, through Decimal."""
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@given(rate=rates, per_unit=per_units, sale=sales, quantity=quantities)
def test_the_levy_is_each_part_rounded_half_to_even_then_added(rate, per_unit, sale, quantity):
    assume(per_unit * quantity <= MAX_CENTS // 2)  # beyond, refused: see the bounds test
    terms = domain.LevyTerms(rate, per_unit, "resource")
    levy = domain.levy_amount(terms, Money(sale), quantity)
    rate_part = half_even_cents(Fraction(sale * rate, 10_000))
    unit_part = half_even_cents(Fraction(per_unit) * Fraction(quantity))
    assert levy.cents == rate_part + unit_part
    # Each part is within half a cent of the exact amount.
    exact = Fraction(sale * rate, 10_000) + Fraction(per_unit) * Fraction(quantity)
    assert abs(levy.cents - exact) <= 1


@given(rate=rates, per_unit=st.integers(0, 1_000_000), sale=sales, quantity=quantities)
def test_the_levy_is_the_charter_rule_of_governance(rate, per_unit, sale, quantity):
    assume(per_unit * quantity <= MAX_CENTS // 2)
    parameters = {"levy.default.rate_bp": 0, "levy.default.per_unit_cents": 0}
    parameters |= {"levy.loom.rate_bp": rate, "levy.loom.per_unit_cents": per_unit}
    terms = domain.levy_terms(parameters, "loom")
    assert terms.line == "resource"
    ours = domain.levy_amount(terms, Money(sale), quantity)
    assert ours == governance_domain.usage_levy(parameters, "loom", Money(sale), quantity)


@given(
    rate=rates,
    per_unit=st.integers(0, 10_000),
    uses=st.lists(st.tuples(st.integers(0, 10**9), quantities), min_size=1, max_size=60),
)
def test_levies_of_many_uses_add_up_exactly(rate, per_unit, uses):
    """Each use is rounded once when declared; the sum of many is an exact integer sum, and
    stays within half a cent per use of the exact total."""
    terms = domain.LevyTerms(rate, per_unit, "default")
    levies = [domain.levy_amount(terms, Money(sale), quantity).cents for sale, quantity in uses]
    exact = sum(
        Fraction(sale * rate, 10_000) + Fraction(per_unit) * Fraction(quantity)
        for sale, quantity in uses
    )
    assert isinstance(sum(levies), int)
    assert abs(sum(levies) - exact) <= Fraction(len(uses))  # at most half a cent per part


def test_rounding_examples_written_in_the_docstring():
    terms = domain.LevyTerms(250, 0, "resource")
    assert domain.levy_amount(terms, Money(10_010), Decimal("1")).cents == 250
    per_ha = domain.LevyTerms(0, 10, "resource")
    assert domain.levy_amount(per_ha, Money(0), Decimal("0.125")).cents == 1  # 1.25 -> 1
    assert domain.levy_amount(per_ha, Money(0), Decimal("0.375")).cents == 4  # 3.75 -> 4
    assert domain.levy_amount(per_ha, Money(0), Decimal("0.250")).cents == 2  # 2.5 -> 2 (even)
    assert domain.levy_amount(per_ha, Money(0), Decimal("0.350")).cents == 4  # 3.5 -> 4 (even)


def test_the_default_line_applies_when_the_resource_has_none():
    parameters = {"levy.default.rate_bp": 100, "levy.default.per_unit_cents": 7}
    assert domain.levy_terms(parameters, "loom") == domain.LevyTerms(100, 7, "default")
    # A line setting one part only: the other part is zero, not the default's.
    parameters["levy.loom.per_unit_cents"] = 50
    assert domain.levy_terms(parameters, "loom") == domain.LevyTerms(0, 50, "resource")


def test_the_largest_levy_stays_within_bounds():
    terms = domain.LevyTerms(10_000, 100_000_000, "resource")
    with pytest.raises(ApplicationError):
        domain.levy_amount(terms, Money(MAX_CENTS), domain.MAX_QUANTITY)


@pytest.mark.parametrize(
    "value, code",
    [("1.5", None), ("0.001", None), ("1000000000", None), ("0", "x"), ("1.0001", "x")],
)
def test_quantities(value, code):
    if code is None:
        assert domain.check_quantity(value) == Decimal(value).quantize(Decimal("0.001"))
    else:
        with pytest.raises(ApplicationError):
            domain.check_quantity(value)


@given(
    value=st.integers(1, 10**12),
    years=st.integers(1, 40),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_a_depreciation_plan_adds_up_to_the_value_exactly(value, years, start):
    charges, already = [], 0
    for year in range(start.year, start.year + years + 2):
        charge = domain.depreciation_for_year(value, years, start, year, already)
        assert charge >= 0
        charges.append(charge)
        already += charge
    assert sum(charges) == value
    # Every whole year but the last charges one annuity, rounded down (± 1 cent).
    for charge in charges[1:years]:
        assert abs(charge - Fraction(value, years)) <= 1


def test_a_first_year_is_pro_rata_temporis():
    # 1 July 2026 to 31 December: 184 days of 365 of a 1 000 € annuity.
    assert domain.depreciation_through(500_000, 5, dt.date(2026, 7, 1), dt.date(2026, 12, 31)) == (
        100_000 * 184 // 365
    )
    assert domain.amortisation_account("2154") == "28154"
    assert domain.amortisation_account("205") == "2805"
    assert not domain.is_depreciable("211") and domain.is_depreciable("2154")
