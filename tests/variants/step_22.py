"""Variants of drill 22 (batch import, all or nothing): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

IMPORT = "app/sqlite/csv_import.py"

INSERT_ROWS = """    with transaction(conn, "IMMEDIATE"):
        try:
            cursor = conn.executemany(INSERT, rows())
"""

VARIANTS = [
    wrong(
        "a commit per batch of 500 rows",
        replace_text(
            IMPORT,
            old=INSERT_ROWS,
            new="""    import itertools

    pending, inserted = rows(), 0
    while batch := list(itertools.islice(pending, 500)):
        with transaction(conn, "IMMEDIATE"):
            try:
                inserted += conn.executemany(INSERT, batch).rowcount
            except sqlite3.Error as error:
                sku = str(at["sku"])
                raise InvalidCsv(
                    "taken", line=reader.line_num, column="sku", value=sku
                ) from store_error(error, sku)
    return inserted
    with transaction(conn, "IMMEDIATE"):
        try:
            cursor = conn.executemany(INSERT, rows())
""",
        ),
    ),
    wrong(
        "the whole file validated into a list first",
        replace_text(
            IMPORT,
            old="cursor = conn.executemany(INSERT, rows())",
            new="cursor = conn.executemany(INSERT, list(rows()))",
        ),
    ),
    wrong(
        "a DEFERRED transaction: the lock is asked for at the first INSERT",
        replace_text(
            IMPORT,
            old='    with transaction(conn, "IMMEDIATE"):\n',
            new="    with transaction(conn):\n",
        ),
    ),
    wrong(
        "the line in the message only, not in the attributes",
        replace_text(
            IMPORT,
            old="""            raise InvalidCsv(
                str(problem), line=reader.line_num, column="sku", value=sku
            ) from problem
""",
            new="""            raise InvalidCsv(f"line {reader.line_num}: {problem}") from problem
""",
        ),
    ),
    wrong(
        "line numbers that do not count the header",
        replace_text(
            IMPORT,
            old='str(problem), line=reader.line_num, column="sku"',
            new='str(problem), line=reader.line_num - 1, column="sku"',
        ),
    ),
    wrong(
        "the header is not checked for unknown columns",
        replace_text(
            IMPORT,
            old="    unknown = [column for column in header if column not in COLUMNS]\n",
            new="    unknown: list[str] = []\n",
        ),
    ),
    wrong(
        "a refused row raised without its InvalidProduct as the cause",
        replace_text(
            IMPORT,
            old="raise InvalidCsv(str(error), line=reader.line_num) from error",
            new="raise InvalidCsv(str(error), line=reader.line_num) from None",
        ),
    ),
    wrong(
        "a header that names a column twice: the last one wins",
        replace_text(
            IMPORT,
            old="    if twice := [column for column in COLUMNS if header.count(column) > 1]:\n",
            new="    if twice := []:\n",
        ),
    ),
    wrong(
        "lets the csv module's errors escape",
        replace_text(
            IMPORT,
            old=(
                "        except csv.Error as error:\n"
                '            raise InvalidCsv(f"not valid CSV: {error}", line=reader.line_num)'
                " from None\n"
                "        except sqlite3.Error as error:\n"
            ),
            new="        except sqlite3.Error as error:\n",
        ),
    ),
    wrong(
        "the fast path alone, with no validator behind it",
        replace_text(
            IMPORT,
            old="plain.values(cells) or checked(cells)",
            new="plain.values(cells)",
        ),
    ),
    alternative(
        "no fast path: every row through product_from_fields()",
        replace_text(
            IMPORT,
            old="plain.values(cells) or checked(cells)",
            new="checked(cells)",
        ),
    ),
    alternative(
        "DictReader, batches of 100 rows in one transaction, a set of SKUs seen",
        replace_function(
            IMPORT,
            "import_products",
            '''
            def import_products(
                conn: sqlite3.Connection, source: Iterable[bytes], *, now: datetime | None = None
            ) -> int:
                """Batches of 100 validated rows; SKUs checked against a set and the store."""
                from itertools import islice

                from app.errors import DuplicateSku
                from app.sqlite.crud import category_id

                reader = csv.DictReader(utf8_lines(source))
                try:
                    columns = list(reader.fieldnames or [])
                except csv.Error as error:
                    raise InvalidCsv(str(error), line=reader.reader.line_num) from error
                for column in REQUIRED:
                    if column not in columns:
                        raise InvalidCsv(f"no {column} column", line=1, column=column)
                for column in columns:
                    if column not in COLUMNS:
                        raise InvalidCsv(f"what is {column}?", line=1, column=column)
                    if columns.count(column) > 1:
                        raise InvalidCsv(f"{column} twice", line=1, column=column)
                when = now or utc_now()
                seen: set[str] = set()
                categories: dict[str | None, int | None] = {}

                def values():
                    for fields in reader:
                        line = reader.line_num
                        if None in fields or None in fields.values():
                            raise InvalidCsv("wrong number of cells", line=line)
                        try:
                            product = product_from_fields(fields, now=when)
                        except InvalidProduct as error:
                            raise InvalidCsv("bad row", line=line) from error
                        taken = conn.execute(
                            "SELECT 1 FROM products WHERE sku = ?", (product.sku,)
                        ).fetchone()
                        if product.sku in seen or taken:
                            raise InvalidCsv(
                                "SKU in use", line=line, column="sku", value=product.sku
                            ) from DuplicateSku(product.sku)
                        seen.add(product.sku)
                        if product.category not in categories:
                            categories[product.category] = category_id(conn, product.category)
                        yield (
                            product.sku,
                            product.name,
                            to_cents(product.price),
                            categories[product.category],
                            product.created_at.isoformat(),
                        )

                count = 0
                pending = values()
                with transaction(conn, "IMMEDIATE"):
                    try:
                        while batch := list(islice(pending, 100)):
                            conn.executemany(INSERT, batch)
                            count += len(batch)
                    except csv.Error as error:
                        raise InvalidCsv(str(error), line=reader.reader.line_num) from error
                return count
            ''',
        ),
    ),
]
