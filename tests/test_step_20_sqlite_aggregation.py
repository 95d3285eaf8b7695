"""Step 20: counts, average prices and stock value, exact to the cent."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import Product
from app.sqlite.commands import format_report, report
from app.sqlite.crud import add_product, category_id
from app.sqlite.reports import Figures, average_price, category_figures, totals
from app.sqlite.stock import add_product_with_stock

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(sku, price, category):
    return Product(sku=sku, name=sku, price=price, category=category, created_at=WHEN)


@pytest.fixture
def shop(conn):
    add_product_with_stock(conn, make("TEA-1", "0.10", "tea"), 3)
    add_product_with_stock(conn, make("TEA-2", "0.20", "tea"), 0)
    add_product(conn, make("TEA-3", "0.20", "tea"))
    add_product_with_stock(conn, make("MUG-1", "7.99", "kitchen"), 10)
    add_product_with_stock(conn, make("GIFT-1", "15.00", None), 2)
    return conn


def test_average_price_is_exact_and_rounds_half_up():
    assert average_price(50, 3) == Decimal("0.17")
    assert average_price(5, 2) == Decimal("0.03")
    assert average_price(0, 1) == Decimal("0.00")
    assert average_price(0, 0) is None


def test_average_price_keeps_cents_a_float_would_lose():
    cents = 2**53 + 1
    assert float(cents) != cents
    assert average_price(cents, 1) == Decimal("90071992547409.93")


def test_figures_per_category_with_uncategorised_last(shop):
    assert category_figures(shop) == {
        "kitchen": Figures(1, Decimal("7.99"), Decimal("79.90")),
        "tea": Figures(3, Decimal("0.17"), Decimal("0.30")),
        None: Figures(1, Decimal("15.00"), Decimal("30.00")),
    }
    assert list(category_figures(shop)) == ["kitchen", "tea", None]


def test_figures_keep_cents_a_float_average_would_lose(conn):
    # 2**53 + 1 cents: a float (SQLite's AVG) cannot hold it. The store's rules
    # cap a price far below that, but the database takes any whole number of
    # cents that another program writes.
    rare = category_id(conn, "rare")
    for sku, cents in [("RARE-1", 2**53 + 1), ("RARE-2", 2)]:
        row = conn.execute(
            "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (sku, sku, cents, rare, WHEN.isoformat()),
        )
        conn.execute("INSERT INTO stock VALUES (?, 1)", (row.lastrowid,))
    exact = Figures(2, Decimal("45035996273704.98"), Decimal("90071992547409.95"))
    assert category_figures(conn) == {"rare": exact}
    assert totals(conn) == exact


def test_figures_per_category_are_one_query(shop):
    statements: list[str] = []
    shop.set_trace_callback(statements.append)
    try:
        category_figures(shop)
    finally:
        shop.set_trace_callback(None)
    assert len(statements) == 1, statements


def test_totals_cover_the_whole_catalog(shop):
    assert totals(shop) == Figures(5, Decimal("4.70"), Decimal("110.20"))


def test_an_empty_store_has_no_average_and_nothing_in_stock(conn):
    assert category_figures(conn) == {}
    assert totals(conn) == Figures(0, None, Decimal("0.00"))


def test_money_in_the_figures_is_decimal_never_float(shop):
    for figures in [*category_figures(shop).values(), totals(shop)]:
        assert isinstance(figures.average_price, Decimal)
        assert isinstance(figures.stock_value, Decimal)


def test_the_report_command_shows_every_category_and_the_total(shop):
    text = format_report(report(shop))
    lines = text.splitlines()
    assert lines[0].split() == [
        "category",
        "products",
        "average",
        "price",
        "stock",
        "value",
    ]
    assert lines[1].split() == ["kitchen", "1", "7.99", "79.90"]
    assert lines[3].split() == ["(uncategorised)", "1", "15.00", "30.00"]
    assert lines[4].split() == ["all", "products", "5", "4.70", "110.20"]
