# workshop: since 10
"""Customers and orders on disk: pickle keeps the cycles, JSON rebuilds them from ids."""

from __future__ import annotations

import io  # solution 10
import json  # solution 10
import pickle
from datetime import datetime  # solution 10
from pathlib import Path
from typing import Any

from app.domain import parse_price  # solution 10
from app.errors import CorruptFile, UnsafeFile  # solution 10
from app.files.atomic import atomic_write_bytes  # solution 10
from app.files.json_store import read_json  # solution 10
from app.orders import Customer, OrderLine

FORMAT = "persistence-drills/customers"
VERSION = 1


# >>> solution 10
# Everything a customers pickle may name; anything else is refused unrun.
ALLOWED = {
    ("app.orders", "Customer"),
    ("app.orders", "CustomerOrder"),
    ("app.orders", "OrderLine"),
    ("decimal", "Decimal"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}


class CustomersUnpickler(pickle.Unpickler):
    """Builds only the classes that customers and orders are made of."""

    def find_class(self, module: str, name: str) -> Any:
        """The class ``module.name`` if ALLOWED lists it, else UnsafeFile."""
        if (module, name) not in ALLOWED:
            raise UnsafeFile(f"refusing to load {module}.{name}: not part of an order")
        return super().find_class(module, name)


def save_customers_pickle(customers: list[Customer], path: Path) -> None:
    """Pickle the customers, their orders and every link between them, atomically."""
    atomic_write_bytes(Path(path), pickle.dumps(list(customers), protocol=5))


def load_customers_pickle(path: Path) -> list[Customer]:
    """Read save_customers_pickle()'s file; a missing file is no customers."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    try:
        customers = CustomersUnpickler(io.BytesIO(data)).load()
    except UnsafeFile:
        raise
    except Exception as error:
        raise CorruptFile(f"{path} is not a customers pickle: {error!r}") from None
    if not isinstance(customers, list) or not all(
        isinstance(c, Customer) for c in customers
    ):
        raise CorruptFile(f"{path} does not hold a list of customers")
    return customers


def customers_to_document(customers: list[Customer]) -> dict[str, Any]:
    """Two flat lists, like two tables: each customer once, each order once,
    and each order naming its customer by id (the back-link is not stored)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "customers": [{"id": c.customer_id, "name": c.name} for c in customers],
        "orders": [
            {
                "id": order.order_id,
                "customer": order.customer.customer_id,
                "placed_at": order.placed_at.isoformat(),
                "lines": [
                    {
                        "sku": li.sku,
                        "quantity": li.quantity,
                        "unit_price": str(li.unit_price),
                    }
                    for li in order.lines
                ],
            }
            for customer in customers
            for order in customer.orders
        ],
    }


def customers_from_document(document: Any) -> list[Customer]:
    """Rebuild customers first, then each order through its customer, so that
    ``order.customer.orders[i] is order``. CorruptFile for a repeated id, an
    order of an unknown customer, a float price or a malformed entry."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CorruptFile(f"not a customers document (expected {FORMAT!r})")
    by_id: dict[str, Customer] = {}
    order_ids: set[str] = set()
    try:
        for item in document["customers"]:
            if item["id"] in by_id:
                raise CorruptFile(f"customer {item['id']!r} appears twice")
            by_id[item["id"]] = Customer(item["id"], item["name"])
        for item in document["orders"]:
            if item["id"] in order_ids:
                raise CorruptFile(f"order {item['id']!r} appears twice")
            order_ids.add(item["id"])
            if item["customer"] not in by_id:
                raise CorruptFile(
                    f"order {item['id']!r} belongs to customer {item['customer']!r},"
                    " who is not in the file"
                )
            by_id[item["customer"]].place_order(
                item["id"],
                [_line(line) for line in item["lines"]],
                datetime.fromisoformat(item["placed_at"]),
            )
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptFile(f"a customer or order is malformed: {error!r}") from None
    return list(by_id.values())


def _line(item: dict[str, Any]) -> OrderLine:
    """One order line from its JSON entry; CorruptFile unless the price is a
    string and the quantity an int."""
    if not isinstance(item["unit_price"], str) or type(item["quantity"]) is not int:
        raise CorruptFile(f"line {item!r}: price must be a string, quantity an int")
    return OrderLine(item["sku"], item["quantity"], parse_price(item["unit_price"]))


def save_customers_json(customers: list[Customer], path: Path) -> None:
    """Write customers_to_document() as UTF-8 JSON, atomically."""
    text = json.dumps(customers_to_document(customers), indent=2, ensure_ascii=False)
    atomic_write_bytes(Path(path), (text + "\n").encode("utf-8"))


def load_customers_json(path: Path) -> list[Customer]:
    """Read save_customers_json()'s file; a missing file is no customers."""
    try:
        document = read_json(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as error:  # UnicodeDecodeError is one too
        raise CorruptFile(f"{path} is not valid JSON: {error}") from None
    return customers_from_document(document)


# <<<
