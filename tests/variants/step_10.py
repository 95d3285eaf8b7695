"""Variants of drill 10 (cyclic references): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

STORE = "app/files/orders_store.py"

VARIANTS = [
    wrong(
        "the unsafe loader: plain pickle.loads, the type checked afterwards",
        replace_text(
            STORE,
            old="customers = CustomersUnpickler(io.BytesIO(data)).load()",
            new="customers = pickle.loads(data)",
        ),
    ),
    wrong(
        "never checks that the pickle holds a list of customers",
        replace_text(
            STORE,
            old="""    if not isinstance(customers, list) or not all(
        isinstance(c, Customer) for c in customers
    ):
        raise CorruptFile(f"{path} does not hold a list of customers")
""",
            new="",
        ),
    ),
    wrong(
        "pickles straight into the file, so a failed save destroys the last one",
        replace_function(
            STORE,
            "save_customers_pickle",
            """
            def save_customers_pickle(customers: list[Customer], path: Path) -> None:
                with open(path, "wb") as file:
                    pickle.dump(list(customers), file, protocol=5)
            """,
        ),
    ),
    wrong(
        "a repeated order id is not noticed",
        replace_text(
            STORE,
            old="""            if item["id"] in order_ids:
                raise CorruptFile(f"order {item['id']!r} appears twice")
""",
            new="",
        ),
    ),
    wrong(
        "a new Customer per order when loading, so the orders are lost",
        replace_text(
            STORE,
            old='            by_id[item["customer"]].place_order(',
            new=(
                '            Customer(item["customer"], by_id[item["customer"]].name)'
                ".place_order("
            ),
        ),
    ),
    wrong(
        "accepts an int price and JSON true as a quantity",
        replace_function(
            STORE,
            "_line",
            """
            def _line(item: dict[str, Any]) -> OrderLine:
                if isinstance(item["unit_price"], float):
                    raise CorruptFile("a float price")
                if not isinstance(item["quantity"], int):
                    raise CorruptFile("a quantity must be an int")
                return OrderLine(item["sku"], item["quantity"], item["unit_price"])
            """,
        ),
    ),
    wrong(
        "stores each order's customer object, not its id",
        replace_text(
            STORE,
            old='"customer": order.customer.customer_id,',
            new='"customer": order.customer,',
        ),
    ),
    alternative(
        "names as strings, duplicates counted up front, no _line, other messages",
        replace_function(
            STORE,
            "CustomersUnpickler",
            """
            class CustomersUnpickler(pickle.Unpickler):
                def find_class(self, module: str, name: str) -> Any:
                    allowed = {f"{m}.{n}" for m, n in ALLOWED}
                    if f"{module}.{name}" in allowed:
                        return super().find_class(module, name)
                    raise UnsafeFile(f"{module}.{name} is not allowed here")
            """,
        ),
        replace_function(
            STORE,
            "customers_from_document",
            """
            def customers_from_document(document: Any) -> list[Customer]:
                from collections import Counter

                def fail(why: str) -> CorruptFile:
                    return CorruptFile(f"cannot read the customers: {why}")

                if not isinstance(document, dict):
                    raise fail("not an object")
                if document.get("format") != FORMAT:
                    raise fail("wrong format")
                try:
                    people, orders = document["customers"], document["orders"]
                    for kind, items in (("customer", people), ("order", orders)):
                        ids = Counter(item["id"] for item in items)
                        if ids and max(ids.values()) > 1:
                            raise fail(f"a {kind} id is repeated")
                    by_id = {p["id"]: Customer(p["id"], p["name"]) for p in people}
                    for item in orders:
                        owner = by_id.get(item["customer"])
                        if owner is None:
                            raise fail(f"no customer {item['customer']}")
                        lines = []
                        for line in item["lines"]:
                            price, quantity = line["unit_price"], line["quantity"]
                            if type(price) is not str or type(quantity) is not int:
                                raise fail("a line with a bad price or quantity")
                            lines.append(OrderLine(line["sku"], quantity, price))
                        placed_at = datetime.fromisoformat(item["placed_at"])
                        owner.place_order(item["id"], lines, placed_at)
                except (LookupError, TypeError, ValueError) as error:
                    raise fail(str(error)) from error
                return list(by_id.values())
            """,
        ),
    ),
]
