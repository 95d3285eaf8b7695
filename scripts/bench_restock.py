# workshop: since 25
"""Why a batch goes in one transaction: one commit versus one commit per line.

Run:  python scripts/bench_restock.py             (500 lines, about a second)
      python scripts/bench_restock.py --rows 5000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from app.domain import Product
from app.services.partial_import import insert_product
from app.services.restock import restock
from app.sqlite.db import connect, create_schema

PRODUCTS = 50


def fresh_store(path: Path):
    conn = connect(path)
    create_schema(conn)
    for n in range(PRODUCTS):
        insert_product(
            conn, Product(sku=f"SKU-{n}", name=f"Item {n}", price=Decimal("1")), 0
        )
    return conn


def timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:8.3f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500, help="delivery lines")
    rows = parser.parse_args().rows
    lines = [(f"SKU-{n % PRODUCTS}", 1) for n in range(rows)]
    with tempfile.TemporaryDirectory() as folder:
        one = fresh_store(Path(folder) / "one.db")
        many = fresh_store(Path(folder) / "many.db")
        print(f"booking {rows} delivery lines into a file database")
        batch = timed("one transaction (restock once)", lambda: restock(one, lines))
        single = timed(
            "a transaction per line", lambda: [restock(many, [line]) for line in lines]
        )
        one.close()
        many.close()
    print(f"one transaction is {single / batch:.0f}x faster: each COMMIT waits for")
    print("the disk (fsync), so commit once per batch, not once per row")


if __name__ == "__main__":
    main()
