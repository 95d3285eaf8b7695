# workshop: since 33
"""Bulk insert speed: ORM add_all, ORM bulk insert(), Core, the store, raw drivers, COPY.

    python scripts/bench_bulk_insert.py                 # 10,000 rows, seconds
    python scripts/bench_bulk_insert.py --rows 100000
    python scripts/bench_bulk_insert.py --no-postgres

Every method starts from the same rows (dicts with a Decimal price and an
aware datetime) and stores the same table: what each must convert (a price
into cents for SQLite, a time into UTC) is converted inside the timer, under
the same constraints (SQLite's foreign keys on), in one transaction; after
each round, every method's table must equal the others'. The store's bulk
path runs as a caller runs it, in a transaction of its own (the store adds a
SAVEPOINT inside it). The raw baselines are the driver used well, on a
connection opened once (as the engine's pool keeps one): sqlite3's
executemany, and psycopg2's execute_values() (1,000 rows a statement, as
SQLAlchemy sends them; its executemany() makes a round trip per row, which
is shown too). Each method runs once to warm up, then in rounds, taking
turns; ratios are at the best round and the median one. Goals: the store's
bulk path at most 1.3x the raw driver on SQLite, 1.2x on PostgreSQL.

PostgreSQL comes from workshop/postgres.py (WORKSHOP_PG_URL, a local server or
a throwaway cluster); the benchmark uses a database of its own and drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extras
from benchkit import Side, Timing, best, measure, ratio
from sqlalchemy import Engine, insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.bulk import import_products, insert_products, validate_rows
from app.orm.database import make_engine, make_sessions, reset_schema
from workshop import postgres

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORIES = [f"category {n}" for n in range(10)]
STORE = "store: insert_products() (the bulk path)"
RAW = "raw driver, used well"
COLUMNS = ("sku", "name", "price", "category_id", "created_at")
INSERT_SQL = f"INSERT INTO products ({', '.join(COLUMNS)}) VALUES "


def make_rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "sku": f"SKU-{n:07d}",
            "name": f"Product {n}",
            "price": Decimal(n % 100_000) / 100,
            "category_id": n % len(CATEGORIES) + 1,
            "created_at": WHEN,
        }
        for n in range(count)
    ]


def prepare(engine: Engine) -> None:
    reset_schema(engine)
    with engine.begin() as connection:
        connection.execute(insert(models.Category), [{"name": n} for n in CATEGORIES])


def stored(engine: Engine) -> list[tuple]:
    product = models.Product
    with engine.connect() as connection:
        query = select(
            product.sku,
            product.name,
            product.price,
            product.category_id,
            product.created_at,
        ).order_by(product.sku)
        return [tuple(row) for row in connection.execute(query)]


def orm_methods(
    engine: Engine, rows: list[dict[str, Any]]
) -> dict[str, Callable[[], object]]:
    sessions = make_sessions(engine)
    store_rows = [
        {"sku": r["sku"], "name": r["name"], "price": str(r["price"]),
         "category": CATEGORIES[r["category_id"] - 1]}
        for r in rows
    ]  # fmt: skip
    validated = validate_rows(store_rows)

    def orm_add_all() -> None:
        with Session(engine) as session, session.begin():
            session.add_all(models.Product(**row) for row in rows)

    def orm_bulk() -> None:
        with Session(engine) as session, session.begin():
            session.execute(insert(models.Product), rows)

    def core() -> None:
        with engine.begin() as connection:
            connection.execute(insert(models.Product.__table__), rows)

    # The caller owns the transaction: one per batch, as for every other side.
    def store() -> None:
        with sessions.begin() as session:
            insert_products(session, validated, created_at=WHEN)

    def store_validating() -> None:
        with sessions.begin() as session:
            import_products(session, store_rows, created_at=WHEN)

    return {
        "ORM add_all()": orm_add_all,
        "ORM bulk insert() (list of dicts)": orm_bulk,
        "Core insert() executemany": core,
        STORE: store,
        "store: import_products() (validates too)": store_validating,
    }


def sqlite_raw(
    connection: sqlite3.Connection, rows: list[dict[str, Any]]
) -> Callable[[], None]:
    """sqlite3 alone, as the store's engine sets it up (foreign keys on, BEGIN
    said by hand), on a connection opened once, like the engine's pooled one."""
    connection.isolation_level = None
    connection.execute("PRAGMA foreign_keys = ON")

    def raw() -> None:
        connection.execute("BEGIN")
        connection.executemany(
            INSERT_SQL + "(?, ?, ?, ?, ?)",
            (
                (r["sku"], r["name"], int(r["price"].scaleb(2)), r["category_id"],
                 r["created_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
                for r in rows
            ),
        )  # fmt: skip
        connection.execute("COMMIT")

    return raw


def psycopg2_raw(
    connection: Any, rows: list[dict[str, Any]], page: int
) -> Callable[[], None]:
    """psycopg2 alone: ``page`` rows a statement (1: its executemany), on a
    connection opened once, like the engine's pooled one; the time in UTC, as
    the store sends it."""

    def raw() -> None:
        values = [
            (r["sku"], r["name"], r["price"], r["category_id"],
             r["created_at"].astimezone(UTC))
            for r in rows
        ]  # fmt: skip
        with connection, connection.cursor() as cursor:  # one transaction
            if page == 1:
                cursor.executemany(INSERT_SQL + "(%s, %s, %s, %s, %s)", values)
            else:
                psycopg2.extras.execute_values(
                    cursor, INSERT_SQL + "%s", values, page_size=page
                )

    return raw


def run(
    engine: Engine, methods: dict[str, Callable[[], object]], rounds: int
) -> dict[str, Timing]:
    def side(method: Callable[[], object]) -> Side:
        def prepared() -> Callable[[], object]:
            prepare(engine)
            return method

        return prepared

    def same_table(tables: dict[str, list[tuple]]) -> None:
        first = next(iter(tables.values()))
        for name, table in tables.items():
            assert table == first, f"{name} stored another table"

    sides = {name: side(method) for name, method in methods.items()}
    return measure(sides, rounds, same_table, collect=lambda _: stored(engine))


def asyncpg_methods(
    url: str, rows: list[dict[str, Any]]
) -> dict[str, Callable[[], object]]:
    async def orm_bulk(engine: Any) -> None:
        async with async_sessionmaker(engine).begin() as session:
            await session.execute(insert(models.Product), rows)

    async def raw(engine: Any, copy: bool) -> None:
        values = [tuple(r[c] for c in COLUMNS) for r in rows]
        async with engine.connect() as connection:
            driver = (await connection.get_raw_connection()).driver_connection
            async with driver.transaction():
                if copy:
                    await driver.copy_records_to_table(
                        "products", records=values, columns=list(COLUMNS)
                    )
                else:
                    await driver.executemany(
                        INSERT_SQL + "($1, $2, $3, $4, $5)", values
                    )

    def blocking(action: Callable[[Any], Any]) -> Callable[[], None]:
        async def once() -> None:
            engine = create_async_engine(url)
            try:
                await action(engine)
            finally:
                await engine.dispose()

        return lambda: asyncio.run(once())

    return {
        "ORM bulk insert() (list of dicts)": blocking(orm_bulk),
        "raw asyncpg executemany": blocking(lambda e: raw(e, False)),
        "asyncpg copy_records_to_table()": blocking(lambda e: raw(e, True)),
    }


@contextlib.contextmanager
def bench_database() -> Iterator[postgres.Server | None]:
    try:
        server_context = postgres.server()
        server = server_context.__enter__()
    except postgres.NoServer as error:
        print(f"PostgreSQL skipped: {error}")
        yield None
        return
    name = f"bench_{os.getpid()}"
    admin = psycopg2.connect(server.url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres.Server(
            server.database_url(name).replace("+psycopg2", ""), server.source
        )
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
        server_context.__exit__(None, None, None)


def show(
    database: str,
    timings: dict[str, Timing],
    count: int,
    raw: str,
    goal: float | None = None,
) -> None:
    print(f"\n{database}")
    fastest = min(best(timings, name) for name in timings)
    for name in sorted(timings, key=lambda name: best(timings, name)):
        seconds = best(timings, name)
        print(
            f"  {name:44} {count / seconds:>10,.0f} rows/s"
            f"  {seconds / fastest:5.2f}x the fastest"
        )
    for name in (STORE, "ORM bulk insert() (list of dicts)"):
        if name in timings:
            wanted = f" (goal {goal}x)" if name == STORE and goal else ""
            print(
                f"  -> {name} / {raw}, min / median:"
                f" {ratio(timings, name, raw)}{wanted}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    rows = make_rows(options.rows)
    print(
        f"inserting {options.rows:,} products per method into an empty table,"
        f" {options.rounds} rounds after a warm-up"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        connection = sqlite3.connect(path)
        methods: dict[str, Callable[[], object]] = {
            **orm_methods(engine, rows),
            RAW: sqlite_raw(connection, rows),
        }
        timings = run(engine, methods, options.rounds)
        show("SQLite (file, sqlite3)", timings, options.rows, RAW, goal=1.3)
        connection.close()
        engine.dispose()
    if options.no_postgres:
        return
    with bench_database() as server:
        if server is None:
            return
        database = server.url.rsplit("/", 1)[1]
        engine = make_engine(server.database_url(database))
        raw_connection = psycopg2.connect(server.url)
        methods = {
            **orm_methods(engine, rows),
            RAW: psycopg2_raw(raw_connection, rows, 1000),
            "raw psycopg2 executemany (a round trip a row)": psycopg2_raw(
                raw_connection, rows, 1
            ),
        }
        timings = run(engine, methods, options.rounds)
        raw_connection.close()
        show(
            f"PostgreSQL, psycopg2 ({server.source})",
            timings,
            options.rows,
            RAW,
            goal=1.2,
        )
        methods = asyncpg_methods(server.database_url(database, "asyncpg"), rows)
        timings = run(engine, methods, options.rounds)
        show(
            "PostgreSQL, asyncpg", timings, options.rows,
            "asyncpg copy_records_to_table()",
        )  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()
