"""Step 18: explicit transactions; a product and its opening stock, all or nothing."""

import sqlite3
from datetime import UTC, datetime

import pytest

from app.domain import Product
from app.errors import DatabaseBusy, DuplicateSku, InvalidProduct, ProductNotFound
from app.sqlite.crud import add_product, delete_product, list_products
from app.sqlite.db import connect, create_schema, transaction
from app.sqlite.stock import add_product_with_stock, stock_of

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def path(tmp_path):
    database = tmp_path / "store.db"
    connection = connect(database)
    create_schema(connection)
    connection.close()
    return database


@pytest.fixture
def conn(path):
    connection = connect(path)
    yield connection
    connection.close()


def make(sku="TEA-001", name="Green tea", price="3.50"):
    return Product(sku=sku, name=name, price=price, category="tea", created_at=WHEN)


def skus_seen_by_another_connection(path):
    other = connect(path)
    try:
        return [p.sku for p in list_products(other)]
    finally:
        other.close()


def test_a_transaction_commits_when_the_block_ends(conn, path):
    with transaction(conn):
        add_product(conn, make(sku="A-1"))
        add_product(conn, make(sku="A-2"))
        assert conn.in_transaction
        assert skus_seen_by_another_connection(path) == []
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == ["A-1", "A-2"]


def test_a_failing_block_is_rolled_back_and_its_error_raised_as_it_was(conn, path):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction(conn):
            add_product(conn, make(sku="A-1"))
            raise Boom
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == []
    with pytest.raises(sqlite3.IntegrityError):
        with transaction(conn):
            conn.execute("INSERT INTO products (sku) VALUES ('raw')")
    assert not conn.in_transaction


def test_even_a_keyboard_interrupt_rolls_the_block_back(conn, path):
    with pytest.raises(KeyboardInterrupt):
        with transaction(conn):
            add_product(conn, make(sku="A-1"))
            raise KeyboardInterrupt
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == []


def test_a_commit_that_fails_is_rolled_back_and_raised_as_a_store_error(conn, path):
    # Deferred foreign keys are checked at COMMIT, so this COMMIT fails.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    with pytest.raises(InvalidProduct):
        with transaction(conn):
            add_product(conn, make(sku="A-1"))
            conn.execute("INSERT INTO stock (product_id, quantity) VALUES (999, 1)")
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == []
    with transaction(conn):
        add_product(conn, make(sku="A-2"))
    assert skus_seen_by_another_connection(path) == ["A-2"]


def test_immediate_takes_the_write_lock_at_begin(conn, path):
    other = connect(path, timeout=0.05)
    with transaction(conn, "IMMEDIATE"):
        with pytest.raises(DatabaseBusy):
            with transaction(other, "IMMEDIATE"):
                pass
    assert not other.in_transaction
    other.close()


@pytest.mark.parametrize("mode", ["", "LATER", "DEFERRED; DROP TABLE products"])
def test_an_unknown_mode_is_refused_before_anything_runs(conn, mode):
    with pytest.raises(ValueError):
        with transaction(conn, mode):
            pass
    assert not conn.in_transaction
    assert list_products(conn) == []


def test_a_product_and_its_opening_stock_are_written_together(conn, path):
    product_id = add_product_with_stock(conn, make(), 12)
    assert isinstance(product_id, int)
    assert stock_of(conn, "TEA-001") == 12
    assert skus_seen_by_another_connection(path) == ["TEA-001"]


def test_refused_stock_takes_the_product_back_out(conn, path):
    with pytest.raises(InvalidProduct):
        add_product_with_stock(conn, make(), -1)
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == []
    assert conn.execute("SELECT count(*) FROM stock").fetchone()[0] == 0


def test_any_refusal_of_the_stock_row_takes_the_product_back_out(conn, path):
    # Not a quantity a check in Python could see: only a rollback undoes this.
    conn.execute(
        "CREATE TEMP TRIGGER no_stock BEFORE INSERT ON main.stock"
        " BEGIN SELECT RAISE(ABORT, 'no stock today'); END"
    )
    with pytest.raises(InvalidProduct):
        add_product_with_stock(conn, make(), 5)
    assert not conn.in_transaction
    assert skus_seen_by_another_connection(path) == []


def test_a_duplicate_sku_writes_no_stock_and_keeps_the_first(conn):
    add_product_with_stock(conn, make(), 5)
    with pytest.raises(DuplicateSku):
        add_product_with_stock(conn, make(name="Impostor"), 99)
    assert stock_of(conn, "TEA-001") == 5
    assert conn.execute("SELECT count(*) FROM stock").fetchone()[0] == 1


def test_stock_of_a_product_without_stock_is_zero_and_of_none_an_error(conn):
    add_product(conn, make())
    assert stock_of(conn, "TEA-001") == 0
    with pytest.raises(ProductNotFound):
        stock_of(conn, "NOPE")


def test_deleting_a_product_deletes_its_stock(conn):
    add_product_with_stock(conn, make(), 3)
    delete_product(conn, "TEA-001")
    assert conn.execute("SELECT count(*) FROM stock").fetchone()[0] == 0
