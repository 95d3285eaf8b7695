# workshop: since 19
"""Products with their categories: JOIN queries over two tables."""

from __future__ import annotations

import sqlite3
from itertools import groupby  # solution 19

from app.domain import Product
from app.sqlite.crud import product_from_row  # solution 19

# The columns product_from_row() reads, from products AS p and categories AS c.
COLUMNS = "p.sku, p.name, p.price_cents, p.created_at, c.name AS category"


# >>> solution 19
def products_in_category(conn: sqlite3.Connection, category: str) -> list[Product]:
    """The products of the category called ``category``, ordered by SKU
    (an inner JOIN: only rows that match on both sides); [] if none."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM products AS p"
        " JOIN categories AS c ON c.id = p.category_id"
        " WHERE c.name = ? ORDER BY p.sku",
        (category,),
    )
    return [product_from_row(row) for row in rows]


def catalog(conn: sqlite3.Connection) -> list[tuple[str | None, list[Product]]]:
    """Every product under its category's name, categories ordered by name,
    products by SKU, and the uncategorised ones last under None: one query,
    with a LEFT JOIN so that products without a category are kept."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM products AS p"
        " LEFT JOIN categories AS c ON c.id = p.category_id"
        " ORDER BY c.name IS NULL, c.name, p.sku"
    )
    return [
        (name, [product_from_row(row) for row in group])
        for name, group in groupby(rows, key=lambda row: row["category"])
    ]


def empty_categories(conn: sqlite3.Connection) -> list[str]:
    """Names of the categories that no product uses, ordered by name (a LEFT
    JOIN from categories that keeps only the rows with no product)."""
    rows = conn.execute(
        "SELECT c.name FROM categories AS c"
        " LEFT JOIN products AS p ON p.category_id = c.id"
        " WHERE p.id IS NULL ORDER BY c.name"
    )
    return [row["name"] for row in rows]


# <<<
