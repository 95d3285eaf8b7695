"""Step 11: one database file, a schema the sqlite3 tool accepts, a good connection."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from app.errors import CorruptFile
from app.sqlite.db import connect

SCHEMA = Path(__file__).parents[1] / "app" / "sqlite" / "schema.sql"


def tables(conn):
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
    return {row["name"] for row in rows}


@pytest.mark.skipif(
    shutil.which("sqlite3") is None,
    reason="the sqlite3 command-line tool is not installed (workshop doctor says how)",
)
def test_the_sqlite3_command_line_tool_accepts_the_schema(tmp_path):
    database = tmp_path / "store.db"
    done = subprocess.run(
        ["sqlite3", str(database)],
        input=SCHEMA.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=30,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    conn = connect(database)
    assert {"categories", "products"} <= tables(conn)
    conn.close()


def test_the_schema_applies_with_executescript_and_again_without_harm(tmp_path):
    conn = connect(tmp_path / "store.db")
    conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    conn.execute("INSERT INTO categories (name) VALUES ('tea')")
    conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    assert {"categories", "products"} <= tables(conn)
    assert conn.execute("SELECT count(*) FROM categories").fetchone()[0] == 1
    conn.close()


def test_the_whole_database_is_one_file(tmp_path):
    conn = connect(tmp_path / "store.db")
    conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    conn.execute("INSERT INTO categories (name) VALUES ('tea')")
    conn.close()
    assert [p.name for p in tmp_path.iterdir()] == ["store.db"]
    assert (tmp_path / "store.db").read_bytes().startswith(b"SQLite format 3\0")


def test_foreign_keys_are_enforced(tmp_path):
    conn = connect(tmp_path / "store.db")
    conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(
            "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
            " VALUES ('TEA-1', 'Green tea', 350, 999, '2026-01-01T00:00:00+00:00')"
        )
    assert caught.value.sqlite_errorname == "SQLITE_CONSTRAINT_FOREIGNKEY"
    conn.close()


def test_rows_are_read_by_column_name(tmp_path):
    conn = connect(tmp_path / "store.db")
    row = conn.execute("SELECT 'TEA-1' AS sku, 350 AS price_cents").fetchone()
    assert row["sku"] == "TEA-1"
    assert row["price_cents"] == 350
    conn.close()


def test_writes_commit_at_once_and_a_busy_timeout_is_set(tmp_path):
    conn = connect(tmp_path / "store.db")
    assert conn.isolation_level is None
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    conn.execute("INSERT INTO categories (name) VALUES ('tea')")
    assert not conn.in_transaction
    other = connect(tmp_path / "store.db")
    assert other.execute("SELECT name FROM categories").fetchone()["name"] == "tea"
    other.close()
    conn.close()


def test_the_busy_timeout_is_the_one_asked_for(tmp_path):
    conn = connect(tmp_path / "store.db", timeout=0.25)
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 250
    conn.close()


def test_a_file_that_is_not_sqlite_is_a_clear_error_and_is_left_alone(
    tmp_path, monkeypatch
):
    path = tmp_path / "store.db"
    path.write_text("sku,name,price\nTEA-1,Green tea,3.50\n", encoding="utf-8")
    before = path.read_bytes()
    opened = []
    real_connect = sqlite3.connect

    def spy(*args, **kwargs):
        opened.append(real_connect(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(sqlite3, "connect", spy)
    with pytest.raises(CorruptFile) as caught:
        connect(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert opened, "connect() should open the file with sqlite3.connect()"
    for connection in opened:
        with pytest.raises(sqlite3.ProgrammingError):  # closed, as the task asks
            connection.execute("SELECT 1")


def test_a_busy_database_is_not_called_corrupt(tmp_path):
    path = tmp_path / "store.db"
    holder = connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # nobody else may even read it now
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            connect(path, timeout=0)
        assert caught.value.sqlite_errorname == "SQLITE_BUSY"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
