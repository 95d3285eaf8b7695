# workshop: since 39
"""Many buyers, one row: a row lock, a version column with retries, one atomic UPDATE.

    python scripts/bench_races.py                      # 80 buys, about 30 s
    python scripts/bench_races.py --buys 200           # the figures of step 39

Each round puts ``--buys`` items on one shelf and lets ``--threads`` buyers
take them one by one, all at once (and then a single buyer, for the cost
without contention). Every buy is its own committed transaction. The
baseline is the atomic ``UPDATE ... WHERE quantity >= 1 RETURNING``;
``conflicts`` counts the optimistic UPDATEs that matched no row (wasted
transactions). PostgreSQL comes from workshop/postgres.py, in a database of
its own that is dropped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from bench_bulk_insert import bench_database  # the same throwaway database
from benchkit import Timing, measure, ratio
from sqlalchemy import Engine, event, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from app.orm import models
from app.orm.database import make_engine, make_sessions, reset_schema
from app.orm.stock import buy_locking, buy_optimistic

SKU = "TEA-1"


def atomic(sessions: sessionmaker[Session]) -> None:
    """The baseline: one UPDATE decides and writes."""
    table = models.StockLevel.__table__
    product = select(models.Product.id).where(models.Product.sku == SKU)
    with sessions.begin() as session:
        left = session.scalar(
            update(table)
            .where(
                table.c.product_id == product.scalar_subquery(), table.c.quantity >= 1
            )
            .values(quantity=table.c.quantity - 1, version=table.c.version + 1)
            .returning(table.c.quantity)
        )
        assert left is not None


def locking(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        buy_locking(session, SKU, 1)


def optimistic(sessions: sessionmaker[Session]) -> None:
    buy_optimistic(sessions, SKU, 1, attempts=1_000_000)


BUYS: dict[str, Callable[[sessionmaker[Session]], None]] = {
    "atomic UPDATE": atomic,
    "FOR UPDATE": locking,
    "version column": optimistic,
}


def side(
    engine: Engine,
    buy: Callable[[sessionmaker[Session]], None],
    buys: int,
    threads: int,
) -> Callable[[], Callable[[], int]]:
    """Prepare a full shelf (untimed); the action sells it out and returns
    how many UPDATEs of stock_levels it sent."""
    sessions = make_sessions(engine)

    def prepare() -> Callable[[], int]:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE stock_levels SET quantity = :n"), {"n": buys}
            )
        start = threading.Barrier(threads)
        updates = [0]

        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.startswith("UPDATE stock_levels"):
                updates[0] += 1  # one thread at a time holds the GIL here

        def buyer(share: int) -> None:
            start.wait()
            for _ in range(share):
                buy(sessions)

        def action() -> int:
            event.listen(engine, "before_cursor_execute", count)
            workers = [
                threading.Thread(target=buyer, args=(buys // threads,))
                for _ in range(threads)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            event.remove(engine, "before_cursor_execute", count)
            with engine.connect() as connection:
                assert connection.scalar(text("SELECT quantity FROM stock_levels")) == (
                    buys % threads
                )
            return updates[0]

        return action

    return prepare


def run(engine: Engine, buys: int, threads: int, rounds: int) -> None:
    reset_schema(engine)
    with Session(engine) as session, session.begin():
        product = models.Product(
            sku=SKU, name="Tea", price=Decimal("1.00"), created_at=datetime.now(UTC)
        )
        session.add(product)
        session.flush()
        session.add(models.StockLevel(product_id=product.id, quantity=0))
    for count in (threads, 1):
        sold = buys - buys % count
        updates: dict[str, list[int]] = {name: [] for name in BUYS}

        def check(
            results: dict[str, Any], updates: dict[str, list[int]] = updates
        ) -> None:
            for name, sent in results.items():
                updates[name].append(sent)

        timings: dict[str, Timing] = measure(
            {name: side(engine, buy, buys, count) for name, buy in BUYS.items()},
            rounds,
            check=check,
        )
        print(f"\n{count} buyer(s) at once, {sold} items sold one by one")
        for name in BUYS:
            wall = timings[name].wall
            conflicts = statistics.median(updates[name][1:]) - sold
            print(
                f"  {name:15} best {min(wall):6.3f} s, median"
                f" {statistics.median(wall):6.3f} s,"
                f" {sold / statistics.median(wall):7,.0f} buys/s,"
                f" {conflicts:6,.0f} conflicts;"
                f" vs atomic: {ratio(timings, name, 'atomic UPDATE')}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buys", "--rows", type=int, default=80)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with bench_database() as server:
        if server is None:
            return
        engine = make_engine(
            server.database_url(server.url.rsplit("/", 1)[1]),
            pool_size=options.threads + 2,
        )
        print(f"PostgreSQL ({server.source})")
        run(engine, options.buys, options.threads, options.rounds)
        engine.dispose()


if __name__ == "__main__":
    main()
