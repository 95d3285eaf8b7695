"""Variants of drill 04 (YAML and the file store): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

YAML = "app/files/yaml_store.py"
REPO = "app/files/repository.py"


VARIANTS = [
    wrong(
        "loads with yaml.Loader, which builds Python objects",
        replace_text(
            YAML,
            old="        return yaml.load(text, Loader=SafeLoader)\n",
            new="        return yaml.load(text, Loader=yaml.Loader)\n",
        ),
    ),
    wrong(
        "yaml.full_load: refuses os.system, but still resolves !!python/name",
        replace_text(
            YAML,
            old="        return yaml.load(text, Loader=SafeLoader)\n",
            new="        return yaml.full_load(text)\n",
        ),
    ),
    wrong(
        "yaml.safe_load: safe, but never the C loader",
        replace_text(
            YAML,
            old="        return yaml.load(text, Loader=SafeLoader)\n",
            new="        return yaml.safe_load(text)\n",
        ),
    ),
    wrong(
        "treats every ConstructorError as an attack",
        replace_text(
            YAML,
            old=(
                '        if "could not determine a constructor" not in problem:\n'
                '            raise CorruptFile(f"{source}: not plain YAML data: {problem}")'
                " from None\n"
            ),
            new="",
        ),
    ),
    wrong(
        "catches only ConstructorError, so bad syntax escapes",
        replace_text(
            YAML,
            old=(
                "    except yaml.YAMLError as error:\n"
                '        raise CorruptFile(f"{source}: not valid YAML: {error}") from None\n'
            ),
            new="",
        ),
    ),
    wrong(
        "messages that do not start with the source",
        replace_text(
            YAML,
            old='        raise CorruptFile(f"{source}: not valid YAML: {error}") from None\n',
            new='        raise CorruptFile(f"not valid YAML ({source}): {error}") from None\n',
        ),
    ),
    wrong(
        "lets Product() refuse a float price, without the fix",
        replace_text(
            YAML,
            old='        if isinstance(entry.get("price"), float):\n',
            new="        if False:\n",
        ),
    ),
    wrong(
        "isinstance(low_stock, int) lets true through",
        replace_text(
            YAML,
            old="    if type(settings.low_stock) is not int:\n",
            new="    if not isinstance(settings.low_stock, int):\n",
        ),
    ),
    wrong(
        "ignores unknown top-level keys",
        replace_text(
            YAML,
            old='    if unknown := sorted(map(str, set(data) - {"store", "seed"})):\n',
            new="    if False:\n",
        ),
    ),
    wrong(
        "wraps every error of a YAML catalog in a new CorruptFile",
        replace_text(
            YAML,
            old=(
                "        if str(path) not in str(error):\n"
                '            error.args = (f"{path}: {error}",)'
                "  # name the file, keep the error's kind\n"
                "        raise\n"
            ),
            new='        raise CorruptFile(f"{path}: {error}") from None\n',
        ),
    ),
    wrong(
        "a missing YAML catalog is an error",
        replace_text(
            YAML,
            old=(
                "    except FileNotFoundError:\n"
                "        return []\n"
                "    except UnicodeDecodeError:\n"
                '        raise CorruptFile(f"{path} is not UTF-8 text, so not a YAML'
                ' catalog") from None\n'
            ),
            new=(
                "    except UnicodeDecodeError:\n"
                '        raise CorruptFile(f"{path} is not UTF-8 text, so not a YAML'
                ' catalog") from None\n'
            ),
        ),
    ),
    wrong(
        "changes the store before saving it",
        replace_function(
            REPO,
            "FileProductRepository._commit",
            '''
            def _commit(self, products: dict[str, Product]) -> None:
                """Keep ``products``, then write them."""
                self._products = products
                self._save([products[sku] for sku in sorted(products)], self.path)
            ''',
        ),
    ),
    wrong(
        "searches with text.casefold(), not search_key(): no length limit",
        replace_text(
            REPO, old="needle = search_key(text)", new="needle = text.casefold()"
        ),
    ),
    wrong(
        "a SKU listed twice: the last one silently wins",
        replace_text(
            REPO,
            old="            if product.sku in self._products:\n                raise CorruptFile(",
            new="            if False:\n                raise CorruptFile(",
        ),
    ),
    wrong(
        "hands out the stored products themselves",
        replace_text(
            REPO,
            old="            return copy.deepcopy(self._products[sku])\n",
            new="            return self._products[sku]\n",
        ),
        replace_text(
            REPO,
            old="        return [copy.deepcopy(self._products[sku]) for sku in sorted(self._products)]\n",
            new="        return [self._products[sku] for sku in sorted(self._products)]\n",
        ),
    ),
    alternative(
        "problem text checked with startswith, other messages, one loop for keys",
        replace_function(
            YAML,
            "load_yaml",
            '''
            def load_yaml(text: str, source: str = "YAML") -> Any:
                """Parse ``text`` with the safe loader; plain data only."""
                try:
                    return yaml.load(text, SafeLoader)
                except yaml.constructor.ConstructorError as error:
                    if (error.problem or "").startswith("could not determine a constructor"):
                        raise UnsafeFile(f"{source}: unknown tag, nothing was run") from error
                    raise CorruptFile(f"{source}: {error.problem}") from error
                except yaml.YAMLError as error:
                    raise CorruptFile(f"{source}: broken YAML ({error})") from error
            ''',
        ),
        replace_function(
            YAML,
            "load_store_file",
            '''
            def load_store_file(path: Path) -> StoreFile:
                """Read the store's settings and seed products from a YAML file."""
                data = load_yaml(Path(path).read_text(encoding="utf-8"), str(path))
                data = {} if data is None else data
                if not isinstance(data, dict):
                    raise CorruptFile(f"{path}: the top level must be a mapping")
                for key in data:
                    if key not in ("store", "seed"):
                        raise CorruptFile(f"{path}: what is {key!r}?")
                raw = data.get("store") or {}
                if not isinstance(raw, dict):
                    raise CorruptFile(f"{path}: store: a mapping, please")
                for key, value in raw.items():
                    if key not in Settings.__dataclass_fields__:
                        raise CorruptFile(f"{path}: unknown setting {key!r}")
                    wanted = int if key == "low_stock" else str
                    if type(value) is not wanted:
                        raise CorruptFile(f"{path}: {key} must be {wanted.__name__}")
                entries = data.get("seed") or []
                if not isinstance(entries, list):
                    raise CorruptFile(f"{path}: seed: a list, please")
                seed = []
                for entry in entries:
                    if not isinstance(entry, dict):
                        raise CorruptFile(f"{path}: {entry!r} is not a product")
                    if type(entry.get("price")) is float:
                        raise InvalidPrice(
                            f"{path}: {entry.get('sku')}: a bare {entry['price']} is a"
                            " float; quote it"
                        )
                    try:
                        seed.append(Product(**entry))
                    except InvalidPrice:
                        raise
                    except Exception as error:
                        raise CorruptFile(f"{path}: bad product: {error}") from error
                return StoreFile(Settings(**raw), seed)
            ''',
        ),
    ),
    alternative(
        "a repository without the _commit helper: copy, change, save, swap",
        replace_function(
            REPO,
            "FileProductRepository",
            '''
            class FileProductRepository(ProductRepository):
                """Products kept in one catalog file (.pkl, .json, .yaml or .yml)."""

                def __init__(self, path: Path) -> None:
                    self.path = Path(path)
                    self._load, self._save = format_for(self.path)
                    loaded = self._load(self.path)
                    skus = [p.sku for p in loaded]
                    twice = sorted({sku for sku in skus if skus.count(sku) > 1})
                    if twice:
                        raise CorruptFile(f"SKU {twice[0]} appears twice in {self.path}")
                    self._products = {p.sku: p for p in loaded}

                def _store(self, products: dict[str, Product]) -> None:
                    ordered = sorted(products.values(), key=lambda p: p.sku)
                    self._save(ordered, self.path)
                    self._products = products

                def add(self, product: Product) -> None:
                    if product.sku in self._products:
                        raise DuplicateSku(f"{product.sku} exists")
                    changed = dict(self._products)
                    changed[product.sku] = copy.copy(product)
                    self._store(changed)

                def get(self, sku: str) -> Product:
                    if sku not in self._products:
                        raise ProductNotFound(sku)
                    return copy.copy(self._products[sku])

                def list(self) -> list[Product]:
                    return [self.get(sku) for sku in sorted(self._products)]

                def update(self, product: Product) -> None:
                    self.get(product.sku)
                    changed = dict(self._products)
                    changed[product.sku] = copy.copy(product)
                    self._store(changed)

                def delete(self, sku: str) -> None:
                    self.get(sku)
                    changed = dict(self._products)
                    del changed[sku]
                    self._store(changed)

                def search(self, text: str) -> list[Product]:
                    needle = search_key(text)
                    return [
                        p for p in self.list() if needle in f"{p.sku}\\0{p.name}".casefold()
                    ]
            ''',
        ),
    ),
]
