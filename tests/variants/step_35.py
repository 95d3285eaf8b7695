"""Variants of drill 35 (migrations): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

ADD = "alembic/versions/0003_products_updated_at.py"
RENAME = "alembic/versions/0004_orders_customer_name.py"
MODELS = "app/orm/models.py"

VARIANTS = [
    wrong(
        "the model's default=func.now() instead of server_default: SQLAlchemy fills"
        " it, plain SQL finds no DEFAULT",
        replace_text(
            MODELS,
            old="server_default=func.now(), onupdate=func.now()",
            new="default=func.now(), onupdate=func.now()",
        ),
    ),
    wrong(
        "both changes in 0003, 0004 left empty",
        replace_function(
            ADD,
            "downgrade",
            """
            def downgrade() -> None:
                with op.batch_alter_table("orders") as batch:
                    batch.alter_column(
                        "customer_name",
                        new_column_name="customer",
                        existing_type=sa.String(length=100),
                        existing_nullable=False,
                    )
                with op.batch_alter_table("products") as batch:
                    batch.drop_column("updated_at")
            """,
        ),
        replace_text(
            ADD,
            old="""            server_default=sa.func.now(),
        )
""",
            new="""            server_default=sa.func.now(),
        )
    with op.batch_alter_table("orders") as batch:
        batch.alter_column(
            "customer",
            new_column_name="customer_name",
            existing_type=sa.String(length=100),
            existing_nullable=False,
        )
""",
        ),
        replace_function(RENAME, "upgrade", "def upgrade() -> None:\n    pass\n"),
        replace_function(RENAME, "downgrade", "def downgrade() -> None:\n    pass\n"),
    ),
    wrong(
        "the migration imports the models' type instead of spelling it out",
        replace_text(
            ADD,
            old="from alembic import op\n",
            new="from alembic import op\n\nfrom app.orm.models import UtcDateTime\n",
        ),
        replace_text(
            ADD,
            old="""    op.add_column(
        "products", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True)
    )
""",
            new="""    op.add_column(
        "products", sa.Column("updated_at", UtcDateTime(), nullable=True)
    )
""",
        ),
    ),
    wrong(
        "keeps autogenerate's draft for the rename: add customer_name, drop customer",
        replace_function(
            RENAME,
            "upgrade",
            """
            def upgrade() -> None:
                with op.batch_alter_table("orders") as batch:
                    batch.add_column(
                        sa.Column("customer_name", sa.String(length=100), nullable=False)
                    )
                    batch.drop_column("customer")
            """,
        ),
    ),
    wrong(
        "renames by drop and add of a nullable column: it runs, and every name is gone",
        replace_function(
            RENAME,
            "upgrade",
            """
            def upgrade() -> None:
                op.add_column(
                    "orders", sa.Column("customer_name", sa.String(length=100))
                )
                with op.batch_alter_table("orders") as batch:
                    batch.drop_column("customer")
            """,
        ),
    ),
    wrong(
        "a downgrade that drops customer_name and adds an empty customer",
        replace_function(
            RENAME,
            "downgrade",
            """
            def downgrade() -> None:
                with op.batch_alter_table("orders") as batch:
                    batch.drop_column("customer_name")
                    batch.add_column(
                        sa.Column(
                            "customer",
                            sa.String(length=100),
                            nullable=False,
                            server_default="",
                        )
                    )
            """,
        ),
    ),
    wrong(
        "adds updated_at NOT NULL with now() in one go: every old row gets the migration's time",
        replace_function(
            ADD,
            "upgrade",
            """
            def upgrade() -> None:
                with op.batch_alter_table("products") as batch:
                    batch.add_column(
                        sa.Column(
                            "updated_at",
                            sa.DateTime(timezone=True),
                            nullable=False,
                            server_default=sa.func.now(),
                        )
                    )
            """,
        ),
    ),
    wrong(
        "no backfill: NOT NULL right after adding the column",
        replace_text(
            ADD,
            old="    op.execute(products.update().values(updated_at=products.c.created_at))\n",
            new="",
        ),
    ),
    wrong(
        "forgets the server default in the migration (alembic check cannot see it)",
        replace_text(ADD, old="            server_default=sa.func.now(),\n", new=""),
    ),
    wrong(
        "downgrade() of 0003 left empty: the next upgrade finds the column there",
        replace_function(
            ADD,
            "downgrade",
            """
            def downgrade() -> None:
                pass
            """,
        ),
    ),
    wrong(
        "changes the migrations but not the models: Order.customer still reads customer",
        replace_text(
            MODELS,
            old='customer: Mapped[str] = mapped_column("customer_name", String(100))',
            new="customer: Mapped[str] = mapped_column(String(100))",
        ),
    ),
    wrong(
        "no server default in the model: create_all() makes a table that needs updated_at",
        replace_text(
            MODELS,
            old="server_default=func.now(), onupdate=func.now()",
            new="onupdate=func.now()",
        ),
    ),
    wrong(
        "no onupdate in the model: an UPDATE leaves updated_at as it was",
        replace_text(
            MODELS,
            old="server_default=func.now(), onupdate=func.now()",
            new="server_default=func.now()",
        ),
    ),
    alternative(
        "SQL text for the backfill, and a plain alter_column for the rename",
        replace_text(
            ADD,
            old="""    products = sa.table(
        "products",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.execute(products.update().values(updated_at=products.c.created_at))
""",
            new="""    op.execute("UPDATE products SET updated_at = created_at")
""",
        ),
        replace_function(
            RENAME,
            "upgrade",
            """
            def upgrade() -> None:
                op.alter_column("orders", "customer", new_column_name="customer_name")
            """,
        ),
        replace_function(
            RENAME,
            "downgrade",
            """
            def downgrade() -> None:
                op.alter_column("orders", "customer_name", new_column_name="customer")
            """,
        ),
    ),
    alternative(
        "adds the column NOT NULL with its default, then overwrites it from created_at",
        replace_function(
            ADD,
            "upgrade",
            """
            def upgrade() -> None:
                with op.batch_alter_table("products") as batch:
                    batch.add_column(
                        sa.Column(
                            "updated_at",
                            sa.DateTime(timezone=True),
                            nullable=False,
                            server_default=sa.func.now(),
                        )
                    )
                op.execute("UPDATE products SET updated_at = created_at")
            """,
        ),
    ),
]
