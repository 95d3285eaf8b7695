"""Step 16: search by name or SKU, every character literal, any alphabet's case."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import Product
from app.sqlite.crud import add_product, list_products
from app.sqlite.search import escape_like, search_products

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def add(conn, sku, name):
    add_product(
        conn, Product(sku=sku, name=name, price=Decimal("1.00"), created_at=WHEN)
    )


def skus(products):
    return [p.sku for p in products]


def test_escape_like_escapes_both_wildcards_and_the_escape_character():
    assert escape_like("50%_off\\now") == "50\\%\\_off\\\\now"
    assert escape_like("plain text") == "plain text"


def test_search_matches_name_or_sku_by_substring_ordered_by_sku(conn):
    add(conn, "TEA-002", "Black tea")
    add(conn, "MUG-TEA", "Big mug")
    add(conn, "TEA-001", "Green tea")
    add(conn, "COF-001", "Espresso")
    assert skus(search_products(conn, "tea")) == ["MUG-TEA", "TEA-001", "TEA-002"]
    assert skus(search_products(conn, "PRESS")) == ["COF-001"]
    assert search_products(conn, "nothing like it") == []


@pytest.mark.parametrize("text", ["%", "_", "\\", "%_", "\\%", "5%", "a_b"])
def test_wildcards_match_only_themselves(conn, text):
    add(conn, "PLAIN-1", "a plain 5 ab name")
    add(conn, "ODD-1", f"odd {text} name")
    assert skus(search_products(conn, text)) == ["ODD-1"]


@pytest.mark.parametrize(
    "text",
    ["' OR 1=1 --", "'; DROP TABLE products; --", '" OR ""="', "') OR ('a'='a"],
)
def test_injection_attempts_are_searched_literally(conn, text):
    add(conn, "PLAIN-1", "Plain product")
    add(conn, "ODD-1", f"Odd {text} name")
    assert skus(search_products(conn, text)) == ["ODD-1"]
    assert len(list_products(conn)) == 2


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Café crème", "CAFÉ"),
        ("ÉCLAIR", "éclair"),
        ("Straße-Kaffee", "STRASSE"),
        ("Σοφία tea", "ΣΟΦΊΑ"),
        ("Чай", "чАЙ"),
        ("緑茶 sencha", "緑茶"),
    ],
)
def test_case_is_ignored_in_every_alphabet(conn, name, text):
    add(conn, "PLAIN-1", "Plain product")
    add(conn, "INTL-1", name)
    assert skus(search_products(conn, text)) == ["INTL-1"]


def test_an_empty_search_lists_every_product(conn):
    add(conn, "B-1", "Beta")
    add(conn, "A-1", "Alpha")
    assert skus(search_products(conn, "")) == ["A-1", "B-1"]
