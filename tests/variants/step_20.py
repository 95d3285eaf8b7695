"""Variants of drill 20 (aggregation): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

REPORTS = "app/sqlite/reports.py"

VARIANTS = [
    wrong(
        "AVG() in SQL, rounded in Decimal: the average went through a float",
        replace_function(
            REPORTS,
            "category_figures",
            '''
            def category_figures(conn: sqlite3.Connection) -> dict[str | None, Figures]:
                """SQLite averages the prices."""
                rows = conn.execute(
                    "SELECT c.name AS category, COUNT(*) AS products,"
                    " AVG(p.price_cents) AS mean,"
                    " COALESCE(SUM(p.price_cents * s.quantity), 0) AS stock_cents"
                    " FROM products AS p"
                    " LEFT JOIN categories AS c ON c.id = p.category_id"
                    " LEFT JOIN stock AS s ON s.product_id = p.id"
                    " GROUP BY p.category_id ORDER BY c.name IS NULL, c.name"
                )
                return {
                    row["category"]: Figures(
                        row["products"],
                        (Decimal(row["mean"]) / 100).quantize(CENT, rounding=ROUND_HALF_UP),
                        from_cents(row["stock_cents"]),
                    )
                    for row in rows
                }
            ''',
        ),
    ),
    wrong(
        "AVG(price_cents) / 100.0 in the query",
        replace_text(
            REPORTS,
            old='    return {row["category"]: _figures(row) for row in rows}\n',
            new="""    return {
        row["category"]: Figures(
            row["products"],
            Decimal(str(round(row["price_cents"] / row["products"] / 100.0, 2))),
            from_cents(row["stock_cents"]),
        )
        for row in rows
    }
""",
        ),
    ),
    wrong(
        "rounds half to even (Decimal's default)",
        replace_text(
            REPORTS,
            old="    return mean.quantize(CENT, rounding=ROUND_HALF_UP)\n",
            new="    return mean.quantize(CENT)\n",
        ),
    ),
    wrong(
        "an inner join to stock drops products without a stock row",
        replace_text(
            REPORTS,
            old='        " LEFT JOIN stock AS s ON s.product_id = p.id"\n        " GROUP BY',
            new='        " JOIN stock AS s ON s.product_id = p.id"\n        " GROUP BY',
        ),
    ),
    wrong(
        "no COALESCE: an empty store has a NULL stock value",
        replace_text(
            REPORTS,
            old='        " COALESCE(SUM(p.price_cents * s.quantity), 0) AS stock_cents"\n'
            '        " FROM products AS p LEFT JOIN stock',
            new='        " SUM(p.price_cents * s.quantity) AS stock_cents"\n'
            '        " FROM products AS p LEFT JOIN stock',
        ),
    ),
    wrong(
        "one query per category",
        replace_function(
            REPORTS,
            "category_figures",
            '''
            def category_figures(conn: sqlite3.Connection) -> dict[str | None, Figures]:
                """The categories first, then the figures of each."""
                found = {}
                names = [r[0] for r in conn.execute("SELECT name FROM categories ORDER BY name")]
                for name in [*names, None]:
                    row = conn.execute(
                        "SELECT COUNT(*) AS products,"
                        " COALESCE(SUM(p.price_cents), 0) AS price_cents,"
                        " COALESCE(SUM(p.price_cents * s.quantity), 0) AS stock_cents"
                        " FROM products AS p"
                        " LEFT JOIN categories AS c ON c.id = p.category_id"
                        " LEFT JOIN stock AS s ON s.product_id = p.id"
                        " WHERE c.name IS ?",
                        (name,),
                    ).fetchone()
                    if row["products"]:
                        found[name] = _figures(row)
                return found
            ''',
        ),
    ),
    alternative(
        "integer arithmetic for the average, GROUP BY the name, a subquery for stock",
        replace_function(
            REPORTS,
            "average_price",
            '''
            def average_price(total_cents: int, count: int) -> Decimal | None:
                """Round half up with divmod: twice the remainder against the count."""
                if not count:
                    return None
                cents, remainder = divmod(total_cents, count)
                cents += 2 * remainder >= count
                return Decimal(cents).scaleb(-2)
            ''',
        ),
        replace_function(
            REPORTS,
            "category_figures",
            '''
            def category_figures(conn: sqlite3.Connection) -> dict[str | None, Figures]:
                """Grouped by the category's name; stock per product by subquery."""
                rows = conn.execute(
                    "SELECT c.name AS category, COUNT(p.id) AS products,"
                    " SUM(p.price_cents) AS price_cents,"
                    " IFNULL(SUM(p.price_cents * (SELECT quantity FROM stock"
                    " WHERE product_id = p.id)), 0) AS stock_cents"
                    " FROM products p LEFT JOIN categories c ON p.category_id = c.id"
                    " GROUP BY c.name ORDER BY c.name NULLS LAST"
                ).fetchall()
                return dict((row["category"], _figures(row)) for row in rows)
            ''',
        ),
    ),
]
