# workshop: since 34
"""The async repository behind the blocking contract, for the store command and the contract tests."""

from __future__ import annotations

import asyncio
import builtins

from sqlalchemy.ext.asyncio import create_async_engine

from app.domain import Product
from app.orm.async_repository import (
    AsyncOrmProductRepository,
    create_async_schema,
    make_async_sessions,
)
from app.repository import ProductRepository


class BlockingProductRepository(ProductRepository):
    """Runs each call of an AsyncOrmProductRepository to completion on a
    private event loop (an asyncio.Runner), so sync code can use it."""

    def __init__(self, url: str, *, create: bool = True, reset: bool = False) -> None:
        self._runner = asyncio.Runner()
        self._engine = create_async_engine(url)
        if create or reset:
            self._runner.run(create_async_schema(self._engine, reset=reset))
        self._async = AsyncOrmProductRepository(make_async_sessions(self._engine))

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


def open_async_repository(url: str, *, create: bool = True) -> ProductRepository:
    """The repository for a ``postgresql+asyncpg://`` URL, usable from sync code."""
    return BlockingProductRepository(url, create=create)
