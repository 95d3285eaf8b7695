"""Step 10: customers and orders point at each other; both formats keep that."""

import json
import os
import pickle
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.errors import CorruptFile, UnsafeFile
from app.files.orders_store import (
    customers_from_document,
    customers_to_document,
    load_customers_json,
    load_customers_pickle,
    save_customers_json,
    save_customers_pickle,
)
from app.orders import Customer, OrderLine

DAY = datetime(2026, 2, 3, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def customers():
    ada, bob, cy = Customer("C1", "Ada"), Customer("C2", "Bob"), Customer("C3", "Cy")
    ada.place_order("O1", [OrderLine("TEA-1", 2, Decimal("3.50"))], DAY)
    bob.place_order(
        "O2", [OrderLine("MUG-1", 1, Decimal("7.00"))], DAY + timedelta(hours=1)
    )
    ada.place_order(
        "O3",
        [
            OrderLine("COF-1", 1, Decimal("12.90")),
            OrderLine("TEA-1", 1, Decimal("3.50")),
        ],
        DAY + timedelta(days=1),
    )
    return [ada, bob, cy]


def shape(people):
    """Customers and orders as plain values, to compare two object graphs."""
    return [
        (
            c.customer_id,
            c.name,
            [
                (o.order_id, o.customer.customer_id, o.lines, o.placed_at)
                for o in c.orders
            ],
        )
        for c in people
    ]


def assert_linked_both_ways(people):
    for customer in people:
        for order in customer.orders:
            assert order.customer is customer
    ada = people[0]
    order = ada.orders[0]
    assert order.customer.orders[0] is order


@pytest.fixture(params=["pickle", "json"])
def round_trip(request, tmp_path):
    save, load = {
        "pickle": (save_customers_pickle, load_customers_pickle),
        "json": (save_customers_json, load_customers_json),
    }[request.param]

    def run(people):
        path = tmp_path / f"customers.{request.param}"
        save(people, path)
        return load(path)

    return run


def test_the_round_trip_gives_the_same_customers_and_orders(round_trip):
    again = round_trip(customers())
    assert shape(again) == shape(customers())
    assert again[0].orders[1].total == Decimal("16.40")
    assert again[0].orders[0].placed_at.utcoffset() == timedelta(hours=1)


def test_the_round_trip_restores_identity_not_copies(round_trip):
    again = round_trip(customers())
    assert_linked_both_ways(again)
    ada = again[0]
    assert ada.orders[0].customer is ada.orders[1].customer is ada


def test_a_customer_without_orders_survives(round_trip):
    again = round_trip([Customer("C9", "Nobody")])
    assert shape(again) == [("C9", "Nobody", [])]


def test_missing_files_mean_no_customers(tmp_path):
    assert load_customers_pickle(tmp_path / "none.pickle") == []
    assert load_customers_json(tmp_path / "none.json") == []


def test_the_json_form_is_flat_and_uses_ids():
    document = customers_to_document(customers())
    assert [c["id"] for c in document["customers"]] == ["C1", "C2", "C3"]
    assert [(o["id"], o["customer"]) for o in document["orders"]] == [
        ("O1", "C1"),
        ("O3", "C1"),
        ("O2", "C2"),
    ]
    assert document["orders"][0]["lines"][0] == {
        "sku": "TEA-1",
        "quantity": 2,
        "unit_price": "3.50",
    }
    json.dumps(document)  # plain data: no objects, no cycles


class Exploit:
    """Unpickles as a call to os.mkdir: visible if the loader ever runs it."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_a_pickle_with_foreign_code_is_refused_unrun(tmp_path):
    path, ran = tmp_path / "customers.pickle", tmp_path / "exploit-ran"
    path.write_bytes(pickle.dumps([Exploit(ran)]))
    with pytest.raises(UnsafeFile):
        load_customers_pickle(path)
    assert not ran.exists(), "the foreign function was never called"


@pytest.mark.parametrize(
    "data",
    [
        pickle.dumps({"C1": "Ada"}),
        pickle.dumps(["C1", "C2"]),
        pickle.dumps(customers()[0]),
        pickle.dumps(customers())[:-10],
        b"",
    ],
    ids=["a-dict", "a-list-of-text", "one-customer", "truncated", "empty"],
)
def test_a_pickle_of_something_else_is_corrupt(tmp_path, data):
    path = tmp_path / "customers.pickle"
    path.write_bytes(data)
    with pytest.raises(CorruptFile) as error:
        load_customers_pickle(path)
    assert not isinstance(error.value, UnsafeFile)


def test_a_failed_save_leaves_the_last_saved_file_as_it_was(tmp_path):
    path = tmp_path / "customers.pickle"
    save_customers_pickle(customers(), path)
    before = path.read_bytes()
    broken = customers()
    broken[1].orders[0].placed_at = lambda: DAY  # a lambda cannot be pickled
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        save_customers_pickle(broken, path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path], "no temporary file is left behind"


def changed(change):
    document = customers_to_document(customers())
    change(document)
    return document


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["customers"].append({"id": "C1", "name": "Twin"}),
        lambda d: d["orders"].append(dict(d["orders"][0])),
        lambda d: d["orders"][0]["lines"][0].update(unit_price=3.5),
        lambda d: d["orders"][0]["lines"][0].update(unit_price=3),
        lambda d: d["orders"][0]["lines"][0].update(unit_price="cheap"),
        lambda d: d["orders"][0]["lines"][0].update(quantity="2"),
        lambda d: d["orders"][0]["lines"][0].update(quantity=True),
        lambda d: d["orders"][0].pop("placed_at"),
        lambda d: d["orders"][0].update(placed_at="yesterday"),
        lambda d: d["customers"][0].pop("name"),
        lambda d: d.pop("orders"),
        lambda d: d.update(format="acme/crm"),
    ],
    ids=[
        "customer-twice",
        "order-twice",
        "float-price",
        "int-price",
        "text-price",
        "quantity-as-text",
        "quantity-as-true",
        "no-placed-at",
        "placed-at-not-a-time",
        "customer-without-name",
        "no-orders",
        "another-format",
    ],
)
def test_a_broken_document_is_a_clear_error(change):
    with pytest.raises(CorruptFile):
        customers_from_document(changed(change))


def test_an_order_of_an_unknown_customer_names_the_missing_id():
    document = changed(lambda d: d["orders"][0].update(customer="C404"))
    with pytest.raises(CorruptFile, match="C404"):
        customers_from_document(document)


@pytest.mark.parametrize("text", ["", '{"format": "persistence-drills/cus', "[]"])
def test_a_broken_json_file_is_a_clear_error(tmp_path, text):
    path = tmp_path / "customers.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptFile):
        load_customers_json(path)
    assert path.read_text(encoding="utf-8") == text


def test_many_orders_do_not_hit_the_recursion_limit(round_trip):
    big = Customer("C1", "Ada")
    for i in range(3000):
        big.place_order(
            f"O{i}", [OrderLine("TEA-1", 1, Decimal("1.00"))], datetime.now(UTC)
        )
    again = round_trip([big])
    assert len(again[0].orders) == 3000
    assert again[0].orders[-1].customer is again[0]
