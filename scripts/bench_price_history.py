# workshop: since 38
"""What keeping a price history costs: writes with it and without, as-of reads.

    python scripts/bench_price_history.py               # 400 changes, seconds
    python scripts/bench_price_history.py --rows 2000
    python scripts/bench_price_history.py --no-postgres

Writes: ``--rows`` price changes in all, 20 per product, one transaction
per product, with change_price() (history kept, row locked) and, as the
baseline, a plain UPDATE of products.price (history lost). On PostgreSQL once more with the exclusion constraint dropped: what
the overlap guard costs. Reads: price_as_of() at a random past instant
against reading the current price from products, one query each. PostgreSQL
comes from workshop/postgres.py, in a database of its own dropped at the end.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench_bulk_insert import bench_database  # the same throwaway database
from benchkit import Side, Timing, best, measure, ratio
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.prices import change_price, price_as_of

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CHANGES_PER_PRODUCT = 20
EXCLUSION = "ex_price_history_no_overlap"


def sku(n: int) -> str:
    return f"SKU-{n:05d}"


def seed(engine: Engine, products: int, *, exclusion: bool = True) -> None:
    """A fresh catalog: every product with its first, open version at T0."""
    reset_schema(engine)
    if not exclusion:
        with engine.begin() as connection:
            connection.execute(
                text(f"ALTER TABLE price_history DROP CONSTRAINT {EXCLUSION}")
            )
    with Session(engine) as session, session.begin():
        rows = [
            models.Product(
                sku=sku(n), name=sku(n), price=Decimal("1.00"), created_at=T0
            )
            for n in range(products)
        ]
        session.add_all(rows)
        session.flush()
        session.add_all(
            models.PriceVersion(product_id=p.id, price=p.price, valid_from=T0)
            for p in rows
        )


def instant(change: int) -> datetime:
    return T0 + timedelta(days=change + 1)


def new_price(n: int, change: int) -> Decimal:
    return Decimal(f"{(n + change) % 97 + 1}.{change % 100:02d}")


def with_history(engine: Engine, products: int, exclusion: bool = True) -> Side:
    def prepare() -> Callable[[], object]:
        seed(engine, products, exclusion=exclusion)

        def run() -> object:
            for n in range(products):
                with Session(engine) as session, session.begin():
                    for change in range(CHANGES_PER_PRODUCT):
                        change_price(
                            session, sku(n), new_price(n, change), at=instant(change)
                        )
            return current_prices(engine)

        return run

    return prepare


def plain_update(engine: Engine, products: int) -> Side:
    def prepare() -> Callable[[], object]:
        seed(engine, products)
        table = models.Product.__table__

        def run() -> object:
            for n in range(products):
                with Session(engine) as session, session.begin():
                    for change in range(CHANGES_PER_PRODUCT):
                        session.execute(
                            update(table)
                            .where(table.c.sku == sku(n))
                            .values(price=new_price(n, change))
                        )
            return current_prices(engine)

        return run

    return prepare


def current_prices(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        p = models.Product
        return list(session.execute(select(p.sku, p.price).order_by(p.sku)))


def same_prices(results: dict[str, object]) -> None:
    first, *others = results.values()
    assert all(other == first for other in others), "the sides disagree"


def lookups(engine: Engine, products: int, count: int, as_of: bool) -> Side:
    picks = random.Random(38)
    asks = [
        (sku(picks.randrange(products)), instant(picks.randrange(CHANGES_PER_PRODUCT)))
        for _ in range(count)
    ]

    def prepare() -> Callable[[], object]:
        def run() -> object:
            with Session(engine) as session:
                if as_of:
                    return [price_as_of(session, s, at) for s, at in asks]
                p = models.Product
                return [
                    session.scalars(select(p.price).where(p.sku == s)).one()
                    for s, _ in asks
                ]

        return run

    return prepare


def show(title: str, timings: dict[str, Timing], count: int, baseline: str) -> None:
    print(f"\n  {title}")
    for name in timings:
        seconds = best(timings, name)
        print(
            f"    {name:44} {count / seconds:>9,.0f} /s"
            f"   vs {baseline}: {ratio(timings, name, baseline)}"
        )


def run(database: str, engine: Engine, rows: int, rounds: int) -> None:
    products = max(1, rows // CHANGES_PER_PRODUCT)
    changes = products * CHANGES_PER_PRODUCT
    print(f"\n{database}: {products:,} products x {CHANGES_PER_PRODUCT} changes")
    sides = {
        "plain UPDATE of products.price": plain_update(engine, products),
        "change_price() (history, row lock)": with_history(engine, products),
    }
    if engine.dialect.name == "postgresql":
        sides["change_price(), no exclusion constraint"] = with_history(
            engine, products, exclusion=False
        )
    timings = measure(sides, rounds, check=None)
    show(
        "writes (changes per second)",
        timings,
        changes,
        "plain UPDATE of products.price",
    )
    seed(engine, products)
    with_history(engine, products)()()
    count = min(changes, 2_000)
    reads = {
        "current price from products": lookups(engine, products, count, False),
        "price_as_of() a past instant": lookups(engine, products, count, True),
    }
    timings = measure(reads, rounds)
    show("reads (lookups per second)", timings, count, "current price from products")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400, help="price changes in all")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    print("min / median of the rounds, wall-clock and CPU time")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        run("SQLite (file)", engine, options.rows, options.rounds)
        engine.dispose()
    if options.no_postgres:
        return
    with bench_database() as server:
        if server is not None:
            engine = make_engine(server.database_url(server.url.rsplit("/", 1)[1]))
            run(f"PostgreSQL ({server.source})", engine, options.rows, options.rounds)
            engine.dispose()


if __name__ == "__main__":
    main()
