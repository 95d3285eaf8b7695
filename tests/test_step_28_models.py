"""Step 28: typed declarative models for categories and products."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Engine, String, create_engine, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable

from app.domain import MAX_CATEGORY, MAX_NAME, MAX_PRICE, MAX_SKU
from app.orm import models
from app.orm.models import Base, Category, Product

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
COLUMNS = {"id", "sku", "name", "price", "category_id", "created_at"}


def require_columns():
    missing = COLUMNS - set(Product.__table__.c.keys())
    assert not missing, f"models.Product has no column {sorted(missing)} yet"
    assert "name" in Category.__table__.c, "models.Category has no 'name' yet"


@pytest.fixture
def engine(tmp_path):
    # No column check here: a failed assertion in a fixture is a pytest error;
    # each test asks require_columns() itself, so a missing column is a failure.
    engine = create_engine(f"sqlite:///{tmp_path / 'store.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_products_have_typed_columns_with_money_as_numeric_12_2():
    require_columns()
    columns = Product.__table__.c
    assert isinstance(columns.price.type, models.ExactMoney), "use Money"
    assert isinstance(columns.created_at.type, models.UtcDateTime), "use Timestamp"
    assert not columns.sku.nullable and not columns.name.nullable
    # The store's product rules (app/domain.py) fix the lengths.
    types = [c.type for c in (columns.sku, columns.name, Category.__table__.c.name)]
    lengths = [t.length if isinstance(t, String) else t for t in types]
    assert lengths == [MAX_SKU, MAX_NAME, MAX_CATEGORY]
    numeric = columns.price.type.impl
    assert (numeric.precision, numeric.scale) == (12, 2)
    assert len(MAX_PRICE.as_tuple().digits) <= 12, "NUMERIC(12, 2) holds MAX_PRICE"
    assert columns.category_id.nullable
    assert columns.category_id.index
    (fk,) = columns.category_id.foreign_keys
    assert (fk.target_fullname, fk.ondelete) == ("categories.id", "SET NULL")


def test_constraint_names_follow_the_naming_convention():
    require_columns()
    # Indexes too: a later step turns the SKU's UNIQUE into a partial unique index.
    names = (
        {c.name for c in Product.__table__.constraints}
        | {c.name for c in Category.__table__.constraints}
        | {index.name for index in Product.__table__.indexes}
    )
    assert {
        "pk_products",
        "uq_products_sku",
        "ck_products_price_not_negative",
        "fk_products_category_id_categories",
        "uq_categories_name",
    } <= names


def test_postgresql_gets_numeric_and_timestamp_with_time_zone():
    require_columns()
    ddl = str(CreateTable(Product.__table__).compile(dialect=postgresql.dialect()))
    assert "NUMERIC(12, 2)" in ddl
    assert "TIMESTAMP WITH TIME ZONE" in ddl


def test_a_product_round_trips_with_exact_money_and_an_aware_time(engine):
    require_columns()
    plus_two = WHEN.astimezone(timezone(timedelta(hours=2)))
    with Session(engine) as session:
        tea = Category(name="tea")
        session.add(tea)
        session.flush()
        session.add(
            Product(
                sku="TEA-1",
                name="Thé vert 緑茶",
                price=Decimal("1234.56"),
                category_id=tea.id,
                created_at=plus_two,
            )
        )
        session.commit()
    with Session(engine) as session:
        again = session.scalars(select(Product).where(Product.sku == "TEA-1")).one()
        assert again.price == Decimal("1234.56")
        assert isinstance(again.price, Decimal)
        assert again.created_at == WHEN
        assert again.created_at.utcoffset() == timedelta(0)
        assert again.name == "Thé vert 緑茶"


def test_money_never_passes_through_a_float_on_sqlite(engine):
    require_columns()
    # 2**53 + 1 cents is the first whole number a float cannot hold; 0.10 and
    # 0.20 are the amounts whose float sum is 0.30000000000000004.
    huge = Decimal(2**53 + 1).scaleb(-2)
    prices = {"A": Decimal("0.10"), "B": Decimal("0.20"), "C": huge}
    with Session(engine) as session:
        session.add_all(
            Product(sku=sku, name="x", price=price, created_at=WHEN)
            for sku, price in prices.items()
        )
        session.commit()
    with Session(engine) as session:
        stored = session.execute(
            text("SELECT typeof(price), price FROM products ORDER BY sku")
        ).all()
        assert stored == [("integer", 10), ("integer", 20), ("integer", 2**53 + 1)]
        again = dict(session.execute(select(Product.sku, Product.price)).all())
        assert again == prices
        # A SUM() inside SQLite adds whole cents: 0.30, not 0.30000000000000004.
        total = session.scalar(
            select(func.sum(Product.price)).where(Product.sku != "C")
        )
        assert total == Decimal("0.30")


def test_money_with_a_third_decimal_place_or_as_a_float_is_refused(engine):
    require_columns()
    for price in (Decimal("9.999"), 9.99):
        with Session(engine) as session:
            session.add(Product(sku="X", name="x", price=price, created_at=WHEN))
            with pytest.raises(StatementError) as refused:
                session.commit()
        assert isinstance(refused.value.orig, ValueError | TypeError)


def test_a_naive_datetime_is_refused_before_it_is_stored(engine):
    require_columns()
    with Session(engine) as session:
        session.add(
            Product(
                sku="X", name="x", price=Decimal("1"), created_at=datetime(2026, 1, 1)
            )
        )
        with pytest.raises(StatementError) as refused:
            session.commit()
    # UtcDateTime (behind Timestamp) refuses it, before any SQL is sent.
    assert isinstance(refused.value.orig, ValueError)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (dict(sku="A", price=Decimal("1.00")), dict(sku="A", price=Decimal("2.00"))),
        (dict(sku="A", price=Decimal("-0.01")), None),
    ],
    ids=["duplicate-sku", "negative-price"],
)
def test_the_database_itself_refuses_a_duplicate_sku_or_a_negative_price(
    engine, first, second
):
    require_columns()
    rows = [r for r in (first, second) if r]
    with Session(engine) as session:
        session.add_all(Product(name="x", created_at=WHEN, **row) for row in rows)
        with pytest.raises(IntegrityError):
            session.commit()
    with Session(engine) as session:
        assert session.scalars(select(Product)).all() == []


def test_importing_the_models_builds_no_engine():
    assert not [v for v in vars(models).values() if isinstance(v, Engine)]
