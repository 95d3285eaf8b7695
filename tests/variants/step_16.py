"""Variants of drill 16 (escape_like(), search_products()): proof it grades fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

SEARCH = "app/sqlite/search.py"

VARIANTS = [
    wrong(
        "the first try: the user's text is the LIKE pattern",
        replace_text(
            SEARCH,
            old='pattern = "%" + escape_like(search_key(text)) + "%"',
            new='pattern = "%" + search_key(text) + "%"',
        ),
    ),
    wrong(
        "escapes % and _ but not the escape character",
        replace_function(
            SEARCH,
            "escape_like",
            '''
            def escape_like(text: str) -> str:
                """``text`` made literal for LIKE."""
                return text.replace("%", "\\\\%").replace("_", "\\\\_")
            ''',
        ),
    ),
    wrong(
        "escapes the wildcards first, then its own escapes",
        replace_function(
            SEARCH,
            "escape_like",
            '''
            def escape_like(text: str) -> str:
                """``text`` made literal for LIKE."""
                text = text.replace("%", "\\\\%").replace("_", "\\\\_")
                return text.replace("\\\\", "\\\\\\\\")
            ''',
        ),
    ),
    wrong(
        "forgets ESCAPE, so the backslashes are literal",
        replace_text(
            SEARCH,
            old="""        + " WHERE casefold(name) LIKE :pattern ESCAPE '\\\\'"
        + " OR casefold(sku) LIKE :pattern ESCAPE '\\\\' ORDER BY sku",""",
            new="""        + " WHERE casefold(name) LIKE :pattern"
        + " OR casefold(sku) LIKE :pattern ORDER BY sku",""",
        ),
    ),
    wrong(
        "lower() instead of casefold() (misses ß)",
        replace_text(
            SEARCH,
            old='conn.create_function("casefold", 1, str.casefold, deterministic=True)\n'
            '    pattern = "%" + escape_like(search_key(text)) + "%"',
            new='conn.create_function("casefold", 1, str.lower, deterministic=True)\n'
            '    pattern = "%" + escape_like(search_key(text).lower()) + "%"',
        ),
    ),
    wrong(
        "text.casefold() instead of search_key(): a very long text crashes LIKE",
        replace_text(
            SEARCH,
            old="escape_like(search_key(text))",
            new="escape_like(text.casefold())",
        ),
    ),
    wrong(
        "relies on SQLite's LIKE for case (ASCII only)",
        replace_text(
            SEARCH,
            old="""        + " WHERE casefold(name) LIKE :pattern ESCAPE '\\\\'"
        + " OR casefold(sku) LIKE :pattern ESCAPE '\\\\' ORDER BY sku",""",
            new="""        + " WHERE name LIKE :pattern ESCAPE '\\\\'"
        + " OR sku LIKE :pattern ESCAPE '\\\\' ORDER BY sku",""",
        ),
    ),
    wrong(
        "searches names only",
        replace_text(
            SEARCH,
            old="""        + " OR casefold(sku) LIKE :pattern ESCAPE '\\\\' ORDER BY sku",""",
            new="""        + " ORDER BY sku",""",
        ),
    ),
    wrong(
        "forgets ORDER BY",
        replace_text(
            SEARCH,
            old="""LIKE :pattern ESCAPE '\\\\' ORDER BY sku",""",
            new="""LIKE :pattern ESCAPE '\\\\'",""",
        ),
    ),
    alternative(
        "instr() on casefolded text, no LIKE at all",
        replace_function(
            SEARCH,
            "search_products",
            '''
            def search_products(conn: sqlite3.Connection, text: str) -> list[Product]:
                """Products whose name or SKU contains ``text``, ordered by SKU."""
                conn.create_function("fold", 1, str.casefold, deterministic=True)
                rows = conn.execute(
                    SELECT_PRODUCT
                    + " WHERE instr(fold(name), ?1) > 0 OR instr(fold(sku), ?1) > 0"
                    + " ORDER BY sku",
                    (search_key(text),),
                )
                return [product_from_row(row) for row in rows]
            ''',
        ),
    ),
    alternative(
        "re.sub escaping, raw strings, two positional placeholders",
        replace_function(
            SEARCH,
            "escape_like",
            '''
            def escape_like(text: str) -> str:
                """``text`` made literal for ``LIKE ? ESCAPE '\\\\'``."""
                import re

                return re.sub(r"([\\\\%_])", r"\\\\\\1", text)
            ''',
        ),
        replace_function(
            SEARCH,
            "search_products",
            '''
            def search_products(conn: sqlite3.Connection, text: str) -> list[Product]:
                """Products whose name or SKU contains ``text``, ordered by SKU."""
                conn.create_function("casefold", 1, str.casefold, deterministic=True)
                pattern = f"%{escape_like(search_key(text))}%"
                sql = (
                    SELECT_PRODUCT
                    + r" WHERE casefold(name) LIKE ? ESCAPE '\\'"
                    + r" OR casefold(sku) LIKE ? ESCAPE '\\'"
                    + " ORDER BY sku"
                )
                return [
                    product_from_row(row)
                    for row in conn.execute(sql, (pattern, pattern)).fetchall()
                ]
            ''',
        ),
    ),
]
