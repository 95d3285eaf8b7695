"""Plain domain objects of the store: no files, no databases, just data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import (
    Decimal,
    InvalidOperation,  # solution 00
)
from types import UnionType

from app.errors import InvalidPrice  # solution 00

CENT = Decimal("0.01")


# >>> solution 00
def parse_price(value: str | int | Decimal) -> Decimal:
    """Return ``value`` as an exact amount of money with two decimal places.

    Accept a string ("9.99"), an int or a Decimal. Refuse a float (binary
    floats cannot hold 0.10 exactly), a negative amount, a value with more
    than two decimal places, anything that is not a number and an amount too
    large to hold to the cent (quantize raises decimal.InvalidOperation past
    the context's 28 digits, "1e27"): raise InvalidPrice with a message that
    says what was wrong.
    """
    if isinstance(value, float | bool):
        raise InvalidPrice(
            f"price {value!r} is a {type(value).__name__}; pass a string such as"
            f" '{value}' or a Decimal, because floats cannot hold cents exactly"
        )
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidPrice(f"price {value!r} is not a number") from None
    if not amount.is_finite():
        raise InvalidPrice(f"price {value!r} is not a finite amount")
    if amount < 0:
        raise InvalidPrice(f"price {value!r} is negative")
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation:
        raise InvalidPrice(
            f"price {value!r} is too large to hold to the cent"
        ) from None
    if amount != cents:
        raise InvalidPrice(f"price {value!r} has more than two decimal places")
    return cents


# <<<


# The type each field of a Product must have (besides price, which
# parse_price() checks), and how an error names it.
FIELD_TYPES: dict[str, tuple[type | UnionType, str]] = {
    "sku": (str, "text"),
    "name": (str, "text"),
    "category": (str | None, "text or nothing"),
    "created_at": (datetime, "a datetime"),
}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Product:
    """Something the store sells; ``sku`` (stock-keeping unit) identifies it."""

    sku: str
    name: str
    price: Decimal
    category: str | None = None
    created_at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        # Whatever builds a product (a form, a file, a pickle rebuilt through
        # here) gets the same checks, so a value of the wrong type never gets in.
        for name, (kind, wanted) in FIELD_TYPES.items():
            value = getattr(self, name)
            if not isinstance(value, kind):
                raise TypeError(f"{name} must be {wanted}, not {value!r}")
        self.price = parse_price(self.price)
        if not self.sku.strip():
            raise ValueError("a product needs a non-empty SKU")
