"""Variants of drill 43 (keyset pages and streaming): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

LARGE = "app/orm/largedata.py"
WHERE = """        query = query.where(
            tuple_(product.price, product.sku) > (after.price, after.sku)
        )
"""
NEXT = "    return Page(items[:size], PageKey(last.price, last.sku))\n"
STREAM = "    yield from session.scalars(query.execution_options(yield_per=batch))\n"

VARIANTS = [
    wrong(
        "orders by price alone, with a (price, sku) key: ties come in any order",
        replace_text(
            LARGE,
            old="    query = select(product).order_by(product.price, product.sku).limit(size + 1)\n",
            new="    query = select(product).order_by(product.price).limit(size + 1)\n",
        ),
    ),
    wrong(
        "reads every product, then filters and slices in Python",
        replace_text(
            LARGE,
            old="    items = list(session.scalars(query))\n",
            new="""    every = session.scalars(
        select(product).order_by(product.price, product.sku)
    ).all()
    items = [
        p
        for p in every
        if after is None or (p.price, p.sku) > (after.price, after.sku)
    ][: size + 1]
""",
        ),
    ),
    wrong(
        "commits once the stream is read",
        replace_text(LARGE, old=STREAM, new=STREAM + "    session.commit()\n"),
    ),
    wrong(
        "OFFSET pagination: the key carries a page offset, rows shift under it",
        replace_text(
            LARGE, old="    sku: str\n", new="    sku: str\n    offset: int = 0\n"
        ),
        replace_text(
            LARGE,
            old="    if after is not None:\n"
            "        # A row-value comparison: the index on (price, sku) starts right there.\n"
            + WHERE,
            new="    query = query.offset(after.offset if after else 0)\n",
        ),
        replace_text(
            LARGE,
            old=NEXT,
            new="    start = after.offset if after else 0\n"
            "    return Page(items[:size], PageKey(last.price, last.sku, start + size))\n",
        ),
        replace_text(
            LARGE,
            old="from sqlalchemy import select, tuple_\n",
            new="from sqlalchemy import select\n",
        ),
    ),
    wrong(
        "no unique tiebreaker: ORDER BY price and WHERE price > :p lose tied rows",
        replace_text(
            LARGE,
            old=WHERE,
            new="        query = query.where(product.price > after.price)\n",
        ),
        replace_text(
            LARGE,
            old=".order_by(product.price, product.sku).limit(size + 1)",
            new=".order_by(product.price).limit(size + 1)",
        ),
        replace_text(
            LARGE,
            old="from sqlalchemy import select, tuple_\n",
            new="from sqlalchemy import select\n",
        ),
    ),
    wrong(
        ">= instead of >: the boundary row starts the next page again",
        replace_text(LARGE, old="product.sku) > (after", new="product.sku) >= (after"),
    ),
    wrong(
        "the next key is taken from the page's first row",
        replace_text(
            LARGE, old="    last = items[size - 1]\n", new="    last = items[0]\n"
        ),
    ),
    wrong(
        "the next key is taken from the extra row that was fetched to look ahead",
        replace_text(
            LARGE, old="    last = items[size - 1]\n", new="    last = items[size]\n"
        ),
    ),
    wrong(
        "fetches exactly size rows: a full last page gets a key, an empty page follows",
        replace_text(LARGE, old=".limit(size + 1)", new=".limit(size)"),
        replace_text(
            LARGE, old="    if len(items) <= size:\n", new="    if len(items) < size:\n"
        ),
    ),
    wrong(
        "compares the price as text: '10.00' sorts before '9.99'",
        replace_text(
            LARGE,
            old=WHERE,
            new="        query = query.where(\n"
            "            tuple_(cast(product.price, String), product.sku)\n"
            "            > (str(after.price), after.sku)\n"
            "        )\n",
        ),
        replace_text(
            LARGE,
            old="from sqlalchemy import select, tuple_\n",
            new="from sqlalchemy import String, cast, select, tuple_\n",
        ),
    ),
    wrong(
        "no size check: 0 gives an endless walk, a huge size a huge page",
        replace_text(
            LARGE,
            old="    if not 1 <= size <= MAX_PAGE_SIZE:\n"
            "        raise InvalidPageSize(size, MAX_PAGE_SIZE)\n",
            new="",
        ),
    ),
    wrong(
        ".all() inside the stream: every product is built before the first is yielded",
        replace_text(
            LARGE, old=STREAM, new="    yield from session.scalars(query).all()\n"
        ),
    ),
    wrong(
        "stream_results without yield_per: a server-side cursor, but the ORM loads it all",
        replace_text(
            LARGE,
            old=STREAM,
            new="    yield from session.scalars(query.execution_options(stream_results=True))\n",
        ),
    ),
    wrong(
        "streams by pages of OFFSET: bounded, but no server-side cursor and a query a batch",
        replace_function(
            LARGE,
            "stream_products",
            '''
            def stream_products(session: Session, *, batch: int = 1000) -> Iterator[models.Product]:
                """Page after page."""
                product = models.Product
                query = select(product).order_by(product.price, product.sku).limit(batch)
                start = 0
                while items := list(session.scalars(query.offset(start))):
                    yield from items
                    start += batch
            ''',
        ),
    ),
    alternative(
        "the expanded form: price >= :p AND (price > :p OR (price = :p AND sku > :s))",
        replace_text(
            LARGE,
            old=WHERE,
            new="        query = query.where(\n"
            "            product.price >= after.price,\n"
            "            or_(\n"
            "                product.price > after.price,\n"
            "                and_(product.price == after.price, product.sku > after.sku),\n"
            "            )\n"
            "        )\n",
        ),
        replace_text(
            LARGE,
            old="from sqlalchemy import select, tuple_\n",
            new="from sqlalchemy import and_, or_, select\n",
        ),
    ),
    alternative(
        "the expanded form without price >= :p (correct; slow on PostgreSQL, see the text)",
        replace_text(
            LARGE,
            old=WHERE,
            new="        query = query.where(\n"
            "            (product.price > after.price)\n"
            "            | ((product.price == after.price) & (product.sku > after.sku))\n"
            "        )\n",
        ),
        replace_text(
            LARGE,
            old="from sqlalchemy import select, tuple_\n",
            new="from sqlalchemy import select\n",
        ),
    ),
    alternative(
        "the stream as yield_per partitions, and a page's rows sliced with a flag",
        replace_text(
            LARGE,
            old=STREAM,
            new="    result = session.scalars(query, execution_options={'yield_per': batch})\n"
            "    for partition in result.partitions():\n"
            "        yield from partition\n",
        ),
        replace_text(
            LARGE,
            old="""    if len(items) <= size:
        return Page(items, None)
    last = items[size - 1]
"""
            + NEXT,
            new="""    more = len(items) > size
    items = items[:size]
    return Page(items, PageKey(items[-1].price, items[-1].sku) if more else None)
""",
        ),
    ),
]
