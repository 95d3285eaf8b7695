"""Step 27: reserving stock checks the whole basket, then writes, atomically."""

import sqlite3
import threading
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
from app.services.orders import OrderItem, load_order
from app.services.partial_import import insert_product
from app.sqlite.concurrency import enable_wal


@pytest.fixture
def path(tmp_path):
    return tmp_path / "store.db"


@pytest.fixture
def conn(conn):
    """The store.db of tests/conftest.py in WAL mode, two products on the shelf."""
    enable_wal(conn)
    insert_product(conn, Product(sku="TEA", name="Green tea", price="2.50"), 5)
    insert_product(conn, Product(sku="POT", name="Tea pot", price="19.90"), 1)
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
        OrderItem("POT", 1, Decimal("19.90")),
        OrderItem("TEA", 2, Decimal("2.50")),
    ]
    assert stock(conn) == {"TEA": 3, "POT": 0}
    assert not conn.in_transaction


def test_a_short_line_anywhere_in_the_basket_reserves_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(OutOfStock, match="POT") as caught:
        reserve(conn, ada, {"TEA": 1, "POT": 2})
    assert (caught.value.wanted, caught.value.available) == (2, 1)
    assert everything(conn) == before


def test_unknown_skus_customers_and_bad_quantities_reserve_nothing(conn, ada):
    before = everything(conn)
    with pytest.raises(ProductNotFound, match="NOPE"):
        reserve(conn, ada, {"TEA": 1, "NOPE": 1})
    with pytest.raises(CustomerNotFound):
        reserve(conn, 99, {"TEA": 1})
    with pytest.raises(InvalidQuantity):
        reserve(conn, ada, {"TEA": 0})
    assert everything(conn) == before


def test_cancelling_a_reservation_puts_the_items_back_once(conn, ada):
    order_id = reserve(conn, ada, {"TEA": 2, "POT": 1})
    cancel_reservation(conn, order_id)
    assert stock(conn) == {"TEA": 5, "POT": 1}
    assert load_order(conn, order_id).status == "cancelled"
    with pytest.raises(OrderNotReserved, match="cancelled"):
        cancel_reservation(conn, order_id)
    assert stock(conn) == {"TEA": 5, "POT": 1}
    with pytest.raises(OrderNotFound):
        cancel_reservation(conn, 999)


def test_a_reservation_reads_the_stock_only_once_it_holds_the_write_lock(
    conn, path, ada
):
    # Another writer sells the whole shelf while our buyer is about to check
    # it, and commits a moment later. A reservation that read the stock
    # before taking the lock would work on a stale 5.
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE stock SET quantity = 0")
    timer = threading.Timer(0.2, holder.execute, ["COMMIT"])
    timer.start()
    try:
        with pytest.raises(OutOfStock) as caught:
            reserve(conn, ada, {"TEA": 1})
        assert caught.value.available == 0
    finally:
        timer.cancel()
        timer.join()
        holder.close()
    assert stock(conn) == {"TEA": 0, "POT": 0}
