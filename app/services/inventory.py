# workshop: since 27
"""Reserving stock for an order while many buyers check out at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from app.domain import utc_now  # solution 27
from app.errors import (
    CustomerNotFound,  # solution 27
    OrderNotFound,
    OrderNotReserved,
    OutOfStock,  # solution 27
    ProductNotFound,  # solution 27
)
from app.services.orders import check_lines  # solution 27
from app.sqlite.concurrency import run_in_transaction


def cancel_reservation(conn: sqlite3.Connection, order_id: int) -> None:
    """Put a reserved order's items back on the shelf and mark it cancelled.

    OrderNotFound if there is no such order; OrderNotReserved if it is not a
    reservation (any more): cancelling twice never restocks twice.
    """

    def work(conn: sqlite3.Connection) -> None:
        # The status change is the guard: only one cancel can flip it.
        if not conn.execute(
            "UPDATE orders SET status = 'cancelled' WHERE id = ? AND status = 'reserved'",
            (order_id,),
        ).rowcount:
            row = conn.execute(
                "SELECT status FROM orders WHERE id = ?", (order_id,)
            ).fetchone()
            if row is None:
                raise OrderNotFound(f"there is no order {order_id}")
            raise OrderNotReserved(order_id, row["status"])
        conn.execute(
            "UPDATE stock SET quantity = stock.quantity + item.quantity"
            " FROM order_items AS item"
            " WHERE item.order_id = ? AND item.product_id = stock.product_id",
            (order_id,),
        )

    run_in_transaction(conn, work)


# >>> solution 27
def reserve(
    conn: sqlite3.Connection, customer_id: int, lines: Mapping[str, int]
) -> int:
    """Reserve ``lines`` (SKU -> quantity) for a customer; return the order id.

    Check the whole basket first: every SKU exists (ProductNotFound) and has
    enough stock (OutOfStock naming the first short SKU). Only then write:
    an order with status 'reserved', its items at today's prices, and the
    stock taken off the shelf. Checks and writes run in ONE transaction that
    begins IMMEDIATE (run_in_transaction), so no other buyer can change the
    stock between the check and the write. InvalidQuantity and
    CustomerNotFound as in place_order().
    """
    wanted = check_lines(lines)

    def work(conn: sqlite3.Connection) -> int:
        basket = []
        for sku, quantity in wanted.items():
            row = conn.execute(
                "SELECT products.id, price_cents, COALESCE(quantity, 0) AS on_hand"
                " FROM products LEFT JOIN stock ON stock.product_id = products.id"
                " WHERE sku = ?",
                (sku,),
            ).fetchone()
            if row is None:
                raise ProductNotFound(
                    f"no product has SKU {sku!r}; nothing reserved", skus=[sku]
                )
            if row["on_hand"] < quantity:
                raise OutOfStock(sku, quantity, row["on_hand"])
            basket.append((row["id"], quantity, row["price_cents"]))
        try:
            order_id = conn.execute(
                "INSERT INTO orders (customer_id, status, created_at)"
                " VALUES (?, 'reserved', ?)",
                (customer_id, utc_now().isoformat()),
            ).lastrowid
        except sqlite3.IntegrityError:
            raise CustomerNotFound(customer_id) from None
        for product_id, quantity, price_cents in basket:
            # No "AND quantity >= ?" needed: we have held the write lock since
            # BEGIN IMMEDIATE, so the stock is still what we just read.
            conn.execute(
                "UPDATE stock SET quantity = quantity - ? WHERE product_id = ?",
                (quantity, product_id),
            )
            conn.execute(
                "INSERT INTO order_items"
                " (order_id, product_id, quantity, unit_price_cents)"
                " VALUES (?, ?, ?, ?)",
                (order_id, product_id, quantity, price_cents),
            )
        assert order_id is not None
        return order_id

    return run_in_transaction(conn, work)


# <<<
