# workshop: since 17
"""Checking raw input (a CSV row, a form) before it becomes a product."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal  # solution 17

from app.domain import (
    MAX_NAME,  # solution 17
    MAX_PRICE,  # solution 17
    MAX_SKU,  # solution 17
    SKU,  # solution 17
    Product,
    parse_price,  # solution 17
    utc_now,  # solution 17
)
from app.errors import InvalidPrice, InvalidProduct  # solution 17


# >>> solution 17
def product_from_fields(
    fields: Mapping[str, str | None], *, now: datetime | None = None
) -> Product:
    """The Product that text ``fields`` describe, or InvalidProduct.

    ``fields`` has sku, name and price, and may have category and created_at
    (a missing key, None and "" all mean "not given"); surrounding spaces are
    ignored. The rules, from app/domain.py: the SKU matches SKU; the name is
    not blank and has at most MAX_NAME characters; the price is exact money
    (parse_price) no more than MAX_PRICE; a blank category is None;
    created_at is ISO 8601 with a UTC offset, and ``now`` (default: this
    instant) when not given. InvalidProduct reports every problem at once:
    its ``fields`` maps each wrong field's name to a message naming that
    field and the fix, and its own message lists all of them. (Product()
    itself then refuses the rare rest: a NUL character, a category too long.)
    """
    # DictReader gives None for a short row's missing cells: treat as blank.
    text = {key: (value or "").strip() for key, value in fields.items() if key}
    problems: dict[str, str] = {}
    sku, name = text.get("sku", ""), text.get("name", "")
    if not sku:
        problems["sku"] = "sku is missing; every product needs one"
    elif not SKU.fullmatch(sku):
        problems["sku"] = (
            f"sku {sku!r} must be 1-{MAX_SKU} letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    if not name:
        problems["name"] = "name is missing; give the product a name"
    elif len(name) > MAX_NAME:
        problems["name"] = f"name has {len(name)} characters; at most {MAX_NAME}"
    price = Decimal(0)
    try:
        price = parse_price(text.get("price") or "")
    except InvalidPrice as error:
        problems["price"] = f"{error}; write a price like 9.99"
    if price > MAX_PRICE:
        problems["price"] = f"price {price} is more than {MAX_PRICE}; is it a typo?"
    created_at = now or utc_now()
    if stamp := text.get("created_at"):
        try:
            created_at = datetime.fromisoformat(stamp)
        except ValueError:
            problems["created_at"] = f"created_at {stamp!r} is not an ISO 8601 time"
        else:
            if created_at.utcoffset() is None:
                problems["created_at"] = (
                    f"created_at {stamp!r} has no UTC offset; add one, like +00:00"
                )
    if problems:
        raise InvalidProduct("; ".join(problems.values()), fields=problems)
    return Product(sku, name, price, text.get("category") or None, created_at)


# <<<
