# workshop: since 40
"""Product images: one row per image, its bytes in a file named by their SHA-256.

Revision ID: 0008
Revises: 0007
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "size >= 0", name=op.f("ck_product_images_size_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
        sa.UniqueConstraint(
            "product_id", "sha256", name=op.f("uq_product_images_product_id")
        ),
    )
    op.create_index(
        op.f("ix_product_images_sha256"), "product_images", ["sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_product_images_sha256"), table_name="product_images")
    op.drop_table("product_images")
