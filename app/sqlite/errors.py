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

    Decide by error.sqlite_errorname (Python 3.11+), never by guessing:
    a UNIQUE failure on products.sku is DuplicateSku; any other constraint
    failure (CHECK, NOT NULL, FOREIGN KEY) is InvalidProduct; a lock held
    longer than the busy timeout (SQLITE_BUSY, SQLITE_LOCKED) is DatabaseBusy.
    Anything else is a bug rather than bad input: return ``error`` itself.
    """
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_CONSTRAINT_UNIQUE" and "products.sku" in str(error):
        return DuplicateSku(f"SKU {sku!r} is already taken; choose another SKU")
    if name.startswith("SQLITE_CONSTRAINT"):
        return InvalidProduct(f"the database refused product {sku!r}: {error}")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(
            f"the database is locked by another connection ({error}); nothing"
            " was written: try again when the other writer has finished"
        )
    return error


# <<<
