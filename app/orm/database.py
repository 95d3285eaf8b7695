# workshop: since 30
"""Engines, sessions and schema for a database URL: built when asked, never at import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url  # since 34
from sqlalchemy.orm import Session, sessionmaker

from app.orm.models import Base
from app.repository import ProductRepository


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys switched on per connection."""
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # SQLite ignores FOREIGN KEY clauses unless each connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
    # sqlite3 starts transactions late and on its own, which breaks SAVEPOINT;
    # let SQLAlchemy say BEGIN instead (the recipe of SQLAlchemy's SQLite docs).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory; objects stay readable after commit (no lazy reload)."""
    return sessionmaker(engine, expire_on_commit=False)


def create_schema(engine: Engine) -> None:
    """Create the tables that are missing; an existing table is never altered.

    A database that must keep its rows is upgraded by the Alembic migrations
    in ``alembic/`` instead (step 35; "Migrations" in WORKSHOP.md).
    """
    Base.metadata.create_all(engine)


def reset_schema(engine: Engine) -> None:
    """Drop and recreate every table: for tests and benchmarks only."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def open_sql_repository(url: str, *, create: bool = True) -> ProductRepository:
    """The repository for a database URL, for the ``store`` command.

    ``sqlite:///store.db`` and ``postgresql://`` (psycopg2) use the sync
    repository; ``postgresql+asyncpg://`` the async one behind a blocking facade.
    """
    from app.orm.repository import OrmProductRepository

    # >>> since 34
    if make_url(url).get_driver_name() == "asyncpg":
        from app.orm.blocking import open_async_repository

        return open_async_repository(url, create=create)
    # <<<
    engine = make_engine(url)
    if create:
        create_schema(engine)
    return OrmProductRepository(make_sessions(engine))
