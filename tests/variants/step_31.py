"""Variants of drill 31 (filter, update, delete): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

QUERIES = "app/orm/queries.py"

VARIANTS = [
    wrong(
        "if max_price: treats a price of 0 as no filter",
        replace_text(
            QUERIES,
            old="    if max_price is not None:\n",
            new="    if max_price:\n",
        ),
    ),
    wrong(
        "no SKU tie-breaker",
        replace_text(
            QUERIES,
            old="statement.order_by(SORTS[order_by], models.Product.sku)",
            new="statement.order_by(SORTS[order_by])",
        ),
    ),
    wrong(
        "reprices by loading every product and changing it in Python",
        replace_function(
            QUERIES,
            "reprice_category",
            '''
            def reprice_category(session: Session, category: str, percent: Decimal) -> int:
                """Change every price in ``category`` by ``percent``."""
                if percent <= -100:
                    raise ValueError("prices would become zero or negative")
                factor = (Decimal(100) + Decimal(percent)) / 100
                rows = session.scalars(
                    select(models.Product).where(
                        models.Product.category_id == category_id_of(category)
                    )
                ).all()
                for row in rows:
                    row.price = (row.price * factor).quantize(Decimal("0.01"))
                session.flush()
                return len(rows)
            ''',
        ),
    ),
    wrong(
        "rounds with func.round(price * factor, 2): fractions of a cent on SQLite",
        replace_text(
            QUERIES,
            old=".values(price=models.money_times(models.Product.price, factor))",
            new=".values(price=func.round(models.Product.price * factor, 2))",
        ),
        replace_text(QUERIES, old="    delete,\n", new="    delete,\n    func,\n"),
    ),
    wrong(
        "commits inside the function",
        replace_text(
            QUERIES,
            old="""        .values(price=models.money_times(models.Product.price, factor))
    )
""",
            new="""        .values(price=models.money_times(models.Product.price, factor))
    )
    session.commit()
""",
        ),
    ),
    wrong(
        "accepts a 100 % discount (prices of zero)",
        replace_text(
            QUERIES, old="    if percent <= -100:\n", new="    if percent < -100:\n"
        ),
    ),
    wrong(
        "an unknown sort key is a KeyError",
        replace_text(
            QUERIES,
            old="""    if order_by not in SORTS:
        raise ValueError(f"order_by must be one of {sorted(SORTS)}, not {order_by!r}")
""",
            new="",
        ),
    ),
    alternative(
        "a join on the category, a dict of filters, other messages",
        replace_function(
            QUERIES,
            "find_products",
            '''
            def find_products(
                session: Session,
                *,
                category: str | None = None,
                max_price: Decimal | None = None,
                text: str | None = None,
                order_by: SortKey = "sku",
                limit: int | None = None,
                offset: int = 0,
            ) -> list[Product]:
                """Matching products, one page."""
                try:
                    key = SORTS[order_by]
                except KeyError:
                    raise ValueError(
                        f"cannot sort by {order_by!r}; try " + ", ".join(SORTS)
                    ) from None
                conditions = []
                if category is not None:
                    conditions.append(models.Product.category_id == category_id_of(category))
                if max_price is not None:
                    conditions.append(models.Product.price <= max_price)
                if text is not None and text != "":
                    conditions.append(search_condition(text))
                statement = product_rows().where(*conditions).order_by(key, models.Product.sku)
                if limit is not None:
                    statement = statement.limit(limit)
                if offset:
                    statement = statement.offset(offset)
                return [to_domain(row, name) for row, name in session.execute(statement)]
            ''',
        ),
        replace_function(
            QUERIES,
            "reprice_category",
            '''
            def reprice_category(session: Session, category: str, percent: Decimal) -> int:
                """Reprice one category in one UPDATE."""
                if not percent > -100:
                    raise ValueError(f"{percent} % leaves nothing to sell for")
                factor = Decimal(1) + Decimal(percent) / Decimal(100)
                statement = (
                    update(models.Product)
                    .where(
                        models.Product.category_id.in_(
                            select(models.Category.id).where(
                                models.Category.name == category
                            )
                        )
                    )
                    .values(price=models.money_times(models.Product.price, factor))
                    .execution_options(synchronize_session=False)
                )
                return session.execute(statement).rowcount
            ''',
        ),
    ),
]
