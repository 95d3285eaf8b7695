# workshop: since 13
"""sqlite3's exceptions turned into the store's own, so callers never see them."""

from __future__ import annotations

import sqlite3

from app.errors import DatabaseBusy, DuplicateSku, InvalidProduct  # solution 15


# >>> since 13 until 15
def store_error(error: sqlite3.Error, sku: str | None = None) -> Exception:
    """The exception to raise for ``error``: for now, ``error`` itself."""
    return error


# <<<
# >>> solution 15
def store_error(error: sqlite3.Error, sku: str | None = None) -> Exception:
    """The store's exception for ``error``, met while writing product ``sku``.

    The kind of error is decided by error.sqlite_errorname (Python 3.11+),
    never by the message. The message is read for one fact only, which
    SQLite reports nowhere else: the column of a UNIQUE failure ("UNIQUE
    constraint failed: products.sku"), once the code has said
    SQLITE_CONSTRAINT_UNIQUE. A UNIQUE failure on products.sku is DuplicateSku; any other constraint
    failure (CHECK, NOT NULL, FOREIGN KEY, PRIMARY KEY...) is InvalidProduct;
    SQLITE_BUSY (another connection held the lock longer than the busy
    timeout) and SQLITE_LOCKED (a conflict inside this connection, such as
    its own pending read) are DatabaseBusy, extended codes included.
    Anything else (a bug, a read-only file, a full disk) is not for the
    caller to retry: return ``error`` itself.
    """
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_CONSTRAINT_UNIQUE" and "products.sku" in str(error):
        return DuplicateSku(f"SKU {sku!r} is already taken; choose another SKU")
    if name.startswith("SQLITE_CONSTRAINT"):
        return InvalidProduct(f"the database refused product {sku!r}: {error}")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(
            f"the database could not be used now ({error}); nothing was written:"
            " finish or close pending reads, then try again"
        )
    return error


# <<<
