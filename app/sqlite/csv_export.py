# workshop: since 21
"""The catalog as CSV, streamed row by row: memory stays flat however big it is."""

from __future__ import annotations

import csv  # solution 21
import sqlite3
from typing import TextIO

from app.sqlite.money import from_cents  # solution 21

COLUMNS = ("sku", "name", "price", "category", "created_at")


# >>> solution 21
def export_products(conn: sqlite3.Connection, out: TextIO) -> int:
    """Write the catalog to ``out`` as CSV: a header of COLUMNS, then one row
    per product ordered by SKU (price as "3.50", no category as an empty
    cell). Return how many products were written. Iterate the cursor, so
    only one row at a time is in memory, whatever the size of the table."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = conn.execute(
        "SELECT p.sku, p.name, p.price_cents, c.name AS category, p.created_at"
        " FROM products AS p LEFT JOIN categories AS c ON c.id = p.category_id"
        " ORDER BY p.sku"
    )
    count = 0
    for row in rows:
        writer.writerow(
            (
                row["sku"],
                row["name"],
                from_cents(row["price_cents"]),
                row["category"],
                row["created_at"],
            )
        )
        count += 1
    return count


# <<<
