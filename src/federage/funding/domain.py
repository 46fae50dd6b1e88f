"""Pure rules of funding: kinds and statuses, loan schedules, the investment grant's reprise, accounts.

Rounding, written down once: every period's interest is pending principal × period rate,
rounded HALF UP to the cent (ROUND_HALF_UP, 0.005 € → 0.01 €), the banks' usual rule and the
one of the worked example in research/anchors-impact-funding.md §5. A constant annuity is
rounded half up to the cent too; each period's principal is annuity − interest, and the LAST
instalment pays whatever principal is still pending, so Σ principal = principal exactly and
the balance ends at 0. Constant amortisation pays floor(P / m) each period, the last one the
remainder (10 000 / 3 → 3 333.33, 3 333.33, 3 333.34).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS
from federage.resources.domain import depreciation_through

GRANT_OPERATING = "grant_operating"
GRANT_INVESTMENT = "grant_investment"
LOAN = "loan"
EQUITY = "equity"
# Every kind is offered; equity is booked through contributions/titles (a cash subscription).
KINDS = (GRANT_OPERATING, GRANT_INVESTMENT, LOAN, EQUITY)

# offered → voting → accepted → active → closed; or withdrawn (by the funder) / refused (vote).
STATUSES = ("offered", "voting", "accepted", "active", "closed", "withdrawn", "refused")
DECIDED_STATUSES = ("accepted", "active", "closed")
OPEN_STATUSES = ("offered", "voting")
TRANCHE_STATUSES = ("pending", "released", "disbursed")
INSTALMENT_STATUSES = ("scheduled", "due", "overdue", "paid", "cancelled")
INSTALMENT_KINDS = ("regular", "early")

ANNUITY = "constant_annuity"
AMORTISATION = "constant_amortisation"
METHODS = (ANNUITY, AMORTISATION)
PERIOD_MONTHS = (1, 3, 6, 12)
MAX_PERIODS = 600
MAX_RATE_BP = 10_000
MAX_TRANCHES = 24

# PCG accounts (DESIGN §3, anchors §5): ANC 2022-06 moves the reprise to 747 for fiscal
# years opened on or after 1 January 2025; 777 before.
ACCOUNT_OPERATING = "741"
ACCOUNT_INVESTMENT = "131"
ACCOUNT_REPRISE_SUBSIDY = "139"
ACCOUNT_BANK = "512"
ACCOUNT_INTEREST = "661"
ACCOUNT_ACCRUED = "1688"
LOAN_PARENT = "164"
REPRISE_SWITCH = dt.date(2025, 1, 1)
JOURNAL = "FI"


def reprise_account(fiscal_year_start: dt.date) -> str:
    """747 for a fiscal year opened on or after 1 January 2025 (ANC 2022-06), else 777."""
    return "747" if fiscal_year_start >= REPRISE_SWITCH else "777"


def loan_account(financing_id: int) -> str:
    """One 164 sub-account per loan: 1641 followed by the financing's id, padded to two digits."""
    return f"1641{financing_id:02d}"


def check_amount(cents, field: str = "amount_cents") -> int:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise ApplicationError.on_field(field, "not_an_integer")
    if cents <= 0:
        raise ApplicationError.on_field(field, "amount_not_positive")
    if cents > MAX_CENTS:
        raise ApplicationError.on_field(field, "amount_too_large")
    return cents


def check_tranches(amount_cents: int, tranche_amounts: list[int]) -> None:
    if not tranche_amounts or len(tranche_amounts) > MAX_TRANCHES:
        raise ApplicationError.on_field("tranches", "invalid_value")
    for index, cents in enumerate(tranche_amounts):
        check_amount(cents, f"tranches.{index}.amount_cents")
    if sum(tranche_amounts) != amount_cents:
        raise ApplicationError.on_field("tranches", "tranches_not_summing")


# --- Loan schedules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    principal_cents: int
    rate_bp: int  # yearly nominal rate, basis points
    periods: int  # every period, grace included
    period_months: int
    method: str
    grace_periods: int
    first_due: dt.date

    def check(self) -> Terms:
        check_amount(self.principal_cents, "principal_cents")
        if not 0 <= self.rate_bp <= MAX_RATE_BP:
            raise ApplicationError.on_field("loan.rate_bp", "out_of_range")
        if not 1 <= self.periods <= MAX_PERIODS:
            raise ApplicationError.on_field("loan.periods", "out_of_range")
        if self.period_months not in PERIOD_MONTHS:
            raise ApplicationError.on_field("loan.period_months", "invalid_value")
        if self.method not in METHODS:
            raise ApplicationError.on_field("loan.method", "invalid_value")
        if not 0 <= self.grace_periods < self.periods:
            raise ApplicationError.on_field("loan.grace_periods", "out_of_range")
        return self


@dataclass(frozen=True)
class Row:
    number: int
    due_date: dt.date
    principal_cents: int
    interest_cents: int

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.interest_cents


def half_up(value: Fraction) -> int:
    """A non-negative exact amount of cents rounded half up to the cent."""
    return int(
        (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def period_rate(rate_bp: int, period_months: int) -> Fraction:
    return Fraction(rate_bp, 10_000) * Fraction(period_months, 12)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` later, on the same day of month or the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interest_cents(pending_cents: int, rate: Fraction) -> int:
    return half_up(pending_cents * rate)


def annuity_cents(principal_cents: int, rate: Fraction, periods: int) -> int:
    """A = P·r / (1 − (1+r)^−m), rounded half up; P/m (half up) at a zero rate."""
    if rate == 0:
        return half_up(Fraction(principal_cents, periods))
    return half_up(principal_cents * rate / (1 - (1 + rate) ** -periods))


def schedule(terms: Terms) -> list[Row]:
    """The instalments: grace periods pay interest only, then the method's periods; the last
    instalment pays all the principal still pending (Σ principal = P exactly)."""
    terms.check()
    rate = period_rate(terms.rate_bp, terms.period_months)
    return _rows(terms.principal_cents, rate, terms, 1, terms.periods, terms.grace_periods)


def _rows(
    pending: int, rate: Fraction, terms: Terms, first_number: int, periods: int, grace: int
) -> list[Row]:
    amortising = periods - grace
    annuity = annuity_cents(pending, rate, amortising)
    constant = pending // amortising
    rows: list[Row] = []
    for index in range(periods):
        number = first_number + index
        due = add_months(terms.first_due, terms.period_months * (number - 1))
        interest = interest_cents(pending, rate)
        if index < grace:
            principal = 0
        elif index == periods - 1:
            principal = pending
        elif terms.method == ANNUITY:
            principal = min(max(annuity - interest, 0), pending)
        else:
            principal = min(constant, pending)
        pending -= principal
        rows.append(Row(number, due, principal, interest))
    return rows


def reschedule(terms: Terms, rows: list[Row], paid: int, prepaid_cents: int) -> list[Row]:
    """After `paid` instalments and an early repayment of `prepaid_cents` of principal, the
    remaining instalments: the same dates and method over the principal still pending (the
    instalment shrinks, the duration stays). Σ principal paid + prepaid + rescheduled = P."""
    terms.check()
    if not 0 <= paid < len(rows):
        raise ApplicationError.on_field("paid", "out_of_range")
    pending = terms.principal_cents - sum(row.principal_cents for row in rows[:paid])
    check_amount(prepaid_cents, "amount_cents")
    if prepaid_cents > pending:
        raise ApplicationError.on_field("amount_cents", "schedule_not_summing")
    pending -= prepaid_cents
    remaining = len(rows) - paid
    if pending == 0:
        return []
    grace = max(terms.grace_periods - paid, 0)
    if grace >= remaining:
        grace = remaining - 1
    rate = period_rate(terms.rate_bp, terms.period_months)
    return _rows(pending, rate, terms, paid + 1, remaining, grace)


def check_schedule(principal_cents: int, rows: list[Row]) -> None:
    """Refuses a schedule whose principal does not add up to the loan exactly."""
    if any(row.principal_cents < 0 or row.interest_cents < 0 for row in rows):
        raise ApplicationError.on_field("schedule", "schedule_not_summing")
    if sum(row.principal_cents for row in rows) != principal_cents:
        raise ApplicationError.on_field("schedule", "schedule_not_summing")


# --- Investment grant reprise -----------------------------------------------------------------


def reprise_through(grant_cents: int, years: int, in_service: dt.date, through: dt.date) -> int:
    """The grant taken to income by day `through`, in step with the financed resource's
    straight-line depreciation plan (same start, pro-rata first year, duration; rounded down).
    Fractions are exact; the resources app's plan rounds the same way."""
    return depreciation_through(grant_cents, years, in_service, through)


def reprise_for_year(
    grant_cents: int, years: int, in_service: dt.date, year: int, already_cents: int
) -> int:
    due = reprise_through(grant_cents, years, in_service, dt.date(year, 12, 31))
    return max(due - already_cents, 0)


# --- Milestones ------------------------------------------------------------------------------


def milestone_met(progress: dict, threshold: Decimal) -> bool:
    """A tranche's milestone is met, on VERIFIED measurements only, when an objective to raise
    (tCO2e avoided, hectares) has its verified total at or above the threshold, and when an
    objective to lower (emissions, consumption) has its latest verified level at or below it:
    levels of a falling quantity are not added up, so more emissions never release money."""
    if progress.get("direction") == "decrease":
        latest = progress.get("latest_verified")
        return latest is not None and Decimal(latest) <= threshold
    return Decimal(progress.get("verified_total") or 0) >= threshold


# --- Year end: accrued interest (1688) and fonds dédiés (194) --------------------------------
#
# Accrued interest, the rule written once. Day count 30E/360 (the European "base 30/360": a
# 31st counts as the 30th), because the schedule charges every period a flat
# rate × period_months / 12 whatever its calendar length, i.e. 30 days a month. At 31 December
# the interest accrued is the share of the NEXT instalment's interest (the one whose period runs
# over 31 December) for the days already run:
#     accrued = interest_next × days360(start, 31 Dec) / days360(period_start, due_next)
# where period_start is the previous due date (first_due − period_months for the first one) and
# start = max(period_start, first disbursement). With a full 30E/360 period of 30·m days this is
# pending × rate × days / 360 exactly; as a share of the scheduled interest it never exceeds it,
# so the next year's 661 (instalment − reversal) is never negative. Rounded HALF UP to the cent,
# the schedule's own rule (module docstring), not core.rates' half-even: the accrual is a slice
# of an interest amount computed half up.

ACCOUNT_ACCRUED_LABEL = "Intérêts courus sur emprunts"
# ANC 2018-06 (associations; PCG art. 432-1 ff.): the unspent part of an earmarked operating
# grant goes at year end to the liability 194 against the charge 6894; it comes back to income
# through 789 as it is spent in later years.
ACCOUNT_DEDICATED = "194"
ACCOUNT_DEDICATED_LABEL = "Fonds dédiés sur subventions de fonctionnement"
ACCOUNT_DEDICATED_CHARGE = "6894"
ACCOUNT_DEDICATED_CHARGE_LABEL = "Reports en fonds dédiés sur subventions de fonctionnement"
ACCOUNT_DEDICATED_USE = "789"
ACCOUNT_DEDICATED_USE_LABEL = "Utilisation des fonds dédiés"

YEAR_END_ACCRUAL = "accrual"
YEAR_END_REVERSAL = "accrual_reversal"
YEAR_END_DEDICATED = "dedicated"
YEAR_END_RELEASE = "dedicated_release"
YEAR_END_KINDS = (YEAR_END_ACCRUAL, YEAR_END_REVERSAL, YEAR_END_DEDICATED, YEAR_END_RELEASE)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def days_360(start: dt.date, end: dt.date) -> int:
    """Days from `start` to `end` in 30E/360: every month 30 days, a 31st counted as the 30th."""
    d1, d2 = min(start.day, 30), min(end.day, 30)
    return (end.year - start.year) * 360 + (end.month - start.month) * 30 + (d2 - d1)


def period_start(first_due: dt.date, period_months: int, number: int) -> dt.date:
    """The day instalment `number`'s period starts: the previous due date."""
    return add_months(first_due, period_months * (number - 2))


def accrued_interest(
    *,
    next_interest_cents: int,
    period_from: dt.date,
    due: dt.date,
    disbursed_on: dt.date,
    at: dt.date,
) -> int:
    """Interest accrued on day `at` (31 December) of the instalment due on `due` whose period
    starts `period_from`: its interest × days run / days of the period, 30E/360, half up.
    Nothing accrues before the disbursement, nor before the period starts; never more than the
    instalment's interest."""
    if next_interest_cents <= 0 or not period_from <= at < due or disbursed_on > at:
        return 0
    start = max(period_from, disbursed_on)
    run = max(days_360(start, at), 0)
    length = days_360(period_from, due)
    if length <= 0:
        return 0
    return min(half_up(Fraction(next_interest_cents * run, length)), next_interest_cents)


@dataclass(frozen=True)
class DedicatedYear:
    release_cents: int  # D 194 / C 789: prior years' unspent money spent this year
    allocation_cents: int  # D 6894 / C 194: this year's unspent money carried forward
    balance_cents: int  # 194 after both, = max(disbursed − tagged, 0) at 31 December


def dedicated_funds_year(
    *, balance_before: int, disbursed_through: int, tagged_through: int, tagged_in_year: int
) -> DedicatedYear:
    """One year's fonds dédiés of an earmarked operating grant, from the amounts at 31 December.

    The fund held at year end is what was received and not yet spent on the earmark,
    max(disbursed − tagged, 0). Spending uses the oldest money first: this year's tagged
    spending releases the fund carried from earlier years (up to its balance), the rest of
    the change is this year's allocation. Spending tagged late to an already closed year (so
    missing from `balance_before`) is released here too, so the balance always ends right.
    """
    target = max(disbursed_through - tagged_through, 0)
    release = min(balance_before, max(tagged_in_year, 0))
    allocation = target - (balance_before - release)
    if allocation < 0:
        release -= allocation
        allocation = 0
    return DedicatedYear(release, allocation, target)
