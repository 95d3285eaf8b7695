"""Variants of drill 38 (price history): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

PRICES = "app/orm/prices.py"
CLOSE_AND_OPEN = """    current.valid_to = when
    new = version(product_id=product.id, price=price, valid_from=when)
    session.add(new)
"""
LOCKED_PRODUCT = """        select(models.Product)
        .where(models.Product.sku == sku)
        .with_for_update()
"""
OPEN_VERSION = """        select(version).where(
            version.product_id == product.id, version.valid_to.is_(None)
        )
    ).one_or_none()
"""

VARIANTS = [
    wrong(
        "skips a change to the price already in force",
        replace_text(
            PRICES,
            old="    current.valid_to = when\n",
            new="    if current.price == price:\n"
            "        return current\n"
            "    current.valid_to = when\n",
        ),
    ),
    wrong(
        "PriceNotKnown names the latest version's start, not the first one's",
        replace_text(
            PRICES,
            old="select(func.min(version.valid_from))",
            new="select(func.max(version.valid_from))",
        ),
    ),
    wrong(
        "returns the new version unflushed",
        replace_text(
            PRICES,
            old="    product.price = price\n    session.flush()\n    return new\n",
            new="    product.price = price\n    return new\n",
        ),
    ),
    wrong(
        "the history newest first",
        replace_text(
            PRICES,
            old="""            select(version)
            .where(version.product_id == owner)
            .order_by(version.valid_from)
""",
            new="""            select(version)
            .where(version.product_id == owner)
            .order_by(version.valid_from.desc())
""",
        ),
    ),
    wrong(
        "closed ranges: valid_to <= at also matches at the instant of a change",
        replace_text(
            PRICES, old="when < version.valid_to", new="when <= version.valid_to"
        ),
    ),
    wrong(
        "updates the open version's price in place: the old price is forgotten",
        replace_text(
            PRICES,
            old=CLOSE_AND_OPEN,
            new="    current.price = price\n    new = current\n",
        ),
    ),
    wrong(
        "forgets products.price",
        replace_text(PRICES, old="    product.price = price\n", new=""),
    ),
    wrong(
        "sets products.price first, in a transaction of its own",
        replace_text(PRICES, old="    product.price = price\n", new=""),
        replace_text(
            PRICES,
            old="    when = utc_now() if at is None else aware(at)\n",
            new="""    when = utc_now() if at is None else aware(at)
    with Session(session.get_bind()) as other, other.begin():
        other.execute(
            update(models.Product)
            .where(models.Product.sku == sku)
            .values(price=price)
        )
""",
        ),
        replace_text(PRICES, old="    select,\n)", new="    select,\n    update,\n)"),
    ),
    wrong(
        "commits inside change_price()",
        replace_text(
            PRICES,
            old="    product.price = price\n    session.flush()\n",
            new="    product.price = price\n    session.commit()\n",
        ),
    ),
    wrong(
        "no row lock: two changes at once both close the same version",
        replace_text(
            PRICES,
            old=LOCKED_PRODUCT,
            new="        select(models.Product)\n        .where(models.Product.sku == sku)\n",
        ),
    ),
    wrong(
        "locks the open version instead of the product: the second change finds none",
        replace_text(
            PRICES,
            old=LOCKED_PRODUCT,
            new="        select(models.Product)\n        .where(models.Product.sku == sku)\n",
        ),
        replace_text(
            PRICES,
            old=OPEN_VERSION,
            new="""        select(version)
        .where(version.product_id == product.id, version.valid_to.is_(None))
        .with_for_update()
    ).one_or_none()
""",
        ),
    ),
    wrong(
        "a change dated before the open version is not refused",
        replace_text(
            PRICES,
            old="    if when <= since:\n        raise BackdatedPriceChange(sku, when, since)\n",
            new="",
        ),
        replace_text(PRICES, old="    BackdatedPriceChange,\n", new=""),
    ),
    wrong(
        "labels the instant UTC instead of converting it (replace, not astimezone)",
        replace_text(
            PRICES,
            old="    when = aware(at)\n",
            new="    when = aware(at).replace(tzinfo=UTC)\n",
        ),
        replace_text(
            PRICES,
            old="from datetime import datetime\n",
            new="from datetime import UTC, datetime\n",
        ),
    ),
    wrong(
        "a naive default: datetime.utcnow()",
        replace_text(
            PRICES,
            old="    when = utc_now() if at is None else aware(at)\n",
            new="    when = datetime.utcnow() if at is None else aware(at)\n",
        ),
        replace_text(PRICES, old="from app.domain import utc_now\n", new=""),
    ),
    alternative(
        "FOR NO KEY UPDATE: still serialises the changes, lets order lines in",
        replace_text(
            PRICES,
            old="        .with_for_update()\n        .execution_options",
            new="        .with_for_update(key_share=True)\n        .execution_options",
        ),
    ),
    alternative(
        "the latest version that started at or before the instant (no gaps)",
        replace_text(
            PRICES,
            old="""        select(version.price).where(
            version.product_id == owner,
            version.valid_from <= when,
            or_(version.valid_to.is_(None), when < version.valid_to),
        )
    ).one_or_none()
""",
            new="""        select(version.price)
        .where(version.product_id == owner, version.valid_from <= when)
        .order_by(version.valid_from.desc())
        .limit(1)
    ).first()
""",
        ),
        replace_text(PRICES, old="    or_,\n", new=""),
    ),
    alternative(
        "Core statements: UPDATE ... WHERE valid_to IS NULL, INSERT ... RETURNING",
        replace_text(
            PRICES,
            old="    select,\n)",
            new="    insert,\n    select,\n    update,\n)",
        ),
        replace_function(
            PRICES,
            "change_price",
            '''
            def change_price(
                session: Session, sku: str, price: Decimal, *, at: datetime | None = None
            ) -> models.PriceVersion:
                """Plain statements, no unit of work."""
                when = utc_now() if at is None else aware(at)
                product, version = models.Product, models.PriceVersion
                row = session.execute(
                    select(product.id, product.price, product.created_at)
                    .where(product.sku == sku)
                    .with_for_update()
                ).one_or_none()
                if row is None:
                    raise ProductNotFound(skus=[sku])
                is_open = (version.product_id == row.id) & version.valid_to.is_(None)
                started = session.scalar(select(version.valid_from).where(is_open))
                since = row.created_at if started is None else started
                if when <= since:
                    raise BackdatedPriceChange(sku, when, since)
                if started is None:  # no history yet: the price since creation
                    session.execute(
                        insert(version).values(
                            product_id=row.id, price=row.price, valid_from=since
                        )
                    )
                session.execute(update(version).where(is_open).values(valid_to=when))
                new = session.scalars(
                    insert(version).returning(version),
                    [{"product_id": row.id, "price": price, "valid_from": when}],
                ).one()
                session.execute(
                    update(product).where(product.id == row.id).values(price=price)
                )
                return new
            ''',
        ),
    ),
]
