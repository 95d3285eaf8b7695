# workshop: since 38
"""A product's price over time: a change appends to its history, never rewrites it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    func,  # solution 38
    or_,  # solution 38
    select,
)
from sqlalchemy.orm import Session

from app.domain import utc_now  # solution 38
from app.errors import (
    BackdatedPriceChange,  # solution 38
    PriceNotKnown,  # solution 38
    ProductNotFound,
)
from app.orm import models


def aware(at: datetime) -> datetime:
    """``at`` itself, or ValueError when it is naive: without a time zone it
    names no instant, and cannot be compared with the history's UTC times."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"{at!r} has no time zone, so it names no instant; use an aware"
            " datetime such as datetime.now(UTC)"
        )
    return at


def product_id(session: Session, sku: str) -> int:
    """The id of the product with this SKU; ProductNotFound when there is none."""
    found = session.scalar(select(models.Product.id).where(models.Product.sku == sku))
    if found is None:
        raise ProductNotFound(skus=[sku])
    return found


# >>> solution 38
def change_price(
    session: Session, sku: str, price: Decimal, *, at: datetime | None = None
) -> models.PriceVersion:
    """From ``at`` (default: now) the product costs ``price``; return the new version.

    In the caller's transaction: lock the product's row, close the open
    version at ``at``, open a new one, and set products.price to match.
    BackdatedPriceChange when ``at`` is not after the open version's start;
    a naive ``at`` is a ValueError. A product with no history yet gets one
    first: its current price, valid since it was created.
    """
    when = utc_now() if at is None else aware(at)
    # FOR UPDATE: a second change of this product waits here until the first
    # commits, then sees its version. populate_existing: read the row afresh
    # even when the session already holds the product.
    product = session.scalars(
        select(models.Product)
        .where(models.Product.sku == sku)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if product is None:
        raise ProductNotFound(skus=[sku])
    version = models.PriceVersion
    current = session.scalars(
        select(version).where(
            version.product_id == product.id, version.valid_to.is_(None)
        )
    ).one_or_none()
    since = product.created_at if current is None else current.valid_from
    if when <= since:
        raise BackdatedPriceChange(sku, when, since)
    if current is None:
        current = version(
            product_id=product.id, price=product.price, valid_from=product.created_at
        )
        session.add(current)
    current.valid_to = when
    new = version(product_id=product.id, price=price, valid_from=when)
    session.add(new)
    product.price = price
    session.flush()
    return new


def price_as_of(session: Session, sku: str, at: datetime) -> Decimal:
    """The product's price at instant ``at``: the version with
    valid_from <= at < valid_to (an open valid_to is no bound).

    ProductNotFound for an unknown SKU; PriceNotKnown when ``at`` comes before
    its first version (or it has none); a naive ``at`` is a ValueError.
    """
    when = aware(at)
    owner = product_id(session, sku)
    version = models.PriceVersion
    price = session.scalars(
        select(version.price).where(
            version.product_id == owner,
            version.valid_from <= when,
            or_(version.valid_to.is_(None), when < version.valid_to),
        )
    ).one_or_none()
    if price is None:
        first = session.scalar(
            select(func.min(version.valid_from)).where(version.product_id == owner)
        )
        raise PriceNotKnown(sku, when, first)
    return price


def price_history(session: Session, sku: str) -> list[models.PriceVersion]:
    """Every version of the product's price, oldest first (ProductNotFound if none)."""
    owner = product_id(session, sku)
    version = models.PriceVersion
    return list(
        session.scalars(
            select(version)
            .where(version.product_id == owner)
            .order_by(version.valid_from)
        )
    )


# <<<
