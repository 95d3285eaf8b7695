"""Variants of drill 27 (reserve stock with BEGIN IMMEDIATE): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

INVENTORY = "app/services/inventory.py"
RUN = "    return run_in_transaction(conn, work)\n"

VARIANTS = [
    wrong(
        "no transaction at all: the CHECK fires in the middle of a half-made order",
        replace_text(INVENTORY, old=RUN, new="    return work(conn)\n"),
    ),
    wrong(
        "a deferred transaction without retries",
        replace_text(
            INVENTORY,
            old=RUN,
            new='    return run_in_transaction(conn, work, mode="DEFERRED", attempts=1)\n',
        ),
    ),
    wrong(
        "checks the stock with one call, writes in another transaction",
        replace_function(
            INVENTORY,
            "reserve",
            """
            def reserve(conn, customer_id, lines):
                wanted = check_lines(lines)
                basket = []
                for sku, quantity in wanted.items():
                    row = conn.execute(
                        "SELECT products.id, price_cents, COALESCE(quantity, 0) AS on_hand"
                        " FROM products LEFT JOIN stock ON stock.product_id = products.id"
                        " WHERE sku = ?",
                        (sku,),
                    ).fetchone()
                    if row is None:
                        raise ProductNotFound(f"no {sku}", skus=[sku])
                    if row["on_hand"] < quantity:
                        raise OutOfStock(sku, quantity, row["on_hand"])
                    basket.append((row["id"], quantity, row["price_cents"]))

                def work(conn):
                    try:
                        order_id = conn.execute(
                            "INSERT INTO orders (customer_id, status, created_at)"
                            " VALUES (?, 'reserved', ?)",
                            (customer_id, utc_now().isoformat()),
                        ).lastrowid
                    except sqlite3.IntegrityError:
                        raise CustomerNotFound(customer_id) from None
                    for product_id, quantity, price_cents in basket:
                        conn.execute(
                            "UPDATE stock SET quantity = quantity - ? WHERE product_id = ?",
                            (quantity, product_id),
                        )
                        conn.execute(
                            "INSERT INTO order_items VALUES (?, ?, ?, ?)",
                            (order_id, product_id, quantity, price_cents),
                        )
                    return order_id

                return run_in_transaction(conn, work)
            """,
        ),
    ),
    wrong(
        "writes the order before checking every line (step 24's shape)",
        replace_function(
            INVENTORY,
            "reserve",
            """
            def reserve(conn, customer_id, lines):
                wanted = check_lines(lines)

                def work(conn):
                    try:
                        order_id = conn.execute(
                            "INSERT INTO orders (customer_id, status, created_at)"
                            " VALUES (?, 'reserved', ?)",
                            (customer_id, utc_now().isoformat()),
                        ).lastrowid
                    except sqlite3.IntegrityError:
                        raise CustomerNotFound(customer_id) from None
                    for sku, quantity in wanted.items():
                        row = conn.execute(
                            "SELECT products.id, price_cents, COALESCE(quantity, 0) AS on_hand"
                            " FROM products LEFT JOIN stock ON stock.product_id = products.id"
                            " WHERE sku = ?",
                            (sku,),
                        ).fetchone()
                        if row is None:
                            raise ProductNotFound(f"no {sku}", skus=[sku])
                        if row["on_hand"] < quantity:
                            raise OutOfStock(sku, quantity, row["on_hand"])
                        conn.execute(
                            "UPDATE stock SET quantity = quantity - ? WHERE product_id = ?",
                            (quantity, row["id"]),
                        )
                        conn.execute(
                            "INSERT INTO order_items VALUES (?, ?, ?, ?)",
                            (order_id, row["id"], quantity, row["price_cents"]),
                        )
                    return order_id

                return run_in_transaction(conn, work)
            """,
        ),
    ),
    wrong(
        "an inner JOIN: a product without a stock row is 'not found'",
        replace_text(
            INVENTORY,
            old=" FROM products LEFT JOIN stock ON",
            new=" FROM products JOIN stock ON",
        ),
    ),
    wrong(
        "catches OutOfStock inside the work and reports nothing",
        replace_text(
            INVENTORY,
            old='                raise OutOfStock(sku, quantity, row["on_hand"])\n',
            new="                return None\n",
        ),
    ),
    alternative(
        "one query for the whole basket, executemany for the writes, other messages",
        replace_function(
            INVENTORY,
            "reserve",
            """
            def reserve(conn, customer_id, lines):
                wanted = check_lines(lines)

                def work(conn):
                    marks = ", ".join("?" for _ in wanted)
                    found = {
                        row["sku"]: row
                        for row in conn.execute(
                            "SELECT sku, products.id AS id, price_cents,"
                            " IFNULL(stock.quantity, 0) AS on_hand FROM products"
                            " LEFT JOIN stock ON stock.product_id = products.id"
                            f" WHERE sku IN ({marks})",
                            list(wanted),
                        )
                    }
                    for sku, quantity in wanted.items():
                        if sku not in found:
                            raise ProductNotFound(f"{sku}: unknown", skus=[sku])
                        if found[sku]["on_hand"] < quantity:
                            raise OutOfStock(sku, quantity, found[sku]["on_hand"])
                    if not conn.execute(
                        "SELECT 1 FROM customers WHERE id = ?", (customer_id,)
                    ).fetchone():
                        raise CustomerNotFound(customer_id)
                    order_id = conn.execute(
                        "INSERT INTO orders (customer_id, status, created_at)"
                        " VALUES (?, 'reserved', datetime('now'))",
                        (customer_id,),
                    ).lastrowid
                    conn.executemany(
                        "UPDATE stock SET quantity = quantity - ? WHERE product_id = ?",
                        [(q, found[s]["id"]) for s, q in wanted.items()],
                    )
                    conn.executemany(
                        "INSERT INTO order_items VALUES (?, ?, ?, ?)",
                        [
                            (order_id, found[s]["id"], q, found[s]["price_cents"])
                            for s, q in wanted.items()
                        ],
                    )
                    return order_id

                return run_in_transaction(conn, work)
            """,
        ),
    ),
    alternative(
        "a deferred transaction with retries: correct, if wasteful",
        replace_text(
            INVENTORY,
            old=RUN,
            new='    return run_in_transaction(conn, work, mode="DEFERRED", attempts=20)\n',
        ),
    ),
]
