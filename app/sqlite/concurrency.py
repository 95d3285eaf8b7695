# workshop: since 26
"""Many connections writing at once: WAL mode and bounded retries."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from app.errors import DatabaseBusy
from app.sqlite.db import transaction

T = TypeVar("T")


def enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the database file to write-ahead logging, for this and every
    later connection: readers no longer block the writer, nor it them.

    The journal mode is stored in the file; ``synchronous`` is not (each new
    connection starts at FULL). It stays FULL: with WAL, NORMAL would save an
    fsync per commit, but a power cut could then undo the last commits, and
    the store promises that a COMMIT that returned survives a crash.
    """
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise RuntimeError(f"SQLite kept journal_mode={mode!r}; is this a file?")


def is_busy(error: sqlite3.Error) -> bool:
    """True when another connection holds the lock this one needed."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def run_in_transaction(
    conn: sqlite3.Connection,
    work: Callable[[sqlite3.Connection], T],
    *,
    mode: str = "IMMEDIATE",
    attempts: int = 5,
    pause: float = 0.05,
) -> T:
    """Run ``work(conn)`` in one transaction (BEGIN IMMEDIATE by default) and
    return its result; retry the whole transaction when the database is busy.

    The connection's busy timeout already waits for the lock; a retry runs
    when even that was not enough. After ``attempts`` tries raise
    DatabaseBusy, so no caller waits forever. ``work`` may run more than
    once: it must only touch the database.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be 1 or more, not {attempts}")
    for attempt in range(1, attempts + 1):
        try:
            with transaction(conn, mode):
                return work(conn)
        except (DatabaseBusy, sqlite3.OperationalError) as error:
            # transaction() reports a busy BEGIN or COMMIT as DatabaseBusy; a
            # statement inside the work raises sqlite3's own error.
            if isinstance(error, sqlite3.OperationalError) and not is_busy(error):
                raise
            if attempt == attempts:
                raise DatabaseBusy(gave_up(error, attempts)) from error
            # Random pauses keep waiting writers from retrying in lockstep.
            time.sleep(pause * attempt * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")  # pragma: no cover (the loop returns)


def gave_up(error: Exception, attempts: int) -> str:
    """Why the last of ``attempts`` failed, and what to do about it."""
    if getattr(error, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT":
        return (
            f"another connection committed between this transaction's reads and its"
            f" write ({attempts} attempt(s)): its reads were stale, so SQLite refused"
            ' the write; use mode="IMMEDIATE" to take the write lock before reading;'
            " nothing was written"
        )
    return (
        f"the database stayed locked through {attempts} attempt(s); another"
        " connection holds a long write transaction: let it finish (or close it)"
        " and try again; nothing was written"
    )
