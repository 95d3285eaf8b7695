"""Every storage backend the store has at this step, for the contract suite.

A backend is a factory taking a temporary folder and returning a fresh, empty
ProductRepository. Each is a pytest.param marked with the step that makes it
work, so its contract tests count as that drill's tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.repository import MemoryProductRepository, ProductRepository
from app.sqlite.db import connect, create_schema  # since 16
from app.sqlite.repository import SqliteProductRepository  # since 16

Factory = Callable[[Path], ProductRepository]


def memory(folder: Path) -> ProductRepository:
    return MemoryProductRepository()


# >>> since 16
def sqlite(folder: Path) -> ProductRepository:
    conn = connect(folder / "store.db")
    create_schema(conn)
    return SqliteProductRepository(conn)


# <<<
BACKENDS = [
    pytest.param(memory, id="memory", marks=pytest.mark.step(0)),
    pytest.param(sqlite, id="sqlite", marks=pytest.mark.step(16)),  # since 16
]
