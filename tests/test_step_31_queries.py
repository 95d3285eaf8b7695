"""Step 31: filters, ordering, pages, and set-based update() and delete()."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.domain import Product
from app.orm.database import make_sessions
from app.orm.queries import (
    SORTS,
    delete_category_products,
    find_products,
    reprice_category,
)
from app.orm.repository import OrmProductRepository
from tests.statements import recorded

START = datetime(2026, 1, 1, tzinfo=UTC)
CATALOG = [
    ("TEA-1", "Green tea", Decimal("3.50"), "tea"),
    ("TEA-2", "Black tea 100%", Decimal("2.99"), "tea"),
    ("TEA-3", "White tea", Decimal("10.00"), "tea"),
    ("COF-1", "Espresso", Decimal("4.20"), "coffee"),
    ("MUG-1", "Big mug", Decimal("8.00"), None),
]


@pytest.fixture
def engine(engine):
    """The empty ORM database of tests/conftest.py, with the catalog in it."""
    repository = OrmProductRepository(make_sessions(engine))
    for minutes, (sku, name, price, category) in enumerate(CATALOG):
        repository.add(
            Product(sku, name, price, category, START + timedelta(minutes=minutes))
        )
    return engine


@pytest.fixture
def session(engine):
    with make_sessions(engine).begin() as session:
        yield session


def skus(products):
    return [p.sku for p in products]


def test_filters_combine_and_results_are_domain_products(session):
    found = find_products(session, category="tea", max_price=Decimal("3.50"))
    assert skus(found) == ["TEA-1", "TEA-2"]
    assert found[0] == Product("TEA-1", "Green tea", Decimal("3.50"), "tea", START)


def test_ordering_by_price_then_paging_with_limit_and_offset(session):
    by_price = find_products(session, order_by="price")
    assert skus(by_price) == ["TEA-2", "TEA-1", "COF-1", "MUG-1", "TEA-3"]
    page_two = find_products(session, order_by="price", limit=2, offset=2)
    assert skus(page_two) == ["COF-1", "MUG-1"]
    assert skus(find_products(session, order_by="newest", limit=1)) == ["MUG-1"]


def test_text_filter_is_literal_and_case_insensitive(session):
    assert skus(find_products(session, text="100%")) == ["TEA-2"]
    assert skus(find_products(session, text="TEA", category="tea", limit=1)) == [
        "TEA-1"
    ]


def test_a_price_of_zero_is_a_real_filter(session):
    assert find_products(session, max_price=Decimal("0")) == []
    assert skus(find_products(session, max_price=Decimal("2.99"))) == ["TEA-2"]


def test_equal_sort_keys_are_broken_by_sku_so_pages_are_stable(engine):
    # Stored after TEA-1, at the same price: only the tie-breaker puts it first.
    repository = OrmProductRepository(make_sessions(engine))
    repository.add(Product("AAA-1", "Green tea", Decimal("3.50"), "tea", START))
    with make_sessions(engine)() as session:
        by_price = skus(find_products(session, order_by="price"))
        by_name = skus(find_products(session, order_by="name"))
        newest = skus(find_products(session, order_by="newest"))
    assert by_price == ["TEA-2", "AAA-1", "TEA-1", "COF-1", "MUG-1", "TEA-3"]
    assert by_name.index("AAA-1") == by_name.index("TEA-1") - 1
    assert newest[-2:] == ["AAA-1", "TEA-1"]


def test_an_unknown_sort_key_is_refused_with_the_choices(session):
    with pytest.raises(ValueError) as refused:
        find_products(session, order_by="colour")  # type: ignore[arg-type]
    assert all(key in str(refused.value) for key in SORTS), "list every choice"


def test_reprice_changes_one_category_in_one_update_rounded_to_cents(engine, session):
    with recorded(engine) as statements:
        changed = reprice_category(session, "tea", Decimal("10"))
    assert changed == 3
    assert [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(statements) == 1, statements
    prices = {p.sku: p.price for p in find_products(session)}
    assert prices == {
        "TEA-1": Decimal("3.85"),
        "TEA-2": Decimal("3.29"),
        "TEA-3": Decimal("11.00"),
        "COF-1": Decimal("4.20"),
        "MUG-1": Decimal("8.00"),
    }


def test_a_discount_that_would_make_prices_negative_is_refused(session):
    with pytest.raises(ValueError):
        reprice_category(session, "tea", Decimal("-100"))
    assert find_products(session, category="tea")[0].price == Decimal("3.50")
    assert reprice_category(session, "tea", Decimal("-50")) == 3
    assert find_products(session, category="tea")[0].price == Decimal("1.75")


@pytest.mark.parametrize(
    "change",
    [
        lambda session: reprice_category(session, "tea", Decimal("10")),
        lambda session: delete_category_products(session, "tea"),
    ],
    ids=["reprice", "delete"],
)
def test_the_caller_owns_the_transaction(engine, change):
    with make_sessions(engine)() as session:
        change(session)
        session.rollback()
    with make_sessions(engine)() as session:
        prices = [p.price for p in find_products(session, category="tea")]
    assert prices == [Decimal("3.50"), Decimal("2.99"), Decimal("10.00")]


def test_delete_category_products_removes_only_that_category(engine, session):
    with recorded(engine) as statements:
        assert delete_category_products(session, "tea") == 3
    assert len(statements) == 1, statements
    assert skus(find_products(session)) == ["COF-1", "MUG-1"]
    assert delete_category_products(session, "no such category") == 0
