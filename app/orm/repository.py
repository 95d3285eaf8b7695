# workshop: since 30
"""The product repository on SQLAlchemy sessions: the same contract on any SQL database."""

from __future__ import annotations

import builtins
from typing import (
    Any,  # solution 30
    cast,
)

from sqlalchemy import (
    ColumnElement,
    CursorResult,  # solution 30
    Engine,
    Select,
    or_,
    select,
    update,  # solution 30
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain import Product, search_key
from app.errors import DuplicateSku, ProductNotFound  # solution 30
from app.orm import models
from app.orm.casefold import casefold
from app.orm.errors import constraint_name, is_unique_violation
from app.repository import ProductRepository

# The name that the metadata's naming convention gives the SKU's UNIQUE.
SKU_CONSTRAINT = "uq_products_sku"


def product_rows() -> Select[models.Product, str | None]:
    """Products with their category's name (None when uncategorised)."""
    rows = select(models.Product, models.Category.name).outerjoin(
        models.Category, models.Product.category_id == models.Category.id
    )
    # The outer join's name can be NULL, which SQLAlchemy's types do not follow.
    return cast("Select[models.Product, str | None]", rows)


def to_domain(row: models.Product, category: str | None) -> Product:
    """A plain domain Product, detached from any session."""
    return Product(
        sku=row.sku,
        name=row.name,
        price=row.price,
        category=category,
        created_at=row.created_at,
    )


def is_duplicate_sku(error: IntegrityError) -> bool:
    """True when ``error`` is the unique SKU constraint, on SQLite or PostgreSQL.

    Decided by the driver's codes, never by its message: PostgreSQL names
    the constraint; SQLite only says SQLITE_CONSTRAINT_UNIQUE, and the SKU
    is the one UNIQUE column of products (category names are inserted apart,
    see category_id()).
    """
    if error.orig is None or not is_unique_violation(error.orig):
        return False
    return constraint_name(error) in (SKU_CONSTRAINT, None)


def search_condition(text: str) -> ColumnElement[bool]:
    """Name or SKU contains ``text``, every character literal, compared as
    search_key() says: both sides casefolded, as on every other backend."""
    needle = search_key(text)
    return or_(
        casefold(models.Product.name).contains(needle, autoescape=True),
        casefold(models.Product.sku).contains(needle, autoescape=True),
    )


def category_id(session: Session, name: str | None) -> int | None:
    """The id of the category called ``name``, created if it is new."""
    if name is None:
        return None
    wanted = select(models.Category.id).where(models.Category.name == name)
    if (found := session.scalar(wanted)) is not None:
        return found
    try:
        # A savepoint: if another writer creates it first, only this insert is undone.
        with session.begin_nested():
            session.add(models.Category(name=name))
    except IntegrityError:
        pass
    return session.scalar(wanted)


class OrmProductRepository(ProductRepository):
    """Products in any SQL database, one short session (and transaction) per call.

    Each call is one unit of work, begun and ended by the call itself: the
    contract promises that a change is stored when the call returns. The
    engine behind ``sessions`` stays its creator's to dispose, unless it is
    handed over as ``owned_engine`` (open_sql_repository() does).
    """

    def __init__(
        self, sessions: sessionmaker[Session], *, owned_engine: Engine | None = None
    ) -> None:
        self._sessions, self._owned_engine = sessions, owned_engine

    # >>> solution 30
    def add(self, product: Product) -> None:
        try:
            with self._sessions.begin() as session:
                session.add(
                    models.Product(
                        sku=product.sku,
                        name=product.name,
                        price=product.price,
                        category_id=category_id(session, product.category),
                        created_at=product.created_at,
                    )
                )
        except IntegrityError as error:
            if is_duplicate_sku(error):
                raise DuplicateSku(skus=[product.sku]) from None
            raise

    def get(self, sku: str) -> Product:
        with self._sessions() as session:
            found = session.execute(
                product_rows().where(models.Product.sku == sku)
            ).one_or_none()
        if found is None:
            raise ProductNotFound(skus=[sku])
        return to_domain(*found)

    def list(self) -> list[Product]:
        with self._sessions() as session:
            rows = session.execute(product_rows().order_by(models.Product.sku))
            return [to_domain(*row) for row in rows]

    def update(self, product: Product) -> None:
        with self._sessions.begin() as session:
            # One UPDATE: its rowcount says whether the product still exists.
            changed = session.execute(
                update(models.Product)
                .where(models.Product.sku == product.sku)
                .values(
                    name=product.name,
                    price=product.price,
                    category_id=category_id(session, product.category),
                    created_at=product.created_at,
                )
            )
            # An UPDATE gives a CursorResult, which SQLAlchemy's types do not say.
            if cast("CursorResult[Any]", changed).rowcount == 0:
                raise ProductNotFound(skus=[product.sku])

    def delete(self, sku: str) -> None:
        with self._sessions.begin() as session:
            row = session.scalar(
                select(models.Product).where(models.Product.sku == sku)
            )
            if row is None:
                raise ProductNotFound(skus=[sku])
            session.delete(row)

    def search(self, text: str) -> builtins.list[Product]:
        with self._sessions() as session:
            rows = session.execute(
                product_rows()
                .where(search_condition(text))
                .order_by(models.Product.sku)
            )
            return [to_domain(*row) for row in rows]

    # <<<
    def close(self) -> None:
        """Dispose of the engine this repository owns, if any; never another's."""
        if self._owned_engine is not None:
            self._owned_engine.dispose()
