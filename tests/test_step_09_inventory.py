"""Step 09: Inventory is a MutableMapping whose invariants survive every round trip."""

import copy
import copyreg
import io
import json
import pickle
from collections.abc import MutableMapping

import pytest

from app.errors import CorruptFile, InvalidQuantity
from app.inventory import Inventory, dumps_inventory, loads_inventory


def test_it_behaves_like_a_dict_of_stock_levels():
    stock = Inventory({"TEA-1": 5, "MUG-1": 0})
    assert isinstance(stock, MutableMapping)
    stock["COF-1"] = 12
    stock["TEA-1"] -= 2
    assert stock["TEA-1"] == 3
    assert len(stock) == 3 and "MUG-1" in stock
    assert sorted(stock) == ["COF-1", "MUG-1", "TEA-1"]
    assert stock == {"TEA-1": 3, "MUG-1": 0, "COF-1": 12}
    del stock["MUG-1"]
    assert stock.get("MUG-1") is None
    assert stock.pop("COF-1") == 12
    assert dict(stock.items()) == {"TEA-1": 3}
    with pytest.raises(KeyError):
        stock["NOPE"]


def test_its_repr_evaluates_back_to_an_equal_inventory():
    stock = Inventory({"TEA-1": 5, "MUG-1": 0})
    assert repr(stock).startswith("Inventory(")
    assert eval(repr(stock), {"Inventory": Inventory}) == stock


def refused(error, sku, quantity):
    """The error carries the SKU and the quantity that were refused, as given."""
    assert (repr(error.value.sku), repr(error.value.quantity)) == (
        repr(sku),
        repr(quantity),
    )


@pytest.mark.parametrize("quantity", [-1, 2.0, 2.5, "3", True, None])
def test_a_bad_quantity_is_refused_however_it_comes_in(quantity):
    stock = Inventory({"TEA-1": 5})
    with pytest.raises(InvalidQuantity) as error:
        stock["TEA-1"] = quantity
    refused(error, "TEA-1", quantity)
    with pytest.raises(InvalidQuantity):
        stock.setdefault("NEW", quantity)
    with pytest.raises(InvalidQuantity):
        Inventory({"TEA-1": quantity})
    assert stock == {"TEA-1": 5}


def test_selling_more_than_is_in_stock_is_refused():
    stock = Inventory({"TEA-1": 2})
    with pytest.raises(InvalidQuantity) as error:
        stock["TEA-1"] -= 3
    refused(error, "TEA-1", -1)
    assert stock["TEA-1"] == 2


def test_update_is_all_or_nothing():
    stock = Inventory({"TEA-1": 5})
    with pytest.raises(InvalidQuantity) as error:
        stock.update({"COF-1": 1, "MUG-1": -4})
    refused(error, "MUG-1", -4)
    assert "MUG-1" in str(error.value), "the message names the SKU"
    assert stock == {"TEA-1": 5}
    stock.update([("COF-1", 1)], MUG=2)
    assert stock == {"TEA-1": 5, "COF-1": 1, "MUG": 2}


@pytest.mark.parametrize("sku", ["", "   ", 7, None])
def test_a_sku_must_be_text(sku):
    with pytest.raises(InvalidQuantity) as error:
        Inventory()[sku] = 1
    refused(error, sku, 1)


def test_it_pickles_as_a_call_to_its_constructor():
    stock = Inventory({"TEA-1": 5, "MUG-1": 0})
    again = pickle.loads(pickle.dumps(stock, protocol=5))
    assert type(again) is Inventory and again == stock
    assert again is not stock
    again["TEA-1"] = 1
    assert stock["TEA-1"] == 5, "the copy is independent"
    with pytest.raises(InvalidQuantity):
        again["TEA-1"] = -1
    assert copy.deepcopy(stock) == stock


class Tampered:
    """Pickles exactly like an Inventory whose file was edited to -5."""

    def __reduce__(self):
        return (Inventory, ({"TEA-1": -5},))


def forged_pickle():
    """A hand-made pickle that skips the constructor and sets the state."""
    buffer = io.BytesIO()

    class Forger(pickle.Pickler):
        def reducer_override(self, obj):
            if type(obj) is Inventory:
                newobj = copyreg.__newobj__  # type: ignore[attr-defined]
                return (newobj, (Inventory,), {"_stock": {"TEA-1": 2.5}})
            return NotImplemented

    Forger(buffer, protocol=5).dump(object.__new__(Inventory))
    return buffer.getvalue()


def test_a_tampered_pickle_cannot_break_the_invariants():
    with pytest.raises(InvalidQuantity) as error:
        pickle.loads(pickle.dumps(Tampered(), protocol=5))
    refused(error, "TEA-1", -5)


def test_a_forged_pickle_that_skips_the_constructor_is_checked_too():
    with pytest.raises(InvalidQuantity) as error:
        pickle.loads(forged_pickle())
    refused(error, "TEA-1", 2.5)


def test_it_json_encodes_cleanly_and_comes_back_equal():
    stock = Inventory({"TEA-1": 5, "COF-1": 0, "MUG-1": 10**12})
    text = dumps_inventory(stock)
    document = json.loads(text)
    assert document["stock"] == {"COF-1": 0, "MUG-1": 10**12, "TEA-1": 5}
    assert list(document["stock"]) == ["COF-1", "MUG-1", "TEA-1"], "sorted SKUs"
    again = loads_inventory(text)
    assert type(again) is Inventory and again == stock
    assert all(type(q) is int for q in again.values())


@pytest.mark.parametrize(
    ("stock_text", "error"),
    [
        ('{"TEA-1": -3}', InvalidQuantity),
        ('{"TEA-1": 2.5}', InvalidQuantity),
        ('{"TEA-1": 2.0}', InvalidQuantity),
        ('{"TEA-1": "5"}', InvalidQuantity),
        ('{"TEA-1": true}', InvalidQuantity),
        ('{"TEA-1": 5, "TEA-1": 500}', CorruptFile),
        ('[["TEA-1", 5]]', CorruptFile),
    ],
)
def test_a_tampered_json_file_is_refused(stock_text, error):
    text = '{"format": "persistence-drills/inventory", "version": 1, "stock": %s}'
    with pytest.raises(error):
        loads_inventory(text % stock_text)


@pytest.mark.parametrize("text", ["", "{", '{"format": "other", "stock": {}}', "[]"])
def test_anything_but_an_inventory_document_is_corrupt(text):
    with pytest.raises(CorruptFile):
        loads_inventory(text)
