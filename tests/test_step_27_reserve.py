"""Step 27: reserving stock checks the whole basket, then writes, atomically."""

from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import (
    CustomerNotFound,
    InvalidQuantity,
    OrderNotFound,
    OrderNotReserved,
    OutOfStock,
    ProductNotFound,
)
from app.services.customers import add_customer
from app.services.inventory import cancel_reservation, reserve
from app.services.orders import OrderItemRow, load_order
from app.services.partial_import import insert_product
from app.sqlite.concurrency import enable_wal
from tests.interleave import WRITES, begins, interloper, writes


@pytest.fixture
def path(tmp_path):
    return tmp_path / "store.db"


@pytest.fixture
def conn(conn):
    """The store.db of tests/conftest.py in WAL mode, two products on the shelf."""
    enable_wal(conn)
    insert_product(conn, Product(sku="TEA", name="Green tea", price=Decimal("2.50")), 5)
    insert_product(conn, Product(sku="POT", name="Tea pot", price=Decimal("19.90")), 1)
    return conn


@pytest.fixture
def ada(conn):
    return add_customer(conn, "ada@example.com", "Ada")


def stock(conn):
    return dict(
        conn.execute(
            "SELECT sku, quantity FROM stock JOIN products ON products.id = product_id"
        ).fetchall()
    )


def everything(conn):
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table}")]
        for table in ("orders", "order_items", "stock")
    }


def test_a_reservation_takes_the_items_off_the_shelf(conn, ada):
    order_id = reserve(conn, ada, {"TEA": 2, "POT": 1})
    order = load_order(conn, order_id)
    assert order.status == "reserved"
    assert order.items == [
        OrderItemRow("POT", 1, Decimal("19.90")),
        OrderItemRow("TEA", 2, Decimal("2.50")),
    ]
    assert stock(conn) == {"TEA": 3, "POT": 0}
    assert not conn.in_transaction


def test_a_short_line_anywhere_in_the_basket_reserves_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(OutOfStock) as caught:
        reserve(conn, ada, {"TEA": 1, "POT": 2})
    assert (caught.value.sku, caught.value.wanted, caught.value.available) == (
        "POT",
        2,
        1,
    )
    assert everything(conn) == before
    assert not conn.in_transaction


def test_a_product_without_a_stock_row_has_none_to_reserve(conn, ada):
    conn.execute(
        "DELETE FROM stock WHERE product_id ="
        " (SELECT id FROM products WHERE sku = 'POT')"
    )
    before = everything(conn)
    with pytest.raises(OutOfStock) as caught:
        reserve(conn, ada, {"TEA": 1, "POT": 1})
    assert (caught.value.sku, caught.value.available) == ("POT", 0)
    assert everything(conn) == before


@pytest.mark.parametrize(
    "basket", [{"TEA": 1, "POT": 2}, {"TEA": 1, "NOPE": 1}, {"TEA": 9}]
)
def test_a_bad_basket_is_refused_before_anything_is_written(conn, ada, basket):
    # Decide, then write: the whole basket is checked before the first
    # INSERT or UPDATE is sent, not undone by a rollback afterwards.
    sent: list[str] = []
    conn.set_trace_callback(sent.append)
    try:
        with pytest.raises((OutOfStock, ProductNotFound)):
            reserve(conn, ada, basket)
    finally:
        conn.set_trace_callback(None)
    assert [sql for sql in sent if sql.lstrip().upper().startswith(WRITES)] == []


def test_unknown_skus_customers_and_bad_quantities_reserve_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(ProductNotFound) as caught:
        reserve(conn, ada, {"TEA": 1, "NOPE": 1})
    assert caught.value.sku == "NOPE"
    with pytest.raises(CustomerNotFound) as unknown:
        reserve(conn, 99, {"TEA": 1})
    assert unknown.value.customer_id == 99
    with pytest.raises(InvalidQuantity):
        reserve(conn, ada, {"TEA": 0})
    assert everything(conn) == before


def test_cancelling_a_reservation_puts_the_items_back_once(conn, ada):
    order_id = reserve(conn, ada, {"TEA": 2, "POT": 1})
    cancel_reservation(conn, order_id)
    assert stock(conn) == {"TEA": 5, "POT": 1}
    assert load_order(conn, order_id).status == "cancelled"
    with pytest.raises(OrderNotReserved) as caught:
        cancel_reservation(conn, order_id)
    assert (caught.value.order_id, caught.value.status) == (order_id, "cancelled")
    assert stock(conn) == {"TEA": 5, "POT": 1}
    with pytest.raises(OrderNotFound):
        cancel_reservation(conn, 999)


def sell_the_shelf(other, taken):
    """Another buyer, on another connection, takes every TEA there is."""
    row = other.execute(
        "SELECT product_id, quantity FROM stock"
        " WHERE product_id = (SELECT id FROM products WHERE sku = 'TEA')"
    ).fetchone()
    other.execute("UPDATE stock SET quantity = 0 WHERE product_id = ?", (row[0],))
    taken.append(row[1])


def test_a_reservation_reads_the_stock_only_once_its_transaction_began(conn, path, ada):
    # Another buyer sells the whole shelf and commits just before our
    # transaction begins. A reservation that read the stock before its
    # BEGIN would work on a stale 5.
    taken: list[int] = []
    with interloper(
        conn, path, begins, lambda other: sell_the_shelf(other, taken)
    ) as seen:
        with pytest.raises(OutOfStock) as caught:
            reserve(conn, ada, {"TEA": 1})
    assert seen.done and seen.error is None, "reserve() never began a transaction"
    assert (caught.value.sku, caught.value.available) == ("TEA", 0)
    assert stock(conn) == {"TEA": 0, "POT": 1}
    assert everything(conn)["orders"] == []


def test_no_other_buyer_gets_between_the_check_and_the_write(conn, path, ada):
    # At the moment our reservation sends its first write, another buyer
    # tries to take every TEA (without waiting for the lock). Either the
    # reservation held the write lock since before it read, and the other
    # buyer is kept out, or the other buyer got in and the reservation sees
    # it: never both served from the same items.
    taken: list[int] = []
    with interloper(
        conn, path, writes, lambda other: sell_the_shelf(other, taken)
    ) as seen:
        try:
            reserve(conn, ada, {"TEA": 2, "POT": 1})
        except OutOfStock as error:
            assert taken, f"refused although nobody else bought: {error!r}"
    assert seen.done, "reserve() wrote nothing"
    reserved = dict(
        conn.execute(
            "SELECT sku, SUM(item.quantity) FROM order_items AS item"
            " JOIN orders ON orders.id = item.order_id"
            " JOIN products ON products.id = item.product_id"
            " WHERE orders.status = 'reserved' GROUP BY sku"
        ).fetchall()
    )
    shelf = stock(conn)
    assert shelf["TEA"] + reserved.get("TEA", 0) + sum(taken) == 5
    assert shelf["POT"] + reserved.get("POT", 0) == 1
    assert min(shelf.values()) >= 0
