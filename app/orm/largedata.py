# workshop: since 43
"""A big catalog: generated fast with COPY, read page by page and streamed in batches."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select, tuple_  # solution 43
from sqlalchemy.orm import Session

from app.errors import InvalidPageSize  # solution 43
from app.orm import models

MAX_PAGE_SIZE = 1000
COPY_COLUMNS = ("sku", "name", "price", "created_at", "updated_at")
WORDS = ("Tea", "Mug", "Café", "Crème", "Kaffee", "Grüner", "Чай", "茶", "Spoon", "Ø")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PageKey:
    """Where the next page starts: just after the product with this price and SKU."""

    price: Decimal
    sku: str


@dataclass(frozen=True)
class Page:
    """Products in (price, sku) order, and the key of the next page (None: the last)."""

    items: list[models.Product]
    next: PageKey | None


# >>> solution 43
def products_page(session: Session, *, after: PageKey | None, size: int) -> Page:
    """The ``size`` products that follow ``after`` in (price, sku) order (the
    first ones for None). ``next`` is the key of the page's last product when
    more products follow it, else None: a walk never asks for an empty page.
    InvalidPageSize unless 1 <= size <= MAX_PAGE_SIZE.
    """
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidPageSize(size, MAX_PAGE_SIZE)
    product = models.Product
    query = select(product).order_by(product.price, product.sku).limit(size + 1)
    if after is not None:
        # A row-value comparison: the index on (price, sku) starts right there.
        query = query.where(
            tuple_(product.price, product.sku) > (after.price, after.sku)
        )
    items = list(session.scalars(query))
    if len(items) <= size:
        return Page(items, None)
    last = items[size - 1]
    return Page(items[:size], PageKey(last.price, last.sku))


def stream_products(session: Session, *, batch: int = 1000) -> Iterator[models.Product]:
    """Every product in (price, sku) order, from one query, ``batch`` rows at a
    time: memory stays bounded however big the table (on PostgreSQL the rows
    wait in a server-side cursor)."""
    product = models.Product
    query = select(product).order_by(product.price, product.sku)
    yield from session.scalars(query.execution_options(yield_per=batch))


# <<<
class CopyConnection(Protocol):
    """What generate_catalog() needs of an asyncpg connection."""

    async def copy_records_to_table(
        self, table_name: str, *, records: Any, columns: Any
    ) -> str: ...


def catalog_rows(rows: int, *, seed: int, start: int = 0) -> Iterator[tuple[Any, ...]]:
    """``rows`` products as COPY_COLUMNS tuples, the same for the same seed.

    Prices are whole cents from 0.00 to 999.99, so a big catalog has many ties
    (about rows / 100,000 products share each price); names mix scripts.
    """
    draw = random.Random(seed)
    for n in range(start, start + rows):
        name = f"{draw.choice(WORDS)} {draw.choice(WORDS).lower()} {n}"
        created = EPOCH + timedelta(seconds=n)
        price = Decimal(draw.randrange(100_000)).scaleb(-2)
        yield f"GEN-{n:08d}", name, price, created, created


async def generate_catalog(
    connection: CopyConnection, rows: int, *, seed: int = 43, start: int = 0
) -> int:
    """COPY ``rows`` generated products into ``products`` (SKUs GEN-<start>...);
    one stream of rows, no statement per row. Returns how many."""
    await connection.copy_records_to_table(
        "products",
        records=catalog_rows(rows, seed=seed, start=start),
        columns=list(COPY_COLUMNS),
    )
    return rows


def fill_catalog(url: str, rows: int, *, seed: int = 43, start: int = 0) -> int:
    """generate_catalog() for a ``postgresql+asyncpg://`` URL, from sync code."""
    from app.orm.database import make_async_engine

    async def fill() -> int:
        engine = make_async_engine(url)
        try:
            async with engine.connect() as connection:
                raw = await connection.get_raw_connection()
                driver: Any = raw.driver_connection
                async with driver.transaction():
                    return await generate_catalog(driver, rows, seed=seed, start=start)
        finally:
            await engine.dispose()

    return asyncio.run(fill())
