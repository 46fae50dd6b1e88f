"""Pure impact rules: indicator units, objective and measurement states, the bounds of a value."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

# Units an indicator is measured in (the catalogue's controlled list; an instance adds
# indicators, not units, so figures stay comparable across commons).
UNITS = (
    "tCO2e",
    "kgCO2e",
    "kWh",
    "MWh",
    "ha",
    "t",
    "kg",
    "m3",
    "jobs",
    "hours",
    "persons",
    "count",
    "percent",
    "km",
)
# Whether progress means the value going up (hectares regenerated) or down (emissions).
DIRECTIONS = ("increase", "decrease")
# proposed: waiting for its decision; adopted: in force; rejected: its decision failed;
# closed: withdrawn or ended by a later decision.
OBJECTIVE_STATUSES = ("proposed", "adopted", "rejected", "closed")
# declared by a member → verified or disputed by a verifier who is not the declarer. A verified
# measurement is immutable; a correction is a new measurement that supersedes it.
MEASUREMENT_STATUSES = ("declared", "verified", "disputed", "superseded")
# Where a term or an indicator comes from: shipped with Federage or added by the instance.
ORIGINS = ("federage", "instance")
# Scopes of the GHG Protocol and the six categories of the French BEGES method v5.
BEGES_CATEGORIES = ("1", "2", "3", "4", "5", "6")

# Measured values: up to 10^12 with three decimals (15 digits), inside every database.
VALUE_PLACES = 3
MAX_VALUE = Decimal(10) ** 12

# Emission factors are stored with six decimals (kgCO2e per unit of activity).
FACTOR_PLACES = 6
VALUE_STEP = Decimal(1).scaleb(-VALUE_PLACES)  # 0.001
FACTOR_STEP = Decimal(1).scaleb(-FACTOR_PLACES)
BP = 10_000
# The indicator a carbon footprint is recorded on (a "decrease" indicator in tCO2e).
FOOTPRINT_INDICATOR = "ghg_emissions"
KG_PER_TONNE = Decimal(1000)


def parse_value(raw, *, places: int = VALUE_PLACES, maximum: Decimal = MAX_VALUE) -> Decimal:
    """A value from outside (string or integer, never a float: a float has already rounded it):
    finite, not negative, at most `places` decimals and below `maximum`. Raises ValueError
    ("invalid" or "range") so the caller names the field."""
    if isinstance(raw, (bool, float)):
        raise ValueError("invalid")
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise ValueError("invalid") from None
    if not value.is_finite():
        raise ValueError("invalid")
    if value < 0 or value >= maximum:
        raise ValueError("range")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError("invalid")
    return value.quantize(Decimal(1).scaleb(-places))


def emission_kg(activity: Decimal, factor: Decimal) -> Decimal:
    """One footprint line: activity × factor (kgCO2e), rounded to 3 decimals, half to even
    (ROUND_HALF_EVEN, the banker's rounding of ISO 80000-1 and the GHG Protocol's tools):
    no systematic upward bias when many lines are summed."""
    return (activity * factor).quantize(VALUE_STEP, rounding=ROUND_HALF_EVEN)


def footprint_tonnes(lines_kg) -> Decimal:
    """The footprint's total in tCO2e: the sum of the rounded lines, ÷ 1000, rounded to 3
    decimals half to even (the measurement's precision)."""
    total = sum(lines_kg, Decimal(0))
    return (total / KG_PER_TONNE).quantize(VALUE_STEP, rounding=ROUND_HALF_EVEN)


def target_beyond_baseline(direction: str, baseline: Decimal, target: Decimal) -> bool:
    """An objective's target lies beyond its baseline in the indicator's direction."""
    return target > baseline if direction == "increase" else target < baseline


def progress_bp(
    *,
    direction: str,
    baseline: Decimal,
    target: Decimal,
    verified_total: Decimal,
    latest_verified: Decimal | None,
) -> int:
    """Progress toward the target from the baseline, in basis points (0..10000).

    increase (hectares regenerated, tCO2e avoided…): verified measurements are what was
    achieved during their periods, so they add up: progress = verified_total ÷ (target −
    baseline). decrease (emissions): a measurement is the level over its period, so the level
    reached is the latest verified one: progress = (baseline − latest) ÷ (baseline − target).
    Rounded down (a milestone is never reached early), clamped to 0..10000.
    """
    span = target - baseline if direction == "increase" else baseline - target
    if span <= 0:
        return 0
    if direction == "increase":
        gained = verified_total
    else:
        if latest_verified is None:
            return 0
        gained = baseline - latest_verified
    ratio = int((gained * BP) // span)
    return max(0, min(BP, ratio))
