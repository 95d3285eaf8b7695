"""The repository contract: the same behaviour from every storage backend."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import (
    MAX_CATEGORY,
    MAX_NAME,
    MAX_PRICE,
    MAX_SEARCH,
    MAX_SKU,
    Product,
)
from app.errors import DuplicateSku, InvalidProduct, InvalidSearch, ProductNotFound
from tests.contract.backends import BACKENDS

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
LATER = datetime(2027, 6, 7, 8, 9, 10, 111213, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def repo(request, tmp_path):
    repository = request.param(tmp_path)
    yield repository
    repository.close()


def make(sku="TEA-001", name="Green tea", price="3.50", category="tea"):
    return Product(sku=sku, name=name, price=price, category=category, created_at=WHEN)


def test_an_added_product_can_be_read_back_exactly(repo):
    repo.add(make(price="1234.56"))
    again = repo.get("TEA-001")
    assert again == make(price="1234.56")
    assert again.price == Decimal("1234.56")
    assert again.created_at == WHEN


def test_a_new_repository_is_empty(repo):
    assert repo.list() == []


def test_a_duplicate_sku_is_refused_and_the_first_product_kept(repo):
    repo.add(make())
    with pytest.raises(DuplicateSku):
        repo.add(make(name="Impostor"))
    assert repo.get("TEA-001").name == "Green tea"
    assert len(repo.list()) == 1


def test_get_of_an_unknown_sku_raises_product_not_found(repo):
    with pytest.raises(ProductNotFound):
        repo.get("NOPE")


def test_get_matches_the_sku_exactly_case_included(repo):
    repo.add(make())
    with pytest.raises(ProductNotFound):
        repo.get("tea-001")
    assert repo.get("TEA-001") == make()


def test_list_is_ordered_by_sku(repo):
    for sku in ["C-3", "A-1", "B-2"]:
        repo.add(make(sku=sku))
    assert [p.sku for p in repo.list()] == ["A-1", "B-2", "C-3"]


def test_update_replaces_the_stored_product_created_at_included(repo):
    repo.add(make())
    changed = make(name="Sencha", price="4.10", category=None)
    changed.created_at = LATER
    repo.update(changed)
    assert repo.get("TEA-001") == changed


def test_update_of_an_unknown_sku_raises_and_adds_nothing(repo):
    with pytest.raises(ProductNotFound):
        repo.update(make())
    assert repo.list() == []


def test_delete_removes_the_product(repo):
    repo.add(make())
    repo.add(make(sku="TEA-002"))
    repo.delete("TEA-001")
    assert [p.sku for p in repo.list()] == ["TEA-002"]
    with pytest.raises(ProductNotFound):
        repo.delete("TEA-001")


def test_search_matches_name_or_sku_ignoring_case(repo):
    repo.add(make(sku="TEA-001", name="Green tea"))
    repo.add(make(sku="COF-001", name="Espresso beans"))
    repo.add(make(sku="MUG-TEA", name="Big mug"))
    assert [p.sku for p in repo.search("TEA")] == ["MUG-TEA", "TEA-001"]
    assert [p.sku for p in repo.search("espresso")] == ["COF-001"]
    assert repo.search("nothing like it") == []


@pytest.mark.parametrize(
    "text", ["%", "_", "' OR 1=1 --", '"; DROP TABLE products; --', "\\"]
)
def test_search_takes_every_character_literally(repo, text):
    repo.add(make(sku="PLAIN-1", name="Plain product"))
    repo.add(make(sku="ODD-1", name=f"Odd {text} name"))
    assert [p.sku for p in repo.search(text)] == ["ODD-1"]
    assert len(repo.list()) == 2


CASEFOLDED = [  # (a name, a search text that finds it)
    ("thé vert", "THÉ"),
    ("Straße", "STRASSE"),
    ("GROSS", "groß"),
    ("ΣΟΦΟΣ", "σοφος"),
    ("ﬁne tea", "FINE"),
    ("Чай", "чАЙ"),
]


def test_search_ignores_case_as_str_casefold_does_in_every_alphabet(repo):
    for number, (name, _) in enumerate(CASEFOLDED):
        repo.add(make(sku=f"INTL-{number}", name=name))
    for number, (name, text) in enumerate(CASEFOLDED):
        assert [p.sku for p in repo.search(text)] == [f"INTL-{number}"], name


def test_search_ignores_case_and_takes_wildcards_literally_together(repo):
    repo.add(make(sku="SALE-1", name="50% OFF thé"))
    repo.add(make(sku="SALE-2", name="50 percent off"))
    assert [p.sku for p in repo.search("50% off THÉ")] == ["SALE-1"]


def test_a_search_text_too_long_to_match_is_refused_and_the_store_still_works(repo):
    repo.add(make())
    assert repo.search("é" * MAX_SEARCH) == []
    for too_long in ["x" * (MAX_SEARCH + 1), "%" * 50_001, "é" * 50_001]:
        with pytest.raises(InvalidSearch):
            repo.search(too_long)
    assert [p.sku for p in repo.search("green")] == ["TEA-001"]


RULE_BREAKERS = [
    {"name": ""},
    {"name": "   "},
    {"name": "x" * (MAX_NAME + 1)},
    {"sku": "X" * (MAX_SKU + 1)},
    {"sku": "TEA 1"},
    {"category": " "},
]


def test_a_product_that_breaks_the_rules_never_reaches_the_store(repo):
    for changes in RULE_BREAKERS:
        with pytest.raises(InvalidProduct) as caught:
            repo.add(make(**changes))
        assert set(caught.value.fields) == set(changes)
    repo.add(make())
    stored = repo.get("TEA-001")
    for changes in RULE_BREAKERS:
        with pytest.raises(InvalidProduct):
            for field, value in changes.items():
                setattr(stored, field, value)
    assert repo.list() == [make()]


def test_a_product_at_every_limit_is_stored_exactly(repo):
    largest = make(
        sku="S" * MAX_SKU,
        name="n" * MAX_NAME,
        price=MAX_PRICE,
        category="c" * MAX_CATEGORY,
    )
    repo.add(largest)
    assert repo.get("S" * MAX_SKU) == largest


def test_unicode_names_survive(repo):
    repo.add(make(name="Thé vert 緑茶 ☕"))
    assert repo.get("TEA-001").name == "Thé vert 緑茶 ☕"
    assert [p.sku for p in repo.search("緑茶")] == ["TEA-001"]


def test_changing_a_returned_product_does_not_change_the_store(repo):
    repo.add(make())
    fetched = repo.get("TEA-001")
    fetched.name = "Changed behind the store's back"
    assert repo.get("TEA-001").name == "Green tea"
