"""Variants of drill 37 (idempotent upserts): proof that its tests grade fairly."""

import textwrap

from workshop.variants import alternative, replace_function, replace_text, wrong

UPSERTS = "app/orm/upserts.py"
WHERE = """        where=or_(
            *(table.c[name].is_distinct_from(new[name]) for name in FEED_COLUMNS)
        ),
"""

VARIANTS = [
    wrong(
        "no default for now: a call without it stamps NULL",
        replace_text(
            UPSERTS, old="    when = now or utc_now()\n", new="    when = now\n"
        ),
        replace_text(UPSERTS, old="from app.domain import utc_now\n", new=""),
    ),
    wrong(
        "sorts by name, not by the SKU that the locks are taken on",
        replace_text(
            UPSERTS,
            old="for line in sorted(lines, key=lambda line: line.sku)",
            new="for line in sorted(lines, key=lambda line: line.name)",
        ),
    ),
    wrong(
        "no WHERE: a replay rewrites every row and moves updated_at",
        replace_text(UPSERTS, old=WHERE, new=""),
        replace_text(UPSERTS, old="from sqlalchemy import or_\n", new=""),
    ),
    wrong(
        "<> instead of IS DISTINCT FROM: a NULL cost price never changes",
        replace_text(
            UPSERTS,
            old="table.c[name].is_distinct_from(new[name])",
            new="table.c[name] != new[name]",
        ),
    ),
    wrong(
        "compares only the price",
        replace_text(
            UPSERTS,
            old=WHERE,
            new="        where=table.c.price.is_distinct_from(new.price),\n",
        ),
        replace_text(UPSERTS, old="from sqlalchemy import or_\n", new=""),
    ),
    wrong(
        "leaves updated_at to the model's onupdate, which ON CONFLICT ignores",
        replace_text(
            UPSERTS,
            old='set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},',
            new="set_={name: new[name] for name in FEED_COLUMNS},",
        ),
    ),
    wrong(
        "keeps the feed's order: two imports at once can deadlock",
        replace_text(
            UPSERTS,
            old="for line in sorted(lines, key=lambda line: line.sku)",
            new="for line in lines",
        ),
    ),
    wrong(
        "DO NOTHING: changed lines are never applied",
        replace_text(
            UPSERTS,
            old="""    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.sku],
        set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},
"""
            + WHERE
            + "    ).returning(table.c.sku)\n",
            new="""    upsert = statement.on_conflict_do_nothing(
        index_elements=[table.c.sku]
    ).returning(table.c.sku)
""",
        ),
        replace_text(UPSERTS, old="    new = statement.excluded\n", new=""),
        replace_text(UPSERTS, old="from sqlalchemy import or_\n", new=""),
    ),
    wrong(
        "commits inside the import",
        replace_text(
            UPSERTS,
            old="    return len(session.execute(upsert, rows).all())\n",
            new="    written = len(session.execute(upsert, rows).all())\n"
            "    session.commit()\n"
            "    return written\n",
        ),
    ),
    wrong(
        "a repeated SKU is not refused (PostgreSQL fails mid-import, SQLite takes the last)",
        replace_text(
            UPSERTS,
            old="    if repeated := sorted(sku for sku, n in counts.items() if n > 1):",
            new="    if repeated := sorted(sku for sku, n in counts.items() if n > 99):",
        ),
    ),
    wrong(
        "checks then writes: SELECT the known SKUs, then INSERT or UPDATE each",
        replace_text(
            UPSERTS,
            old="from sqlalchemy import or_\n",
            new="from sqlalchemy import insert, select, update\n",
        ),
        replace_text(
            UPSERTS,
            old="from sqlalchemy.dialects import postgresql, sqlite\n",
            new="",
        ),
        replace_function(
            UPSERTS,
            "import_feed",
            '''
            def import_feed(
                session: Session, lines: Sequence[FeedLine], *, now: datetime | None = None
            ) -> int:
                """Look first, then write."""
                counts = Counter(line.sku for line in lines)
                if repeated := sorted(sku for sku, n in counts.items() if n > 1):
                    raise DuplicateSku("repeated", skus=repeated)
                when = now or utc_now()
                wanted = sorted(lines, key=lambda line: line.sku)
                if not wanted:
                    return 0
                table = models.Product.__table__
                known = {
                    row.sku: (row.name, row.price, row.cost_price)
                    for row in session.execute(
                        select(
                            table.c.sku, table.c.name, table.c.price, table.c.cost_price
                        ).where(table.c.sku.in_([line.sku for line in wanted]))
                    )
                }
                written = 0
                for line in wanted:
                    values = line.model_dump()
                    if line.sku not in known:
                        session.execute(
                            insert(table).values(
                                **values, created_at=when, updated_at=when
                            )
                        )
                    elif known[line.sku] != (line.name, line.price, line.cost_price):
                        session.execute(
                            update(table)
                            .where(table.c.sku == line.sku)
                            .values(
                                name=line.name,
                                price=line.price,
                                cost_price=line.cost_price,
                                updated_at=when,
                            )
                        )
                    else:
                        continue
                    written += 1
                return written
            ''',
        ),
    ),
    alternative(
        "one row-value comparison in the WHERE",
        replace_text(
            UPSERTS,
            old=WHERE,
            new="""        where=tuple_(*(table.c[name] for name in FEED_COLUMNS)).is_distinct_from(
            tuple_(*(new[name] for name in FEED_COLUMNS))
        ),
""",
        ),
        replace_text(
            UPSERTS,
            old="from sqlalchemy import or_\n",
            new="from sqlalchemy import tuple_\n",
        ),
    ),
    alternative(
        "a VALUES list per chunk of 500 rows, counted with rowcount",
        replace_text(
            UPSERTS,
            old="""    statement = dialect.insert(table)
    new = statement.excluded
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.sku],
        set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},
"""
            + WHERE
            + """    ).returning(table.c.sku)
    # One statement, many rows: SQLAlchemy sends it as multi-row VALUES
    # batches ("insertmanyvalues"), in the order of ``rows``.
    return len(session.execute(upsert, rows).all())
""",
            new="""    written = 0
    for start in range(0, len(rows), 500):
        statement = dialect.insert(table).values(rows[start : start + 500])
        new = statement.excluded
        upsert = statement.on_conflict_do_update(
            index_elements=[table.c.sku],
            set_={**{name: new[name] for name in FEED_COLUMNS}, "updated_at": when},
"""
            + textwrap.indent(WHERE, "    ")
            + """        )
        written += session.execute(upsert).rowcount
    return written
""",
        ),
    ),
    wrong(
        "one statement per line",
        replace_text(
            UPSERTS,
            old="    return len(session.execute(upsert, rows).all())\n",
            new="    return sum(len(session.execute(upsert, row).all()) for row in rows)\n",
        ),
    ),
]
