# workshop: since 23
"""Money crosses into SQLite as integer cents and comes back as Decimal."""

from __future__ import annotations

from decimal import Decimal

from app.domain import CENT


def to_cents(amount: Decimal) -> int:
    """An exact amount (at most two decimal places) as whole cents."""
    cents = amount / CENT
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Whole cents from the database as an exact Decimal amount."""
    return (Decimal(cents) * CENT).quantize(CENT)
