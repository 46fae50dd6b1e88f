"""Exact euro amounts as integer cents; no float ever enters or leaves this type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

_AMOUNT_PATTERN = re.compile(r"^(-)?(\d+)(?:[.,](\d{1,2}))?$")


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


def sum_money(amounts) -> Money:
    total = 0
    for amount in amounts:
        total += amount.cents
    return Money(total)
