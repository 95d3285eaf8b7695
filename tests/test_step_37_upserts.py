"""Step 37: the supplier feed as idempotent upserts: a replay changes nothing, two imports at once never deadlock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.errors import DatabaseBusy, DuplicateSku
from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.upserts import FeedLine, import_feed
from tests.statements import recorded

T1 = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
T2 = datetime(2026, 1, 2, 6, 0, tzinfo=UTC)
T3 = datetime(2026, 1, 3, 6, 0, tzinfo=UTC)


def line(sku: str, name: str, price: str, cost: str | None = None) -> FeedLine:
    return FeedLine.model_validate(
        {"sku": sku, "name": name, "price": price, "cost_price": cost}
    )


# Not in SKU order on purpose: the feed arrives as the supplier sorts it.
FEED = [
    line(f"SKU-{n:03d}", f"Product {n}", f"{n}.99", f"{n // 2}.10" if n % 3 else None)
    for n in (17, 3, 42, 8, 25, 1, 33, 12, 50, 29)
]


@pytest.fixture(scope="module")
def pg_engine(postgres_urls):
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg(pg_engine):
    """An empty catalog on PostgreSQL (the module's database, emptied)."""
    with pg_engine.begin() as connection:
        connection.execute(text("TRUNCATE products, categories, orders CASCADE"))
    return pg_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty catalog, on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        yield request.getfixturevalue("pg")
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    reset_schema(engine)
    yield engine
    engine.dispose()


def imported(engine: Engine, lines: list[FeedLine], now: datetime) -> int:
    with Session(engine) as session, session.begin():
        return import_feed(session, lines, now=now)


def catalog(engine: Engine) -> dict[str, tuple]:
    p = models.Product
    with Session(engine) as session:
        rows = session.execute(
            select(p.sku, p.name, p.price, p.cost_price, p.created_at, p.updated_at)
        )
        return {sku: tuple(rest) for sku, *rest in rows}


def row_versions(session: Session) -> object:
    """Something that changes whenever a row is written, even with equal values."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT sku, xmin::text FROM products")).all()
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    return dbapi.total_changes


def test_a_first_import_inserts_every_line(store):
    assert imported(store, FEED, T1) == len(FEED)
    stored = catalog(store)
    assert sorted(stored) == sorted(item.sku for item in FEED)
    for item in FEED:
        name, price, cost, created, updated = stored[item.sku]
        assert (name, price, cost) == (item.name, item.price, item.cost_price)
        assert created == updated == T1


def test_a_replay_changes_nothing_not_even_updated_at(store):
    imported(store, FEED, T1)
    before = catalog(store)
    with Session(store) as session, session.begin():
        versions = row_versions(session)
        assert import_feed(session, FEED, now=T2) == 0
        assert row_versions(session) == versions  # no row was written at all
    assert catalog(store) == before


def test_a_changed_feed_writes_exactly_the_changed_lines(store):
    imported(store, FEED, T1)
    changes = {
        "SKU-017": line("SKU-017", "Product 17", "18.50", "8.10"),  # price
        "SKU-003": line("SKU-003", "Product three", "3.99", None),  # name
        "SKU-042": line("SKU-042", "Product 42", "42.99", "20.00"),  # NULL -> cost
        "SKU-008": line("SKU-008", "Product 8", "8.99", None),  # cost -> NULL
    }
    new = line("SKU-060", "Product 60", "60.00")
    second = [changes.get(item.sku, item) for item in FEED] + [new]
    assert imported(store, second, T3) == len(changes) + 1
    stored = catalog(store)
    for item in second:
        name, price, cost, created, updated = stored[item.sku]
        assert (name, price, cost) == (item.name, item.price, item.cost_price)
        expected = T3 if item.sku in changes or item is new else T1
        assert (item.sku, updated) == (item.sku, expected)
        assert (item.sku, created) == (item.sku, T3 if item is new else T1)


def test_products_missing_from_the_feed_stay_as_they_are(store):
    imported(store, FEED, T1)
    before = catalog(store)
    assert imported(store, FEED[:3], T2) == 0
    assert catalog(store) == before


def test_a_feed_that_repeats_a_sku_sends_nothing(store):
    twice = [*FEED, line("SKU-042", "Again", "1.00"), line("SKU-001", "Again", "1.00")]
    with recorded(store) as statements, pytest.raises(DuplicateSku) as caught:
        imported(store, twice, T1)
    assert sorted(caught.value.skus) == ["SKU-001", "SKU-042"]
    assert [s for s in statements if "products" in s.lower()] == []


def test_the_import_leaves_the_transaction_to_the_caller(store):
    with Session(store) as session:
        assert import_feed(session, FEED, now=T1) == len(FEED)
        session.rollback()
    assert catalog(store) == {}


def test_without_now_the_rows_are_stamped_with_the_current_time(store):
    before = datetime.now(UTC)
    with Session(store) as session, session.begin():
        assert import_feed(session, FEED[:1]) == 1
    after = datetime.now(UTC)
    created, updated = catalog(store)[FEED[0].sku][3:]
    assert before - timedelta(seconds=1) <= created == updated <= after


def test_an_empty_feed_is_fine(store):
    with recorded(store) as statements:
        assert imported(store, [], T1) == 0
    assert [s for s in statements if "products" in s.lower()] == []


# Two imports at once, forced into the interleaving that deadlocks unsorted
# batches: a third connection holds the middle row, both imports queue behind
# it, then it lets go.
K1, K2, K3, NEW = "SKU-001", "SKU-003", "SKU-008", "SKU-099"


def batch(label: str, skus: list[str]) -> list[FeedLine]:
    return [line(sku, f"{label} {sku}", "5.00") for sku in skus]


class Importer(threading.Thread):
    """One import in its own session and thread; ``error`` if it failed."""

    def __init__(self, engine: Engine, lines: list[FeedLine], now: datetime, write):
        super().__init__(daemon=True)
        self.lines, self.now, self.write = lines, now, write
        self.error: Exception | None = None
        self.session = Session(engine)
        self.pid = self.session.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def run(self) -> None:
        try:
            self.write(self.session, self.lines, now=self.now)
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
    raise AssertionError(f"backend {pid} never waited for a row lock")


def race(engine: Engine, first, second, write=None) -> list[Exception | None]:
    """Import ``first`` then ``second`` while the middle row is held, then let
    go; return their errors."""
    imported(engine, batch("old", [K1, K2, K3]), T1)
    with engine.connect() as holder:
        holder.execute(
            text("SELECT 1 FROM products WHERE sku = :sku FOR UPDATE"), {"sku": K2}
        )
        a = Importer(engine, first, T2, write or import_feed)
        b = Importer(engine, second, T3, write or import_feed)
        a.start()
        wait_until_blocked(engine, a.pid)
        b.start()
        wait_until_blocked(engine, b.pid)
        holder.rollback()
    for importer in (a, b):
        importer.join(timeout=30)
        assert not importer.is_alive()
    return [a.error, b.error]


# Each feed in its own order. The first one's names run against its SKUs, so
# that rows sorted by anything but the SKU lock in another order.
FIRST = [
    line(sku, f"first {rank}", "5.00")
    for sku, rank in [(K3, "x"), (NEW, "w"), (K2, "y"), (K1, "z")]
]
SECOND = batch("second", [K1, K2, NEW, K3])


@pytest.mark.postgres
def test_two_overlapping_imports_at_once_finish_without_deadlock_or_duplicate(pg):
    assert race(pg, FIRST, SECOND) == [None, None]
    with Session(pg) as session:
        counts = session.execute(
            select(models.Product.sku, func.count()).group_by(models.Product.sku)
        ).all()
    assert sorted(counts) == [(K1, 1), (K2, 1), (K3, 1), (NEW, 1)]
    # The second import waited for the first one's commit, then won every row.
    assert {sku: row[0] for sku, row in catalog(pg).items()} == {
        sku: f"second {sku}" for sku in (K1, K2, K3, NEW)
    }


def unsorted_import(session: Session, lines: list[FeedLine], *, now: datetime):
    """The same upsert in one statement, rows in the feed's order: the bug."""
    values = ", ".join(
        f"(:sku{n}, :name{n}, 5.00, :now, :now)" for n in range(len(lines))
    )
    params: dict[str, object] = {"now": now}
    for n, item in enumerate(lines):
        params |= {f"sku{n}": item.sku, f"name{n}": item.name}
    session.execute(
        text(
            "INSERT INTO products (sku, name, price, created_at, updated_at)"
            f" VALUES {values} ON CONFLICT (sku)"
            " WHERE deleted_at IS NULL"  # since 42
            " DO UPDATE"
            " SET name = excluded.name, updated_at = excluded.updated_at"
            " WHERE products.name IS DISTINCT FROM excluded.name"
        ),
        params,
    )


@pytest.mark.postgres
def test_unsorted_batches_deadlock_in_the_same_interleaving(pg):
    """The control: the race above does catch an import that does not sort."""
    errors = [e for e in race(pg, FIRST, SECOND, unsorted_import) if e is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], DatabaseBusy)  # the store's error for a deadlock
    assert "40P01" in pgcodes(errors[0])  # deadlock_detected


def pgcodes(error: BaseException | None) -> set[str]:
    """Every SQLSTATE in the chain of causes of ``error``."""
    found = set()
    while error is not None:
        found.add(getattr(error, "pgcode", None) or "")
        found.add(getattr(getattr(error, "orig", None), "pgcode", None) or "")
        error = error.__cause__ or error.__context__
    return found - {""}


def test_a_long_feed_is_sent_in_a_few_statements_never_one_per_line(store):
    lines = [line(f"BULK-{n:05d}", f"Bulk {n}", "1.00") for n in range(1001)]
    with recorded(store) as statements:
        assert imported(store, lines, T1) == 1001
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert 1 <= len(inserts) <= 3
