"""Exact euro amounts as integer cents; no float ever enters or leaves this type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from federage.core.errors import ApplicationError

_AMOUNT_PATTERN = re.compile(r"^(-)?(\d+)(?:[.,](\d{1,2}))?$")

# The largest amount Federage takes or stores, in cents: 10^13 cents = 100 billion euros. Every
# amount from outside (a price, a target, a line of an entry) and every product or sum stored
# from them (units × unit price, an entry's total) stays within ±MAX_CENTS, far below 2^53, so
# that JavaScript reads it exactly and no 64-bit column or SQLite integer can overflow.
MAX_CENTS = 10**13
# The largest number of titles in one movement or holding: 10^12 units (with 4 places, 16
# digits), inside the 18-digit columns of titles.
MAX_UNITS = Decimal(10**12)


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of euros held as integer cents.

    Rounding rule: converting a Decimal with more than two places rounds half to even
    (banker's rounding), the rule of `Money.from_decimal`; every other operation is exact.
    """

    cents: int

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError(f"Money needs integer cents, got {type(self.cents).__name__}")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Reads '1234', '1234.5', '1234,56' or '-3.10' as euros; refuses anything else."""
        match = _AMOUNT_PATTERN.match(text.strip().replace(" ", "").replace("\u202f", ""))
        if match is None:
            raise ValueError(f"not an amount in euros: {text!r}")
        sign, euros, fraction = match.groups()
        cents = int(euros) * 100 + int((fraction or "0").ljust(2, "0"))
        return cls(-cents if sign else cents)

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        if not isinstance(value, Decimal):
            raise TypeError("Money.from_decimal needs a Decimal")
        cents = (value * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        return cls(int(cents))

    def to_decimal(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def __mul__(self, factor: int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented
        return Money(self.cents * factor)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.cents != 0

    def is_positive(self) -> bool:
        return self.cents > 0

    def format_plain(self, decimal_separator: str = ".") -> str:
        """'-1234.50' (or with a comma): the form accountants' files use, no grouping."""
        sign = "-" if self.cents < 0 else ""
        euros, cents = divmod(abs(self.cents), 100)
        return f"{sign}{euros}{decimal_separator}{cents:02d}"

    def format_fr(self) -> str:
        """'1 234,50 €' with a narrow no-break space, as French readers expect."""
        sign = "-" if self.cents < 0 else ""
        euros, cents = divmod(abs(self.cents), 100)
        grouped = f"{euros:,}".replace(",", "\u202f")
        return f"{sign}{grouped},{cents:02d}\u00a0€"

    def __str__(self) -> str:
        return self.format_plain()


def within_bounds(cents: int) -> bool:
    """True for an integer amount of at most MAX_CENTS either side of zero."""
    return (
        not isinstance(cents, bool) and isinstance(cents, int) and -MAX_CENTS <= cents <= MAX_CENTS
    )


def check_cents(cents: int, field: str) -> int:
    """Refuses (`amount_too_large` on `field`) an amount beyond ±MAX_CENTS; returns it."""
    if not within_bounds(cents):
        raise ApplicationError.on_field(field, "amount_too_large", detail=f"max {MAX_CENTS}")
    return cents


def check_units(units: Decimal, field: str = "units") -> Decimal:
    """Refuses (`units_too_large` on `field`) a number of titles beyond ±MAX_UNITS."""
    if not isinstance(units, Decimal) or not units.is_finite() or abs(units) > MAX_UNITS:
        raise ApplicationError.on_field(field, "units_too_large", detail=f"max {MAX_UNITS}")
    return units


def sum_money(amounts) -> Money:
    total = 0
    for amount in amounts:
        total += amount.cents
    return Money(total)
