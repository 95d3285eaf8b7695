# workshop: since 23
"""Savepoints: undo part of a transaction and keep the rest of it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

# A savepoint name is spliced into the SQL (SQLite cannot bind it as a
# parameter), so only plain identifiers are allowed.
SAVEPOINT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


# >>> solution 23
@contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[sqlite3.Connection]:
    """Run the ``with`` block inside ``SAVEPOINT name``.

    On success, RELEASE the savepoint: its work joins the enclosing
    transaction (or is committed, if no transaction was open). On any
    exception, ROLLBACK TO the savepoint, which undoes only the block's work
    and keeps the transaction open, then RELEASE it and re-raise. Refuse a
    name that is not a plain identifier with ValueError.
    """
    if not SAVEPOINT_NAME.match(name):
        raise ValueError(
            f"savepoint name {name!r} must be a plain identifier such as 'line_1'"
        )
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        # Some errors (disk full, interrupt) make SQLite roll back the whole
        # transaction itself; then the savepoint is already gone.
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


# <<<
