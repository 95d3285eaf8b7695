# workshop: since 34
"""The product repository on AsyncSession and asyncpg: one session per call, no lazy loads."""

from __future__ import annotations

import builtins
from typing import (
    Any,  # solution 34
    Protocol,
    cast,  # solution 34
    runtime_checkable,
)

from sqlalchemy import (
    select,
    update,  # solution 34
)
from sqlalchemy.engine import CursorResult  # solution 34
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload  # solution 34

from app.domain import Product
from app.errors import DuplicateSku, ProductNotFound  # solution 34
from app.orm import models
from app.orm.repository import (  # solution 34
    is_duplicate_sku,  # solution 34
    product_rows,  # solution 34
    search_condition,  # solution 34
    to_domain,  # solution 34
)  # solution 34


@runtime_checkable
class AsyncProductRepository(Protocol):
    """The product contract of app/repository.py, awaited: the same calls,
    the same errors (DuplicateSku, ProductNotFound), coroutines instead."""

    async def add(self, product: Product) -> None: ...

    async def get(self, sku: str) -> Product: ...

    async def list(self) -> builtins.list[Product]: ...

    async def update(self, product: Product) -> None: ...

    async def delete(self, sku: str) -> None: ...

    async def search(self, text: str) -> builtins.list[Product]: ...


def make_async_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit: no reload, no hidden I/O."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def create_async_schema(engine: AsyncEngine, *, reset: bool = False) -> None:
    """Create the missing tables (drop them all first when ``reset``)."""
    async with engine.begin() as connection:
        if reset:
            await connection.run_sync(models.Base.metadata.drop_all)
        await connection.run_sync(models.Base.metadata.create_all)


async def category_id(session: AsyncSession, name: str | None) -> int | None:
    """The id of the category called ``name``, created if it is new."""
    if name is None:
        return None
    wanted = select(models.Category.id).where(models.Category.name == name)
    if (found := await session.scalar(wanted)) is not None:
        return found
    try:
        # A savepoint: if another task creates it first, only this insert is undone.
        async with session.begin_nested():
            session.add(models.Category(name=name))
    except IntegrityError:
        pass
    return await session.scalar(wanted)


class AsyncOrmProductRepository:
    """The async twin of OrmProductRepository, method for method: an
    AsyncProductRepository.

    It takes a session *factory*, never a session: every call opens its own
    AsyncSession (its own unit of work), so tasks running at the same time
    never share one. The engine stays its creator's: nothing here disposes it.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        if not isinstance(sessions, async_sessionmaker):
            raise TypeError(
                f"pass an async_sessionmaker, not {type(sessions).__name__}: an"
                " AsyncSession must not be shared between tasks, so the repository"
                " opens one per call"
            )
        self._sessions = sessions

    # >>> solution 34
    async def add(self, product: Product) -> None:
        try:
            async with self._sessions.begin() as session:
                session.add(
                    models.Product(
                        sku=product.sku,
                        name=product.name,
                        price=product.price,
                        category_id=await category_id(session, product.category),
                        created_at=product.created_at,
                    )
                )
        except IntegrityError as error:
            if is_duplicate_sku(error):
                raise DuplicateSku(skus=[product.sku]) from None
            raise

    async def get(self, sku: str) -> Product:
        async with self._sessions() as session:
            result = await session.execute(
                product_rows().where(models.Product.sku == sku)
            )
            found = result.one_or_none()
        if found is None:
            raise ProductNotFound(skus=[sku])
        return to_domain(*found)

    async def list(self) -> list[Product]:
        async with self._sessions() as session:
            result = await session.execute(product_rows().order_by(models.Product.sku))
            return [to_domain(*row) for row in result]

    async def update(self, product: Product) -> None:
        async with self._sessions.begin() as session:
            # One UPDATE: its rowcount says whether the product still exists.
            changed = await session.execute(
                update(models.Product)
                .where(models.Product.sku == product.sku)
                .values(
                    name=product.name,
                    price=product.price,
                    category_id=await category_id(session, product.category),
                    created_at=product.created_at,
                )
            )
            if cast("CursorResult[Any]", changed).rowcount == 0:
                raise ProductNotFound(skus=[product.sku])

    async def delete(self, sku: str) -> None:
        async with self._sessions.begin() as session:
            row = await session.scalar(
                select(models.Product).where(models.Product.sku == sku)
            )
            if row is None:
                raise ProductNotFound(skus=[sku])
            await session.delete(row)

    async def search(self, text: str) -> builtins.list[Product]:
        async with self._sessions() as session:
            result = await session.execute(
                product_rows()
                .where(search_condition(text))
                .order_by(models.Product.sku)
            )
            return [to_domain(*row) for row in result]

    async def list_orders(self) -> builtins.list[models.Order]:
        """Every order with its items and their products, loaded before return."""
        async with self._sessions() as session:
            result = await session.scalars(
                select(models.Order)
                .options(
                    selectinload(models.Order.items).selectinload(
                        models.OrderItem.product
                    )
                )
                .order_by(models.Order.id)
            )
            return list(result)

    # <<<
