"""Alembic is ready from step 29: the migrations build exactly the models' schema."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from app.orm.models import Base

ROOT = Path(__file__).resolve().parents[1]


def alembic_config(connection=None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_check_downgrade(connection) -> None:
    config = alembic_config(connection)
    command.upgrade(config, "head")
    assert set(inspect(connection).get_table_names()) == set(Base.metadata.tables) | {
        "alembic_version"
    }
    command.check(config)  # raises when the models and the migrations differ
    command.downgrade(config, "base")
    assert inspect(connection).get_table_names() == ["alembic_version"]


def test_the_migrations_have_one_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_on_sqlite_upgrade_matches_the_models_and_downgrade_removes_it(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    with engine.begin() as connection:
        upgrade_check_downgrade(connection)
    engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_too(postgres_urls):
    engine = create_engine(postgres_urls.sync)
    schema = f"migrations_{secrets.token_hex(4)}"
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        connection.execute(text(f'SET search_path TO "{schema}"'))
        try:
            upgrade_check_downgrade(connection)
        finally:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            connection.commit()
    engine.dispose()


def test_the_url_comes_from_the_command_line_never_from_alembic_ini(capsys):
    assert "sqlalchemy.url" not in (ROOT / "alembic.ini").read_text(encoding="utf-8")
    config = alembic_config()
    # --sql writes the SQL without connecting: no server listens on port 1.
    # (Not SQLite: its batch migrations must read the live table to copy it.)
    config.cmd_opts = type(
        "Options", (), {"x": ["url=postgresql://nobody@127.0.0.1:1/offline"]}
    )()
    command.upgrade(config, "head", sql=True)
    assert "CREATE TABLE products" in capsys.readouterr().out
