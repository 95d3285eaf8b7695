"""Step 35: migrations that change a schema holding rows, up and down, losing nothing."""

from __future__ import annotations

import ast
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.database import reset_schema
from app.orm.orders import place_order

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "0002"  # the last revision before this drill
AFTER = "0004"  # this drill's last one (later drills add more)
CREATED = [
    datetime(2024, 1, 2, 9, 30, tzinfo=UTC),
    datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 2, 1, 12, 0, tzinfo=UTC),
]


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(scope="module")
def pg_engine(postgres_urls):
    engine = create_engine(postgres_urls.sync)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def connection(request, tmp_path):
    """A connection to an empty database (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        with engine.connect() as connection:
            yield connection
        engine.dispose()
        return
    engine = request.getfixturevalue("pg_engine")
    schema = f"step35_{secrets.token_hex(4)}"
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        connection.execute(text(f'SET search_path TO "{schema}"'))
        try:
            yield connection
        finally:
            connection.rollback()  # the schema goes with it, unless committed
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.commit()


def migrate(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def table(connection: Connection, name: str) -> Table:
    return Table(name, MetaData(), autoload_with=connection)


def columns(connection: Connection, name: str) -> dict[str, Any]:
    return {c["name"]: c for c in inspect(connection).get_columns(name)}


def rows(connection: Connection, name: str) -> list[dict]:
    found = table(connection, name)
    statement = select(found).order_by(found.c.id)
    return [dict(row._mapping) for row in connection.execute(statement)]


def fill_at_0002(connection: Connection) -> None:
    """The store as step 34 left it, with rows: what a real upgrade meets."""
    migrate(connection, BEFORE)
    cents = connection.dialect.name == "sqlite"  # SQLite keeps whole cents

    def money(amount: str) -> Decimal | int:
        return int(Decimal(amount) * 100) if cents else Decimal(amount)

    connection.execute(
        table(connection, "categories").insert(), [{"id": 1, "name": "tea"}]
    )
    connection.execute(
        table(connection, "products").insert(),
        [
            {
                "sku": sku,
                "name": f"Product {sku}",
                "price": money(price),
                "category_id": 1 if n else None,
                "created_at": created,
            }
            for n, (sku, price, created) in enumerate(
                zip(
                    ["TEA-1", "TEA-2", "MUG-1"],
                    ["3.50", "0.00", "12.99"],
                    CREATED,
                    strict=True,
                )
            )
        ],
    )
    connection.execute(
        table(connection, "orders").insert(),
        [
            {"id": 1, "customer": "Ada Lovelace", "placed_at": CREATED[1]},
            {"id": 2, "customer": "Grace Hopper", "placed_at": CREATED[2]},
        ],
    )
    connection.execute(
        table(connection, "order_items").insert(),
        [
            {
                "id": 1,
                "order_id": 1,
                "product_id": 1,
                "quantity": 2,
                "unit_price": money("3.50"),
            },
            {
                "id": 2,
                "order_id": 2,
                "product_id": 3,
                "quantity": 1,
                "unit_price": money("12.99"),
            },
        ],
    )


def without(row: dict, *names: str) -> dict:
    return {key: value for key, value in row.items() if key not in names}


def test_the_migrations_are_one_line_with_one_head():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    chain = list(script.walk_revisions())  # from the head down to the base
    assert all(not isinstance(r.down_revision, tuple) for r in chain)
    assert BEFORE in [r.revision for r in chain]


def test_upgrade_fills_updated_at_from_created_at_and_keeps_every_product(
    connection,
):
    fill_at_0002(connection)
    before = rows(connection, "products")
    migrate(connection, AFTER)
    assert "updated_at" in columns(connection, "products")
    assert columns(connection, "products")["updated_at"]["nullable"] is False
    after = rows(connection, "products")
    assert [without(row, "updated_at") for row in after] == before
    assert [row["updated_at"] for row in after] == [row["created_at"] for row in before]


def test_upgrade_renames_customer_to_customer_name_keeping_every_name(connection):
    fill_at_0002(connection)
    before = rows(connection, "orders")
    items = rows(connection, "order_items")
    migrate(connection, AFTER)
    assert set(columns(connection, "orders")) == {"id", "customer_name", "placed_at"}
    after = rows(connection, "orders")
    assert [row["customer_name"] for row in after] == ["Ada Lovelace", "Grace Hopper"]
    assert [without(row, "customer_name") for row in after] == [
        without(row, "customer") for row in before
    ]
    assert rows(connection, "order_items") == items


def test_each_revision_makes_its_own_change(connection):
    fill_at_0002(connection)
    migrate(connection, "0003")
    assert "updated_at" in columns(connection, "products")
    assert set(columns(connection, "orders")) == {"id", "customer", "placed_at"}


def test_migrations_never_import_the_store():
    versions = ROOT / "alembic" / "versions"
    for path in sorted(versions.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [
            name
            for node in ast.walk(tree)
            for name in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
        ]
        assert not [n for n in imported if n == "app" or n.startswith("app.")], path


def test_downgrade_brings_back_the_old_columns_with_their_rows(connection):
    fill_at_0002(connection)
    snapshot = {name: rows(connection, name) for name in ("products", "orders")}
    migrate(connection, AFTER)
    assert "customer_name" in columns(connection, "orders")
    downgrade(connection, BEFORE)
    assert {name: rows(connection, name) for name in snapshot} == snapshot
    migrate(connection, AFTER)  # and up again, as on the next deploy
    assert [r["customer_name"] for r in rows(connection, "orders")] == [
        "Ada Lovelace",
        "Grace Hopper",
    ]
    products = rows(connection, "products")
    assert [r["updated_at"] for r in products] == [r["created_at"] for r in products]


def test_every_revision_goes_down_and_up_again_one_at_a_time(connection):
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for revision in revisions:
        migrate(connection, revision)
    for revision in reversed(revisions):
        downgrade(connection, "-1")
        migrate(connection, revision)
        downgrade(connection, "-1")
    assert inspect(connection).get_table_names() == ["alembic_version"]


def test_at_head_the_database_matches_the_models(connection):
    migrate(connection, "head")
    assert "updated_at" in columns(connection, "products")
    assert "customer_name" in columns(connection, "orders")
    command.check(alembic_config(connection))  # raises on any difference


def test_the_database_fills_updated_at_for_a_row_that_does_not_name_it(connection):
    fill_at_0002(connection)
    migrate(connection, "head")
    assert "updated_at" in columns(connection, "products")
    products = table(connection, "products")
    new = {"sku": "NEW-1", "name": "From psql", "price": 1, "created_at": CREATED[2]}
    connection.execute(products.insert().values(new))
    stamped = connection.scalar(
        select(products.c.updated_at).where(products.c.sku == "NEW-1")
    )
    assert stamped is not None


def test_the_orm_writes_the_new_columns_through_its_attributes(connection):
    migrate(connection, "head")
    assert {"customer_name", "updated_at"} <= set(columns(connection, "orders")) | set(
        columns(connection, "products")
    )
    with Session(bind=connection) as session:
        session.add(
            models.Product(
                sku="TEA-1", name="Tea", price=Decimal("3.50"), created_at=CREATED[0]
            )
        )
        order = place_order(session, customer="Ada Lovelace", lines={"TEA-1": 2})
        session.expire_all()
        stored = session.get(models.Order, order.id)
        assert stored is not None and stored.customer == "Ada Lovelace"
        product = session.scalars(select(models.Product)).one()
        assert isinstance(product.updated_at, datetime)
    stored = connection.scalar(text("SELECT customer_name FROM orders"))
    assert stored == "Ada Lovelace"


def test_a_database_made_from_the_models_fills_updated_at_too(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'created.db'}")
    reset_schema(engine)  # create_all(), as the tests of earlier steps do
    products = models.Product.__table__
    assert "updated_at" in products.c
    with engine.begin() as connection:
        # Plain SQL, as psql or another program would send it: SQLAlchemy's
        # insert() would fill a Python-side default itself and hide a table
        # created without the column's DEFAULT.
        connection.execute(
            text(
                "INSERT INTO products (sku, name, price, created_at)"
                " VALUES ('NEW-1', 'New', 100, '2024-01-02 09:30:00.000000')"
            )
        )
        assert connection.scalar(select(products.c.updated_at)) is not None
    engine.dispose()


def test_an_update_through_sqlalchemy_moves_updated_at(connection):
    fill_at_0002(connection)
    migrate(connection, "head")
    assert "updated_at" in columns(connection, "products")
    with Session(bind=connection) as session:
        tea = session.scalars(
            select(models.Product).where(models.Product.sku == "TEA-1")
        ).one()
        assert tea.updated_at == CREATED[0]  # the backfill
        tea.price = Decimal("3.75")
        session.flush()
        session.expire_all()
        stored_tea = session.get(models.Product, tea.id)
        assert stored_tea is not None and stored_tea.updated_at > CREATED[2]
