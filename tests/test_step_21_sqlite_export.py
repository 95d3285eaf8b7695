"""Step 21: the catalog streamed to CSV, one row in memory at a time."""

import csv
import io
import sqlite3
import tracemalloc
from datetime import UTC, datetime

import pytest

from app.domain import Product
from app.sqlite.commands import export_csv
from app.sqlite.crud import add_product
from app.sqlite.csv_export import COLUMNS, export_products

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(sku, name="Tea", price="3.50", category="tea"):
    return Product(sku=sku, name=name, price=price, category=category, created_at=WHEN)


def read_back(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_export_has_a_header_and_one_row_per_product_by_sku(conn):
    add_product(conn, make("B-2", price="0.10"))
    add_product(conn, make("A-1", category=None))
    out = io.StringIO(newline="")
    assert export_products(conn, out) == 2
    assert read_back(out.getvalue()) == [
        list(COLUMNS),
        ["A-1", "Tea", "3.50", "", WHEN.isoformat()],
        ["B-2", "Tea", "0.10", "tea", WHEN.isoformat()],
    ]


def test_names_with_commas_quotes_newlines_and_unicode_survive(conn):
    name = 'Thé "vert", 緑茶\nsecond line'
    add_product(conn, make("A-1", name=name, category="a, b"))
    out = io.StringIO(newline="")
    export_products(conn, out)
    assert read_back(out.getvalue())[1][1:4] == [name, "3.50", "a, b"]


def test_an_empty_catalog_exports_just_the_header(conn):
    out = io.StringIO(newline="")
    assert export_products(conn, out) == 0
    assert read_back(out.getvalue()) == [list(COLUMNS)]


class Sink:
    """A file that keeps nothing, so only the export's own memory counts."""

    def write(self, text):
        return len(text)


def peak_memory_of_export(conn):
    tracemalloc.start()
    try:
        export_products(conn, Sink())  # type: ignore[arg-type]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def fill(conn, start, stop):
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO products (sku, name, price_cents, created_at) VALUES (?, ?, ?, ?)",
        (
            (f"SKU-{i:06d}", f"Product {i}", i, WHEN.isoformat())
            for i in range(start, stop)
        ),
    )
    conn.execute("COMMIT")


class Watched:
    """A connection whose cursors count the rows they hand to Python."""

    def __init__(self, conn):
        self.conn, self.fetched = conn, 0

    def execute(self, *args):
        return WatchedCursor(self, self.conn.execute(*args))

    def cursor(self, *args):
        return WatchedCursor(self, self.conn.cursor(*args))

    def __getattr__(self, name):
        return getattr(self.conn, name)


class WatchedCursor:
    def __init__(self, watched, cursor):
        self.watched, self.cursor = watched, cursor

    def counted(self, rows):
        self.watched.fetched += len(rows)
        return rows

    def execute(self, *args):
        self.cursor.execute(*args)
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.counted([next(self.cursor)])[0]

    def fetchone(self):
        row = self.cursor.fetchone()
        return row if row is None else self.counted([row])[0]

    def fetchmany(self, size=None):
        return self.counted(self.cursor.fetchmany(size or self.cursor.arraysize))

    def fetchall(self):
        return self.counted(self.cursor.fetchall())

    def __getattr__(self, name):
        return getattr(self.cursor, name)


class Lines:
    """A file that notes, for each line written, how many rows were fetched."""

    def __init__(self, watched):
        self.watched, self.ahead = watched, []

    def write(self, text):
        self.ahead.append(self.watched.fetched - len(self.ahead))
        return len(text)


def test_each_row_is_written_before_many_more_are_fetched(conn):
    fill(conn, 0, 5_000)
    watched = Watched(conn)
    out = Lines(watched)
    assert export_products(watched, out) == 5_000  # type: ignore[arg-type]
    assert watched.fetched == 5_000
    # A row is written soon after it is fetched: at most a batch of rows
    # (fetchmany) is ever held, never the whole table (fetchall).
    assert max(out.ahead) <= 1_000


def test_memory_stays_flat_as_the_table_grows(conn):
    fill(conn, 0, 2_000)
    small = peak_memory_of_export(conn)
    fill(conn, 2_000, 20_000)
    large = peak_memory_of_export(conn)
    # Holding 20,000 rows (fetchall) takes about 8 MB; a streamed export
    # needs the same small amount for any size.
    assert large < 1_000_000
    assert large < small + 250_000


def test_export_to_a_path_replaces_the_file_only_when_complete(conn, tmp_path):
    add_product(conn, make("A-1"))
    target = tmp_path / "catalog.csv"
    assert export_csv(conn, target) == 1
    first = target.read_bytes()
    assert first.decode("utf-8").startswith("sku,name,price")
    conn.execute("DROP TABLE products")
    with pytest.raises(sqlite3.OperationalError):
        export_csv(conn, target)
    assert target.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.csv", "store.db"]


def test_export_to_dash_writes_standard_output(conn, capsys):
    add_product(conn, make("A-1"))
    assert export_csv(conn, "-") == 1
    assert capsys.readouterr().out.splitlines()[1].startswith("A-1,Tea,3.50")
