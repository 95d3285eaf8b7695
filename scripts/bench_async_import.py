# workshop: since 34
"""Benchmark `store import` on PostgreSQL through asyncpg against a raw COPY of the same rows.

    python scripts/bench_async_import.py                 # 20,000 rows, seconds
    python scripts/bench_async_import.py --rows 100000

Fair by construction: both sides open an async engine on the same database,
read the same CSV file as bytes and decode it line by line, turn each price
into a Decimal, each created_at into a datetime and each category into its
id (created as needed), and store the rows with one copy_records_to_table()
in one transaction. After each round the two stored tables are compared:
they must be equal. What the store adds is only its checks (PlainRows,
product_from_fields() for the other rows, every bad row reported at once,
SKUs given twice) and its error reporting. After a warm-up, rounds alternate
which side goes first; ratios are given at the best round (min) and the
median one. The database comes from workshop/postgres.py (WORKSHOP_PG_URL, a
local server or a throwaway cluster); the run makes its own and drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchkit import Side, best, measure, ratio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg2  # noqa: E402
from bench_sqlite_import import write_csv  # noqa: E402
from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from app.domain import Product  # noqa: E402
from app.orm import models  # noqa: E402
from app.orm.async_import import COPIED, import_products  # noqa: E402
from app.orm.async_repository import (  # noqa: E402
    AsyncOrmProductRepository,
    make_async_sessions,
)
from app.orm.database import create_schema, make_async_engine, make_engine  # noqa: E402
from workshop import postgres  # noqa: E402


async def raw_copy(engine: AsyncEngine, feed: Path) -> int:
    """The least a correct import does: the same rows and conversions, no checks."""
    with feed.open("rb") as source:
        reader = csv.reader(line.decode("utf-8") for line in source)
        next(reader)
        times: dict[str, datetime] = {}
        rows = [
            (
                sku,
                name,
                Decimal(price),
                category or None,
                times.get(stamp)
                or times.setdefault(stamp, datetime.fromisoformat(stamp)),
            )
            for sku, name, price, category, stamp in reader
        ]
    async with engine.begin() as connection:
        names = sorted({row[3] for row in rows if row[3]})
        await connection.execute(
            pg_insert(models.Category)
            .values([{"name": name} for name in names])
            .on_conflict_do_nothing(index_elements=["name"])
        )
        found = await connection.execute(
            models.Category.__table__.select().where(models.Category.name.in_(names))
        )
        ids = {row.name: row.id for row in found}
        driver: Any = (await connection.get_raw_connection()).driver_connection
        await driver.copy_records_to_table(
            "products",
            records=[
                (sku, name, price, ids[category] if category else None, when)
                for sku, name, price, category, when in rows
            ],
            columns=COPIED,
        )
    return len(rows)


async def store_import(engine: AsyncEngine, feed: Path) -> int:
    with feed.open("rb") as source:
        return await import_products(engine, source)


def stored(sync_url: str) -> list[tuple]:
    connection = psycopg2.connect(sync_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sku, p.name, price, c.name, created_at FROM products p"
                " LEFT JOIN categories c ON c.id = category_id ORDER BY sku"
            )
            return cursor.fetchall()
    finally:
        connection.close()


def empty(sync_url: str) -> None:
    connection = psycopg2.connect(sync_url)
    with connection, connection.cursor() as cursor:
        cursor.execute("TRUNCATE products, categories RESTART IDENTITY CASCADE")
    connection.close()


def side(url: str, sync_url: str, feed: Path, load: Callable[..., Any]) -> Side:
    def prepare() -> Callable[[], object]:
        empty(sync_url)

        async def once() -> int:
            engine = make_async_engine(url)
            try:
                return await load(engine, feed)
            finally:
                await engine.dispose()

        return lambda: asyncio.run(once())

    return prepare


def one_add_a_row(url: str, sync_url: str, count: int) -> float:
    """Rows per second through AsyncOrmProductRepository.add(), a transaction a row."""
    empty(sync_url)

    async def run() -> float:
        engine = make_async_engine(url)
        repository = AsyncOrmProductRepository(make_async_sessions(engine))
        products = [
            Product(f"ADD-{i:06d}", f"Product {i}", Decimal("9.99"), "category 1")
            for i in range(count)
        ]
        try:
            start = time.perf_counter()
            for product in products:
                await repository.add(product)
            return count / (time.perf_counter() - start)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@contextmanager
def bench_database() -> Iterator[postgres.Server]:
    """A database of its own on the workshop's server, dropped at the end."""
    with postgres.server() as server:
        name = f"bench_async_{os.getpid()}_{secrets.token_hex(3)}"
        admin = psycopg2.connect(server.url)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield postgres.Server(server.database_url(name), server.source)
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    rows, rounds = options.rows, options.rounds
    try:
        database = bench_database()
        server = database.__enter__()
    except postgres.NoServer as error:
        print(f"PostgreSQL skipped: {error}")
        return
    try:
        sync_url = server.url.replace("+psycopg2", "")
        url = server.url.replace("+psycopg2", "+asyncpg")
        engine = make_engine(server.url)
        create_schema(engine)
        engine.dispose()
        with tempfile.TemporaryDirectory() as folder:
            feed = Path(folder) / "feed.csv"
            write_csv(feed, rows)
            times = measure(
                {
                    "raw": side(url, sync_url, feed, raw_copy),
                    "store": side(url, sync_url, feed, store_import),
                },
                rounds,
                check=lambda tables: _same(tables),
                collect=lambda _: stored(sync_url),
            )
        print(
            f"PostgreSQL ({server.source}): import of {rows:,} products, {rounds} rounds"
        )
        for name, label in (
            ("raw", "raw asyncpg COPY"),
            ("store", "store import (COPY)"),
        ):
            print(f"  {label:<24} {rows / best(times, name):>10,.0f} rows/s (best)")
        print(
            f"  store / raw COPY, min / median: {ratio(times, 'store', 'raw')} (goal 1.3x)"
        )
        sample = max(min(rows // 40, 500), 1)
        print(
            f"  one add() a row ({sample:,} rows): "
            f"{one_add_a_row(url, sync_url, sample):,.0f} rows/s"
        )
    finally:
        database.__exit__(None, None, None)


def _same(tables: dict[str, list[tuple]]) -> None:
    first = next(iter(tables.values()))
    assert all(table == first for table in tables.values()), "the same rows stored"


if __name__ == "__main__":
    main()
