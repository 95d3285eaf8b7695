# workshop: since 32
"""Orders with their items and products: relationships, loaded eagerly, never lazily."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select  # solution 32
from sqlalchemy.orm import (
    Session,
    selectinload,  # solution 32
)

from app.domain import utc_now  # solution 32
from app.errors import ProductNotFound  # solution 32
from app.orm import models


# >>> solution 32
def place_order(
    session: Session, *, customer: str, lines: Mapping[str, int]
) -> models.Order:
    """A new order, one item per SKU at today's price; flushed, not committed.

    ValueError for no lines or a quantity below 1; ProductNotFound naming every
    unknown SKU. Nothing is added to the session when either is raised.
    """
    if not lines:
        raise ValueError("an order needs at least one line")
    if bad := sorted(sku for sku, quantity in lines.items() if quantity < 1):
        raise ValueError(f"quantities must be 1 or more; fix {', '.join(bad)}")
    products = {
        product.sku: product
        for product in session.scalars(
            select(models.Product).where(models.Product.sku.in_(list(lines)))
        )
    }
    if missing := sorted(set(lines) - set(products)):
        raise ProductNotFound(skus=missing)
    order = models.Order(
        customer=customer,
        placed_at=utc_now(),
        items=[
            models.OrderItem(
                product=products[sku], quantity=quantity, unit_price=products[sku].price
            )
            for sku, quantity in lines.items()
        ],
    )
    session.add(order)
    session.flush()
    return order


def list_orders(session: Session) -> list[models.Order]:
    """Every order, oldest first, with its items and their products loaded:
    one query per level and per 500 distinct keys at that level (selectinload
    puts at most 500 keys in each IN list), never one per row."""
    statement = (
        select(models.Order)
        .options(
            selectinload(models.Order.items).selectinload(models.OrderItem.product)
        )
        .order_by(models.Order.id)
    )
    return list(session.scalars(statement))


def order_total(order: models.Order) -> Decimal:
    """What the order costs: the sum of quantity x unit price (items loaded)."""
    return sum(
        (item.unit_price * item.quantity for item in order.items), Decimal("0.00")
    )


def category_with_products(session: Session, name: str) -> models.Category | None:
    """The category called ``name`` with its products loaded, or None."""
    return session.scalar(
        select(models.Category)
        .where(models.Category.name == name)
        .options(selectinload(models.Category.products))
    )


# <<<
