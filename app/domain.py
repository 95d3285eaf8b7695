"""Plain domain objects of the store and the rules they keep: no files, no databases."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import (
    Decimal,
    InvalidOperation,  # solution 00
)
from typing import Any

from app.errors import InvalidPrice, InvalidProduct, InvalidSearch

CENT = Decimal("0.01")

# The product rules, in one place: every backend, the CSV import, the Pydantic
# schemas and the database constraints follow them (tests check each one).
MAX_SKU = 40
SKU_FORM = rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_SKU - 1}}}"
SKU = re.compile(SKU_FORM)
MAX_NAME = 200
MAX_CATEGORY = 100
# Far above any real price, far below what a 64-bit INTEGER of cents holds:
# a price this high is a typo (or an attack), not a product.
MAX_PRICE = Decimal("1000000.00")
# Longer than any name or SKU, even casefolded (casefold() at most triples a
# text: "ΐ" becomes three characters), so refusing a longer search loses no
# match; and far below the 50,000 bytes SQLite's LIKE takes as a pattern.
MAX_SEARCH = 1000


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
def is_whole_number(value: object, minimum: int = 0) -> bool:
    """True for an int (never a bool, never 2.0) of at least ``minimum``."""
    return type(value) is int and value >= minimum


def check_sku(value: object) -> str:
    """``value`` without surrounding spaces if it is a SKU, else InvalidProduct."""
    sku = value.strip() if isinstance(value, str) else value
    if not isinstance(sku, str) or not SKU.fullmatch(sku):
        raise _refused(
            "sku",
            f"sku {value!r} must be 1-{MAX_SKU} letters, digits, '.', '_' or '-',"
            " starting with a letter or digit",
        )
    return sku


def check_name(value: object) -> str:
    """``value`` without surrounding spaces if it is a product's name."""
    return _text("name", value, MAX_NAME)


def check_category(value: object) -> str | None:
    """``value`` without surrounding spaces if it names a category; None stays."""
    return None if value is None else _text("category", value, MAX_CATEGORY)


def check_price(value: str | int | Decimal) -> Decimal:
    """``value`` as a product's price: parse_price(), at most MAX_PRICE."""
    price = parse_price(value)
    if price > MAX_PRICE:
        raise InvalidPrice(f"price {price} is more than {MAX_PRICE}; is it a typo?")
    return price


def check_created_at(value: object) -> datetime:
    """``value`` if it is a datetime with a UTC offset (an instant)."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise _refused(
            "created_at", f"created_at {value!r} must be a datetime with a UTC offset"
        )
    return value


def _text(field_name: str, value: object, longest: int) -> str:
    text = value.strip() if isinstance(value, str) else None
    # PostgreSQL's text cannot hold NUL ("\x00"), so no backend takes it.
    if not text or len(text) > longest or "\x00" in text:
        raise _refused(
            field_name,
            f"{field_name} {value!r} must be 1-{longest} characters, not blank,"
            " without NUL",
        )
    return text


def _refused(field_name: str, message: str) -> InvalidProduct:
    return InvalidProduct(message, fields={field_name: message})


def search_key(text: str) -> str:
    """``text`` as every backend compares it: casefolded (str.casefold()).

    A search matches a product whose casefolded name or SKU contains it, every
    character literal; a text of more than MAX_SEARCH characters is InvalidSearch.
    """
    if len(text) > MAX_SEARCH:
        raise InvalidSearch(
            f"the search text has {len(text):,} characters; search for at most"
            f" {MAX_SEARCH:,}"
        )
    return text.casefold()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Product:
    """Something the store sells; ``sku`` (stock-keeping unit) identifies it.

    Every field is checked when it is set, by the constructor or later, so a
    Product always keeps the rules above: InvalidProduct or InvalidPrice if not.
    """

    sku: str
    name: str
    price: Decimal
    category: str | None = None
    created_at: datetime = field(default_factory=utc_now)

    def __setattr__(self, name: str, value: object) -> None:
        check = FIELD_CHECKS.get(name)
        super().__setattr__(name, value if check is None else check(value))


FIELD_CHECKS: dict[str, Callable[[Any], object]] = {
    "sku": check_sku,
    "name": check_name,
    "price": check_price,
    "category": check_category,
    "created_at": check_created_at,
}
