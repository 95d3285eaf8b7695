"""Variants of drill 25 (restock a delivery, all or nothing): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

RESTOCK = "app/services/restock.py"


VARIANTS = [
    wrong(
        "commits every 500 lines to keep each transaction short",
        replace_function(
            RESTOCK,
            "restock",
            """
            def restock(conn, lines, note="delivery"):
                checked = check_delivery(lines)
                with transaction(conn):
                    delivery_id = conn.execute(
                        "INSERT INTO deliveries (note, created_at) VALUES (?, ?)",
                        (note, utc_now().isoformat()),
                    ).lastrowid
                for start in range(0, len(checked), 500):
                    with transaction(conn):
                        rows = [
                            (delivery_id, line_no, product_id(conn, sku, line_no), quantity)
                            for line_no, (sku, quantity) in enumerate(
                                checked[start : start + 500], start=start + 1
                            )
                        ]
                        conn.executemany(
                            "INSERT INTO delivery_lines VALUES (?, ?, ?, ?)", rows
                        )
                        conn.executemany(
                            "INSERT INTO stock (product_id, quantity) VALUES (?, ?)"
                            " ON CONFLICT (product_id) DO UPDATE"
                            " SET quantity = quantity + excluded.quantity",
                            [(row[2], row[3]) for row in rows],
                        )
                return delivery_id
            """,
        ),
    ),
    wrong(
        "a transaction per line",
        replace_function(
            RESTOCK,
            "restock",
            """
            def restock(conn, lines, note="delivery"):
                checked = check_delivery(lines)
                delivery_id = conn.execute(
                    "INSERT INTO deliveries (note, created_at) VALUES (?, ?)",
                    (note, utc_now().isoformat()),
                ).lastrowid
                for line_no, (sku, quantity) in enumerate(checked, start=1):
                    with transaction(conn):
                        pid = product_id(conn, sku, line_no)
                        conn.execute(
                            "INSERT INTO delivery_lines VALUES (?, ?, ?, ?)",
                            (delivery_id, line_no, pid, quantity),
                        )
                        conn.execute(
                            "INSERT INTO stock (product_id, quantity) VALUES (?, ?)"
                            " ON CONFLICT (product_id) DO UPDATE"
                            " SET quantity = quantity + excluded.quantity",
                            (pid, quantity),
                        )
                return delivery_id
            """,
        ),
    ),
    wrong(
        "no transaction: executemany() alone is not all or nothing in autocommit",
        replace_text(
            RESTOCK, old="    with transaction(conn):\n", new="    if True:\n"
        ),
    ),
    wrong(
        "line numbers counted from 0",
        replace_text(
            RESTOCK,
            old="        for line_no, (sku, quantity) in enumerate(checked, start=1):\n",
            new="        for line_no, (sku, quantity) in enumerate(checked):\n",
        ),
    ),
    wrong(
        "UPDATE stock only: a product without a stock row books nothing",
        replace_text(
            RESTOCK,
            old="""            "INSERT INTO stock (product_id, quantity)"
            " SELECT product_id, SUM(quantity) FROM delivery_lines"
            " WHERE delivery_id = ? GROUP BY product_id"
            " ON CONFLICT (product_id) DO UPDATE"
            " SET quantity = quantity + excluded.quantity",""",
            new="""            "UPDATE stock SET quantity = quantity + (SELECT SUM(quantity)"
            " FROM delivery_lines AS line WHERE line.delivery_id = ?"
            " AND line.product_id = stock.product_id)"
            " WHERE product_id IN (SELECT product_id FROM delivery_lines)",""",
        ),
    ),
    wrong(
        "a SKU that appears twice counts only its last line",
        replace_text(
            RESTOCK,
            old="    checked = check_delivery(lines)\n",
            new="    checked = list(dict(check_delivery(lines)).items())\n",
        ),
    ),
    wrong(
        "the unknown SKU's error does not say which line",
        replace_text(RESTOCK, old="            line=line_no,\n", new=""),
    ),
    alternative(
        "set-based: lines inserted with INSERT ... SELECT, the missing SKU found afterwards",
        replace_function(
            RESTOCK,
            "restock",
            """
            def restock(conn, lines, note="delivery"):
                checked = check_delivery(lines)
                with transaction(conn):
                    delivery_id = conn.execute(
                        "INSERT INTO deliveries (note, created_at)"
                        " VALUES (?, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))",
                        (note,),
                    ).lastrowid
                    conn.executemany(
                        "INSERT INTO delivery_lines (delivery_id, line_no, product_id, quantity)"
                        " SELECT ?, ?, id, ? FROM products WHERE sku = ?",
                        [
                            (delivery_id, line_no, quantity, sku)
                            for line_no, (sku, quantity) in enumerate(checked, 1)
                        ],
                    )
                    booked = {
                        row[0]
                        for row in conn.execute(
                            "SELECT line_no FROM delivery_lines WHERE delivery_id = ?",
                            (delivery_id,),
                        )
                    }
                    for line_no, (sku, _) in enumerate(checked, 1):
                        if line_no not in booked:
                            raise ProductNotFound(
                                f"delivery line {line_no} names {sku}, which we do not sell",
                                skus=[sku],
                                line=line_no,
                            )
                    conn.execute(
                        "INSERT INTO stock (product_id, quantity)"
                        " SELECT product_id, SUM(quantity) FROM delivery_lines"
                        " WHERE delivery_id = ? GROUP BY product_id"
                        " ON CONFLICT (product_id) DO UPDATE"
                        " SET quantity = quantity + excluded.quantity",
                        (delivery_id,),
                    )
                return delivery_id
            """,
        ),
    ),
    alternative(
        "all SKUs looked up in one query, stock summed in Python with a Counter",
        replace_function(
            RESTOCK,
            "restock",
            """
            def restock(conn, lines, note="delivery"):
                from collections import Counter

                checked = check_delivery(lines)
                with transaction(conn):
                    skus = sorted({sku for sku, _ in checked})
                    marks = ",".join("?" * len(skus))
                    ids = dict(
                        conn.execute(
                            f"SELECT sku, id FROM products WHERE sku IN ({marks})", skus
                        ).fetchall()
                    )
                    for line_no, (sku, _) in enumerate(checked, 1):
                        if sku not in ids:
                            raise ProductNotFound(f"no such SKU: {sku}", skus=[sku], line=line_no)
                    delivery_id = conn.execute(
                        "INSERT INTO deliveries (note, created_at) VALUES (?, ?)",
                        (note, utc_now().isoformat()),
                    ).lastrowid
                    conn.executemany(
                        "INSERT INTO delivery_lines VALUES (?, ?, ?, ?)",
                        [
                            (delivery_id, n, ids[sku], quantity)
                            for n, (sku, quantity) in enumerate(checked, 1)
                        ],
                    )
                    totals = Counter()
                    for sku, quantity in checked:
                        totals[ids[sku]] += quantity
                    conn.executemany(
                        "INSERT INTO stock (product_id, quantity) VALUES (?, ?)"
                        " ON CONFLICT (product_id) DO UPDATE"
                        " SET quantity = quantity + excluded.quantity",
                        sorted(totals.items()),
                    )
                return delivery_id
            """,
        ),
    ),
]
