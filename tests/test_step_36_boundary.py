"""Step 36: API models show no internal field and no ORM object, and accept no more than their caller may set."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api_models import (
    OrderPublic,
    ProductPublic,
    SupplierChange,
    change_product,
    public_orders,
    public_products,
)
from app.errors import ProductNotFound
from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.orders import place_order
from app.schemas import ProductUpdate
from tests.statements import recorded

pytestmark = pytest.mark.postgres

# Names that no public read model may carry, at any depth.
FORBIDDEN = {"cost_price", "supplier_notes", "id", "category_id", "product_id", "order_id"}  # fmt: skip
CREATED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
# Every product's internal values, chosen to appear nowhere in public data
# (no timestamp or public price has three digits before a dot).
PRODUCTS = [
    ("TEA-1", "Green tea", "3.50", "tea", "111.17", "SECRET supplier: ships late"),
    ("TEA-2", "Black tea", "4.20", "tea", "222.73", "SECRET ask for the 2024 price"),
    ("MUG-1", "Mug", "12.99", None, "333.31", "SECRET chipped batch in May"),
    ("PEN-1", "Pen", "0.99", "office", None, None),
]
SECRETS = {"SECRET", "111.17", "222.73", "333.31"}


@pytest.fixture(scope="module")
def engine(postgres_urls):
    """One catalog with orders for the whole module; tests never commit."""
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    with Session(engine) as session, session.begin():
        categories = {
            name: models.Category(name=name) for name in ("tea", "office", "unused")
        }
        for sku, name, price, category, cost, notes in PRODUCTS:
            session.add(
                models.Product(
                    sku=sku,
                    name=name,
                    price=Decimal(price),
                    category=categories[category] if category else None,
                    cost_price=Decimal(cost) if cost else None,
                    supplier_notes=notes,
                    created_at=CREATED,
                )
            )
        session.flush()
        # Grace orders first: oldest first is not alphabetical order.
        place_order(session, customer="Grace", lines={"PEN-1": 10})
        place_order(session, customer="Ada", lines={"TEA-1": 2, "MUG-1": 1})
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session
        session.rollback()


def keys_and_values(data: object):
    """Every key and every leaf value of a dumped model, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, None
            yield from keys_and_values(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from keys_and_values(item)
    else:
        yield None, data


def assert_public(model: BaseModel) -> None:
    """Nothing internal in the model, dumped either way, nor in its schema, nor
    held in a field that the dumps leave out (``Field(exclude=True)``)."""
    assert isinstance(model, BaseModel)
    for held in models_within(model):
        assert not FORBIDDEN & set(type(held).model_fields)
        assert not [secret for secret in SECRETS if secret in repr(held)]
    for key, value in keys_and_values(model.model_dump()):
        assert key not in FORBIDDEN
        assert not isinstance(value, models.Base)  # an ORM object leaked
        assert isinstance(value, str | int | Decimal | datetime | None)
    text = model.model_dump_json()
    assert not FORBIDDEN & set(_json_keys(json.loads(text)))
    assert not [secret for secret in SECRETS if secret in text]
    assert not FORBIDDEN & set(
        type(model).model_json_schema(mode="serialization")["properties"]
    )


def models_within(model: BaseModel) -> list[BaseModel]:
    """The model and every model it holds, at any depth."""
    found = [model]
    for name in type(model).model_fields:
        value = getattr(model, name)
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, BaseModel):
                found += models_within(item)
    return found


def _json_keys(data: object) -> list[str]:
    return [key for key, _ in keys_and_values(data) if key is not None]


def test_every_product_and_every_order_serialises_without_internal_fields(session):
    products, orders = public_products(session), public_orders(session)
    assert [p.sku for p in products] == ["MUG-1", "PEN-1", "TEA-1", "TEA-2"]
    assert len(orders) == 2
    for model in [*products, *orders]:
        assert_public(model)
    for sku, *_ in PRODUCTS:
        assert_public(change_product(session, sku, ProductUpdate(name="Renamed")))


def test_a_public_product_holds_the_rows_values_and_its_category_name(session):
    products = {p.sku: p for p in public_products(session)}
    assert all(type(p) is ProductPublic for p in products.values())
    tea = products["TEA-1"]
    assert (tea.name, tea.price, tea.category) == ("Green tea", Decimal("3.50"), "tea")
    assert products["MUG-1"].category is None
    assert tea.updated_at.tzinfo is not None
    assert tea.model_dump(mode="json")["price"] == "3.50"


def test_a_public_order_shows_its_number_lines_by_sku_and_total(session):
    first, second = public_orders(session)
    assert type(first) is OrderPublic
    assert first.number < second.number
    assert (first.customer, second.customer) == ("Grace", "Ada")
    assert [(line.sku, line.quantity, line.unit_price) for line in second.lines] == [
        ("TEA-1", 2, Decimal("3.50")),
        ("MUG-1", 1, Decimal("12.99")),
    ]
    assert second.model_dump()["total"] == Decimal("19.99")
    assert first.model_dump(mode="json")["total"] == "9.90"


def test_public_orders_load_in_a_few_queries_however_many_orders(session):
    for customer in ("Edsger", "Barbara", "Donald"):
        place_order(session, customer=customer, lines={"TEA-2": 1})
    session.flush()
    with recorded(session.get_bind()) as statements:
        orders = public_orders(session)
    assert len(orders) == 5
    assert len(statements) <= 3, statements  # orders, their items, their products


def test_public_models_are_read_only(session):
    tea = public_products(session)[-2]
    with pytest.raises(ValidationError):
        tea.price = Decimal("0.01")


@pytest.mark.parametrize(
    "field, value",
    [
        ("cost_price", "0.10"),
        ("supplier_notes", "cheaper elsewhere"),
        ("id", 99),
        ("sku", "NEW-1"),
        ("updated_at", "2020-01-01T00:00:00Z"),
    ],
)
def test_a_client_cannot_set_internal_fields(field, value):
    with pytest.raises(ValidationError) as caught:
        ProductUpdate.model_validate({field: value})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("extra_forbidden", (field,))
    ]


@pytest.mark.parametrize(
    "field, value",
    [("price", "0.10"), ("name", "Cheap tea"), ("sku", "X"), ("category", "tea")],
)
def test_a_supplier_cannot_set_what_clients_see(field, value):
    with pytest.raises(ValidationError) as caught:
        SupplierChange.model_validate({field: value})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("extra_forbidden", (field,))
    ]


def test_a_supplier_change_validates_money_and_changes_only_what_it_sent(session):
    with pytest.raises(ValidationError):
        SupplierChange.model_validate({"cost_price": "1.999"})
    with pytest.raises(ValidationError):
        SupplierChange.model_validate({"cost_price": 1.5})
    shown = change_product(
        session, "TEA-1", SupplierChange.model_validate({"cost_price": "1.20"})
    )
    assert type(shown) is ProductPublic
    tea = session.scalars(
        select(models.Product).where(models.Product.sku == "TEA-1")
    ).one()
    assert tea.cost_price == Decimal("1.20")
    assert tea.supplier_notes == "SECRET supplier: ships late"
    assert (tea.name, tea.price) == ("Green tea", Decimal("3.50"))


def test_a_client_change_leaves_the_internal_fields_alone(session):
    shown = change_product(
        session, "TEA-2", ProductUpdate.model_validate({"price": "4.50"})
    )
    assert (shown.sku, shown.price, shown.category) == ("TEA-2", Decimal("4.50"), "tea")
    assert shown.updated_at > CREATED
    tea = session.scalars(
        select(models.Product).where(models.Product.sku == "TEA-2")
    ).one()
    assert (tea.name, tea.cost_price) == ("Black tea", Decimal("222.73"))
    assert tea.supplier_notes == "SECRET ask for the 2024 price"


def test_a_change_of_category_shows_the_new_category(session):
    shown = change_product(
        session, "MUG-1", ProductUpdate.model_validate({"category": "kitchen"})
    )
    assert shown.category == "kitchen"
    existing = change_product(
        session, "MUG-1", ProductUpdate.model_validate({"category": "office"})
    )
    assert existing.category == "office"
    assert (
        session.scalar(select(func.count()).where(models.Category.name == "office"))
        == 1
    )
    cleared = change_product(
        session, "TEA-1", ProductUpdate.model_validate({"category": None})
    )
    assert cleared.category is None


def test_the_caller_owns_the_transaction(session):
    change_product(session, "PEN-1", ProductUpdate.model_validate({"price": "1.50"}))
    session.rollback()
    pen = session.scalars(
        select(models.Product).where(models.Product.sku == "PEN-1")
    ).one()
    assert pen.price == Decimal("0.99")


def test_an_unknown_sku_is_product_not_found(session):
    with pytest.raises(ProductNotFound) as caught:
        change_product(session, "NOPE-1", ProductUpdate.model_validate({"name": "x"}))
    assert caught.value.skus == ("NOPE-1",)
