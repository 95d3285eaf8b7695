# workshop: since 42
"""Products can be soft-deleted: deleted_at, and a SKU unique among live rows only.

Revision ID: 0009
Revises: 0008
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SKU = "uq_products_sku"  # the constraint's name, then the partial index's
LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    # SQLite cannot drop a constraint in place: batch mode copies the table.
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))
        batch.drop_constraint(SKU, type_="unique")
    op.create_index(
        SKU,
        "products",
        ["sku"],
        unique=True,
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )


def downgrade() -> None:
    # Without deleted_at a soft-deleted product would be live again, and its
    # SKU may be taken by a live one: refuse, and change nothing, rather than
    # resurrect or lose rows. Restore or purge them first (app/orm/lifecycle.py).
    products = sa.table("products", sa.column("sku"), sa.column("deleted_at"))
    deleted = op.get_bind().scalars(
        sa.select(products.c.sku)
        .where(products.c.deleted_at.is_not(None))
        .order_by(products.c.sku)
    )
    if skus := sorted(set(deleted)):
        raise RuntimeError(
            f"cannot downgrade below 0009: {len(skus)} soft-deleted SKU(s)"
            f" ({', '.join(skus[:10])}{', ...' if len(skus) > 10 else ''})"
            " would come back to life; restore or purge them first"
            " (app/orm/lifecycle.py), then downgrade again"
        )
    op.drop_index(SKU, table_name="products")
    with op.batch_alter_table("products") as batch:
        batch.create_unique_constraint(SKU, ["sku"])
        batch.drop_column("deleted_at")
