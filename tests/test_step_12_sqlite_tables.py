"""Step 12: tables whose constraints refuse bad products, and money kept exact."""

import sqlite3
from decimal import Decimal

import pytest

from app.domain import MAX_NAME, MAX_SKU
from app.errors import InvalidPrice
from app.sqlite.db import connect, create_schema
from app.sqlite.money import from_cents, to_cents

INSERT = (
    "INSERT INTO products (sku, name, price_cents, created_at)"
    " VALUES (:sku, :name, :price_cents, :created_at)"
)
GOOD = {
    "sku": "TEA-1",
    "name": "Green tea",
    "price_cents": 350,
    "created_at": "2026-01-01T00:00:00+00:00",
}


def count(conn):
    return conn.execute("SELECT count(*) FROM products").fetchone()[0]


def refused(conn, row):
    """The name of the constraint kind that refused ``row``, as SQLite says it."""
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(INSERT, row)
    return caught.value.sqlite_errorname


def test_create_schema_makes_the_tables_and_keeps_rows_when_run_again(conn):
    conn.execute(INSERT, GOOD)
    create_schema(conn)
    names = {r["name"] for r in conn.execute("SELECT name FROM sqlite_schema")}
    assert {"categories", "products"} <= names
    assert count(conn) == 1


def test_create_schema_finds_schema_sql_from_any_working_directory(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    fresh = connect(tmp_path / "other.db")
    create_schema(fresh)
    fresh.execute(INSERT, GOOD)
    assert count(fresh) == 1
    fresh.close()


def test_a_duplicate_sku_is_refused(conn):
    conn.execute(INSERT, GOOD)
    assert refused(conn, {**GOOD, "name": "Impostor"}) == "SQLITE_CONSTRAINT_UNIQUE"
    assert count(conn) == 1


@pytest.mark.parametrize("column", ["sku", "name", "price_cents", "created_at"])
def test_a_missing_value_is_refused(conn, column):
    assert refused(conn, {**GOOD, column: None}) == "SQLITE_CONSTRAINT_NOTNULL"
    assert count(conn) == 0


@pytest.mark.parametrize("column", ["sku", "name"])
def test_a_blank_sku_or_name_is_refused(conn, column):
    assert refused(conn, {**GOOD, column: "   "}) == "SQLITE_CONSTRAINT_CHECK"
    assert count(conn) == 0


@pytest.mark.parametrize(("column", "longest"), [("sku", MAX_SKU), ("name", MAX_NAME)])
def test_a_sku_or_name_longer_than_the_rules_allow_is_refused(conn, column, longest):
    too_long = {**GOOD, column: "X" * (longest + 1)}
    assert refused(conn, too_long) == "SQLITE_CONSTRAINT_CHECK"
    conn.execute(INSERT, {**GOOD, column: "X" * longest})
    assert count(conn) == 1


def test_a_negative_price_is_refused(conn):
    assert refused(conn, {**GOOD, "price_cents": -1}) == "SQLITE_CONSTRAINT_CHECK"
    assert count(conn) == 0


@pytest.mark.parametrize("price", [3.5, "3.50", "free"])
def test_a_price_that_is_not_whole_cents_is_refused(conn, price):
    assert refused(conn, {**GOOD, "price_cents": price}) == "SQLITE_CONSTRAINT_CHECK"
    assert count(conn) == 0


def test_a_price_is_stored_as_an_integer_and_read_back_exactly(conn):
    conn.execute(INSERT, {**GOOD, "price_cents": to_cents(Decimal("1234567.89"))})
    row = conn.execute("SELECT price_cents, typeof(price_cents) AS t FROM products")
    stored = row.fetchone()
    assert stored["t"] == "integer"
    assert from_cents(stored["price_cents"]) == Decimal("1234567.89")


@pytest.mark.parametrize(
    ("price", "cents"),
    [("0.00", 0), ("0.10", 10), ("3.50", 350), ("19.99", 1999), ("1e3", 100000)],
)
def test_cents_convert_exactly_both_ways(price, cents):
    assert to_cents(Decimal(price)) == cents
    back = from_cents(cents)
    assert back == Decimal(price)
    assert str(back) == f"{Decimal(price):.2f}"


@pytest.mark.parametrize("price", ["0.005", "3.501", "19.999"])
def test_a_fraction_of_a_cent_is_refused_not_rounded(price):
    with pytest.raises(InvalidPrice):
        to_cents(Decimal(price))


@pytest.mark.parametrize("cents", [3.5, 350.0, "350", Decimal("350")])
def test_anything_but_an_int_from_the_database_is_not_taken_for_cents(cents):
    with pytest.raises(InvalidPrice):
        from_cents(cents)
