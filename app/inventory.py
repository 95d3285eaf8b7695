# workshop: since 09
"""Stock on hand: a mapping of SKU to a whole, non-negative number of items."""

from __future__ import annotations

import json  # solution 09
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

from app.errors import CorruptFile, InvalidQuantity  # solution 09

FORMAT = "persistence-drills/inventory"
VERSION = 1


# >>> solution 09
def _checked(sku: object, quantity: object) -> int:
    """``quantity`` if it is a valid stock level for ``sku``, else InvalidQuantity."""
    if not isinstance(sku, str) or not sku.strip():
        raise InvalidQuantity(
            f"a SKU must be non-empty text, not {sku!r}", sku=sku, quantity=quantity
        )
    if type(quantity) is not int:
        raise InvalidQuantity(
            f"stock of {sku} must be a whole number of items, not {quantity!r}",
            sku=sku,
            quantity=quantity,
        )
    if quantity < 0:
        raise InvalidQuantity(
            f"stock of {sku} cannot go below zero ({quantity})",
            sku=sku,
            quantity=quantity,
        )
    return quantity


class Inventory(MutableMapping[str, int]):
    """SKU -> items in stock. Every way in (the constructor, ``inv[sku] = n``,
    ``update()``, unpickling, ``from_dict()``) goes through one check, so no
    inventory ever holds a negative, fractional or non-number quantity."""

    def __init__(
        self, stock: Mapping[str, int] | Iterable[tuple[str, int]] = (), /
    ) -> None:
        """An inventory holding ``stock`` (a mapping or pairs), each checked."""
        self._stock: dict[str, int] = {}
        self.update(stock)

    def __getitem__(self, sku: str) -> int:
        """The stock of ``sku``; KeyError if the inventory does not list it."""
        return self._stock[sku]

    def __setitem__(self, sku: str, quantity: int) -> None:
        """Set the stock of ``sku``, checked by _checked()."""
        self._stock[sku] = _checked(sku, quantity)

    def __delitem__(self, sku: str) -> None:
        """Stop listing ``sku``."""
        del self._stock[sku]

    def __iter__(self) -> Iterator[str]:
        """The SKUs, in the order they were added."""
        return iter(self._stock)

    def __len__(self) -> int:
        """How many SKUs are listed."""
        return len(self._stock)

    def __repr__(self) -> str:
        return f"Inventory({self._stock!r})"

    def update(self, other: Any = (), /, **more: int) -> None:
        """Like dict.update, but all or nothing: one bad quantity changes nothing."""
        staged = dict(self._stock)
        for sku, quantity in dict(other, **more).items():
            staged[sku] = _checked(sku, quantity)
        self._stock = staged

    def __reduce__(self) -> tuple[type[Inventory], tuple[dict[str, int]]]:
        """Pickle as "call Inventory(stock)", so loading runs the checks again."""
        return (Inventory, (dict(self._stock),))

    def __setstate__(self, state: Any) -> None:
        """Only a hand-made pickle carries state (ours never does): check it."""
        self._stock = {}
        self.update(dict(state).get("_stock", {}))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document, SKUs sorted so that diffs stay small."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "stock": dict(sorted(self.items())),
        }

    @classmethod
    def from_dict(cls, document: Any) -> Inventory:
        """The inverse of to_dict(); CorruptFile or InvalidQuantity if tampered."""
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise CorruptFile(f"not an inventory document (expected {FORMAT!r})")
        if not isinstance(document.get("stock"), dict):
            raise CorruptFile("an inventory document needs a 'stock' mapping")
        return cls(document["stock"])


def dumps_inventory(inventory: Inventory) -> str:
    """The inventory as JSON text."""
    return json.dumps(inventory.to_dict(), indent=2, ensure_ascii=False) + "\n"


def loads_inventory(text: str) -> Inventory:
    """Parse dumps_inventory()'s text; a SKU written twice is CorruptFile (plain
    json.loads would silently keep the last one)."""
    try:
        document = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise CorruptFile(f"not valid JSON: {error}") from None
    return Inventory.from_dict(document)


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object_pairs_hook: the object as a dict; CorruptFile for a key
    that appears twice."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CorruptFile(f"{key!r} appears twice; keep one and try again")
        result[key] = value
    return result


# <<<
