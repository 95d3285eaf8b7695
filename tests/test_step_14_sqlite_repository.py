"""Step 14: the same CRUD behind the repository contract, in a class."""

import sqlite3
from datetime import UTC, datetime

import pytest

from app.domain import Product
from app.errors import ProductNotFound
from app.repository import ProductRepository
from app.sqlite import repository as repository_module
from app.sqlite import search as search_module
from app.sqlite.db import connect, create_schema
from app.sqlite.repository import SqliteProductRepository

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def open_repository(path):
    conn = connect(path)
    create_schema(conn)
    return SqliteProductRepository(conn)


@pytest.fixture
def repo(tmp_path):
    repository = open_repository(tmp_path / "store.db")
    yield repository
    repository.close()


def make(sku="TEA-001", name="Green tea", price="3.50", category="tea"):
    return Product(sku=sku, name=name, price=price, category=category, created_at=WHEN)


def test_it_is_a_product_repository(repo):
    assert isinstance(repo, ProductRepository)


def test_add_get_update_and_delete_through_the_class(repo):
    repo.add(make())
    repo.add(make(sku="COF-001", name="Espresso", category=None))
    assert repo.get("TEA-001") == make()
    repo.update(make(name="Sencha", price="4.10"))
    assert [(p.sku, p.name) for p in repo.list()] == [
        ("COF-001", "Espresso"),
        ("TEA-001", "Sencha"),
    ]
    repo.delete("COF-001")
    assert repo.list() == [make(name="Sencha", price="4.10")]
    with pytest.raises(ProductNotFound):
        repo.get("COF-001")


def test_search_hands_the_text_to_search_products_on_its_connection(repo, monkeypatch):
    # search_products() is rewritten at step 16: here, only the hand-over counts.
    found = [make(sku="FOUND-1")]
    calls = []

    def search_products(conn, text):
        calls.append((conn, text))
        return found

    monkeypatch.setattr(search_module, "search_products", search_products)
    if hasattr(repository_module, "search_products"):  # imported by name
        monkeypatch.setattr(repository_module, "search_products", search_products)
    assert repo.search("green") == found
    assert calls == [(repo.conn, "green")]


def test_an_unknown_sku_raises_product_not_found_through_the_class(repo):
    repo.add(make())
    with pytest.raises(ProductNotFound):
        repo.update(make(sku="NOPE-1"))
    with pytest.raises(ProductNotFound):
        repo.delete("NOPE-1")
    assert repo.list() == [make()]


def test_every_method_works_on_the_connection_it_was_given(tmp_path):
    conn = connect(tmp_path / "store.db")
    create_schema(conn)
    repository = SqliteProductRepository(conn)
    assert repository.conn is conn
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    calls = {
        "add": lambda: repository.add(make()),
        "get": lambda: repository.get("TEA-001"),
        "list": repository.list,
        "update": lambda: repository.update(make(name="Sencha")),
        "delete": lambda: repository.delete("TEA-001"),
    }
    for method, call in calls.items():
        seen.clear()
        call()
        assert seen, f"{method}() ran no statement on the connection it was given"
    conn.set_trace_callback(None)
    repository.close()


def test_products_survive_closing_and_reopening_the_file(tmp_path):
    first = open_repository(tmp_path / "store.db")
    first.add(make())
    first.close()
    second = open_repository(tmp_path / "store.db")
    assert second.list() == [make()]
    second.close()


def test_two_repositories_on_one_file_see_each_others_writes(tmp_path):
    one = open_repository(tmp_path / "store.db")
    two = open_repository(tmp_path / "store.db")
    one.add(make())
    assert two.get("TEA-001") == make()
    two.delete("TEA-001")
    assert one.list() == []
    one.close()
    two.close()


def test_close_closes_the_connection(tmp_path):
    repository = open_repository(tmp_path / "store.db")
    repository.close()
    with pytest.raises(sqlite3.ProgrammingError):  # the connection is closed
        repository.conn.execute("SELECT 1")
