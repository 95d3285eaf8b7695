"""Step 17: raw input is validated before the write; CHECKs stop what slips by."""

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.domain import MAX_NAME, MAX_SKU, Product
from app.errors import InvalidProduct
from app.sqlite.crud import add_product, list_products
from app.sqlite.validation import product_from_fields

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


def test_created_at_defaults_to_this_instant_in_utc():
    before = datetime.now(UTC)
    made = product_from_fields({"sku": "A-1", "name": "Mug", "price": "7"})
    after = datetime.now(UTC)
    assert made.created_at.utcoffset() == timedelta(0)
    assert before <= made.created_at <= after


def refusal(fields):
    """The InvalidProduct that product_from_fields() raises for ``fields``."""
    with pytest.raises(InvalidProduct) as caught:
        product_from_fields(fields, now=NOW)
    return caught.value


def check_reports(error, wrong_fields):
    """``error`` names exactly ``wrong_fields``, each message naming its field,
    and its own message lists every one of them."""
    assert set(error.fields) == set(wrong_fields)
    for field, message in error.fields.items():
        assert field in message
        assert message in str(error)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sku", ""),
        ("sku", "TEA 1"),
        ("sku", "-TEA"),
        ("sku", "TEA-1!"),
        ("sku", "T" * (MAX_SKU + 1)),
        ("name", "   "),
        ("name", None),
        ("name", "x" * (MAX_NAME + 1)),
        ("price", ""),
        ("price", "abc"),
        ("price", "-1.00"),
        ("price", "1.999"),
        ("price", "1e9"),
        ("price", "1000000.01"),
        ("created_at", "yesterday"),
        ("created_at", "2026-01-01T10:00:00"),
    ],
)
def test_each_bad_field_is_named_with_its_own_message(field, value):
    check_reports(refusal({**GOOD, field: value}), [field])


def test_a_missing_key_is_a_missing_field():
    check_reports(refusal({"price": "1.00"}), ["sku", "name"])


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("sku", "T" * MAX_SKU, "T" * MAX_SKU),
        ("sku", "9._-x", "9._-x"),
        ("name", "x" * MAX_NAME, "x" * MAX_NAME),
        ("price", "1000000.00", Decimal("1000000.00")),
        ("price", "0", Decimal("0.00")),
        ("created_at", "2026-01-01T10:00:00Z", datetime(2026, 1, 1, 10, tzinfo=UTC)),
    ],
)
def test_values_at_the_limits_are_accepted(field, value, expected):
    product = product_from_fields({**GOOD, field: value}, now=NOW)
    assert getattr(product, field) == expected


def test_every_problem_is_reported_at_once():
    error = refusal(
        {"sku": "a b", "name": "", "price": "x", "created_at": "2026-13-01"}
    )
    check_reports(error, ["sku", "name", "price", "created_at"])
    naive = {**GOOD, "sku": "a b", "created_at": "2026-01-01T10:00:00"}
    check_reports(refusal(naive), ["sku", "created_at"])


def test_a_blank_name_is_refused_by_validation_and_then_by_the_database(conn):
    check_reports(refusal({**GOOD, "name": " "}), ["name"])
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(RAW_INSERT, ("TEA-1", " ", 350))
    assert caught.value.sqlite_errorname == "SQLITE_CONSTRAINT_CHECK"
    with pytest.raises(InvalidProduct):  # and a Product cannot hold one either
        Product("TEA-1", " ", Decimal("3.50"), None, NOW)
    assert list_products(conn) == []


def test_a_negative_price_is_refused_by_validation_and_then_by_the_database(conn):
    check_reports(refusal({**GOOD, "price": "-0.01"}), ["price"])
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(RAW_INSERT, ("TEA-1", "Green tea", -1))
    assert caught.value.sqlite_errorname == "SQLITE_CONSTRAINT_CHECK"
    assert list_products(conn) == []


def test_a_validated_product_is_stored_as_given(conn):
    add_product(conn, product_from_fields(GOOD, now=NOW))
    assert list_products(conn) == [
        Product("TEA-1", "Green tea", Decimal("3.50"), "tea", NOW)
    ]
