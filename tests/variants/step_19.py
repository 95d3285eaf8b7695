"""Variants of drill 19 (JOIN queries): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

CATEGORIES = "app/sqlite/categories.py"

VARIANTS = [
    wrong(
        "an inner JOIN in catalog(), so uncategorised products vanish",
        replace_text(
            CATEGORIES,
            old='        " LEFT JOIN categories AS c ON c.id = p.category_id"\n        " ORDER BY',
            new='        " JOIN categories AS c ON c.id = p.category_id"\n        " ORDER BY',
        ),
    ),
    wrong(
        "= NULL instead of IS NULL finds no empty category",
        replace_text(CATEGORIES, old="WHERE p.id IS NULL", new="WHERE p.id = NULL"),
    ),
    wrong(
        "uncategorised products first: NULL sorts before every name",
        replace_text(
            CATEGORIES,
            old='" ORDER BY c.name IS NULL, c.name, p.sku"',
            new='" ORDER BY c.name, p.sku"',
        ),
    ),
    wrong(
        "one query per category (N+1)",
        replace_function(
            CATEGORIES,
            "catalog",
            '''
            def catalog(conn: sqlite3.Connection) -> list[tuple[str | None, list[Product]]]:
                """A query for the names, then one per category."""
                names = [
                    row["name"]
                    for row in conn.execute("SELECT name FROM categories ORDER BY name")
                ]
                grouped = [(name, products_in_category(conn, name)) for name in names]
                grouped = [(name, found) for name, found in grouped if found]
                rows = conn.execute(
                    f"SELECT {COLUMNS} FROM products AS p"
                    " LEFT JOIN categories AS c ON c.id = p.category_id"
                    " WHERE p.category_id IS NULL ORDER BY p.sku"
                )
                loose = [product_from_row(row) for row in rows]
                return grouped + ([(None, loose)] if loose else [])
            ''',
        ),
    ),
    alternative(
        "NULLS LAST, a dict instead of groupby, NOT EXISTS for empty categories",
        replace_function(
            CATEGORIES,
            "catalog",
            '''
            def catalog(conn: sqlite3.Connection) -> list[tuple[str | None, list[Product]]]:
                """One query; products gathered per category in a dict."""
                grouped: dict[str | None, list[Product]] = {}
                for row in conn.execute(
                    f"SELECT {COLUMNS} FROM products AS p"
                    " LEFT OUTER JOIN categories AS c ON p.category_id = c.id"
                    " ORDER BY category NULLS LAST, p.sku"
                ):
                    grouped.setdefault(row["category"], []).append(product_from_row(row))
                return list(grouped.items())
            ''',
        ),
        replace_function(
            CATEGORIES,
            "empty_categories",
            '''
            def empty_categories(conn: sqlite3.Connection) -> list[str]:
                """Categories no product points at."""
                return [
                    name
                    for (name,) in conn.execute(
                        "SELECT name FROM categories AS c WHERE NOT EXISTS"
                        " (SELECT 1 FROM products WHERE category_id = c.id)"
                        " ORDER BY name"
                    )
                ]
            ''',
        ),
        replace_function(
            CATEGORIES,
            "products_in_category",
            '''
            def products_in_category(conn: sqlite3.Connection, category: str) -> list[Product]:
                """A LEFT JOIN filtered on the category: the same rows as a JOIN."""
                return [
                    product_from_row(row)
                    for row in conn.execute(
                        f"SELECT {COLUMNS} FROM products AS p LEFT JOIN categories AS c"
                        " ON p.category_id = c.id WHERE c.name = ? ORDER BY 1",
                        (category,),
                    ).fetchall()
                ]
            ''',
        ),
    ),
]
