"""Step 17: raw input is validated before the write; CHECKs stop what slips by."""

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import InvalidProduct
from app.sqlite.crud import add_product, list_products
from app.sqlite.validation import MAX_NAME, product_from_fields

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
GOOD = {"sku": "TEA-1", "name": "Green tea", "price": "3.50", "category": "tea"}
RAW_INSERT = (
    "INSERT INTO products (sku, name, price_cents, created_at)"
    " VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')"
)


def test_good_fields_become_a_product_trimmed_and_exact():
    fields = {**GOOD, "sku": " TEA-1 ", "name": "  Green tea ", "category": " tea "}
    product = product_from_fields(fields, now=NOW)
    assert product == Product("TEA-1", "Green tea", Decimal("3.50"), "tea", NOW)


def test_optional_fields_may_be_blank_missing_or_given():
    assert product_from_fields({**GOOD, "category": "  "}, now=NOW).category is None
    bare = {"sku": "A-1", "name": "Mug", "price": "7"}
    assert product_from_fields(bare, now=NOW).created_at == NOW
    stamped = {**bare, "created_at": "2026-03-01T09:30:00+02:00"}
    when = product_from_fields(stamped).created_at
    assert when == datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("sku", "", "sku is missing"),
        ("sku", "TEA 1", "sku 'TEA 1'"),
        ("sku", "-TEA", "sku '-TEA'"),
        ("sku", "T" * 65, "sku"),
        ("name", "   ", "name is missing"),
        ("name", None, "name is missing"),
        ("name", "x" * (MAX_NAME + 1), f"at most {MAX_NAME}"),
        ("price", "", "price"),
        ("price", "abc", "price 'abc' is not a number"),
        ("price", "-1.00", "negative"),
        ("price", "1.999", "two decimal places"),
        ("price", "1e9", "more than"),
        ("created_at", "yesterday", "not an ISO 8601 time"),
        ("created_at", "2026-01-01T10:00:00", "no UTC offset"),
    ],
)
def test_each_bad_field_is_named_with_the_fix(field, value, says):
    with pytest.raises(InvalidProduct, match=says):
        product_from_fields({**GOOD, field: value}, now=NOW)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidProduct) as caught:
        product_from_fields({"sku": "a b", "name": "", "price": "x"}, now=NOW)
    message = str(caught.value)
    assert "sku" in message and "name" in message and "price" in message


def test_a_blank_name_is_refused_by_validation_and_then_by_the_database(conn):
    with pytest.raises(InvalidProduct, match="name"):
        product_from_fields({**GOOD, "name": " "}, now=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(RAW_INSERT, ("TEA-1", " ", 350))
    with pytest.raises(InvalidProduct, match="refused"):
        add_product(conn, Product("TEA-1", " ", Decimal("3.50"), None, NOW))
    assert list_products(conn) == []


def test_a_negative_price_is_refused_by_validation_and_then_by_the_database(conn):
    with pytest.raises(InvalidProduct, match="negative"):
        product_from_fields({**GOOD, "price": "-0.01"}, now=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(RAW_INSERT, ("TEA-1", "Green tea", -1))
    assert list_products(conn) == []


def test_a_validated_product_is_stored_as_given(conn):
    add_product(conn, product_from_fields(GOOD, now=NOW))
    assert list_products(conn) == [
        Product("TEA-1", "Green tea", Decimal("3.50"), "tea", NOW)
    ]
