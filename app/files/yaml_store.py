# workshop: since 04
"""Settings, seed data and the catalog as YAML: friendly to edit, loaded safely."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from app.domain import Product
from app.errors import CorruptFile, InvalidPrice, UnsafeFile  # solution 04
from app.files.atomic import atomic_write_bytes
from app.files.json_store import catalog_from_document, catalog_to_document

# The C loader (libyaml) is many times faster; PyYAML has it only when it was
# built against libyaml, so fall back to the pure-Python one.
BaseSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# A catalog nests 3 levels deep. The C loader builds nested collections by
# recursion in C, with no limit: about 25,000 levels overflow its stack and
# kill the process (SIGSEGV) before Python can raise anything.
MAX_DEPTH = 100
MERGE = "tag:yaml.org,2002:merge"


class SafeLoader(BaseSafeLoader):  # type: ignore[valid-type, misc]
    """The safe loader (C when available) that also refuses a document nested
    deeper than MAX_DEPTH and a key repeated in one mapping (PyYAML would keep
    the last value and drop the others without a word)."""

    def __init__(self, stream: str | bytes | IO[str] | IO[bytes]) -> None:
        if not isinstance(stream, str | bytes):
            stream = stream.read()
        _refuse_deep_nesting(stream)
        super().__init__(stream)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == MERGE:
                    continue  # "<<: *base" copies keys that may be given again
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, Hashable):
                    continue  # the base class refuses it
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found the key {key!r} twice; keep one",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _refuse_deep_nesting(stream: str | bytes) -> None:
    """Count the nesting on the parser's events, which need no recursion, and
    stop at MAX_DEPTH: a YAMLError before anything is built."""
    depth = 0
    for event in yaml.parse(stream, Loader=BaseSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise yaml.YAMLError(
                    f"nested more than {MAX_DEPTH} levels deep, at line"
                    f" {line}; a catalog is 3 levels deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


@dataclass
class Settings:
    """How the store runs: its name, its currency and when stock is low."""

    name: str = "The store"
    currency: str = "EUR"
    low_stock: int = 5


@dataclass
class StoreFile:
    """A store's YAML file: its settings and the products it starts with."""

    settings: Settings = field(default_factory=Settings)
    seed: list[Product] = field(default_factory=list)


# >>> solution 04
def load_yaml(text: str, source: str = "YAML") -> Any:
    """Parse ``text`` with a *safe* loader (C if available) and return plain data.

    A tag that asks for a Python object (``!!python/object/apply:os.system``...)
    raises UnsafeFile and nothing runs; any other YAML error is CorruptFile.
    ``source`` names the file in the messages.
    """
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.constructor.ConstructorError as error:
        problem = str(error.problem or error)
        if "could not determine a constructor" not in problem:
            raise CorruptFile(f"{source}: not plain YAML data: {problem}") from None
        raise UnsafeFile(
            f"{source}: refusing a YAML tag that builds Python objects ({problem});"
            " the store's files hold plain data only, and nothing in this file was run"
        ) from None
    except yaml.YAMLError as error:
        where = " ".join(str(error).split())  # PyYAML's message spans lines
        raise CorruptFile(f"{source}: not valid YAML: {where}") from None


def load_store_file(path: Path) -> StoreFile:
    """Read the store's settings and seed products from a YAML file.

    Unknown keys and wrong types are CorruptFile naming the key; a price that
    YAML read as a number (write ``"3.50"``, in quotes) is InvalidPrice.
    """
    path = Path(path)
    data = load_yaml(path.read_text(encoding="utf-8"), source=str(path)) or {}
    if not isinstance(data, dict):
        raise CorruptFile(f"{path}: expected a mapping with 'store' and 'seed'")
    if unknown := sorted(map(str, set(data) - {"store", "seed"})):
        raise CorruptFile(f"{path}: unknown keys {unknown}; 'store' and 'seed' only")
    raw = data.get("store") or {}
    if not isinstance(raw, dict):
        raise CorruptFile(f"{path}: 'store' must be a mapping of settings")
    if unknown := sorted(map(str, set(raw) - set(Settings.__dataclass_fields__))):
        raise CorruptFile(f"{path}: 'store' has unknown settings {unknown}")
    settings = Settings(**raw)
    if type(settings.low_stock) is not int:
        raise CorruptFile(f"{path}: 'low_stock' must be a whole number")
    if not isinstance(settings.name, str) or not isinstance(settings.currency, str):
        raise CorruptFile(f"{path}: 'name' and 'currency' must be text")
    if not isinstance(data.get("seed") or [], list):
        raise CorruptFile(f"{path}: 'seed' must be a list of products")
    seed = []
    for entry in data.get("seed") or []:
        if not isinstance(entry, dict):
            raise CorruptFile(f"{path}: each seed product must be a mapping")
        if isinstance(entry.get("price"), float):
            raise InvalidPrice(
                f"{path}: product {entry.get('sku')!r} has price {entry['price']!r},"
                ' which YAML reads as a float; quote it: price: "3.50"'
            )
        try:
            seed.append(Product(**entry))
        except InvalidPrice:
            raise
        except (TypeError, ValueError, AttributeError) as error:
            raise CorruptFile(f"{path}: a seed product is malformed: {error}") from None
    return StoreFile(settings, seed)


def load_catalog_yaml(path: Path) -> list[Product]:
    """Read ``path``; a missing file is an empty catalog."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise CorruptFile(f"{path} is not UTF-8 text, so not a YAML catalog") from None
    try:
        return loads_catalog_yaml(text, source=str(path))
    except CorruptFile as error:
        if str(path) not in str(error):
            error.args = (f"{path}: {error}",)  # name the file, keep the error's kind
        raise


# <<<
def dumps_catalog_yaml(products: Iterable[Product]) -> str:
    """The catalog document (the same one JSON holds) as YAML text."""
    document = catalog_to_document(products)
    return yaml.dump(
        document, Dumper=SafeDumper, allow_unicode=True, sort_keys=False, width=100
    )


def loads_catalog_yaml(text: str, source: str = "YAML") -> list[Product]:
    """Parse YAML written by dumps_catalog_yaml(); refuses Python tags."""
    return catalog_from_document(load_yaml(text, source))


def save_catalog_yaml(products: Iterable[Product], path: Path) -> None:
    """Write the catalog to ``path`` as UTF-8 YAML, atomically."""
    atomic_write_bytes(Path(path), dumps_catalog_yaml(products).encode("utf-8"))
