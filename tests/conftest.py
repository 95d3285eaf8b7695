"""Fixtures shared by every test file."""

from __future__ import annotations

import pytest

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
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pg.finish()
