# workshop: since 35
"""Products get updated_at, filled from created_at for the rows already there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # solution 35
from alembic import op  # solution 35

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# >>> solution 35
def upgrade() -> None:
    # Three moves, because a NOT NULL column cannot arrive in a table that
    # holds rows: add it nullable, fill it, then refuse NULL.
    op.add_column(
        "products", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True)
    )
    products = sa.table(
        "products",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(products.update().values(updated_at=products.c.created_at))
    # Batch mode: SQLite cannot change a column's nullability, so there the
    # table is copied.
    with op.batch_alter_table("products") as batch:
        batch.alter_column(
            "updated_at",
            existing_type=sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        )


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("updated_at")


# --- stub
# def upgrade() -> None:
#     """TODO step 35: add products.updated_at, fill it from created_at, then NOT NULL."""
#
#
# def downgrade() -> None:
#     """TODO step 35: take products.updated_at away again."""
# <<<
