# workshop: since 33
"""Bulk changes in the caller's transaction: every row or none (a SAVEPOINT), refused before the database when possible."""

from __future__ import annotations

from collections import Counter  # solution 33
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError  # solution 33
from sqlalchemy import (
    insert,
    select,
    update,  # solution 33
)
from sqlalchemy.exc import IntegrityError  # solution 33
from sqlalchemy.orm import Session

from app.domain import check_price, utc_now  # solution 33
from app.errors import DuplicateSku, InvalidInput, ProductNotFound  # solution 33
from app.orm import models
from app.orm.repository import is_duplicate_sku  # solution 33
from app.schemas import (
    ProductCreate,
    explain,  # solution 33
)


def category_ids(session: Session, names: set[str]) -> dict[str, int]:
    """Ids of the categories called ``names``; the missing ones are created."""
    wanted = select(models.Category.name, models.Category.id).where(
        models.Category.name.in_(sorted(names))
    )
    found: dict[str, int] = {name: id_ for name, id_ in session.execute(wanted)}
    if missing := names - set(found):
        session.execute(
            insert(models.Category), [{"name": name} for name in sorted(missing)]
        )
        found = {name: id_ for name, id_ in session.execute(wanted)}
    return found


# >>> solution 33
def validate_rows(rows: Iterable[Mapping[str, object]]) -> list[ProductCreate]:
    """Every row as a ProductCreate; InvalidInput lists each bad row (from 1)."""
    valid, problems = [], []
    for number, row in enumerate(rows, start=1):
        try:
            valid.append(ProductCreate.model_validate(row))
        except ValidationError as error:
            problems += [
                f"row {number}: {line}" for line in explain(error).splitlines()
            ]
    if problems:
        raise InvalidInput("nothing was imported:\n" + "\n".join(problems))
    return valid


def import_products(
    session: Session,
    rows: Iterable[Mapping[str, object]],
    *,
    created_at: datetime | None = None,
) -> int:
    """Validate every row, then insert them all (insert_products()); return how many.

    Bad rows (InvalidInput) are refused before any statement is sent.
    """
    items = validate_rows(rows)
    return insert_products(session, items, created_at=created_at)


def insert_products(
    session: Session,
    items: list[ProductCreate],
    *,
    created_at: datetime | None = None,
) -> int:
    """Insert validated items, all or none, in the caller's transaction.

    SKUs repeated in the input are DuplicateSku before any statement; a SKU
    already stored is DuplicateSku too, and the batch leaves nothing behind
    (not even its new categories), while the caller's earlier work stays.
    Never commits. No item: return 0 without sending any statement.
    """
    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku(
            f"SKU {', '.join(repeated)} appears more than once", skus=repeated
        )
    if not items:
        return 0  # nothing to insert: no savepoint, no statement
    when = created_at or utc_now()
    try:
        # A SAVEPOINT: if the database refuses a row, everything the batch did
        # is undone, and the caller's transaction can still go on and commit.
        with session.begin_nested():
            ids = category_ids(session, {i.category for i in items if i.category})
            # The table, not the class: a Core executemany in the session's
            # transaction skips the ORM's per-row work (see the benchmark).
            session.execute(
                insert(models.Product.__table__),
                [
                    {
                        "sku": item.sku,
                        "name": item.name,
                        "price": item.price,
                        "category_id": ids.get(item.category)
                        if item.category
                        else None,
                        "created_at": when,
                    }
                    for item in items
                ],
            )
    except IntegrityError as error:
        if is_duplicate_sku(error):
            raise DuplicateSku(
                "a SKU of the import is already stored; nothing was imported"
            ) from None
        raise
    return len(items)


def set_prices(session: Session, prices: Mapping[str, str | int | Decimal]) -> int:
    """New prices for many SKUs, all or none, in the caller's transaction.

    Every price is checked before any statement (InvalidPrice); any unknown
    SKU raises ProductNotFound naming each one, and no price changes. The
    UPDATE runs in a SAVEPOINT: if the database refuses one price, none
    changes. Never commits; returns how many prices were set.
    """
    checked: dict[str, Decimal] = {sku: check_price(p) for sku, p in prices.items()}
    ids = {
        sku: id_
        for sku, id_ in session.execute(
            select(models.Product.sku, models.Product.id).where(
                models.Product.sku.in_(list(checked))
            )
        )
    }
    if missing := sorted(set(checked) - set(ids)):
        raise ProductNotFound(skus=missing)
    with session.begin_nested():
        # ORM bulk UPDATE by primary key: one executemany, not one UPDATE per object.
        session.execute(
            update(models.Product),
            [{"id": ids[sku], "price": price} for sku, price in checked.items()],
        )
    return len(checked)


# <<<
