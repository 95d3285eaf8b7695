"""Variants of drill 41 (schema-first vs code-first): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

DIFF = "app/orm/schema_diff.py"

VARIANTS = [
    wrong(
        "Float and Numeric in one branch: Float() and Numeric() look alike",
        replace_text(
            DIFF,
            old="""    if isinstance(type_, Float):
        return "real"
    if isinstance(type_, Numeric):
""",
            new="""    if isinstance(type_, Float | Numeric):
""",
        ),
    ),
    wrong(
        "a column in a two-column UNIQUE counts as unique",
        replace_text(
            DIFF,
            old="isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1",
            new="isinstance(constraint, UniqueConstraint)",
        ),
        replace_text(
            DIFF,
            old="index.unique and len(index.columns) == 1 and not partial",
            new="index.unique and not partial",
        ),
    ),
    wrong(
        "compares type reprs: VARCHAR(length=40) is not String(length=40)",
        replace_function(
            DIFF,
            "type_family",
            '''
            def type_family(type_: TypeEngine[Any]) -> str:
                """What the type says it is."""
                return repr(type_)
            ''',
        ),
    ),
    wrong(
        "ignores the length: TEXT and VARCHAR(40) are one family",
        replace_text(
            DIFF,
            old='return "text" if type_.length is None else f"text({type_.length})"',
            new='return "text"',
        ),
    ),
    wrong(
        "takes a TypeDecorator at face value: ExactMoney is not an integer",
        replace_text(
            DIFF,
            old="""    if isinstance(type_, TypeDecorator):
        type_ = type_.load_dialect_impl(STORAGE_DIALECT)
""",
            new="",
        ),
    ),
    wrong(
        "reads Column.unique, which reflection leaves None",
        replace_text(
            DIFF,
            old="unique=column.name in unique,",
            new="unique=bool(column.unique),",
        ),
    ),
    wrong(
        "sees UNIQUE constraints but not unique indexes",
        replace_text(
            DIFF,
            old="if index.unique and len(index.columns) == 1 and not partial:",
            new="if False:",
        ),
    ),
    wrong(
        "takes a partial unique index for a unique column",
        replace_text(
            DIFF,
            old="if index.unique and len(index.columns) == 1 and not partial:",
            new="if index.unique and len(index.columns) == 1:",
        ),
    ),
    wrong(
        "takes the reflected nullable of an INTEGER PRIMARY KEY literally",
        replace_text(
            DIFF,
            old="nullable=bool(column.nullable) and not column.primary_key,",
            new="nullable=bool(column.nullable),",
        ),
    ),
    wrong(
        "ignores nullability",
        replace_text(
            DIFF,
            old="nullable=bool(column.nullable) and not column.primary_key,",
            new="nullable=False,",
        ),
    ),
    wrong(
        "ignores constraints: unique, foreign keys and checks",
        replace_text(
            DIFF,
            old="""            unique=column.name in unique,
            foreign_key=tuple(sorted(fk.target_fullname for fk in column.foreign_keys)),
            check=any(
                re.search(rf"\\b{re.escape(column.name)}\\b", sql, re.IGNORECASE)
                for sql in checks
            ),
""",
            new="""            unique=False,
            foreign_key=(),
            check=False,
""",
        ),
    ),
    wrong(
        "a CHECK names a column when the name appears anywhere in its SQL",
        replace_text(
            DIFF,
            old="""            check=any(
                re.search(rf"\\b{re.escape(column.name)}\\b", sql, re.IGNORECASE)
                for sql in checks
            ),
""",
            new="""            check=any(column.name in sql for sql in checks),
""",
        ),
    ),
    wrong(
        "compares only table and column names",
        replace_text(DIFF, old="for kind in COLUMN_KINDS:", new="for kind in ():"),
    ),
    wrong(
        "reports only the first difference",
        replace_text(
            DIFF,
            old="return sorted(found, key=lambda difference: difference.sort_key)",
            new="return sorted(found, key=lambda difference: difference.sort_key)[:1]",
        ),
    ),
    wrong(
        "returns the differences unsorted",
        replace_text(
            DIFF,
            old="return sorted(found, key=lambda difference: difference.sort_key)",
            new="return found",
        ),
    ),
    wrong(
        "splits the script on ';' (schema.sql's comments hold some)",
        replace_text(
            DIFF,
            old="        raw.executescript(sql)\n",
            new="        for statement in sql.split(';'):\n"
            "            raw.execute(statement)\n",
        ),
    ),
    alternative(
        "inspect(): Table objects built from get_columns() and the other get_*()",
        replace_text(
            DIFF,
            old="    create_engine,\n",
            new="    Column,\n    ForeignKeyConstraint,\n    Index,\n    create_engine,\n"
            "    inspect,\n",
        ),
        replace_function(
            DIFF,
            "reflect_schema",
            '''
            def reflect_schema(sql: str) -> MetaData:
                """Each table rebuilt from what the inspector says about it."""
                raw = sqlite3.connect(":memory:")
                engine = create_engine(
                    "sqlite://", creator=lambda: raw, poolclass=StaticPool
                )
                metadata = MetaData()
                try:
                    raw.executescript(sql)
                    inspector = inspect(engine)
                    for name in inspector.get_table_names():
                        key = inspector.get_pk_constraint(name)["constrained_columns"]
                        table = Table(
                            name,
                            metadata,
                            *(
                                Column(
                                    c["name"],
                                    c["type"],
                                    nullable=c["nullable"],
                                    primary_key=c["name"] in key,
                                )
                                for c in inspector.get_columns(name)
                            ),
                            *(
                                UniqueConstraint(*u["column_names"])
                                for u in inspector.get_unique_constraints(name)
                            ),
                            *(
                                CheckConstraint(c["sqltext"])
                                for c in inspector.get_check_constraints(name)
                            ),
                            *(
                                ForeignKeyConstraint(
                                    fk["constrained_columns"],
                                    [
                                        f"{fk['referred_table']}.{column}"
                                        for column in fk["referred_columns"]
                                    ],
                                    ondelete=fk["options"].get("ondelete"),
                                )
                                for fk in inspector.get_foreign_keys(name)
                            ),
                        )
                        for index in inspector.get_indexes(name):
                            Index(
                                index["name"],
                                *(table.c[c] for c in index["column_names"] if c),
                                unique=bool(index["unique"]),
                                **index.get("dialect_options", {}),
                            )
                finally:
                    engine.dispose()
                    raw.close()
                return metadata
            ''',
        ),
    ),
    alternative(
        "types by the DDL SQLite is given: type_.compile(dialect=...)",
        replace_function(
            DIFF,
            "type_family",
            '''
            def type_family(type_: TypeEngine[Any]) -> str:
                """The family of the type name that CREATE TABLE would say on SQLite."""
                ddl = type_.compile(dialect=STORAGE_DIALECT).upper()
                name, _, rest = ddl.partition("(")
                size = rest.rstrip(")").replace(" ", "")
                if "INT" in name:
                    return "integer"
                if any(word in name for word in ("CHAR", "CLOB", "TEXT")):
                    return f"text {size}".strip()
                if name in ("REAL", "FLOAT", "DOUBLE", "DOUBLE PRECISION"):
                    return "real"
                if name in ("NUMERIC", "DECIMAL"):
                    return f"numeric {size}"
                if name in ("DATETIME", "TIMESTAMP"):
                    return "datetime"
                return name.lower()
            ''',
        ),
    ),
    alternative(
        "facts compared with dataclasses.asdict(), the kind from the field name",
        replace_text(
            DIFF,
            old="from dataclasses import dataclass\n",
            new="from dataclasses import asdict, dataclass\n",
        ),
        replace_function(
            DIFF,
            "schema_differences",
            '''
            def schema_differences(
                reflected: MetaData, declared: MetaData
            ) -> list[Difference]:
                """Set arithmetic on names, then field by field."""
                ours, theirs = set(reflected.tables), set(declared.tables)
                found = [
                    Difference(t, None, Kind.MISSING_TABLE, "schema.sql only")
                    for t in ours - theirs
                ] + [
                    Difference(t, None, Kind.EXTRA_TABLE, "models only")
                    for t in theirs - ours
                ]
                for table in ours & theirs:
                    sql = column_facts(reflected.tables[table])
                    model = column_facts(declared.tables[table])
                    found += [
                        Difference(table, c, Kind.MISSING_COLUMN, "")
                        for c in set(sql) - set(model)
                    ]
                    found += [
                        Difference(table, c, Kind.EXTRA_COLUMN, "")
                        for c in set(model) - set(sql)
                    ]
                    for column in set(sql) & set(model):
                        a, b = asdict(sql[column]), asdict(model[column])
                        found += [
                            Difference(table, column, Kind(field), f"{a[field]} / {b[field]}")
                            for field in a
                            if a[field] != b[field]
                        ]
                found.sort(key=lambda d: (d.table, d.column or "", d.kind.value))
                return found
            ''',
        ),
    ),
]
