"""Variants of drill 09 (Inventory as a MutableMapping): its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

INVENTORY = "app/inventory.py"

VARIANTS = [
    wrong(
        "isinstance(quantity, int), which lets True in",
        replace_text(
            INVENTORY,
            old="    if type(quantity) is not int:\n",
            new="    if not isinstance(quantity, int):\n",
        ),
    ),
    wrong(
        "a blank SKU of spaces is accepted",
        replace_text(
            INVENTORY,
            old="if not isinstance(sku, str) or not sku.strip():",
            new="if not isinstance(sku, str) or not sku:",
        ),
    ),
    wrong(
        "update sets item by item, so a bad one leaves the first ones changed",
        replace_function(
            INVENTORY,
            "Inventory.update",
            """
            def update(self, other: Any = (), /, **more: int) -> None:
                for sku, quantity in dict(other, **more).items():
                    self[sku] = quantity
            """,
        ),
    ),
    wrong(
        "__setstate__ trusts the state of a hand-made pickle",
        replace_function(
            INVENTORY,
            "Inventory.__setstate__",
            """
            def __setstate__(self, state: Any) -> None:
                self._stock = dict(dict(state).get("_stock", {}))
            """,
        ),
    ),
    wrong(
        "plain json.loads, so a SKU written twice keeps the last value",
        replace_text(
            INVENTORY,
            old="json.loads(text, object_pairs_hook=_refuse_duplicate_keys)",
            new="json.loads(text)",
        ),
    ),
    wrong(
        "the error names the SKU in its message only, without the attributes",
        replace_function(
            INVENTORY,
            "_checked",
            """
            def _checked(sku: object, quantity: object) -> int:
                if not isinstance(sku, str) or not sku.strip():
                    raise InvalidQuantity(f"bad SKU {sku!r}")
                if type(quantity) is not int or quantity < 0:
                    raise InvalidQuantity(f"bad stock {quantity!r} for {sku}")
                return quantity
            """,
        ),
    ),
    wrong(
        "a repr that cannot be evaluated back",
        replace_function(
            INVENTORY,
            "Inventory.__repr__",
            """
            def __repr__(self) -> str:
                return f"<Inventory of {len(self)} SKUs>"
            """,
        ),
    ),
    alternative(
        "other messages, a staged comprehension, __init__ from __setstate__",
        replace_function(
            INVENTORY,
            "_checked",
            """
            def _checked(sku: object, quantity: object) -> int:
                problem = None
                if not (isinstance(sku, str) and sku.strip()):
                    problem = "the SKU is not usable"
                elif isinstance(quantity, bool) or not isinstance(quantity, int):
                    problem = "a stock level counts whole items"
                elif quantity < 0:
                    problem = "a stock level is never negative"
                if problem:
                    raise InvalidQuantity(
                        f"{sku!r}: {problem} ({quantity!r})", quantity=quantity, sku=sku
                    )
                return quantity
            """,
        ),
        replace_function(
            INVENTORY,
            "Inventory.update",
            """
            def update(self, other: Any = (), /, **more: int) -> None:
                incoming = dict(other, **more)
                checked = {sku: _checked(sku, n) for sku, n in incoming.items()}
                self._stock = {**self._stock, **checked}
            """,
        ),
        replace_function(
            INVENTORY,
            "Inventory.__repr__",
            """
            def __repr__(self) -> str:
                return f"{type(self).__name__}({dict(self)})"
            """,
        ),
        replace_function(
            INVENTORY,
            "Inventory.__setstate__",
            """
            def __setstate__(self, state: Any) -> None:
                Inventory.__init__(self, state.get("_stock", {}))
            """,
        ),
        replace_function(
            INVENTORY,
            "_refuse_duplicate_keys",
            """
            def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
                keys = [key for key, _ in pairs]
                doubled = sorted({key for key in keys if keys.count(key) > 1})
                if doubled:
                    raise CorruptFile(f"written more than once: {', '.join(doubled)}")
                return dict(pairs)
            """,
        ),
    ),
]
