"""Step 04: the `store` command adds, lists and searches a file store."""

import json
import os  # since 30
import shlex
import subprocess  # since 30
import sys  # since 30
from pathlib import Path  # since 30

import pytest

from app import backends
from app.cli import main
from app.files.repository import lock_path


@pytest.fixture
def store(capsys):
    """Run a `store` command line; return (exit code, stdout, stderr)."""

    def run(command_line: str) -> tuple[int, str, str]:
        code = main(shlex.split(command_line))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_add_then_list_shows_an_aligned_table(tmp_path, store):
    db = tmp_path / "catalog.json"
    assert (
        store(f"--db {db} products add --sku TEA-1 --name 'Green tea' --price 3.50")[0]
        == 0
    )
    assert (
        store(f"--db {db} products add --sku COF-10 --name Espresso --price 12.9")[0]
        == 0
    )
    code, out, err = store(f"--db {db} products list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["SKU", "NAME", "PRICE", "CATEGORY"]
    assert lines[1].split() == ["COF-10", "Espresso", "12.90", "-"]
    assert lines[2].split() == ["TEA-1", "Green", "tea", "3.50", "-"]
    ends = {
        line.index(p) + len(p)
        for line, p in zip(lines, ["PRICE", "12.90", "3.50"], strict=True)
    }
    assert len(ends) == 1, "prices are right-aligned in one column"


def test_search_finds_by_name_or_sku_ignoring_case(tmp_path, store):
    db = tmp_path / "catalog.yaml"
    for sku, name in [
        ("TEA-1", "Green tea"),
        ("COF-1", "Espresso"),
        ("MUG-1", "Teacup"),
    ]:
        store(f"--db {db} products add --sku {sku} --name '{name}' --price 1")
    code, out, _ = store(f"--db {db} products search tea")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["MUG-1", "TEA-1"]
    assert store(f"--db {db} products search nothing")[1] == "no products\n"


def test_without_db_the_default_file_in_the_current_folder_is_used(
    tmp_path, store, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert store("products add --sku A-1 --name A --price 1")[0] == 0
    assert (tmp_path / backends.DEFAULT_TARGET).exists()
    assert "A-1" in store("products list")[1]


def test_delete_removes_a_product(tmp_path, store):
    db = tmp_path / "catalog.pkl"
    store(f"--db {db} products add --sku A-1 --name A --price 1")
    assert store(f"--db {db} products delete A-1") == (0, "deleted A-1\n", "")
    assert store(f"--db {db} products list")[1] == "no products\n"


def test_a_duplicate_sku_exits_2_with_a_clear_message(tmp_path, store):
    db = tmp_path / "catalog.json"
    store(f"--db {db} products add --sku TEA-1 --name 'Green tea' --price 1")
    code, _, err = store(
        f"--db {db} products add --sku TEA-1 --name Impostor --price 1"
    )
    assert code == 2
    assert err.startswith("store: error: ") and "TEA-1" in err, "name the SKU"
    assert (
        json.loads(db.read_text(encoding="utf-8"))["products"][0]["name"] == "Green tea"
    )


@pytest.mark.parametrize("price", ["3.505", "cheap", "-1"])
def test_a_bad_price_exits_2_and_adds_nothing(tmp_path, store, price):
    db = tmp_path / "catalog.json"
    code, _, err = store(f"--db {db} products add --sku A --name A --price={price}")
    assert code == 2
    assert err.startswith("store: error: ") and price in err, "show the price"
    assert not db.exists()


def test_a_corrupt_file_exits_2_naming_it_and_keeps_it(tmp_path, store):
    db = tmp_path / "catalog.json"
    db.write_text(
        '{"format": "persistence-drills/catalog", "products": [', encoding="utf-8"
    )
    code, out, err = store(f"--db {db} products list")
    assert (code, out) == (2, "")
    assert err.startswith("store: error: ") and str(db) in err, "name the file"
    assert db.read_text(encoding="utf-8").endswith('"products": [')


def test_an_unknown_kind_of_store_exits_2_and_touches_no_store(tmp_path, store):
    db = tmp_path / "catalog.json"
    store(f"--db {db} products add --sku A-1 --name A --price 1")
    code, _, err = store(f"--db {tmp_path / 'catalog.txt'} products list")
    assert code == 2
    assert err.startswith("store: error: ") and "catalog.txt" in err
    assert sorted(tmp_path.iterdir()) == sorted([db, lock_path(db)])


def test_a_usage_error_exits_2_and_changes_nothing(tmp_path, store, capsys):
    db = tmp_path / "catalog.json"
    store(f"--db {db} products add --sku A-1 --name A --price 1")
    with pytest.raises(SystemExit) as exit_:
        store(f"--db {db} products add --sku A-2")
    assert exit_.value.code == 2
    assert "--name" in capsys.readouterr().err
    assert "A-2" not in store(f"--db {db} products list")[1]


# >>> since 30
LOADED_AFTER = """
import sys
from app.cli import main
main(sys.argv[1:])
print(sorted({name.split(".")[0] for name in sys.modules}))
"""


@pytest.mark.parametrize("target", ["catalog.json", "store.db"])
def test_a_file_or_sqlite_store_never_imports_sqlalchemy(tmp_path, target):
    # Importing SQLAlchemy takes several times as long as the command itself.
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER, "--db", target, "products", "list"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    assert "no products" in run.stdout
    assert "'sqlalchemy'" not in run.stdout.splitlines()[-1]


# <<<
