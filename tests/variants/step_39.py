"""Variants of drill 39 (races on the last items): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

STOCK = "app/orm/stock.py"
LOCKED_READ = """    stock = session.scalars(
        stock_of(sku).with_for_update(of=models.StockLevel)
    ).one_or_none()
"""
CHECKS = """    if stock is None:
        raise ProductNotFound(skus=[sku])
    if stock.quantity < quantity:
        raise OutOfStock(sku, quantity, stock.quantity)
"""
WRITE = """    stock.quantity -= quantity
    session.flush()
    return stock.quantity
"""
CLAIM = "        .with_for_update(skip_locked=True)\n"
LOOP = """    for _ in range(attempts):
        try:
            with sessions.begin() as session:  # commits, or rolls back on error
"""

VARIANTS = [
    wrong(
        "claims any open task, not the oldest: no ORDER BY",
        replace_text(
            STOCK,
            old="""        .where(models.PickTask.done_at.is_(None))
        .order_by(models.PickTask.id)
""",
            new="""        .where(models.PickTask.done_at.is_(None))
""",
        ),
    ),
    wrong(
        "read-modify-write without a lock (the version column refuses the stale write)",
        replace_text(
            STOCK,
            old=LOCKED_READ,
            new="    stock = session.scalars(stock_of(sku)).one_or_none()\n",
        ),
    ),
    wrong(
        "read-modify-write without a lock, writing the number it computed: a lost update",
        replace_text(
            STOCK,
            old=LOCKED_READ,
            new="    stock = session.scalars(stock_of(sku)).one_or_none()\n",
        ),
        replace_text(
            STOCK,
            old=WRITE,
            new="""    session.execute(
        update(models.StockLevel.__table__)
        .where(models.StockLevel.__table__.c.product_id == stock.product_id)
        .values(quantity=stock.quantity - quantity)
    )
    return stock.quantity - quantity
""",
        ),
        replace_text(
            STOCK,
            old="from sqlalchemy import Select, select\n",
            new="from sqlalchemy import Select, select, update\n",
        ),
    ),
    wrong(
        "FOR UPDATE taken after the read, by a second SELECT (the first one's values stay)",
        replace_text(
            STOCK,
            old=LOCKED_READ,
            new="    stock = session.scalars(stock_of(sku)).one_or_none()\n"
            + LOCKED_READ,
        ),
    ),
    wrong(
        "checks the stock in Python, then an UPDATE without WHERE quantity >= n",
        replace_text(
            STOCK,
            old=LOCKED_READ,
            new="    stock = session.scalars(stock_of(sku)).one_or_none()\n",
        ),
        replace_text(
            STOCK,
            old=WRITE,
            new="""    table = models.StockLevel.__table__
    session.execute(
        update(table)
        .where(table.c.product_id == stock.product_id)
        .values(quantity=table.c.quantity - quantity, version=table.c.version + 1)
    )
    return stock.quantity - quantity
""",
        ),
        replace_text(
            STOCK,
            old="from sqlalchemy import Select, select\n",
            new="from sqlalchemy import Select, select, update\n",
        ),
    ),
    wrong(
        "catches StaleDataError and retries in the failed session",
        replace_text(
            STOCK,
            old=LOOP,
            new="""    with sessions.begin() as session:
        for _ in range(attempts):
            try:
""",
        ),
        replace_text(
            STOCK,
            old="""        except StaleDataError:
            continue  # another buyer committed first: read again, in a new session
        return left
    raise TooManyConflicts(sku, attempts)
""",
            new="""                return left
            except StaleDataError:
                continue
        raise TooManyConflicts(sku, attempts)
""",
        ),
    ),
    wrong(
        "no attempts limit: retries for as long as others are faster",
        replace_text(
            STOCK, old="    for _ in range(attempts):\n", new="    while True:\n"
        ),
        replace_text(
            STOCK,
            old="        return left\n    raise TooManyConflicts(sku, attempts)\n",
            new="        return left\n",
        ),
    ),
    wrong(
        "gives up at the first conflict instead of retrying",
        replace_text(
            STOCK,
            old="            continue  # another buyer committed first: read again, in a new session\n",
            new="            raise TooManyConflicts(sku, attempts) from None\n",
        ),
    ),
    wrong(
        "optimistic: checks the stock once, before the retry loop",
        replace_text(
            STOCK,
            old=LOOP,
            new="""    with sessions() as first:
        seen = first.scalars(stock_of(sku)).one_or_none()
        if seen is None:
            raise ProductNotFound(skus=[sku])
        if seen.quantity < quantity:
            raise OutOfStock(sku, quantity, seen.quantity)
"""
            + LOOP,
        ),
        replace_text(
            STOCK,
            old="""                if stock is None:
                    raise ProductNotFound(skus=[sku])
                if stock.quantity < quantity:
                    raise OutOfStock(sku, quantity, stock.quantity)
""",
            new="""                assert stock is not None
""",
        ),
    ),
    wrong(
        "SKIP LOCKED without FOR UPDATE: a plain SELECT hands a held task out again",
        replace_text(STOCK, old=CLAIM, new=""),
    ),
    wrong(
        "FOR UPDATE without SKIP LOCKED: a worker waits for the task another one holds",
        replace_text(STOCK, old=CLAIM, new="        .with_for_update()\n"),
    ),
    wrong(
        "FOR SHARE SKIP LOCKED: two workers can hold the same task",
        replace_text(
            STOCK,
            old=CLAIM,
            new="        .with_for_update(read=True, skip_locked=True)\n",
        ),
    ),
    wrong(
        "buy_locking() commits by itself",
        replace_text(
            STOCK,
            old=WRITE,
            new="""    stock.quantity -= quantity
    session.commit()
    return stock.quantity
""",
        ),
    ),
    alternative(
        "one atomic UPDATE ... WHERE quantity >= n RETURNING, a read only to explain a refusal",
        replace_text(
            STOCK,
            old=LOCKED_READ + CHECKS + WRITE,
            new="""    table = models.StockLevel.__table__
    product_id = select(models.Product.id).where(models.Product.sku == sku)
    left = session.scalar(
        update(table)
        .where(
            table.c.product_id == product_id.scalar_subquery(),
            table.c.quantity >= quantity,
        )
        .values(quantity=table.c.quantity - quantity, version=table.c.version + 1)
        .returning(table.c.quantity)
    )
    if left is not None:
        return left
    stock = session.scalars(stock_of(sku)).one_or_none()
"""
            + CHECKS
            + '    raise AssertionError("unreachable")\n',
        ),
        replace_text(
            STOCK,
            old="from sqlalchemy import Select, select\n",
            new="from sqlalchemy import Select, select, update\n",
        ),
    ),
    alternative(
        "optimistic in one session, rolled back after each conflict",
        replace_function(
            STOCK,
            "buy_optimistic",
            '''
            def buy_optimistic(
                sessions: sessionmaker[Session],
                sku: str,
                quantity: int,
                *,
                attempts: int = ATTEMPTS,
            ) -> int:
                """One session, a new transaction per attempt."""
                if quantity < 1:
                    raise InvalidQuantity("no", sku=sku, quantity=quantity)
                with sessions() as session:
                    for _ in range(attempts):
                        stock = session.scalars(stock_of(sku)).one_or_none()
                        if stock is None:
                            raise ProductNotFound(skus=[sku])
                        if stock.quantity < quantity:
                            raise OutOfStock(sku, quantity, stock.quantity)
                        stock.quantity -= quantity
                        left = stock.quantity
                        try:
                            session.commit()
                        except StaleDataError:
                            session.rollback()  # expires what it read: read again
                            continue
                        return left
                raise TooManyConflicts(sku, attempts)
            ''',
        ),
    ),
]
