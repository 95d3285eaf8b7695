"""Variants of drill 15 (store_error()): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

ERRORS = "app/sqlite/errors.py"
REFERENCE_HEAD = """    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_CONSTRAINT_UNIQUE" and "products.sku" in str(error):
"""


def translate(body: str) -> str:
    """A store_error() whose body is ``body`` (indented by 4)."""
    return (
        "def store_error(error: sqlite3.Error, sku: str | None = None) -> Exception:\n"
        '    """The store\'s exception for ``error``."""\n' + body
    )


VARIANTS = [
    wrong(
        "sniffs the message for UNIQUE and products.sku",
        replace_text(
            ERRORS,
            old=REFERENCE_HEAD,
            new="""    name = getattr(error, "sqlite_errorname", "")
    if "UNIQUE" in str(error) and "products.sku" in str(error):
""",
        ),
    ),
    wrong(
        "sniffs every message: UNIQUE, constraint failed, locked",
        replace_function(
            ERRORS,
            "store_error",
            translate(
                """    message = str(error)
    if "UNIQUE constraint failed: products.sku" in message:
        return DuplicateSku(f"SKU {sku!r} is already taken; choose another SKU")
    if "constraint failed" in message:
        return InvalidProduct(f"the database refused product {sku!r}: {error}")
    if "locked" in message:
        return DatabaseBusy(f"the database is busy ({error}); try again")
    return error
"""
            ),
        ),
    ),
    wrong(
        "an IntegrityError naming products.sku is taken for a duplicate",
        replace_text(
            ERRORS,
            old=REFERENCE_HEAD,
            new="""    name = getattr(error, "sqlite_errorname", "")
    if isinstance(error, sqlite3.IntegrityError) and "products.sku" in str(error):
""",
        ),
    ),
    wrong(
        "every UNIQUE failure is DuplicateSku (a category name too)",
        replace_text(
            ERRORS,
            old='if name == "SQLITE_CONSTRAINT_UNIQUE" and "products.sku" in str(error):',
            new='if name == "SQLITE_CONSTRAINT_UNIQUE":',
        ),
    ),
    wrong(
        "SQLITE_BUSY only, not SQLITE_LOCKED",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new='if name.startswith("SQLITE_BUSY"):',
        ),
    ),
    wrong(
        "every OperationalError is DatabaseBusy",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new="if isinstance(error, sqlite3.OperationalError):",
        ),
    ),
    wrong(
        "reads sqlite_errorname without getattr (the module's own errors lack it)",
        replace_text(
            ERRORS,
            old='name = getattr(error, "sqlite_errorname", "")',
            new="name = error.sqlite_errorname",
        ),
    ),
    wrong(
        "DuplicateSku without the SKU in its message",
        replace_text(
            ERRORS,
            old='DuplicateSku(f"SKU {sku!r} is already taken; choose another SKU")',
            new='DuplicateSku("that SKU is already taken; choose another")',
        ),
    ),
    wrong(
        "every OperationalError but SQLITE_ERROR is busy (read-only, full disk...)",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new='if isinstance(error, sqlite3.OperationalError) and name != "SQLITE_ERROR":',
        ),
    ),
    wrong(
        "every error with a result code but SQLITE_ERROR is busy",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new='if name not in ("", "SQLITE_ERROR"):',
        ),
    ),
    wrong(
        "a list of constraint codes that forgets PRIMARY KEY",
        replace_text(
            ERRORS,
            old='if name.startswith("SQLITE_CONSTRAINT"):',
            new="""if name in (
        "SQLITE_CONSTRAINT_UNIQUE",
        "SQLITE_CONSTRAINT_NOTNULL",
        "SQLITE_CONSTRAINT_CHECK",
        "SQLITE_CONSTRAINT_FOREIGNKEY",
        "SQLITE_CONSTRAINT_TRIGGER",
    ):""",
        ),
    ),
    wrong(
        "exact names SQLITE_BUSY and SQLITE_LOCKED, no extended codes",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new='if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):',
        ),
    ),
    wrong(
        "exact integer codes SQLITE_BUSY and SQLITE_LOCKED, not masked by 0xFF",
        replace_text(
            ERRORS,
            old='if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):',
            new="""if getattr(error, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    ):""",
        ),
    ),
    wrong(
        "any UNIQUE failure whose message says sku (another table's sku too)",
        replace_text(
            ERRORS,
            old='if name == "SQLITE_CONSTRAINT_UNIQUE" and "products.sku" in str(error):',
            new='if name == "SQLITE_CONSTRAINT_UNIQUE" and "sku" in str(error):',
        ),
    ),
    alternative(
        "integer result codes, other messages",
        replace_function(
            ERRORS,
            "store_error",
            translate(
                """    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return error
    if code == sqlite3.SQLITE_CONSTRAINT_UNIQUE and str(error).endswith(
        ": products.sku"
    ):
        return DuplicateSku(f"{sku} exists already")
    if code & 0xFF == sqlite3.SQLITE_CONSTRAINT:
        return InvalidProduct(f"refused by the database: {sku}")
    if code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseBusy("another connection is writing; retry later")
    return error
"""
            ),
        ),
    ),
    alternative(
        "a match statement on the name",
        replace_function(
            ERRORS,
            "store_error",
            translate(
                """    match getattr(error, "sqlite_errorname", None):
        case "SQLITE_CONSTRAINT_UNIQUE" if "products.sku" in error.args[0]:
            return DuplicateSku(f"duplicate SKU: {sku}")
        case str(name) if name.startswith("SQLITE_CONSTRAINT"):
            return InvalidProduct(f"invalid product {sku}")
        case "SQLITE_BUSY" | "SQLITE_LOCKED" | "SQLITE_BUSY_TIMEOUT":
            return DatabaseBusy("busy")
        case str(name) if name.startswith(("SQLITE_BUSY_", "SQLITE_LOCKED_")):
            return DatabaseBusy("busy")
        case _:
            return error
"""
            ),
        ),
    ),
    alternative(
        "the primary result name, cut from the extended one",
        replace_function(
            ERRORS,
            "store_error",
            translate(
                """    name = getattr(error, "sqlite_errorname", None)
    if not name:
        return error
    primary = "_".join(name.split("_")[:2])  # SQLITE_BUSY_SNAPSHOT -> SQLITE_BUSY
    if name == "SQLITE_CONSTRAINT_UNIQUE":
        table_column = str(error).removeprefix("UNIQUE constraint failed: ")
        if table_column == "products.sku":
            return DuplicateSku(f"the SKU {sku} belongs to another product")
    if primary == "SQLITE_CONSTRAINT":
        return InvalidProduct(f"product {sku} breaks a rule of the database")
    if primary in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return DatabaseBusy(f"could not use the database ({error}); retry")
    return error
"""
            ),
        ),
    ),
]
