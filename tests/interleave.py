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


def touches(table: str) -> Callable[[str], bool]:
    """A test of statements: the statement names ``table`` (reads or writes it)."""
    return lambda sql: table.lower() in sql.lower()


def after(
    first: Callable[[str], bool], then: Callable[[str], bool]
) -> Callable[[str], bool]:
    """A test of statements: true for a statement matching ``then`` once an
    earlier statement matched ``first`` (a BEGIN after a read, say)."""
    seen_first = False

    def when(sql: str) -> bool:
        nonlocal seen_first
        matched = seen_first and then(sql)
        seen_first = seen_first or first(sql)
        return matched

    return when


@contextlib.contextmanager
def recorded(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """Collect every statement ``conn`` sends inside the ``with`` block."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        conn.set_trace_callback(None)


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


@dataclass
class Holder:
    """The other connection's write lock: ``released`` once it let go."""

    released: bool = False
    before: str | None = None  # the statement it let go just before


@contextlib.contextmanager
def lock_held(
    conn: sqlite3.Connection,
    path: str | os.PathLike[str],
    until: Callable[[str], bool],
) -> Iterator[Holder]:
    """A second connection holds the write lock (``BEGIN IMMEDIATE``) and
    lets go (``ROLLBACK``) just before ``conn`` sends the first statement for
    which ``until(sql)`` is true: a retry that comes later finds it free, a
    ``conn`` that never retries finds it taken."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    holder = Holder()

    def watch(sql: str) -> None:
        if not holder.released and until(sql):
            other.execute("ROLLBACK")
            holder.released, holder.before = True, sql

    conn.set_trace_callback(watch)
    try:
        yield holder
    finally:
        conn.set_trace_callback(None)
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()
