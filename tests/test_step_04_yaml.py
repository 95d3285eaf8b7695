"""Step 04: settings, seed data and the catalog in YAML, loaded safely."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from app.domain import Product
from app.errors import CorruptFile, InvalidPrice, UnsafeFile
from app.files import yaml_store
from app.files.yaml_store import (
    Settings,
    load_catalog_yaml,
    load_store_file,
    load_yaml,
    loads_catalog_yaml,
    save_catalog_yaml,
)

SHIPPED = Path(__file__).resolve().parents[1] / "app" / "data" / "store.yaml"


def test_plain_yaml_becomes_plain_python_data():
    text = "name: Corner Shop\nopen: [mon, tue]\nlow_stock: 5\n"
    assert load_yaml(text) == {
        "name": "Corner Shop",
        "open": ["mon", "tue"],
        "low_stock": 5,
    }


def test_load_yaml_uses_the_safe_loader_it_was_given(monkeypatch):
    seen = []

    class Spy(yaml.SafeLoader):
        def __init__(self, stream):
            seen.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(yaml_store, "SafeLoader", Spy)
    assert load_yaml("a: 1") == {"a": 1}
    assert seen, "load_yaml() must parse with yaml_store.SafeLoader"


def test_the_c_loader_is_chosen_when_pyyaml_has_it():
    assert load_yaml("a: [1, 2]") == {"a": [1, 2]}
    assert yaml_store.SafeLoader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system [touch {marker}]",
        "!!python/object/new:os.system [touch {marker}]",
        "!!python/object/apply:subprocess.call [[touch, {marker}]]",
    ],
)
def test_a_python_tag_is_refused_and_nothing_runs(tmp_path, payload):
    marker = tmp_path / "pwned"
    path = tmp_path / "store.yaml"
    path.write_text("store: " + payload.format(marker=marker) + "\n")
    with pytest.raises(UnsafeFile, match="python/object"):
        load_store_file(path)
    assert not marker.exists(), "the payload must never run"


def test_an_unknown_tag_is_refused_too():
    with pytest.raises(UnsafeFile):
        load_yaml("price: !decimal 3.50")


def test_broken_yaml_is_a_clear_error_naming_the_source():
    with pytest.raises(CorruptFile, match=r"store\.yaml: not valid YAML"):
        load_yaml("store: [unclosed", source="store.yaml")


def test_the_store_file_gives_settings_and_seed_products(tmp_path):
    path = tmp_path / "store.yaml"
    path.write_text(
        "store:\n  name: Tea Room\n  low_stock: 2\n"
        'seed:\n  - {sku: TEA-1, name: Sencha, price: "4.10", category: tea}\n',
        encoding="utf-8",
    )
    store = load_store_file(path)
    assert store.settings == Settings(name="Tea Room", currency="EUR", low_stock=2)
    assert store.seed == [
        Product(
            sku="TEA-1",
            name="Sencha",
            price="4.10",
            category="tea",
            created_at=store.seed[0].created_at,
        )
    ]
    assert store.seed[0].price == Decimal("4.10")


def test_the_shipped_store_file_loads():
    store = load_store_file(SHIPPED)
    assert store.settings.name == "Corner Shop"
    assert [p.sku for p in store.seed][:2] == ["TEA-001", "TEA-002"]
    assert all(isinstance(p.price, Decimal) for p in store.seed)


def test_an_empty_store_file_gives_the_defaults(tmp_path):
    path = tmp_path / "store.yaml"
    path.write_text("", encoding="utf-8")
    assert load_store_file(path).settings == Settings()
    assert load_store_file(path).seed == []


def test_an_unquoted_price_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "store.yaml"
    path.write_text("seed:\n  - {sku: TEA-1, name: Sencha, price: 4.10}\n")
    with pytest.raises(InvalidPrice, match="quote it"):
        load_store_file(path)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- just\n- a list\n", "mapping"),
        ("store:\n  colour: red\n", "colour"),
        ("store:\n  low_stock: few\n", "low_stock"),
        ("seed:\n  - {sku: A, name: B, price: '1', weight: 3}\n", "weight"),
        ("seed:\n  - TEA-1\n", "mapping"),
    ],
)
def test_a_malformed_store_file_names_the_problem(tmp_path, text, reason):
    path = tmp_path / "store.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptFile, match=reason):
        load_store_file(path)


def test_the_catalog_round_trips_through_yaml(tmp_path):
    path = tmp_path / "catalog.yaml"
    products = [
        Product(sku="TEA-1", name="Thé vert: «bio»", price="0.10", category="tea"),
        Product(sku="NO", name="yes", price="1000000.01"),
    ]
    save_catalog_yaml(products, path)
    text = path.read_text(encoding="utf-8")
    assert "Thé vert" in text, "unicode stays readable"
    assert load_catalog_yaml(path) == products


def test_a_yaml_catalog_with_a_python_tag_is_refused():
    with pytest.raises(UnsafeFile):
        loads_catalog_yaml("!!python/object/apply:os.getcwd []\n")
