# workshop: since 04
"""Which storage backend a target names: a catalog file, SQLite or PostgreSQL."""

from __future__ import annotations

import sqlite3  # since 16
from pathlib import Path

from app.errors import StoreError  # since 16
from app.files.repository import FORMATS, FileProductRepository
from app.repository import ProductRepository
from app.sqlite.db import connect, create_schema  # since 16
from app.sqlite.faults import check_store_file, file_fault  # since 16
from app.sqlite.repository import SqliteProductRepository  # since 16

# Where `store` keeps products when no --db is given: a catalog file in the
# current folder until the store has its embedded SQLite database.
DEFAULT_TARGET = "catalog.json"  # until 17
DEFAULT_TARGET = "store.db"  # since 17
# >>> since 30
# SQLAlchemy URLs: PostgreSQL through psycopg2 or asyncpg, or SQLite through
# the ORM when a driver is named ("sqlite+pysqlite:///orm.db").
SQL_URL_PREFIXES = ("postgresql://", "postgresql+", "postgres://", "sqlite+")
# <<<


# >>> since 16
def sqlite_path(target: str) -> Path | None:
    """The SQLite file ``target`` names (``*.db`` or ``sqlite:///path``), or None."""
    if target.startswith("sqlite:///"):
        return Path(target.removeprefix("sqlite:///"))
    return Path(target) if target.endswith(".db") else None


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to the store's SQLite database at ``path``, tables created.

    A file the store cannot use (no such folder, read-only, another
    application's database) raises a StoreError and is left as it was.
    """
    try:
        conn = connect(path)
    except sqlite3.Error as error:
        raise file_fault(error, path) from None
    try:
        check_store_file(conn, path)
        create_schema(conn)
    except sqlite3.Error as error:
        conn.close()
        raise file_fault(error, path) from None
    except StoreError:
        conn.close()
        raise
    return conn


# <<<
def open_repository(target: str) -> ProductRepository:
    """The repository that ``target`` names; ValueError if it names none.

    One branch per kind of backend, most specific first (a database URL
    before a file suffix), so adding a backend is adding one branch.
    """
    # >>> since 30
    if target.startswith(SQL_URL_PREFIXES):
        # Imported here: SQLAlchemy takes longer to import than a file store
        # takes to answer, and only a database URL needs it.
        from app.orm.database import open_sql_repository

        return open_sql_repository(target)
    # <<<
    # >>> since 16
    if (database := sqlite_path(target)) is not None:
        return SqliteProductRepository(open_database(database))
    # <<<
    if Path(target).suffix.lower() in FORMATS:
        return FileProductRepository(Path(target))
    raise ValueError(
        f"cannot tell which store {target!r} is: use a catalog file ending in"
        f" {', '.join(FORMATS)}"
        ", a SQLite database (store.db, *.db or sqlite:///path)"  # since 16
        ", or a database URL (postgresql://user@host/db)"  # since 30
    )
