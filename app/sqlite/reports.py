# workshop: since 20
"""Figures about the catalog: counts, average price and stock value, to the cent."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,  # solution 20
    Decimal,
)

from app.domain import CENT  # solution 20
from app.sqlite.money import from_cents  # solution 20


@dataclass(frozen=True)
class Figures:
    """What the report says about a group of products."""

    products: int
    average_price: Decimal | None  # None when there are no products
    stock_value: Decimal  # the sum of price x quantity in stock


# >>> solution 20
def average_price(total_cents: int, count: int) -> Decimal | None:
    """The mean of ``count`` prices that add up to ``total_cents``, rounded
    half up to the cent; None when ``count`` is 0. Integers in, Decimal out:
    SQLite's AVG() would go through a float and can lose cents."""
    if count == 0:
        return None
    mean = Decimal(total_cents) / count / 100
    return mean.quantize(CENT, rounding=ROUND_HALF_UP)


def category_figures(conn: sqlite3.Connection) -> dict[str | None, Figures]:
    """Figures for each category that has products, ordered by name, and for
    the uncategorised ones last (under None): one query, COUNT and SUM of
    integer cents with GROUP BY, LEFT JOINed to categories and stock."""
    rows = conn.execute(
        "SELECT c.name AS category, COUNT(*) AS products,"
        " SUM(p.price_cents) AS price_cents,"
        " COALESCE(SUM(p.price_cents * s.quantity), 0) AS stock_cents"
        " FROM products AS p"
        " LEFT JOIN categories AS c ON c.id = p.category_id"
        " LEFT JOIN stock AS s ON s.product_id = p.id"
        " GROUP BY p.category_id ORDER BY c.name IS NULL, c.name"
    )
    return {row["category"]: _figures(row) for row in rows}


def totals(conn: sqlite3.Connection) -> Figures:
    """The same figures for the whole catalog (0 products when empty)."""
    row = conn.execute(
        "SELECT COUNT(*) AS products,"
        " COALESCE(SUM(p.price_cents), 0) AS price_cents,"
        " COALESCE(SUM(p.price_cents * s.quantity), 0) AS stock_cents"
        " FROM products AS p LEFT JOIN stock AS s ON s.product_id = p.id"
    ).fetchone()
    return _figures(row)


def _figures(row: sqlite3.Row) -> Figures:
    """Figures from a row of products, price_cents and stock_cents."""
    return Figures(
        products=row["products"],
        average_price=average_price(row["price_cents"], row["products"]),
        stock_value=from_cents(row["stock_cents"]),
    )


# <<<
