"""Step 08: old catalog files are upgraded step by step; newer ones are refused."""

import copy
import json
import shutil
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from app.cli import main
from app.domain import Product
from app.errors import CorruptFile, UnsupportedFormatVersion
from app.files import versions
from app.files.json_store import (
    VERSION,
    catalog_from_document,
    catalog_to_document,
    load_catalog_json,
)
from app.files.repository import FileProductRepository
from app.files.versions import CURRENT, upgrade, v1_to_v2, v2_to_v3
from app.files.yaml_store import load_catalog_yaml

DATA = Path(__file__).resolve().parent / "data"
PLUS_TWO = timezone(timedelta(hours=2))
EXPECTED = [
    Product(
        "COF-001",
        "Espresso beans",
        Decimal("12.90"),
        "coffee",
        datetime(2025, 9, 14, 8, 15, tzinfo=PLUS_TWO),
    ),
    Product(
        "TEA-001",
        "Green tea",
        Decimal("3.20"),
        "tea",
        datetime(2025, 9, 14, 8, 16, 30, 500000, tzinfo=PLUS_TWO),
    ),
]


def document(version):
    return json.loads((DATA / f"catalog-v{version}.json").read_text(encoding="utf-8"))


def test_a_current_document_needs_no_upgrade():
    assert CURRENT == VERSION == 3
    written = catalog_to_document(EXPECTED)
    assert (written["version"], written["currency"]) == (3, "EUR")
    assert "added_at" in written["products"][0]
    assert upgrade(copy.deepcopy(written)) == written


def test_each_upgrade_is_one_small_step():
    v2 = v1_to_v2(document(1))
    assert v2 == document(2)
    v3 = v2_to_v3(v2)
    assert v3["version"] == 3
    assert v3["products"][1]["added_at"] == "2025-09-14T08:16:30.500000+02:00"
    assert "created_at" not in v3["products"][1]


def test_an_upgrade_never_changes_its_input():
    old = document(1)
    kept = copy.deepcopy(old)
    upgrade(old)
    v1_to_v2(old)
    assert old == kept
    middle = document(2)
    v2_to_v3(middle)
    assert middle == document(2)


def test_upgrade_walks_the_chain_in_order(monkeypatch):
    calls = []
    for version, step in list(versions.UPGRADES.items()):

        def spy(doc, step=step, version=version):
            calls.append(version)
            return step(doc)

        monkeypatch.setitem(versions.UPGRADES, version, spy)
    assert upgrade(document(1)) == catalog_to_document(EXPECTED)
    assert calls == [1, 2]
    calls.clear()
    upgrade(document(2))
    assert calls == [2]


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_json_file_loads_as_todays_products(version):
    assert load_catalog_json(DATA / f"catalog-v{version}.json") == EXPECTED


def test_an_old_yaml_file_loads_too(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(document(1)), encoding="utf-8")
    assert load_catalog_yaml(path) == EXPECTED


def test_opening_an_old_file_rewrites_nothing_until_the_next_change(tmp_path):
    path = tmp_path / "catalog.json"
    shutil.copy(DATA / "catalog-v1.json", path)
    before = path.read_bytes()
    repository = FileProductRepository(path)
    assert repository.list() == EXPECTED
    assert path.read_bytes() == before, "reading never writes"
    repository.add(Product("MUG-001", "Big mug", Decimal("7.00")))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 3
    assert [p["sku"] for p in saved["products"]] == ["COF-001", "MUG-001", "TEA-001"]


@pytest.mark.parametrize("future", [4, 17])
def test_a_newer_file_is_refused_saying_both_versions(tmp_path, future):
    path = tmp_path / "catalog.json"
    newer = {**document(2), "version": future, "stock": {}}
    path.write_text(json.dumps(newer), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(UnsupportedFormatVersion) as error:
        FileProductRepository(path)
    assert (error.value.found, error.value.known) == (future, 3)
    message = str(error.value)
    assert f"format version {future}" in message and "versions 1 to 3" in message
    assert message.startswith(f"{path}: "), "load_catalog_json() names the file"
    assert path.read_bytes() == before


def test_the_store_command_reports_a_newer_file(tmp_path, capsys):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({**document(2), "version": 4}), encoding="utf-8")
    assert main(["--db", str(path), "products", "list"]) == 2
    assert "format version 4" in capsys.readouterr().err


@pytest.mark.parametrize("version", ["2", 2.0, True, 0, -1, None])
def test_a_version_that_is_not_a_version_number_is_corrupt(version):
    old = {**document(1), "version": version}
    with pytest.raises(CorruptFile) as error:
        upgrade(old)
    assert not isinstance(error.value, UnsupportedFormatVersion)


def test_a_version_2_product_without_created_at_is_corrupt():
    broken = document(2)
    del broken["products"][1]["created_at"]
    kept = copy.deepcopy(broken)
    with pytest.raises(CorruptFile):
        v2_to_v3(broken)
    assert broken == kept


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "catalog.json"
    broken = document(2)
    del broken["products"][1]["created_at"]
    path.write_text(json.dumps(broken), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(CorruptFile):
        FileProductRepository(path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_an_old_file_in_another_currency_is_refused():
    dollars = {**document(2), "currency": "USD"}
    with pytest.raises(CorruptFile) as error:
        catalog_from_document(dollars)
    assert not isinstance(error.value, UnsupportedFormatVersion)


def test_upgraded_prices_stay_exact():
    products = load_catalog_json(DATA / "catalog-v1.json")
    assert sum(p.price for p in products) == Decimal("16.10")
