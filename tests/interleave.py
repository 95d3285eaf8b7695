# workshop: since 26
"""Make another connection act at an exact moment of the code under test.

Concurrency bugs hide in the gap between two statements. Rather than run
many threads and hope to hit the gap, a test watches the statements one
connection sends (``set_trace_callback``) and, just before the first one
that matches, lets a second connection do its work. SQLite calls the
trace callback when the statement starts, before it takes any lock, so
the interleaving is the same on every run.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def begins(sql: str) -> bool:
    """The statement starts a transaction (BEGIN, BEGIN IMMEDIATE...)."""
    return sql.lstrip().upper().startswith("BEGIN")


def writes(sql: str) -> bool:
    """The statement changes rows."""
    return sql.lstrip().upper().startswith(WRITES)


@dataclass
class Interloper:
    """What the other connection did: ``done`` once it ran, ``error`` if it failed."""

    statements: list[str] = field(default_factory=list)
    done: bool = False
    error: sqlite3.Error | None = None
    before: str | None = None  # the statement it ran just before
    failure: Exception | None = None  # a bug in the test's own work

    @property
    def kept_out(self) -> bool:
        """It ran, and found the database locked by the code under test."""
        return self.done and self.error is not None


@contextlib.contextmanager
def interloper(
    conn: sqlite3.Connection,
    path: str | os.PathLike[str],
    when: Callable[[str], bool],
    work: Callable[[sqlite3.Connection], object],
) -> Iterator[Interloper]:
    """Just before ``conn`` sends the first statement for which ``when(sql)``
    is true, run ``work(other)`` once in its own ``BEGIN IMMEDIATE`` ...
    ``COMMIT`` on a second connection that never waits for a lock
    (``timeout=0``): if ``conn`` holds the write lock, the interloper is kept
    out (its ``error`` is the busy error) and nothing of its work is written.
    """
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.row_factory = sqlite3.Row
    seen = Interloper()

    def watch(sql: str) -> None:
        seen.statements.append(sql)
        if seen.done or not when(sql):
            return
        seen.done, seen.before = True, sql
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            seen.error = error
            return
        try:
            work(other)
            other.execute("COMMIT")
        except Exception as failure:  # sqlite3 would swallow it: keep it
            other.execute("ROLLBACK")
            seen.failure = failure

    conn.set_trace_callback(watch)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)
        other.close()
    if seen.failure is not None:
        raise AssertionError("the test's interloper failed") from seen.failure
