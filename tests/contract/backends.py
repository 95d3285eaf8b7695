"""Every storage backend the store has at this step, for the contract suite.

A backend is a factory taking a temporary folder and returning a fresh, empty
ProductRepository. Each is a pytest.param marked with the step that makes it
work, so its contract tests count as that drill's tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.files.repository import FileProductRepository  # since 04
from app.repository import MemoryProductRepository, ProductRepository
from app.sqlite.db import connect, create_schema  # since 16
from app.sqlite.repository import SqliteProductRepository  # since 16

Factory = Callable[[Path], ProductRepository]


def memory(folder: Path) -> ProductRepository:
    return MemoryProductRepository()


# >>> since 04
def pickle_file(folder: Path) -> ProductRepository:
    return FileProductRepository(folder / "catalog.pkl")


def json_file(folder: Path) -> ProductRepository:
    return FileProductRepository(folder / "catalog.json")


def yaml_file(folder: Path) -> ProductRepository:
    return FileProductRepository(folder / "catalog.yaml")


# <<<
# >>> since 16
def sqlite(folder: Path) -> ProductRepository:
    conn = connect(folder / "store.db")
    create_schema(conn)
    return SqliteProductRepository(conn)


# <<<
BACKENDS = [
    pytest.param(memory, id="memory", marks=pytest.mark.step(0)),
    pytest.param(pickle_file, id="pickle", marks=pytest.mark.step(4)),  # since 04
    pytest.param(json_file, id="json", marks=pytest.mark.step(4)),  # since 04
    pytest.param(yaml_file, id="yaml", marks=pytest.mark.step(4)),  # since 04
    pytest.param(sqlite, id="sqlite", marks=pytest.mark.step(16)),  # since 16
]
