# workshop: since 36
"""Products get two internal fields: cost_price and supplier_notes (staff only).

Revision ID: 0005
Revises: 0004
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Money: NUMERIC(12, 2) on PostgreSQL, whole cents in an INTEGER on SQLite
# (the models' ExactMoney type; SQLite has no exact decimal type).
MONEY = sa.Numeric(precision=12, scale=2).with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Both nullable: nothing to backfill, a supplier fills them in later.
    op.add_column("products", sa.Column("cost_price", MONEY, nullable=True))
    op.add_column("products", sa.Column("supplier_notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("supplier_notes")
        batch.drop_column("cost_price")
