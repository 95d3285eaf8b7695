# workshop: since 41
"""The differences between schema.sql and the models that are meant, with why.

tests/test_step_41_schema_sources.py fails on a difference that is not here
(drift) and on an entry here that no longer differs (stale). One entry per
line, so that a later step can mark its own with ``# since NN``.
"""

from __future__ import annotations

from app.orm.schema_diff import Difference, Kind

SQLITE_PART = "a table of the sqlite3 part (steps 18-26); the ORM part does not map it"
LENGTH = (
    "SQLite ignores a declared length, so schema.sql says TEXT (and, for SKU and"
    " name, a CHECK on length()); the models give PostgreSQL its VARCHAR(n)"
)
RULE_IN_CHECK = (
    "schema.sql refuses a blank or too long value with a CHECK; the models rely"
    " on String(n) and on the Pydantic schemas of step 29 for blankness"
)
TIMESTAMP = (
    "the sqlite3 store writes datetime.isoformat() text itself; UtcDateTime lets"
    " SQLAlchemy store its own DATETIME text ('2026-01-01 06:00:00.000000')"
)
CENTS = (
    "the same money under another name: integer cents in the sqlite3 store, a"
    " Decimal in the models that ExactMoney keeps as integer cents on SQLite"
)
ORDERS = (
    "the ORM's orders (step 32) name their customer in a text column and have no"
    " status: a smaller model than the sqlite3 store's orders of step 24"
)
LINE_ID = (
    "the ORM gives each order line its own id; schema.sql keys a line by"
    " (order_id, product_id), so a product appears once per order"
)
ORM_ONLY_TABLE = (
    "a table the ORM part added; schema.sql has no twin for it to drift from"
)

INTENDED: dict[tuple[str, str | None, Kind], str] = {
    ("categories", "name", Kind.TYPE): LENGTH,
    ("customers", None, Kind.MISSING_TABLE): SQLITE_PART,
    ("deliveries", None, Kind.MISSING_TABLE): SQLITE_PART,
    ("delivery_lines", None, Kind.MISSING_TABLE): SQLITE_PART,
    ("order_items", "id", Kind.EXTRA_COLUMN): LINE_ID,
    ("order_items", "order_id", Kind.PRIMARY_KEY): LINE_ID,
    ("order_items", "product_id", Kind.PRIMARY_KEY): LINE_ID,
    ("order_items", "unit_price", Kind.EXTRA_COLUMN): CENTS,
    ("order_items", "unit_price_cents", Kind.MISSING_COLUMN): CENTS,
    ("orders", "created_at", Kind.MISSING_COLUMN): ORDERS + " (placed_at there)",
    ("orders", "customer_id", Kind.MISSING_COLUMN): ORDERS,
    ("orders", "customer_name", Kind.EXTRA_COLUMN): ORDERS + " (renamed at step 35)",
    ("orders", "placed_at", Kind.EXTRA_COLUMN): ORDERS,
    ("orders", "status", Kind.MISSING_COLUMN): ORDERS,
    ("products", "cost_price", Kind.EXTRA_COLUMN): "internal, added at step 36",
    ("products", "created_at", Kind.TYPE): TIMESTAMP,
    ("products", "name", Kind.CHECK): RULE_IN_CHECK,
    ("products", "name", Kind.TYPE): LENGTH,
    ("products", "price", Kind.EXTRA_COLUMN): CENTS,
    ("products", "price_cents", Kind.MISSING_COLUMN): CENTS,
    ("products", "sku", Kind.CHECK): RULE_IN_CHECK,
    ("products", "sku", Kind.TYPE): LENGTH,
    ("products", "supplier_notes", Kind.EXTRA_COLUMN): "internal, added at step 36",
    ("products", "updated_at", Kind.EXTRA_COLUMN): "added by the migration of step 35",
    ("products", "deleted_at", Kind.EXTRA_COLUMN): "soft deletes, step 42",  # since 42
    ("products", "sku", Kind.UNIQUE): "unique among live rows, step 42",  # since 42
    ("stock", None, Kind.MISSING_TABLE): SQLITE_PART,
    ("transfers", None, Kind.MISSING_TABLE): SQLITE_PART,
    ("wallets", None, Kind.MISSING_TABLE): SQLITE_PART,
}


def reason_for(difference: Difference) -> str | None:
    """Why ``difference`` is meant, or None when it is drift to fix.

    One rule besides the entries: a table only the models have is meant.
    """
    if difference.kind is Kind.EXTRA_TABLE:
        return ORM_ONLY_TABLE
    return INTENDED.get((difference.table, difference.column, difference.kind))
