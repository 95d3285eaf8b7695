# workshop: since 13
"""Products in SQLite with plain functions: one parameterised statement each."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from app.domain import Product
from app.errors import ProductNotFound  # solution 13
from app.sqlite.errors import store_error  # solution 13
from app.sqlite.money import (
    from_cents,
    to_cents,  # solution 13
)

# The category's name lives in its own table: a subquery fetches it per row.
SELECT_PRODUCT = """
SELECT sku, name, price_cents, created_at,
       (SELECT name FROM categories WHERE id = products.category_id) AS category
FROM products
"""


def product_from_row(row: sqlite3.Row) -> Product:
    """The Product that a row of SELECT_PRODUCT describes."""
    return Product(
        sku=row["sku"],
        name=row["name"],
        price=from_cents(row["price_cents"]),
        category=row["category"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


def category_id(conn: sqlite3.Connection, name: str | None) -> int | None:
    """The id of the category called ``name``, created if new; None for None."""
    if name is None:
        return None
    conn.execute(
        "INSERT INTO categories (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
        (name,),
    )
    row = conn.execute("SELECT id FROM categories WHERE name = ?", (name,)).fetchone()
    return int(row["id"])


# >>> solution 13
def add_product(conn: sqlite3.Connection, product: Product) -> int:
    """Insert ``product`` (price in cents, created_at as ISO 8601, category by
    id) and return its row id. Values go in as ``?`` parameters, never pasted
    into the SQL; a sqlite3.Error is raised as store_error(error, sku)."""
    try:
        cursor = conn.execute(
            "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                product.sku,
                product.name,
                to_cents(product.price),
                category_id(conn, product.category),
                product.created_at.isoformat(),
            ),
        )
    except sqlite3.Error as error:
        raise store_error(error, product.sku) from None
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def get_product(conn: sqlite3.Connection, sku: str) -> Product:
    """The product with this SKU; ProductNotFound if there is none."""
    row = conn.execute(SELECT_PRODUCT + " WHERE sku = ?", (sku,)).fetchone()
    if row is None:
        raise ProductNotFound(skus=[sku])
    return product_from_row(row)


def list_products(conn: sqlite3.Connection) -> list[Product]:
    """Every product, ordered by SKU."""
    return [
        product_from_row(row) for row in conn.execute(SELECT_PRODUCT + " ORDER BY sku")
    ]


def update_product(conn: sqlite3.Connection, product: Product) -> None:
    """Store ``product`` over the one with its SKU; ProductNotFound if none
    (cursor.rowcount says how many rows the UPDATE changed)."""
    try:
        cursor = conn.execute(
            "UPDATE products SET name = ?, price_cents = ?, category_id = ?,"
            " created_at = ? WHERE sku = ?",
            (
                product.name,
                to_cents(product.price),
                category_id(conn, product.category),
                product.created_at.isoformat(),
                product.sku,
            ),
        )
    except sqlite3.Error as error:
        raise store_error(error, product.sku) from None
    if cursor.rowcount == 0:
        raise ProductNotFound(skus=[product.sku])


def delete_product(conn: sqlite3.Connection, sku: str) -> None:
    """Remove the product with this SKU; ProductNotFound if none."""
    try:
        cursor = conn.execute("DELETE FROM products WHERE sku = ?", (sku,))
    except sqlite3.Error as error:
        raise store_error(error, sku) from None
    if cursor.rowcount == 0:
        raise ProductNotFound(skus=[sku])


# <<<
