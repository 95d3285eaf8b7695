"""Step 15: database errors become the store's own; the connection stays usable."""

import sqlite3
from datetime import UTC, datetime

import pytest

from app.domain import Product
from app.errors import DatabaseBusy, DuplicateSku, InvalidProduct
from app.sqlite.crud import add_product, get_product, list_products, update_product
from app.sqlite.db import connect, create_schema
from app.sqlite.errors import store_error
from app.sqlite.repository import SqliteProductRepository

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(sku="TEA-001", name="Green tea", price="3.50", category="tea"):
    return Product(sku=sku, name=name, price=price, category=category, created_at=WHEN)


def sqlite_error(conn, sql, *params):
    """The error SQLite raises for ``sql``, as the store would meet it."""
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute(sql, params)
    return caught.value


def test_a_duplicate_sku_raises_duplicate_sku_and_keeps_the_first(conn):
    add_product(conn, make())
    with pytest.raises(DuplicateSku) as caught:
        add_product(conn, make(name="Impostor"))
    assert "TEA-001" in str(caught.value)  # the task: the message names the SKU
    assert list_products(conn) == [make()]


def test_after_an_error_no_transaction_is_open_and_the_next_write_lands(conn, tmp_path):
    add_product(conn, make())
    with pytest.raises(DuplicateSku):
        add_product(conn, make())
    assert not conn.in_transaction
    add_product(conn, make(sku="TEA-002"))
    other = connect(tmp_path / "store.db")
    assert [p.sku for p in list_products(other)] == ["TEA-001", "TEA-002"]
    other.close()


def test_the_repository_raises_duplicate_sku_too(conn):
    repo = SqliteProductRepository(conn)
    repo.add(make())
    with pytest.raises(DuplicateSku):
        repo.add(make())


def test_a_product_the_database_refuses_is_invalid_product(conn):
    with pytest.raises(InvalidProduct):
        add_product(conn, make(name="   "))
    assert list_products(conn) == []
    add_product(conn, make())
    with pytest.raises(InvalidProduct):
        update_product(conn, make(name=""))
    assert get_product(conn, "TEA-001") == make()


def test_a_locked_database_is_a_clear_error_and_nothing_is_lost(tmp_path):
    path = tmp_path / "store.db"
    writer = connect(path)
    create_schema(writer)
    conn = connect(path, timeout=0.05)
    writer.execute("BEGIN IMMEDIATE")
    add_product(writer, make(sku="THEIRS"))
    with pytest.raises(DatabaseBusy):
        add_product(conn, make(sku="MINE"))
    assert not conn.in_transaction
    writer.execute("COMMIT")
    add_product(conn, make(sku="MINE"))
    assert [p.sku for p in list_products(conn)] == ["MINE", "THEIRS"]
    writer.close()
    conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO products (sku, name, price_cents, created_at)"
        " VALUES ('TEA-9', NULL, 1, '2026-01-01')",  # NOT NULL
        "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
        " VALUES ('TEA-9', 'Tea', 1, 999, '2026-01-01')",  # FOREIGN KEY
        "INSERT INTO categories (name) VALUES ('tea')",  # UNIQUE, not products.sku
    ],
    ids=["not-null", "foreign-key", "unique-category-name"],
)
def test_every_other_constraint_is_invalid_product(conn, sql):
    conn.execute("INSERT INTO categories (name) VALUES ('tea')")
    error = sqlite_error(conn, sql)
    assert error.sqlite_errorname.startswith("SQLITE_CONSTRAINT_")
    assert isinstance(store_error(error, "TEA-9"), InvalidProduct)


def test_a_message_that_looks_like_a_duplicate_sku_is_not_one(conn):
    # A trigger's RAISE() is a constraint failure (SQLITE_CONSTRAINT_TRIGGER)
    # whose message says whatever the trigger wants: decide by the code.
    conn.execute(
        "CREATE TRIGGER trap BEFORE INSERT ON products WHEN NEW.name = 'trap'"
        " BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: products.sku'); END"
    )
    with pytest.raises(InvalidProduct):
        add_product(conn, make(name="trap"))
    assert list_products(conn) == []


def test_a_table_that_is_locked_by_a_pending_read_is_database_busy(conn):
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("INSERT INTO scratch VALUES (1), (2)")
    reading = conn.execute("SELECT x FROM scratch")
    reading.fetchone()  # the SELECT is still running
    error = sqlite_error(conn, "DROP TABLE scratch")
    reading.fetchall()
    assert error.sqlite_errorname == "SQLITE_LOCKED"
    assert isinstance(store_error(error), DatabaseBusy)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM no_such_table",
        "SELECT * FROM locked_out",  # a bug, whatever its message says
        'SELECT * FROM "UNIQUE constraint failed: products.sku"',
        "SELECT * FROM products WHERE CHECK_ME = 1",
    ],
)
def test_an_error_that_is_not_about_the_data_is_left_as_it_is(conn, sql):
    error = sqlite_error(conn, sql)
    assert error.sqlite_errorname == "SQLITE_ERROR"
    assert store_error(error) is error
    assert store_error(error, "TEA-001") is error


def test_an_error_without_a_result_code_is_left_as_it_is(conn):
    conn.close()
    with pytest.raises(sqlite3.ProgrammingError) as caught:
        conn.execute("SELECT 1")  # the module's own error: no sqlite_errorname
    assert store_error(caught.value, "TEA-001") is caught.value
