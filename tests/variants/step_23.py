"""Variants of drill 23 (savepoints): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

SAVEPOINTS = "app/sqlite/transactions.py"
PARTIAL = "app/services/partial_import.py"

VARIANTS = [
    wrong(
        "ROLLBACK TO without RELEASE: the savepoint stays on the stack",
        replace_text(
            SAVEPOINTS,
            old='            conn.execute(f"ROLLBACK TO {name}")\n'
            '            conn.execute(f"RELEASE {name}")\n',
            new='            conn.execute(f"ROLLBACK TO {name}")\n',
        ),
    ),
    wrong(
        "any name spliced into the SQL",
        replace_text(
            SAVEPOINTS,
            old="    if not SAVEPOINT_NAME.match(name):\n",
            new="    if False:\n",
        ),
    ),
    wrong(
        "the error caught inside the savepoint block, so it never rolls back",
        replace_text(
            PARTIAL,
            old="""            try:
                with savepoint(conn, "one_product"):
                    insert_product(conn, product, quantity)
            except (DuplicateSku, InvalidProduct, InvalidQuantity) as error:
                rejected.append(Rejected(product.sku, str(error)))
""",
            new="""            with savepoint(conn, "one_product"):
                try:
                    insert_product(conn, product, quantity)
                except (DuplicateSku, InvalidProduct, InvalidQuantity) as error:
                    rejected.append(Rejected(product.sku, str(error)))
""",
        ),
    ),
    wrong(
        "except Exception: a busy database counted as a bad product",
        replace_text(
            PARTIAL,
            old="            except (DuplicateSku, InvalidProduct, InvalidQuantity) as error:\n",
            new="            except Exception as error:\n",
        ),
    ),
    wrong(
        "add_product_with_stock() inside the transaction",
        replace_text(
            PARTIAL,
            old="                    insert_product(conn, product, quantity)\n",
            new="                    from app.sqlite.stock import add_product_with_stock\n\n"
            "                    add_product_with_stock(conn, product, quantity)\n",
        ),
    ),
    wrong(
        "no outer transaction: each savepoint commits its product by itself",
        replace_text(
            PARTIAL,
            old="    with transaction(conn):\n        for product, quantity in items:\n",
            new="    if True:\n        for product, quantity in items:\n",
        ),
    ),
    alternative(
        "str.isidentifier(), SQL by hand with a savepoint name per item",
        replace_function(
            SAVEPOINTS,
            "savepoint",
            '''
            @contextmanager
            def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[sqlite3.Connection]:
                """SAVEPOINT, then RELEASE, or ROLLBACK TO and RELEASE."""
                if not (name.isascii() and name.isidentifier()):
                    raise ValueError(f"{name!r}: letters, digits and _ only, please")
                conn.execute("SAVEPOINT " + name)
                ok = False
                try:
                    yield conn
                    ok = True
                finally:
                    if not ok and conn.in_transaction:
                        conn.execute("ROLLBACK TO " + name)
                    if ok or conn.in_transaction:
                        conn.execute("RELEASE " + name)
            ''',
        ),
        replace_function(
            PARTIAL,
            "add_products_keeping_good_ones",
            '''
            def add_products_keeping_good_ones(
                conn: sqlite3.Connection, items: Iterable[tuple[Product, int]]
            ) -> list[Rejected]:
                """Savepoints written out by hand, one name per item."""
                refused = []
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for number, (product, quantity) in enumerate(items):
                        conn.execute(f"SAVEPOINT item_{number}")
                        try:
                            insert_product(conn, product, quantity)
                        except (DuplicateSku, InvalidProduct, InvalidQuantity) as error:
                            conn.execute(f"ROLLBACK TO item_{number}")
                            refused.append(Rejected(sku=product.sku, reason=str(error)))
                        conn.execute(f"RELEASE item_{number}")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                return refused
            ''',
        ),
    ),
]
