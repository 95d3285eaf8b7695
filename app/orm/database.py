# workshop: since 30
"""Engines, sessions and schema for a database URL: built when asked, never at import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # since 34
from sqlalchemy.orm import Session, sessionmaker

from app.errors import InvalidDatabaseUrl, NotAStoreDatabase
from app.orm import errors
from app.orm.casefold import register_casefold
from app.orm.models import Base
from app.orm.urls import DRIVERS, sql_url
from app.repository import ProductRepository


def unknown_driver(url: URL, error: Exception) -> InvalidDatabaseUrl:
    return InvalidDatabaseUrl(
        url.render_as_string(),
        f"no driver {url.drivername!r} here ({errors.one_line(error)}); use {DRIVERS}",
    )


def make_engine(url: str | URL, **options: Any) -> Engine:
    """An engine for ``url`` (see sql_url()) that raises the store's errors
    (app/orm/errors.py); SQLite gets foreign keys switched on per connection,
    psycopg2 positional parameters."""
    url = sql_url(url)
    if url.get_driver_name() == "psycopg2":
        # Positional %s parameters: psycopg2 fills them faster than named
        # %(name)s ones, and a bulk INSERT sends thousands (step 33's benchmark).
        options.setdefault("paramstyle", "format")
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as error:
        raise unknown_driver(url, error) from None
    errors.install(engine)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # SQLite ignores FOREIGN KEY clauses unless each connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
    register_casefold(dbapi_connection)  # search_condition() compares with it
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

    For tests and benchmarks: a database that must keep its rows is built and
    upgraded by the Alembic migrations in ``alembic/`` (step 29; step 35 changes
    tables holding rows).
    """
    Base.metadata.create_all(engine)


def reset_schema(engine: Engine) -> None:
    """Drop and recreate every table: for tests and benchmarks only."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def missing_tables(table_names: list[str]) -> list[str]:
    """The models' tables that are not among ``table_names``, sorted."""
    return sorted(set(Base.metadata.tables) - set(table_names))


def not_the_store(url: URL, missing: list[str]) -> NotAStoreDatabase:
    """The error for a database that lacks the store's tables ``missing``.

    The store never creates them itself: Alembic's migrations own the schema,
    and tables made behind their back make `alembic upgrade head` fail.
    """
    # Alembic's env.py runs sync: name the backend, sql_url() picks the driver.
    plain = url.set(drivername=url.get_backend_name()).render_as_string()
    return NotAStoreDatabase(
        url.render_as_string(),
        missing,
        f"create them with `alembic -x url={plain} upgrade head`",
    )


def check_schema(engine: Engine) -> None:
    """NotAStoreDatabase unless every table of the models is there."""
    if missing := missing_tables(inspect(engine).get_table_names()):
        raise not_the_store(engine.url, missing)


def open_sql_repository(url: str | URL) -> ProductRepository:
    """The repository for a database URL, for the ``store`` command; it owns
    the engine it makes, and disposes it on close().

    ``sqlite+pysqlite:///store.db`` and ``postgresql://`` (psycopg2) use the
    sync repository; ``postgresql+asyncpg://`` the async one behind a blocking
    facade. The database must have the store's tables (see check_schema()).
    """
    from app.orm.repository import OrmProductRepository

    url = sql_url(url)
    # >>> since 34
    if url.get_driver_name() == "asyncpg":
        from app.orm.blocking import BlockingProductRepository

        return BlockingProductRepository(url)
    # <<<
    engine = make_engine(url)
    try:
        check_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return OrmProductRepository(make_sessions(engine), owned_engine=engine)


# >>> since 34
def make_async_engine(url: str | URL, **options: Any) -> AsyncEngine:
    """The async twin of make_engine(), for ``postgresql+asyncpg://`` URLs."""
    url = sql_url(url)
    try:
        engine = create_async_engine(url, **options)
    except (ArgumentError, ImportError) as error:
        raise unknown_driver(url, error) from None
    errors.install(engine.sync_engine)
    return engine


# <<<
