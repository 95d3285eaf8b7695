# workshop: since 30
"""The PostgreSQL set-up of the tests: the run's own database, a throwaway cluster."""

from __future__ import annotations

from typing import Any

import psycopg2
import pytest

from tests import pg
from workshop import postgres

pytestmark = pytest.mark.postgres


def query(url: str, sql: str) -> Any:
    connection = psycopg2.connect(url.replace("+psycopg2", ""))
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
            assert row is not None, f"{sql} returned no row"
            return row[0]
    finally:
        connection.close()


def test_the_run_has_its_own_database_on_a_real_server(postgres_urls):
    name = query(postgres_urls.sync, "SELECT current_database()")
    assert name.startswith("drills_")
    assert query(postgres_urls.sync, "SELECT 6 * 7") == 42
    assert postgres_urls.asyncpg.startswith("postgresql+asyncpg://")


def test_a_forced_throwaway_cluster_answers_a_real_query(monkeypatch):
    monkeypatch.setenv(postgres.MODE_VARIABLE, "throwaway")
    assert "throwaway cluster" in postgres.describe()
    server = pg.throwaway()
    assert server.source.startswith("throwaway cluster")
    assert query(server.url, "SHOW listen_addresses") == "127.0.0.1"
    assert query(server.url, "SELECT lower('THÉ VERT 緑茶')") == "thé vert 緑茶"


def test_an_unreachable_url_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(postgres.MODE_VARIABLE, raising=False)
    monkeypatch.setenv(postgres.URL_VARIABLE, "postgresql://who:secret@127.0.0.1:1/x")
    with pytest.raises(postgres.UrlDoesNotConnect, match=postgres.URL_VARIABLE) as bad:
        postgres.describe()
    assert "secret" not in str(bad.value)
    with pytest.raises(postgres.UrlDoesNotConnect, match=postgres.URL_VARIABLE):
        with postgres.server():
            pass


def test_without_a_server_tests_skip_in_one_line_naming_the_variable(monkeypatch):
    monkeypatch.delenv(postgres.REQUIRE_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception, match=postgres.URL_VARIABLE) as skipped:
        pg.unavailable("nothing listens")
    assert "\n" not in str(skipped.value)


def test_when_postgres_is_required_the_skip_becomes_a_failure(monkeypatch):
    monkeypatch.setenv(postgres.REQUIRE_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        pg.unavailable("nothing listens")
