# workshop: since 14
"""Searching products by name or SKU, every character of the text taken literally."""

from __future__ import annotations

import sqlite3

from app.domain import (
    Product,
    search_key,  # solution 16
)
from app.sqlite import crud  # since 14 until 16
from app.sqlite.crud import SELECT_PRODUCT, product_from_row  # solution 16


# >>> since 14 until 16
def search_products(conn: sqlite3.Connection, text: str) -> list[Product]:
    """Products whose name or SKU contains ``text``, ordered by SKU.

    A first try: parameterised, so safe from SQL injection. Good enough?
    """
    pattern = f"%{text}%"
    rows = conn.execute(
        crud.SELECT_PRODUCT + " WHERE name LIKE ? OR sku LIKE ? ORDER BY sku",
        (pattern, pattern),
    )
    return [crud.product_from_row(row) for row in rows]


# <<<
# >>> solution 16
def escape_like(text: str) -> str:
    """``text`` made literal for ``LIKE ? ESCAPE '\\'``: each of the wildcards
    ``%`` and ``_`` and the escape character ``\\`` itself gets a ``\\`` before it.
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_products(conn: sqlite3.Connection, text: str) -> list[Product]:
    """Products whose name or SKU contains ``text``, ordered by SKU.

    Every character of ``text`` is literal (escape_like()), and case is
    ignored for every alphabet, not only ASCII: compare str.casefold() of
    both sides, with casefold registered as a SQL function on ``conn``.
    """
    # SQLite's LIKE folds ASCII letters only ('É' LIKE 'é' is false), so fold
    # both sides with Python. A function lives on its connection; registering
    # it again replaces it, cheaply.
    conn.create_function("casefold", 1, str.casefold, deterministic=True)
    pattern = "%" + escape_like(search_key(text)) + "%"
    rows = conn.execute(
        SELECT_PRODUCT
        + " WHERE casefold(name) LIKE :pattern ESCAPE '\\'"
        + " OR casefold(sku) LIKE :pattern ESCAPE '\\' ORDER BY sku",
        {"pattern": pattern},
    )
    return [product_from_row(row) for row in rows]


# <<<
