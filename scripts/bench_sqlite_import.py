# workshop: since 22
"""Benchmark the store's CSV import against raw executemany and per-row commits.

    python scripts/bench_sqlite_import.py              # 20,000 rows, a few seconds
    python scripts/bench_sqlite_import.py --rows 100000

All figures come from one run, side by side, on fresh databases in a
temporary folder. The one-commit-per-row run uses a twentieth of the rows
(it is that slow) and its rate is compared as rows per second.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.sqlite.commands import export_csv, import_csv  # noqa: E402
from app.sqlite.db import connect, create_schema  # noqa: E402
from app.sqlite.validation import product_from_fields  # noqa: E402

INSERT = (
    "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
    " VALUES (?, ?, ?, NULL, ?)"
)
WHEN = "2026-01-01T00:00:00+00:00"


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["sku", "name", "price", "category", "created_at"])
        for i in range(rows):
            category = f"category {i % 50}" if i % 7 else ""
            writer.writerow(
                [f"SKU-{i:07d}", f"Product {i}", f"{i % 9999}.99", category, WHEN]
            )


def fresh(folder: Path, name: str) -> sqlite3.Connection:
    conn = connect(folder / f"{name}.db")
    create_schema(conn)
    return conn


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def raw_import(conn: sqlite3.Connection, feed: Path) -> None:
    """The least an import can do: read the CSV, insert it, one transaction."""
    with feed.open(encoding="utf-8", newline="") as lines:
        reader = csv.reader(lines)
        next(reader)
        conn.execute("BEGIN")
        conn.executemany(
            INSERT,
            (
                (sku, name, int(Decimal(price) * 100), created_at)
                for sku, name, price, _category, created_at in reader
            ),
        )
        conn.execute("COMMIT")


def validate_only(feed: Path) -> None:
    """What the importer does per row besides inserting it."""
    with feed.open(encoding="utf-8", newline="") as lines:
        reader = csv.reader(lines)
        header = next(reader)
        for cells in reader:
            product_from_fields(dict(zip(header, cells, strict=True)))


def raw_rows(rows: int) -> list[tuple[object, ...]]:
    return [
        (f"SKU-{i:07d}", f"Product {i}", (i % 9999) * 100 + 99, WHEN)
        for i in range(rows)
    ]


def raw_executemany(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    conn.execute("BEGIN")
    conn.executemany(INSERT, rows)
    conn.execute("COMMIT")


def commit_per_row(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    for row in rows:
        conn.execute(INSERT, row)  # autocommit: each INSERT is a transaction


def export_peak(conn: sqlite3.Connection, target: Path) -> int:
    tracemalloc.start()
    try:
        export_csv(conn, target)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    rows = parser.parse_args().rows
    slow_rows = max(rows // 20, 1)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        feed = folder / "feed.csv"
        write_csv(feed, rows)
        store = fresh(folder, "store")
        importer = timed(lambda: import_csv(store, feed))
        raw = timed(lambda: raw_import(fresh(folder, "raw"), feed))
        checks = timed(lambda: validate_only(feed))
        data = raw_rows(rows)
        bare = timed(lambda: raw_executemany(fresh(folder, "bare"), data))
        slow = timed(lambda: commit_per_row(fresh(folder, "slow"), data[:slow_rows]))
        print(f"import of {rows:,} products, rows per second (higher is better)")
        print(f"  store importer: CSV, validation   {rows / importer:>10,.0f}")
        print(f"  raw: CSV + executemany, no checks {rows / raw:>10,.0f}")
        print(f"  executemany of ready tuples only  {rows / bare:>10,.0f}")
        print(f"  one commit per row ({slow_rows:,} rows) {slow_rows / slow:>10,.0f}")
        print(f"  importer / raw time: {importer / raw:.2f}x (goal 1.5x)")
        print(f"  of which validation: {checks / rows * 1e6:.1f} us per row;")
        print(f"  importer without it / raw: {(importer - checks) / raw:.2f}x")
        print(
            f"  one commit per row is {slow / slow_rows / (bare / rows):,.0f}x slower"
        )
        print("export to CSV, peak Python memory (tracemalloc)")
        small = fresh(folder, "small")
        import_csv(small, _head(feed, folder / "small.csv", rows // 10))
        print(
            f"  {rows // 10:>9,} rows  {export_peak(small, folder / 'a.csv') / 1024:>8,.0f} KiB"
        )
        print(
            f"  {rows:>9,} rows  {export_peak(store, folder / 'b.csv') / 1024:>8,.0f} KiB"
        )


def _head(source: Path, target: Path, rows: int) -> Path:
    with source.open(encoding="utf-8") as lines:
        target.write_text(
            "".join(line for _, line in zip(range(rows + 1), lines, strict=False)),
            encoding="utf-8",
        )
    return target


if __name__ == "__main__":
    main()
