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
from app.orm import database as orm_db  # since 30
from app.orm.blocking import BlockingProductRepository  # since 34
from app.orm.repository import OrmProductRepository  # since 30
from app.repository import MemoryProductRepository, ProductRepository
from app.sqlite import db as sqlite_db  # since 16
from app.sqlite.repository import SqliteProductRepository  # since 16
from tests import pg  # since 30

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
    conn = sqlite_db.connect(folder / "store.db")
    sqlite_db.create_schema(conn)
    return SqliteProductRepository(conn)


# <<<
# >>> since 30
def orm_sqlite(folder: Path) -> ProductRepository:
    engine = orm_db.make_engine(f"sqlite:///{folder / 'orm.db'}")
    orm_db.create_schema(engine)
    return OrmProductRepository(orm_db.make_sessions(engine), owned_engine=engine)


def orm_postgres(folder: Path) -> ProductRepository:
    engine = orm_db.make_engine(pg.database().sync)
    orm_db.reset_schema(engine)
    return OrmProductRepository(orm_db.make_sessions(engine), owned_engine=engine)


# <<<
# >>> since 34
def orm_asyncpg(folder: Path) -> ProductRepository:
    return BlockingProductRepository(pg.database().asyncpg, reset=True)


# <<<
BACKENDS = [
    pytest.param(memory, id="memory", marks=pytest.mark.step(0)),
    # >>> since 04
    pytest.param(pickle_file, id="pickle", marks=pytest.mark.step(4)),
    pytest.param(json_file, id="json", marks=pytest.mark.step(4)),
    pytest.param(yaml_file, id="yaml", marks=pytest.mark.step(4)),
    # <<<
    pytest.param(sqlite, id="sqlite", marks=pytest.mark.step(16)),  # since 16
    # >>> since 30
    pytest.param(orm_sqlite, id="orm-sqlite", marks=pytest.mark.step(30)),
    pytest.param(
        orm_postgres,
        id="orm-postgres",
        marks=[pytest.mark.step(30), pytest.mark.postgres],
    ),
    # <<<
    # >>> since 34
    pytest.param(
        orm_asyncpg,
        id="orm-asyncpg",
        marks=[pytest.mark.step(34), pytest.mark.postgres],
    ),
    # <<<
]
