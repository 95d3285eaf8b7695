"""Variants of drill 33 (bulk operations): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

BULK = "app/orm/bulk.py"

ROWS = """[
                    {
                        "sku": i.sku,
                        "name": i.name,
                        "price": i.price,
                        "category_id": ids.get(i.category) if i.category else None,
                        "created_at": when,
                    }
                    for i in chunk
                ]"""

SAVEPOINT_PER_CHUNK = f'''
def insert_products(
    session: Session,
    items: list[ProductCreate],
    *,
    created_at: datetime | None = None,
) -> int:
    """A savepoint per 500 rows: the caller's commit keeps the chunks before the bad one."""
    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku("repeated", skus=repeated)
    when = created_at or utc_now()
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        try:
            with session.begin_nested():
                ids = category_ids(session, {{i.category for i in chunk if i.category}})
                session.execute(
                    insert(models.Product.__table__),
                    {ROWS},
                )
        except IntegrityError as error:
            if is_duplicate_sku(error):
                raise DuplicateSku("already stored") from None
            raise
    return len(items)
'''

INSERT_COMMIT_PER_1000 = f'''
def insert_products(
    session: Session,
    items: list[ProductCreate],
    *,
    created_at: datetime | None = None,
) -> int:
    """The caller's session, but session.commit() after every 1,000 rows."""
    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku("repeated", skus=repeated)
    if not items:
        return 0
    when = created_at or utc_now()
    try:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            ids = category_ids(session, {{i.category for i in chunk if i.category}})
            session.execute(
                insert(models.Product.__table__),
                {ROWS},
            )
            session.commit()
    except IntegrityError as error:
        session.rollback()
        if is_duplicate_sku(error):
            raise DuplicateSku("already stored") from None
        raise
    return len(items)
'''

SAVEPOINT = """        # A SAVEPOINT: if the database refuses a row, everything the batch did
        # is undone, and the caller's transaction can still go on and commit.
        with session.begin_nested():
            ids = category_ids(session, {i.category for i in items if i.category})
"""
NO_SAVEPOINT = """        if True:  # no savepoint: the caller's transaction as it is
            ids = category_ids(session, {i.category for i in items if i.category})
"""
PRICES_SAVEPOINT = """    with session.begin_nested():
        # ORM bulk UPDATE by primary key"""

EMPTY_GUARD = """    if not items:
        return 0  # nothing to insert: no savepoint, no statement
"""

VARIANTS = [
    wrong(
        "session.commit() every 1,000 rows, in the caller's session",
        replace_function(BULK, "insert_products", INSERT_COMMIT_PER_1000),
    ),
    wrong(
        "no savepoint: a caller that catches the error and commits keeps half a"
        " batch (SQLite), or loses its own work (PostgreSQL)",
        replace_text(BULK, old=SAVEPOINT, new=NO_SAVEPOINT),
    ),
    wrong(
        "resolves the categories outside the savepoint: they stay after a refusal",
        replace_text(
            BULK,
            old=SAVEPOINT,
            new="""        ids = category_ids(session, {i.category for i in items if i.category})
        with session.begin_nested():
""",
        ),
    ),
    wrong(
        "session.rollback() on a refusal: the caller's earlier work is gone too",
        replace_text(BULK, old=SAVEPOINT, new=NO_SAVEPOINT),
        replace_text(
            BULK,
            old="""    except IntegrityError as error:
        if is_duplicate_sku(error):
""",
            new="""    except IntegrityError as error:
        session.rollback()
        if is_duplicate_sku(error):
""",
        ),
    ),
    wrong(
        "commits the caller's session after the import",
        replace_text(
            BULK,
            old="""        raise
    return len(items)
""",
            new="""        raise
    session.commit()
    return len(items)
""",
        ),
    ),
    wrong(
        "set_prices() without a savepoint: a refused price keeps the ones before it",
        replace_text(
            BULK,
            old=PRICES_SAVEPOINT,
            new="""    if True:
        # ORM bulk UPDATE by primary key""",
        ),
    ),
    wrong(
        "set_prices() commits the caller's session",
        replace_text(
            BULK,
            old="""    return len(checked)
""",
            new="""    session.commit()
    return len(checked)
""",
        ),
    ),
    wrong(
        "reports only the first problem of each row",
        replace_text(
            BULK,
            old="for line in explain(error).splitlines()",
            new="for line in explain(error).splitlines()[:1]",
        ),
    ),
    wrong(
        "puts 'row N:' only on the first line of a row's problems",
        replace_text(
            BULK,
            old="""            problems += [
                f"row {number}: {line}" for line in explain(error).splitlines()
            ]
""",
            new="""            problems.append(f"row {number}: {explain(error)}")
""",
        ),
    ),
    wrong(
        "parse_price() without the store's ceiling",
        replace_text(
            BULK,
            old="{sku: check_price(p) for sku, p in prices.items()}",
            new="{sku: parse_price(p) for sku, p in prices.items()}",
        ),
        replace_text(
            BULK,
            old="from app.domain import check_price, utc_now",
            new="from app.domain import parse_price, utc_now",
        ),
    ),
    wrong(
        "refuses only floats, and takes any other price through Decimal()",
        replace_text(
            BULK,
            old="{sku: check_price(p) for sku, p in prices.items()}",
            new="{sku: check_price(p) if isinstance(p, float) else Decimal(p) for sku, p in prices.items()}",
        ),
    ),
    wrong(
        "checks the prices after the SELECT",
        replace_text(
            BULK,
            old="checked: dict[str, Decimal] = {sku: check_price(p) for sku, p in prices.items()}",
            new="checked: dict[str, Decimal] = dict(prices)",
        ),
        replace_text(
            BULK,
            old="""    if missing := sorted(set(checked) - set(ids)):
""",
            new="""    checked = {sku: check_price(p) for sku, p in checked.items()}
    if missing := sorted(set(checked) - set(ids)):
""",
        ),
    ),
    wrong(
        "an empty import still sends statements",
        replace_text(BULK, old=EMPTY_GUARD, new=""),
    ),
    wrong(
        "an empty import looks up the categories before it stops",
        replace_text(BULK, old=EMPTY_GUARD, new=""),
        replace_text(
            BULK,
            old="""            ids = category_ids(session, {i.category for i in items if i.category})
""",
            new="""            ids = category_ids(session, {i.category for i in items if i.category})
            if not items:
                return 0
""",
        ),
    ),
    wrong(
        "a savepoint per 500-row chunk",
        replace_function(BULK, "insert_products", SAVEPOINT_PER_CHUNK),
    ),
    wrong(
        "one UPDATE per SKU",
        replace_text(
            BULK,
            old="""        session.execute(
            update(models.Product),
            [{"id": ids[sku], "price": price} for sku, price in checked.items()],
        )
""",
            new="""        for sku, price in checked.items():
            session.execute(
                update(models.Product)
                .where(models.Product.id == ids[sku])
                .values(price=price)
            )
""",
        ),
    ),
    wrong(
        "one SELECT per SKU to find the ids",
        replace_text(
            BULK,
            old="""    ids = {
        sku: id_
        for sku, id_ in session.execute(
            select(models.Product.sku, models.Product.id).where(
                models.Product.sku.in_(list(checked))
            )
        )
    }
""",
            new="""    ids = {}
    for sku in checked:
        found = session.scalar(
            select(models.Product.id).where(models.Product.sku == sku)
        )
        if found is not None:
            ids[sku] = found
""",
        ),
    ),
    wrong(
        "stops at the first bad row",
        replace_text(
            BULK,
            old="""            problems += [
                f"row {number}: {line}" for line in explain(error).splitlines()
            ]
""",
            new="""            raise InvalidInput(f"row {number}: {explain(error)}") from None
""",
        ),
    ),
    wrong(
        "skips a SKU already stored and goes on",
        replace_text(
            BULK,
            old="insert(models.Product.__table__),",
            new='insert(models.Product.__table__).prefix_with("OR IGNORE", dialect="sqlite"),',
        ),
    ),
    wrong(
        "leaves repeated SKUs to the database",
        replace_text(
            BULK,
            old="""    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku(
            f"SKU {', '.join(repeated)} appears more than once", skus=repeated
        )
""",
            new="",
        ),
    ),
    wrong(
        "prices through Decimal(), so a float is taken",
        replace_text(
            BULK,
            old="checked: dict[str, Decimal] = {sku: check_price(p) for sku, p in prices.items()}",
            new="checked: dict[str, Decimal] = {sku: Decimal(str(p)) for sku, p in prices.items()}",
        ),
    ),
    wrong(
        "a ProductNotFound that does not say which SKUs",
        replace_text(
            BULK,
            old="raise ProductNotFound(skus=missing)",
            new='raise ProductNotFound(f"unknown: {missing}")',
        ),
    ),
    alternative(
        "ORM insert with dicts, the error turned inside the savepoint, a Core executemany"
        " UPDATE in a savepoint handled by hand, errors gathered differently",
        replace_function(
            BULK,
            "validate_rows",
            '''
            def validate_rows(rows: Iterable[Mapping[str, object]]) -> list[ProductCreate]:
                """Every row, or every problem."""
                outcomes: list[ProductCreate | str] = []
                for number, row in enumerate(rows, 1):
                    try:
                        outcomes.append(ProductCreate(**row))
                    except ValidationError as error:
                        for line in explain(error).split("\\n"):
                            outcomes.append(f"row {number}: {line}")
                bad = [o for o in outcomes if isinstance(o, str)]
                if bad:
                    raise InvalidInput("\\n".join(bad))
                return [o for o in outcomes if isinstance(o, ProductCreate)]
            ''',
        ),
        replace_function(
            BULK,
            "insert_products",
            '''
            def insert_products(
                session: Session,
                items: list[ProductCreate],
                *,
                created_at: datetime | None = None,
            ) -> int:
                """All rows or none: the error is turned inside the savepoint."""
                seen: set[str] = set()
                twice = {i.sku for i in items if i.sku in seen or seen.add(i.sku)}
                if twice:
                    raise DuplicateSku(skus=sorted(twice))
                if len(items) == 0:
                    return 0  # an empty ORM insert() would add a row of NULLs
                when = created_at if created_at is not None else utc_now()
                with session.begin_nested():  # any exception leaving it: ROLLBACK TO
                    try:
                        ids = category_ids(session, {i.category for i in items} - {None})
                        rows = [
                            dict(
                                sku=i.sku,
                                name=i.name,
                                price=i.price,
                                category_id=ids[i.category] if i.category else None,
                                created_at=when,
                            )
                            for i in items
                        ]
                        session.execute(insert(models.Product), rows)
                    except IntegrityError as error:
                        if not is_duplicate_sku(error):
                            raise
                        raise DuplicateSku("the import repeats a stored SKU") from None
                return len(rows)
            ''',
        ),
        replace_function(
            BULK,
            "set_prices",
            '''
            def set_prices(session: Session, prices: Mapping[str, object]) -> int:
                """New prices, all or none, through a savepoint handled by hand."""
                new = {sku: check_price(price) for sku, price in prices.items()}
                table = models.Product.__table__
                known = set(
                    session.scalars(select(models.Product.sku).where(models.Product.sku.in_(list(new))))
                )
                if unknown := set(new) - known:
                    raise ProductNotFound("unknown SKUs", skus=unknown)
                savepoint = session.begin_nested()
                try:
                    session.connection().execute(
                        update(table)
                        .where(table.c.sku == bindparam("wanted_sku"))
                        .values(price=bindparam("new_price")),
                        [{"wanted_sku": s, "new_price": p} for s, p in new.items()],
                    )
                except BaseException:
                    savepoint.rollback()
                    raise
                savepoint.commit()
                return len(new)
            ''',
        ),
        replace_text(
            BULK,
            old="from sqlalchemy import (\n",
            new="from sqlalchemy import (\n    bindparam,\n",
        ),
    ),
]
