"""Loan schedules and the investment grant's reprise: worked examples and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from federage.core.errors import ApplicationError
from federage.funding import domain
from federage.resources import domain as resources_domain

FIRST = dt.date(2027, 1, 31)


def terms(**fields) -> domain.Terms:
    base = {
        "principal_cents": 1_000_000,
        "rate_bp": 400,
        "periods": 5,
        "period_months": 12,
        "method": domain.ANNUITY,
        "grace_periods": 0,
        "first_due": FIRST,
    }
    return domain.Terms(**{**base, **fields})


def test_worked_example_constant_annuity_half_up():
    # research/anchors-impact-funding.md §5: 10 000 € at 4 % over 5 years.
    rows = domain.schedule(terms())
    assert [row.total_cents for row in rows] == [224_627] * 4 + [224_628]
    assert sum(row.principal_cents for row in rows) == 1_000_000
    assert rows[0].interest_cents == 40_000


def test_worked_example_constant_amortisation():
    rows = domain.schedule(
        terms(principal_cents=1_000_000, periods=3, rate_bp=0, method=domain.AMORTISATION)
    )
    assert [row.principal_cents for row in rows] == [333_333, 333_333, 333_334]
    assert all(row.interest_cents == 0 for row in rows)


def test_interest_rounds_half_up_to_the_cent():
    # 0.5 cent of interest rounds up (half even would give 0 then 2 for 1.5).
    assert domain.interest_cents(1, Fraction(1, 2)) == 1
    assert domain.interest_cents(3, Fraction(1, 2)) == 2
    assert domain.interest_cents(5, Fraction(1, 2)) == 3
    assert domain.half_up(Fraction(249, 100)) == 2


def test_due_dates_keep_the_month_end():
    rows = domain.schedule(terms(periods=3, period_months=1))
    assert [row.due_date for row in rows] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
    ]


def test_grace_periods_pay_interest_only():
    rows = domain.schedule(terms(periods=6, grace_periods=2))
    assert [row.principal_cents for row in rows[:2]] == [0, 0]
    assert rows[0].interest_cents == rows[1].interest_cents == 40_000
    assert sum(row.principal_cents for row in rows) == 1_000_000


def test_a_schedule_not_summing_to_the_principal_is_refused():
    rows = domain.schedule(terms())
    broken = [*rows[:-1], domain.Row(5, rows[-1].due_date, rows[-1].principal_cents - 1, 0)]
    with pytest.raises(ApplicationError) as caught:
        domain.check_schedule(1_000_000, broken)
    assert caught.value.code == "schedule_not_summing"


def test_bad_terms_are_refused():
    for fields, code in (
        ({"periods": 0}, "out_of_range"),
        ({"grace_periods": 5}, "out_of_range"),
        ({"rate_bp": 10_001}, "out_of_range"),
        ({"method": "balloon"}, "invalid_value"),
        ({"period_months": 5}, "invalid_value"),
        ({"principal_cents": 0}, "amount_not_positive"),
    ):
        with pytest.raises(ApplicationError) as caught:
            domain.schedule(terms(**fields))
        assert caught.value.code == code, fields


def test_reprise_account_switches_in_2025():
    assert domain.reprise_account(dt.date(2024, 1, 1)) == "777"
    assert domain.reprise_account(dt.date(2025, 1, 1)) == "747"
    assert domain.reprise_account(dt.date(2024, 7, 1)) == "777"


terms_strategy = st.builds(
    domain.Terms,
    principal_cents=st.integers(min_value=1, max_value=10**11),
    rate_bp=st.integers(min_value=0, max_value=2_000),
    periods=st.integers(min_value=1, max_value=120),
    period_months=st.sampled_from(domain.PERIOD_MONTHS),
    method=st.sampled_from(domain.METHODS),
    grace_periods=st.just(0),
    first_due=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
).flatmap(
    lambda t: st.integers(min_value=0, max_value=t.periods - 1).map(
        lambda grace: domain.Terms(**{**t.__dict__, "grace_periods": grace})
    )
)


@settings(max_examples=200, deadline=None)
@given(terms_strategy)
def test_schedule_sums_to_the_principal_and_ends_at_zero(t):
    rows = domain.schedule(t)
    assert len(rows) == t.periods
    assert sum(row.principal_cents for row in rows) == t.principal_cents
    pending = t.principal_cents
    rate = domain.period_rate(t.rate_bp, t.period_months)
    for row in rows:
        assert row.principal_cents >= 0
        # Every period's interest is the pending principal × rate, rounded half up.
        assert row.interest_cents == domain.half_up(pending * rate)
        pending -= row.principal_cents
        assert pending >= 0
    assert pending == 0
    assert [row.due_date for row in rows] == sorted(row.due_date for row in rows)


@settings(max_examples=200, deadline=None)
@given(terms_strategy, st.data())
def test_early_repayment_recomputes_the_rest(t, data):
    rows = domain.schedule(t)
    paid = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    pending = t.principal_cents - sum(row.principal_cents for row in rows[:paid])
    if pending == 0:
        return
    prepaid = data.draw(st.integers(min_value=1, max_value=pending))
    rest = domain.reschedule(t, rows, paid, prepaid)
    total = sum(row.principal_cents for row in rows[:paid]) + prepaid
    total += sum(row.principal_cents for row in rest)
    assert total == t.principal_cents
    if rest:
        assert len(rest) == len(rows) - paid
        assert [row.due_date for row in rest] == [row.due_date for row in rows[paid:]]
        # Less principal pending at once: the next period's interest is not higher.
        assert rest[0].interest_cents <= rows[paid].interest_cents
        # Recomputed = a fresh schedule of what is pending over the periods left.
        fresh = domain.schedule(
            domain.Terms(
                **{
                    **t.__dict__,
                    "principal_cents": pending - prepaid,
                    "periods": len(rows) - paid,
                    "grace_periods": max(t.grace_periods - paid, 0),
                }
            )
        )
        assert [(r.principal_cents, r.interest_cents) for r in rest] == [
            (r.principal_cents, r.interest_cents) for r in fresh
        ]


def test_early_repayment_beyond_the_pending_principal_is_refused():
    t = terms()
    rows = domain.schedule(t)
    with pytest.raises(ApplicationError) as caught:
        domain.reschedule(t, rows, 1, 1_000_000)
    assert caught.value.code == "schedule_not_summing"


@settings(max_examples=200, deadline=None)
@given(
    grant=st.integers(min_value=1, max_value=10**11),
    value=st.integers(min_value=1, max_value=10**11),
    years=st.integers(min_value=1, max_value=40),
    in_service=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_reprise_follows_the_depreciation_plan(grant, value, years, in_service):
    """Year by year the reprise is grant / value of the depreciation (the same plan on the
    grant's amount), and the whole plan takes the grant to income exactly."""
    already = 0
    for year in range(in_service.year, in_service.year + years + 2):
        amount = domain.reprise_for_year(grant, years, in_service, year, already)
        assert amount >= 0
        already += amount
        depreciated = resources_domain.depreciation_through(
            value, years, in_service, dt.date(year, 12, 31)
        )
        # Same pace: the shares of the plan differ by less than a cent of either amount.
        assert abs(Fraction(already, grant) - Fraction(depreciated, value)) <= Fraction(
            1, grant
        ) + Fraction(1, value)
    assert already == grant


def test_a_milestone_follows_the_objectives_direction():
    threshold = Decimal("150")
    raise_ = {"direction": "increase", "verified_total": "149.999", "latest_verified": "200"}
    assert not domain.milestone_met(raise_, threshold)
    assert domain.milestone_met({**raise_, "verified_total": "150.000"}, threshold)
    # Emissions to lower: the latest verified level must come down to the threshold; levels
    # are not summed (two years at 100 are not 200 of progress).
    lower = {"direction": "decrease", "verified_total": "400.000", "latest_verified": "151"}
    assert not domain.milestone_met(lower, threshold)
    assert domain.milestone_met({**lower, "latest_verified": "150.000"}, threshold)
    assert not domain.milestone_met({**lower, "latest_verified": None}, threshold)
