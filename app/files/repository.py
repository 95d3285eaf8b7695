# workshop: since 04
"""The file store behind the repository contract: one file, three formats."""

from __future__ import annotations

import builtins
import copy  # solution 04
from collections.abc import Callable, Iterable
from pathlib import Path

from app.domain import (
    Product,
    search_key,  # solution 04
)
from app.errors import CorruptFile, DuplicateSku, ProductNotFound  # solution 04
from app.files.json_store import load_catalog_json, save_catalog_json
from app.files.pickle_store import load_catalog, save_catalog
from app.files.yaml_store import load_catalog_yaml, save_catalog_yaml
from app.repository import ProductRepository

Load = Callable[[Path], list[Product]]
Save = Callable[[Iterable[Product], Path], None]

# The file's suffix picks its format; every saver writes atomically.
FORMATS: dict[str, tuple[Load, Save]] = {
    ".pkl": (load_catalog, save_catalog),
    ".json": (load_catalog_json, save_catalog_json),
    ".yaml": (load_catalog_yaml, save_catalog_yaml),
    ".yml": (load_catalog_yaml, save_catalog_yaml),
}


def format_for(path: Path) -> tuple[Load, Save]:
    """The load and save functions for ``path``'s suffix; ValueError if none."""
    try:
        return FORMATS[Path(path).suffix.lower()]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(
            f"{path}: unknown file type; name the catalog file with one of {known}"
        ) from None


# >>> solution 04
class FileProductRepository(ProductRepository):
    """Products kept in one catalog file (.pkl, .json, .yaml or .yml).

    The whole catalog is read when the repository opens and written back,
    atomically, after every change. A missing file is an empty catalog.
    """

    def __init__(self, path: Path) -> None:
        """Open the catalog at ``path``; CorruptFile if the file cannot be read
        or lists a SKU twice (a file is never "fixed" by dropping products)."""
        self.path = Path(path)
        self._load, self._save = format_for(self.path)
        self._products: dict[str, Product] = {}
        for product in self._load(self.path):
            if product.sku in self._products:
                raise CorruptFile(
                    f"{self.path} lists SKU {product.sku!r} twice; keep one of the"
                    " two entries, then open it again"
                )
            self._products[product.sku] = product

    def _commit(self, products: dict[str, Product]) -> None:
        """Write ``products`` to the file, then keep them; if the write fails
        the file and this repository both stay as they were."""
        self._save([products[sku] for sku in sorted(products)], self.path)
        self._products = products

    def add(self, product: Product) -> None:
        if product.sku in self._products:
            raise DuplicateSku(skus=[product.sku])
        self._commit({**self._products, product.sku: copy.deepcopy(product)})

    def get(self, sku: str) -> Product:
        try:
            return copy.deepcopy(self._products[sku])
        except KeyError:
            raise ProductNotFound(skus=[sku]) from None

    def list(self) -> list[Product]:
        return [copy.deepcopy(self._products[sku]) for sku in sorted(self._products)]

    def update(self, product: Product) -> None:
        self.get(product.sku)
        self._commit({**self._products, product.sku: copy.deepcopy(product)})

    def delete(self, sku: str) -> None:
        self.get(sku)
        self._commit({k: v for k, v in self._products.items() if k != sku})

    def search(self, text: str) -> builtins.list[Product]:
        needle = search_key(text)
        return [
            p
            for p in self.list()
            if needle in p.name.casefold() or needle in p.sku.casefold()
        ]


# <<<
