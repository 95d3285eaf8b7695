"""Variants of drill 12 (constraints, create_schema(), cents): proof it grades fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

SCHEMA = "app/sqlite/schema.sql"
DB = "app/sqlite/db.py"
MONEY = "app/sqlite/money.py"

VARIANTS = [
    wrong(
        "a blank check without trim, so '   ' passes",
        replace_text(
            SCHEMA,
            old="CHECK (length(trim(sku)) > 0 AND",
            new="CHECK (length(sku) > 0 AND",
        ),
    ),
    wrong(
        "no length limits",
        replace_text(SCHEMA, old=" AND length(sku) <= 40", new=""),
        replace_text(SCHEMA, old=" AND length(name) <= 200", new=""),
    ),
    wrong(
        "a limit off by one",
        replace_text(SCHEMA, old="length(name) <= 200", new="length(name) < 200"),
    ),
    wrong(
        "no typeof check, so 3.5 and 'free' are stored as prices",
        replace_text(
            SCHEMA,
            old="CHECK (typeof(price_cents) = 'integer' AND price_cents >= 0)",
            new="CHECK (price_cents >= 0)",
        ),
    ),
    wrong(
        "the SKU is not unique",
        replace_text(
            SCHEMA,
            old="sku         TEXT    NOT NULL UNIQUE\n",
            new="sku TEXT NOT NULL\n",
        ),
    ),
    wrong(
        "a missing price is refused by the CHECK only, not by NOT NULL",
        replace_text(
            SCHEMA, old="price_cents INTEGER NOT NULL\n", new="price_cents INTEGER\n"
        ),
    ),
    wrong(
        "no IF NOT EXISTS, so the second start fails",
        replace_text(
            SCHEMA,
            old="CREATE TABLE IF NOT EXISTS products",
            new="CREATE TABLE products",
        ),
    ),
    wrong(
        "create_schema() opens schema.sql relative to the working directory",
        replace_function(
            DB,
            "create_schema",
            '''
            def create_schema(conn: sqlite3.Connection) -> None:
                """Create the store's tables."""
                with open("app/sqlite/schema.sql", encoding="utf-8") as file:
                    conn.executescript(file.read())
            ''',
        ),
    ),
    wrong(
        "to_cents() truncates a fraction of a cent",
        replace_function(
            MONEY,
            "to_cents",
            '''
            def to_cents(price: Decimal) -> int:
                """``price`` in cents."""
                return int(price * 100)
            ''',
        ),
    ),
    wrong(
        "to_cents() goes through float",
        replace_function(
            MONEY,
            "to_cents",
            '''
            def to_cents(price: Decimal) -> int:
                """``price`` in cents."""
                cents = float(price) * 100
                if cents != int(cents):
                    raise InvalidPrice(f"price {price} has a fraction of a cent")
                return int(cents)
            ''',
        ),
    ),
    wrong(
        "from_cents() divides without fixing two places",
        replace_text(
            MONEY, old="Decimal(cents).scaleb(-2)", new="Decimal(cents) / 100"
        ),
    ),
    wrong(
        "from_cents() refuses only a float",
        replace_text(
            MONEY,
            old="if not isinstance(cents, int) or isinstance(cents, bool):",
            new="if isinstance(cents, float):",
        ),
    ),
    alternative(
        "table constraints with names, a unique index, Path(__file__), quantize",
        replace_text(
            SCHEMA,
            old="""CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    -- The lengths are the store's rules (MAX_SKU, MAX_NAME in app/domain.py).
    sku         TEXT    NOT NULL UNIQUE
        CHECK (length(trim(sku)) > 0 AND length(sku) <= 40),
    name        TEXT    NOT NULL
        CHECK (length(trim(name)) > 0 AND length(name) <= 200),""",
            new="""CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT    NOT NULL,
    name        TEXT    NOT NULL,""",
        ),
        replace_text(
            SCHEMA,
            old="""    created_at  TEXT    NOT NULL
);
""",
            new="""    created_at  TEXT    NOT NULL,
    CONSTRAINT sku_not_blank CHECK (trim(sku) <> ''),
    CONSTRAINT sku_not_too_long CHECK (length(sku) BETWEEN 1 AND 40),
    CONSTRAINT name_not_blank CHECK (trim(name) != ''),
    CONSTRAINT name_not_too_long CHECK (length(name) < 201)
);
CREATE UNIQUE INDEX IF NOT EXISTS products_sku ON products (sku);
""",
        ),
        replace_function(
            DB,
            "create_schema",
            '''
            def create_schema(conn: sqlite3.Connection) -> None:
                """Create the store's tables."""
                sql = (Path(__file__).parent / "schema.sql").read_text("utf-8")
                conn.executescript(sql)
            ''',
        ),
        replace_function(
            MONEY,
            "to_cents",
            '''
            def to_cents(price: Decimal) -> int:
                """``price`` in cents."""
                if price.quantize(Decimal("0.01")) != price:
                    raise InvalidPrice(f"{price} is not whole cents")
                return int(price.scaleb(2))
            ''',
        ),
        replace_function(
            MONEY,
            "from_cents",
            '''
            def from_cents(cents: int) -> Decimal:
                """Cents back to money."""
                if type(cents) is not int:
                    raise InvalidPrice(f"cents must be an int, not {type(cents).__name__}")
                return (Decimal(cents) / 100).quantize(Decimal("0.01"))
            ''',
        ),
    ),
]
