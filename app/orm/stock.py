# workshop: since 39
"""The last items, bought by many at once: row locks, a version column, a work queue."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError  # solution 39

from app.errors import (  # solution 39
    InvalidQuantity,  # solution 39
    OutOfStock,  # solution 39
    ProductNotFound,  # solution 39
    TooManyConflicts,  # solution 39
)  # solution 39
from app.orm import models

ATTEMPTS = 5  # how many transactions buy_optimistic() tries before giving up


def stock_of(sku: str) -> Select[models.StockLevel]:
    """SELECT the stock level of the product ``sku`` (add options before running it)."""
    return (
        select(models.StockLevel)
        .join(models.Product, models.Product.id == models.StockLevel.product_id)
        .where(models.Product.sku == sku)
    )


# >>> solution 39
def buy_locking(session: Session, sku: str, quantity: int) -> int:
    """Take ``quantity`` items of ``sku`` off the shelf in the caller's transaction,
    the stock row locked from the read on; return what is left (flushed, not
    committed).

    InvalidQuantity below 1; ProductNotFound for a SKU without a stock level;
    OutOfStock when fewer than ``quantity`` are left (nothing changed).
    """
    if quantity < 1:
        raise InvalidQuantity("buy 1 item or more", sku=sku, quantity=quantity)
    # FOR UPDATE OF stock_levels: lock the stock row only, not the product's.
    stock = session.scalars(
        stock_of(sku).with_for_update(of=models.StockLevel)
    ).one_or_none()
    if stock is None:
        raise ProductNotFound(skus=[sku])
    if stock.quantity < quantity:
        raise OutOfStock(sku, quantity, stock.quantity)
    stock.quantity -= quantity
    session.flush()
    return stock.quantity


def buy_optimistic(
    sessions: sessionmaker[Session],
    sku: str,
    quantity: int,
    *,
    attempts: int = ATTEMPTS,
) -> int:
    """Take ``quantity`` items of ``sku`` off the shelf without locking at the read;
    each attempt is its own transaction, committed here. Return what is left.

    When another buyer committed between the read and the write, the version
    column makes the flush raise StaleDataError: that transaction is rolled
    back and a new one reads again. TooManyConflicts after ``attempts`` such
    conflicts; the other errors as buy_locking().
    """
    if quantity < 1:
        raise InvalidQuantity("buy 1 item or more", sku=sku, quantity=quantity)
    for _ in range(attempts):
        try:
            with sessions.begin() as session:  # commits, or rolls back on error
                stock = session.scalars(stock_of(sku)).one_or_none()
                if stock is None:
                    raise ProductNotFound(skus=[sku])
                if stock.quantity < quantity:
                    raise OutOfStock(sku, quantity, stock.quantity)
                stock.quantity -= quantity
                session.flush()  # UPDATE ... WHERE version = <read>: 0 rows if stale
                left = stock.quantity
        except StaleDataError:
            continue  # another buyer committed first: read again, in a new session
        return left
    raise TooManyConflicts(sku, attempts)


def claim_next_pick(session: Session) -> models.PickTask | None:
    """The oldest pick task not done and not held by another worker, locked for
    this transaction (the caller marks it done and commits); None when every
    open task is taken."""
    return session.scalars(
        select(models.PickTask)
        .where(models.PickTask.done_at.is_(None))
        .order_by(models.PickTask.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).one_or_none()


# <<<
