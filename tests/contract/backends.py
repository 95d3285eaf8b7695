"""Every storage backend the store has at this step, for the contract suite.

A backend is a factory taking a temporary folder and returning a fresh, empty
ProductRepository. Each is a pytest.param marked with the step that makes it
work, so its contract tests count as that drill's tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.orm.blocking import BlockingProductRepository  # since 34
from app.orm.database import (  # since 30
    create_schema,  # since 30
    make_engine,  # since 30
    make_sessions,  # since 30
    reset_schema,  # since 30
)  # since 30
from app.orm.repository import OrmProductRepository  # since 30
from app.repository import MemoryProductRepository, ProductRepository
from tests import pg  # since 30

Factory = Callable[[Path], ProductRepository]


def memory(folder: Path) -> ProductRepository:
    return MemoryProductRepository()


# >>> since 30
def orm_sqlite(folder: Path) -> ProductRepository:
    engine = make_engine(f"sqlite:///{folder / 'orm.db'}")
    create_schema(engine)
    return OrmProductRepository(make_sessions(engine))


def orm_postgres(folder: Path) -> ProductRepository:
    engine = make_engine(pg.database().sync)
    reset_schema(engine)
    return OrmProductRepository(make_sessions(engine))


# <<<
def orm_asyncpg(folder: Path) -> ProductRepository:  # since 34
    return BlockingProductRepository(pg.database().asyncpg, reset=True)  # since 34


BACKENDS = [
    pytest.param(memory, id="memory", marks=pytest.mark.step(0)),
    pytest.param(orm_sqlite, id="orm-sqlite", marks=pytest.mark.step(30)),  # since 30
    pytest.param(  # since 30
        orm_postgres,  # since 30
        id="orm-postgres",  # since 30
        marks=[pytest.mark.step(30), pytest.mark.postgres],  # since 30
    ),  # since 30
    pytest.param(  # since 34
        orm_asyncpg,  # since 34
        id="orm-asyncpg",  # since 34
        marks=[pytest.mark.step(34), pytest.mark.postgres],  # since 34
    ),  # since 34
]
