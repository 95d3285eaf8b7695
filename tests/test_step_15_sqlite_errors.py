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


def test_a_duplicate_sku_raises_duplicate_sku_and_keeps_the_first(conn):
    add_product(conn, make())
    with pytest.raises(DuplicateSku, match="TEA-001"):
        add_product(conn, make(name="Impostor"))
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
    with pytest.raises(InvalidProduct, match="CHECK"):
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
    with pytest.raises(DatabaseBusy, match="locked"):
        add_product(conn, make(sku="MINE"))
    assert not conn.in_transaction
    writer.execute("COMMIT")
    add_product(conn, make(sku="MINE"))
    assert [p.sku for p in list_products(conn)] == ["MINE", "THEIRS"]
    writer.close()
    conn.close()


def test_an_error_that_is_not_about_the_data_is_left_as_it_is(conn):
    try:
        conn.execute("SELECT * FROM no_such_table")
    except sqlite3.OperationalError as error:
        assert store_error(error) is error
    else:
        pytest.fail("the query should have failed")
