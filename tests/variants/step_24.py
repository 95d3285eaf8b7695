"""Variants of drill 24 (place an order in one transaction): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

ORDERS = "app/services/orders.py"

VARIANTS = [
    wrong(
        "a transaction per line: each line is atomic, the order is not",
        replace_function(
            ORDERS,
            "place_order",
            """
            def place_order(conn, customer_id, lines):
                wanted = check_lines(lines)
                with transaction(conn):
                    try:
                        order_id = conn.execute(
                            "INSERT INTO orders (customer_id, status, created_at)"
                            " VALUES (?, 'placed', ?)",
                            (customer_id, utc_now().isoformat()),
                        ).lastrowid
                    except sqlite3.IntegrityError:
                        raise CustomerNotFound(customer_id) from None
                for sku, quantity in wanted.items():
                    with transaction(conn):
                        take_from_stock(conn, sku, quantity, order_id)
                return order_id
            """,
        ),
    ),
    wrong(
        "no transaction at all: every statement commits by itself",
        replace_text(ORDERS, old="    with transaction(conn):\n", new="    if True:\n"),
    ),
    wrong(
        "catches the error inside the with block, so it commits what was done",
        replace_function(
            ORDERS,
            "place_order",
            """
            def place_order(conn, customer_id, lines):
                wanted = check_lines(lines)
                failure = None
                with transaction(conn):
                    try:
                        order_id = conn.execute(
                            "INSERT INTO orders (customer_id, status, created_at)"
                            " VALUES (?, 'placed', ?)",
                            (customer_id, utc_now().isoformat()),
                        ).lastrowid
                        for sku, quantity in wanted.items():
                            take_from_stock(conn, sku, quantity, order_id)
                    except sqlite3.IntegrityError:
                        failure = CustomerNotFound(customer_id)
                    except (OutOfStock, ProductNotFound) as error:
                        failure = error
                if failure is not None:
                    raise failure
                return order_id
            """,
        ),
    ),
    wrong(
        "OutOfStock says nothing is available instead of what the shelf holds",
        replace_text(
            ORDERS,
            old="raise OutOfStock(sku, quantity, stock_of(conn, sku))",
            new="raise OutOfStock(sku, quantity, 0)",
        ),
    ),
    wrong(
        "lets the foreign key's IntegrityError out instead of CustomerNotFound",
        replace_text(
            ORDERS,
            old="        except sqlite3.IntegrityError:\n",
            new="        except KeyError:\n",
        ),
    ),
    wrong(
        "skips check_lines(): a zero, negative or empty order gets through",
        replace_text(
            ORDERS,
            old="    wanted = check_lines(lines)\n    with",
            new="    wanted = dict(lines)\n    with",
        ),
    ),
    wrong(
        "the unknown SKU's error does not say which SKU",
        replace_text(
            ORDERS,
            old='f"no product has SKU {sku!r}; nothing was ordered", skus=[sku]',
            new='f"no product has SKU {sku!r}; nothing was ordered"',
        ),
    ),
    alternative(
        "checks the customer and every product first, then writes; other messages",
        replace_function(
            ORDERS,
            "place_order",
            """
            def place_order(conn, customer_id, lines):
                wanted = check_lines(lines)
                with transaction(conn):
                    if not conn.execute(
                        "SELECT 1 FROM customers WHERE id = ?", (customer_id,)
                    ).fetchone():
                        raise CustomerNotFound(customer_id)
                    marks = ", ".join("?" for _ in wanted)
                    products = {
                        row["sku"]: row
                        for row in conn.execute(
                            f"SELECT id, sku, price_cents FROM products WHERE sku IN ({marks})",
                            list(wanted),
                        )
                    }
                    for sku in wanted:
                        if sku not in products:
                            raise ProductNotFound(f"unknown product {sku}", skus=[sku])
                    order_id = conn.execute(
                        "INSERT INTO orders (customer_id, status, created_at)"
                        " VALUES (?, 'placed', datetime('now'))",
                        (customer_id,),
                    ).lastrowid
                    for sku, quantity in wanted.items():
                        product = products[sku]
                        if not conn.execute(
                            "UPDATE stock SET quantity = quantity - :q"
                            " WHERE product_id = :p AND quantity >= :q",
                            {"q": quantity, "p": product["id"]},
                        ).rowcount:
                            raise OutOfStock(sku, quantity, stock_of(conn, sku))
                    conn.executemany(
                        "INSERT INTO order_items"
                        " (order_id, product_id, quantity, unit_price_cents)"
                        " VALUES (?, ?, ?, ?)",
                        [
                            (order_id, products[s]["id"], q, products[s]["price_cents"])
                            for s, q in wanted.items()
                        ],
                    )
                return order_id
            """,
        ),
    ),
]
