# workshop: since 35
"""orders.customer becomes orders.customer_name, every value kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # solution 35
from alembic import op  # solution 35

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# >>> solution 35
def upgrade() -> None:
    # Autogenerate proposes drop_column + add_column here: it cannot tell a
    # rename from a new column, and the drop would throw every name away.
    with op.batch_alter_table("orders") as batch:
        batch.alter_column(
            "customer",
            new_column_name="customer_name",
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.alter_column(
            "customer_name",
            new_column_name="customer",
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )


# --- stub
# def upgrade() -> None:
#     """TODO step 35: rename orders.customer to customer_name, keeping the values."""
#
#
# def downgrade() -> None:
#     """TODO step 35: rename it back."""
# <<<
