"""Step 32: category <-> products, order <-> items <-> products, with no N+1."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import InvalidRequestError

from app.domain import Product
from app.errors import ProductNotFound
from app.orm import models
from app.orm.database import make_sessions
from app.orm.orders import category_with_products, list_orders, order_total, place_order
from app.orm.repository import OrmProductRepository
from tests.statements import recorded

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def engine(engine):
    """The empty ORM database of tests/conftest.py, with three products."""
    repository = OrmProductRepository(make_sessions(engine))
    repository.add(Product("TEA-1", "Green tea", Decimal("3.50"), "tea", WHEN))
    repository.add(Product("TEA-2", "Black tea", Decimal("2.99"), "tea", WHEN))
    repository.add(Product("MUG-1", "Big mug", Decimal("8.00"), None, WHEN))
    return engine


@pytest.fixture
def sessions(engine):
    return make_sessions(engine)


def place(sessions, count):
    with sessions.begin() as session:
        for number in range(count):
            place_order(
                session, customer=f"c{number}", lines={"TEA-1": 2, "MUG-1": number + 1}
            )


def test_an_order_keeps_the_price_of_the_day(sessions):
    with sessions.begin() as session:
        order = place_order(session, customer="ada", lines={"TEA-1": 2, "MUG-1": 1})
        assert order.id is not None
        assert order_total(order) == Decimal("15.00")
        assert isinstance(order_total(order), Decimal)
    with sessions.begin() as session:
        tea = session.scalars(
            select(models.Product).where(models.Product.sku == "TEA-1")
        )
        tea.one().price = Decimal("99.00")
    with sessions() as session:
        (order,) = list_orders(session)
    assert [(i.product.sku, i.quantity, i.unit_price) for i in order.items] == [
        ("TEA-1", 2, Decimal("3.50")),
        ("MUG-1", 1, Decimal("8.00")),
    ]
    assert order_total(order) == Decimal("15.00")


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ({"TEA-1": 1, "NOPE-1": 1, "NOPE-2": 3}, ProductNotFound),
        ({"TEA-1": 1, "MUG-1": 0}, ValueError),
        ({"TEA-1": -2}, ValueError),
        ({}, ValueError),
    ],
)
def test_a_bad_order_is_refused_and_nothing_is_written(sessions, lines, error):
    with sessions() as session:
        with pytest.raises(error) as refused:
            place_order(session, customer="ada", lines=lines)
        assert not session.new, "check every input before session.add()"
        session.commit()
    if error is ProductNotFound:
        assert sorted(refused.value.skus) == ["NOPE-1", "NOPE-2"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Order)) == 0
        assert session.scalar(select(func.count()).select_from(models.OrderItem)) == 0


def test_an_order_loads_its_products_in_one_select_and_does_not_commit(
    engine, sessions
):
    with sessions() as session:
        with recorded(engine) as statements:
            place_order(
                session, customer="ada", lines={"TEA-1": 1, "TEA-2": 2, "MUG-1": 3}
            )
        session.rollback()
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Order)) == 0


def test_listing_orders_takes_the_same_few_queries_for_one_or_many(engine, sessions):
    place(sessions, 1)
    with sessions() as session, recorded(engine) as one:
        assert len(list_orders(session)) == 1
    place(sessions, 11)
    with sessions() as session, recorded(engine) as many:
        orders = list_orders(session)
        assert len(orders) == 12
        quantities = [sum(i.quantity for i in o.items) for o in orders]
        skus = {i.product.sku for o in orders for i in o.items}
    assert len(many) == len(one) <= 3
    assert quantities[-1] == 2 + 11
    assert skus == {"TEA-1", "MUG-1"}


def test_loaded_orders_stay_readable_after_the_session_closes(sessions):
    place(sessions, 2)
    with sessions() as session:
        orders = list_orders(session)
    assert [i.product.name for i in orders[1].items] == ["Green tea", "Big mug"]


def test_a_relationship_that_was_not_loaded_is_an_error_not_a_hidden_query(sessions):
    place(sessions, 1)
    with sessions() as session:
        order = session.scalars(select(models.Order)).one()
        with pytest.raises(InvalidRequestError):
            _ = order.items


def test_a_category_comes_with_its_products_sorted_by_sku(engine, sessions):
    with sessions() as session, recorded(engine) as statements:
        tea = category_with_products(session, "tea")
        assert category_with_products(session, "nothing") is None
    assert tea is not None
    assert [p.sku for p in tea.products] == ["TEA-1", "TEA-2"]
    assert len(statements) <= 3  # selectinload: 2 + 1; joinedload: 1 + 1


def test_deleting_an_order_deletes_its_items_but_not_the_products(sessions):
    place(sessions, 1)
    with sessions.begin() as session:
        (order,) = list_orders(session)
        session.delete(order)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.OrderItem)) == 0
        assert session.scalar(select(func.count()).select_from(models.Product)) == 3
