"""Step 38: an append-only price history, "price as of T" on half-open ranges,
and two changes at once that queue instead of overlapping."""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Engine,
    MetaData,
    Table,
    column,
    create_engine,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from app.domain import utc_now
from app.errors import (
    BackdatedPriceChange,
    InvalidProduct,
    PriceNotKnown,
    ProductNotFound,
)
from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.prices import change_price, price_as_of, price_history

SKU = "TEA-1"
T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)  # the product's first price
T1 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T2 = T1 + timedelta(hours=1)
T3 = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
PARIS_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture(scope="module")
def pg_engine(postgres_urls):
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg(pg_engine):
    """An empty store on PostgreSQL (the module's database, emptied)."""
    with pg_engine.begin() as connection:
        connection.execute(
            text("TRUNCATE price_history, products, categories, orders CASCADE")
        )
    return pg_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """One product, TEA-1 at 3.50 since T0 (its history: one open version)."""
    if request.param == "postgres":
        engine = request.getfixturevalue("pg")
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        reset_schema(engine)
    with Session(engine) as session, session.begin():
        add_product(session, SKU, "3.50", history=True)
    yield engine
    if request.param == "sqlite":
        engine.dispose()


def add_product(session: Session, sku: str, price: str, *, history: bool) -> None:
    """A product created at T0; ``history``: with its first version, as the
    migration leaves every product it finds."""
    product = models.Product(sku=sku, name=sku, price=Decimal(price), created_at=T0)
    session.add(product)
    session.flush()
    if history:
        session.add(
            models.PriceVersion(
                product_id=product.id, price=Decimal(price), valid_from=T0
            )
        )
        session.flush()


def changed(engine: Engine, price: str, at: datetime, sku: str = SKU) -> None:
    with Session(engine) as session, session.begin():
        change_price(session, sku, Decimal(price), at=at)


def versions(engine: Engine, sku: str = SKU) -> list[tuple]:
    """The product's history as (price, valid_from, valid_to), read directly."""
    v, p = models.PriceVersion, models.Product
    with Session(engine) as session:
        rows = session.execute(
            select(v.price, v.valid_from, v.valid_to)
            .join(p, p.id == v.product_id)
            .where(p.sku == sku)
            .order_by(v.valid_from)
        )
        return [tuple(row) for row in rows]


def stored_rows(engine: Engine) -> dict[int, tuple]:
    """Every history row by id, with PostgreSQL's row version (xmin) when there."""
    xmin = ", xmin::text" if engine.dialect.name == "postgresql" else ""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT id, product_id, price, valid_from, valid_to{xmin} FROM price_history"
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def price_of(engine: Engine, sku: str = SKU) -> Decimal:
    with Session(engine) as session:
        return session.scalars(
            select(models.Product.price).where(models.Product.sku == sku)
        ).one()


def as_of(engine: Engine, at: datetime, sku: str = SKU) -> Decimal:
    with Session(engine) as session:
        return price_as_of(session, sku, at)


def test_a_change_closes_the_open_version_and_opens_the_next(store):
    with Session(store) as session, session.begin():
        new = change_price(session, SKU, Decimal("4.20"), at=T1)
        assert isinstance(new, models.PriceVersion)
        assert (new.price, new.valid_from, new.valid_to) == (Decimal("4.20"), T1, None)
        assert new.id is not None  # flushed
    assert versions(store) == [
        (Decimal("3.50"), T0, T1),
        (Decimal("4.20"), T1, None),
    ]
    assert price_of(store) == Decimal("4.20")
    with Session(store) as session:
        history = price_history(session, SKU)
    assert [(v.price, v.valid_from, v.valid_to) for v in history] == versions(store)


def test_the_instant_of_a_change_belongs_to_the_new_price(store):
    changed(store, "4.20", T1)
    changed(store, "4.80", T2)
    assert as_of(store, T0) == Decimal("3.50")
    assert as_of(store, T1 - TICK) == Decimal("3.50")
    assert as_of(store, T1) == Decimal("4.20")
    assert as_of(store, T2 - TICK) == Decimal("4.20")
    assert as_of(store, T2) == Decimal("4.80")
    assert as_of(store, T3 + timedelta(days=3650)) == Decimal("4.80")


def test_an_instant_in_another_time_zone_is_the_same_instant(store):
    changed(store, "4.20", T1)
    changed(store, "4.80", T2)
    local = T1.astimezone(PARIS_SUMMER)  # 14:00 in Paris is 12:00 UTC
    assert local.hour != T1.hour
    assert as_of(store, local) == Decimal("4.20")
    assert as_of(store, local - TICK) == Decimal("3.50")
    with Session(store) as session, session.begin():
        change_price(session, SKU, Decimal("5.00"), at=T3.astimezone(PARIS_SUMMER))
    assert versions(store)[-1] == (Decimal("5.00"), T3, None)


def test_before_the_first_version_no_price_is_known(store):
    changed(store, "4.20", T1)  # since is the first version's start, not the last's
    with Session(store) as session, pytest.raises(PriceNotKnown) as caught:
        price_as_of(session, SKU, T0 - TICK)
    assert (caught.value.sku, caught.value.at, caught.value.since) == (
        SKU,
        T0 - TICK,
        T0,
    )


def test_the_product_price_always_equals_the_open_version(store):
    steps = [("3.90", T1), ("4.10", T2), ("0.00", T3)]
    for n, (price, at) in enumerate(steps):
        changed(store, price, at + timedelta(days=n))
    before = versions(store)
    with Session(store) as session, session.begin():  # dated before the open one
        with pytest.raises(BackdatedPriceChange) as caught:
            change_price(session, SKU, Decimal("9.99"), at=T2)
    opened = T3 + timedelta(days=2)
    assert (caught.value.sku, caught.value.at, caught.value.since) == (SKU, T2, opened)
    assert versions(store) == before
    changed(store, "4.10", opened + timedelta(hours=1))
    changed(store, "4.10", opened + timedelta(hours=2))  # the current price again
    history = versions(store)
    assert [price for price, _, _ in history] == [
        Decimal(p) for p in ("3.50", "3.90", "4.10", "0.00", "4.10", "4.10")
    ]
    assert [valid_to for _, _, valid_to in history].count(None) == 1
    assert history[-1][2] is None
    assert price_of(store) == history[-1][0] == as_of(store, utc_now())
    # Consecutive: each version ends exactly where the next one starts.
    assert all(a[2] == b[1] for a, b in zip(history, history[1:], strict=False))


def test_a_change_at_the_very_start_of_the_open_version_is_refused(store):
    changed(store, "4.20", T1)
    with Session(store) as session, session.begin():
        with pytest.raises(BackdatedPriceChange) as caught:
            change_price(session, SKU, Decimal("4.30"), at=T1)
    assert (caught.value.at, caught.value.since) == (T1, T1)
    assert price_of(store) == Decimal("4.20")
    assert len(versions(store)) == 2


def test_a_change_only_closes_the_open_version_and_appends(store):
    for n, at in enumerate([T1, T2, T3]):
        before = stored_rows(store)
        (open_id,) = [i for i, row in before.items() if row[3] is None]
        changed(store, f"{5 + n}.00", at)
        after = stored_rows(store)
        assert len(after) == len(before) + 1
        for row_id, row in before.items():
            if row_id == open_id:  # closed at the change, nothing else
                assert after[row_id][:3] == row[:3]
                assert after[row_id][3] is not None
            else:  # untouched: PostgreSQL did not even write a new row version
                assert after[row_id] == row


def test_a_product_without_history_starts_it_at_its_first_change(store):
    with Session(store) as session, session.begin():
        add_product(session, "MUG-1", "12.00", history=False)
    with Session(store) as session, pytest.raises(PriceNotKnown) as caught:
        price_as_of(session, "MUG-1", T1)
    assert caught.value.since is None
    with Session(store) as session, session.begin():
        with pytest.raises(BackdatedPriceChange) as refused:
            change_price(session, "MUG-1", Decimal("1.00"), at=T0)
    assert refused.value.since == T0
    assert versions(store, "MUG-1") == []
    changed(store, "13.50", T1, sku="MUG-1")
    assert versions(store, "MUG-1") == [
        (Decimal("12.00"), T0, T1),
        (Decimal("13.50"), T1, None),
    ]
    assert as_of(store, T1 - TICK, "MUG-1") == Decimal("12.00")


def test_the_change_leaves_the_transaction_to_the_caller(store):
    before = stored_rows(store)
    with Session(store) as session:
        change_price(session, SKU, Decimal("4.20"), at=T1)
        session.rollback()
    assert stored_rows(store) == before
    assert price_of(store) == Decimal("3.50")


def test_an_unknown_sku_is_product_not_found(store):
    with Session(store) as session:
        with pytest.raises(ProductNotFound) as caught:
            change_price(session, "NOPE-1", Decimal("1.00"), at=T1)
        assert caught.value.sku == "NOPE-1"
        with pytest.raises(ProductNotFound):
            price_as_of(session, "NOPE-1", T1)
        with pytest.raises(ProductNotFound):
            price_history(session, "NOPE-1")


def test_a_naive_instant_is_refused_and_the_default_is_now_in_utc(store):
    naive = datetime(2026, 3, 1, 12, 0)
    with Session(store) as session:
        with pytest.raises(ValueError):
            change_price(session, SKU, Decimal("4.20"), at=naive)
        with pytest.raises(ValueError):
            price_as_of(session, SKU, naive)
    before = utc_now()
    with Session(store) as session, session.begin():
        started = change_price(session, SKU, Decimal("4.20")).valid_from
    after = utc_now()
    assert started.utcoffset() == timedelta(0)
    assert before <= started <= after
    assert versions(store)[1] == (Decimal("4.20"), started, None)


@pytest.mark.postgres
def test_postgresql_refuses_two_versions_that_overlap(pg):
    with Session(pg) as session, session.begin():
        add_product(session, SKU, "3.50", history=True)
    changed(pg, "4.20", T1)
    product_id = pg_scalar(pg, "SELECT id FROM products WHERE sku = :sku", sku=SKU)
    with Session(pg) as session, session.begin():  # touching is no overlap: [) ranges
        session.add(
            models.PriceVersion(
                product_id=product_id,
                price=Decimal("3.00"),
                valid_from=T0 - timedelta(days=1),
                valid_to=T0,
            )
        )
    with Session(pg) as session, pytest.raises(InvalidProduct) as caught:
        session.add(
            models.PriceVersion(
                product_id=product_id,
                price=Decimal("9.99"),
                valid_from=T1 - timedelta(days=1),
                valid_to=T1 + timedelta(days=1),
            )
        )
        session.flush()
    # The store's error for a refused row; PostgreSQL's own report behind it.
    assert ("23P01", "ex_price_history_no_overlap") in refusals(caught.value)
    with Session(pg) as session:  # the version added last comes first in time
        starts = [v.valid_from for v in price_history(session, SKU)]
    assert starts == [T0 - timedelta(days=1), T0, T1]


def refusals(error: BaseException | None) -> set[tuple[str, str]]:
    """(SQLSTATE, constraint) of every PostgreSQL error in ``error``'s causes."""
    found = set()
    while error is not None:
        for candidate in (error, getattr(error, "orig", None)):
            if (diag := getattr(candidate, "diag", None)) is not None:
                found.add((getattr(candidate, "pgcode", ""), diag.constraint_name))
        error = error.__cause__ or error.__context__
    return found


def pg_scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.scalar(text(sql), params)


# Two changes of one product at once: the first holds its transaction open
# while the second is started and seen waiting for a lock; then the first
# commits.


class Changer(threading.Thread):
    """One price change in its own session and thread; ``error`` if it failed."""

    def __init__(self, engine: Engine, price: str, at: datetime) -> None:
        super().__init__(daemon=True)
        self.price, self.at = Decimal(price), at
        self.error: Exception | None = None
        self.session = Session(engine)
        self.pid = self.session.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def run(self) -> None:
        try:
            change_price(self.session, SKU, self.price, at=self.at)
            self.session.commit()
        except Exception as error:  # kept for the test to judge
            self.error = error
            self.session.rollback()
        finally:
            self.session.close()


def wait_until_blocked(engine: Engine, pid: int) -> None:
    """Return once backend ``pid`` waits for a lock (fail after 10 s)."""
    deadline = time.monotonic() + 10
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.scalar(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            )
            watcher.rollback()  # a new transaction sees fresh statistics
            if waiting == "Lock":
                return
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} never waited for a lock")


@pytest.mark.postgres
def test_two_changes_at_once_queue_and_make_consecutive_versions(pg):
    with Session(pg) as session, session.begin():
        add_product(session, SKU, "3.50", history=True)
    first = Session(pg)
    try:
        change_price(first, SKU, Decimal("4.20"), at=T1)  # not committed yet
        second = Changer(pg, "4.80", T2)
        second.start()
        wait_until_blocked(pg, second.pid)
        first.commit()
    finally:
        first.close()
    second.join(timeout=30)
    assert not second.is_alive()
    assert second.error is None
    assert versions(pg) == [
        (Decimal("3.50"), T0, T1),
        (Decimal("4.20"), T1, T2),
        (Decimal("4.80"), T2, None),
    ]
    assert price_of(pg) == Decimal("4.80")


# The given migration: every product it finds gets one open version.


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def at_0005(request, tmp_path):
    """A connection to a database migrated to 0005, holding two products."""
    if request.param == "sqlite":
        # A plain engine, as `alembic` itself makes: foreign keys off. Batch
        # mode copies a table to alter it on SQLite, and with them on, the
        # DROP of the old copy would check (or cascade to) the rows of the
        # tables that refer to it.
        engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        schema = None
    else:
        engine = make_engine(request.getfixturevalue("postgres_urls").sync)
        schema = f"step38_{secrets.token_hex(4)}"
    with engine.connect() as connection:
        if schema:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            connection.execute(text(f'SET search_path TO "{schema}"'))
        command.upgrade(alembic_config(connection), "0005")
        products = Table("products", MetaData(), autoload_with=connection)
        cents = connection.dialect.name == "sqlite"  # SQLite keeps whole cents
        connection.execute(
            products.insert(),
            [
                {
                    "sku": sku,
                    "name": sku,
                    "price": int(price * 100) if cents else price,
                    "created_at": created,
                    "updated_at": created,
                }
                for sku, price, created in [
                    ("TEA-1", Decimal("3.50"), T0),
                    ("MUG-1", Decimal("12.99"), T0 + timedelta(days=5)),
                ]
            ],
        )
        try:
            yield connection
        finally:
            connection.rollback()
            if schema:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.commit()
    engine.dispose()


def alembic_config(connection) -> Config:
    root = Path(__file__).resolve().parents[1]
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    config.attributes["connection"] = connection
    return config


def test_the_migration_gives_every_product_one_open_version(at_0005):
    command.upgrade(alembic_config(at_0005), "0006")
    if at_0005.dialect.name == "postgresql":
        exclusions = at_0005.scalars(
            text(
                "SELECT conname FROM pg_constraint"
                " WHERE contype = 'x' AND conrelid = 'price_history'::regclass"
            )
        ).all()
        assert exclusions == ["ex_price_history_no_overlap"]
    # Read at revision 0006 through the table alone: the models describe the
    # head, which later steps move on.
    versions = models.PriceVersion.__table__
    products = table("products", column("id"), column("sku"))
    found = at_0005.execute(
        select(products.c.sku, versions.c.price, versions.c.valid_from)
        .add_columns(versions.c.valid_to)
        .join_from(versions, products, versions.c.product_id == products.c.id)
        .order_by(products.c.sku)
    ).all()
    assert [tuple(row) for row in found] == [
        ("MUG-1", Decimal("12.99"), T0 + timedelta(days=5), None),
        ("TEA-1", Decimal("3.50"), T0, None),
    ]
    command.upgrade(alembic_config(at_0005), "head")
    with Session(bind=at_0005) as session:
        change_price(session, "TEA-1", Decimal("3.80"), at=T1)
        assert price_as_of(session, "TEA-1", T1 - TICK) == Decimal("3.50")
        assert price_as_of(session, "TEA-1", T1) == Decimal("3.80")
    command.downgrade(alembic_config(at_0005), "0005")
    assert "price_history" not in inspect(at_0005).get_table_names()
