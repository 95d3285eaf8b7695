"""Variants of drill 18 (explicit transactions): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

DB = "app/sqlite/db.py"
STOCK = "app/sqlite/stock.py"

VARIANTS = [
    wrong(
        "rolls back on Exception only, so Ctrl-C leaves the transaction open",
        replace_text(
            DB, old="    except BaseException:\n", new="    except Exception:\n"
        ),
    ),
    wrong(
        "commits in finally, so a failing block is committed",
        replace_function(
            DB,
            "transaction",
            '''
            @contextmanager
            def transaction(conn: sqlite3.Connection, mode: str = "DEFERRED") -> Iterator[None]:
                """Commit in finally."""
                mode = mode.upper()
                if mode not in MODES:
                    raise ValueError(f"bad mode {mode!r}")
                conn.execute(f"BEGIN {mode}")
                try:
                    yield
                finally:
                    conn.execute("COMMIT")
            ''',
        ),
    ),
    wrong(
        "swallows the block's exception after rolling back",
        replace_text(
            DB,
            old='            conn.execute("ROLLBACK")\n        raise\n',
            new='            conn.execute("ROLLBACK")\n        return\n',
        ),
    ),
    wrong(
        "pastes any mode into the SQL",
        replace_text(
            DB,
            old="    if mode not in MODES:\n",
            new="    if mode.split()[0:1] not in ([m] for m in MODES) and mode:\n",
        ),
    ),
    wrong(
        "a failed COMMIT leaves the transaction open",
        replace_text(
            DB,
            old="""    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        # A COMMIT that fails (the database busy, say) leaves the transaction
        # open: end it, or the next BEGIN on this connection fails too.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise store_error(error) from None
""",
            new="""    try:
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise store_error(error) from None
""",
        ),
    ),
    wrong(
        "checks the quantity in Python and writes without a transaction",
        replace_function(
            STOCK,
            "add_product_with_stock",
            '''
            def add_product_with_stock(
                conn: sqlite3.Connection, product: Product, quantity: int
            ) -> int:
                """No transaction: the check in Python is meant to make it safe."""
                from app.errors import InvalidProduct

                if quantity < 0:
                    raise InvalidProduct(f"quantity {quantity} is negative")
                product_id = add_product(conn, product)
                try:
                    conn.execute(
                        "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
                        (product_id, quantity),
                    )
                except sqlite3.Error as error:
                    raise store_error(error, product.sku) from None
                return product_id
            ''',
        ),
    ),
    wrong(
        "the product and its stock in two transactions",
        replace_function(
            STOCK,
            "add_product_with_stock",
            '''
            def add_product_with_stock(
                conn: sqlite3.Connection, product: Product, quantity: int
            ) -> int:
                """One transaction per write."""
                with transaction(conn, "IMMEDIATE"):
                    product_id = add_product(conn, product)
                with transaction(conn, "IMMEDIATE"):
                    try:
                        conn.execute(
                            "INSERT INTO stock (product_id, quantity) VALUES (?, ?)",
                            (product_id, quantity),
                        )
                    except sqlite3.Error as error:
                        raise store_error(error, product.sku) from None
                return product_id
            ''',
        ),
    ),
    alternative(
        "a context manager class, Connection.commit() and rollback(), other messages",
        replace_function(
            DB,
            "transaction",
            '''
            class transaction:  # noqa: N801 - used like the function it replaces
                """BEGIN on entry; COMMIT or ROLLBACK on exit."""

                def __init__(self, conn: sqlite3.Connection, mode: str = "DEFERRED") -> None:
                    if not isinstance(mode, str) or mode.upper() not in MODES:
                        raise ValueError(f"pick one of {MODES}, not {mode!r}")
                    self.conn, self.mode = conn, mode.upper()

                def __enter__(self) -> None:
                    try:
                        self.conn.execute("BEGIN " + self.mode)
                    except sqlite3.Error as error:
                        raise store_error(error) from error

                def __exit__(self, kind, error, trace) -> bool:
                    if kind is not None:
                        self.conn.rollback()
                        return False
                    try:
                        self.conn.commit()
                    except sqlite3.Error as failure:
                        self.conn.rollback()
                        raise store_error(failure) from failure
                    return False
            ''',
        ),
    ),
    alternative(
        "stock_of() with a LEFT JOIN and COALESCE",
        replace_function(
            STOCK,
            "stock_of",
            '''
            def stock_of(conn: sqlite3.Connection, sku: str) -> int:
                """The quantity in stock, 0 without a stock row."""
                row = conn.execute(
                    "SELECT COALESCE(s.quantity, 0) FROM products AS p"
                    " LEFT JOIN stock AS s ON s.product_id = p.id WHERE p.sku = ?",
                    (sku,),
                ).fetchone()
                if row is None:
                    raise ProductNotFound(sku)
                return row[0]
            ''',
        ),
    ),
]
