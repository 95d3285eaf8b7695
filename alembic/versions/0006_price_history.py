# workshop: since 38
"""Products get a price history: one open version each, from their current price.

Revision ID: 0006
Revises: 0005
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in 0005: NUMERIC(12, 2) on PostgreSQL, whole cents in an INTEGER on SQLite.
MONEY = sa.Numeric(precision=12, scale=2).with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("valid_to IS NULL")


def upgrade() -> None:
    on_postgresql = op.get_context().dialect.name == "postgresql"
    constraints: list[sa.schema.SchemaItem] = []
    if on_postgresql:
        # A trusted extension since PostgreSQL 13: the database's owner (or any
        # role with CREATE on the database) may install it, no superuser needed.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        constraints.append(
            postgresql.ExcludeConstraint(
                ("product_id", "="),
                (sa.text("tstzrange(valid_from, valid_to, '[)')"), "&&"),
                using="gist",
                name="ex_price_history_no_overlap",
            )
        )
    op.create_table(
        "price_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "price >= 0", name=op.f("ck_price_history_price_not_negative")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from",
            name=op.f("ck_price_history_valid_range"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_price_history_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_history")),
        *constraints,
    )
    op.create_index(
        op.f("ix_price_history_product_id"), "price_history", ["product_id"]
    )
    op.create_index(
        "uq_price_history_open_version",
        "price_history",
        ["product_id"],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    # The store kept no history before: the best it knows is that each
    # product has had its current price since it was created.
    op.execute(
        "INSERT INTO price_history (product_id, price, valid_from)"
        " SELECT id, price, created_at FROM products"
    )


def downgrade() -> None:
    # The history goes with the table; the extension stays (other tables may use it).
    op.drop_index("uq_price_history_open_version", table_name="price_history")
    op.drop_index(op.f("ix_price_history_product_id"), table_name="price_history")
    op.drop_table("price_history")
