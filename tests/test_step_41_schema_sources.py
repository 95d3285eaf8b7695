"""Step 41: schema.sql reflected and compared with the models; every difference found, each one meant."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from importlib import resources

import pytest
from sqlalchemy import (
    BIGINT,
    INTEGER,
    NUMERIC,
    TEXT,
    VARCHAR,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from app.orm.models import Base, ExactMoney, UtcDateTime
from app.orm.schema_allowlist import INTENDED, reason_for
from app.orm.schema_diff import (
    Difference,
    Kind,
    column_facts,
    reflect_schema,
    schema_differences,
    type_family,
)

SCHEMA_SQL = resources.files("app.sqlite").joinpath("schema.sql").read_text("utf-8")

# Two small tables said twice, in different but equivalent words.
SQL = """
CREATE TABLE shelves (
    id   INTEGER PRIMARY KEY,
    code VARCHAR(10) NOT NULL,
    UNIQUE (code)
);
CREATE TABLE items (
    id       INTEGER PRIMARY KEY,
    sku      VARCHAR(40) NOT NULL,
    label    TEXT,
    amount   INTEGER NOT NULL CHECK (amount >= 0),
    weight   NUMERIC(8, 3),
    stock    BIGINT,
    shelf_id INTEGER REFERENCES shelves (id),
    added_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX items_by_sku ON items (sku);
"""

Key = tuple[str, str | None, Kind]


def item_columns() -> dict[str, Column | None]:
    return {
        "id": Column("id", Integer, primary_key=True),
        "sku": Column("sku", String(40), nullable=False, unique=True),
        "label": Column("label", Text),
        "amount": Column("amount", ExactMoney(), nullable=False),
        "weight": Column("weight", Numeric(8, 3)),
        "stock": Column("stock", Integer),
        "shelf_id": Column("shelf_id", ForeignKey("shelves.id")),
        "added_at": Column("added_at", UtcDateTime(), nullable=False),
    }


def models(
    items: dict[str, Column | None] | None = None,
    *,
    checks: tuple[str, ...] = ("amount >= 0",),
    extras: tuple[SchemaItem, ...] = (),
    more: tuple[str, ...] = (),
) -> MetaData:
    """The models of SQL, with ``items`` columns replaced (None drops one)."""
    metadata = MetaData()
    for name in more:
        Table(name, metadata, Column("id", Integer, primary_key=True))
    Table(
        "shelves",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("code", String(10), nullable=False),
        Index("shelves_by_code", "code", unique=True),
    )
    columns = item_columns() | (items or {})
    Table(
        "items",
        metadata,
        *(column for column in columns.values() if column is not None),
        *(CheckConstraint(check) for check in checks),
        *extras,
    )
    return metadata


def keys(differences: list[Difference]) -> list[Key]:
    return [(d.table, d.column, d.kind) for d in differences]


def test_reflect_schema_builds_every_table_of_the_sql_in_a_database_of_its_own(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)

    first = reflect_schema(SCHEMA_SQL)
    again = reflect_schema(SCHEMA_SQL)  # a new database each time

    assert isinstance(first, MetaData)
    assert set(first.tables) == {
        "categories",
        "products",
        "stock",
        "customers",
        "orders",
        "order_items",
        "deliveries",
        "delivery_lines",
        "wallets",
        "transfers",
    }
    assert set(reflect_schema(SQL).tables) == {"shelves", "items"}
    assert set(reflect_schema(SQL).tables) == {"shelves", "items"}
    assert list(first.tables["products"].columns.keys()) == [
        "id",
        "sku",
        "name",
        "price_cents",
        "category_id",
        "created_at",
    ]
    assert set(again.tables) == set(first.tables)
    assert list(tmp_path.iterdir()) == []  # in memory: no file left behind


def test_reflection_keeps_check_constraints_but_misses_two_inline_clauses():
    stock = reflect_schema(SCHEMA_SQL).tables["stock"]

    checks = [
        str(constraint.sqltext)
        for constraint in stock.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    assert checks == ["quantity >= 0"]
    (reference,) = stock.foreign_keys
    assert reference.target_fullname == "products.id"
    # schema.sql says REFERENCES products (id) ON DELETE CASCADE, and SQLite
    # knows it; the reflection (SQLAlchemy 2.1.9) does not.
    assert reference.ondelete is None
    with closing(sqlite3.connect(":memory:")) as raw:
        raw.executescript(SCHEMA_SQL)
        (row,) = raw.execute("PRAGMA foreign_key_list(stock)").fetchall()
    assert (row[2], row[6]) == ("products", "CASCADE")
    # The table-level form FOREIGN KEY (...) REFERENCES ... is read whole.
    table_level = reflect_schema(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);"
        "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER,"
        " FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE);"
    )
    (reference,) = table_level.tables["c"].foreign_keys
    assert reference.ondelete == "CASCADE"
    # An inline UNIQUE after a type with a length is lost; UNIQUE (code) is not.
    inline = "CREATE TABLE s (id INTEGER PRIMARY KEY, code VARCHAR(10) UNIQUE)"
    lost = reflect_schema(inline).tables["s"]
    assert not [c for c in lost.constraints if isinstance(c, UniqueConstraint)]
    assert not lost.indexes
    with closing(sqlite3.connect(":memory:")) as raw:
        raw.executescript(inline)
        (row,) = raw.execute("PRAGMA index_list(s)").fetchall()
    assert (row[2], row[3]) == (1, "u")  # SQLite has its unique index
    kept = reflect_schema(SQL).tables["shelves"]
    (unique,) = [c for c in kept.constraints if isinstance(c, UniqueConstraint)]
    assert list(unique.columns.keys()) == ["code"]


SAME_FAMILY = [
    (INTEGER(), Integer()),
    (BIGINT(), Integer()),
    (INTEGER(), ExactMoney()),  # whole cents on SQLite
    (VARCHAR(40), String(40)),
    (TEXT(), Text()),
    (TEXT(), String()),
    (NUMERIC(12, 2), Numeric(12, 2)),
    (DateTime(), UtcDateTime()),
]
OTHER_FAMILY = [
    (TEXT(), String(40)),
    (String(40), String(50)),
    (Integer(), Text()),
    (NUMERIC(12, 2), ExactMoney()),
    (NUMERIC(12, 2), Numeric(12, 3)),
    (Float(), Numeric(12, 2)),
    (Float(), Numeric()),
    (TEXT(), DateTime()),
    (Date(), DateTime()),
    (LargeBinary(), Text()),
]


@pytest.mark.parametrize(("one", "other"), SAME_FAMILY, ids=repr)
def test_spellings_of_one_storage_are_one_type_family(one, other):
    assert type_family(one) == type_family(other)
    assert isinstance(type_family(one), str)


@pytest.mark.parametrize(("one", "other"), OTHER_FAMILY, ids=repr)
def test_different_storage_is_another_type_family(one: TypeEngine, other: TypeEngine):
    assert type_family(one) != type_family(other)


def test_column_facts_read_keys_and_constraints_from_a_reflected_table():
    facts = column_facts(reflect_schema(SQL).tables["items"])

    assert list(facts) == [
        "id",
        "sku",
        "label",
        "amount",
        "weight",
        "stock",
        "shelf_id",
        "added_at",
    ]
    assert facts["id"].primary_key and not facts["id"].nullable
    assert facts["sku"].unique  # from the unique index
    assert not facts["sku"].nullable and not facts["sku"].primary_key
    assert facts["label"].nullable and not facts["label"].unique
    assert facts["amount"].check and not facts["label"].check
    assert facts["shelf_id"].foreign_key == ("shelves.id",)
    assert facts["amount"].foreign_key == ()
    assert column_facts(reflect_schema(SQL).tables["shelves"])["code"].unique
    words = reflect_schema(
        "CREATE TABLE w (id INTEGER PRIMARY KEY, price INTEGER,"
        " price_cents INTEGER CHECK (price_cents >= 0))"
    )
    facts = column_facts(words.tables["w"])
    assert facts["price_cents"].check and not facts["price"].check  # whole words


def test_equivalent_sql_and_models_have_no_difference():
    assert schema_differences(reflect_schema(SQL), models()) == []


DRIFTS = {
    "a missing column": (
        SQL,
        models({"label": None}),
        ("items", "label", Kind.MISSING_COLUMN),
    ),
    "an extra column": (
        SQL,
        models({"colour": Column("colour", Text)}),
        ("items", "colour", Kind.EXTRA_COLUMN),
    ),
    "a missing table": (
        SQL + "CREATE TABLE bins (id INTEGER PRIMARY KEY);",
        models(),
        ("bins", None, Kind.MISSING_TABLE),
    ),
    "an extra table": (SQL, models(more=("bins",)), ("bins", None, Kind.EXTRA_TABLE)),
    "a NOT NULL lost": (
        SQL,
        models({"amount": Column("amount", ExactMoney())}),
        ("items", "amount", Kind.NULLABLE),
    ),
    "a NOT NULL added": (
        SQL,
        models({"label": Column("label", Text, nullable=False)}),
        ("items", "label", Kind.NULLABLE),
    ),
    "a type changed": (
        SQL,
        models({"label": Column("label", Integer)}),
        ("items", "label", Kind.TYPE),
    ),
    "a length given to TEXT": (
        SQL,
        models({"label": Column("label", String(100))}),
        ("items", "label", Kind.TYPE),
    ),
    "a length changed": (
        SQL,
        models({"sku": Column("sku", String(50), nullable=False, unique=True)}),
        ("items", "sku", Kind.TYPE),
    ),
    "a unique constraint lost": (
        SQL,
        models({"sku": Column("sku", String(40), nullable=False)}),
        ("items", "sku", Kind.UNIQUE),
    ),
    "a partial unique index instead of a unique column": (
        SQL,
        models(
            {"sku": Column("sku", String(40), nullable=False)},
            extras=(
                Index("live_sku", "sku", unique=True, sqlite_where=text("id > 0")),
            ),
        ),
        ("items", "sku", Kind.UNIQUE),
    ),
    "a unique column turned into part of a two-column unique index": (
        SQL,
        models(
            {"sku": Column("sku", String(40), nullable=False)},
            extras=(Index("sku_label", "sku", "label", unique=True),),
        ),
        ("items", "sku", Kind.UNIQUE),
    ),
    "a unique column turned into part of a two-column UNIQUE": (
        SQL,
        models(
            {"sku": Column("sku", String(40), nullable=False)},
            extras=(UniqueConstraint("sku", "label"),),
        ),
        ("items", "sku", Kind.UNIQUE),
    ),
    "a foreign key pointing elsewhere": (
        SQL,
        models({"shelf_id": Column("shelf_id", ForeignKey("items.id"))}),
        ("items", "shelf_id", Kind.FOREIGN_KEY),
    ),
    "a foreign key lost": (
        SQL,
        models({"shelf_id": Column("shelf_id", Integer)}),
        ("items", "shelf_id", Kind.FOREIGN_KEY),
    ),
    "a CHECK lost": (SQL, models(checks=()), ("items", "amount", Kind.CHECK)),
    "a column added to the primary key": (
        SQL,
        models({"sku": Column("sku", String(40), primary_key=True, unique=True)}),
        ("items", "sku", Kind.PRIMARY_KEY),
    ),
}


@pytest.mark.parametrize(("sql", "declared", "expected"), DRIFTS.values(), ids=DRIFTS)
def test_each_drift_is_reported_once_with_its_kind(sql, declared, expected):
    differences = schema_differences(reflect_schema(sql), declared)

    assert keys(differences) == [expected]
    assert all(isinstance(d, Difference) for d in differences)


def test_every_difference_is_reported_in_order_of_table_column_and_kind():
    sql = SQL + "CREATE TABLE bins (id INTEGER PRIMARY KEY);"
    declared = models(
        {"label": Column("label", Integer, nullable=False), "weight": None},
        checks=(),
        more=("aisles",),
    )

    differences = schema_differences(reflect_schema(sql), declared)

    assert keys(differences) == [
        ("aisles", None, Kind.EXTRA_TABLE),
        ("bins", None, Kind.MISSING_TABLE),
        ("items", "amount", Kind.CHECK),
        ("items", "label", Kind.NULLABLE),
        ("items", "label", Kind.TYPE),
        ("items", "weight", Kind.MISSING_COLUMN),
    ]
    assert schema_differences(reflect_schema(sql), declared) == differences


def paste(differences: list[Difference]) -> str:
    """Lines for INTENDED, to paste and complete with the reason."""
    lines = []
    for d in differences:
        column = "None" if d.column is None else f'"{d.column}"'
        key = f'("{d.table}", {column}, Kind.{d.kind.name})'
        lines.append(f'    {key}: "<why it is meant>",  # {d.detail}')
    return "\n".join(lines)


def test_schema_sql_and_the_models_differ_only_where_the_allowlist_says():
    differences = schema_differences(reflect_schema(SCHEMA_SQL), Base.metadata)

    drift = [d for d in differences if reason_for(d) is None]

    assert not drift, (
        "schema.sql and the models differ where app/orm/schema_allowlist.py does"
        " not say they may. Fix the model or schema.sql, or, if the difference is"
        " meant, add to INTENDED (mark a line `# since NN` when step NN brings it):\n"
        + paste(drift)
    )


def test_every_allowlist_entry_is_still_a_difference():
    differences = schema_differences(reflect_schema(SCHEMA_SQL), Base.metadata)
    found = set(keys(differences))

    stale = [key for key in INTENDED if key not in found]

    assert not stale, (
        "these entries of INTENDED in app/orm/schema_allowlist.py no longer"
        " differ: remove them (or mark them `# until NN` from the step that"
        f" aligns them): {stale}"
    )
