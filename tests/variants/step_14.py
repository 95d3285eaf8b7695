"""Variants of drill 14 (SqliteProductRepository): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, wrong

REPO = "app/sqlite/repository.py"

VARIANTS = [
    wrong(
        "close() does nothing",
        replace_function(
            REPO,
            "SqliteProductRepository.close",
            '''
            def close(self) -> None:
                """Nothing to release."""
            ''',
        ),
    ),
    wrong(
        "search() lists every product",
        replace_function(
            REPO,
            "SqliteProductRepository.search",
            """
            def search(self, text: str) -> list[Product]:
                return list_products(self.conn)
            """,
        ),
    ),
    wrong(
        "delete() swallows ProductNotFound",
        replace_function(
            REPO,
            "SqliteProductRepository.delete",
            """
            def delete(self, sku: str) -> None:
                try:
                    delete_product(self.conn, sku)
                except Exception:
                    pass
            """,
        ),
    ),
    wrong(
        "update() calls the wrong function (add_product)",
        replace_function(
            REPO,
            "SqliteProductRepository.update",
            """
            def update(self, product: Product) -> None:
                add_product(self.conn, product)
            """,
        ),
    ),
    wrong(
        "keeps the path and opens a new connection in every method",
        replace_function(
            REPO,
            "SqliteProductRepository",
            '''
            class SqliteProductRepository(ProductRepository):
                """Products in a SQLite database, one connection per call."""

                def __init__(self, conn: sqlite3.Connection) -> None:
                    self.conn = conn
                    self.path = conn.execute("PRAGMA database_list").fetchone()["file"]

                def _fresh(self) -> sqlite3.Connection:
                    from app.sqlite.db import connect

                    return connect(self.path)

                def add(self, product: Product) -> None:
                    add_product(self._fresh(), product)

                def get(self, sku: str) -> Product:
                    return get_product(self._fresh(), sku)

                def list(self) -> list[Product]:
                    return list_products(self._fresh())

                def update(self, product: Product) -> None:
                    update_product(self._fresh(), product)

                def delete(self, sku: str) -> None:
                    delete_product(self._fresh(), sku)

                def search(self, text: str) -> list[Product]:
                    return search_products(self._fresh(), text)

                def close(self) -> None:
                    self.conn.close()
            ''',
        ),
    ),
    alternative(
        "update() looks the product up first, close() through contextlib.closing",
        replace_function(
            REPO,
            "SqliteProductRepository.update",
            """
            def update(self, product: Product) -> None:
                get_product(self.conn, product.sku)  # ProductNotFound first
                update_product(self.conn, product)
            """,
        ),
        replace_function(
            REPO,
            "SqliteProductRepository.close",
            '''
            def close(self) -> None:
                """Close the connection."""
                import contextlib

                with contextlib.closing(self.conn):
                    pass
            ''',
        ),
        replace_function(
            REPO,
            "SqliteProductRepository.add",
            """
            def add(self, product: Product) -> None:
                row_id = add_product(self.conn, product)
                assert row_id > 0
            """,
        ),
    ),
]
