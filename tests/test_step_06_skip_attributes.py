"""Step 06: a catalog pickles its state only, and rebuilds the rest on load."""

import copy
import json
import pickle
import threading
from decimal import Decimal

import pytest

from app.catalog import Catalog
from app.domain import Product


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog(
        [
            Product(sku="TEA-1", name="Green tea", price=Decimal("3.50")),
            Product(sku="TEA-2", name="Black tea", price=Decimal("4.20")),
            Product(sku="MUG-1", name="Big green mug", price=Decimal("7.00")),
        ],
        log_path=tmp_path / "audit.log",
    )
    yield catalog
    catalog.close()


def restored(data):
    """Unpickle ``data``; the caller closes the catalog's log."""
    return pickle.loads(data)


def test_leaving_a_with_block_closes_the_audit_log(tmp_path):
    with Catalog(log_path=tmp_path / "audit.log") as catalog:
        catalog.add(Product(sku="TEA-1", name="Green tea", price=Decimal("3.50")))
    assert catalog._log is not None and catalog._log.closed
    assert (tmp_path / "audit.log").read_text(encoding="utf-8") == "added TEA-1\n"


def test_a_catalog_with_a_lock_and_an_open_file_pickles(catalog):
    again = restored(pickle.dumps(catalog))
    try:
        assert again.products == catalog.products
        assert again.log_path == catalog.log_path
    finally:
        again.close()


def test_the_saved_state_is_the_products_and_the_log_path_only(catalog):
    assert catalog.total_value == Decimal("14.70")  # fills the cache
    state = catalog.__getstate__()
    assert set(state) == {"products", "log_path"}
    assert [p.sku for p in state["products"]] == ["TEA-1", "TEA-2", "MUG-1"]
    data = pickle.dumps(catalog)
    for left_out in (b"_index", b"_lock", b"_log", b"total_value"):
        assert left_out not in data


def test_the_saved_state_leaves_out_attributes_added_later(catalog):
    catalog.last_search = "green"  # neither state nor derived: not saved
    assert set(catalog.__getstate__()) == {"products", "log_path"}


class WatchedProducts(dict):
    """A products dict that records, at each read, whether the lock was held."""

    def __init__(self, products, lock):
        super().__init__(products)
        self.lock, self.reads = lock, []

    def _read(self):
        self.reads.append(self.lock.locked())

    def __iter__(self):
        self._read()
        return super().__iter__()

    def values(self):
        self._read()
        return super().values()

    def items(self):
        self._read()
        return super().items()

    def keys(self):
        self._read()
        return super().keys()

    def copy(self):
        self._read()
        return super().copy()


def test_the_state_is_a_snapshot_read_under_the_lock(catalog):
    catalog.products = WatchedProducts(catalog.products, catalog._lock)
    state = catalog.__getstate__()
    assert catalog.products.reads, "the state is read from self.products"
    assert all(catalog.products.reads), "every read happens inside `with self._lock`"
    assert not catalog._lock.locked(), "and the lock is released afterwards"
    catalog.add(Product(sku="COF-1", name="Espresso", price=Decimal("12.90")))
    assert [p.sku for p in state["products"]] == ["TEA-1", "TEA-2", "MUG-1"]


def test_the_index_is_rebuilt_on_load(catalog):
    again = restored(pickle.dumps(catalog))
    try:
        assert [p.sku for p in again.search("green")] == ["MUG-1", "TEA-1"]
        assert again.search("tea") == [again.products["TEA-1"], again.products["TEA-2"]]
    finally:
        again.close()


def test_the_restored_catalog_has_its_own_working_lock(catalog):
    again = restored(pickle.dumps(catalog))
    try:
        assert isinstance(again._lock, type(threading.Lock()))
        assert again._lock is not catalog._lock
        assert not again._lock.locked()
        again.add(Product(sku="COF-1", name="Espresso", price=Decimal("12.90")))
    finally:
        again.close()


def test_the_cached_total_is_recomputed_not_restored(catalog):
    assert catalog.total_value == Decimal("14.70")
    again = restored(pickle.dumps(catalog))
    try:
        again.add(Product(sku="COF-1", name="Espresso", price=Decimal("12.90")))
        assert again.total_value == Decimal("27.60")
    finally:
        again.close()


def test_the_audit_log_is_reopened_and_carries_on(catalog, tmp_path):
    data = pickle.dumps(catalog)
    catalog.close()
    again = restored(data)
    try:
        again.add(Product(sku="COF-1", name="Espresso", price=Decimal("12.90")))
    finally:
        again.close()
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert lines == ["added TEA-1", "added TEA-2", "added MUG-1", "added COF-1"]


def test_deepcopy_goes_through_the_same_state(catalog):
    twin = copy.deepcopy(catalog)
    try:
        assert twin.products == catalog.products
        assert twin._lock is not catalog._lock
        assert twin.products["TEA-1"] is not catalog.products["TEA-1"]
    finally:
        twin.close()


def test_the_json_form_holds_the_same_state(catalog, tmp_path):
    text = json.dumps(catalog.to_dict())
    assert "_index" not in text and "total_value" not in text
    again = Catalog.from_dict(json.loads(text))
    try:
        assert again.products == catalog.products
        assert [p.sku for p in again.search("black")] == ["TEA-2"]
        again.add(Product(sku="COF-1", name="Espresso", price=Decimal("12.90")))
    finally:
        again.close()
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "added COF-1" and len(lines) == 4, "loading logs nothing"


def test_a_catalog_without_a_log_round_trips_both_ways():
    plain = Catalog([Product(sku="A", name="Apple juice", price=Decimal("1.10"))])
    assert restored(pickle.dumps(plain)).search("juice")[0].sku == "A"
    again = Catalog.from_dict(json.loads(json.dumps(plain.to_dict())))
    assert again.log_path is None
    assert again.total_value == Decimal("1.10")
