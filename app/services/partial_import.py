# workshop: since 23
"""Add many products in one transaction, keeping the good ones: savepoints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from app.domain import Product
from app.errors import (
    DuplicateSku,  # solution 23
    InvalidProduct,  # solution 23
    InvalidQuantity,
)
from app.sqlite.crud import add_product
from app.sqlite.db import transaction  # solution 23
from app.sqlite.transactions import savepoint  # solution 23


@dataclass(frozen=True)
class Rejected:
    """A product that was not added, and why (in words a person can act on)."""

    sku: str
    reason: str


def insert_product(conn: sqlite3.Connection, product: Product, quantity: int) -> None:
    """Write one product, its category (created if new) and its opening stock.

    Unlike add_product_with_stock() (step 18) it opens no transaction of its
    own, so it can run inside the caller's. If the stock row is refused, the
    category and the product are already written: the caller must undo them.
    """
    product_id = add_product(conn, product)  # DuplicateSku, InvalidProduct
    try:
        conn.execute(
            "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
            (product_id, quantity),
        )
    except sqlite3.IntegrityError:
        raise InvalidQuantity(
            f"opening stock {quantity!r} for SKU {product.sku!r} must be zero or more"
        ) from None


# >>> solution 23
def add_products_keeping_good_ones(
    conn: sqlite3.Connection, items: Iterable[tuple[Product, int]]
) -> list[Rejected]:
    """Add every (product, opening stock) pair in ONE transaction.

    Each pair goes through insert_product() inside its own savepoint: a pair
    the store refuses (DuplicateSku, InvalidProduct, InvalidQuantity) is
    rolled back to its savepoint, leaving nothing of it behind (not even a
    new category), and is reported as Rejected(sku, the error's message);
    every other pair is kept and committed. Return the rejected pairs in
    input order. Any other error rolls the whole transaction back.
    """
    rejected: list[Rejected] = []
    with transaction(conn):
        for product, quantity in items:
            try:
                with savepoint(conn, "one_product"):
                    insert_product(conn, product, quantity)
            except (DuplicateSku, InvalidProduct, InvalidQuantity) as error:
                rejected.append(Rejected(product.sku, str(error)))
    return rejected


# <<<
