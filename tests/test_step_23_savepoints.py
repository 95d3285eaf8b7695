"""Step 23: explicit transactions and savepoints that undo part of the work."""

from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import DatabaseBusy, DuplicateSku, InvalidQuantity
from app.services import partial_import
from app.services.partial_import import (
    Rejected,
    add_products_keeping_good_ones,
    insert_product,
)
from app.sqlite.crud import add_product
from app.sqlite.db import connect, transaction
from app.sqlite.transactions import savepoint


def add_category(conn, name):
    conn.execute("INSERT INTO categories (name) VALUES (?)", (name,))


def category_names(conn):
    return [row[0] for row in conn.execute("SELECT name FROM categories ORDER BY name")]


class Boom(Exception):
    pass


def test_a_failed_savepoint_undoes_only_its_own_work(conn):
    with transaction(conn):
        add_category(conn, "kept before")
        with pytest.raises(Boom), savepoint(conn, "attempt"):
            add_category(conn, "undone")
            raise Boom
        add_category(conn, "kept after")
    assert category_names(conn) == ["kept after", "kept before"]


def test_a_failed_savepoint_re_raises_and_leaves_the_transaction_open(conn):
    conn.execute("BEGIN")
    add_category(conn, "outer")
    with pytest.raises(Boom), savepoint(conn, "attempt"):
        raise Boom
    assert conn.in_transaction, "only the savepoint is rolled back, not the transaction"
    conn.execute("ROLLBACK")
    assert category_names(conn) == []


def test_a_released_savepoint_is_still_undone_by_the_outer_rollback(conn):
    with pytest.raises(Boom), transaction(conn):
        with savepoint(conn, "attempt"):
            add_category(conn, "released, not committed")
        raise Boom
    assert category_names(conn) == []


def test_nested_savepoints_roll_back_innermost_first(conn):
    with transaction(conn), savepoint(conn, "outer"):
        add_category(conn, "outer work")
        with pytest.raises(Boom), savepoint(conn, "inner"):
            add_category(conn, "inner work")
            raise Boom
    assert category_names(conn) == ["outer work"]


def test_a_savepoint_outside_a_transaction_commits_by_itself(conn, tmp_path):
    with savepoint(conn, "alone"):
        add_category(conn, "solo")
    assert not conn.in_transaction
    other = connect(tmp_path / "store.db")
    try:
        assert category_names(other) == ["solo"]
    finally:
        other.close()


def test_a_failed_savepoint_outside_a_transaction_leaves_none_open(conn):
    with pytest.raises(Boom), savepoint(conn, "alone"):
        add_category(conn, "undone")
        raise Boom
    assert not conn.in_transaction, "ROLLBACK TO keeps the savepoint: RELEASE it"
    assert category_names(conn) == []


@pytest.mark.parametrize("name", ["", "1st", "x; DROP TABLE products", "a-b"])
def test_a_savepoint_name_must_be_a_plain_identifier(conn, name):
    with pytest.raises(ValueError), savepoint(conn, name):
        pass
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 0


def product(sku, category=None):
    return Product(
        sku=sku, name=f"Product {sku}", price=Decimal("2.50"), category=category
    )


def skus(conn):
    return [row[0] for row in conn.execute("SELECT sku FROM products ORDER BY sku")]


def test_good_products_are_kept_and_a_duplicate_sku_is_reported(conn):
    rejected = add_products_keeping_good_ones(
        conn, [(product("A-1"), 5), (product("A-1"), 3), (product("B-2"), 0)]
    )
    assert skus(conn) == ["A-1", "B-2"]
    with pytest.raises(DuplicateSku) as duplicate:
        add_product(conn, product("A-1"))
    assert rejected == [Rejected("A-1", str(duplicate.value))]
    stock = conn.execute(
        "SELECT quantity FROM stock JOIN products ON products.id = product_id"
        " WHERE sku = 'A-1'"
    ).fetchone()[0]
    assert stock == 5, "the first A-1 and its stock are kept untouched"


def test_a_rejected_product_leaves_no_new_category_behind(conn):
    add_products_keeping_good_ones(conn, [(product("A-1", "drinks"), 1)])
    rejected = add_products_keeping_good_ones(
        conn, [(product("A-1", "brand new"), 1), (product("C-3", "snacks"), 1)]
    )
    assert [r.sku for r in rejected] == ["A-1"]
    assert category_names(conn) == ["drinks", "snacks"]


def test_negative_opening_stock_rejects_the_product_it_came_with(conn):
    rejected = add_products_keeping_good_ones(
        conn, [(product("A-1"), -1), (product("B-2"), 2)]
    )
    assert skus(conn) == ["B-2"], "the product row written before the stock is undone"
    conn.execute("BEGIN")
    with pytest.raises(InvalidQuantity) as refused:
        insert_product(conn, product("A-1"), -1)
    conn.execute("ROLLBACK")
    assert rejected == [Rejected("A-1", str(refused.value))]
    assert conn.execute("SELECT count(*) FROM stock").fetchone()[0] == 1


def test_everything_is_one_transaction_so_a_crash_mid_batch_keeps_nothing(conn):
    def items():
        yield product("A-1"), 1
        yield product("B-2"), 1
        raise Boom("the input file broke off")

    with pytest.raises(Boom):
        add_products_keeping_good_ones(conn, items())
    assert skus(conn) == []
    assert not conn.in_transaction


def test_an_error_that_is_not_about_the_product_rolls_everything_back(
    conn, monkeypatch
):
    def busy_on_b2(conn, product, quantity):
        if product.sku == "B-2":
            raise DatabaseBusy("another connection holds the lock")
        insert_product(conn, product, quantity)

    monkeypatch.setattr(partial_import, "insert_product", busy_on_b2)
    with pytest.raises(DatabaseBusy):
        add_products_keeping_good_ones(
            conn, [(product("A-1"), 1), (product("B-2"), 1), (product("C-3"), 1)]
        )
    assert skus(conn) == []
    assert not conn.in_transaction


def test_a_clean_batch_reports_nothing(conn):
    assert add_products_keeping_good_ones(conn, [(product("A-1"), 1)]) == []
    assert skus(conn) == ["A-1"]
