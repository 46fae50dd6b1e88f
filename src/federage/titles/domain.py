"""Pure title arithmetic: the unit scale, NAV, issuance, holding values, transfer tax, redemption.

Rounding rules (the contract the property tests hold):

- Title quantities are Decimals with exactly UNIT_SCALE (4) decimal places. Internally they are
  counted in integer "ticks" of 10**-UNIT_SCALE units so that every rule below is exact integer
  arithmetic.
- NAV (unit value) = net assets / outstanding units, from the ledger. It is kept as an exact
  ratio; `nav_cents` only rounds it (half to even, NAV_DISPLAY_PLACES places of a cent) to show
  or store it.
- Issuance: quantity = price / NAV, rounded DOWN to the scale. Before any issuance (no units
  outstanding) the charter's initial unit value stands for NAV. The remainder (the value of the
  fraction of a tick not issued) stays with the commons, so existing holders are never diluted:
  (net assets + price) / (units + quantity) >= net assets / units.
- Value of a holding at NAV = units x NAV rounded half to even to the cent; the sum of the values
  of n holdings differs from net assets by at most n/2 cents.
- Transfer tax = rate x agreed price, rounded half to even to the cent (core.rates.transfer_tax,
  the same rule governance reads from a charter); agreed price = units x agreed unit price,
  rounded half to even to the cent.
- Redemption value = units x NAV minus the charter's haircut, from the exact value, rounded DOWN
  to the cent (core.rates.after_haircut): rounding never takes value from the members who stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from federage.core import rates
from federage.core.errors import ApplicationError
from federage.core.money import Money

# Four decimal places: a 10 € initial unit value makes the smallest issuable amount 0.1 cent,
# finer than any euro amount the books hold, and quantities stay readable.
UNIT_SCALE = 4
TICKS_PER_UNIT = 10**UNIT_SCALE
UNIT_QUANTUM = Decimal(1).scaleb(-UNIT_SCALE)
# Places of a cent a stored NAV point keeps (display only; computations use the exact ratio).
NAV_DISPLAY_PLACES = 6
BASIS_POINTS = 10_000


def to_ticks(units: Decimal) -> int:
    """Units as integer ticks; refuses quantities finer than the scale."""
    if not isinstance(units, Decimal):
        raise TypeError("title quantities are Decimals")
    ticks = units * TICKS_PER_UNIT
    if ticks != ticks.to_integral_value():
        raise ApplicationError.on_field("units", "invalid_value", f"{UNIT_SCALE} decimal places")
    return int(ticks)


def from_ticks(ticks: int) -> Decimal:
    return (Decimal(ticks) / TICKS_PER_UNIT).quantize(UNIT_QUANTUM)


def quantize_units(units: Decimal) -> Decimal:
    """Units read from outside, checked to be on the scale and returned with exactly its places."""
    return from_ticks(to_ticks(Decimal(units)))


@dataclass(frozen=True)
class Nav:
    """The unit value as an exact ratio of net assets (cents) to outstanding units (ticks).

    With no units outstanding, the charter's initial value stands: `initial_cents` per unit.
    """

    net_assets_cents: int
    outstanding_ticks: int
    initial_cents: int

    @property
    def is_initial(self) -> bool:
        return self.outstanding_ticks == 0

    def ratio(self) -> tuple[int, int]:
        """(cents, ticks): cents per `ticks` ticks of units, exactly."""
        if self.is_initial:
            return self.initial_cents, TICKS_PER_UNIT
        return self.net_assets_cents, self.outstanding_ticks

    def is_positive(self) -> bool:
        cents, _ = self.ratio()
        return cents > 0

    def cents_per_unit(self) -> Decimal:
        """NAV in cents per unit, half to even to NAV_DISPLAY_PLACES places (for display only)."""
        cents, ticks = self.ratio()
        value = Decimal(cents) * TICKS_PER_UNIT / Decimal(ticks)
        return value.quantize(Decimal(1).scaleb(-NAV_DISPLAY_PLACES), rounding=ROUND_HALF_EVEN)


def units_text(units: Decimal) -> str:
    """Units as a French reader writes them: no trailing zeros, a decimal comma (20 ; 12,5)."""
    text = f"{quantize_units(units):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def nav_of(*, net_assets: Money, outstanding: Decimal, initial_value: Money) -> Nav:
    return Nav(net_assets.cents, to_ticks(outstanding), initial_value.cents)


def issuance_quantity(price: Money, nav: Nav) -> Decimal:
    """Units issued for a contribution priced `price` at `nav`: price / NAV, rounded down."""
    if not price.is_positive():
        raise ApplicationError.on_field("price", "amount_not_positive")
    if not nav.is_positive():
        # Net assets at or below zero with units outstanding: no unit value to issue at.
        raise ApplicationError("nav_not_positive")
    cents, ticks = nav.ratio()
    return from_ticks(price.cents * ticks // cents)


def holding_value(units: Decimal, nav: Nav) -> Money:
    """Value of `units` at NAV, half to even to the cent."""
    cents, ticks = nav.ratio()
    exact = Decimal(to_ticks(units) * cents) / Decimal(ticks)
    return Money(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)))


def capital_share(units: Decimal, outstanding: Decimal) -> Decimal:
    """Share of capital as a percentage with 4 places, half to even; 0 when nothing is out."""
    total = to_ticks(outstanding)
    if total == 0:
        return Decimal("0.0000")
    share = Decimal(to_ticks(units) * 100) / Decimal(total)
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)


def agreed_price(units: Decimal, unit_price: Money) -> Money:
    """Total price of a transfer: units x agreed unit price, half to even to the cent."""
    return Money.from_decimal(units * unit_price.to_decimal())


def transfer_tax(price: Money, rate_bp: int) -> Money:
    """The charter's tax on a transfer: rate (basis points) x agreed price, half to even."""
    return rates.transfer_tax(price, rate_bp)


def redemption_value(units: Decimal, nav: Nav, haircut_bp: int) -> Money:
    """What a leaving member receives for `units`: value at NAV less the haircut, rounded down."""
    cents, ticks = nav.ratio()
    # The exact value (never a value already rounded to the cent), then core's exit rule.
    return rates.after_haircut(Fraction(to_ticks(units) * cents, ticks), haircut_bp)


def check_positive_units(units: Decimal) -> Decimal:
    units = quantize_units(units)
    if units <= 0:
        raise ApplicationError.on_field("units", "units_not_positive")
    return units
