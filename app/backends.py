# workshop: since 04
"""Which storage backend a target names: a catalog file now, databases later."""

from __future__ import annotations

from pathlib import Path

from app.files.repository import FORMATS, FileProductRepository
from app.repository import ProductRepository

# Where `store` keeps products when no --db is given.
DEFAULT_TARGET = "catalog.json"


def open_repository(target: str) -> ProductRepository:
    """The repository that ``target`` names; ValueError if it names none.

    One branch per kind of backend, most specific first (a database URL
    before a file suffix), so adding a backend is adding one branch.
    """
    if Path(target).suffix.lower() in FORMATS:
        return FileProductRepository(Path(target))
    raise ValueError(
        f"cannot tell which store {target!r} is: use a catalog file ending in"
        f" {', '.join(FORMATS)}"
    )
