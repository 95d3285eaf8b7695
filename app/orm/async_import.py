# workshop: since 34
"""`store import` into PostgreSQL through asyncpg: every row checked first, then one COPY.

The rows are read and checked by the rules of every import (PlainRows, the
fast path of step 22, then product_from_fields() for the rest); every bad
row is reported at once and nothing is sent. The good rows then go to the
server in one transaction: the categories they name (created as needed),
then the products with asyncpg's ``copy_records_to_table()``, the binary
COPY protocol (https://magicstack.github.io/asyncpg/current/api/index.html).
A SKU already stored makes the COPY fail: nothing of the file stays.
"""

from __future__ import annotations

import asyncio
import csv
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.domain import utc_now
from app.errors import (
    DatabaseUnavailable,
    DuplicateSku,
    InvalidCsv,
    InvalidProduct,
    InvalidRows,
)
from app.orm import models
from app.orm.database import make_async_engine, missing_tables, not_the_store
from app.orm.errors import CONNECT_FIX, one_line
from app.sqlite.csv_export import COLUMNS
from app.sqlite.csv_import import REQUIRED, PlainRows, utf8_lines
from app.sqlite.validation import product_from_fields

# One checked row: sku, name, price, category, created_at.
Row = tuple[str, str, Decimal, str | None, datetime]
COPIED = ("sku", "name", "price", "category_id", "created_at")
SKU_UNIQUE = "uq_products_sku"  # the constraint's name (models.NAMING_CONVENTION)
KEY_DETAIL = re.compile(r"Key \(sku\)=\((.*)\) already exists")


def read_rows(source: Iterable[bytes], *, now: datetime | None = None) -> list[Row]:
    """Every row of the CSV in ``source`` (lines of bytes) as checked values.

    The header rules are those of the SQLite import (InvalidCsv on line 1).
    Rows go through PlainRows, and the rows it does not take through
    product_from_fields() (``now`` for rows without created_at). InvalidRows
    lists every bad row at once; DuplicateSku names every SKU the file gives
    more than once. Prices are Decimal, times aware datetimes.
    """
    reader = csv.reader(utf8_lines(source))
    try:
        header = next(reader, [])
        _check_header(header)
        stamp = now or utc_now()
        plain = PlainRows(header, stamp)
        rows: list[Row] = []
        bad: list[InvalidCsv] = []
        times: dict[str, datetime] = {}  # rows often share a created_at
        for cells in reader:
            if len(cells) != len(header):
                bad.append(
                    InvalidCsv(
                        f"{len(cells)} cells, the header has {len(header)}",
                        line=reader.line_num,
                    )
                )
            elif values := plain.values(cells):
                sku, name, cents, category, iso = values
                when = times.get(iso) or times.setdefault(
                    iso, datetime.fromisoformat(iso)
                )
                rows.append((sku, name, Decimal(cents).scaleb(-2), category, when))
            else:
                try:
                    product = product_from_fields(
                        dict(zip(header, cells, strict=True)), now=stamp
                    )
                except InvalidProduct as error:
                    bad.append(InvalidCsv(str(error), line=reader.line_num))
                else:
                    rows.append(
                        (
                            product.sku,
                            product.name,
                            product.price,
                            product.category,
                            product.created_at,
                        )
                    )
    except csv.Error as error:
        raise InvalidCsv(f"not valid CSV: {error}", line=reader.line_num) from None
    if bad:
        raise InvalidRows(bad)
    counts = Counter(row[0] for row in rows)
    if twice := sorted(sku for sku, n in counts.items() if n > 1):
        raise DuplicateSku(
            f"SKU {', '.join(twice)} appears more than once in the file;"
            " nothing was imported",
            skus=twice,
        )
    return rows


def _check_header(header: Sequence[str]) -> None:
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown:
        raise InvalidCsv(
            f"the header {','.join(header)!r} lacks {missing} or has unknown"
            f" {unknown}; the columns are {','.join(COLUMNS)}",
            line=1,
            column=(missing or unknown)[0],
        )
    if twice := [column for column in COLUMNS if header.count(column) > 1]:
        raise InvalidCsv(
            f"the header names {twice[0]!r} twice; keep one of those columns",
            line=1,
            column=twice[0],
        )


async def category_ids(connection: AsyncConnection, names: set[str]) -> dict[str, int]:
    """Ids of the categories called ``names``; the missing ones are created
    (a name another transaction creates meanwhile is taken as it is)."""
    if names:
        await connection.execute(
            pg_insert(models.Category)
            .values([{"name": name} for name in sorted(names)])
            .on_conflict_do_nothing(index_elements=["name"])
        )
    found = await connection.execute(
        select(models.Category.name, models.Category.id).where(
            models.Category.name.in_(sorted(names))
        )
    )
    return {name: id_ for name, id_ in found}


async def copy_products(connection: AsyncConnection, rows: Sequence[Row]) -> int:
    """Store checked ``rows`` in ``connection``'s transaction, which the
    caller owns: categories first, then one COPY. Return how many.

    A SKU already stored raises DuplicateSku naming it; the caller's
    transaction is then to be rolled back (the COPY stored nothing).
    """
    ids = await category_ids(connection, {row[3] for row in rows if row[3]})
    # SQLAlchemy's asyncpg adapter begins a transaction at its first statement
    # (category_ids() sent one): the COPY on the driver's connection is in it.
    driver: Any = (await connection.get_raw_connection()).driver_connection
    if not driver.is_in_transaction():
        raise RuntimeError("copy_products() needs a transaction: use engine.begin()")
    if not rows:
        return 0
    records = [
        (sku, name, price, ids[category] if category else None, created_at)
        for sku, name, price, category, created_at in rows
    ]
    try:
        await driver.copy_records_to_table(
            models.Product.__tablename__, records=records, columns=COPIED
        )
    except Exception as error:
        if getattr(error, "constraint_name", None) != SKU_UNIQUE:
            raise
        found = KEY_DETAIL.search(getattr(error, "detail", None) or "")
        skus = [found[1]] if found else []
        raise DuplicateSku(
            f"SKU {found[1] if found else 'of the import'} is already stored;"
            " nothing was imported",
            skus=skus,
        ) from None
    return len(records)


async def import_products(
    engine: AsyncEngine, source: Iterable[bytes], *, now: datetime | None = None
) -> int:
    """Check every row of the CSV in ``source``, then store them all in one
    transaction (one COPY), or none; return how many (see read_rows())."""
    rows = read_rows(source, now=now)
    async with engine.begin() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        if missing := missing_tables(tables):
            raise not_the_store(engine.url, missing)
        return await copy_products(connection, rows)


def import_csv(url: str | URL, path: str | Path) -> int:
    """`store import FILE` for a ``postgresql+asyncpg://`` URL: all or nothing.

    The database must have the store's tables (Alembic makes them).
    """

    async def run() -> int:
        engine = make_async_engine(url)
        try:
            with Path(path).open("rb") as source:
                return await import_products(engine, source)
        except OSError as error:  # asyncpg's socket errors are not DBAPI errors
            if error.filename is not None:
                raise  # the CSV file
            raise DatabaseUnavailable(
                engine.url.render_as_string(), one_line(error), CONNECT_FIX
            ) from error
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except InvalidRows as error:
        raise InvalidRows(error.problems, path=str(path)) from None
    except InvalidCsv as error:
        raise InvalidCsv(
            error.reason,
            line=error.line,
            column=error.column,
            value=error.value,
            path=str(path),
        ) from error.__cause__
