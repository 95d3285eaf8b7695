# workshop: since 37
"""Supplier feed upserts: first import, replay, and a replay that writes every row anyway.

    python scripts/bench_upserts.py                 # 10,000 lines, a few seconds
    python scripts/bench_upserts.py --rows 100000
    python scripts/bench_upserts.py --no-postgres

The goal: a replay of the whole feed costs no more than the first import (at
most 1.0x its time), because it writes no row. PostgreSQL comes from
workshop/postgres.py, in a database of its own that is dropped at the end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench_bulk_insert import bench_database  # the same throwaway database
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.upserts import FeedLine, import_feed

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def make_feed(count: int, changed_every: int = 0) -> list[FeedLine]:
    """``count`` lines; with ``changed_every``, every such line has a new price."""
    return [
        FeedLine(
            sku=f"SKU-{n:07d}",
            name=f"Product {n}",
            price=Decimal(
                f"{n % 1000 + bool(changed_every and n % changed_every == 0)}.99"
            ),
            cost_price=Decimal(f"{n % 500}.10"),
        )
        for n in range(count)
    ]


def store_import(feed: list[FeedLine], day: int) -> Callable[[Session], int]:
    return lambda session: import_feed(session, feed, now=WHEN + timedelta(days=day))


def without_where(feed: list[FeedLine]) -> Callable[[Session], int]:
    """The baseline: ON CONFLICT DO UPDATE with no WHERE, so every row is rewritten."""

    def work(session: Session) -> int:
        table = models.Product.__table__
        dialect = (
            postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        )
        rows = [
            {**line.model_dump(), "created_at": WHEN, "updated_at": WHEN}
            for line in sorted(feed, key=lambda line: line.sku)
        ]
        statement = dialect.insert(table)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.sku],
                index_where=table.c.deleted_at.is_(None),  # since 42
                set_={"name": statement.excluded.name, "updated_at": WHEN},
            ).returning(table.c.sku),  # as the store's: the same batching
            rows,
        )
        return len(rows)

    return work


def timed(engine: Engine, work: Callable[[Session], int]) -> tuple[float, int]:
    started = time.perf_counter()
    with Session(engine) as session, session.begin():
        written = work(session)
    return time.perf_counter() - started, written


def run(database: str, engine: Engine, rows: int) -> None:
    reset_schema(engine)
    feed = make_feed(rows)
    cases = [
        ("first import (empty table)", store_import(feed, 0)),
        ("replay of the same feed", store_import(feed, 1)),
        ("replay, DO UPDATE without WHERE", without_where(feed)),
        ("feed with 1% new prices", store_import(make_feed(rows, 100), 2)),
    ]
    results = [(name, *timed(engine, work)) for name, work in cases]
    first = results[0][1]
    print(f"\n{database}")
    for name, seconds, written in results:
        print(
            f"  {name:34} {seconds:7.3f} s {rows / seconds:>10,.0f} lines/s"
            f" {seconds / first:5.2f}x the first import, {written:,} rows written"
        )
    replay = results[1][1]
    verdict = "met" if replay <= first else "MISSED"
    print(
        f"  -> replay / first import: {replay / first:.2f}x (goal <= 1.0x: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    print(f"a supplier feed of {options.rows:,} lines")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        run("SQLite (file)", engine, options.rows)
        engine.dispose()
    if options.no_postgres:
        return
    with bench_database() as server:
        if server is not None:
            engine = make_engine(server.database_url(server.url.rsplit("/", 1)[1]))
            run(f"PostgreSQL ({server.source})", engine, options.rows)
            engine.dispose()


if __name__ == "__main__":
    main()
