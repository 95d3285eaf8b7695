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
                '        where = " ".join(str(error).split())  # PyYAML\'s message spans lines\n'
                '        raise CorruptFile(f"{source}: not valid YAML: {where}") from None\n'
            ),
            new="",
        ),
    ),
    wrong(
        "messages that do not start with the source",
        replace_text(
            YAML,
            old='        raise CorruptFile(f"{source}: not valid YAML: {where}") from None\n',
            new='        raise CorruptFile(f"not valid YAML ({source}): {where}") from None\n',
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
            old="            if product.sku in products:\n                raise CorruptFile(",
            new="            if False:\n                raise CorruptFile(",
        ),
    ),
    wrong(
        "keeps the product it was given, not a copy",
        replace_text(
            REPO,
            old=(
                "                raise DuplicateSku(skus=[product.sku])\n"
                "            self._commit({**products, product.sku:"
                " copy.deepcopy(product)})\n"
            ),
            new=(
                "                raise DuplicateSku(skus=[product.sku])\n"
                "            self._commit({**products, product.sku: product})\n"
            ),
        ),
    ),
    wrong(
        "checks and changes the catalog it read when it opened, not the file",
        replace_function(
            REPO,
            "FileProductRepository.add",
            """
            def add(self, product: Product) -> None:
                with self._locked():
                    if product.sku in self._products:
                        raise DuplicateSku(skus=[product.sku])
                    self._commit({**self._products, product.sku: copy.deepcopy(product)})
            """,
        ),
    ),
    wrong(
        "reads the file, then takes the lock to write",
        replace_function(
            REPO,
            "FileProductRepository.add",
            """
            def add(self, product: Product) -> None:
                products = self._read()
                if product.sku in products:
                    raise DuplicateSku(skus=[product.sku])
                with self._locked():
                    self._commit({**products, product.sku: copy.deepcopy(product)})
            """,
        ),
    ),
    wrong(
        "lets go of the lock before saving",
        replace_function(
            REPO,
            "FileProductRepository.add",
            """
            def add(self, product: Product) -> None:
                with self._locked():
                    products = self._read()
                    if product.sku in products:
                        raise DuplicateSku(skus=[product.sku])
                self._commit({**products, product.sku: copy.deepcopy(product)})
            """,
        ),
    ),
    wrong(
        "locks the catalog file itself, which every save replaces",
        replace_text(
            REPO,
            old='        with open(lock_path(self.path), "ab") as lock:\n',
            new='        with open(self.path, "ab") as lock:\n',
        ),
    ),
    wrong(
        "waits for the lock forever (a blocking flock)",
        replace_function(
            REPO,
            "FileProductRepository._locked",
            '''
            @contextmanager
            def _locked(self) -> Iterator[None]:
                """Hold the catalog's lock, however long that takes."""
                with open(lock_path(self.path), "ab") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    remove_leftovers(self.path)
                    yield
            ''',
        ),
    ),
    wrong(
        "never removes what killed writes left behind",
        replace_text(REPO, old="            remove_leftovers(self.path)\n", new=""),
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
        "one _change(edit) under the lock, os.open and its own deadline loop",
        replace_function(
            REPO,
            "FileProductRepository",
            '''
            class FileProductRepository(ProductRepository):
                """Products kept in one catalog file (.pkl, .json, .yaml or .yml)."""

                def __init__(self, path: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
                    self.path = Path(path)
                    self.lock_timeout = lock_timeout
                    self._load, self._save = format_for(self.path)
                    self._products = self._read()

                def _read(self) -> dict[str, Product]:
                    loaded = self._load(self.path)
                    skus = [p.sku for p in loaded]
                    twice = sorted({sku for sku in skus if skus.count(sku) > 1})
                    if twice:
                        raise CorruptFile(f"SKU {twice[0]} appears twice in {self.path}")
                    return {p.sku: p for p in loaded}

                @contextmanager
                def _locked(self) -> Iterator[None]:
                    import os

                    fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
                    try:
                        give_up = time.monotonic() + self.lock_timeout
                        while True:
                            try:
                                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                            except OSError:
                                if time.monotonic() > give_up:
                                    raise CatalogLocked(self.path, self.lock_timeout)
                                time.sleep(0.002)
                            else:
                                break
                        remove_leftovers(self.path)
                        try:
                            yield
                        finally:
                            fcntl.flock(fd, fcntl.LOCK_UN)
                    finally:
                        os.close(fd)

                def _change(self, edit: Callable[[dict[str, Product]], None]) -> None:
                    with self._locked():
                        products = dict(self._read())
                        edit(products)
                        self._save(sorted(products.values(), key=lambda p: p.sku), self.path)
                        self._products = products

                def _commit(self, products: dict[str, Product]) -> None:
                    raise AssertionError("not used: _change() saves")

                def add(self, product: Product) -> None:
                    def edit(products: dict[str, Product]) -> None:
                        if product.sku in products:
                            raise DuplicateSku(f"{product.sku} exists")
                        products[product.sku] = copy.deepcopy(product)

                    self._change(edit)

                def update(self, product: Product) -> None:
                    def edit(products: dict[str, Product]) -> None:
                        if product.sku not in products:
                            raise ProductNotFound(product.sku)
                        products[product.sku] = copy.deepcopy(product)

                    self._change(edit)

                def delete(self, sku: str) -> None:
                    def edit(products: dict[str, Product]) -> None:
                        if products.pop(sku, None) is None:
                            raise ProductNotFound(sku)

                    self._change(edit)

                def get(self, sku: str) -> Product:
                    try:
                        return copy.deepcopy(self._products[sku])
                    except KeyError:
                        raise ProductNotFound(skus=[sku]) from None

                def list(self) -> list[Product]:
                    return [copy.deepcopy(self._products[s]) for s in sorted(self._products)]

                def search(self, text: str) -> list[Product]:
                    needle = search_key(text)
                    return [
                        p for p in self.list() if needle in f"{p.sku}\\0{p.name}".casefold()
                    ]
            ''',
        ),
    ),
]
