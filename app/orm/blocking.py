# workshop: since 34
"""The async repository behind the blocking contract, for the store command and the contract tests."""

from __future__ import annotations

import asyncio
import builtins

from sqlalchemy import inspect
from sqlalchemy.engine import URL

from app.domain import Product
from app.errors import DatabaseUnavailable
from app.orm.async_repository import (
    AsyncOrmProductRepository,
    AsyncProductRepository,
    create_async_schema,
    make_async_sessions,
)
from app.orm.database import make_async_engine, missing_tables, not_the_store
from app.orm.errors import CONNECT_FIX, one_line
from app.repository import ProductRepository


class BlockingProductRepository(ProductRepository):
    """Runs each call of an AsyncOrmProductRepository to completion on a
    private event loop (an asyncio.Runner), so sync code can use it.

    It owns what it makes from ``url`` (the engine, the loop) and closes both
    in close(). The database must have the store's tables; ``reset`` drops
    and recreates them instead (for tests).
    """

    def __init__(self, url: str | URL, *, reset: bool = False) -> None:
        self._runner = asyncio.Runner()
        self._engine = make_async_engine(url)
        try:
            self._runner.run(self._prepare(reset))
        except OSError as error:  # asyncpg's socket errors are not DBAPI errors
            self.close()
            raise DatabaseUnavailable(
                self._engine.url.render_as_string(), one_line(error), CONNECT_FIX
            ) from error
        except BaseException:
            self.close()
            raise
        self._async: AsyncProductRepository = AsyncOrmProductRepository(
            make_async_sessions(self._engine)
        )

    async def _prepare(self, reset: bool) -> None:
        if reset:
            await create_async_schema(self._engine, reset=True)
            return
        async with self._engine.connect() as connection:
            names = await connection.run_sync(
                lambda sync: inspect(sync).get_table_names()
            )
        if missing := missing_tables(names):
            raise not_the_store(self._engine.url, missing)

    def add(self, product: Product) -> None:
        self._runner.run(self._async.add(product))

    def get(self, sku: str) -> Product:
        return self._runner.run(self._async.get(sku))

    def list(self) -> list[Product]:
        return self._runner.run(self._async.list())

    def update(self, product: Product) -> None:
        self._runner.run(self._async.update(product))

    def delete(self, sku: str) -> None:
        self._runner.run(self._async.delete(sku))

    def search(self, text: str) -> builtins.list[Product]:
        return self._runner.run(self._async.search(text))

    def close(self) -> None:
        try:
            self._runner.run(self._engine.dispose())
        finally:
            self._runner.close()
