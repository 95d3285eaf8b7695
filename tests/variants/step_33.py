"""Variants of drill 33 (bulk operations): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

BULK = "app/orm/bulk.py"

INSERT_PER_CHUNK = '''
def insert_products(
    sessions: sessionmaker[Session],
    items: list[ProductCreate],
    *,
    created_at: datetime | None = None,
) -> int:
    """Commit every 500 rows "for speed"."""
    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku("repeated", skus=repeated)
    when = created_at or utc_now()
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        try:
            with sessions.begin() as session:
                ids = category_ids(session, {i.category for i in chunk if i.category})
                session.execute(
                    insert(models.Product.__table__),
                    [
                        {
                            "sku": i.sku,
                            "name": i.name,
                            "price": i.price,
                            "category_id": ids.get(i.category) if i.category else None,
                            "created_at": when,
                        }
                        for i in chunk
                    ],
                )
        except IntegrityError as error:
            if is_duplicate_sku(error):
                raise DuplicateSku("already stored") from None
            raise
    return len(items)
'''

INSERT_COMMIT_PER_1000 = '''
def insert_products(
    sessions: sessionmaker[Session],
    items: list[ProductCreate],
    *,
    created_at: datetime | None = None,
) -> int:
    """One session, but session.commit() after every 1,000 rows."""
    if repeated := sorted(
        sku for sku, n in Counter(i.sku for i in items).items() if n > 1
    ):
        raise DuplicateSku("repeated", skus=repeated)
    if not items:
        return 0
    when = created_at or utc_now()
    with sessions() as session:
        try:
            for start in range(0, len(items), 1000):
                chunk = items[start : start + 1000]
                ids = category_ids(session, {i.category for i in chunk if i.category})
                session.execute(
                    insert(models.Product.__table__),
                    [
                        {
                            "sku": i.sku,
                            "name": i.name,
                            "price": i.price,
                            "category_id": ids.get(i.category) if i.category else None,
                            "created_at": when,
                        }
                        for i in chunk
                    ],
                )
                session.commit()
        except IntegrityError as error:
            session.rollback()
            if is_duplicate_sku(error):
                raise DuplicateSku("already stored") from None
            raise
    return len(items)
'''

EMPTY_GUARD = """    if not items:
        return 0  # nothing to insert: no transaction, no statement
"""

VARIANTS = [
    wrong(
        "one session, but session.commit() every 1,000 rows",
        replace_function(BULK, "insert_products", INSERT_COMMIT_PER_1000),
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
            old="""        if missing := sorted(set(checked) - set(ids)):
""",
            new="""        checked = {sku: check_price(p) for sku, p in checked.items()}
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
        "commits every 500 rows",
        replace_function(BULK, "insert_products", INSERT_PER_CHUNK),
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
            old="""        ids = {
            sku: id_
            for sku, id_ in session.execute(
                select(models.Product.sku, models.Product.id).where(
                    models.Product.sku.in_(list(checked))
                )
            )
        }
""",
            new="""        ids = {}
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
        "ORM insert with dicts, a Core executemany UPDATE, errors gathered differently",
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
                sessions: sessionmaker[Session],
                items: list[ProductCreate],
                *,
                created_at: datetime | None = None,
            ) -> int:
                """All rows in one transaction."""
                seen: set[str] = set()
                twice = {i.sku for i in items if i.sku in seen or seen.add(i.sku)}
                if twice:
                    raise DuplicateSku(skus=sorted(twice))
                if len(items) == 0:
                    return 0  # an empty ORM insert() would add a row of NULLs
                when = created_at if created_at is not None else utc_now()
                try:
                    with sessions.begin() as session:
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
            def set_prices(sessions: sessionmaker[Session], prices: Mapping[str, object]) -> int:
                """New prices, all or none."""
                new = {sku: check_price(price) for sku, price in prices.items()}
                table = models.Product.__table__
                with sessions.begin() as session:
                    known = set(
                        session.scalars(select(models.Product.sku).where(models.Product.sku.in_(list(new))))
                    )
                    if unknown := set(new) - known:
                        raise ProductNotFound("unknown SKUs", skus=unknown)
                    session.connection().execute(
                        update(table)
                        .where(table.c.sku == bindparam("wanted_sku"))
                        .values(price=bindparam("new_price")),
                        [{"wanted_sku": s, "new_price": p} for s, p in new.items()],
                    )
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
