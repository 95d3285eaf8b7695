# workshop: since 25
"""Why a batch goes in one transaction: one commit versus one commit per line.

Run:  python scripts/bench_restock.py             (500 lines, seconds)
      python scripts/bench_restock.py --rows 5000

Both sides book the same delivery lines with restock() into a file database
that starts the same (50 products, empty stock); both stores must end with
the same stock. One transaction takes milliseconds, so it is timed again and
again (at least 20 times and half a second, at most --batches times); the
ratio is given between the best times and between the medians.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchkit import Side, measure

from app.domain import Product
from app.services.partial_import import insert_product
from app.services.restock import restock
from app.sqlite.db import connect, create_schema

PRODUCTS = 50


def fresh_store(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    conn = connect(path)
    create_schema(conn)
    for n in range(PRODUCTS):
        insert_product(
            conn, Product(sku=f"SKU-{n}", name=f"Item {n}", price=Decimal("1")), 0
        )
    return conn


def stock(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(row) for row in conn.execute("SELECT * FROM stock ORDER BY 1")]


def batch_times(folder: Path, lines: list[tuple[str, int]], most: int) -> list[float]:
    """Seconds of one restock() of every line, on a fresh store each time."""
    times: list[float] = []
    while len(times) < most and (len(times) < 20 or sum(times) < 0.5):
        conn = fresh_store(folder / "batch.db")
        start = time.perf_counter()
        restock(conn, lines)
        times.append(time.perf_counter() - start)
        conn.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500, help="delivery lines")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=200)
    options = parser.parse_args()
    lines = [(f"SKU-{n % PRODUCTS}", 1) for n in range(options.rows)]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)

        def side(label: str, book: Callable[[sqlite3.Connection], object]) -> Side:
            def prepare() -> Callable[[], object]:
                conn = fresh_store(folder / f"{label}.db")

                def run() -> sqlite3.Connection:
                    book(conn)
                    return conn

                return run

            return prepare

        def same_stock(results: dict[str, Any]) -> None:
            once, per_line = (stock(conn) for conn in results.values())
            for conn in results.values():
                conn.close()
            assert once == per_line, "both ways must book the same stock"

        timings = measure(
            {
                "one": side("one", lambda conn: restock(conn, lines)),
                "per line": side(
                    "per", lambda conn: [restock(conn, [line]) for line in lines]
                ),
            },
            options.rounds,
            same_stock,
        )
        batches = batch_times(folder, lines, options.batches)
    per_line = timings["per line"].wall
    print(f"booking {options.rows} delivery lines into a file database")
    print(
        f"  one transaction        {min(batches):8.4f} s best,"
        f" {statistics.median(batches):8.4f} s median ({len(batches)} batches)"
    )
    print(
        f"  a transaction per line {min(per_line):8.4f} s best,"
        f" {statistics.median(per_line):8.4f} s median ({len(per_line)} rounds)"
    )
    print(
        f"one transaction is {min(per_line) / min(batches):,.0f}x (best) /"
        f" {statistics.median(per_line) / statistics.median(batches):,.0f}x (median)"
        " faster"
    )
    print("each COMMIT waits for the disk (fsync): commit once per batch, not per row")


if __name__ == "__main__":
    main()
