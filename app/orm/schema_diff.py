# workshop: since 41
"""One schema, two sources: compare the reflected schema.sql with the models."""

from __future__ import annotations

import re  # solution 41
import sqlite3  # solution 41
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,  # solution 41
    Date,  # solution 41
    DateTime,  # solution 41
    Float,  # solution 41
    Integer,  # solution 41
    LargeBinary,  # solution 41
    MetaData,
    Numeric,  # solution 41
    String,  # solution 41
    Table,
    UniqueConstraint,  # solution 41
    create_engine,  # solution 41
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.pool import StaticPool  # solution 41
from sqlalchemy.types import (
    TypeDecorator,  # solution 41
    TypeEngine,
)

# schema.sql is SQLite's: a model's custom type is compared with what it
# stores on SQLite (ExactMoney keeps whole cents in an INTEGER there).
STORAGE_DIALECT = sqlite.dialect()


class Kind(StrEnum):
    """What differs. "Missing" is in schema.sql only, "extra" in the models only."""

    MISSING_TABLE = "missing_table"
    EXTRA_TABLE = "extra_table"
    MISSING_COLUMN = "missing_column"
    EXTRA_COLUMN = "extra_column"
    # A column both sides have; each value names a field of ColumnFacts.
    TYPE = "type"
    NULLABLE = "nullable"
    PRIMARY_KEY = "primary_key"
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    CHECK = "check"


@dataclass(frozen=True)
class Difference:
    """One way the two sources disagree; ``detail`` is for people, not tests."""

    table: str
    column: str | None  # None for a whole table
    kind: Kind
    detail: str

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """The order of schema_differences(): table, then column, then kind."""
        return (self.table, self.column or "", self.kind.value)


@dataclass(frozen=True)
class ColumnFacts:
    """What both sources must agree on for one column."""

    type: str  # the type's family, from type_family()
    nullable: bool  # may hold NULL (a primary key column never does)
    primary_key: bool  # part of the table's primary key
    unique: bool  # a UNIQUE constraint or unique index on this column alone
    foreign_key: tuple[str, ...]  # what it references: ("categories.id",)
    check: bool  # some CHECK constraint's SQL names this column


# The facts compared for a column both sides have, in the order of ColumnFacts.
COLUMN_KINDS = (
    Kind.TYPE,
    Kind.NULLABLE,
    Kind.PRIMARY_KEY,
    Kind.UNIQUE,
    Kind.FOREIGN_KEY,
    Kind.CHECK,
)


# >>> solution 41
def reflect_schema(sql: str) -> MetaData:
    """Run ``sql`` in a new in-memory SQLite database and reflect every table."""
    raw = sqlite3.connect(":memory:")
    # SQLAlchemy gets that very connection: another one would see another,
    # empty, in-memory database.
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    try:
        # executescript() runs every statement; Connection.execute() only one.
        raw.executescript(sql)
        metadata = MetaData()
        metadata.reflect(bind=engine)
    finally:
        engine.dispose()
        raw.close()
    return metadata


def type_family(type_: TypeEngine[Any]) -> str:
    """The family of a column type as SQLite stores it: "integer", "text(40)"...

    Spellings of one storage agree (INT, BIGINT and Integer are "integer";
    VARCHAR(40) and String(40) are "text(40)"; TEXT is "text"), different
    storage does not. A TypeDecorator counts as what it stores on SQLite.
    """
    if isinstance(type_, TypeDecorator):
        type_ = type_.load_dialect_impl(STORAGE_DIALECT)
    if isinstance(type_, Integer):
        return "integer"
    if isinstance(type_, String):
        return "text" if type_.length is None else f"text({type_.length})"
    if isinstance(type_, Float):
        return "real"
    if isinstance(type_, Numeric):
        return f"numeric({type_.precision}, {type_.scale})"
    if isinstance(type_, DateTime):
        return "datetime"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, LargeBinary):
        return "blob"
    return type(type_).__name__.lower()


def column_facts(table: Table) -> dict[str, ColumnFacts]:
    """What ``table`` says about each of its columns, by column name."""
    unique: set[str] = set()
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
            unique.update(constraint.columns.keys())
    for index in table.indexes:
        # A partial index (sqlite_where=, postgresql_where=) is unique only
        # among the rows it covers: not uniqueness of the column.
        partial = any(
            key.endswith("_where") and value is not None
            for key, value in index.dialect_kwargs.items()
        )
        if index.unique and len(index.columns) == 1 and not partial:
            unique.update(index.columns.keys())
    checks = [
        str(constraint.sqltext)
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    ]
    return {
        column.name: ColumnFacts(
            type=type_family(column.type),
            nullable=bool(column.nullable) and not column.primary_key,
            primary_key=column.primary_key,
            unique=column.name in unique,
            foreign_key=tuple(sorted(fk.target_fullname for fk in column.foreign_keys)),
            check=any(
                re.search(rf"\b{re.escape(column.name)}\b", sql, re.IGNORECASE)
                for sql in checks
            ),
        )
        for column in table.columns
    }


def schema_differences(reflected: MetaData, declared: MetaData) -> list[Difference]:
    """Every way ``declared`` (the models) differs from ``reflected`` (the SQL).

    Tables and columns one side lacks are MISSING_* or EXTRA_*; each column
    both sides have is compared fact by fact (ColumnFacts): one Difference
    per fact that differs. Sorted by Difference.sort_key.
    """
    found: list[Difference] = []
    for name in reflected.tables.keys() - declared.tables.keys():
        found.append(Difference(name, None, Kind.MISSING_TABLE, "in the SQL only"))
    for name in declared.tables.keys() - reflected.tables.keys():
        found.append(Difference(name, None, Kind.EXTRA_TABLE, "in the models only"))
    for name in reflected.tables.keys() & declared.tables.keys():
        sql = column_facts(reflected.tables[name])
        model = column_facts(declared.tables[name])
        for column in sql.keys() - model.keys():
            found.append(Difference(name, column, Kind.MISSING_COLUMN, "SQL only"))
        for column in model.keys() - sql.keys():
            found.append(Difference(name, column, Kind.EXTRA_COLUMN, "models only"))
        for column in sql.keys() & model.keys():
            for kind in COLUMN_KINDS:
                ours = getattr(sql[column], kind.value)
                theirs = getattr(model[column], kind.value)
                if ours != theirs:
                    detail = f"SQL: {ours!r}, models: {theirs!r}"
                    found.append(Difference(name, column, kind, detail))
    return sorted(found, key=lambda difference: difference.sort_key)


# <<<
