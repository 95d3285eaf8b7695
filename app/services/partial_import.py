# workshop: since 23
"""Add many products in one transaction, keeping the good ones: savepoints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain import Product
from app.sqlite.cents import to_cents
from app.sqlite.db import transaction  # solution 23
from app.sqlite.transactions import savepoint  # solution 23


@dataclass(frozen=True)
class Rejected:
    """A product that was not added, and why (in words a person can act on)."""

    sku: str
    reason: str


def insert_product(conn: sqlite3.Connection, product: Product, quantity: int) -> None:
    """Write one product, its category (created if new) and its opening stock.

    Three statements: if a later one fails, the earlier ones are already
    written, so the caller must undo them (a transaction or a savepoint).
    """
    category_id = None
    if product.category is not None:
        conn.execute(
            "INSERT INTO categories (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
            (product.category,),
        )
        category_id = conn.execute(
            "SELECT id FROM categories WHERE name = ?", (product.category,)
        ).fetchone()[0]
    cursor = conn.execute(
        "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            product.sku,
            product.name,
            to_cents(product.price),
            category_id,
            product.created_at.isoformat(),
        ),
    )
    conn.execute(
        "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
        (cursor.lastrowid, quantity),
    )


def reason_for(error: sqlite3.IntegrityError, product: Product) -> str:
    """The constraint that refused ``product``, said in the store's words."""
    if error.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE":
        return f"SKU {product.sku!r} is already taken; pick another SKU"
    if error.sqlite_errorname == "SQLITE_CONSTRAINT_CHECK":
        return "the opening stock must be zero or more"
    return f"the database refused it ({error})"


# >>> solution 23
def add_products_keeping_good_ones(
    conn: sqlite3.Connection, items: Iterable[tuple[Product, int]]
) -> list[Rejected]:
    """Add every (product, opening stock) pair in ONE transaction.

    Each pair goes through insert_product() inside its own savepoint: a pair
    the database refuses (duplicate SKU, negative stock) is rolled back to
    its savepoint, leaving nothing of it behind (not even a new category),
    and is reported as Rejected; every other pair is kept and committed.
    Return the rejected pairs in input order.
    """
    rejected: list[Rejected] = []
    with transaction(conn):
        for product, quantity in items:
            try:
                with savepoint(conn, "one_product"):
                    insert_product(conn, product, quantity)
            except sqlite3.IntegrityError as error:
                rejected.append(Rejected(product.sku, reason_for(error, product)))
    return rejected


# <<<
