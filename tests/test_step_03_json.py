"""Step 03: the catalog as JSON, with money and times exactly as they were."""

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import CorruptFile
from app.files.json_store import (
    FORMAT,
    VERSION,
    catalog_from_document,
    catalog_to_document,
    dumps_catalog,
    load_catalog_json,
    loads_catalog,
    product_from_dict,
    product_to_dict,
    save_catalog_json,
)

WHEN = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))


def product(**changes):
    fields = dict(
        sku="TEA-1", name="Thé vert", price="0.10", category="tea", created_at=WHEN
    )
    return Product(**{**fields, **changes})


def test_money_is_written_as_a_string_never_a_float():
    data = product_to_dict(product(price="19.90"))
    assert data["price"] == "19.90"
    assert "2026-03-01T09:30:15.123456+02:00" in data.values(), "ISO 8601 time"


def test_a_round_trip_is_exact():
    products = [product(), product(sku="TEA-2", price="1000000.00", category=None)]
    again = loads_catalog(dumps_catalog(products))
    assert again == products
    assert again[0].price == Decimal("0.10")
    assert again[0].created_at.utcoffset() == timedelta(hours=2)


def test_the_document_names_its_format_and_version():
    document = json.loads(dumps_catalog([product()]))
    assert document["format"] == FORMAT
    assert document["version"] == VERSION
    assert len(document["products"]) == 1


def test_the_document_is_plain_data_and_comes_back_whole():
    products = [product(), product(sku="TEA-2", price="7", category=None)]
    document = catalog_to_document(products)
    json.dumps(document)  # strings, numbers, lists and dicts only
    assert catalog_from_document(document) == products


@pytest.mark.parametrize("price", [0.1, 3.5, 1, None, ["1.00"]])
def test_a_price_that_is_not_a_string_is_refused_not_rounded(price):
    data = product_to_dict(product())
    data["price"] = price
    with pytest.raises(CorruptFile):
        product_from_dict(data)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{not json",
        "[]",
        '{"format": "someone-else", "products": []}',
        json.dumps({"format": FORMAT, "version": VERSION, "products": [{"sku": "X"}]}),
    ],
)
def test_anything_but_a_catalog_document_is_a_clear_error(text):
    with pytest.raises(CorruptFile):
        loads_catalog(text)


def test_save_and_load_a_file_keeps_unicode_readable(tmp_path):
    path = tmp_path / "catalog.json"
    save_catalog_json([product()], path)
    assert "Thé vert" in path.read_text(encoding="utf-8")
    assert load_catalog_json(path) == [product()]


def test_a_missing_json_file_is_an_empty_catalog(tmp_path):
    assert load_catalog_json(tmp_path / "none.json") == []


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00garbage",
        b"",
        b'{"format": "persistence-drills/catalog", "products": [',
        b'{"format": "someone-else", "products": []}',
    ],
    ids=["not-utf8", "empty", "truncated", "another-format"],
)
def test_a_bad_file_is_a_clear_error_naming_the_file(tmp_path, content):
    path = tmp_path / "catalog.json"
    path.write_bytes(content)
    with pytest.raises(CorruptFile) as error:
        load_catalog_json(path)
    assert str(path) in str(error.value), "the message names the file"


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "catalog.json"
    save_catalog_json([product()], path)
    before = path.read_bytes()

    def disk_full(*args):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        save_catalog_json([product(sku="TEA-2")], path)
    assert path.read_bytes() == before, "save atomically, with atomic_write_bytes()"
    assert list(tmp_path.iterdir()) == [path]


def test_times_are_compared_as_instants():
    utc = product(created_at=WHEN.astimezone(UTC))
    assert loads_catalog(dumps_catalog([utc]))[0].created_at == WHEN
