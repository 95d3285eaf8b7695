"""Variants of drill 42 (soft deletes): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

LIFECYCLE = "app/orm/lifecycle.py"
MODELS = "app/orm/models.py"

VARIANTS = [
    wrong(
        "the rule on SELECT and UPDATE only: a bulk DELETE hard-deletes deleted rows",
        replace_text(
            LIFECYCLE,
            old="    if not (state.is_select or state.is_update or state.is_delete):\n",
            new="    if not (state.is_select or state.is_update):\n",
        ),
    ),
    wrong(
        "a naive datetime.utcnow() when no now is given",
        replace_text(
            LIFECYCLE,
            old="    product.deleted_at = now or utc_now()\n",
            new="    product.deleted_at = now or datetime.utcnow()\n",
        ),
    ),
    wrong(
        "a filter on the top-level query only: a category's products bring deleted ones back",
        replace_function(
            LIFECYCLE,
            "hide_deleted",
            '''
            def hide_deleted(state: ORMExecuteState) -> None:
                """WHERE deleted_at IS NULL on a SELECT of products, nothing else."""
                if not state.is_select or state.is_column_load or state.is_relationship_load:
                    return
                if state.execution_options.get(INCLUDE_DELETED, False):
                    return
                if any(mapper.class_ is models.Product for mapper in state.all_mappers):
                    state.statement = state.statement.where(
                        models.Product.deleted_at.is_(None)
                    )
            ''',
        ),
        replace_text(LIFECYCLE, old="    with_loader_criteria,\n", new=""),
    ),
    wrong(
        "keeps a plain unique SKU: a deleted product's SKU is never free again",
        replace_text(
            MODELS,
            old="""            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
""",
            new="",
        ),
    ),
    wrong(
        "restores without checking the live SKU",
        replace_text(
            LIFECYCLE,
            old="    if session.scalar(live) is not None:",
            new="    if False:",
        ),
    ),
    wrong(
        "purges with <= instead of <: the product deleted exactly at the cutoff goes",
        replace_text(
            LIFECYCLE,
            old="models.Product.deleted_at < cutoff",
            new="models.Product.deleted_at <= cutoff",
        ),
    ),
    wrong(
        "purges every deleted product, whatever the retention period",
        replace_text(
            LIFECYCLE,
            old="models.Product.deleted_at < cutoff",
            new="models.Product.deleted_at.is_not(None)",
        ),
    ),
    wrong(
        "purge's DELETE forgets include_deleted: the rule hides what it should purge",
        replace_text(
            LIFECYCLE,
            old='.execution_options(**{INCLUDE_DELETED: True}, synchronize_session="fetch")',
            new='.execution_options(synchronize_session="fetch")',
        ),
    ),
    wrong(
        "purges products that order lines name",
        replace_text(
            LIFECYCLE,
            old=".where(models.Product.deleted_at < cutoff, ~ordered)",
            new=".where(models.Product.deleted_at < cutoff)",
        ),
    ),
    wrong(
        "without include_aliases: an aliased products table shows deleted rows",
        replace_text(
            LIFECYCLE,
            old="""            lambda product: product.deleted_at.is_(None),
            include_aliases=True,
""",
            new="""            lambda product: product.deleted_at.is_(None),
""",
        ),
    ),
    wrong(
        "the criterion as a plain expression: it never reaches an alias",
        replace_text(
            LIFECYCLE,
            old="            lambda product: product.deleted_at.is_(None),\n",
            new="            models.Product.deleted_at.is_(None),\n",
        ),
    ),
    wrong(
        "the rule reaches orders too: an old order's line loses its product",
        replace_text(
            LIFECYCLE,
            old="""    if any(mapper.class_ in ORDER_HISTORY for mapper in state.all_mappers):
        return
""",
            new="",
        ),
    ),
    wrong(
        "the rule on SELECT only: repricing and updates change deleted products too",
        replace_text(
            LIFECYCLE,
            old="    if not (state.is_select or state.is_update or state.is_delete):",
            new="    if not state.is_select:",
        ),
    ),
    wrong(
        "restores the first deleted product instead of the last",
        replace_text(
            LIFECYCLE,
            old=".order_by(models.Product.deleted_at.desc(), models.Product.id.desc())",
            new=".order_by(models.Product.deleted_at, models.Product.id)",
        ),
    ),
    wrong(
        "soft_delete commits",
        replace_text(
            LIFECYCLE,
            old="""    product.deleted_at = now or utc_now()
    session.flush()
""",
            new="""    product.deleted_at = now or utc_now()
    session.commit()
""",
        ),
    ),
    alternative(
        "purge finds the rows first, then deletes them by id; NOT IN for the order lines",
        replace_function(
            LIFECYCLE,
            "purge",
            '''
            def purge(
                session: Session, *, older_than: timedelta, now: datetime | None = None
            ) -> int:
                """Two statements: which ids, then one DELETE of them."""
                if older_than < timedelta(0):
                    raise ValueError("a retention period is never negative")
                cutoff = (now or utc_now()) - older_than
                doomed = session.scalars(
                    select(models.Product.id)
                    .where(
                        models.Product.deleted_at < cutoff,
                        models.Product.id.not_in(select(models.OrderItem.product_id)),
                    )
                    .execution_options(include_deleted=True)
                ).all()
                if doomed:
                    session.execute(
                        delete(models.Product)
                        .where(models.Product.id.in_(doomed))
                        .execution_options(include_deleted=True)
                    )
                return len(doomed)
            ''',
        ),
        replace_text(
            LIFECYCLE,
            old="from sqlalchemy import CursorResult, delete, event, exists, select\n",
            new="from sqlalchemy import delete, event, select\n",
        ),
        replace_text(LIFECYCLE, old="from typing import Any, cast\n", new=""),
    ),
    alternative(
        "soft_delete and restore as UPDATE statements; the rule skips orders by entity",
        replace_function(
            LIFECYCLE,
            "soft_delete",
            '''
            def soft_delete(
                session: Session, sku: str, *, now: datetime | None = None
            ) -> None:
                """One UPDATE; the rule adds deleted_at IS NULL to it."""
                done = session.execute(
                    update(models.Product)
                    .where(models.Product.sku == sku)
                    .values(deleted_at=now or utc_now())
                    .returning(models.Product.id)
                ).all()
                if not done:
                    raise ProductNotFound("not live", skus=[sku])
            ''',
        ),
        replace_function(
            LIFECYCLE,
            "restore",
            '''
            def restore(session: Session, sku: str) -> None:
                """Which row, is the SKU free, then one UPDATE."""
                every = {INCLUDE_DELETED: True}
                rows = session.execute(
                    select(models.Product.id, models.Product.deleted_at)
                    .where(models.Product.sku == sku)
                    .order_by(models.Product.deleted_at.desc(), models.Product.id.desc()),
                    execution_options=every,
                ).all()
                gone = [row.id for row in rows if row.deleted_at is not None]
                if not gone:
                    raise ProductNotFound("nothing to restore", skus=[sku])
                if any(row.deleted_at is None for row in rows):
                    raise DuplicateSku("taken", skus=[sku])
                session.execute(
                    update(models.Product)
                    .where(models.Product.id == gone[0])
                    .values(deleted_at=None),
                    execution_options=every,
                )
            ''',
        ),
        replace_text(
            LIFECYCLE,
            old="from sqlalchemy import CursorResult, delete, event, exists, select\n",
            new="from sqlalchemy import CursorResult, delete, event, exists, select, update\n",
        ),
        replace_text(
            LIFECYCLE,
            old="    if any(mapper.class_ in ORDER_HISTORY for mapper in state.all_mappers):",
            new="    if {m.class_ for m in state.all_mappers} & {models.Order, models.OrderItem}:",
        ),
    ),
]
