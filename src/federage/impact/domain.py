"""Pure impact rules: indicator units, objective and measurement states, the bounds of a value."""

from __future__ import annotations

from decimal import Decimal

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
