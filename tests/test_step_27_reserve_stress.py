"""Step 27: many buyers at once for fewer items than buyers."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import OutOfStock
from app.services.customers import add_customer
from app.services.inventory import cancel_reservation, reserve
from app.services.partial_import import insert_product
from app.sqlite.concurrency import enable_wal
from app.sqlite.db import connect, create_schema

BUYERS = 12
LAST_ITEMS = 5
SHELF = {"TEA": 20, "POT": 6, "CUP": 12}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.db"
    conn = connect(path)
    create_schema(conn)
    enable_wal(conn)
    for sku, quantity in SHELF.items():
        insert_product(
            conn, Product(sku=sku, name=sku.title(), price=Decimal("3.00")), quantity
        )
    insert_product(
        conn, Product(sku="LAST", name="Limited", price=Decimal("99.00")), LAST_ITEMS
    )
    customers = [
        add_customer(conn, f"buyer{n}@example.com", f"Buyer {n}") for n in range(BUYERS)
    ]
    yield path, conn, customers
    conn.close()


def in_threads(count, job):
    """Run job(n, start) in ``count`` threads that start together."""
    start = threading.Barrier(count)
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(job, n, start) for n in range(count)]
        return [future.result(timeout=60) for future in futures]


def test_n_buyers_for_k_items_exactly_k_get_one(store):
    path, conn, customers = store

    def buy(n, start):
        buyer = connect(path)
        try:
            start.wait()
            return reserve(buyer, customers[n], {"LAST": 1})
        except OutOfStock:
            return None
        finally:
            buyer.close()

    results = in_threads(BUYERS, buy)
    winners = [order for order in results if order is not None]
    assert len(winners) == LAST_ITEMS
    assert len(set(winners)) == LAST_ITEMS
    left = conn.execute(
        "SELECT quantity FROM stock JOIN products ON products.id = product_id"
        " WHERE sku = 'LAST'"
    ).fetchone()[0]
    assert left == 0
    reserved = conn.execute(
        "SELECT SUM(quantity) FROM order_items JOIN products ON products.id = product_id"
        " WHERE sku = 'LAST'"
    ).fetchone()[0]
    assert reserved == LAST_ITEMS


def test_reservations_and_cancellations_at_once_lose_no_item(store):
    path, conn, customers = store
    workers, operations = 4, 100

    def shop(n, start):
        rng = random.Random(n)
        buyer = connect(path)
        mine: list[int] = []
        try:
            start.wait()
            for _ in range(operations):
                if mine and rng.random() < 0.3:
                    cancel_reservation(buyer, mine.pop(rng.randrange(len(mine))))
                    continue
                basket = {
                    sku: rng.randint(1, 3) for sku in rng.sample(sorted(SHELF), 2)
                }
                try:
                    mine.append(reserve(buyer, customers[n], basket))
                except OutOfStock:
                    pass
        finally:
            buyer.close()
        return mine

    in_threads(workers, shop)
    for sku, initial in SHELF.items():
        on_shelf, held = conn.execute(
            "SELECT quantity, (SELECT COALESCE(SUM(item.quantity), 0)"
            "   FROM order_items AS item JOIN orders ON orders.id = item.order_id"
            "   WHERE item.product_id = stock.product_id"
            "   AND orders.status = 'reserved')"
            " FROM stock JOIN products ON products.id = product_id WHERE sku = ?",
            (sku,),
        ).fetchone()
        assert on_shelf >= 0
        assert on_shelf + held == initial, sku
