# workshop: since 43
"""Products get an index on (price, sku): the order pages and exports walk.

Revision ID: 0010
Revises: 0009
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_products_price_sku", "products", ["price", "sku"])


def downgrade() -> None:
    op.drop_index("ix_products_price_sku", table_name="products")
