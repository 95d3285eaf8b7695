"""The `store` command under bad files: one clear line, exit code 2, nothing changed.

Maintainer-only (excluded from the steps, see workshop/manifest.toml): the
finished store, run as a user runs it, on catalog files (pickle, JSON,
YAML) and CSV files that are broken, hostile or merely surprising. Each case
runs in its own process (a crash must not take the table down with it),
all of them at once in a few threads, then each is checked on its own.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain import Product
from app.files.json_store import catalog_to_document, save_catalog_json
from app.files.pickle_store import save_catalog
from app.files.yaml_store import save_catalog_yaml
from app.sqlite.db import connect, create_schema

ROOT = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
ADD = ["products", "add", "--sku", "NEW-1", "--name", "New", "--price", "1.00"]


@dataclass
class Case:
    """A bad file, written by ``write(folder)``, which returns the file that
    must stay as it was and the `store` arguments to run on it."""

    write: Callable[[Path], tuple[Path, list[str]]]
    id: str


def good(sku: str = "TEA-1") -> Product:
    return Product(sku, "Green tea", Decimal("3.50"), "tea", WHEN)


def json_catalog(**changes: object) -> Callable[[Path], tuple[Path, list[str]]]:
    """A JSON catalog whose one product has ``changes``, then `products add`."""

    def write(folder: Path) -> tuple[Path, list[str]]:
        document = catalog_to_document([good()])
        document["products"][0].update(changes)
        path = folder / "catalog.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path, ["--db", str(path), *ADD]

    return write


def raw(name: str, data: bytes | str, *args: str) -> Callable:
    """A file holding exactly ``data``; `products add` on it, or ``args``."""

    def write(folder: Path) -> tuple[Path, list[str]]:
        path = folder / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path, list(args) if args else ["--db", str(path), *ADD]

    return write


def document_text(products: str = "[]", extra: str = "") -> str:
    head = '{"format": "persistence-drills/catalog", "version": 3, "currency": "EUR"'
    return f'{head}, "products": {products}{extra}}}'


def forged(**fields: object) -> Callable:
    """A pickle of a Product built without __init__, carrying ``fields``
    (a field given as None is left out)."""
    product = Product.__new__(Product)
    state = {**vars(good()), **fields}
    product.__dict__.update({k: v for k, v in state.items() if v is not None})
    return raw("catalog.pkl", pickle.dumps([product], protocol=5))


class Exploit:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def read_only(name: str, save: Callable) -> Callable:
    def write(folder: Path) -> tuple[Path, list[str]]:
        path = folder / name
        save([good()], path)
        path.chmod(0o444)
        return path, ["--db", str(path), *ADD]

    return write


def truncated(name: str, save: Callable, keep: int) -> Callable:
    def write(folder: Path) -> tuple[Path, list[str]]:
        path = folder / name
        save([good(f"S{i}") for i in range(20)], path)
        path.write_bytes(path.read_bytes()[:keep])
        return path, ["--db", str(path), *ADD]

    return write


def csv_import(data: bytes) -> Callable:
    """`store import` of a CSV holding ``data`` into an existing store.db."""

    def write(folder: Path) -> tuple[Path, list[str]]:
        db = folder / "store.db"
        conn = connect(db)
        create_schema(conn)
        conn.close()
        (folder / "feed.csv").write_bytes(data)
        return db, ["--db", str(db), "import", str(folder / "feed.csv")]

    return write


def csv_export(target: str) -> Callable:
    def write(folder: Path) -> tuple[Path, list[str]]:
        db = folder / "store.db"
        conn = connect(db)
        create_schema(conn)
        conn.close()
        (folder / "a-folder.csv").mkdir()
        return db, ["--db", str(db), "export", str(folder / target)]

    return write


def csv_export_read_only(folder: Path) -> tuple[Path, list[str]]:
    """An earlier export someone made read-only: `export` must not replace it."""
    db = folder / "store.db"
    conn = connect(db)
    create_schema(conn)
    conn.close()
    target = folder / "catalog.csv"
    target.write_bytes(b"sku,name,price\nOLD-1,Kept,1.00\n")
    target.chmod(0o444)
    return target, ["--db", str(db), "export", str(target)]


HEADER = b"sku,name,price\n"
CASES = [
    # JSON: values of the wrong kind, which must never be written back.
    Case(json_catalog(price="abc"), "json-price-abc"),
    Case(json_catalog(price="1e999999"), "json-price-1e999999"),
    Case(json_catalog(price="1" * 41), "json-price-41-digits"),
    Case(json_catalog(price="-5.00"), "json-price-negative"),
    Case(json_catalog(price="NaN"), "json-price-NaN"),
    Case(json_catalog(price=3.5), "json-price-a-number"),
    Case(json_catalog(sku=5), "json-sku-5"),
    Case(json_catalog(sku=None), "json-sku-null"),
    Case(json_catalog(sku=["TEA-1"]), "json-sku-a-list"),
    Case(json_catalog(name=5), "json-name-5"),
    Case(json_catalog(name=None), "json-name-null"),
    Case(json_catalog(added_at="yesterday"), "json-added_at-not-a-time"),
    Case(json_catalog(note="keep me"), "json-unknown-product-key"),
    Case(raw("catalog.json", document_text(extra=', "stock": {}')), "json-unknown-key"),
    Case(
        raw("catalog.json", document_text(extra=', "products": []')),
        "json-products-twice",
    ),
    Case(raw("catalog.json", document_text('"TEA-1"')), "json-products-not-a-list"),
    Case(raw("catalog.json", document_text('["TEA-1"]')), "json-product-a-string"),
    Case(raw("catalog.json", "[" * 100_000 + "]" * 100_000), "json-nested-100000"),
    Case(raw("catalog.json", '{"version": ' + "9" * 5000 + "}"), "json-5000-digits"),
    Case(raw("catalog.json", b'{"caf\xe9": 1}'), "json-not-utf8"),
    Case(raw("catalog.json", b""), "json-empty"),
    Case(truncated("catalog.json", save_catalog_json, 300), "json-truncated"),
    Case(
        raw("catalog.json", document_text().replace('"version": 3', '"version": 99')),
        "json-future-version",
    ),
    Case(
        raw("catalog.json", document_text().replace('"EUR"', '"USD"')),
        "json-other-currency",
    ),
    Case(read_only("catalog.json", save_catalog_json), "json-read-only"),
    # YAML: the same document, and YAML's own traps.
    Case(raw("catalog.yaml", "[" * 50_000 + "]" * 50_000), "yaml-nested-50000"),
    Case(
        raw("catalog.yaml", "- " * 30_000 + "x\n"),
        "yaml-block-nested-30000",
    ),
    Case(
        raw(
            "catalog.yaml",
            "format: persistence-drills/catalog\nversion: 3\ncurrency: EUR\n"
            "products: []\nproducts: []\n",
        ),
        "yaml-products-twice",
    ),
    Case(
        raw("catalog.yaml", "!!python/object/apply:os.system [touch pwned]\n"),
        "yaml-python-tag",
    ),
    Case(raw("catalog.yaml", "format: [unclosed\n"), "yaml-bad-syntax"),
    Case(
        raw("catalog.yaml", "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b]\n"),
        "yaml-aliases",
    ),
    Case(read_only("catalog.yaml", save_catalog_yaml), "yaml-read-only"),
    # Pickle: objects that Product() would refuse, and worse.
    Case(forged(price=Decimal("-5")), "pickle-price-negative"),
    Case(forged(price=Decimal("NaN")), "pickle-price-NaN"),
    Case(forged(name=5), "pickle-name-5"),
    Case(forged(sku=["TEA-1"]), "pickle-sku-a-list"),
    Case(forged(created_at=None), "pickle-no-created_at"),
    Case(raw("catalog.pkl", pickle.dumps([Exploit()])), "pickle-malicious"),
    Case(truncated("catalog.pkl", save_catalog, -40), "pickle-truncated"),
    Case(read_only("catalog.pkl", save_catalog), "pickle-read-only"),
    # CSV import and export, into and out of a SQLite store.
    Case(
        csv_import(HEADER + b"A-1," + b"x" * 10_000_000 + b",1.00\n"), "csv-10MB-cell"
    ),
    Case(csv_import(b"sku,name,price\rA-1,Mug,2.00\rA-2,Cup,3.00\r"), "csv-CR-only"),
    Case(csv_import(HEADER + b"A-1,Mug,2.00\rA-2,Cup,3.00\n"), "csv-lone-CR"),
    Case(csv_import(HEADER + b"A-1,Mug,1e30\n"), "csv-price-1e30"),
    Case(csv_import(b"sku,name,price,price\nA-1,Mug,2.00,3.00\n"), "csv-price-twice"),
    Case(csv_import(HEADER + b"A-1,Caf\xe9,2.00\n"), "csv-not-utf8"),
    Case(csv_import(b"sku;name;price\nA-1;Mug;2.00\n"), "csv-semicolons"),
    Case(csv_export("a-folder.csv"), "export-onto-a-folder"),
    Case(csv_export("missing/out.csv"), "export-into-a-missing-folder"),
    Case(csv_export_read_only, "export-onto-a-read-only-file"),
]


@dataclass
class Run:
    path: Path
    before: bytes
    mode: int
    folder_before: list[str]
    result: subprocess.CompletedProcess[str]


def run_case(case: Case, folder: Path) -> Run:
    folder.mkdir()
    path, args = case.write(folder)
    before, mode = path.read_bytes(), path.stat().st_mode
    listed = sorted(p.name for p in folder.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        encoding="utf-8",
    )
    return Run(path, before, mode, listed, result)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every case, run at once: a subprocess each, a few at a time."""
    base = tmp_path_factory.mktemp("bad-files")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {c.id: pool.submit(run_case, c, base / c.id) for c in CASES}
    return {name: future.result() for name, future in futures.items()}


def test_the_table_is_large_enough():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_file_is_one_clear_line_and_nothing_changes(runs, case):
    run = runs[case.id]
    err = run.result.stderr
    assert run.result.returncode == 2, f"exit {run.result.returncode}:\n{err[-2000:]}"
    assert "Traceback" not in err
    assert err.startswith("store: error: ") and len(err.splitlines()) <= 3, err
    assert run.path.read_bytes() == run.before, "the store's file is unchanged"
    assert run.path.stat().st_mode == run.mode, "and so is its mode"
    after = sorted(p.name for p in run.path.parent.iterdir())
    lock = f".{run.path.name}.lock"
    assert [n for n in after if n != lock] == run.folder_before, "nothing was left"


# The other JSON files the store reads back (the graph, a cart session,
# customers and their orders) refuse the same hostile documents as the
# catalog: CorruptFile naming the problem, never a RecursionError, a
# ValueError or a silently dropped duplicate key.
HOSTILE_JSON = {
    "key-twice": '{"format": "a", "format": "b"}',
    "nested-too-deep": "[" * 200_000 + "]" * 200_000,
    "number-too-long": "[" + "9" * 5_000 + "]",
    "not-json": "{nope",
    "not-utf8": b"\xff\xfe{}",
}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("content", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_json_is_a_corrupt_graph(tmp_path, content):
    from app.errors import CorruptFile
    from app.files.graph_json import load_graph

    path = _write(tmp_path / "graph.json", content)
    with pytest.raises(CorruptFile):
        load_graph(path)


@pytest.mark.parametrize("content", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_json_is_a_corrupt_cart_session(tmp_path, content):
    from app.errors import CorruptFile
    from app.files.session_store import resume_session, session_path

    path = _write(session_path(tmp_path, "s1"), content)
    before = path.read_bytes()
    with pytest.raises(CorruptFile) as caught:
        resume_session(tmp_path, "s1", "ada")
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_hostile_json_is_a_corrupt_customers_file(tmp_path, content):
    from app.errors import CorruptFile
    from app.files.orders_store import load_customers_json

    path = _write(tmp_path / "customers.json", content)
    with pytest.raises(CorruptFile) as caught:
        load_customers_json(path)
    assert str(path) in str(caught.value)


def test_an_export_over_an_earlier_one_keeps_its_permissions(tmp_path):
    from app.sqlite.commands import export_csv

    conn = connect(tmp_path / "store.db")
    create_schema(conn)
    target = tmp_path / "catalog.csv"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    export_csv(conn, target)
    conn.close()
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_bytes().startswith(b"sku,")
