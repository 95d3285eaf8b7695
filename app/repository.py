"""The product repository contract that every storage backend implements."""

from __future__ import annotations

import abc
import builtins  # in a class with a list() method, `list` names the method
import copy
from typing import Self

from app.domain import Product, search_key
from app.errors import DuplicateSku, ProductNotFound


class ProductRepository(abc.ABC):
    """Products by SKU. Each backend (files, sqlite3, SQLAlchemy, asyncpg)
    behaves exactly alike; tests/contract/ checks it against all of them."""

    @abc.abstractmethod
    def add(self, product: Product) -> None:
        """Store a new product; DuplicateSku if its SKU is taken."""

    @abc.abstractmethod
    def get(self, sku: str) -> Product:
        """The product with exactly this SKU (case matters); ProductNotFound
        if there is none."""

    @abc.abstractmethod
    def list(self) -> list[Product]:
        """Every product, ordered by SKU."""

    @abc.abstractmethod
    def update(self, product: Product) -> None:
        """Replace the product that has this SKU, every field (created_at
        too); ProductNotFound if none."""

    @abc.abstractmethod
    def delete(self, sku: str) -> None:
        """Remove the product with this SKU; ProductNotFound if none."""

    @abc.abstractmethod
    def search(self, text: str) -> builtins.list[Product]:
        """Products whose casefolded name or SKU contains search_key(text),
        every character literal (no wildcards); ordered by SKU. A text too
        long to search is InvalidSearch."""

    def close(self) -> None:  # noqa: B027 (an optional hook, not abstract)
        """Release files or connections; the default holds none."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Leaving ``with open_repository(...) as repository:`` closes it."""
        self.close()


class MemoryProductRepository(ProductRepository):
    """The contract in a dict: the reference every other backend must match."""

    def __init__(self) -> None:
        self._products: dict[str, Product] = {}

    def add(self, product: Product) -> None:
        if product.sku in self._products:
            raise DuplicateSku(skus=[product.sku])
        self._products[product.sku] = copy.deepcopy(product)

    def get(self, sku: str) -> Product:
        try:
            return copy.deepcopy(self._products[sku])
        except KeyError:
            raise ProductNotFound(skus=[sku]) from None

    def list(self) -> list[Product]:
        return [copy.deepcopy(self._products[sku]) for sku in sorted(self._products)]

    def update(self, product: Product) -> None:
        self.get(product.sku)
        self._products[product.sku] = copy.deepcopy(product)

    def delete(self, sku: str) -> None:
        self.get(sku)
        del self._products[sku]

    def search(self, text: str) -> builtins.list[Product]:
        needle = search_key(text)
        return [
            p
            for p in self.list()
            if needle in p.name.casefold() or needle in p.sku.casefold()
        ]
