"""Variants of drill 26 (wallets: transfers and refunds): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

TRANSFERS = "app/services/transfers.py"

VARIANTS = [
    wrong(
        "refund reads the refunds so far before its transaction (the race)",
        replace_function(
            TRANSFERS,
            "refund",
            """
            def refund(conn, transfer_id, amount=None):
                wanted = None if amount is None else to_cents(parse_amount(amount))
                paid = conn.execute(
                    "SELECT from_customer, to_customer, amount_cents, refund_of"
                    " FROM transfers WHERE id = ?",
                    (transfer_id,),
                ).fetchone()
                if paid is None:
                    raise TransferNotFound(transfer_id)
                if paid["refund_of"] is not None:
                    raise InvalidTransfer("a refund", transfer_id=transfer_id)
                refunded = conn.execute(
                    "SELECT COALESCE(SUM(amount_cents), 0) FROM transfers"
                    " WHERE refund_of = ?",
                    (transfer_id,),
                ).fetchone()[0]
                left = paid["amount_cents"] - refunded
                cents = left if wanted is None else wanted
                if left == 0 or cents > left:
                    raise InvalidTransfer(
                        "too much", transfer_id=transfer_id, left=from_cents(left)
                    )
                return run_in_transaction(
                    conn,
                    lambda conn: move_money(
                        conn, paid["to_customer"], paid["from_customer"], cents, transfer_id
                    ),
                )
            """,
        ),
    ),
    wrong(
        "transfer reads the balances before its transaction and writes computed ones",
        replace_function(
            TRANSFERS,
            "transfer",
            """
            def transfer(conn, source, target, amount):
                cents = to_cents(parse_amount(amount))
                if source == target:
                    raise InvalidTransfer("own wallet")
                have = to_cents(balance(conn, source))
                other = to_cents(balance(conn, target))
                if have < cents:
                    raise InsufficientFunds(source, from_cents(cents), from_cents(have))

                def work(conn):
                    conn.execute(
                        "UPDATE wallets SET balance_cents = ? WHERE customer_id = ?",
                        (have - cents, source),
                    )
                    conn.execute(
                        "UPDATE wallets SET balance_cents = ? WHERE customer_id = ?",
                        (other + cents, target),
                    )
                    return conn.execute(
                        "INSERT INTO transfers (from_customer, to_customer,"
                        " amount_cents, refund_of, created_at) VALUES (?, ?, ?, NULL, ?)",
                        (source, target, cents, utc_now().isoformat()),
                    ).lastrowid

                return run_in_transaction(conn, work)
            """,
        ),
    ),
    wrong(
        "refund in a deferred transaction without retries",
        replace_text(
            TRANSFERS,
            old="    return run_in_transaction(conn, work)\n",
            new='    return run_in_transaction(conn, work, mode="DEFERRED", attempts=1)\n',
        ),
    ),
    wrong(
        "refund checks only the transfer's amount, not the refunds so far",
        replace_text(
            TRANSFERS,
            old='        left = paid["amount_cents"] - refunded\n',
            new='        left = paid["amount_cents"]\n',
        ),
    ),
    wrong(
        "a refund can be refunded",
        replace_text(
            TRANSFERS,
            old='        if paid["refund_of"] is not None:\n',
            new="        if False:\n",
        ),
    ),
    wrong(
        "nothing left is not refused: refunding 0.00 hits the CHECK",
        replace_text(
            TRANSFERS, old="if left == 0 or cents > left:", new="if cents > left:"
        ),
    ),
    wrong(
        "paying your own wallet reaches the database's CHECK",
        replace_text(
            TRANSFERS, old="    if source == target:\n", new="    if False:\n"
        ),
    ),
    wrong(
        "money through float, without parse_amount(): 0.1 is accepted",
        replace_text(
            TRANSFERS,
            old="    cents = to_cents(parse_amount(amount))\n",
            new="    cents = int(float(amount) * 100)\n",
        ),
    ),
    wrong(
        "InsufficientFunds reports the amount wanted as available",
        replace_text(
            TRANSFERS,
            old="        available = balance(conn, source)  # WalletNotFound if there is none\n",
            new="        balance(conn, source)\n        available = from_cents(cents)\n",
        ),
    ),
    wrong(
        "catches InsufficientFunds inside the work: half a transfer is committed",
        replace_function(
            TRANSFERS,
            "move_money",
            """
            def move_money(conn, source, target, cents, refund_of):
                if not conn.execute(
                    "UPDATE wallets SET balance_cents = balance_cents + ?"
                    " WHERE customer_id = ?",
                    (cents, target),
                ).rowcount:
                    raise WalletNotFound(target)
                try:
                    if not conn.execute(
                        "UPDATE wallets SET balance_cents = balance_cents - ?"
                        " WHERE customer_id = ? AND balance_cents >= ?",
                        (cents, source, cents),
                    ).rowcount:
                        raise InsufficientFunds(
                            source, from_cents(cents), balance(conn, source)
                        )
                except InsufficientFunds:
                    return None
                return conn.execute(
                    "INSERT INTO transfers (from_customer, to_customer, amount_cents,"
                    " refund_of, created_at) VALUES (?, ?, ?, ?, ?)",
                    (source, target, cents, refund_of, utc_now().isoformat()),
                ).lastrowid
            """,
        ),
    ),
    wrong(
        "refund checks in one run_in_transaction() and moves the money in a second",
        replace_text(
            TRANSFERS,
            old="""        return move_money(
            conn, paid["to_customer"], paid["from_customer"], cents, transfer_id
        )

    return run_in_transaction(conn, work)
""",
            new="""        return paid["to_customer"], paid["from_customer"], cents

    source, target, cents = run_in_transaction(conn, work)
    return run_in_transaction(
        conn, lambda conn: move_money(conn, source, target, cents, transfer_id)
    )
""",
        ),
    ),
    wrong(
        "refund works out 'all that is left' before its transaction",
        replace_text(
            TRANSFERS,
            old="""    wanted = None if amount is None else to_cents(parse_amount(amount))
""",
            new="""    wanted = None if amount is None else to_cents(parse_amount(amount))
    if wanted is None:
        row = conn.execute(
            "SELECT amount_cents - (SELECT COALESCE(SUM(amount_cents), 0)"
            " FROM transfers WHERE refund_of = ?) FROM transfers WHERE id = ?",
            (transfer_id, transfer_id),
        ).fetchone()
        wanted = None if row is None or row[0] <= 0 else row[0]
""",
        ),
    ),
    wrong(
        "transfer checks the balance before its transaction",
        replace_text(
            TRANSFERS,
            old="""    if source == target:
        raise InvalidTransfer(f"customer {source} cannot pay their own wallet")
""",
            new="""    if source == target:
        raise InvalidTransfer(f"customer {source} cannot pay their own wallet")
    if to_cents(balance(conn, source)) < cents:
        raise InsufficientFunds(source, from_cents(cents), balance(conn, source))
""",
        ),
    ),
    wrong(
        "transfer turns the parsed amount into cents through a float",
        replace_text(
            TRANSFERS,
            old="    cents = to_cents(parse_amount(amount))\n",
            new="    cents = int(float(parse_amount(amount)) * 100)\n",
        ),
    ),
    wrong(
        "refund turns the parsed amount into cents through a float",
        replace_text(
            TRANSFERS,
            old="    wanted = None if amount is None else to_cents(parse_amount(amount))\n",
            new="    wanted = None if amount is None else int(float(parse_amount(amount)) * 100)\n",
        ),
    ),
    wrong(
        "transfer in transaction(conn, 'IMMEDIATE') itself: no retry",
        replace_text(
            TRANSFERS,
            old="""    return run_in_transaction(
        conn, lambda conn: move_money(conn, source, target, cents, refund_of=None)
    )
""",
            new="""    from app.sqlite.db import transaction

    with transaction(conn, "IMMEDIATE"):
        return move_money(conn, source, target, cents, refund_of=None)
""",
        ),
    ),
    alternative(
        "balances read and written back inside BEGIN IMMEDIATE; other messages",
        replace_function(
            TRANSFERS,
            "move_money",
            """
            def move_money(conn, source, target, cents, refund_of):
                wallets = {
                    row["customer_id"]: row["balance_cents"]
                    for row in conn.execute(
                        "SELECT customer_id, balance_cents FROM wallets"
                        " WHERE customer_id IN (?, ?)",
                        (source, target),
                    )
                }
                for customer in (source, target):
                    if customer not in wallets:
                        raise WalletNotFound(customer)
                if wallets[source] < cents:
                    raise InsufficientFunds(
                        source, from_cents(cents), from_cents(wallets[source])
                    )
                conn.executemany(
                    "UPDATE wallets SET balance_cents = ? WHERE customer_id = ?",
                    [(wallets[source] - cents, source), (wallets[target] + cents, target)],
                )
                return conn.execute(
                    "INSERT INTO transfers (from_customer, to_customer, amount_cents,"
                    " refund_of, created_at) VALUES (?, ?, ?, ?, datetime('now'))",
                    (source, target, cents, refund_of),
                ).lastrowid
            """,
        ),
    ),
    alternative(
        "refund reads the transfer and its refunds in one query, other messages",
        replace_function(
            TRANSFERS,
            "refund",
            """
            def refund(conn, transfer_id, amount=None):
                wanted = None if amount is None else to_cents(parse_amount(amount))

                def work(conn):
                    row = conn.execute(
                        "SELECT paid.from_customer, paid.to_customer, paid.refund_of,"
                        " paid.amount_cents - COALESCE(SUM(back.amount_cents), 0)"
                        " AS left_cents"
                        " FROM transfers AS paid"
                        " LEFT JOIN transfers AS back ON back.refund_of = paid.id"
                        " WHERE paid.id = ? GROUP BY paid.id",
                        (transfer_id,),
                    ).fetchone()
                    if row is None:
                        raise TransferNotFound(transfer_id)
                    if row["refund_of"] is not None:
                        raise InvalidTransfer(
                            "refunds are final", transfer_id=transfer_id
                        )
                    left = row["left_cents"]
                    cents = wanted or left
                    if not 0 < cents <= left:
                        raise InvalidTransfer(
                            f"only {from_cents(left)} is refundable",
                            transfer_id=transfer_id,
                            left=from_cents(left),
                        )
                    return move_money(
                        conn, row["to_customer"], row["from_customer"], cents, transfer_id
                    )

                return run_in_transaction(conn, work)
            """,
        ),
    ),
    alternative(
        "refund in a deferred transaction with retries: correct, if wasteful",
        replace_text(
            TRANSFERS,
            old="    return run_in_transaction(conn, work)\n",
            new='    return run_in_transaction(conn, work, mode="DEFERRED", attempts=20)\n',
        ),
    ),
    alternative(
        "refund sums the refunds so far in Python, inside its transaction",
        replace_text(
            TRANSFERS,
            old="""        refunded = conn.execute(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM transfers WHERE refund_of = ?",
            (transfer_id,),
        ).fetchone()[0]
""",
            new="""        refunded = sum(
            row["amount_cents"]
            for row in conn.execute(
                "SELECT amount_cents FROM transfers WHERE refund_of = ?",
                (transfer_id,),
            )
        )
""",
        ),
    ),
]
