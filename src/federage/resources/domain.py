"""Pure rules of resources: kinds, units, quantities, the levy of a use, the depreciation plan."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from federage.core import rates
from federage.core.errors import ApplicationError
from federage.core.money import MAX_CENTS, Money

KINDS = (
    "equipment",
    "land",
    "buildings",
    "materials",
    "software",
    "data",
    "knowledge",
    "carbon_credits",
    "other",
)
# The triple-capital view (CARE): financial, human and social, natural.
CAPITAL_KINDS = ("financial", "human_social", "natural")
UNITS = ("hour", "day", "week", "month", "kg", "t", "m2", "m3", "ha", "km", "kwh", "seat")
UNITS += ("licence", "unit", "gb", "copy")
STATUSES = ("active", "retired")
ACTIVE, RETIRED = STATUSES

# The account a kind of resource is booked on when the steward names none (PCG 2025).
DEFAULT_ACCOUNT = {
    "equipment": "2154",
    "land": "211",
    "buildings": "213",
    "materials": "311",
    "software": "205",
    "data": "205",
    "knowledge": "208",
    "carbon_credits": "208",
    "other": "2188",
}
DEFAULT_CAPITAL_KIND = {"land": "natural", "knowledge": "human_social", "carbon_credits": "natural"}

# A resource key: the charter's `levy.<key>.*` lines name it (governance.domain.RESOURCE_KEY).
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")

# Quantities: three decimal places, at most a billion units in one use.
QUANTITY_PLACES = 3
QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_PLACES)
MAX_QUANTITY = Decimal(10**9)
# A use spans at most a year (a yearly rental is declared as one use; longer ones recur).
MAX_PERIOD_DAYS = 366
MAX_DEPRECIATION_YEARS = 100


def clean_key(key: str) -> str:
    key = (key or "").strip().lower()
    if not KEY.match(key) or key == "default":
        raise ApplicationError.on_field("key", "invalid_value")
    return key


def check_quantity(value: Any, field: str = "quantity") -> Decimal:
    """A positive quantity of at most MAX_QUANTITY with at most three decimals, else
    `quantity_out_of_range`; returned with exactly three places."""
    try:
        quantity = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ApplicationError.on_field(field, "quantity_out_of_range") from None
    if (
        isinstance(value, bool)
        or not quantity.is_finite()
        or quantity <= 0
        or quantity > MAX_QUANTITY
        or quantity != quantity.quantize(QUANTITY_STEP, rounding=ROUND_DOWN)
    ):
        raise ApplicationError.on_field(field, "quantity_out_of_range")
    return quantity.quantize(QUANTITY_STEP)


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start or (end - start).days > MAX_PERIOD_DAYS:
        raise ApplicationError.on_field("period_end", "invalid_period")


def check_account(account: str) -> str:
    """A resource's account: a postable PCG number (3 to 12 digits) of class 2 (fixed assets)
    or 3 (stock), never an amortisation or impairment account (28, 29, 39)."""
    account = (account or "").strip()
    if not account.isdigit() or not 3 <= len(account) <= 12:
        raise ApplicationError.on_field("account_code", "invalid_value")
    if account[0] not in "23" or account[:2] in ("28", "29", "39"):
        raise ApplicationError.on_field("account_code", "invalid_value")
    return account


def is_depreciable(account: str) -> bool:
    """PCG: land (211), stock (3xx) and financial assets (26, 27) are not depreciated."""
    return account[0] == "2" and not account.startswith(("211", "26", "27"))


def amortisation_account(account: str) -> str:
    """The PCG's amortisation account of a fixed asset: 28 + the asset's number without its
    class digit (2154 -> 28154, 205 -> 2805, 213 -> 2813)."""
    return "28" + account[1:]


DEPRECIATION_EXPENSE_ACCOUNT = "6811"


# --- Levies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevyTerms:
    """The charter's levy for one resource: its own line, else the default line."""

    rate_bp: int
    per_unit_cents: int
    line: str  # "resource" | "default"

    def as_dict(self) -> dict[str, Any]:
        return {"rate_bp": self.rate_bp, "per_unit_cents": self.per_unit_cents, "line": self.line}


def levy_terms(parameters: Mapping[str, Any], key: str) -> LevyTerms:
    """The resource's own line (`levy.<key>.*`; a part it does not set is zero) if the charter
    has one, else `levy.default.*` (the rule of governance.domain.usage_levy)."""
    own = f"levy.{key}.rate_bp" in parameters or f"levy.{key}.per_unit_cents" in parameters
    line = key if own else "default"
    return LevyTerms(
        rate_bp=int(parameters.get(f"levy.{line}.rate_bp", 0) or 0),
        per_unit_cents=int(parameters.get(f"levy.{line}.per_unit_cents", 0) or 0),
        line="resource" if own else "default",
    )


def levy_amount(terms: LevyTerms, sale_amount: Money, quantity: Decimal) -> Money:
    """The levy of one use, in cents. Rounding rule, written once:

    - the rate part is rate_bp × sale amount / 10 000, rounded HALF TO EVEN to the cent
      (core.rates.share, the rule of the transfer tax);
    - the per-unit part is per_unit_cents × quantity (quantity exact, three decimals), rounded
      HALF TO EVEN to the cent on its own;
    - the levy is the sum of the two rounded parts. Each use is rounded once, when declared:
      the levies of many uses add up exactly (integer cents), nothing is rounded again.

    E.g. 2.5 % of 100.10 € = 2.5025 € -> 2.50 €; 0.125 ha at 0.10 €/ha = 1.25 c -> 1 c (even);
    0.375 ha at 0.10 €/ha = 3.75 c -> 4 c. The rate applies to the sale amount of a commercial
    use (zero otherwise); the per-unit part to every use, commercial or not.
    """
    rate_part = rates.share(sale_amount, terms.rate_bp)
    millis = int(quantity.scaleb(QUANTITY_PLACES).to_integral_value())
    assert Decimal(millis).scaleb(-QUANTITY_PLACES) == quantity, "three decimals at most"
    per_unit_part = Money(rates.half_even(terms.per_unit_cents * millis, 10**QUANTITY_PLACES))
    total = rate_part + per_unit_part
    if total.cents > MAX_CENTS:
        raise ApplicationError.on_field("quantity", "amount_too_large")
    return total


# --- Depreciation ---------------------------------------------------------------------------


def depreciation_through(
    value_cents: int, years: int, in_service: dt.date, through: dt.date
) -> int:
    """Straight-line depreciation accumulated at the end of day `through` (a 31 December for
    the job), in cents.

    The yearly annuity is value / years. The first year counts pro rata temporis (PCG art.
    214-13): the days from `in_service` to 31 December over the days of that year; every later
    year counts whole; the plan stops once `years` annuities are reached. What is accumulated
    is value × years elapsed / years, exact, then rounded DOWN to the cent. A year's charge is
    the difference between two year ends, so the charges of the whole plan add up to the value
    exactly (the last year, the one after a pro-rata first year, takes what rounding left).
    """
    if value_cents <= 0 or through < in_service:
        return 0
    first_end = dt.date(in_service.year, 12, 31)
    days_in_year = (first_end - dt.date(in_service.year, 1, 1)).days + 1
    if through <= first_end:
        elapsed = Fraction((through - in_service).days + 1, days_in_year)
    else:
        elapsed = Fraction((first_end - in_service).days + 1, days_in_year)
        elapsed += (
            through.year - in_service.year - (0 if through.month == 12 and through.day == 31 else 1)
        )
        if not (through.month == 12 and through.day == 31):
            this_year = dt.date(through.year, 1, 1)
            year_days = (dt.date(through.year, 12, 31) - this_year).days + 1
            elapsed += Fraction((through - this_year).days + 1, year_days)
    elapsed = min(elapsed, Fraction(years))
    accumulated = value_cents * elapsed / years
    return accumulated.numerator // accumulated.denominator


def depreciation_for_year(
    value_cents: int, years: int, in_service: dt.date, year: int, already_cents: int
) -> int:
    """The charge of `year` (to 31 December): what the plan has accumulated by then on the
    current value, less what was already charged (a value raised later is caught up)."""
    due = depreciation_through(value_cents, years, in_service, dt.date(year, 12, 31))
    return max(due - already_cents, 0)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
