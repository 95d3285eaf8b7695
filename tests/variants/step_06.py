"""Variants of drill 06 (skipping attributes): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, wrong

CATALOG = "app/catalog.py"

VARIANTS = [
    wrong(
        "returns __dict__ minus the derived keys, so later attributes are saved",
        replace_function(
            CATALOG,
            "Catalog.__getstate__",
            """
            def __getstate__(self) -> dict[str, Any]:
                with self._lock:
                    state = {
                        key: value
                        for key, value in self.__dict__.items()
                        if not key.startswith("_") and key != "total_value"
                    }
                    state["products"] = list(self.products.values())
                    return state
            """,
        ),
    ),
    wrong(
        "reads the state without taking the lock",
        replace_function(
            CATALOG,
            "Catalog.__getstate__",
            """
            def __getstate__(self) -> dict[str, Any]:
                return {
                    "products": list(self.products.values()),
                    "log_path": self.log_path,
                }
            """,
        ),
    ),
    wrong(
        "saves the live products dict, not a snapshot list",
        replace_function(
            CATALOG,
            "Catalog.__getstate__",
            """
            def __getstate__(self) -> dict[str, Any]:
                with self._lock:
                    return {"products": self.products, "log_path": self.log_path}
            """,
        ),
        replace_function(
            CATALOG,
            "Catalog.__setstate__",
            """
            def __setstate__(self, state: dict[str, Any]) -> None:
                self.products = dict(state["products"])
                self.log_path = state["log_path"]
                self._rebuild()
            """,
        ),
    ),
    wrong(
        "forgets to rebuild the index, the lock and the log on load",
        replace_function(
            CATALOG,
            "Catalog.__setstate__",
            """
            def __setstate__(self, state: dict[str, Any]) -> None:
                self.products = {p.sku: p for p in state["products"]}
                self.log_path = state["log_path"]
            """,
        ),
    ),
    wrong(
        "from_dict goes through __init__ and logs every product again",
        replace_function(
            CATALOG,
            "Catalog.from_dict",
            """
            @classmethod
            def from_dict(cls, data: dict[str, Any]) -> Catalog:
                log_path = data["log_path"]
                return cls(
                    [product_from_dict(item) for item in data["products"]],
                    log_path=Path(log_path) if log_path is not None else None,
                )
            """,
        ),
    ),
    alternative(
        "to_dict reuses __getstate__, __setstate__ updates vars(), object.__new__",
        replace_function(
            CATALOG,
            "Catalog.__getstate__",
            """
            def __getstate__(self) -> dict[str, Any]:
                with self._lock:
                    snapshot = [self.products[sku] for sku in self.products]
                return dict(products=snapshot, log_path=self.log_path)
            """,
        ),
        replace_function(
            CATALOG,
            "Catalog.__setstate__",
            """
            def __setstate__(self, state: dict[str, Any]) -> None:
                vars(self).update(
                    products={product.sku: product for product in state["products"]},
                    log_path=state["log_path"],
                )
                self._rebuild()
            """,
        ),
        replace_function(
            CATALOG,
            "Catalog.to_dict",
            """
            def to_dict(self) -> dict[str, Any]:
                state = self.__getstate__()
                path = state["log_path"]
                return {
                    "products": [product_to_dict(p) for p in state["products"]],
                    "log_path": None if path is None else path.as_posix(),
                }
            """,
        ),
        replace_function(
            CATALOG,
            "Catalog.from_dict",
            """
            @classmethod
            def from_dict(cls, data: dict[str, Any]) -> Catalog:
                catalog = object.__new__(cls)
                path = data.get("log_path")
                products = list(map(product_from_dict, data["products"]))
                catalog.__setstate__(
                    {"products": products, "log_path": path and Path(path)}
                )
                return catalog
            """,
        ),
    ),
]
