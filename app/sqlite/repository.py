# workshop: since 14
"""The sqlite3 backend of the product repository: the contract over crud.py."""

from __future__ import annotations

import builtins
import sqlite3

from app.domain import Product
from app.repository import ProductRepository
from app.sqlite.crud import (  # solution 14
    add_product,  # solution 14
    delete_product,  # solution 14
    get_product,  # solution 14
    list_products,  # solution 14
    update_product,  # solution 14
)  # solution 14
from app.sqlite.search import search_products  # solution 14


# >>> solution 14
class SqliteProductRepository(ProductRepository):
    """Products in a SQLite database, through one connection that it owns."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        """Keep ``conn`` (from connect(), schema created) as ``self.conn``."""
        self.conn = conn

    def add(self, product: Product) -> None:
        add_product(self.conn, product)

    def get(self, sku: str) -> Product:
        return get_product(self.conn, sku)

    def list(self) -> list[Product]:
        return list_products(self.conn)

    def update(self, product: Product) -> None:
        update_product(self.conn, product)

    def delete(self, sku: str) -> None:
        delete_product(self.conn, sku)

    def search(self, text: str) -> builtins.list[Product]:
        return search_products(self.conn, text)

    def close(self) -> None:
        """Close the connection: the repository owns it."""
        self.conn.close()


# <<<
