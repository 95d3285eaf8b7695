# workshop: since 29
"""Alembic's environment: which database, which models, how to compare them."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, create_engine, pool
from sqlalchemy.engine import URL

from app.errors import InvalidDatabaseUrl
from app.orm.models import Base
from app.orm.urls import sql_url

URL_VARIABLE = "STORE_DATABASE_URL"
config = context.config
target_metadata = Base.metadata


def database_url() -> URL:
    """The URL from `alembic -x url=...`, else $STORE_DATABASE_URL, read as
    the store reads it (a plain postgresql:// goes through psycopg2)."""
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(
        URL_VARIABLE
    )
    if not url:
        raise SystemExit(
            f"alembic: which database? Pass -x url=postgresql://... or set {URL_VARIABLE}"
        )
    try:
        return sql_url(url)
    except InvalidDatabaseUrl as error:
        raise SystemExit(f"alembic: {error}") from None


def migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things in place: batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Write the SQL instead of running it (`alembic upgrade head --sql`)."""
    context.configure(
        url=database_url(), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    # A test (or any caller) may hand us its own connection, so migrations
    # run inside its transaction; otherwise connect to the URL.
    connection = config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            migrate(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
