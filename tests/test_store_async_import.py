# workshop: since 34
"""`store import` on PostgreSQL through asyncpg's COPY: the rules of every import."""

import asyncio
import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import DuplicateSku, InvalidCsv, InvalidRows
from app.orm import models
from app.orm.async_import import import_products
from app.orm.database import create_schema, make_async_engine, make_engine
from app.orm.repository import product_rows, to_domain
from app.sqlite import csv_import
from app.sqlite.db import connect
from app.sqlite.db import create_schema as create_sqlite_schema
from app.sqlite.repository import SqliteProductRepository

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.postgres


@pytest.fixture
def prefix(postgres_urls):
    """The store's tables on the run's database; this test's SKU prefix."""
    engine = make_engine(postgres_urls.sync)
    create_schema(engine)
    engine.dispose()
    return f"AI{secrets.token_hex(3).upper()}"


def copy_import(url, lines, now=NOW):
    async def run():
        engine = make_async_engine(url)
        try:
            return await import_products(engine, lines, now=now)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def csv_lines(text: str) -> list[bytes]:
    return text.encode("utf-8").splitlines(keepends=True)


def stored(sync_url, prefix):
    engine = make_engine(sync_url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                product_rows()
                .where(models.Product.sku.startswith(prefix))
                .order_by(models.Product.sku)
            )
            return [to_domain(*row) for row in rows]
    finally:
        engine.dispose()


def categories(sync_url, names):
    engine = make_engine(sync_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                select(func.count()).where(models.Category.name.in_(names))
            )
    finally:
        engine.dispose()


def test_the_rows_stored_are_those_of_the_sqlite_import(
    tmp_path, postgres_urls, prefix
):
    feed = csv_lines(
        "sku,name,price,category,created_at\n"
        f"{prefix}-1,Green tea,3.50,tea-{prefix},\n"
        f"{prefix}-2, Padded name ,4,tea-{prefix},2025-01-02T03:04:05+02:00\n"
        f"{prefix}-3,Mug,12.5,,2025-01-02T03:04:05+00:00\n"
        f'{prefix}-4,"Comma, quoted",0.99,cups-{prefix},\n'
        f"{prefix}-5,Free sample,0,,\n"
    )
    assert copy_import(postgres_urls.asyncpg, feed) == 5
    conn = connect(tmp_path / "store.db")
    create_sqlite_schema(conn)
    assert csv_import.import_products(conn, feed, now=NOW) == 5
    expected = SqliteProductRepository(conn).list()
    conn.close()
    products = stored(postgres_urls.sync, prefix)
    assert products == expected
    assert all(type(p.price) is Decimal for p in products)
    assert [p.price for p in products] == [
        Decimal("3.50"),
        Decimal("4.00"),
        Decimal("12.50"),
        Decimal("0.99"),
        Decimal("0.00"),
    ]


def test_every_bad_row_is_reported_at_once_and_nothing_is_stored(postgres_urls, prefix):
    feed = csv_lines(
        "sku,name,price\n"
        f"{prefix}-1,Fine,1.00\n"
        f"{prefix}-2,,1.00\n"
        f"{prefix}-3,Fine too,2.00\n"
        f"{prefix}-4,Three decimals,1.234\n"
        f"{prefix}-5,Short row\n"
    )
    with pytest.raises(InvalidRows) as caught:
        copy_import(postgres_urls.asyncpg, feed)
    assert [p.line for p in caught.value.problems] == [3, 5, 6]
    assert caught.value.line == 3
    assert isinstance(caught.value, InvalidCsv)
    assert stored(postgres_urls.sync, prefix) == []


def test_a_sku_twice_in_the_file_is_refused_before_anything_is_sent(
    postgres_urls, prefix
):
    feed = csv_lines(
        f"sku,name,price,category\n{prefix}-1,A,1,new-{prefix}\n{prefix}-1,B,2,\n"
    )
    with pytest.raises(DuplicateSku) as caught:
        copy_import(postgres_urls.asyncpg, feed)
    assert caught.value.skus == (f"{prefix}-1",)
    assert stored(postgres_urls.sync, prefix) == []
    assert categories(postgres_urls.sync, [f"new-{prefix}"]) == 0


def test_a_sku_already_stored_is_the_stores_duplicate_sku(postgres_urls, prefix):
    assert (
        copy_import(
            postgres_urls.asyncpg, csv_lines(f"sku,name,price\n{prefix}-1,Old,1\n")
        )
        == 1
    )
    feed = csv_lines(f"sku,name,price\n{prefix}-0,New,2\n{prefix}-1,Again,3\n")
    with pytest.raises(DuplicateSku) as caught:
        copy_import(postgres_urls.asyncpg, feed)
    assert caught.value.skus == (f"{prefix}-1",)
    assert [(p.sku, p.name) for p in stored(postgres_urls.sync, prefix)] == [
        (f"{prefix}-1", "Old")
    ]


def test_a_failure_past_the_first_chunk_leaves_nothing(postgres_urls, prefix):
    # Row 501 of 1,000 is already stored: the COPY has sent rows before it.
    copy_import(
        postgres_urls.asyncpg, csv_lines(f"sku,name,price\n{prefix}-0501,Old,1\n")
    )
    feed = csv_lines(
        "sku,name,price,category\n"
        + "".join(
            f"{prefix}-{n:04d},Item {n},1.25,c{n % 7}-{prefix}\n"
            for n in range(1, 1001)
        )
    )
    with pytest.raises(DuplicateSku) as caught:
        copy_import(postgres_urls.asyncpg, feed)
    assert caught.value.skus == (f"{prefix}-0501",)
    assert [p.sku for p in stored(postgres_urls.sync, prefix)] == [f"{prefix}-0501"]
    names = [f"c{n}-{prefix}" for n in range(7)]
    assert categories(postgres_urls.sync, names) == 0, "the categories went back too"


def test_the_store_command_imports_a_file_through_asyncpg(
    tmp_path, postgres_urls, prefix
):
    path = tmp_path / "feed.csv"
    path.write_text(
        f"sku,name,price,category\n{prefix}-1,Tea,3.50,tea\n{prefix}-2,Mug,12,\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "app.cli", "--db", postgres_urls.asyncpg]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [*command, "import", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "imported 2 products\n",
        "",
    )
    assert [
        (p.sku, p.price, p.category) for p in stored(postgres_urls.sync, prefix)
    ] == [
        (f"{prefix}-1", Decimal("3.50"), "tea"),
        (f"{prefix}-2", Decimal("12.00"), None),
    ]
    again = subprocess.run(
        [*command, "import", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert again.returncode == 2 and f"{prefix}-1" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1, "one clear line"
