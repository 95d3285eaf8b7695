# workshop: since 24
"""Placing an order: orders, order items and stock change together or not at all."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.domain import (
    is_whole_number,
    utc_now,  # solution 24
)
from app.errors import (
    CustomerNotFound,  # solution 24
    InvalidQuantity,
    OrderNotFound,
    OutOfStock,  # solution 24
    ProductNotFound,  # solution 24
)
from app.sqlite.db import transaction  # solution 24
from app.sqlite.money import from_cents
from app.sqlite.stock import stock_of  # solution 24


@dataclass(frozen=True)
class OrderItemRow:
    """An order item as sqlite3 reads it back (with its product's SKU); the
    ORM's mapped class of step 32 is models.OrderItem."""

    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderRow:
    """An order row and its items, as load_order() reads them with sqlite3;
    the ORM's mapped class of step 32 is models.Order."""

    id: int
    customer_id: int
    status: str
    items: list[OrderItemRow]

    @property
    def total(self) -> Decimal:
        return sum((i.unit_price * i.quantity for i in self.items), Decimal("0.00"))


def check_lines(lines: Mapping[str, int]) -> dict[str, int]:
    """The order lines (SKU -> quantity) if every quantity is a whole number
    above zero; else InvalidQuantity naming the SKU. Nothing is written."""
    if not lines:
        raise InvalidQuantity("an order needs at least one line")
    for sku, quantity in lines.items():
        if not is_whole_number(quantity, minimum=1):
            raise InvalidQuantity(
                f"quantity {quantity!r} for SKU {sku!r} must be a whole number above 0"
            )
    return dict(lines)


def load_order(conn: sqlite3.Connection, order_id: int) -> OrderRow:
    """The order with its items (in SKU order); OrderNotFound if none."""
    row = conn.execute(
        "SELECT id, customer_id, status FROM orders WHERE id = ?", (order_id,)
    ).fetchone()
    if row is None:
        raise OrderNotFound(f"there is no order {order_id}")
    items = [
        OrderItemRow(sku, quantity, from_cents(cents))
        for sku, quantity, cents in conn.execute(
            "SELECT sku, quantity, unit_price_cents FROM order_items"
            " JOIN products ON products.id = product_id"
            " WHERE order_id = ? ORDER BY sku",
            (order_id,),
        )
    ]
    return OrderRow(row["id"], row["customer_id"], row["status"], items)


# >>> solution 24
def place_order(
    conn: sqlite3.Connection, customer_id: int, lines: Mapping[str, int]
) -> int:
    """Place an order for ``lines`` (SKU -> quantity) and return its id.

    In ONE transaction: insert the order (status 'placed'), and for each line
    take the quantity off stock and insert an order item that remembers the
    product's current price. Any problem raises and writes nothing at all:
    InvalidQuantity for a bad quantity, CustomerNotFound, ProductNotFound
    for an unknown SKU, OutOfStock naming the first SKU that is short.
    """
    wanted = check_lines(lines)
    with transaction(conn):
        try:
            order_id = conn.execute(
                "INSERT INTO orders (customer_id, status, created_at)"
                " VALUES (?, 'placed', ?)",
                (customer_id, utc_now().isoformat()),
            ).lastrowid
        except sqlite3.IntegrityError:
            raise CustomerNotFound(customer_id) from None
        assert order_id is not None
        for sku, quantity in wanted.items():
            take_from_stock(conn, sku, quantity, order_id)
    return order_id


def take_from_stock(
    conn: sqlite3.Connection, sku: str, quantity: int, order_id: int
) -> None:
    """Take ``quantity`` of ``sku`` off stock and add it to the order."""
    product = conn.execute(
        "SELECT id, price_cents FROM products WHERE sku = ?", (sku,)
    ).fetchone()
    if product is None:
        raise ProductNotFound(
            f"no product has SKU {sku!r}; nothing was ordered", skus=[sku]
        )
    # The condition and the change are one statement: the stock we check is
    # the stock we change, and the CHECK (quantity >= 0) is the last guard.
    taken = conn.execute(
        "UPDATE stock SET quantity = quantity - ?"
        " WHERE product_id = ? AND quantity >= ?",
        (quantity, product["id"], quantity),
    ).rowcount
    if taken == 0:
        raise OutOfStock(sku, quantity, stock_of(conn, sku))
    conn.execute(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)"
        " VALUES (?, ?, ?, ?)",
        (order_id, product["id"], quantity, product["price_cents"]),
    )


# <<<
