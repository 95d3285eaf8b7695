# workshop: since 11
"""Opening the store's SQLite database, creating its tables, running transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator  # since 18
from contextlib import contextmanager  # since 18
from importlib import resources  # solution 12
from pathlib import Path

from app.errors import CorruptFile  # solution 11
from app.sqlite.errors import store_error  # solution 18

# Seconds a statement waits for another connection's lock before it gives up.
BUSY_TIMEOUT = 5.0


# >>> solution 11
def connect(path: str | Path, *, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open the database file at ``path`` (created if missing) for the store.

    Every connection of the store needs the same settings: foreign keys
    enforced (SQLite leaves them off), rows readable by column name
    (sqlite3.Row), autocommit (isolation_level=None: the sqlite3 module never
    opens a transaction behind our back) and a busy timeout of ``timeout``
    seconds. A file that is not a SQLite database raises CorruptFile naming
    it, and is left untouched.
    """
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Connecting reads nothing; this reads the file's header, so a file
        # that is not a database fails here, with a clear message.
        conn.execute("PRAGMA schema_version")
    except sqlite3.DatabaseError as error:
        conn.close()
        if error.sqlite_errorname != "SQLITE_NOTADB":
            raise
        raise CorruptFile(
            f"{path} is not a SQLite database ({error}); point the store at"
            " another file, or restore this one from a backup"
        ) from None
    conn.row_factory = sqlite3.Row
    return conn


# <<<
# >>> solution 12
def create_schema(conn: sqlite3.Connection) -> None:
    """Create the store's tables from schema.sql if they are missing.

    Safe to run on every start: existing tables and rows are left alone,
    and so an existing table is never upgraded (IF NOT EXISTS skips it whole,
    even when schema.sql gives it a new column or CHECK). executescript()
    COMMITs any open transaction first, even under isolation_level=None: never
    call this inside transaction().
    """
    schema = resources.files("app.sqlite").joinpath("schema.sql")
    conn.executescript(schema.read_text(encoding="utf-8"))


# <<<
# >>> solution 18
MODES = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


@contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "DEFERRED") -> Iterator[None]:
    """Run the ``with`` block in one transaction: ``BEGIN <mode>`` first, then
    COMMIT if the block finishes, or ROLLBACK and re-raise if anything fails
    (COMMIT itself included): all of the block's writes happen, or none.

    The block's own exceptions are re-raised as they are. ``mode`` is one of
    MODES (it is pasted into SQL, so anything else is a ValueError).
    IMMEDIATE takes the write lock at BEGIN, so a busy database fails before
    any work is done; a BEGIN or COMMIT that fails goes through store_error().
    """
    mode = mode.upper()
    if mode not in MODES:
        raise ValueError(f"transaction mode {mode!r} is not one of {', '.join(MODES)}")
    try:
        conn.execute(f"BEGIN {mode}")
    except sqlite3.Error as error:
        raise store_error(error) from None
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        # A COMMIT that fails (the database busy, say) leaves the transaction
        # open: end it, or the next BEGIN on this connection fails too.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise store_error(error) from None


# <<<
