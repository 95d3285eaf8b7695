"""Fixtures shared by every test file."""

from __future__ import annotations

import pytest

from app.orm.database import make_engine, reset_schema  # since 30
from app.sqlite.db import connect, create_schema  # since 12
from tests import pg


@pytest.fixture(scope="session")
def postgres_urls() -> pg.PgUrls:
    """This run's own PostgreSQL database (skips, or fails under
    WORKSHOP_REQUIRE_POSTGRES=1, when no server can be had); dropped at the end."""
    return pg.database()


# >>> since 12
@pytest.fixture
def conn(tmp_path):
    """A fresh store.db for one test: the step-12 schema, foreign keys on."""
    connection = connect(tmp_path / "store.db")
    create_schema(connection)
    yield connection
    connection.close()


# <<<
# >>> since 30
@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def engine(request, tmp_path):
    """An empty ORM database, once on SQLite and once on PostgreSQL."""
    url = (
        f"sqlite:///{tmp_path / 'store.db'}"
        if request.param == "sqlite"
        else pg.database().sync
    )
    engine = make_engine(url)
    reset_schema(engine)
    yield engine
    engine.dispose()


# <<<
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pg.finish()
