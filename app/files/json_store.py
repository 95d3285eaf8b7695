# workshop: since 03
"""The catalog as a JSON file: readable anywhere, with exact money and times."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime  # solution 03
from pathlib import Path
from typing import Any

from app.domain import (
    Product,
    parse_price,  # solution 03
)
from app.errors import CorruptFile
from app.files.atomic import atomic_write_bytes  # solution 03
from app.files.versions import upgrade  # since 08

FORMAT = "persistence-drills/catalog"
VERSION = 1  # until 08
VERSION = 3  # since 08
CURRENCY = "EUR"  # since 08
# Every key a document and a product of VERSION hold: any other is refused,
# never dropped without a word at the next save.
DOCUMENT_KEYS = {"format", "version", "products"}  # until 08
DOCUMENT_KEYS = {"format", "version", "currency", "products"}  # since 08
PRODUCT_KEYS = {"sku", "name", "price", "category", "created_at"}  # until 08
PRODUCT_KEYS = {"sku", "name", "price", "category", "added_at"}  # since 08


def products_from_document(document: dict[str, Any]) -> list[Product]:
    """The products of a catalog document at VERSION; CorruptFile naming the
    first product entry that is malformed, and any key the store does not know."""
    if unknown := sorted(map(str, set(document) - DOCUMENT_KEYS)):
        raise CorruptFile(
            f"unknown keys {unknown}; the store would drop them on its next save,"
            " so remove them or move them elsewhere"
        )
    products = document.get("products")
    if not isinstance(products, list):
        raise CorruptFile("'products' must be a list of products")
    return [_product_at(number, item) for number, item in enumerate(products, 1)]


def _product_at(number: int, item: Any) -> Product:
    if not isinstance(item, dict):
        raise CorruptFile(
            f"product #{number} is a {type(item).__name__}, not a mapping"
        )
    try:
        return product_from_dict(item)
    except KeyError as error:
        raise CorruptFile(f"product #{number} has no {error}") from None
    except (TypeError, ValueError) as error:
        raise CorruptFile(f"product #{number}: {error}") from None


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; CorruptFile if it names a key twice (json.loads
    would keep the last one and lose the others without a word)."""
    document = dict(pairs)
    if len(document) < len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for key in keys if keys.count(key) > 1)
        raise CorruptFile(f"the key {twice!r} appears twice in one object")
    return document


def read_json(text: str) -> Any:
    """``json.loads`` for files the store reads back: ValueError, naming the
    problem, for bad JSON, a key named twice in one object (json.loads keeps
    the last one without a word), a number too long to convert, and nesting
    too deep for the decoder (a RecursionError otherwise)."""
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except CorruptFile as error:
        raise ValueError(str(error)) from None
    except RecursionError:
        raise ValueError("its JSON is nested too deeply") from None


# >>> solution 03 until 08
def product_to_dict(product: Product) -> dict[str, Any]:
    """A JSON-ready dict: price as a string ("9.99"), created_at as ISO 8601."""
    return {
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "category": product.category,
        "created_at": product.created_at.isoformat(),
    }


def product_from_dict(data: dict[str, Any]) -> Product:
    """The inverse of product_to_dict(); a float price is refused, not rounded."""
    price = data["price"]
    if not isinstance(price, str):
        raise CorruptFile(
            f"product {data.get('sku')!r}: price {price!r} must be a string such as"
            ' "9.99"; a JSON number would be read as a float and lose cents'
        )
    if unknown := sorted(map(str, set(data) - PRODUCT_KEYS)):
        raise CorruptFile(
            f"product {data.get('sku')!r} has unknown fields {unknown}; the store"
            " would drop them on its next save, so remove them or move them elsewhere"
        )
    return Product(
        sku=data["sku"],
        name=data["name"],
        price=parse_price(price),
        category=data.get("category"),
        created_at=datetime.fromisoformat(data["created_at"]),
    )


def catalog_to_document(products: Iterable[Product]) -> dict[str, Any]:
    """The whole catalog as a plain dict that names its format and version."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "products": [product_to_dict(p) for p in products],
    }


def catalog_from_document(document: Any) -> list[Product]:
    """The products of a catalog document; CorruptFile if it is not one."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CorruptFile(f"not a catalog document (expected format {FORMAT!r})")
    return products_from_document(document)


# <<<
# >>> since 08
def product_to_dict(product: Product) -> dict[str, Any]:
    """A JSON-ready dict (format version 3): price as a string, times in ISO 8601."""
    return {
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "category": product.category,
        "added_at": product.created_at.isoformat(),
    }


def product_from_dict(data: dict[str, Any]) -> Product:
    """The inverse of product_to_dict(); a float price is refused, not rounded."""
    price = data["price"]
    if not isinstance(price, str):
        raise CorruptFile(
            f"product {data.get('sku')!r}: price {price!r} must be a string such as"
            ' "9.99"; a JSON number would be read as a float and lose cents'
        )
    if unknown := sorted(map(str, set(data) - PRODUCT_KEYS)):
        raise CorruptFile(
            f"product {data.get('sku')!r} has unknown fields {unknown}; the store"
            " would drop them on its next save, so remove them or move them elsewhere"
        )
    return Product(
        sku=data["sku"],
        name=data["name"],
        price=parse_price(price),
        category=data.get("category"),
        created_at=datetime.fromisoformat(data["added_at"]),
    )


def catalog_to_document(products: Iterable[Product]) -> dict[str, Any]:
    """The whole catalog as a plain dict that names its format and version."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "currency": CURRENCY,
        "products": [product_to_dict(p) for p in products],
    }


def catalog_from_document(document: Any) -> list[Product]:
    """The products of a catalog document of any known version, upgraded first;
    CorruptFile if it is not one, UnsupportedFormatVersion if it is too new."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CorruptFile(f"not a catalog document (expected format {FORMAT!r})")
    if document.get("version") != VERSION:
        document = upgrade(document)
    if document.get("currency") != CURRENCY:
        raise CorruptFile(
            f"the catalog is priced in {document.get('currency')!r}; this store"
            f" sells in {CURRENCY} only"
        )
    return products_from_document(document)


# <<<
# >>> solution 03
def dumps_catalog(products: Iterable[Product]) -> str:
    """The whole catalog as a JSON document with a format name and version."""
    document = catalog_to_document(products)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def loads_catalog(text: str) -> list[Product]:
    """Parse a document written by dumps_catalog(); CorruptFile if it is not one."""
    try:
        document = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except RecursionError:
        # The C decoder counts its depth like any Python call, and stops here.
        raise CorruptFile("not a catalog: its JSON is nested too deeply") from None
    except ValueError as error:  # bad JSON, or a number too long to convert
        raise CorruptFile(f"not valid JSON: {error}") from None
    return catalog_from_document(document)


def save_catalog_json(products: Iterable[Product], path: Path) -> None:
    """Write the catalog to ``path`` as UTF-8 JSON, atomically."""
    atomic_write_bytes(Path(path), dumps_catalog(products).encode("utf-8"))


def load_catalog_json(path: Path) -> list[Product]:
    """Read ``path``; a missing file is an empty catalog."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise CorruptFile(f"{path} is not UTF-8 text, so not a JSON catalog") from None
    try:
        return loads_catalog(text)
    except CorruptFile as error:
        # Name the file, keeping the exact kind of error (UnsafeFile...).
        error.args = (f"{path}: {error}",)
        raise


# <<<
