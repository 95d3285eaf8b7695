# workshop: since 37
"""The supplier feed: new products inserted, changed ones updated, the rest untouched."""

from __future__ import annotations

from collections import Counter  # solution 37
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_  # solution 37
from sqlalchemy.dialects import postgresql, sqlite  # solution 37
from sqlalchemy.orm import Session

from app.domain import utc_now  # solution 37
from app.errors import DuplicateSku  # solution 37
from app.orm import models  # solution 37
from app.schemas import Name, Price, Sku

FEED_COLUMNS = ("name", "price", "cost_price")  # what the feed may change


class FeedLine(BaseModel):
    """One line of the supplier's feed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: Sku
    name: Name
    price: Price
    cost_price: Price | None = None


# >>> solution 37 until 42
def import_feed(
    session: Session, lines: Sequence[FeedLine], *, now: datetime | None = None
) -> int:
    """Upsert every line in the caller's transaction; return how many rows it wrote.

    A new SKU is inserted (created_at and updated_at are ``now``); a known one
    is updated, updated_at ``now``, only when one of FEED_COLUMNS differs.
    Rows go in SKU order, so two imports at once take their row locks in the
    same order and never deadlock. DuplicateSku for a SKU the feed repeats,
    before any statement.
    """
    counts = Counter(line.sku for line in lines)
    if repeated := sorted(sku for sku, n in counts.items() if n > 1):
        raise DuplicateSku(
            f"SKU {', '.join(repeated)} appears more than once", skus=repeated
        )
    when = now or utc_now()
    rows = [
        {**line.model_dump(), "created_at": when, "updated_at": when}
        for line in sorted(lines, key=lambda line: line.sku)
    ]
    if not rows:
        return 0
    table = models.Product.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    new = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.sku],
        set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},
        where=or_(
            *(table.c[name].is_distinct_from(new[name]) for name in FEED_COLUMNS)
        ),
    ).returning(table.c.sku)
    # One statement, many rows: SQLAlchemy sends it as multi-row VALUES
    # batches ("insertmanyvalues"), in the order of ``rows``.
    return len(session.execute(upsert, rows).all())


# <<<
# >>> since 42
def import_feed(
    session: Session, lines: Sequence[FeedLine], *, now: datetime | None = None
) -> int:
    """Upsert every line in the caller's transaction; return how many rows it wrote.

    A new SKU is inserted (created_at and updated_at are ``now``); a known one
    is updated, updated_at ``now``, only when one of FEED_COLUMNS differs.
    Known means live: a SKU whose product was soft-deleted (step 42) gets a
    new product, as the SKU is unique among live products only.
    Rows go in SKU order, so two imports at once take their row locks in the
    same order and never deadlock. DuplicateSku for a SKU the feed repeats,
    before any statement.
    """
    counts = Counter(line.sku for line in lines)
    if repeated := sorted(sku for sku, n in counts.items() if n > 1):
        raise DuplicateSku(
            f"SKU {', '.join(repeated)} appears more than once", skus=repeated
        )
    when = now or utc_now()
    rows = [
        {**line.model_dump(), "created_at": when, "updated_at": when}
        for line in sorted(lines, key=lambda line: line.sku)
    ]
    if not rows:
        return 0
    table = models.Product.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    new = statement.excluded
    upsert = statement.on_conflict_do_update(
        # The SKU's unique index is partial: ON CONFLICT must name its WHERE.
        index_elements=[table.c.sku],
        index_where=table.c.deleted_at.is_(None),
        set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},
        where=or_(
            *(table.c[name].is_distinct_from(new[name]) for name in FEED_COLUMNS)
        ),
    ).returning(table.c.sku)
    # One statement, many rows: SQLAlchemy sends it as multi-row VALUES
    # batches ("insertmanyvalues"), in the order of ``rows``.
    return len(session.execute(upsert, rows).all())


# <<<
