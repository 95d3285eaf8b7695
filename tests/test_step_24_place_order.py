"""Step 24: an order, its items and the stock change in one transaction."""

import sqlite3
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import (
    CustomerNotFound,
    InvalidQuantity,
    OutOfStock,
    ProductNotFound,
)
from app.services.customers import add_customer
from app.services.orders import OrderItemRow, load_order, place_order
from app.services.partial_import import insert_product


@pytest.fixture
def conn(conn):
    """The empty store of tests/conftest.py, with two products on the shelf."""
    insert_product(conn, Product(sku="TEA", name="Green tea", price=Decimal("2.50")), 5)
    insert_product(conn, Product(sku="POT", name="Tea pot", price=Decimal("19.90")), 1)
    return conn


@pytest.fixture
def ada(conn):
    return add_customer(conn, "ada@example.com", "Ada")


def stock(conn, sku):
    return conn.execute(
        "SELECT quantity FROM stock JOIN products ON products.id = product_id"
        " WHERE sku = ?",
        (sku,),
    ).fetchone()[0]


def everything(conn):
    """Every row an order can touch, to prove that nothing changed."""
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table}")]
        for table in ("orders", "order_items", "stock", "products")
    }


def test_placing_an_order_writes_the_order_its_items_and_the_stock(conn, ada):
    order_id = place_order(conn, ada, {"TEA": 2, "POT": 1})
    order = load_order(conn, order_id)
    assert order.customer_id == ada
    assert order.status == "placed"
    assert order.items == [
        OrderItemRow("POT", 1, Decimal("19.90")),
        OrderItemRow("TEA", 2, Decimal("2.50")),
    ]
    assert order.total == Decimal("24.90")
    assert (stock(conn, "TEA"), stock(conn, "POT")) == (3, 0)
    assert not conn.in_transaction


def test_an_order_keeps_the_price_it_was_sold_at(conn, ada):
    order_id = place_order(conn, ada, {"TEA": 1})
    conn.execute("UPDATE products SET price_cents = 999 WHERE sku = 'TEA'")
    assert load_order(conn, order_id).items == [OrderItemRow("TEA", 1, Decimal("2.50"))]


def test_the_last_items_on_the_shelf_can_be_sold(conn, ada):
    place_order(conn, ada, {"TEA": 5})
    assert stock(conn, "TEA") == 0


def test_a_short_line_raises_out_of_stock_naming_the_sku_and_writes_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(OutOfStock) as caught:
        place_order(conn, ada, {"TEA": 2, "POT": 2})
    assert (caught.value.sku, caught.value.wanted, caught.value.available) == (
        "POT",
        2,
        1,
    )
    assert everything(conn) == before, "no order, no item, no stock change"
    assert not conn.in_transaction


def test_a_short_first_line_stops_the_order_before_the_others(conn, ada):
    before = everything(conn)
    with pytest.raises(OutOfStock) as caught:
        place_order(conn, ada, {"TEA": 6, "POT": 1})
    assert (caught.value.sku, caught.value.wanted, caught.value.available) == (
        "TEA",
        6,
        5,
    )
    assert everything(conn) == before


def test_a_write_that_fails_halfway_leaves_nothing_behind(conn, ada):
    # A temporary trigger plays the part of a crash after the stock of the
    # first line was already taken: only a transaction can undo that.
    conn.execute(
        "CREATE TEMP TRIGGER crash BEFORE INSERT ON order_items"
        " WHEN NEW.product_id = (SELECT id FROM products WHERE sku = 'POT')"
        " BEGIN SELECT RAISE(ABORT, 'the disk caught fire'); END"
    )
    before = everything(conn)
    with pytest.raises(sqlite3.IntegrityError) as caught:
        place_order(conn, ada, {"TEA": 2, "POT": 1})
    assert caught.value.sqlite_errorname == "SQLITE_CONSTRAINT_TRIGGER"
    assert everything(conn) == before
    assert not conn.in_transaction


def test_a_product_without_a_stock_row_is_out_of_stock(conn, ada):
    conn.execute(
        "DELETE FROM stock WHERE product_id ="
        " (SELECT id FROM products WHERE sku = 'POT')"
    )
    before = everything(conn)
    with pytest.raises(OutOfStock) as caught:
        place_order(conn, ada, {"POT": 1})
    assert caught.value.available == 0
    assert everything(conn) == before


def test_an_unknown_sku_is_a_clear_error_and_writes_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(ProductNotFound) as caught:
        place_order(conn, ada, {"TEA": 1, "NOPE": 1})
    assert caught.value.sku == "NOPE"
    assert everything(conn) == before


def test_an_unknown_customer_is_a_clear_error_and_writes_nothing(conn):
    before = everything(conn)
    with pytest.raises(CustomerNotFound) as caught:
        place_order(conn, 42, {"TEA": 1})
    assert caught.value.customer_id == 42
    assert everything(conn) == before


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True, "2"])
def test_a_bad_quantity_is_refused_before_anything_is_written(conn, ada, quantity):
    before = everything(conn)
    with pytest.raises(InvalidQuantity):
        place_order(conn, ada, {"POT": 1, "TEA": quantity})
    assert everything(conn) == before


def test_an_empty_order_is_refused(conn, ada):
    before = everything(conn)
    with pytest.raises(InvalidQuantity):
        place_order(conn, ada, {})
    assert everything(conn) == before
