# workshop: since 31
"""Catalogue queries and set-based changes with select(), update() and delete()."""

from __future__ import annotations

from decimal import Decimal
from typing import (
    Any,  # solution 31
    Literal,
    cast,  # solution 31
)

from sqlalchemy import (
    CursorResult,  # solution 31
    ScalarSelect,
    delete,  # solution 31
    select,
    update,  # solution 31
)
from sqlalchemy.orm import Session

from app.domain import Product
from app.orm import models
from app.orm.repository import (  # solution 31
    product_rows,  # solution 31
    search_condition,  # solution 31
    to_domain,  # solution 31
)  # solution 31

SortKey = Literal["sku", "name", "price", "newest"]
SORTS = {
    "sku": models.Product.sku,
    "name": models.Product.name,
    "price": models.Product.price,
    "newest": models.Product.created_at.desc(),
}


def category_id_of(name: str) -> ScalarSelect[int]:
    """A subquery for the id of the category called ``name``, for WHERE clauses."""
    return (
        select(models.Category.id).where(models.Category.name == name).scalar_subquery()
    )


# >>> solution 31
def find_products(
    session: Session,
    *,
    category: str | None = None,
    max_price: Decimal | None = None,
    text: str | None = None,
    order_by: SortKey = "sku",
    limit: int | None = None,
    offset: int = 0,
) -> list[Product]:
    """Products matching every filter given, sorted (ties by SKU), one page of them."""
    if order_by not in SORTS:
        raise ValueError(f"order_by must be one of {sorted(SORTS)}, not {order_by!r}")
    statement = product_rows()
    if category is not None:
        statement = statement.where(models.Category.name == category)
    if max_price is not None:
        statement = statement.where(models.Product.price <= max_price)
    if text:
        statement = statement.where(search_condition(text))
    statement = (
        statement.order_by(SORTS[order_by], models.Product.sku)
        .limit(limit)
        .offset(offset)
    )
    return [to_domain(*row) for row in session.execute(statement)]


def reprice_category(session: Session, category: str, percent: Decimal) -> int:
    """Change every price in ``category`` by ``percent`` (10 is +10 %), rounded
    to the cent, in one UPDATE statement; return how many products changed."""
    if percent <= -100:
        raise ValueError(f"a change of {percent} % would make prices zero or negative")
    factor = (Decimal(100) + Decimal(percent)) / 100
    result = session.execute(
        update(models.Product)
        .where(models.Product.category_id == category_id_of(category))
        .values(price=models.money_times(models.Product.price, factor))
    )
    return cast("CursorResult[Any]", result).rowcount


def delete_category_products(session: Session, category: str) -> int:
    """Delete every product of ``category`` in one DELETE; return how many."""
    result = session.execute(
        delete(models.Product).where(
            models.Product.category_id == category_id_of(category)
        )
    )
    return cast("CursorResult[Any]", result).rowcount


# <<<
