# workshop: since 42
"""Soft deletes: products hidden, not lost; restorable, then purged after a while."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast  # solution 42

from sqlalchemy import CursorResult, delete, event, exists, select  # solution 42
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    sessionmaker,
    with_loader_criteria,  # solution 42
)

from app.domain import utc_now  # solution 42
from app.errors import DuplicateSku, ProductNotFound  # solution 42
from app.orm import models

INCLUDE_DELETED = "include_deleted"  # .execution_options(include_deleted=True)
# Reads on behalf of an order: its lines keep the product they sold.
ORDER_HISTORY = (models.Order, models.OrderItem)


# >>> solution 42
def hide_deleted(state: ORMExecuteState) -> None:
    """The do_orm_execute listener: soft-deleted products drop out of every
    SELECT, UPDATE and DELETE through the ORM (joins and aliases too).

    Left alone: statements with include_deleted=True, column (re)loads,
    relationship loads (they take the rule of the statement that asked for
    them) and statements about orders or order lines.
    """
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(INCLUDE_DELETED, False):
        return
    if any(mapper.class_ in ORDER_HISTORY for mapper in state.all_mappers):
        return
    state.statement = state.statement.options(
        # A lambda, so that SQLAlchemy can aim it at every alias of Product.
        with_loader_criteria(
            models.Product,
            lambda product: product.deleted_at.is_(None),
            include_aliases=True,
        )
    )


def install_soft_delete(sessions: sessionmaker[Session] | type[Session]) -> None:
    """Make every session of ``sessions`` (a factory or a Session class) hide
    soft-deleted products (see hide_deleted()); once per factory."""
    event.listen(sessions, "do_orm_execute", hide_deleted)


def soft_delete(session: Session, sku: str, *, now: datetime | None = None) -> None:
    """Mark the live product ``sku`` deleted at ``now`` (default: utc_now()).

    In the caller's transaction; ProductNotFound when no live product has it.
    """
    product = session.scalar(
        select(models.Product).where(
            models.Product.sku == sku, models.Product.deleted_at.is_(None)
        )
    )
    if product is None:
        raise ProductNotFound(skus=[sku])
    product.deleted_at = now or utc_now()
    session.flush()


def restore(session: Session, sku: str) -> None:
    """Bring back the product most recently deleted under ``sku``.

    ProductNotFound when no deleted product has it; DuplicateSku when a live
    product has taken the SKU since (nothing changes).
    """
    latest = session.scalar(
        select(models.Product)
        .where(models.Product.sku == sku, models.Product.deleted_at.is_not(None))
        .order_by(models.Product.deleted_at.desc(), models.Product.id.desc())
        .limit(1)
        .execution_options(**{INCLUDE_DELETED: True})
    )
    if latest is None:
        raise ProductNotFound(skus=[sku])
    live = select(models.Product.id).where(
        models.Product.sku == sku, models.Product.deleted_at.is_(None)
    )
    if session.scalar(live) is not None:
        raise DuplicateSku(
            f"SKU {sku} belongs to a live product now; delete or rename it first",
            skus=[sku],
        )
    latest.deleted_at = None
    session.flush()


def purge(
    session: Session, *, older_than: timedelta, now: datetime | None = None
) -> int:
    """Hard-delete products deleted before ``now - older_than``; return how many.

    A product deleted exactly at that instant stays (the retention period is
    a minimum). A product that an order line names stays too, deleted: the
    order's history needs it. ValueError for a negative ``older_than``.
    """
    if older_than < timedelta(0):
        raise ValueError(f"older_than must not be negative, got {older_than}")
    cutoff = (now or utc_now()) - older_than
    ordered = exists().where(models.OrderItem.product_id == models.Product.id)
    purged = session.execute(
        delete(models.Product)
        .where(models.Product.deleted_at < cutoff, ~ordered)
        .execution_options(**{INCLUDE_DELETED: True}, synchronize_session="fetch")
    )
    # A DELETE gives a CursorResult, which SQLAlchemy's types do not say.
    return cast("CursorResult[Any]", purged).rowcount


# <<<
