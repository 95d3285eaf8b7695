# workshop: since 01
"""The catalog as a pickle file: fast, Python-only, and never for untrusted input."""

from __future__ import annotations

import dataclasses  # solution 02
import io  # solution 02
import pickle  # solution 01
from collections.abc import Iterable
from pathlib import Path

from app.domain import Product
from app.errors import CorruptFile, UnsafeFile  # solution 02
from app.files.atomic import atomic_write_bytes  # solution 01

PROTOCOL = 5


# >>> solution 01
def save_catalog(products: Iterable[Product], path: Path) -> None:
    """Pickle ``products`` as a list to ``path`` (protocol 5), atomically."""
    atomic_write_bytes(Path(path), pickle.dumps(list(products), protocol=PROTOCOL))


# <<<
# >>> solution 02
# Everything a catalog pickle may name. Anything else (os.system, subprocess,
# builtins.eval...) is refused before it can run.
ALLOWED = {
    ("app.domain", "Product"),
    ("decimal", "Decimal"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}


class CatalogUnpickler(pickle.Unpickler):
    """An unpickler that builds only the classes a catalog is made of."""

    def find_class(self, module: str, name: str) -> type:
        """Return the class for ``module.name`` if ALLOWED lists it, else
        raise UnsafeFile naming it: the file asks for code we never load."""
        if (module, name) not in ALLOWED:
            raise UnsafeFile(
                f"refusing to load {module}.{name}: a catalog holds only products;"
                " this file may be malicious, so nothing in it was run"
            )
        return super().find_class(module, name)


def load_catalog(path: Path) -> list[Product]:
    """Read the catalog saved by save_catalog().

    A missing file is an empty catalog. An empty, truncated or foreign file
    raises CorruptFile naming the file; a file that asks for any class outside
    ALLOWED raises UnsafeFile, and nothing in it runs. Each product is built
    again through Product() (_rebuilt) before it is returned, so a product
    whose fields Product() refuses (a negative price, a name that is not
    text) is CorruptFile too.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    if not data:
        raise CorruptFile(f"{path} is empty; restore it from a backup or delete it")
    try:
        products = CatalogUnpickler(io.BytesIO(data)).load()
    except UnsafeFile:
        raise
    except Exception as error:
        raise CorruptFile(
            f"{path} is not a readable catalog pickle ({error.__class__.__name__}:"
            f" {error}); restore it from a backup or delete it"
        ) from None
    if not isinstance(products, list) or not all(
        isinstance(p, Product) for p in products
    ):
        raise CorruptFile(
            f"{path} holds a {type(products).__name__}, not a list of products"
        )
    return [_rebuilt(product, path) for product in products]


def _rebuilt(product: Product, path: Path) -> Product:
    """``product`` built again through Product(), so that its checks run: pickle
    restores an object's fields without calling __init__ or __setattr__."""
    try:
        return dataclasses.replace(product)
    except (TypeError, ValueError, AttributeError) as error:
        raise CorruptFile(
            f"{path} holds a product Product() refuses ({error}); restore the file"
            " from a backup or delete it"
        ) from None


# <<<
