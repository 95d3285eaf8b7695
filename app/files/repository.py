# workshop: since 04
"""The file store behind the repository contract: one file, three formats."""

from __future__ import annotations

import builtins
import copy
import fcntl  # solution 04
import time  # solution 04
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.domain import Product, search_key
from app.errors import (
    CatalogLocked,  # solution 04
    CorruptFile,  # solution 04
    DuplicateSku,  # solution 04
    ProductNotFound,
)
from app.files.atomic import remove_leftovers  # solution 04
from app.files.json_store import load_catalog_json, save_catalog_json
from app.files.pickle_store import load_catalog, save_catalog
from app.files.yaml_store import load_catalog_yaml, save_catalog_yaml
from app.repository import ProductRepository

LOCK_TIMEOUT = 10.0  # seconds a change waits for another process's change
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


def lock_path(path: Path) -> Path:
    """The lock file of the catalog at ``path``: beside it, and never replaced
    (the catalog itself is a new file after every atomic write)."""
    return path.with_name(f".{path.name}.lock")


class FileProductRepository(ProductRepository):
    """Products kept in one catalog file (.pkl, .json, .yaml or .yml).

    The whole catalog is read when the repository opens. Every change reads
    the file again, changes it and writes it back, atomically, all under the
    catalog's lock, so that two processes never lose each other's changes.
    A missing file is an empty catalog.
    """

    _products: dict[str, Product]  # the catalog as last read or written, by SKU

    # >>> solution 04
    def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Open the catalog at ``path``; CorruptFile if the file cannot be read
        or lists a SKU twice (a file is never "fixed" by dropping products)."""
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._load, self._save = format_for(self.path)
        self._products = self._read()

    def _read(self) -> dict[str, Product]:
        """The products in the file now, by SKU; CorruptFile for a SKU twice."""
        products: dict[str, Product] = {}
        for product in self._load(self.path):
            if product.sku in products:
                raise CorruptFile(
                    f"{self.path} lists SKU {product.sku!r} twice; keep one of the"
                    " two entries, then open it again"
                )
            products[product.sku] = product
        return products

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the catalog's lock: fcntl.flock() on lock_path(self.path), tried
        without blocking until ``lock_timeout`` seconds have passed, then
        CatalogLocked. Once it is held, remove_leftovers(self.path)."""
        with open(lock_path(self.path), "ab") as lock:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise CatalogLocked(self.path, self.lock_timeout) from None
                    time.sleep(0.01)
            remove_leftovers(self.path)
            yield  # closing the file lets the lock go

    def _commit(self, products: dict[str, Product]) -> None:
        """Write ``products`` to the file, then keep them; if the write fails
        the file and this repository both stay as they were."""
        self._save([products[sku] for sku in sorted(products)], self.path)
        self._products = products

    def add(self, product: Product) -> None:
        with self._locked():
            products = self._read()
            if product.sku in products:
                raise DuplicateSku(skus=[product.sku])
            self._commit({**products, product.sku: copy.deepcopy(product)})

    def update(self, product: Product) -> None:
        with self._locked():
            products = self._read()
            if product.sku not in products:
                raise ProductNotFound(skus=[product.sku])
            self._commit({**products, product.sku: copy.deepcopy(product)})

    def delete(self, sku: str) -> None:
        with self._locked():
            products = self._read()
            if sku not in products:
                raise ProductNotFound(skus=[sku])
            self._commit({k: v for k, v in products.items() if k != sku})

    # <<<
    # Reads use the catalog as this repository last read or wrote it.
    def get(self, sku: str) -> Product:
        try:
            return copy.deepcopy(self._products[sku])
        except KeyError:
            raise ProductNotFound(skus=[sku]) from None

    def list(self) -> list[Product]:
        return [copy.deepcopy(self._products[sku]) for sku in sorted(self._products)]

    def search(self, text: str) -> builtins.list[Product]:
        needle = search_key(text)
        return [
            p
            for p in self.list()
            if needle in p.name.casefold() or needle in p.sku.casefold()
        ]
