"""Variants of drill 02 (pickle load, safely): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

STORE = "app/files/pickle_store.py"

VARIANTS = [
    wrong(
        "loads with plain pickle: the payload runs",
        replace_text(
            STORE,
            old="        products = CatalogUnpickler(io.BytesIO(data)).load()\n",
            new="        products = pickle.loads(data)\n",
        ),
    ),
    wrong(
        "allows builtins wholesale",
        replace_text(
            STORE,
            old="        if (module, name) not in ALLOWED:\n",
            new='        if module != "builtins" and (module, name) not in ALLOWED:\n',
        ),
    ),
    wrong(
        "swallows UnsafeFile in the generic except",
        replace_text(STORE, old="    except UnsafeFile:\n        raise\n", new=""),
    ),
    wrong(
        "returns None for a missing file",
        replace_text(
            STORE,
            old="    except FileNotFoundError:\n        return []\n",
            new="    except FileNotFoundError:\n        return None\n",
        ),
    ),
    wrong(
        "catches only pickle.UnpicklingError",
        replace_text(
            STORE,
            old="    except Exception as error:\n",
            new="    except pickle.UnpicklingError as error:\n",
        ),
    ),
    wrong(
        "lets an empty file through as an empty catalog",
        replace_text(
            STORE,
            old="    if not data:\n        raise CorruptFile(",
            new="    if not data:\n        return []\n        raise CorruptFile(",
        ),
    ),
    wrong(
        "messages that do not name the file",
        replace_text(
            STORE,
            old=(
                '            f"{path} is not a readable catalog pickle'
                ' ({error.__class__.__name__}:"\n'
            ),
            new=(
                '            f"not a readable catalog pickle'
                ' ({error.__class__.__name__}:"\n'
            ),
        ),
    ),
    wrong(
        "refuses without saying what it refused",
        replace_text(
            STORE,
            old='                f"refusing to load {module}.{name}: a catalog',
            new='                "refusing to load it: a catalog',
        ),
    ),
    wrong(
        "allows any name from an allowed module (a dotted name reaches eval)",
        replace_text(
            STORE,
            old="        if (module, name) not in ALLOWED:\n",
            new="        if module not in {m for m, _ in ALLOWED}:\n",
        ),
    ),
    wrong(
        "a deny-list of dangerous modules instead of an allow-list",
        replace_text(
            STORE,
            old="        if (module, name) not in ALLOWED:\n",
            new=(
                "        if module in {\n"
                '            "os", "posix", "nt", "subprocess", "builtins", "io"\n'
                "        }:\n"
            ),
        ),
    ),
    wrong(
        "catches a fixed list of error types",
        replace_text(
            STORE,
            old="    except Exception as error:\n",
            new=(
                "    except (\n"
                "        pickle.UnpicklingError, EOFError, ArithmeticError\n"
                "    ) as error:\n"
            ),
        ),
    ),
    wrong(
        "catches the usual error types, not an AttributeError from BUILD",
        replace_text(
            STORE,
            old="    except Exception as error:\n",
            new=(
                "    except (\n"
                "        pickle.UnpicklingError, EOFError, ArithmeticError,"
                " TypeError, ValueError\n"
                "    ) as error:\n"
            ),
        ),
    ),
    wrong(
        "accepts a tuple of products",
        replace_text(
            STORE,
            old="    if not isinstance(products, list) or not all(\n",
            new="    if not isinstance(products, list | tuple) or not all(\n",
        ),
    ),
    wrong(
        "treats a path it cannot read as a missing file",
        replace_text(
            STORE,
            old="    except FileNotFoundError:\n        return []\n",
            new="    except OSError:\n        return []\n",
        ),
    ),
    wrong(
        "turns a folder into CorruptFile although the file is not corrupt",
        replace_text(
            STORE,
            old="    except FileNotFoundError:\n        return []\n",
            new=(
                "    except FileNotFoundError:\n        return []\n"
                "    except OSError as error:\n"
                '        raise CorruptFile(f"cannot read {path}: {error}") from error\n'
            ),
        ),
    ),
    wrong(
        "trusts the products the unpickler built: their checks never ran",
        replace_text(
            STORE,
            old="    return [_rebuilt(product, path) for product in products]\n",
            new="    return products\n",
        ),
    ),
    wrong(
        "checks the price of each product, not the rest of it",
        replace_function(
            STORE,
            "_rebuilt",
            '''
            def _rebuilt(product: Product, path: Path) -> Product:
                """``product``, once its price passed parse_price()."""
                from app.domain import parse_price

                try:
                    product.price = parse_price(product.price)
                except ValueError as error:
                    raise CorruptFile(f"{path}: {error}") from None
                return product
            ''',
        ),
    ),
    wrong(
        "rebuilds with Product(**vars(p)): a missing created_at becomes now",
        replace_text(
            STORE,
            old="        return dataclasses.replace(product)\n",
            new="        return Product(**vars(product))\n",
        ),
    ),
    wrong(
        "rebuilds, but catches only InvalidPrice",
        replace_text(
            STORE,
            old="from app.errors import CorruptFile, UnsafeFile\n",
            new="from app.errors import CorruptFile, InvalidPrice, UnsafeFile\n",
        ),
        replace_text(
            STORE,
            old="    except (TypeError, ValueError, AttributeError) as error:\n",
            new="    except InvalidPrice as error:\n",
        ),
    ),
    wrong(
        "checks each product, then returns the unpickled ones unchanged",
        replace_text(
            STORE,
            old="    return [_rebuilt(product, path) for product in products]\n",
            new=(
                "    for product in products:\n"
                "        _rebuilt(product, path)\n"
                "    return products\n"
            ),
        ),
    ),
    alternative(
        "wraps the UnsafeFile in a new one that names the file too",
        replace_text(
            STORE,
            old="    except UnsafeFile:\n        raise\n",
            new=(
                "    except UnsafeFile as error:\n"
                '        raise UnsafeFile(f"{path}: {error}") from error\n'
            ),
        ),
    ),
    alternative(
        "an allow-list by module, load from the open file, other messages",
        replace_function(
            STORE,
            "CatalogUnpickler",
            '''
            class CatalogUnpickler(pickle.Unpickler):
                """An unpickler that builds only the classes a catalog is made of."""

                def find_class(self, module: str, name: str) -> type:
                    """Return ``module.name`` if it is allowed, else UnsafeFile."""
                    by_module: dict[str, set[str]] = {}
                    for allowed_module, allowed_name in ALLOWED:
                        by_module.setdefault(allowed_module, set()).add(allowed_name)
                    if name in by_module.get(module, set()):
                        return super().find_class(module, name)
                    raise UnsafeFile(f"{module}.{name} is not allowed in a catalog")
            ''',
        ),
        replace_function(
            STORE,
            "load_catalog",
            '''
            def load_catalog(path: Path) -> list[Product]:
                """Read the catalog saved by save_catalog()."""
                if not Path(path).exists():
                    return []
                with open(path, "rb") as handle:
                    if handle.read(1) == b"":
                        raise CorruptFile(f"nothing at all in {path}")
                    handle.seek(0)
                    try:
                        loaded = CatalogUnpickler(handle).load()
                    except UnsafeFile:
                        raise
                    except Exception as error:
                        raise CorruptFile(f"cannot unpickle {path}: {error!r}") from error
                if type(loaded) is not list:
                    raise CorruptFile(f"expected a list in {path}, found {loaded!r}")
                rebuilt = []
                for item in loaded:
                    if not isinstance(item, Product):
                        raise CorruptFile(f"{path}: {item!r} is no Product")
                    try:
                        rebuilt.append(
                            Product(
                                sku=item.sku,
                                name=item.name,
                                price=item.price,
                                category=item.category,
                                created_at=item.created_at,
                            )
                        )
                    except Exception as error:
                        raise CorruptFile(f"{path}: a bad product: {error}") from error
                return rebuilt
            ''',
        ),
    ),
]
