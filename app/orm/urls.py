# workshop: since 29
"""Which database a URL names, and through which driver: decided here, once."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.errors import InvalidDatabaseUrl

# The driver of a plain postgresql:// URL. SQLAlchemy 2.1 would pick psycopg 3,
# which the workshop does not install. The store, Alembic's env.py and the
# tests all read URLs through sql_url(), so they agree on psycopg2.
PLAIN_POSTGRESQL = "postgresql+psycopg2"
DRIVERS = "postgresql://, postgresql+asyncpg:// or sqlite+pysqlite:///path"


def sql_url(url: str | URL) -> URL:
    """``url`` parsed, a plain ``postgresql://`` (or ``postgres://``) going to psycopg2.

    InvalidDatabaseUrl for a URL that cannot be parsed, and for a PostgreSQL
    URL that names no database (libpq would quietly pick the one named after
    the user, through the local socket).
    """
    if isinstance(url, str):
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        text = url
        try:
            url = make_url(text)
        except ArgumentError:
            scheme = text.partition("://")[0]
            raise InvalidDatabaseUrl(
                f"{scheme}://...", f"it is not a URL; use {DRIVERS}"
            ) from None
    if url.drivername == "postgresql":
        url = url.set(drivername=PLAIN_POSTGRESQL)
    if url.get_backend_name() == "postgresql" and not url.database:
        raise InvalidDatabaseUrl(
            url.render_as_string(),
            "it names no database; write postgresql://user@host/database",
        )
    return url
