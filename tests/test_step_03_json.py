"""Step 03: the catalog as JSON, with money and times exactly as they were."""

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import CorruptFile
from app.files.json_store import (
    FORMAT,
    VERSION,
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
    products = [product(), product(sku="TEA-2", price="1000000.01", category=None)]
    again = loads_catalog(dumps_catalog(products))
    assert again == products
    assert again[0].price == Decimal("0.10")
    assert again[0].created_at.utcoffset() == timedelta(hours=2)


def test_the_document_names_its_format_and_version():
    document = json.loads(dumps_catalog([product()]))
    assert document["format"] == FORMAT
    assert document["version"] == VERSION
    assert len(document["products"]) == 1


def test_a_float_price_is_refused_not_rounded():
    data = product_to_dict(product())
    data["price"] = 0.1
    with pytest.raises(CorruptFile, match="string"):
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


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CorruptFile, match="catalog.json"):
        load_catalog_json(path)


def test_times_are_compared_as_instants():
    utc = product(created_at=WHEN.astimezone(UTC))
    assert loads_catalog(dumps_catalog([utc]))[0].created_at == WHEN
