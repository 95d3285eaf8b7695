# workshop: since 30
"""The database's refusals and faults as the store's errors, told apart by codes."""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from app.errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidProduct,
    StoreError,
)

PG_UNIQUE_VIOLATION = "23505"  # the SQLSTATE of a broken UNIQUE constraint
# SQLSTATEs that mean "not now": a lock wait timed out, a deadlock, a
# serialization failure. Nothing was written; a retry may succeed.
PG_TRY_AGAIN = ("55P03", "40P01", "40001")
SQLITE_UNIQUE = "SQLITE_CONSTRAINT_UNIQUE"
NOTHING = "; nothing was written: check the product's fields"
CONNECT_FIX = "check that the server runs and that the URL names the right host, user and database"


def constraint_name(error: IntegrityError) -> str | None:
    """The constraint that PostgreSQL names in ``error``'s diagnostics.

    psycopg2 gives it as ``diag.constraint_name``; asyncpg's own exception,
    which SQLAlchemy's adapter keeps as the cause, as ``constraint_name``.
    SQLite names none: None.
    """
    original = error.orig
    if (diag := getattr(original, "diag", None)) is not None:
        return diag.constraint_name
    return getattr(getattr(original, "__cause__", None), "constraint_name", None)


def is_unique_violation(original: BaseException) -> bool:
    """True when the driver's error code says a UNIQUE constraint refused a row."""
    return (
        getattr(original, "sqlite_errorname", None) == SQLITE_UNIQUE
        or getattr(original, "pgcode", None) == PG_UNIQUE_VIOLATION
    )


def one_line(error: BaseException) -> str:
    """The driver's message on one line (PostgreSQL's span several)."""
    return " ".join(str(error).split())


def store_error(context: ExceptionContext) -> StoreError | None:
    """The store's error in place of a database error, or None to keep it.

    A UNIQUE violation is kept: only the code that wrote the row knows which
    key it is (add() turns the SKU's into DuplicateSku). Any other refused
    row (NOT NULL, CHECK, a value too long) is InvalidProduct; a lock held
    too long (or a deadlock) is DatabaseBusy; any other operational fault (no
    server, a refused login, a lost connection, a read-only or missing file)
    is DatabaseUnavailable.
    """
    original, error = context.original_exception, context.sqlalchemy_exception
    target = context.engine.url.render_as_string() if context.engine else "?"
    reason = one_line(original)
    if context.connection is None:  # failed while connecting
        return DatabaseUnavailable(target, reason, CONNECT_FIX)
    # asyncpg's adapter leaves some errors as plain DBAPIError: its SQLSTATE
    # class says more (23: a constraint, 22: a value the column cannot hold).
    sqlstate = getattr(original, "pgcode", None) or ""
    if isinstance(error, IntegrityError) or sqlstate.startswith("23"):
        if is_unique_violation(original):
            return None
        return InvalidProduct(f"the database refused the row ({reason}){NOTHING}")
    if isinstance(error, DataError) or sqlstate.startswith("22"):
        return InvalidProduct(f"the database refused a value ({reason}){NOTHING}")
    if isinstance(error, OperationalError):
        if getattr(original, "pgcode", None) in PG_TRY_AGAIN or getattr(
            original, "sqlite_errorname", ""
        ).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return DatabaseBusy(
                f"{target} is locked by another connection ({reason}); nothing"
                " was written: let it finish, then try again"
            )
        return DatabaseUnavailable(target, reason, "check the database, then try again")
    return None


def install(engine: Engine) -> None:
    """Make ``engine`` raise the store's errors (see store_error())."""
    event.listen(engine, "handle_error", store_error)
