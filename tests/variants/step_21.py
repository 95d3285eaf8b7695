"""Variants of drill 21 (streaming CSV export): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

EXPORT = "app/sqlite/csv_export.py"

VARIANTS = [
    wrong(
        "fetchall(): every row in memory before the first is written",
        replace_text(
            EXPORT,
            old='        " ORDER BY p.sku"\n    )\n',
            new='        " ORDER BY p.sku"\n    ).fetchall()\n',
        ),
    ),
    wrong(
        "the whole text built in a string, written at the end",
        replace_function(
            EXPORT,
            "export_products",
            '''
            def export_products(conn: sqlite3.Connection, out: TextIO) -> int:
                """Everything into a StringIO first."""
                import io

                buffer = io.StringIO(newline="")
                writer = csv.writer(buffer)
                writer.writerow(COLUMNS)
                count = 0
                for row in conn.execute(
                    "SELECT p.sku, p.name, p.price_cents, c.name, p.created_at"
                    " FROM products AS p LEFT JOIN categories AS c ON c.id = p.category_id"
                    " ORDER BY p.sku"
                ):
                    writer.writerow((row[0], row[1], from_cents(row[2]), row[3], row[4]))
                    count += 1
                out.write(buffer.getvalue())
                return count
            ''',
        ),
    ),
    wrong(
        "the price as a float",
        replace_text(
            EXPORT,
            old='                from_cents(row["price_cents"]),\n',
            new='                row["price_cents"] / 100,\n',
        ),
    ),
    wrong(
        "an inner join drops the uncategorised products",
        replace_text(
            EXPORT,
            old='" FROM products AS p LEFT JOIN categories',
            new='" FROM products AS p JOIN categories',
        ),
    ),
    alternative(
        "DictWriter fed from fetchmany() batches, the price formatted from cents",
        replace_function(
            EXPORT,
            "export_products",
            '''
            def export_products(conn: sqlite3.Connection, out: TextIO) -> int:
                """Batches of 200 rows from fetchmany()."""
                writer = csv.DictWriter(out, fieldnames=COLUMNS)
                writer.writeheader()
                cursor = conn.cursor()
                cursor.execute(
                    "SELECT p.sku, p.name, p.price_cents, c.name AS category,"
                    " p.created_at FROM products p"
                    " LEFT OUTER JOIN categories c ON p.category_id = c.id ORDER BY 1"
                )
                written = 0
                while batch := cursor.fetchmany(200):
                    for sku, name, cents, category, created_at in batch:
                        price = f"{cents // 100}.{cents % 100:02d}"
                        writer.writerow(
                            {
                                "sku": sku,
                                "name": name,
                                "price": price,
                                "category": category or "",
                                "created_at": created_at,
                            }
                        )
                    written += len(batch)
                return written
            ''',
        ),
    ),
]
