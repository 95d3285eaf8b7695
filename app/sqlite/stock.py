# workshop: since 18
"""Stock levels: how many of each product the store holds."""

from __future__ import annotations

import sqlite3

from app.domain import Product
from app.errors import ProductNotFound  # solution 18
from app.sqlite.crud import add_product  # solution 18
from app.sqlite.db import transaction  # solution 18
from app.sqlite.errors import store_error  # solution 18


# >>> solution 18
def add_product_with_stock(
    conn: sqlite3.Connection, product: Product, quantity: int
) -> int:
    """Add ``product`` with ``quantity`` in stock, in one transaction: the
    product and its stock row are written together or not at all. Return the
    product's id. The database's CHECK refuses a negative quantity (raised as
    store_error()), and then the product must be gone too."""
    with transaction(conn, "IMMEDIATE"):
        product_id = add_product(conn, product)
        try:
            conn.execute(
                "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
                (product_id, quantity),
            )
        except sqlite3.Error as error:
            raise store_error(error, product.sku) from None
    return product_id


def stock_of(conn: sqlite3.Connection, sku: str) -> int:
    """How many of product ``sku`` are in stock: 0 when it has no stock row,
    ProductNotFound when there is no such product."""
    row = conn.execute(
        "SELECT (SELECT quantity FROM stock WHERE product_id = products.id)"
        " AS quantity FROM products WHERE sku = ?",
        (sku,),
    ).fetchone()
    if row is None:
        raise ProductNotFound(skus=[sku])
    return row["quantity"] or 0


# <<<
