"""This test run's own PostgreSQL database: created on first use, dropped at the end."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from workshop import postgres


@dataclass(frozen=True)
class PgUrls:
    """Where the run's database is, for each driver."""

    sync: str  # postgresql+psycopg2://...
    asyncpg: str  # postgresql+asyncpg://...
    server: postgres.Server


_exits = contextlib.ExitStack()
_database: PgUrls | None = None
_problem: str | None = None  # why there is no server: asked once per run
_throwaway: postgres.Server | None = None


def unavailable(reason: str) -> None:
    """Skip the test in one line, or fail it when the run requires PostgreSQL."""
    if os.environ.get(postgres.REQUIRE_VARIABLE) == "1":
        pytest.fail(f"PostgreSQL is required here but: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL ({reason}); set {postgres.URL_VARIABLE} to run this")


LOCK_TIMEOUT = "15s"


def database() -> PgUrls:
    """The run's database (drills_<pid>_<random>), made once per test run."""
    global _database, _problem
    if _problem is not None:
        unavailable(_problem)
    if _database is None:
        try:
            server = _exits.enter_context(postgres.server())
        except postgres.NoServer as error:
            _problem = str(error)
            unavailable(_problem)
            raise  # unreachable: unavailable() always raises
        name = f"drills_{os.getpid()}_{secrets.token_hex(4)}"
        _admin(server, f'CREATE DATABASE "{name}"')
        # A session left open by buggy code holds its locks; the next test's
        # DROP TABLE then fails after this long instead of waiting forever.
        _admin(server, f"ALTER DATABASE \"{name}\" SET lock_timeout = '{LOCK_TIMEOUT}'")
        _exits.callback(
            _admin, server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )
        _database = PgUrls(
            server.database_url(name, "psycopg2"),
            server.database_url(name, "asyncpg"),
            server,
        )
    return _database


def throwaway() -> postgres.Server:
    """A throwaway cluster: the run's own if it already uses one, else one started now."""
    global _throwaway
    if _database is not None and _database.server.source.startswith("throwaway"):
        return _database.server
    if _throwaway is None:
        try:
            _throwaway = _exits.enter_context(postgres.throwaway_cluster())
        except postgres.NoServer as error:
            unavailable(str(error))
            raise
    return _throwaway


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """A new, empty database on the run's server, dropped afterwards: its
    plain ``postgresql://`` URL, as the docs write it (no driver named)."""
    server = database().server
    name = f"scratch_{os.getpid()}_{secrets.token_hex(4)}"
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield server.database_url(name).replace(
            "postgresql+psycopg2://", "postgresql://", 1
        )
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def finish() -> None:
    """Drop the run's database and stop any cluster this run started."""
    global _database, _throwaway, _problem
    _database = _throwaway = _problem = None
    _exits.close()


def _admin(server: postgres.Server, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(server.url)
    try:
        connection.autocommit = True  # CREATE/DROP DATABASE refuse transactions
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()
