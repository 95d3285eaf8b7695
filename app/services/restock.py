# workshop: since 25
"""Restocking from a delivery: every line is booked, or none is."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.domain import (
    is_whole_number,
    utc_now,  # solution 25
)
from app.errors import (
    InvalidQuantity,
    ProductNotFound,  # solution 25
)
from app.sqlite.db import transaction  # solution 25

Line = tuple[str, int]


def check_delivery(lines: Iterable[Line]) -> list[Line]:
    """The delivery's (SKU, quantity) lines as a list, if every quantity is a
    whole number above zero; else InvalidQuantity naming the line and SKU."""
    checked = list(lines)
    if not checked:
        raise InvalidQuantity("a delivery needs at least one line")
    for line_no, (sku, quantity) in enumerate(checked, start=1):
        if not is_whole_number(quantity, minimum=1):
            raise InvalidQuantity(
                f"line {line_no}: quantity {quantity!r} for SKU {sku!r} must be a"
                " whole number above 0; nothing was restocked"
            )
    return checked


# >>> solution 25
def restock(
    conn: sqlite3.Connection, lines: Iterable[Line], note: str = "delivery"
) -> int:
    """Book a delivery of (SKU, quantity) lines and return the delivery's id.

    In ONE transaction: insert the delivery, insert all its lines with
    executemany(), and add them to stock (a product without a stock row gets
    one). A bad line raises and changes nothing at all: InvalidQuantity or
    ProductNotFound, each naming the line number and the SKU.
    """
    checked = check_delivery(lines)
    with transaction(conn):
        delivery_id = conn.execute(
            "INSERT INTO deliveries (note, created_at) VALUES (?, ?)",
            (note, utc_now().isoformat()),
        ).lastrowid
        product_ids: dict[str, int] = {}
        rows = []
        for line_no, (sku, quantity) in enumerate(checked, start=1):
            if sku not in product_ids:
                product_ids[sku] = product_id(conn, sku, line_no)
            rows.append((delivery_id, line_no, product_ids[sku], quantity))
        conn.executemany(
            "INSERT INTO delivery_lines (delivery_id, line_no, product_id, quantity)"
            " VALUES (?, ?, ?, ?)",
            rows,
        )
        # One set-based statement books every line; WHERE keeps SQLite from
        # reading ON CONFLICT as a join (see the upsert docs).
        conn.execute(
            "INSERT INTO stock (product_id, quantity)"
            " SELECT product_id, SUM(quantity) FROM delivery_lines"
            " WHERE delivery_id = ? GROUP BY product_id"
            " ON CONFLICT (product_id) DO UPDATE"
            " SET quantity = quantity + excluded.quantity",
            (delivery_id,),
        )
    assert delivery_id is not None
    return delivery_id


def product_id(conn: sqlite3.Connection, sku: str, line_no: int) -> int:
    """The id of the product with ``sku``; ProductNotFound naming the line."""
    row = conn.execute("SELECT id FROM products WHERE sku = ?", (sku,)).fetchone()
    if row is None:
        raise ProductNotFound(
            f"line {line_no}: no product has SKU {sku!r}; nothing was restocked",
            skus=[sku],
            line=line_no,
        )
    return row[0]


# <<<
