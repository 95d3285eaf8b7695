"""Step 34: an AsyncSession repository on PostgreSQL through asyncpg."""

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import psycopg2
import psycopg2.errors
import pytest
import pytest_asyncio
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidRequestError
from sqlalchemy.ext.asyncio import (
    AsyncSession,
    close_all_sessions,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from app.domain import Product
from app.errors import DuplicateSku, ProductNotFound
from app.orm import models
from app.orm.async_repository import (
    AsyncOrmProductRepository,
    AsyncProductRepository,
    create_async_schema,
    make_async_sessions,
)
from app.orm.database import open_sql_repository
from app.orm.orders import place_order
from tests import pg

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
LEFT_OPEN = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
AND state LIKE 'idle in transaction%'
"""


def make(sku="TEA-1", category="tea"):
    return Product(sku, "Green tea", Decimal("3.50"), category, WHEN)


@pytest_asyncio.fixture(loop_scope="function")
async def engine():
    # NullPool: no connection outlives this test's event loop.
    engine = create_async_engine(pg.database().asyncpg, poolclass=NullPool)
    async with engine.connect() as connection:
        # A session that an earlier, failed test left open holds locks that would
        # block the DROP TABLE below: end it (only this run uses this database).
        await connection.execute(text(LEFT_OPEN))
    await create_async_schema(engine, reset=True)
    yield engine
    # A session left open by a failed test still holds its connection: close
    # it first, so that dispose() closes every socket (none is left to the GC).
    await close_all_sessions()
    await engine.dispose()


@pytest.fixture
def sessions(engine):
    return make_async_sessions(engine)


@pytest.fixture
def repo(sessions):
    return AsyncOrmProductRepository(sessions)


def test_a_session_handed_in_instead_of_a_factory_is_refused():
    with pytest.raises(TypeError):
        AsyncOrmProductRepository(AsyncSession())  # type: ignore[arg-type]


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="function")
async def test_the_async_repository_keeps_the_contract(repo):
    await repo.add(make())
    assert await repo.get("TEA-1") == make()
    await repo.update(make(category=None))
    assert [p.category for p in await repo.list()] == [None]
    assert [p.sku for p in await repo.search("green")] == ["TEA-1"]
    await repo.delete("TEA-1")
    for call, argument in (
        (repo.get, "TEA-1"),
        (repo.delete, "TEA-1"),
        (repo.update, make()),
    ):
        with pytest.raises(ProductNotFound) as missing:
            await call(argument)
        assert missing.value.skus == ("TEA-1",)
    assert await repo.list() == []


def test_the_repository_offers_the_declared_async_interface(sessions):
    assert isinstance(AsyncOrmProductRepository(sessions), AsyncProductRepository)


def delete_elsewhere(sku: str) -> bool:
    """Delete ``sku`` on another connection and commit, without waiting for a
    lock: True if it went through, False if a lock of the call under test kept
    it out (then it would simply have waited for that call's commit)."""
    url = make_url(pg.database().sync).set(drivername="postgresql")
    other = psycopg2.connect(url.render_as_string(hide_password=False))
    try:
        with other, other.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
            cursor.execute("DELETE FROM products WHERE sku = %s", (sku,))
        return True
    except psycopg2.errors.LockNotAvailable:
        return False
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="function")
async def test_a_product_deleted_by_another_writer_just_before_the_update_is_not_found(
    repo, engine
):
    await repo.add(make("TEA-1"))
    deleted: list[bool] = []

    def just_before_the_update(conn, cursor, statement, *args):
        if statement.startswith("UPDATE products") and not deleted:
            deleted.append(delete_elsewhere("TEA-1"))

    event.listen(engine.sync_engine, "before_cursor_execute", just_before_the_update)
    outcome: ProductNotFound | None
    try:
        await repo.update(make("TEA-1", category=None))
    except ProductNotFound as missing:
        outcome = missing
    else:
        outcome = None
    finally:
        event.remove(
            engine.sync_engine, "before_cursor_execute", just_before_the_update
        )
    assert deleted, "update() sent no UPDATE of products"
    if deleted[0]:  # the other writer deleted it first
        assert isinstance(outcome, ProductNotFound)
        assert outcome.skus == ("TEA-1",)
        assert await repo.list() == []
    else:  # this call's row lock kept the other writer waiting
        assert outcome is None
        assert [p.category for p in await repo.list()] == [None]


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="function")
async def test_concurrent_tasks_each_use_their_own_session(repo):
    # return_exceptions: a failure is one short assertion, not 20 tangled tracebacks.
    added = await asyncio.gather(
        *(repo.add(make(f"SKU-{n:02d}")) for n in range(20)), return_exceptions=True
    )
    assert added == [None] * 20
    fetched = await asyncio.gather(
        *(repo.get(f"SKU-{n:02d}") for n in range(20)), return_exceptions=True
    )
    assert [getattr(p, "sku", p) for p in fetched] == [
        f"SKU-{n:02d}" for n in range(20)
    ]
    outcomes = await asyncio.gather(
        *(repo.add(make("SAME-1", category=f"c{n}")) for n in range(5)),
        return_exceptions=True,
    )
    assert outcomes.count(None) == 1
    assert all(isinstance(o, DuplicateSku) for o in outcomes if o is not None)
    assert {o.skus for o in outcomes if isinstance(o, DuplicateSku)} == {("SAME-1",)}
    assert len(await repo.list()) == 21


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="function")
async def test_orders_come_with_items_loaded_and_lazy_loads_are_refused(repo, sessions):
    await repo.add(make("TEA-1"))
    await repo.add(make("MUG-1", category=None))
    async with sessions.begin() as session:
        for n in range(3):
            await session.run_sync(
                place_order, customer=f"c{n}", lines={"TEA-1": 1, "MUG-1": n + 1}
            )
    orders = await repo.list_orders()
    assert [[(i.product.sku, i.quantity) for i in o.items] for o in orders][2] == [
        ("TEA-1", 1),
        ("MUG-1", 3),
    ]
    assert orders[0].items[0].unit_price == Decimal("3.50")
    async with sessions() as session:
        order = (await session.scalars(select(models.Order).limit(1))).one()
        with pytest.raises(InvalidRequestError):
            _ = order.items


@pytest.mark.postgres
@pytest.mark.asyncio(loop_scope="function")
async def test_a_connection_killed_mid_transaction_loses_nothing(repo, sessions):
    await repo.add(make("KEEP-1"))
    async with sessions() as session:
        session.add(models.Product(sku="LOST-1", name="x", price=1, created_at=WHEN))
        await session.flush()
        pid = await session.scalar(select(func.pg_backend_pid()))
        async with sessions() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError):
            await session.commit()
    assert [p.sku for p in await repo.list()] == ["KEEP-1"]
    await repo.add(make("NEXT-1"))
    assert [p.sku for p in await repo.list()] == ["KEEP-1", "NEXT-1"]


@pytest.mark.postgres
def test_the_store_command_opens_an_asyncpg_url_as_a_blocking_repository():
    repository = open_sql_repository(pg.database().asyncpg)
    try:
        repository.add(make("CLI-1"))
        assert repository.get("CLI-1") == make("CLI-1")
        repository.delete("CLI-1")
    finally:
        repository.close()
