"""Step 22: the `store` command on its embedded SQLite database, end to end."""

import shlex

import pytest

from app import backends
from app.cli import main
from app.domain import MAX_CATEGORY, MAX_NAME, MAX_PRICE, MAX_SKU
from app.sqlite.crud import list_products
from app.sqlite.db import connect

HEADER = "sku,name,price,category,created_at\n"


@pytest.fixture
def store(capsys, tmp_path, monkeypatch):
    """Run a `store` command line in an empty folder; (exit code, out, err)."""
    monkeypatch.chdir(tmp_path)

    def run(command_line: str) -> tuple[int, str, str]:
        code = main(shlex.split(command_line))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_default_store_is_an_embedded_sqlite_file(store, tmp_path):
    assert backends.DEFAULT_TARGET == "store.db"
    assert store("products add --sku TEA-1 --name 'Green tea' --price 3.50")[0] == 0
    assert (tmp_path / "store.db").read_bytes().startswith(b"SQLite format 3\0")
    assert "TEA-1" in store("products list")[1]
    assert store("--db sqlite:///store.db products search green")[1].count("TEA-1") == 1


def test_import_then_report_then_export_round_trips(store, tmp_path):
    (tmp_path / "in.csv").write_text(
        HEADER
        + "TEA-1,Green tea,3.50,tea,2026-03-01T09:30:00+00:00\n"
        + "TEA-2,Black tea,4.25,tea,2026-03-01T09:30:00+00:00\n"
        + "MUG-1,Mug,9.99,,2026-03-01T09:30:00+00:00\n",
        encoding="utf-8",
    )
    assert store("import in.csv") == (0, "imported 3 products\n", "")
    code, out, _ = store("report")
    assert code == 0
    tea = next(line for line in out.splitlines() if line.startswith("tea"))
    assert tea.split()[1:3] == ["2", "3.88"], "count and exact average (3.875 -> 3.88)"
    assert store("export out.csv")[0] == 0
    exported = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert len(exported) == 4 and "TEA-2" in exported[3] and "4.25" in exported[3]


def test_a_bad_row_is_named_and_nothing_is_imported(store, tmp_path):
    (tmp_path / "bad.csv").write_text(
        HEADER
        + "TEA-1,Green tea,3.50,tea,2026-03-01T09:30:00+00:00\n"
        + "TEA-2,Black tea,cheap,tea,2026-03-01T09:30:00+00:00\n",
        encoding="utf-8",
    )
    code, _, err = store("import bad.csv")
    assert code == 2
    assert "bad.csv" in err and "line 3" in err
    assert store("products list")[1] == "no products\n"


def test_whole_table_commands_need_a_sqlite_database(store):
    code, _, err = store("--db catalog.json report")
    assert code == 2 and "works on a SQLite database" in err


def test_a_file_that_is_not_sqlite_is_a_clear_error(store, tmp_path):
    (tmp_path / "fake.db").write_text("not a database at all " * 100, encoding="utf-8")
    code, _, err = store("--db fake.db report")
    assert code == 2 and "store: error:" in err


ODD_BUT_VALID = [
    ("S" * MAX_SKU, "n" * MAX_NAME, str(MAX_PRICE), "c" * MAX_CATEGORY),
    ("TEA-1", '  Thé "vert", 緑茶 ', "0", "tea"),
    ("9._-x", "Straße\nsecond line", "0.10", ""),
]


def test_what_add_accepts_survives_export_then_import_into_a_fresh_store(
    store, tmp_path
):
    for sku, name, price, category in ODD_BUT_VALID:
        line = f"products add --sku {sku} --name {shlex.quote(name)} --price {price}"
        assert store(line + (f" --category {category}" if category else ""))[0] == 0
    assert store("export out.csv")[0] == 0
    assert store("--db fresh.db import out.csv") == (0, "imported 3 products\n", "")
    assert products_in(tmp_path / "fresh.db") == products_in(tmp_path / "store.db")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("sku", "S" * (MAX_SKU + 1)),
        ("sku", "TEA 1"),
        ("name", " "),
        ("name", "n" * (MAX_NAME + 1)),
        ("price", "1000000.01"),
        ("price", "1.999"),
        ("category", "c" * (MAX_CATEGORY + 1)),
    ],
)
def test_add_and_import_refuse_the_same_products(store, tmp_path, column, value):
    fields = {"sku": "TEA-1", "name": "Tea", "price": "1.00", "category": "tea"}
    fields[column] = value
    options = " ".join(f"--{key} {shlex.quote(text)}" for key, text in fields.items())
    code, _, err = store(f"products add {options}")
    assert (code, err.count("\n")) == (2, 1)
    row = ",".join(f'"{text}"' for text in fields.values())
    (tmp_path / "one.csv").write_text(f"{HEADER}{row},\n", encoding="utf-8")
    code, _, err = store("import one.csv")
    assert (code, err.count("\n")) == (2, 1)
    assert store("products list")[1] == "no products\n"


def test_a_search_text_too_long_is_one_line_exit_2(store):
    store("products add --sku TEA-1 --name 'Green tea' --price 3.50")
    code, out, err = store(f"products search {'x' * 50_001}")
    assert (code, out) == (2, "")
    assert err.startswith("store: error: ") and err.count("\n") == 1


def products_in(path):
    conn = connect(path)
    try:
        return list_products(conn)
    finally:
        conn.close()
