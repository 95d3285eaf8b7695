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


def unchecked(product: Product, **fields: object) -> Product:
    """``product`` with ``fields`` set around Product's own checks, as a bug
    might: what reaches the database's constraints then."""
    for name, value in fields.items():
        object.__setattr__(product, name, value)
    return product


def sqlite_error(conn: sqlite3.Connection, sql: str, *params: object) -> sqlite3.Error:
    """The error SQLite raises for ``sql``, as the store would meet it."""
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute(sql, params)
    return caught.value


def reported(kind, name, message):
    """An error as sqlite3 reports result code ``name`` (for codes a test cannot
    provoke on demand): both sqlite_errorname and the integer sqlite_errorcode."""
    error = kind(message)
    error.sqlite_errorname = name
    error.sqlite_errorcode = getattr(sqlite3, name)
    return error


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
        add_product(conn, unchecked(make(), name="   "))
    assert list_products(conn) == []
    add_product(conn, make())
    with pytest.raises(InvalidProduct):
        update_product(conn, unchecked(make(), name=""))
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
        "INSERT INTO products (id, sku, name, price_cents, created_at)"
        " VALUES (1, 'TEA-9', 'Tea', 1, '2026-01-01')",  # PRIMARY KEY: a taken id
    ],
    ids=["not-null", "foreign-key", "unique-category-name", "primary-key"],
)
def test_every_other_constraint_is_invalid_product(conn, sql):
    conn.execute("INSERT INTO categories (name) VALUES ('tea')")
    add_product(conn, make())  # id 1
    error = sqlite_error(conn, sql)
    assert error.sqlite_errorname.startswith("SQLITE_CONSTRAINT_")
    assert isinstance(store_error(error, "TEA-9"), InvalidProduct)


def test_a_taken_sku_in_another_table_is_not_a_duplicate_product(conn):
    conn.execute("CREATE TABLE labels (sku TEXT UNIQUE, text TEXT)")
    conn.execute("INSERT INTO labels VALUES ('TEA-001', 'Organic')")
    error = sqlite_error(conn, "INSERT INTO labels VALUES ('TEA-001', 'Fair')")
    assert error.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    assert isinstance(store_error(error, "TEA-001"), InvalidProduct)


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
    ("name", "message"),
    [
        ("SQLITE_BUSY_SNAPSHOT", "database is locked"),  # WAL: a stale read snapshot
        ("SQLITE_BUSY_TIMEOUT", "database is locked"),
        ("SQLITE_LOCKED_SHAREDCACHE", "database table is locked"),
    ],
)
def test_an_extended_busy_or_locked_code_is_database_busy(name, message):
    error = reported(sqlite3.OperationalError, name, message)
    assert isinstance(store_error(error, "TEA-001"), DatabaseBusy)


def test_a_read_only_database_is_not_busy_and_is_left_as_it_is(tmp_path):
    path = tmp_path / "store.db"
    writer = connect(path)
    create_schema(writer)
    writer.close()
    reader = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as caught:
        add_product(reader, make())  # retrying would never help
    reader.close()
    assert caught.value.sqlite_errorname == "SQLITE_READONLY"
    assert store_error(caught.value, "TEA-001") is caught.value


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("SQLITE_FULL", "database or disk is full"),
        ("SQLITE_IOERR_WRITE", "disk I/O error"),
        ("SQLITE_READONLY_DBMOVED", "attempt to write a readonly database"),
        ("SQLITE_CANTOPEN", "unable to open database file"),
    ],
)
def test_an_operational_error_that_is_not_a_lock_is_left_as_it_is(name, message):
    error = reported(sqlite3.OperationalError, name, message)
    assert store_error(error, "TEA-001") is error


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
