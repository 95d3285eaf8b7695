"""Step 13: add, get, list, update and delete products with plain functions."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import ProductNotFound
from app.sqlite.crud import (
    add_product,
    delete_product,
    get_product,
    list_products,
    update_product,
)

WHEN = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))


def statements(conn, work):
    """The SQL statements ``work()`` runs on ``conn``, as SQLite traces them."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        conn.set_trace_callback(None)
    return seen


def make(sku="TEA-001", name="Green tea", price="3.50", category="tea"):
    return Product(sku=sku, name=name, price=price, category=category, created_at=WHEN)


def test_an_added_product_reads_back_equal(conn):
    product = make(name="Thé vert 緑茶", price="1234.56")
    product_id = add_product(conn, product)
    assert isinstance(product_id, int)
    again = get_product(conn, "TEA-001")
    assert again == product
    assert again.price == Decimal("1234.56")
    assert again.created_at.utcoffset() == timedelta(hours=2)


def test_the_price_is_stored_as_integer_cents(conn):
    add_product(conn, make(price="0.10"))
    row = conn.execute("SELECT price_cents, typeof(price_cents) FROM products")
    assert tuple(row.fetchone()) == (10, "integer")


def test_products_of_one_category_share_its_row_and_none_has_no_category(conn):
    add_product(conn, make(sku="A-1"))
    add_product(conn, make(sku="A-2"))
    add_product(conn, make(sku="A-3", category=None))
    names = conn.execute("SELECT name FROM categories").fetchall()
    assert [tuple(row) for row in names] == [("tea",)]
    assert get_product(conn, "A-3").category is None


def test_values_are_parameters_never_sql(conn):
    name = "Robert'); DROP TABLE products; --"
    add_product(conn, make(name=name, category="x' OR '1'='1"))
    assert get_product(conn, "TEA-001").name == name
    assert len(list_products(conn)) == 1
    with pytest.raises(ProductNotFound):
        get_product(conn, "x' OR '1'='1")


def test_list_is_ordered_by_sku_and_empty_at_first(conn):
    assert list_products(conn) == []
    for sku in ["C-3", "A-1", "B-2"]:
        add_product(conn, make(sku=sku))
    assert [p.sku for p in list_products(conn)] == ["A-1", "B-2", "C-3"]


def test_get_and_list_each_run_one_statement(conn):
    for sku in ["A-1", "B-2", "C-3"]:
        add_product(conn, make(sku=sku))
    assert len(statements(conn, lambda: get_product(conn, "B-2"))) == 1
    assert len(statements(conn, lambda: list_products(conn))) == 1


def test_update_replaces_every_field_but_the_sku(conn):
    add_product(conn, make())
    later = datetime(2026, 4, 1, tzinfo=UTC)
    changed = Product("TEA-001", "Sencha", Decimal("4.10"), "green tea", later)
    update_product(conn, changed)
    assert get_product(conn, "TEA-001") == changed
    update_product(conn, make(category=None))
    assert get_product(conn, "TEA-001").category is None


def test_delete_removes_only_that_product(conn):
    add_product(conn, make(sku="A-1"))
    add_product(conn, make(sku="A-2"))
    delete_product(conn, "A-1")
    assert [p.sku for p in list_products(conn)] == ["A-2"]


def test_an_unknown_sku_raises_product_not_found_and_changes_nothing(conn):
    add_product(conn, make())
    with pytest.raises(ProductNotFound) as on_get:
        get_product(conn, "NOPE-1")
    with pytest.raises(ProductNotFound) as on_update:
        update_product(conn, make(sku="NOPE-2"))
    with pytest.raises(ProductNotFound) as on_delete:
        delete_product(conn, "NOPE-3")
    # The task: the message names the SKU that was not found.
    assert "NOPE-1" in str(on_get.value)
    assert "NOPE-2" in str(on_update.value)
    assert "NOPE-3" in str(on_delete.value)
    assert list_products(conn) == [make()]
