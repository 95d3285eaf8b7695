"""Step 00: a Product keeps the store's product rules, however it is built or changed."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import (
    MAX_PRICE,
    MAX_SEARCH,
    Product,
    is_whole_number,
    search_key,
)
from app.errors import InvalidPrice, InvalidProduct, InvalidSearch

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(**changes):
    fields = {"sku": "TEA-1", "name": "Green tea", "price": "3.50", "created_at": WHEN}
    return Product(**{**fields, **changes})


def test_text_fields_lose_their_surrounding_spaces():
    product = make(sku=" TEA-1 ", name="\tGreen tea ", category=" tea ")
    assert (product.sku, product.name, product.category) == (
        "TEA-1",
        "Green tea",
        "tea",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sku", 5),
        ("sku", None),
        ("sku", "-TEA"),
        ("name", None),
        ("name", "tea\x00"),
        ("category", ""),
        ("created_at", datetime(2026, 1, 2, 3, 4, 5)),
        ("created_at", "2026-01-02T03:04:05+00:00"),
    ],
)
def test_a_field_that_breaks_the_rules_is_named(field, value):
    with pytest.raises(InvalidProduct) as caught:
        make(**{field: value})
    assert list(caught.value.fields) == [field]


def test_a_price_above_the_ceiling_is_refused_and_the_ceiling_itself_is_fine():
    assert make(price=MAX_PRICE).price == MAX_PRICE
    with pytest.raises(InvalidPrice):
        make(price=MAX_PRICE + Decimal("0.01"))


def test_a_change_is_checked_like_a_new_product():
    product = make()
    product.price = "4"
    assert product.price == Decimal("4.00")
    with pytest.raises(InvalidProduct):
        product.name = "  "
    assert product == make(price="4")


@pytest.mark.parametrize(
    ("value", "minimum", "whole"),
    [(0, 0, True), (3, 1, True), (0, 1, False), (True, 0, False), (2.0, 0, False)],
)
def test_is_whole_number_takes_ints_only(value, minimum, whole):
    assert is_whole_number(value, minimum) is whole


def test_search_key_casefolds_and_refuses_a_text_too_long():
    assert search_key("STRAẞE Thé") == "strasse thé"
    assert len(search_key("x" * MAX_SEARCH)) == MAX_SEARCH
    with pytest.raises(InvalidSearch):
        search_key("x" * (MAX_SEARCH + 1))
