"""Step 42: soft deletes: hidden from every read, restorable, purged after a retention period."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload, sessionmaker

from app.api_models import public_orders, public_products
from app.domain import Product
from app.errors import DuplicateSku, ProductNotFound
from app.orm import models
from app.orm.database import make_sessions
from app.orm.lifecycle import install_soft_delete, purge, restore, soft_delete
from app.orm.orders import category_with_products, list_orders, place_order
from app.orm.prices import change_price
from app.orm.queries import delete_category_products, find_products, reprice_category
from app.orm.repository import OrmProductRepository
from app.orm.upserts import FeedLine, import_feed

ROOT = Path(__file__).resolve().parents[1]
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RETENTION = timedelta(days=30)
CUTOFF = NOW - RETENTION  # purge(older_than=RETENTION, now=NOW) keeps from here on


def hiding(engine: Engine) -> sessionmaker[Session]:
    """A session factory with the soft-delete rule installed."""
    sessions = make_sessions(engine)
    install_soft_delete(sessions)
    return sessions


def seed(engine: Engine, *skus: str, category: str = "tea") -> None:
    """Live products named after their SKU, in one category, without the rule."""
    with Session(engine) as session, session.begin():
        group = session.scalar(
            select(models.Category).where(models.Category.name == category)
        ) or models.Category(name=category)
        session.add_all(
            models.Product(
                sku=sku,
                name=f"Product {sku}",
                price=Decimal("3.50"),
                category=group,
                created_at=CREATED,
            )
            for sku in skus
        )


def deleted(engine: Engine, *skus: str, when: datetime = NOW) -> None:
    with hiding(engine).begin() as session:
        for sku in skus:
            soft_delete(session, sku, now=when)


def every_row(engine: Engine) -> list[tuple[str, str, datetime | None]]:
    """(sku, name, deleted_at) of every row, seen without the rule."""
    p = models.Product
    with Session(engine) as session:
        rows = session.execute(select(p.sku, p.name, p.deleted_at).order_by(p.id))
        return [(sku, name, deleted_at) for sku, name, deleted_at in rows]


def test_soft_delete_keeps_the_row_and_sets_deleted_at(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1", when=NOW)
    assert every_row(engine) == [
        ("TEA-1", "Product TEA-1", NOW),
        ("TEA-2", "Product TEA-2", None),
    ]


def test_soft_delete_refuses_a_sku_without_a_live_product(engine):
    seed(engine, "TEA-1")
    deleted(engine, "TEA-1")
    with hiding(engine).begin() as session:
        for sku in ("TEA-1", "NOPE-1"):
            with pytest.raises(ProductNotFound) as refused:
                soft_delete(session, sku, now=NOW)
            assert refused.value.skus == (sku,)
    assert every_row(engine) == [("TEA-1", "Product TEA-1", NOW)]


def test_deleted_products_are_hidden_from_selects_counts_and_get(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    p = models.Product
    with hiding(engine)() as session:
        assert [row.sku for row in session.scalars(select(p))] == ["TEA-2"]
        assert session.scalars(select(p.sku)).all() == ["TEA-2"]
        assert session.scalar(select(func.count()).select_from(p)) == 1
        assert session.scalar(select(func.count(p.id))) == 1
        first = session.scalar(select(p.id).where(p.sku == "TEA-1"))
        assert first is None
    with Session(engine) as plain:
        first_id = plain.scalar(select(p.id).where(p.sku == "TEA-1"))
    with hiding(engine)() as session:
        assert session.get(p, first_id) is None  # a fresh session asks the database


def test_deleted_products_are_hidden_from_a_categorys_products(engine):
    seed(engine, "TEA-1", "TEA-2", "TEA-3")
    deleted(engine, "TEA-2")
    with hiding(engine)() as session:
        tea = category_with_products(session, "tea")
        assert tea is not None
        assert [p.sku for p in tea.products] == ["TEA-1", "TEA-3"]
    with hiding(engine)() as session:
        joined = session.scalars(
            select(models.Category).options(joinedload(models.Category.products))
        ).unique()
        assert [p.sku for p in joined.one().products] == ["TEA-1", "TEA-3"]
    with hiding(engine)() as session:
        products = session.scalars(
            select(models.Product).options(selectinload(models.Product.category))
        )
        assert [p.sku for p in products] == ["TEA-1", "TEA-3"]


def test_deleted_products_are_hidden_from_searches_and_the_repository(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    with hiding(engine)() as session:
        assert [p.sku for p in find_products(session, text="tea")] == ["TEA-2"]
        assert [p.sku for p in find_products(session, category="tea")] == ["TEA-2"]
        assert [p.sku for p in public_products(session)] == ["TEA-2"]
    repository = OrmProductRepository(hiding(engine))
    assert [p.sku for p in repository.list()] == ["TEA-2"]
    assert [p.sku for p in repository.search("TEA")] == ["TEA-2"]
    with pytest.raises(ProductNotFound):
        repository.get("TEA-1")


def test_an_alias_of_products_does_not_bring_deleted_ones_back(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    seed(engine, "TEA-1")  # a new live product with the old SKU
    p, twin = models.Product, aliased(models.Product)
    with hiding(engine)() as session:
        pairs = session.execute(
            select(p.sku, twin.id).join(twin, twin.sku == p.sku).order_by(p.sku)
        ).all()
        live_ids = session.scalars(select(p.id).order_by(p.sku)).all()
    assert pairs == list(zip(["TEA-1", "TEA-2"], live_ids, strict=True))


def test_include_deleted_shows_them_again(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    everything = {"include_deleted": True}
    with hiding(engine)() as session:
        rows = session.scalars(
            select(models.Product).order_by(models.Product.sku),
            execution_options=everything,
        )
        assert [(r.sku, r.deleted_at) for r in rows] == [
            ("TEA-1", NOW),
            ("TEA-2", None),
        ]
        tea = session.scalar(
            select(models.Category)
            .options(selectinload(models.Category.products))
            .execution_options(include_deleted=True)
        )
        assert tea is not None
        assert [p.sku for p in tea.products] == ["TEA-1", "TEA-2"]


def test_an_old_order_still_shows_its_line_for_a_deleted_product(engine):
    seed(engine, "TEA-1", "TEA-2")
    with hiding(engine).begin() as session:
        place_order(session, customer="Ada", lines={"TEA-1": 2, "TEA-2": 1})
    deleted(engine, "TEA-1")
    with hiding(engine)() as session:
        (order,) = list_orders(session)
        assert [(i.product.sku, i.quantity) for i in order.items] == [
            ("TEA-1", 2),
            ("TEA-2", 1),
        ]
        assert order.items[0].product.deleted_at == NOW
    with hiding(engine)() as session:
        (public,) = public_orders(session)
        assert [line.sku for line in public.lines] == ["TEA-1", "TEA-2"]
        assert public.total == Decimal("10.50")


def test_a_deleted_product_cannot_be_ordered_repriced_or_updated(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    with hiding(engine).begin() as session:
        with pytest.raises(ProductNotFound) as refused:
            place_order(session, customer="Ada", lines={"TEA-1": 1})
        assert refused.value.skus == ("TEA-1",)
        assert reprice_category(session, "tea", Decimal("10")) == 1
    repository = OrmProductRepository(hiding(engine))
    with pytest.raises(ProductNotFound):
        repository.update(
            Product(sku="TEA-1", name="Back?", price=Decimal("1.00"), category="tea")
        )
    with Session(engine) as plain:
        prices = plain.execute(
            select(models.Product.sku, models.Product.price).order_by(
                models.Product.sku
            )
        ).all()
    assert prices == [("TEA-1", Decimal("3.50")), ("TEA-2", Decimal("3.85"))]


def test_a_bulk_delete_leaves_the_deleted_products_alone(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    with hiding(engine).begin() as session:
        assert delete_category_products(session, "tea") == 1
    assert [sku for sku, _, _ in every_row(engine)] == ["TEA-1"]


def test_a_delete_without_now_is_stamped_with_the_current_utc_time(engine):
    seed(engine, "TEA-1")
    before = datetime.now(UTC)
    with hiding(engine).begin() as session:
        soft_delete(session, "TEA-1")
    ((sku, _, stamped),) = every_row(engine)
    assert stamped is not None and stamped.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= stamped <= datetime.now(UTC)


def test_every_new_session_factory_hides_deleted_products(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-1")
    for _ in range(20):  # the listener must not mistake one factory for another
        with hiding(engine)() as session:
            assert session.scalars(select(models.Product.sku)).all() == ["TEA-2"]


def test_a_sku_is_free_again_after_a_delete_and_taken_while_live(engine):
    seed(engine, "TEA-1")
    repository = OrmProductRepository(hiding(engine))
    deleted(engine, "TEA-1")
    repository.add(Product(sku="TEA-1", name="New tea", price=Decimal("4.00")))
    assert repository.get("TEA-1").name == "New tea"
    with pytest.raises(DuplicateSku) as refused:
        repository.add(Product(sku="TEA-1", name="Third", price=Decimal("5.00")))
    assert refused.value.skus == ("TEA-1",)
    assert [(sku, name) for sku, name, _ in every_row(engine)] == [
        ("TEA-1", "Product TEA-1"),
        ("TEA-1", "New tea"),
    ]


def test_the_database_keeps_a_sku_unique_among_live_products_only(engine):
    def add(sku: str, deleted_at: datetime | None) -> None:
        with Session(engine) as session, session.begin():
            session.add(
                models.Product(
                    sku=sku,
                    name=sku,
                    price=Decimal("1.00"),
                    created_at=CREATED,
                    deleted_at=deleted_at,
                )
            )

    add("MUG-1", NOW)
    add("MUG-1", NOW)  # two deleted ones: allowed
    add("MUG-1", None)
    with pytest.raises(IntegrityError):
        add("MUG-1", None)


def test_a_feed_line_for_a_deleted_sku_makes_a_new_live_product(engine):
    seed(engine, "TEA-1")
    deleted(engine, "TEA-1")
    line = FeedLine(sku="TEA-1", name="Tea again", price=Decimal("4.20"))
    with hiding(engine).begin() as session:
        assert import_feed(session, [line], now=NOW) == 1
        assert import_feed(session, [line], now=NOW) == 0  # a replay writes nothing
    assert every_row(engine) == [
        ("TEA-1", "Product TEA-1", NOW),
        ("TEA-1", "Tea again", None),
    ]


def test_restore_brings_back_the_product_deleted_last(engine):
    seed(engine, "TEA-1")
    deleted(engine, "TEA-1", when=NOW - timedelta(days=2))
    with Session(engine) as session, session.begin():
        session.add(
            models.Product(
                sku="TEA-1", name="Second", price=Decimal("2.00"), created_at=CREATED
            )
        )
    deleted(engine, "TEA-1", when=NOW - timedelta(days=1))
    with hiding(engine).begin() as session:
        restore(session, "TEA-1")
    assert every_row(engine) == [
        ("TEA-1", "Product TEA-1", NOW - timedelta(days=2)),
        ("TEA-1", "Second", None),
    ]
    assert OrmProductRepository(hiding(engine)).get("TEA-1").name == "Second"


def test_restore_refuses_while_a_live_product_has_the_sku(engine):
    seed(engine, "TEA-1")
    deleted(engine, "TEA-1")
    seed(engine, "TEA-1")
    before = every_row(engine)
    with hiding(engine).begin() as session:
        with pytest.raises(DuplicateSku) as refused:
            restore(session, "TEA-1")
        assert refused.value.skus == ("TEA-1",)
    assert every_row(engine) == before


def test_restore_refuses_a_sku_with_nothing_deleted(engine):
    seed(engine, "TEA-1")
    with hiding(engine).begin() as session:
        for sku in ("TEA-1", "NOPE-1"):
            with pytest.raises(ProductNotFound) as refused:
                restore(session, sku)
            assert refused.value.skus == (sku,)


def test_purge_removes_only_what_was_deleted_before_the_retention_period(engine):
    tick = timedelta(microseconds=1)
    seed(engine, "OLD-1", "EDGE-1", "NEW-1", "LIVE-1")
    deleted(engine, "OLD-1", when=CUTOFF - tick)
    deleted(engine, "EDGE-1", when=CUTOFF)  # exactly 30 days ago: kept
    deleted(engine, "NEW-1", when=CUTOFF + tick)
    with hiding(engine).begin() as session:
        assert purge(session, older_than=RETENTION, now=NOW) == 1
    assert [sku for sku, _, _ in every_row(engine)] == ["EDGE-1", "NEW-1", "LIVE-1"]
    with hiding(engine).begin() as session:
        later = NOW + timedelta(days=1)
        assert purge(session, older_than=RETENTION, now=later) == 2
    assert [sku for sku, _, _ in every_row(engine)] == ["LIVE-1"]


def test_purge_keeps_a_deleted_product_that_an_order_line_names(engine):
    seed(engine, "TEA-1", "TEA-2")
    with hiding(engine).begin() as session:
        place_order(session, customer="Ada", lines={"TEA-1": 1})
    deleted(engine, "TEA-1", "TEA-2", when=CUTOFF - timedelta(days=365))
    with hiding(engine).begin() as session:
        assert purge(session, older_than=RETENTION, now=NOW) == 1
    assert [sku for sku, _, _ in every_row(engine)] == ["TEA-1"]
    with hiding(engine)() as session:
        (order,) = list_orders(session)
        assert order.items[0].product.sku == "TEA-1"


def test_purge_takes_the_products_history_stock_picks_and_image_rows_with_it(engine):
    seed(engine, "TEA-1", "TEA-2")
    with hiding(engine).begin() as session:
        change_price(session, "TEA-1", Decimal("4.00"), at=CUTOFF - timedelta(days=10))
        change_price(session, "TEA-2", Decimal("5.00"), at=CUTOFF - timedelta(days=10))
        tea = session.scalars(
            select(models.Product).where(models.Product.sku == "TEA-1")
        ).one()
        session.add(
            models.ProductImage(
                product_id=tea.id,
                sha256="0" * 64,
                size=1,
                content_type="image/png",
                created_at=NOW,
            )
        )
        session.add(models.StockLevel(product_id=tea.id, quantity=3))
        session.add(models.PickTask(product_id=tea.id, quantity=1))
    deleted(engine, "TEA-1", when=CUTOFF - timedelta(days=1))
    with hiding(engine).begin() as session:
        assert purge(session, older_than=RETENTION, now=NOW) == 1
    with Session(engine) as session:
        owners = session.scalars(select(models.PriceVersion.product_id)).all()
        products = session.scalars(select(models.Product.id)).all()
        assert owners and set(owners) <= set(products)  # TEA-2's history stays
        assert session.scalar(select(func.count(models.ProductImage.id))) == 0
        assert session.scalar(select(func.count(models.PickTask.id))) == 0
        assert session.scalar(select(func.count(models.StockLevel.product_id))) == 0


def test_purge_refuses_a_negative_retention(engine):
    seed(engine, "TEA-1")
    deleted(engine, "TEA-1", when=NOW)
    with hiding(engine).begin() as session, pytest.raises(ValueError):
        purge(session, older_than=timedelta(days=-1), now=NOW)
    assert len(every_row(engine)) == 1


def test_nothing_is_committed_by_the_lifecycle_functions(engine):
    seed(engine, "TEA-1", "TEA-2")
    deleted(engine, "TEA-2", when=CUTOFF - timedelta(days=1))
    sessions = hiding(engine)
    for change in (
        lambda session: soft_delete(session, "TEA-1", now=NOW),
        lambda session: restore(session, "TEA-2"),
        lambda session: purge(session, older_than=RETENTION, now=NOW),
    ):
        with sessions() as session:
            session.begin()
            change(session)
            session.rollback()
    assert every_row(engine) == [
        ("TEA-1", "Product TEA-1", None),
        ("TEA-2", "Product TEA-2", CUTOFF - timedelta(days=1)),
    ]


def test_get_in_the_session_that_deleted_it_still_returns_the_object(engine):
    """What SQLAlchemy does (the text says it): get() finds an object already
    in the session's identity map without a query, so without the rule."""
    seed(engine, "TEA-1")
    with hiding(engine).begin() as session:
        product = session.scalars(select(models.Product)).one()
        soft_delete(session, "TEA-1", now=NOW)
        assert session.get(models.Product, product.id) is product
        assert product.deleted_at == NOW  # check it yourself after a get()
        assert session.scalars(select(models.Product)).all() == []


# --- the migration (given): the same rules in a database built by Alembic


def alembic_config(connection) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated(request, tmp_path):
    """A connection to a database at the migrations' head (PostgreSQL: its own schema)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        schema = None
    else:
        engine = create_engine(request.getfixturevalue("postgres_urls").sync)
        schema = f"step42_{secrets.token_hex(4)}"
    with engine.connect() as connection:
        if schema:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            connection.execute(text(f'SET search_path TO "{schema}"'))
        command.upgrade(alembic_config(connection), "head")
        try:
            yield connection
        finally:
            connection.rollback()
            if schema:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.commit()
    engine.dispose()


def insert(connection, sku: str, deleted_at: datetime | None) -> None:
    connection.execute(
        text(
            "INSERT INTO products (sku, name, price, created_at, updated_at, deleted_at)"
            " VALUES (:sku, :sku, 100, :at, :at, :deleted_at)"
        ),
        {"sku": sku, "at": CREATED, "deleted_at": deleted_at},
    )


def test_after_the_migrations_a_sku_is_unique_among_live_rows_only(migrated):
    insert(migrated, "MUG-1", NOW)
    insert(migrated, "MUG-1", None)
    with pytest.raises(IntegrityError):
        with migrated.begin_nested():
            insert(migrated, "MUG-1", None)


def test_the_downgrade_refuses_while_a_product_is_soft_deleted(migrated):
    insert(migrated, "MUG-1", NOW)
    with pytest.raises(RuntimeError, match="MUG-1"):
        command.downgrade(alembic_config(migrated), "0009-1")
    assert migrated.scalar(text("SELECT count(*) FROM products")) == 1
    migrated.execute(text("DELETE FROM products"))
    command.downgrade(alembic_config(migrated), "0009-1")
    insert_plain = text(
        "INSERT INTO products (sku, name, price, created_at, updated_at)"
        " VALUES ('MUG-1', 'a', 100, :at, :at)"
    )
    migrated.execute(insert_plain, {"at": CREATED})
    with pytest.raises(IntegrityError):
        with migrated.begin_nested():
            migrated.execute(insert_plain, {"at": CREATED})
