"""Step 34: the `store` command on PostgreSQL, through psycopg2 and asyncpg."""

import argparse
import secrets
import shlex
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from app.cli import main
from app.orm.database import create_schema, make_engine
from tests import pg

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.postgres


def run(capsys, command_line: str) -> tuple[int, str, str]:
    code = main(shlex.split(command_line))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("driver", ["sync", "asyncpg"])
def test_a_postgresql_url_selects_the_database_backend(capsys, postgres_urls, driver):
    engine = make_engine(postgres_urls.sync)
    create_schema(engine)  # the store never creates tables (alembic does)
    engine.dispose()
    url = getattr(postgres_urls, driver)
    sku = f"CLI-{secrets.token_hex(3).upper()}"
    code, out, err = run(
        capsys, f"--db {url} products add --sku {sku} --name 'Oolong tea' --price 7.25"
    )
    assert (code, err) == (0, ""), err
    code, out, _ = run(capsys, f"--db {url} products search {sku.lower()}")
    assert code == 0
    assert [line.split() for line in out.splitlines()[1:]] == [
        [sku, "Oolong", "tea", "7.25", "-"]
    ]
    code, _, err = run(
        capsys, f"--db {url} products add --sku {sku} --name Again --price 1"
    )
    assert code == 2 and sku in err, "a duplicate SKU is one clear line"


def test_the_plain_documented_url_works_once_alembic_made_the_tables(capsys):
    # postgresql://user@host/db names no driver: the store and Alembic's env.py
    # both read it with app.orm.urls.sql_url() (psycopg2).
    with pg.scratch_database() as url:
        assert url.startswith("postgresql://")
        code, _, err = run(capsys, f"--db {url} products list")
        assert code == 2 and "alembic" in err, "no tables yet: run the migrations"
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "alembic"))
        config.cmd_opts = argparse.Namespace(x=[f"url={url}"])
        command.upgrade(config, "head")
        assert (
            run(capsys, f"--db {url} products add --sku P-1 --name Pu --price 2")[0]
            == 0
        )
        code, out, err = run(capsys, f"--db {url} products list")
        assert (code, err) == (0, "")
        assert [line.split()[0] for line in out.splitlines()[1:]] == ["P-1"]
