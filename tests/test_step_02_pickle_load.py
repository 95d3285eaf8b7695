"""Step 02: loading a catalog back, refusing broken and malicious files."""

import os
import pickle

import pytest

from app.domain import Product
from app.errors import CorruptFile, UnsafeFile
from app.files.pickle_store import load_catalog, save_catalog


def test_round_trip_gives_equal_products(tmp_path):
    path = tmp_path / "catalog.pkl"
    products = [Product(sku="A-1", name="Café crème", price="2.40", category="drinks")]
    save_catalog(products, path)
    assert load_catalog(path) == products


def test_a_missing_file_is_an_empty_catalog(tmp_path):
    assert load_catalog(tmp_path / "nothing-here.pkl") == []


def test_an_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(b"")
    with pytest.raises(CorruptFile, match="empty"):
        load_catalog(path)


def test_a_truncated_file_is_a_clear_error_naming_the_file(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog([Product(sku=f"S{i}", name="n", price="1") for i in range(20)], path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CorruptFile, match="catalog.pkl"):
        load_catalog(path)


def test_a_file_that_is_not_a_pickle_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_text('{"this": "is json"}')
    with pytest.raises(CorruptFile):
        load_catalog(path)


def test_a_pickle_of_something_else_is_not_a_catalog(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps({"products": []}))
    with pytest.raises(CorruptFile, match="not a list of products"):
        load_catalog(path)


class Exploit:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_a_malicious_pickle_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps([Exploit(f"touch {marker}")]))
    with pytest.raises(UnsafeFile, match="system"):
        load_catalog(path)
    assert not marker.exists(), "the payload must never run"


def test_a_pickle_naming_a_foreign_class_is_refused(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(
        pickle.dumps([Exploit("true")], protocol=0).replace(b"posix", b"os")
    )
    with pytest.raises(UnsafeFile):
        load_catalog(path)
