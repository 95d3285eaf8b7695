"""Variants of drill 03 (JSON, exact money and times): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

STORE = "app/files/json_store.py"

VARIANTS = [
    wrong(
        "writes money as a float",
        replace_text(
            STORE,
            old='        "price": str(product.price),\n',
            new='        "price": float(product.price),\n',
        ),
    ),
    wrong(
        "refuses a float price but lets an int through",
        replace_text(
            STORE,
            old="    if not isinstance(price, str):\n",
            new="    if isinstance(price, float):\n",
        ),
    ),
    wrong(
        "converts any price with str(price) first",
        replace_text(
            STORE,
            old="        price=parse_price(price),\n",
            new="        price=parse_price(str(price)),\n",
        ),
        replace_text(
            STORE,
            old="    if not isinstance(price, str):\n",
            new="    if False:\n",
        ),
    ),
    wrong(
        "writes naive times (no UTC offset)",
        replace_text(
            STORE,
            old='        "created_at": product.created_at.isoformat(),\n',
            new='        "created_at": product.created_at.replace(tzinfo=None).isoformat(),\n',
        ),
    ),
    wrong(
        "escapes every non-ASCII character",
        replace_text(
            STORE,
            old="    return json.dumps(document, indent=2, ensure_ascii=False)",
            new="    return json.dumps(document, indent=2)",
        ),
    ),
    wrong(
        "saves in place instead of atomically",
        replace_function(
            STORE,
            "save_catalog_json",
            '''
            def save_catalog_json(products: Iterable[Product], path: Path) -> None:
                """Write the catalog to ``path`` as UTF-8 JSON."""
                Path(path).write_text(dumps_catalog(products), encoding="utf-8")
            ''',
        ),
    ),
    wrong(
        "a missing file is an error",
        replace_text(
            STORE,
            old="    except FileNotFoundError:\n        return []\n    except UnicodeDecodeError:",
            new="    except UnicodeDecodeError:",
        ),
    ),
    wrong(
        "does not check the document's format",
        replace_function(
            STORE,
            "catalog_from_document",
            '''
            def catalog_from_document(document: Any) -> list[Product]:
                """The products of a catalog document."""
                try:
                    return [product_from_dict(item) for item in document["products"]]
                except (KeyError, TypeError, ValueError) as error:
                    raise CorruptFile(f"a product entry is malformed: {error!r}") from None
            ''',
        ),
    ),
    wrong(
        "lets json.JSONDecodeError escape",
        replace_function(
            STORE,
            "loads_catalog",
            '''
            def loads_catalog(text: str) -> list[Product]:
                """Parse a document written by dumps_catalog()."""
                return catalog_from_document(json.loads(text))
            ''',
        ),
    ),
    wrong(
        "errors from a file do not name it",
        replace_text(
            STORE,
            old='        error.args = (f"{path}: {error}",)\n',
            new="",
        ),
    ),
    alternative(
        "asdict and a JSONEncoder subclass, reading with json.load",
        replace_function(
            STORE,
            "product_to_dict",
            '''
            def product_to_dict(product: Product) -> dict[str, Any]:
                """A JSON-ready dict: price as a string, created_at as ISO 8601."""
                import dataclasses

                data = dataclasses.asdict(product)
                data["price"] = format(product.price, "f")
                data["created_at"] = datetime.isoformat(product.created_at)
                return data
            ''',
        ),
        replace_function(
            STORE,
            "dumps_catalog",
            '''
            def dumps_catalog(products: Iterable[Product]) -> str:
                """The whole catalog as a JSON document."""

                class Encoder(json.JSONEncoder):
                    def default(self, value: Any) -> Any:
                        if isinstance(value, Decimal):
                            return str(value)
                        return super().default(value)

                return json.dumps(
                    catalog_to_document(products), cls=Encoder, ensure_ascii=False
                )
            ''',
        ),
        replace_function(
            STORE,
            "load_catalog_json",
            '''
            def load_catalog_json(path: Path) -> list[Product]:
                """Read ``path``; a missing file is an empty catalog."""
                path = Path(path)
                if not path.is_file():
                    return []
                try:
                    with path.open(encoding="utf-8") as handle:
                        document = json.load(handle)
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise CorruptFile(f"cannot read {path}: {error}") from error
                try:
                    return catalog_from_document(document)
                except CorruptFile as error:
                    error.args = (f"in {path}: {error.args[0]}",)
                    raise
            ''',
        ),
    ),
    alternative(
        "explicit key checks instead of catching KeyError",
        replace_function(
            STORE,
            "product_from_dict",
            '''
            def product_from_dict(data: dict[str, Any]) -> Product:
                """The inverse of product_to_dict()."""
                if not isinstance(data, dict):
                    raise CorruptFile(f"a product must be an object, not {data!r}")
                missing = {"sku", "name", "price", "created_at"} - data.keys()
                if missing:
                    raise CorruptFile(f"a product lacks {sorted(missing)}")
                if type(data["price"]) is not str:
                    raise CorruptFile(f"price {data['price']!r} is not text")
                return Product(
                    sku=data["sku"],
                    name=data["name"],
                    price=data["price"],
                    category=data.get("category"),
                    created_at=datetime.fromisoformat(data["created_at"]),
                )
            ''',
        ),
    ),
]
