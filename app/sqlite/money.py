# workshop: since 12
"""Money in the database: whole cents in an INTEGER column, exact both ways."""

from __future__ import annotations

from decimal import Decimal

from app.errors import InvalidPrice  # solution 12


# >>> solution 12
def to_cents(price: Decimal) -> int:
    """``price`` as a whole number of cents: Decimal("3.50") -> 350.

    An amount with a fraction of a cent raises InvalidPrice: rounding it would
    change the price without telling anyone.
    """
    cents = price * 100
    if cents != cents.to_integral_value():
        raise InvalidPrice(f"price {price} has a fraction of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """The inverse of to_cents(): 350 -> Decimal("3.50"), always two places."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise InvalidPrice(f"{cents!r} is not a whole number of cents")
    return Decimal(cents).scaleb(-2)


# <<<
