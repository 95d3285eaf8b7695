# workshop: since 33
"""Bulk insert speed: ORM add_all, ORM bulk insert(), Core, raw DBAPI, COPY, side by side.

    python scripts/bench_bulk_insert.py              # 10,000 rows, a few seconds
    python scripts/bench_bulk_insert.py --rows 100000   # about 40 s
    python scripts/bench_bulk_insert.py --no-postgres

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
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
from sqlalchemy import Engine, insert, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.bulk import import_products, insert_products, validate_rows
from app.orm.database import make_engine, make_sessions, reset_schema
from workshop import postgres

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORIES = [f"category {n}" for n in range(10)]
Row = dict[str, Any]  # a products row: column -> value
STORE = "store: insert_products() (the bulk path)"
COLUMNS = ("sku", "name", "price", "category_id", "created_at")


def make_rows(count: int) -> list[Row]:
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


def sync_methods(engine: Engine, rows: list[Row], raw: Callable[[], None]):
    sessions = make_sessions(engine)
    store_rows = [
        {
            **{k: r[k] for k in ("sku", "name")},
            "price": str(r["price"]),
            "category": CATEGORIES[int(r["category_id"]) - 1],
        }  # fmt: skip
        for r in rows
    ]

    def orm_add_all() -> None:
        with Session(engine) as session, session.begin():
            session.add_all(models.Product(**row) for row in rows)

    def orm_bulk() -> None:
        with Session(engine) as session, session.begin():
            session.execute(insert(models.Product), rows)

    def core() -> None:
        with engine.begin() as connection:
            connection.execute(insert(models.Product.__table__), rows)

    def store() -> None:
        import_products(sessions, store_rows, created_at=WHEN)

    validated = validate_rows(store_rows)

    def store_insert() -> None:
        insert_products(sessions, validated, created_at=WHEN)

    return {
        "ORM add_all()": orm_add_all,
        "ORM bulk insert() (list of dicts)": orm_bulk,
        "Core insert() executemany": core,
        "raw DBAPI executemany": raw,
        STORE: store_insert,
        "store: import_products() (validates too)": store,
    }


def sqlite_raw(path: Path, rows: list[Row]) -> Callable[[], None]:
    values = [
        (
            r["sku"],
            r["name"],
            str(r["price"]),
            r["category_id"],
            WHEN.strftime("%Y-%m-%d %H:%M:%S.%f"),
        )  # fmt: skip
        for r in rows
    ]

    def raw() -> None:
        connection = sqlite3.connect(path)
        with connection:
            connection.executemany(
                f"INSERT INTO products ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
                values,
            )
        connection.close()

    return raw


def psycopg2_raw(url: str, rows: list[Row]) -> Callable[[], None]:
    def raw() -> None:
        values = [tuple(r[c] for c in COLUMNS) for r in rows]
        connection = psycopg2.connect(url)
        with connection, connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO products ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",
                values,
            )
        connection.close()

    return raw


def run(engine: Engine, methods: dict[str, Callable[[], None]], count: int):
    results = {}
    for name, method in methods.items():
        prepare(engine)
        started = time.perf_counter()
        method()
        results[name] = count / (time.perf_counter() - started)
        with engine.connect() as connection:
            stored = connection.scalar(text("SELECT count(*) FROM products"))
        assert stored == count, f"{name} stored {stored} rows, not {count}"
    return results


def asyncpg_results(url: str, rows: list[Row]) -> dict[str, float]:
    sync_engine = make_engine(url.replace("+asyncpg", "+psycopg2"))
    values = [tuple(r[c] for c in COLUMNS) for r in rows]
    results: dict[str, float] = {}

    async def main() -> None:
        engine = create_async_engine(url)
        sessions = async_sessionmaker(engine, expire_on_commit=False)

        async def orm_bulk() -> None:
            async with sessions.begin() as session:
                await session.execute(insert(models.Product), rows)

        async def core() -> None:
            async with engine.begin() as connection:
                await connection.execute(insert(models.Product.__table__), rows)

        async def raw(copy: bool) -> None:
            async with engine.connect() as connection:
                raw_connection = await connection.get_raw_connection()
                driver = raw_connection.driver_connection
                assert driver is not None
                async with driver.transaction():
                    if copy:
                        await driver.copy_records_to_table(
                            "products", records=values, columns=list(COLUMNS)
                        )
                    else:
                        await driver.executemany(
                            f"INSERT INTO products ({', '.join(COLUMNS)})"
                            " VALUES ($1, $2, $3, $4, $5)",
                            values,
                        )

        methods = {
            "ORM bulk insert() (list of dicts)": orm_bulk,
            "Core insert() executemany": core,
            "raw DBAPI executemany": lambda: raw(False),
            "asyncpg copy_records_to_table()": lambda: raw(True),
        }
        for name, method in methods.items():
            prepare(sync_engine)
            started = time.perf_counter()
            await method()
            results[name] = len(rows) / (time.perf_counter() - started)
        await engine.dispose()

    asyncio.run(main())
    sync_engine.dispose()
    return results


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


def show(database: str, results: dict[str, float]) -> None:
    fastest = max(results.values())
    print(f"\n{database}")
    for name, rate in sorted(results.items(), key=lambda item: -item[1]):
        print(f"  {name:44} {rate:>10,.0f} rows/s  {fastest / rate:5.2f}x the fastest")
    raw = results["raw DBAPI executemany"]
    for name in (STORE, "ORM bulk insert() (list of dicts)"):
        if name in results:
            verdict = "within" if raw / results[name] <= 2 else "NOT within"
            print(
                f"  -> {name}: {raw / results[name]:.2f}x raw executemany's time ({verdict} 2x)"
            )
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    rows = make_rows(options.rows)
    print(f"inserting {options.rows:,} products per method, each into an empty table")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        methods = sync_methods(engine, rows, sqlite_raw(path, rows))
        show("SQLite (file, sqlite3)", run(engine, methods, options.rows))
        engine.dispose()
    if options.no_postgres:
        return
    with bench_database() as server:
        if server is None:
            return
        engine = make_engine(server.database_url(server.url.rsplit("/", 1)[1]))
        methods = sync_methods(engine, rows, psycopg2_raw(server.url, rows))
        show(
            f"PostgreSQL, psycopg2 ({server.source})",
            run(engine, methods, options.rows),
        )
        engine.dispose()
        asyncpg_url = server.database_url(server.url.rsplit("/", 1)[1], "asyncpg")
        show("PostgreSQL, asyncpg", asyncpg_results(asyncpg_url, rows))


if __name__ == "__main__":
    main()
