"""Step 39: the last items bought by many at once, with row locks and with a version column."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.errors import (
    DatabaseBusy,
    InvalidQuantity,
    OutOfStock,
    ProductNotFound,
    TooManyConflicts,
)
from app.orm import models
from app.orm.database import make_engine, make_sessions, reset_schema
from app.orm.stock import buy_locking, buy_optimistic, claim_next_pick

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TAKE_ONE = text(
    "UPDATE stock_levels SET quantity = quantity - 1, version = version + 1"
    " WHERE product_id = (SELECT id FROM products WHERE sku = :sku)"
)


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
        connection.execute(text("TRUNCATE products, categories, orders CASCADE"))
    return pg_engine


@pytest.fixture
def sessions(pg) -> sessionmaker[Session]:
    return make_sessions(pg)


def shelf(engine: Engine, sku: str, quantity: int) -> int:
    """A product ``sku`` with ``quantity`` items in stock; its id."""
    with Session(engine) as session, session.begin():
        product = models.Product(
            sku=sku, name=f"Product {sku}", price=Decimal("9.99"), created_at=NOW
        )
        session.add(product)
        session.flush()
        session.add(models.StockLevel(product_id=product.id, quantity=quantity))
        return product.id


def on_shelf(engine: Engine, sku: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT quantity FROM stock_levels JOIN products"
                " ON products.id = product_id WHERE sku = :sku"
            ),
            {"sku": sku},
        ).scalar_one()


# Both ways to buy, called alike: one purchase, committed.
def locking(sessions: sessionmaker[Session], sku: str, quantity: int) -> int:
    with sessions.begin() as session:
        return buy_locking(session, sku, quantity)


def optimistic(
    sessions: sessionmaker[Session], sku: str, quantity: int, **options: int
) -> int:
    return buy_optimistic(sessions, sku, quantity, **options)


BUY = [pytest.param(locking, id="locking"), pytest.param(optimistic, id="optimistic")]


@pytest.mark.parametrize("buy", BUY)
def test_a_buy_takes_the_items_off_the_shelf_and_returns_what_is_left(
    pg, sessions, buy
):
    shelf(pg, "TEA-1", 5)
    shelf(pg, "MUG-1", 5)
    assert buy(sessions, "TEA-1", 2) == 3
    assert buy(sessions, "TEA-1", 3) == 0
    assert (on_shelf(pg, "TEA-1"), on_shelf(pg, "MUG-1")) == (0, 5)


@pytest.mark.parametrize("buy", BUY)
def test_more_than_is_left_raises_out_of_stock_and_changes_nothing(pg, sessions, buy):
    shelf(pg, "TEA-1", 2)
    with pytest.raises(OutOfStock) as caught:
        buy(sessions, "TEA-1", 3)
    assert (caught.value.sku, caught.value.wanted, caught.value.available) == (
        "TEA-1",
        3,
        2,
    )
    assert on_shelf(pg, "TEA-1") == 2


@pytest.mark.parametrize("buy", BUY)
def test_a_sku_without_stock_raises_product_not_found(pg, sessions, buy):
    shelf(pg, "TEA-1", 2)
    with pytest.raises(ProductNotFound) as caught:
        buy(sessions, "NOPE-1", 1)
    assert caught.value.skus == ("NOPE-1",)


@pytest.mark.parametrize("buy", BUY)
@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused(pg, sessions, buy, quantity):
    shelf(pg, "TEA-1", 2)
    with pytest.raises(InvalidQuantity) as caught:
        buy(sessions, "TEA-1", quantity)
    assert caught.value.quantity == quantity
    assert on_shelf(pg, "TEA-1") == 2


def test_buy_locking_leaves_the_commit_to_the_caller(pg, sessions):
    shelf(pg, "TEA-1", 2)
    with sessions() as session:
        assert buy_locking(session, "TEA-1", 1) == 1
        session.rollback()
    assert on_shelf(pg, "TEA-1") == 2


# The lost update, by hand: two sessions read, then both write what they read
# minus one. The test decides the order, so it happens on every run.
def test_control_read_then_write_without_a_lock_loses_an_update(pg):
    shelf(pg, "TEA-1", 5)
    read = text(
        "SELECT quantity FROM stock_levels JOIN products ON products.id = product_id"
        " WHERE sku = 'TEA-1'"
    )
    write = text(
        "UPDATE stock_levels SET quantity = :quantity"
        " WHERE product_id = (SELECT id FROM products WHERE sku = 'TEA-1')"
    )
    with pg.connect() as a, pg.connect() as b:
        seen_by_a = a.execute(read).scalar_one()
        seen_by_b = b.execute(read).scalar_one()
        a.execute(write, {"quantity": seen_by_a - 1})
        a.commit()
        b.execute(write, {"quantity": seen_by_b - 1})
        b.commit()
    assert on_shelf(pg, "TEA-1") == 4  # two items sold, one taken off the shelf


def test_control_the_version_column_refuses_a_write_based_on_a_stale_read(pg):
    shelf(pg, "TEA-1", 5)
    query = select(models.StockLevel)
    with Session(pg) as a, Session(pg) as b:
        mine, theirs = a.scalars(query).one(), b.scalars(query).one()
        mine.quantity -= 1
        a.commit()
        theirs.quantity -= 1
        with pytest.raises(StaleDataError):
            b.flush()  # UPDATE ... WHERE version = 1 matched no row
    assert on_shelf(pg, "TEA-1") == 4


class Buyer(threading.Thread):
    """One purchase in its own session and thread: ``left`` or ``error``."""

    def __init__(self, work: Callable[[], int], start: threading.Barrier | None = None):
        super().__init__(daemon=True)
        self.work, self.barrier = work, start
        self.left: int | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            if self.barrier is not None:
                self.barrier.wait()
            self.left = self.work()
        except Exception as error:  # kept for the test to judge
            self.error = error


def finished(*buyers: Buyer) -> None:
    for buyer in buyers:
        buyer.join(timeout=60)
        assert not buyer.is_alive()


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


@pytest.mark.parametrize(
    ("stock", "wanted", "left"), [(3, 2, 0), (2, 2, None)], ids=["enough", "too-few"]
)
def test_a_second_buyer_waits_for_the_first_then_decides_on_what_it_left(
    pg, sessions, stock, wanted, left
):
    """The first buyer holds the row and takes 1; the second waits, then must
    see the 1 gone: it buys from what is left, or hears OutOfStock."""
    shelf(pg, "TEA-1", stock)
    with pg.connect() as first:
        first.execute(TAKE_ONE, {"sku": "TEA-1"})  # the row stays locked till commit
        session = sessions()
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()

        def second() -> int:
            with session:
                bought = buy_locking(session, "TEA-1", wanted)
                session.commit()
                return bought

        buyer = Buyer(second)
        buyer.start()
        wait_until_blocked(pg, pid)  # proof that it waited, not that it slept
        first.commit()
        finished(buyer)
    if left is None:
        assert isinstance(buyer.error, OutOfStock), buyer.error
        assert buyer.error.available == stock - 1
        assert on_shelf(pg, "TEA-1") == stock - 1
    else:
        assert buyer.error is None, buyer.error
        assert buyer.left == left
        assert on_shelf(pg, "TEA-1") == left


BUYERS, ITEMS = 12, 5


@pytest.mark.parametrize("buy", BUY)
def test_exactly_k_of_n_buyers_at_once_get_one_every_run(pg, sessions, buy):
    shelf(pg, "TEA-1", ITEMS)
    start = threading.Barrier(BUYERS)
    # Every conflict means another buyer got one: no buyer meets more than
    # ITEMS conflicts before the shelf is empty.
    attempts = {"attempts": ITEMS + 1} if buy is optimistic else {}
    buyers = [
        Buyer(lambda: buy(sessions, "TEA-1", 1, **attempts), start)
        for _ in range(BUYERS)
    ]
    for buyer in buyers:
        buyer.start()
    finished(*buyers)
    winners = [buyer.left for buyer in buyers if buyer.left is not None]
    losers = [buyer.error for buyer in buyers if buyer.error is not None]
    assert len(winners) + len(losers) == BUYERS
    assert all(isinstance(error, OutOfStock) for error in losers), losers
    assert [error.available for error in losers if isinstance(error, OutOfStock)] == [
        0
    ] * (BUYERS - ITEMS)
    # Each winner saw the shelf one lower than the last one: no two sold the
    # same item, whatever the order the threads ran in.
    assert sorted(winners) == list(range(ITEMS))
    assert len(winners) + on_shelf(pg, "TEA-1") == ITEMS
    assert on_shelf(pg, "TEA-1") == 0


@contextlib.contextmanager
def interloper(engine: Engine, sku: str, *, times: int) -> Iterator[list[str]]:
    """Just before each of the first ``times`` UPDATEs of stock_levels that the
    code under test sends, another buyer takes 1 item of ``sku`` and commits.
    Yields the list of those UPDATEs; fails past 20 (a retry that never stops)."""
    sent: list[str] = []
    busy = threading.local()

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if getattr(busy, "on", False) or not statement.lstrip().upper().startswith(
            "UPDATE STOCK_LEVELS"
        ):
            return
        sent.append(statement)
        if len(sent) > 20:
            raise AssertionError("the buyer retried 20 times and never gave up")
        if len(sent) <= times:
            busy.on = True
            try:
                with engine.begin() as other:
                    other.execute(TAKE_ONE, {"sku": sku})
            finally:
                busy.on = False

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_optimistic_a_buyer_beaten_between_read_and_write_retries_and_buys(
    pg, sessions
):
    shelf(pg, "TEA-1", 5)
    with interloper(pg, "TEA-1", times=1) as updates:
        assert buy_optimistic(sessions, "TEA-1", 1) == 3
    assert len(updates) == 2  # the stale write, then the retry
    assert on_shelf(pg, "TEA-1") == 3  # the other buyer's item and this one


def test_optimistic_the_retry_reads_again_and_sees_the_last_item_gone(pg, sessions):
    shelf(pg, "TEA-1", 1)
    with interloper(pg, "TEA-1", times=1), pytest.raises(OutOfStock) as caught:
        buy_optimistic(sessions, "TEA-1", 1)
    assert caught.value.available == 0
    assert on_shelf(pg, "TEA-1") == 0


def test_optimistic_gives_up_after_the_attempts_with_too_many_conflicts(pg, sessions):
    shelf(pg, "TEA-1", 50)
    with interloper(pg, "TEA-1", times=50) as updates:
        with pytest.raises(TooManyConflicts) as caught:
            buy_optimistic(sessions, "TEA-1", 1, attempts=3)
    assert isinstance(caught.value, DatabaseBusy)
    assert (caught.value.sku, caught.value.attempts) == ("TEA-1", 3)
    assert len(updates) == 3
    assert on_shelf(pg, "TEA-1") == 47  # the others bought 3; this buyer nothing


def pick_list(engine: Engine, quantities: list[int], *, done: int = 0) -> list[int]:
    """Pick tasks for TEA-1, the first ``done`` of them already done; their ids."""
    product_id = shelf(engine, "TEA-1", 10)
    with Session(engine) as session, session.begin():
        tasks = [
            models.PickTask(
                product_id=product_id,
                quantity=quantity,
                done_at=NOW if n < done else None,
            )
            for n, quantity in enumerate(quantities)
        ]
        session.add_all(tasks)
        session.flush()
        return [task.id for task in tasks]


def claimed(session: Session) -> int | None:
    """The id that claim_next_pick() returns, the session never waiting."""
    session.execute(text("SET LOCAL lock_timeout = '100ms'"))  # waiting: DatabaseBusy
    task = claim_next_pick(session)
    return None if task is None else task.id


def test_workers_skip_the_tasks_others_hold_and_take_the_next_open_one(pg):
    done, first, second, third = pick_list(pg, [1, 2, 3, 4], done=1)
    with contextlib.ExitStack() as stack:
        holder = stack.enter_context(pg.connect())
        a, b, c, d = (stack.enter_context(Session(pg)) for _ in range(4))
        holder.execute(
            text("SELECT 1 FROM pick_tasks WHERE id = :id FOR UPDATE"), {"id": first}
        )
        assert claimed(a) == second
        assert claimed(b) == third
        assert claimed(c) is None  # every open task is held by someone
        c.rollback()
        holder.rollback()
        assert claimed(c) == first
        b.rollback()  # a worker that gives up (or crashes) puts its task back
        assert claimed(d) == third
    assert done not in (first, second, third)


def test_the_oldest_open_task_is_claimed_first_wherever_its_row_lies(pg):
    first, second, third = pick_list(pg, [1, 2, 3])
    with pg.begin() as connection:  # a new row version: no longer first in the table
        connection.execute(
            text("UPDATE pick_tasks SET quantity = quantity WHERE id = :id"),
            {"id": first},
        )
    with Session(pg) as worker:
        assert claimed(worker) == first
    assert first < second < third


def test_a_claimed_task_stays_locked_until_the_worker_commits(pg):
    (only,) = pick_list(pg, [1])
    with Session(pg) as worker:
        task = claim_next_pick(worker)
        assert task is not None and task.id == only
        with Session(pg) as other:
            assert claimed(other) is None
        task.done_at = NOW
        worker.commit()
    with Session(pg) as other:
        assert claimed(other) is None  # done: never handed out again


def test_done_tasks_are_never_claimed(pg):
    pick_list(pg, [1, 2], done=2)
    with Session(pg) as worker:
        assert claimed(worker) is None
