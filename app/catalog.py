# workshop: since 06
"""An in-memory catalog with a word index, a lock and an audit log."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Self

from app.domain import Product
from app.errors import DuplicateSku
from app.files.json_store import product_from_dict, product_to_dict  # solution 06


class Catalog:
    """Products by SKU, searchable by word, safe to share between threads.

    Only ``products`` and ``log_path`` are the catalog's *state*. The rest is
    derived from it (the word index, the cached ``total_value``) or cannot be
    saved at all (the lock, the open audit log): it stays out of a pickle or
    a JSON document and is rebuilt on load.
    """

    def __init__(
        self, products: Iterable[Product] = (), log_path: Path | None = None
    ) -> None:
        self.products: dict[str, Product] = {}
        self.log_path = Path(log_path) if log_path is not None else None
        self._rebuild()
        for product in products:
            self.add(product)

    def _rebuild(self) -> None:
        """(Re)create everything that is not state, from the state."""
        self._lock = threading.Lock()
        self._index: dict[str, set[str]] = {}
        for product in self.products.values():
            self._index_words(product)
        # Append: a restored catalog carries on the same log; close() closes it.
        self._log = (
            open(self.log_path, "a", encoding="utf-8")
            if self.log_path is not None
            else None
        )
        self.__dict__.pop("total_value", None)

    def _index_words(self, product: Product) -> None:
        for word in product.name.casefold().split():
            self._index.setdefault(word, set()).add(product.sku)

    def add(self, product: Product) -> None:
        """Add a product; DuplicateSku if its SKU is taken. Logged if logging."""
        with self._lock:
            if product.sku in self.products:
                raise DuplicateSku(skus=[product.sku])
            self.products[product.sku] = product
            self._index_words(product)
            self.__dict__.pop("total_value", None)  # the cached sum is stale now
            if self._log is not None:
                self._log.write(f"added {product.sku}\n")
                self._log.flush()

    def search(self, word: str) -> list[Product]:
        """Products with ``word`` in their name (whole words, any case), by SKU."""
        skus = self._index.get(word.casefold(), set())
        return [self.products[sku] for sku in sorted(skus)]

    @cached_property
    def total_value(self) -> Decimal:
        """The sum of all prices, computed once and cached until the next add."""
        return sum((p.price for p in self.products.values()), Decimal("0.00"))

    def close(self) -> None:
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Leaving ``with Catalog(...) as catalog:`` closes the audit log."""
        self.close()

    # >>> solution 06
    def __getstate__(self) -> dict[str, Any]:
        """What pickle saves: the products and the log's path, nothing else."""
        with self._lock:  # a consistent snapshot, even while others add
            return {
                "products": list(self.products.values()),
                "log_path": self.log_path,
            }

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore the state, then rebuild the index, the lock and the log."""
        self.products = {p.sku: p for p in state["products"]}
        self.log_path = state["log_path"]
        self._rebuild()

    def to_dict(self) -> dict[str, Any]:
        """The same state as JSON-ready data."""
        with self._lock:
            return {
                "products": [product_to_dict(p) for p in self.products.values()],
                "log_path": str(self.log_path) if self.log_path else None,
            }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Catalog:
        """A catalog rebuilt from to_dict()'s data (nothing is logged again)."""
        catalog = cls.__new__(cls)
        log_path = data["log_path"]
        catalog.__setstate__(
            {
                "products": [product_from_dict(item) for item in data["products"]],
                "log_path": Path(log_path) if log_path is not None else None,
            }
        )
        return catalog

    # <<<
