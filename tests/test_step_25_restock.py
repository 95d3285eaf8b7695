"""Step 25: a delivery restocks many products, every line or none."""

import sqlite3
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import InvalidQuantity, ProductNotFound
from app.services.partial_import import insert_product
from app.services.restock import restock


@pytest.fixture
def conn(conn):
    """The empty store of tests/conftest.py, with two products on the shelf."""
    insert_product(conn, Product(sku="TEA", name="Green tea", price=Decimal("2.50")), 5)
    insert_product(conn, Product(sku="POT", name="Tea pot", price=Decimal("19.90")), 0)
    return conn


def stock(conn):
    return dict(
        conn.execute(
            "SELECT sku, quantity FROM products"
            " LEFT JOIN stock ON products.id = product_id ORDER BY sku"
        ).fetchall()
    )


def everything(conn):
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table}")]
        for table in ("deliveries", "delivery_lines", "stock")
    }


def test_a_delivery_adds_every_line_to_stock(conn):
    restock(conn, [("TEA", 10), ("POT", 2)])
    assert stock(conn) == {"POT": 2, "TEA": 15}
    assert not conn.in_transaction


def test_a_delivery_is_recorded_with_its_lines(conn):
    delivery_id = restock(conn, [("TEA", 10), ("POT", 2)], note="supplier 17")
    assert (
        conn.execute(
            "SELECT note FROM deliveries WHERE id = ?", (delivery_id,)
        ).fetchone()[0]
        == "supplier 17"
    )
    lines = conn.execute(
        "SELECT line_no, sku, quantity FROM delivery_lines"
        " JOIN products ON products.id = product_id"
        " WHERE delivery_id = ? ORDER BY line_no",
        (delivery_id,),
    ).fetchall()
    assert [tuple(line) for line in lines] == [(1, "TEA", 10), (2, "POT", 2)]


def test_the_same_sku_twice_in_one_delivery_counts_both_lines(conn):
    restock(conn, [("TEA", 1), ("POT", 1), ("TEA", 2)])
    assert stock(conn) == {"POT": 1, "TEA": 8}


def test_a_product_without_a_stock_row_gets_one(conn):
    insert_product(conn, Product(sku="CUP", name="Cup", price=Decimal("4.00")), 0)
    conn.execute("DELETE FROM stock WHERE quantity = 0")
    restock(conn, [("CUP", 6)])
    assert stock(conn)["CUP"] == 6


def test_an_unknown_sku_names_its_line_and_changes_nothing(conn):
    before = everything(conn)
    with pytest.raises(ProductNotFound) as caught:
        restock(conn, [("TEA", 1), ("POT", 1), ("NOPE", 1), ("TEA", 1)])
    assert (caught.value.line, caught.value.sku) == (3, "NOPE")
    assert everything(conn) == before
    assert not conn.in_transaction


def test_an_unknown_sku_late_in_a_long_delivery_books_none_of_it(conn):
    # Line 750 of 1,000: a solution that commits every few hundred lines
    # has booked the first ones by then.
    lines = [("TEA", 1), ("POT", 1)] * 500
    lines[749] = ("NOPE", 1)
    before = everything(conn)
    with pytest.raises(ProductNotFound) as caught:
        restock(conn, lines)
    assert (caught.value.line, caught.value.sku) == (750, "NOPE")
    assert everything(conn) == before
    assert not conn.in_transaction


@pytest.mark.parametrize("quantity", [0, -4, 2.5, "3", None, True])
def test_a_bad_quantity_names_its_line_and_changes_nothing(conn, quantity):
    before = everything(conn)
    with pytest.raises(InvalidQuantity):
        restock(conn, [("TEA", 1), ("POT", quantity)])
    assert everything(conn) == before


def test_an_empty_delivery_is_refused(conn):
    before = everything(conn)
    with pytest.raises(InvalidQuantity):
        restock(conn, [])
    assert everything(conn) == before


def test_a_failure_while_booking_the_stock_undoes_the_whole_delivery(conn):
    # The lines are written by then; a temporary trigger fails the stock
    # change, as a full disk or a bug would, and all of it must roll back.
    conn.execute(
        "CREATE TEMP TRIGGER crash BEFORE UPDATE ON stock"
        " BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )
    before = everything(conn)
    with pytest.raises(sqlite3.IntegrityError) as caught:
        restock(conn, [("TEA", 1), ("POT", 1)])
    assert caught.value.sqlite_errorname == "SQLITE_CONSTRAINT_TRIGGER"
    assert everything(conn) == before
    assert not conn.in_transaction


def test_a_write_that_fails_at_line_501_of_1000_undoes_the_whole_delivery(conn):
    conn.execute(
        "CREATE TEMP TRIGGER crash BEFORE INSERT ON delivery_lines"
        " WHEN NEW.line_no = 501"
        " BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    )
    before = everything(conn)
    with pytest.raises(sqlite3.IntegrityError):
        restock(conn, [("TEA", 1), ("POT", 2)] * 500)
    assert everything(conn) == before
    assert not conn.in_transaction


def test_a_large_delivery_goes_through_in_one_call(conn):
    lines = [("TEA", 1)] * 2_000 + [("POT", 3)] * 1_000
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        delivery_id = restock(conn, lines)
    finally:
        conn.set_trace_callback(None)
    commits = [sql for sql in statements if sql.upper().startswith(("COMMIT", "END"))]
    assert len(commits) == 1, "the whole delivery is one transaction: one COMMIT"
    assert stock(conn) == {"POT": 3_000, "TEA": 2_005}
    count = conn.execute(
        "SELECT count(*) FROM delivery_lines WHERE delivery_id = ?", (delivery_id,)
    ).fetchone()[0]
    assert count == 3_000
