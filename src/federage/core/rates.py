"""Rates in basis points applied to money: one rule, one rounding, for every app.

1 bp = 0.01 %, BASIS_POINTS (10 000) = 100 %. Everything is exact integer arithmetic; the only
rounding is the last step, to the cent, and each rule says which:

- `share` (a charter's rate on an amount: the transfer tax, a usage levy's rate part):
  rate × amount, rounded HALF TO EVEN to the cent (12.5 cents -> 12, 13.5 cents -> 14), the rule
  of `Money.from_decimal`.
- `after_haircut` (what a leaving member receives for titles worth `value`): value × (1 − haircut),
  from the exact value (not a value already rounded to the cent), rounded DOWN to the cent
  (22.5 cents -> 22, 31.5 cents -> 31): rounding never takes value from the members who stay.
"""

from __future__ import annotations

from fractions import Fraction

from federage.core.money import Money

BASIS_POINTS = 10_000


def half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) rounded half to even to an integer."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def share(amount: Money, rate_bp: int) -> Money:
    """rate_bp of `amount`, rounded half to even to the cent."""
    return Money(half_even(amount.cents * rate_bp, BASIS_POINTS))


def transfer_tax(price: Money, rate_bp: int) -> Money:
    """The charter's tax on a title transfer: rate × agreed price, half to even to the cent."""
    if rate_bp < 0:
        raise ValueError("a tax rate is not negative")
    return share(price, rate_bp)


def after_haircut(value: Money | Fraction, haircut_bp: int) -> Money:
    """`value` (cents, exact) less the haircut, rounded down to the cent; 0 for a value ≤ 0."""
    if not 0 <= haircut_bp <= BASIS_POINTS:
        raise ValueError("a haircut is between 0 and 100 %")
    exact = Fraction(value.cents) if isinstance(value, Money) else Fraction(value)
    if exact <= 0:
        return Money(0)
    kept = exact * (BASIS_POINTS - haircut_bp)
    return Money(kept.numerator // (kept.denominator * BASIS_POINTS))
