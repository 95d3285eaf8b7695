# workshop: since 34
"""The `store` command under database faults: one clear line, exit code 2, nothing changed.

Each case runs the real command line in a subprocess (python -m app.cli,
this tree first on the path) and checks what a user sees: exit code 2, a
short stderr with no traceback, and every file of the case byte for byte
as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from app.backends import open_database
from app.domain import Product
from app.sqlite.repository import SqliteProductRepository
from tests import pg

ROOT = Path(__file__).resolve().parents[1]
HEADER = "sku,name,price,category,created_at\n"


def store(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """Start `store ARGS` in ``cwd``, running this tree's code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def refused_clearly(process: subprocess.Popen[str]) -> str:
    """Wait for ``process``; assert a clear refusal and return its stderr."""
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert process.returncode == 2, (process.returncode, out, err)
    assert 1 <= len(err.splitlines()) <= 3, err
    assert err.startswith("store: error: "), err
    return err


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``folder``."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (a file or a folder) read-only, even for root (chattr +i)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root, and chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def a_store(folder: Path) -> Path:
    """A store database with one product (made in this process: faster)."""
    path = folder / "store.db"
    with SqliteProductRepository(open_database(path)) as repository:
        repository.add(Product(sku="TEA-1", name="Tea", price=Decimal("3.50")))
    return path


def a_foreign_file(folder: Path, schema: str) -> Path:
    """Another application's SQLite database."""
    path = folder / "theirs.db"
    conn = sqlite3.connect(path)
    with conn:
        conn.executescript(schema)
    conn.close()
    return path


def a_csv(folder: Path) -> Path:
    path = folder / "in.csv"
    path.write_text(
        HEADER + "MUG-1,Mug,8.00,,2026-03-01T09:30:00+00:00\n", encoding="utf-8"
    )
    return path


# (case id, arrange(folder) -> a context manager for the run, command line)
Arrange = Callable[[Path], contextlib.AbstractContextManager[object]]


def nothing(folder: Path) -> contextlib.AbstractContextManager[object]:
    return contextlib.nullcontext()


def frozen_store(folder: Path) -> contextlib.AbstractContextManager[object]:
    a_store(folder)
    a_csv(folder)
    return read_only(folder / "store.db")


def store_in_frozen_folder(folder: Path) -> contextlib.AbstractContextManager[object]:
    (folder / "shelf").mkdir()
    a_store(folder / "shelf")
    a_csv(folder)
    return read_only(folder / "shelf")


def frozen_empty_folder(folder: Path) -> contextlib.AbstractContextManager[object]:
    (folder / "shelf").mkdir()
    return read_only(folder / "shelf")


def users_file(folder: Path) -> contextlib.AbstractContextManager[object]:
    a_foreign_file(folder, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);")
    a_csv(folder)
    return contextlib.nullcontext()


def their_products_file(folder: Path) -> contextlib.AbstractContextManager[object]:
    a_foreign_file(
        folder, "CREATE TABLE products (id INTEGER PRIMARY KEY, title TEXT);"
    )
    return contextlib.nullcontext()


def not_sqlite(folder: Path) -> contextlib.AbstractContextManager[object]:
    (folder / "store.db").write_text("not a database at all " * 100, encoding="utf-8")
    return contextlib.nullcontext()


ADD = ("products", "add", "--sku", "MUG-1", "--name", "Mug", "--price", "8.00")
SQLITE_CASES = [
    ("no such folder: list", nothing, ("--db", "/nonexistent/dir/x.db", "products", "list")),
    ("no such folder: report", nothing, ("--db", "/nonexistent/dir/x.db", "report")),
    ("no such folder: import", nothing, ("--db", "/nonexistent/dir/x.db", "import", "in.csv")),
    ("read-only database: add", frozen_store, ("--db", "store.db", *ADD)),
    ("read-only database: delete", frozen_store, ("--db", "store.db", "products", "delete", "TEA-1")),
    ("read-only database: import", frozen_store, ("--db", "store.db", "import", "in.csv")),
    ("read-only folder: add", store_in_frozen_folder, ("--db", "shelf/store.db", *ADD)),
    ("read-only folder: import", store_in_frozen_folder, ("--db", "shelf/store.db", "import", "in.csv")),
    ("read-only folder: new database", frozen_empty_folder, ("--db", "shelf/new.db", "products", "list")),
    ("another application's file: list", users_file, ("--db", "theirs.db", "products", "list")),
    ("another application's file: import", users_file, ("--db", "theirs.db", "import", "in.csv")),
    ("another application's products table: add", their_products_file, ("--db", "theirs.db", *ADD)),
    ("not a SQLite file: list", not_sqlite, ("products", "list")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("arrange", "command"),
    [pytest.param(arrange, command, id=id_) for id_, arrange, command in SQLITE_CASES],
)
def test_a_sqlite_fault_is_one_clear_line_and_changes_nothing(
    tmp_path, arrange, command
):
    with arrange(tmp_path):
        before = snapshot(tmp_path)
        refused_clearly(store(*command, cwd=tmp_path))
        assert snapshot(tmp_path) == before


def test_import_into_a_read_only_database_blames_the_database_not_the_csv(tmp_path):
    with frozen_store(tmp_path):
        err = refused_clearly(store("import", "in.csv", cwd=tmp_path))
    assert "store.db" in err and "in.csv" not in err


LOCK_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_database_locked_by_another_process_is_one_clear_line(tmp_path):
    path = a_store(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        before = snapshot(tmp_path)
        # Both wait out the busy timeout at the same time.
        waiting = [store("products", "list", cwd=tmp_path), store(*ADD, cwd=tmp_path)]
        for process in waiting:
            refused_clearly(process)
        assert snapshot(tmp_path) == before
    finally:
        holder.communicate(input="", timeout=60)


# PostgreSQL: what the server says, through both drivers.


@pytest.fixture(scope="module")
def empty_database() -> Iterator[str]:
    """A database with no table at all (plain postgresql:// URL)."""
    with pg.scratch_database() as url:
        yield url


def tables(url: str) -> list[str]:
    conn = psycopg2.connect(with_url(url, drivername="postgresql"))
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
            return sorted(name for (name,) in cursor.fetchall())
    finally:
        conn.close()


def with_url(url: str, **parts: Any) -> str:
    return make_url(url).set(**parts).render_as_string(hide_password=False)


POSTGRES_CASES = [
    ("a user that does not exist", {"username": "nobody_here"}),
    ("a database that does not exist", {"database": "no_such_database"}),
    ("a server that is down", {"port": 1}),
    ("a host that does not exist", {"host": "no-such-host.invalid"}),
    ("a driver that does not exist", {"drivername": "postgresql+nope"}),
    ("a driver that is not installed", {"drivername": "postgresql+psycopg"}),
    ("asyncpg: a server that is down", {"drivername": "postgresql+asyncpg", "port": 1}),
    ("asyncpg: a user that does not exist", {"drivername": "postgresql+asyncpg", "username": "nobody_here"}),
]  # fmt: skip


@pytest.mark.postgres
@pytest.mark.parametrize(
    "parts", [pytest.param(parts, id=id_) for id_, parts in POSTGRES_CASES]
)
def test_a_postgresql_fault_is_one_clear_line(tmp_path, empty_database, parts):
    url = with_url(empty_database, **parts)
    refused_clearly(store("--db", url, "products", "list", cwd=tmp_path))
    assert tables(empty_database) == []


@pytest.mark.postgres
@pytest.mark.parametrize("driver", ["postgresql", "postgresql+asyncpg"])
def test_a_database_without_the_schema_is_refused_and_gets_no_table(
    tmp_path, empty_database, driver
):
    url = with_url(empty_database, drivername=driver)
    err = refused_clearly(store("--db", url, *ADD, cwd=tmp_path))
    assert "alembic" in err and "upgrade head" in err
    assert tables(empty_database) == []


@pytest.mark.postgres
def test_a_url_naming_no_database_is_refused_before_connecting(tmp_path):
    refused_clearly(
        store("--db", "postgresql+psycopg2://", "products", "list", cwd=tmp_path)
    )


@pytest.mark.postgres
def test_a_password_is_never_echoed(tmp_path, empty_database):
    url = with_url(empty_database, password="s3cret-Pa55", port=1)
    err = refused_clearly(store("--db", url, "products", "list", cwd=tmp_path))
    assert "s3cret-Pa55" not in err
