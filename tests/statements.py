# workshop: since 31
"""Record the SQL an engine sends: how tests see N+1 queries and early refusals."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event


@contextlib.contextmanager
def recorded(engine: Engine) -> Iterator[list[str]]:
    """Collect each statement sent through ``engine`` (use .sync_engine for async).

    The BEGIN that app.orm.database sends on SQLite is left out: it starts a
    transaction, it is not a query.
    """
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement != "BEGIN":
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
