# workshop: since 16
"""A database file the store cannot use, in one line: sqlite3's faults as store errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.errors import (
    CorruptFile,
    DatabaseBusy,
    DatabaseUnavailable,
    NotAStoreDatabase,
    StoreError,
)

# The columns of the store's products table since step 12: a file whose
# products table lacks one of them belongs to another application.
PRODUCT_COLUMNS = ("sku", "name", "price_cents", "category_id", "created_at")

# Result code (sqlite_errorname, extended codes included) -> what to do.
FIXES = {
    "SQLITE_READONLY": "make the file and its folder writable, or use another --db",
    "SQLITE_CANTOPEN": "check that the folder exists and that the store may write in it",
    "SQLITE_FULL": "free some disk space and try again",
    "SQLITE_IOERR": "check the disk and the file's permissions, then try again",
    "SQLITE_PERM": "check the file's permissions, or use another --db",
}


def file_fault(error: sqlite3.Error, path: str | Path) -> StoreError:
    """The store's error for ``error``, met opening or using the database at ``path``.

    Decided by the result code (``sqlite_errorname``), never by the message:
    a lock held too long is DatabaseBusy, a file that is not a database is
    CorruptFile, and anything else DatabaseUnavailable, with a fix when the
    code has a known one.
    """
    name = getattr(error, "sqlite_errorname", "")
    reason = " ".join(str(error).split())
    if name.startswith("SQLITE_BUSY"):
        return DatabaseBusy(
            f"{path} is locked by another connection ({reason}); nothing was"
            " written: let the other program finish, then try again"
        )
    if name.startswith("SQLITE_LOCKED"):
        # A conflict inside this connection (or a shared cache): no other
        # program to wait for, and the same statement fails again at once.
        return DatabaseBusy(
            f"{path}: this connection's own unfinished statement is in the way"
            f" ({reason}); nothing was written: finish or close the pending"
            " read first, then run the transaction again"
        )
    if name == "SQLITE_NOTADB":
        return CorruptFile(
            f"{path} is not a SQLite database ({reason}); point the store at"
            " another file, or restore this one from a backup"
        )
    base = name.split("_")[:2]
    fix = FIXES.get("_".join(base), "check the file, or use another --db")
    return DatabaseUnavailable(str(path), reason, fix)


def check_store_file(conn: sqlite3.Connection, path: str | Path) -> None:
    """NotAStoreDatabase unless the file has no tables yet, or has the store's
    products table (tables of later steps are added by create_schema())."""
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_schema"
            " WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
        )
    }
    if not tables:
        return
    columns = {row[1] for row in conn.execute("PRAGMA table_info(products)")}
    if missing := [column for column in PRODUCT_COLUMNS if column not in columns]:
        found = ", ".join(sorted(tables))
        raise NotAStoreDatabase(
            str(path),
            ["products"] if "products" not in tables else [f"products.{missing[0]}"],
            f"it holds another application's tables ({found}): point --db at the"
            " store's database, or at a new file",
        )
