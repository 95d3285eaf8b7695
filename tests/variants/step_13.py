"""Variants of drill 13 (CRUD functions): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

CRUD = "app/sqlite/crud.py"

VARIANTS = [
    wrong(
        "pastes the SKU into the SQL of get_product()",
        replace_text(
            CRUD,
            old='conn.execute(SELECT_PRODUCT + " WHERE sku = ?", (sku,))',
            new="conn.execute(SELECT_PRODUCT + f\" WHERE sku = '{sku}'\")",
        ),
    ),
    wrong(
        "pastes the values of add_product() into the SQL",
        replace_function(
            CRUD,
            "add_product",
            '''
            def add_product(conn: sqlite3.Connection, product: Product) -> int:
                """Insert ``product``."""
                category = category_id(conn, product.category)
                cursor = conn.execute(
                    "INSERT INTO products (sku, name, price_cents, category_id,"
                    f" created_at) VALUES ('{product.sku}', '{product.name}',"
                    f" {to_cents(product.price)},"
                    f" {'NULL' if category is None else category},"
                    f" '{product.created_at.isoformat()}')"
                )
                assert cursor.lastrowid is not None
                return cursor.lastrowid
            ''',
        ),
    ),
    wrong(
        "update_product() ignores rowcount, so a missing SKU passes silently",
        replace_text(
            CRUD,
            old="""        raise store_error(error, product.sku) from None
    if cursor.rowcount == 0:
        raise ProductNotFound(skus=[product.sku])
""",
            new="""        raise store_error(error, product.sku) from None
""",
        ),
    ),
    wrong(
        "delete_product() ignores rowcount",
        replace_text(
            CRUD,
            old="""        raise store_error(error, sku) from None
    if cursor.rowcount == 0:
        raise ProductNotFound(skus=[sku])
""",
            new="""        raise store_error(error, sku) from None
""",
        ),
    ),
    wrong(
        "list_products() without ORDER BY",
        replace_text(
            CRUD, old='SELECT_PRODUCT + " ORDER BY sku"', new="SELECT_PRODUCT"
        ),
    ),
    wrong(
        "list_products() reads the SKUs, then one query per product",
        replace_function(
            CRUD,
            "list_products",
            '''
            def list_products(conn: sqlite3.Connection) -> list[Product]:
                """Every product, ordered by SKU."""
                skus = conn.execute("SELECT sku FROM products ORDER BY sku").fetchall()
                return [get_product(conn, row["sku"]) for row in skus]
            ''',
        ),
    ),
    wrong(
        "prices go through float",
        replace_text(
            CRUD,
            old="""                product.name,
                to_cents(product.price),
                category_id(conn, product.category),
                product.created_at.isoformat(),
                product.sku,""",
            new="""                product.name,
                int(float(product.price) * 100),
                category_id(conn, product.category),
                product.created_at.isoformat(),
                product.sku,""",
        ),
    ),
    wrong(
        "created_at stored in UTC, so its offset is lost",
        replace_text(
            CRUD,
            old="""                category_id(conn, product.category),
                product.created_at.isoformat(),
            ),
        )
    except sqlite3.Error as error:
        raise store_error(error, product.sku) from None
    assert cursor.lastrowid""",
            new="""                category_id(conn, product.category),
                product.created_at.astimezone(UTC).isoformat(),
            ),
        )
    except sqlite3.Error as error:
        raise store_error(error, product.sku) from None
    assert cursor.lastrowid""",
        ),
        replace_text(
            CRUD,
            old="from datetime import datetime\n",
            new="from datetime import UTC, datetime\n",
        ),
    ),
    wrong(
        "a missing SKU is reported without naming it",
        replace_function(
            CRUD,
            "get_product",
            '''
            def get_product(conn: sqlite3.Connection, sku: str) -> Product:
                """The product with this SKU."""
                row = conn.execute(SELECT_PRODUCT + " WHERE sku = ?", (sku,)).fetchone()
                if row is None:
                    raise ProductNotFound("no such product")
                return product_from_row(row)
            ''',
        ),
    ),
    alternative(
        "named placeholders, fetchall, other messages",
        replace_function(
            CRUD,
            "add_product",
            '''
            def add_product(conn: sqlite3.Connection, product: Product) -> int:
                """Insert ``product`` and return its row id."""
                values = {
                    "sku": product.sku,
                    "name": product.name,
                    "cents": to_cents(product.price),
                    "category": category_id(conn, product.category),
                    "created": product.created_at.isoformat(),
                }
                try:
                    cursor = conn.execute(
                        "INSERT INTO products (sku, name, price_cents, category_id,"
                        " created_at) VALUES (:sku, :name, :cents, :category, :created)",
                        values,
                    )
                except sqlite3.Error as error:
                    raise store_error(error, product.sku) from None
                return int(cursor.lastrowid or 0)
            ''',
        ),
        replace_function(
            CRUD,
            "get_product",
            '''
            def get_product(conn: sqlite3.Connection, sku: str) -> Product:
                """The product with this SKU."""
                rows = conn.execute(
                    SELECT_PRODUCT + " WHERE sku = :sku", {"sku": sku}
                ).fetchall()
                if not rows:
                    raise ProductNotFound(f"{sku}: unknown SKU")
                return product_from_row(rows[0])
            ''',
        ),
        replace_function(
            CRUD,
            "list_products",
            '''
            def list_products(conn: sqlite3.Connection) -> list[Product]:
                """Every product, ordered by SKU."""
                rows = conn.execute(SELECT_PRODUCT + " ORDER BY sku ASC").fetchall()
                return list(map(product_from_row, rows))
            ''',
        ),
        replace_function(
            CRUD,
            "delete_product",
            '''
            def delete_product(conn: sqlite3.Connection, sku: str) -> None:
                """Remove the product with this SKU."""
                try:
                    gone = conn.execute(
                        "DELETE FROM products WHERE sku = :sku", {"sku": sku}
                    ).rowcount
                except sqlite3.Error as error:
                    raise store_error(error, sku) from None
                if gone != 1:
                    raise ProductNotFound(f"cannot delete {sku}: not in the catalog")
            ''',
        ),
    ),
]
