"""Step 19: products with their category names, by JOIN and LEFT JOIN."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import Product
from app.sqlite.categories import catalog, empty_categories, products_in_category
from app.sqlite.crud import add_product, update_product

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(sku, category):
    return Product(
        sku=sku,
        name=f"{sku} item",
        price=Decimal("2.00"),
        category=category,
        created_at=WHEN,
    )


@pytest.fixture
def shop(conn):
    for sku, category in [
        ("TEA-2", "tea"),
        ("MUG-1", "kitchen"),
        ("GIFT-1", None),
        ("TEA-1", "tea"),
        ("ODD-1", None),
    ]:
        add_product(conn, make(sku, category))
    return conn


def test_products_in_a_category_come_with_its_name_ordered_by_sku(shop):
    found = products_in_category(shop, "tea")
    assert [(p.sku, p.category) for p in found] == [("TEA-1", "tea"), ("TEA-2", "tea")]
    assert found[0] == make("TEA-1", "tea")
    assert products_in_category(shop, "no such category") == []


def test_the_catalog_groups_products_by_category_with_uncategorised_last(shop):
    grouped = [(name, [p.sku for p in products]) for name, products in catalog(shop)]
    assert grouped == [
        ("kitchen", ["MUG-1"]),
        ("tea", ["TEA-1", "TEA-2"]),
        (None, ["GIFT-1", "ODD-1"]),
    ]


def test_the_catalog_is_one_query_however_many_categories(shop):
    statements: list[str] = []
    shop.set_trace_callback(statements.append)
    try:
        catalog(shop)
    finally:
        shop.set_trace_callback(None)
    assert len(statements) == 1, statements


def test_the_catalog_of_an_empty_store_is_empty(conn):
    assert catalog(conn) == []


def test_categories_left_without_products_are_listed(shop):
    assert empty_categories(shop) == []
    update_product(shop, make("MUG-1", "tea"))
    update_product(shop, make("GIFT-1", "gifts"))
    assert empty_categories(shop) == ["kitchen"]
    assert [p.sku for p in products_in_category(shop, "kitchen")] == []
