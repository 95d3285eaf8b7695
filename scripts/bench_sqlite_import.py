# workshop: since 22
"""Benchmark the store's CSV import against a raw executemany doing the same work.

    python scripts/bench_sqlite_import.py                # 20,000 rows, seconds
    python scripts/bench_sqlite_import.py --rows 100000

Fair by construction: both sides read the same CSV file as bytes and decode
it line by line, turn each price into cents and each category into its id,
and insert with one executemany() in one BEGIN IMMEDIATE transaction, on a
connection from connect() (foreign keys on) into the same schema. After each
round the two stored tables are compared: they must be equal. What the store
adds is only its checks (the fast path, product_from_fields() for the other
rows) and its error reporting. After a warm-up, rounds alternate which side
goes first; ratios are given at the best round (min) and the median one.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

from benchkit import Side, Timing, best, children_cpu, measure, ratio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sqlite.commands import export_csv, import_csv  # noqa: E402
from app.sqlite.crud import category_id  # noqa: E402
from app.sqlite.csv_import import PlainRows  # noqa: E402
from app.sqlite.db import connect, create_schema  # noqa: E402

INSERT = (
    "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
    " VALUES (?, ?, ?, ?, ?)"
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


def fresh(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    conn = connect(path)
    create_schema(conn)
    return conn


def raw_import(conn: sqlite3.Connection, feed: str | Path) -> None:
    """The least a correct import does: the same rows stored, no checks."""
    ids: dict[str | None, int | None] = {}

    def rows():
        for sku, name, price, category_cell, created_at in reader:
            if (category := category_cell or None) not in ids:
                ids[category] = category_id(conn, category)
            yield sku, name, int(Decimal(price) * 100), ids[category], created_at

    with open(feed, "rb") as source:
        reader = csv.reader(line.decode("utf-8") for line in source)
        next(reader)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT, rows())
        conn.execute("COMMIT")


def raw_script() -> str:
    """raw_import() as a whole program, to compare with `store import` as one."""
    return (
        "from __future__ import annotations\n"
        "import csv, sys\nfrom decimal import Decimal\n"
        "from app.sqlite.crud import category_id\n"
        "from app.sqlite.db import connect, create_schema\n"
        f"INSERT = {INSERT!r}\n{inspect.getsource(raw_import)}\n"
        "conn = connect(sys.argv[1])\ncreate_schema(conn)\n"
        "raw_import(conn, sys.argv[2])\n"
    )


def stored(conn: sqlite3.Connection) -> list[tuple]:
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT sku, p.name, price_cents, c.name, created_at FROM products p"
            " LEFT JOIN categories c ON c.id = category_id ORDER BY sku"
        )
    ]


def in_process(folder: Path, feed: Path, rounds: int) -> dict[str, Timing]:
    def side(name: str, load: Callable[..., object]) -> Side:
        def prepare() -> Callable[[], object]:
            conn = fresh(folder / f"{name}.db")

            def run() -> object:
                load(conn, feed)
                return conn

            return run

        return prepare

    def same_rows(conns: dict[str, Any]) -> None:
        tables = [stored(conn) for conn in conns.values()]
        for conn in conns.values():
            conn.close()
        assert all(table == tables[0] for table in tables), "the same rows stored"

    return measure(
        {
            "raw": side("raw", raw_import),
            "store": side("store", import_csv),
            "checked": side("checked", checked_import),
        },
        rounds,
        check=same_rows,
    )


def checked_import(conn: sqlite3.Connection, feed: Path) -> None:
    """The store's importer with its fast path off: every row is checked."""
    with mock.patch.object(PlainRows, "values", lambda self, cells: None):
        import_csv(conn, feed)


def as_processes(folder: Path, feed: Path, rounds: int) -> dict[str, Timing]:
    """`store import FILE` against raw_import() as a program of its own."""
    target = folder / "process.db"
    commands = {
        "raw": [sys.executable, "-c", raw_script(), str(target), str(feed)],
        "store": [sys.executable, "-m", "app.cli", "--db", str(target), "import", str(feed)],
    }  # fmt: skip

    def side(command: list[str]) -> Side:
        def prepare() -> Callable[[], object]:
            target.unlink(missing_ok=True)
            return lambda: subprocess.run(
                command, cwd=ROOT, check=True, capture_output=True
            )

        return prepare

    sides = {name: side(command) for name, command in commands.items()}
    return measure(sides, rounds, clock=children_cpu)


def commit_per_row(folder: Path, feed: Path, rows: int) -> float:
    """Rows per second with one transaction per row (a sample of ``rows``)."""
    conn = fresh(folder / "slow.db")
    with feed.open(encoding="utf-8", newline="") as lines:
        reader = csv.reader(lines)
        next(reader)
        sample = [next(reader) for _ in range(rows)]
    start = time.perf_counter()
    for sku, name, price, _, created_at in sample:
        conn.execute(INSERT, (sku, name, int(Decimal(price) * 100), None, created_at))
    seconds = time.perf_counter() - start
    conn.close()
    return rows / seconds


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
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    rows, rounds = options.rows, options.rounds
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        feed = folder / "feed.csv"
        write_csv(feed, rows)
        times = in_process(folder, feed, rounds)
        print(f"import of {rows:,} products, {rounds} rounds after a warm-up")
        for name, label in (
            ("raw", "raw executemany"),
            ("store", "store importer"),
            ("checked", "  without its fast path"),
        ):
            print(f"  {label:<24} {rows / best(times, name):>10,.0f} rows/s (best)")
        print(
            f"  store / raw, min / median: {ratio(times, 'store', 'raw')} (goal 1.3x)"
        )
        print(f"  without the fast path / raw: {ratio(times, 'checked', 'raw')}")
        processes = as_processes(folder, feed, rounds)
        print(
            "  `store import` / a raw script, as whole programs:"
            f" {ratio(processes, 'store', 'raw')} (goal 1.5x)"
        )
        slow_rows = max(min(rows // 20, 2_000), 1)
        slow = commit_per_row(folder, feed, slow_rows)
        print(
            f"  one commit per row ({slow_rows:,} rows): {slow:,.0f} rows/s,"
            f" {rows / best(times, 'raw') / slow:,.0f}x slower than raw"
        )
        print("export to CSV, peak Python memory (tracemalloc)")
        store = fresh(folder / "store.db")
        import_csv(store, feed)
        small = fresh(folder / "small.db")
        import_csv(small, _head(feed, folder / "small.csv", rows // 10))
        for count, conn in ((rows // 10, small), (rows, store)):
            peak = export_peak(conn, folder / "out.csv") / 1024
            print(f"  {count:>9,} rows  {peak:>8,.0f} KiB")


def _head(source: Path, target: Path, rows: int) -> Path:
    with source.open(encoding="utf-8") as lines:
        target.write_text(
            "".join(line for _, line in zip(range(rows + 1), lines, strict=False)),
            encoding="utf-8",
        )
    return target


if __name__ == "__main__":
    main()
