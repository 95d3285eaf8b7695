# workshop: since 42
"""Soft deletes: what the do_orm_execute rule costs a query, against a hand-written filter.

    python scripts/bench_soft_deletes.py                 # 10,000 products, seconds
    python scripts/bench_soft_deletes.py --rows 100000
    python scripts/bench_soft_deletes.py --no-postgres

Half the catalog is soft-deleted. Both sides read the same rows: the baseline
writes `deleted_at IS NULL` into each statement itself; the other side leaves
it to app/orm/lifecycle.py's rule (with_loader_criteria added per statement).
PostgreSQL comes from workshop/postgres.py, in a database of its own.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from bench_bulk_insert import bench_database  # the same throwaway database
from benchkit import Timing, measure, ratio
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from app.orm import models
from app.orm.database import make_engine, make_sessions, reset_schema
from app.orm.lifecycle import install_soft_delete

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
LOOKUPS = 300  # one SELECT by SKU each


def fill(engine: Engine, rows: int) -> list[str]:
    """``rows`` products, every other one soft-deleted; the SKUs to look up."""
    reset_schema(engine)
    with Session(engine) as session, session.begin():
        session.execute(
            insert(models.Product),
            [
                {
                    "sku": f"SKU-{n:07d}",
                    "name": f"Product {n}",
                    "price": Decimal("1.99"),
                    "created_at": WHEN,
                    "updated_at": WHEN,
                    "deleted_at": WHEN if n % 2 else None,
                }
                for n in range(rows)
            ],
        )
    step = max(rows // LOOKUPS, 1)
    return [f"SKU-{n:07d}" for n in range(0, rows, step)][:LOOKUPS]


def lookups(
    sessions: sessionmaker[Session], skus: list[str], *, explicit: bool
) -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        def run() -> object:
            found = 0
            with sessions() as session:
                for sku in skus:
                    statement = select(models.Product).where(models.Product.sku == sku)
                    if explicit:
                        statement = statement.where(models.Product.deleted_at.is_(None))
                    found += session.scalar(statement) is not None
                    session.expunge_all()
            return found

        return run

    return prepare


def counts(
    sessions: sessionmaker[Session], *, explicit: bool
) -> Callable[[], Callable[[], object]]:
    def prepare() -> Callable[[], object]:
        def run() -> object:
            statement = select(func.count()).select_from(models.Product)
            if explicit:
                statement = statement.where(models.Product.deleted_at.is_(None))
            with sessions() as session:
                return [session.scalar(statement) for _ in range(100)][-1]

        return run

    return prepare


def same(results: dict[str, object]) -> None:
    assert len(set(results.values())) == 1, f"the sides disagree: {results}"


def row(name: str, timing: Timing, base: str, timings: dict[str, Timing]) -> None:
    print(
        f"  {name:38} min {min(timing.wall):7.3f} s  median"
        f" {statistics.median(timing.wall):7.3f} s  {ratio(timings, name, base)}"
    )


def run(database: str, engine: Engine, rows: int, rounds: int) -> None:
    skus = fill(engine, rows)
    plain, ruled = make_sessions(engine), make_sessions(engine)
    install_soft_delete(ruled)
    print(f"\n{database}: {rows:,} products, half soft-deleted")
    for title, sides in (
        (
            f"{len(skus):,} lookups by SKU",
            {
                "hand-written filter (baseline)": lookups(plain, skus, explicit=True),
                "the rule (with_loader_criteria)": lookups(ruled, skus, explicit=False),
            },
        ),
        (
            "100 counts of live products",
            {
                "hand-written filter (baseline)": counts(plain, explicit=True),
                "the rule (with_loader_criteria)": counts(ruled, explicit=False),
            },
        ),
    ):
        timings = measure(sides, rounds, check=same)
        print(f" {title}")
        base = next(iter(sides))
        for name, timing in timings.items():
            row(name, timing, base, timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
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
