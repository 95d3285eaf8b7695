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
    fastest = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert issubclass(yaml_store.SafeLoader, fastest)


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
    path.write_text("store: " + payload.format(marker=marker) + "\n", encoding="utf-8")
    with pytest.raises(UnsafeFile) as error:
        load_store_file(path)
    assert str(error.value).startswith(str(path)), "the message starts with the file"
    assert not marker.exists(), "the payload must never run"


@pytest.mark.parametrize("text", ["!!python/name:os.system", "!!python/tuple [1, 2]"])
def test_python_tags_the_full_loader_still_builds_are_refused(text):
    # yaml.full_load refuses python/object/apply, but builds these two.
    with pytest.raises(UnsafeFile):
        load_yaml(text, source="store.yaml")


def test_an_unknown_tag_is_refused_too():
    with pytest.raises(UnsafeFile) as error:
        load_yaml("price: !decimal 3.50", source="prices.yaml")
    assert str(error.value).startswith("prices.yaml")


@pytest.mark.parametrize(
    "text",
    ["store: [unclosed", "a: b: c", "? [a, b]\n: unhashable key\n", "a: 'open"],
)
def test_broken_yaml_is_a_clear_error_naming_the_source(text):
    with pytest.raises(CorruptFile) as error:
        load_yaml(text, source="store.yaml")
    assert not isinstance(error.value, UnsafeFile), "broken is not malicious"
    assert str(error.value).startswith("store.yaml")


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
            price=Decimal("4.10"),
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
    path.write_text(
        "seed:\n  - {sku: TEA-1, name: Sencha, price: 4.10}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidPrice) as error:
        load_store_file(path)
    assert str(error.value).startswith(str(path)), "the message starts with the file"
    assert "quote it" in str(error.value), "the text asks for these words"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("- just\n- a list\n", None),
        ("shop:\n  name: Tea Room\n", "shop"),
        ("store: [a, b]\n", None),
        ("store:\n  colour: red\n", "colour"),
        ("store:\n  low_stock: few\n", "low_stock"),
        ("store:\n  low_stock: true\n", "low_stock"),
        ("store:\n  low_stock: 2.5\n", "low_stock"),
        ("seed:\n  - {sku: A, name: B, price: '1', weight: 3}\n", "weight"),
        ("seed:\n  - TEA-1\n", None),
        ("seed: 5\n", None),
        ("seed:\n  - {sku: A, price: '1'}\n", None),
        ("seed:\n  - {sku: 7, name: B, price: '1'}\n", None),
    ],
)
def test_a_malformed_store_file_names_the_file_and_the_key(tmp_path, text, key):
    path = tmp_path / "store.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptFile) as error:
        load_store_file(path)
    assert not isinstance(error.value, UnsafeFile), "plain data is not an attack"
    assert str(error.value).startswith(str(path)), "the message starts with the file"
    if key is not None:
        assert key in str(error.value).removeprefix(str(path)), "name the key"


def test_the_catalog_round_trips_through_yaml(tmp_path):
    path = tmp_path / "catalog.yaml"
    products = [
        Product(
            sku="TEA-1", name="Thé vert: «bio»", price=Decimal("0.10"), category="tea"
        ),
        Product(sku="NO", name="yes", price=Decimal("1000000.00")),
    ]
    save_catalog_yaml(products, path)
    text = path.read_text(encoding="utf-8")
    assert "Thé vert" in text, "unicode stays readable"
    assert load_catalog_yaml(path) == products


def test_a_yaml_catalog_with_a_python_tag_is_refused():
    with pytest.raises(UnsafeFile):
        loads_catalog_yaml("!!python/object/apply:os.getcwd []\n")


def test_a_missing_yaml_catalog_is_empty(tmp_path):
    assert load_catalog_yaml(tmp_path / "nothing.yaml") == []


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"!!python/object/apply:os.getcwd []\n", UnsafeFile),
        (b"format: [unclosed\n", CorruptFile),
        (b"- a list\n", CorruptFile),
        (b"\xff\xfe not utf-8", CorruptFile),
    ],
    ids=["python-tag", "broken", "not-a-catalog", "not-utf8"],
)
def test_every_error_of_a_yaml_catalog_names_the_file(tmp_path, content, error):
    path = tmp_path / "catalog.yaml"
    path.write_bytes(content)
    with pytest.raises(CorruptFile) as raised:
        load_catalog_yaml(path)
    assert type(raised.value) is error, "keep the error's kind"
    assert str(path) in str(raised.value), "the message names the file"
