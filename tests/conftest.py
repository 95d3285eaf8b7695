"""Fixtures shared by every test file."""

from __future__ import annotations

import pytest

from tests import pg


@pytest.fixture(scope="session")
def postgres_urls() -> pg.PgUrls:
    """This run's own PostgreSQL database (skips, or fails under
    WORKSHOP_REQUIRE_POSTGRES=1, when no server can be had); dropped at the end."""
    return pg.database()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    pg.finish()
