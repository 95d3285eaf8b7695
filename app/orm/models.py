# workshop: since 28
"""The store's tables as typed SQLAlchemy classes; no engine is built here."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from sqlalchemy import (
    DDL,  # since 38
    BigInteger,  # since 40
    CheckConstraint,  # solution 28
    DateTime,
    ForeignKey,  # solution 28
    Index,  # since 38
    Integer,
    MetaData,
    Numeric,
    String,  # solution 28
    Table,
    Text,  # since 36
    UniqueConstraint,  # since 40
    event,  # since 38
    func,  # solution 35
    literal,  # since 31
    literal_column,  # since 38
    text,  # since 38
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint  # since 38
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles  # since 31
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,  # since 32
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.compiler import SQLCompiler  # since 31
from sqlalchemy.sql.functions import FunctionElement  # since 31
from sqlalchemy.types import TypeDecorator, TypeEngine

# Predictable constraint names, so that Alembic can find and drop them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime in a TIMESTAMP WITH TIME ZONE column, read back in UTC.

    PostgreSQL keeps the instant; SQLite has no time zone type and would hand
    back a naive datetime, so the value is stored in UTC and UTC is put back.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"naive datetime {value!r} has no time zone; use an aware one"
                " such as datetime.now(UTC)"
            )
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ExactMoney(TypeDecorator[Decimal]):
    """A Decimal amount in cents, exact on every backend; never a float.

    PostgreSQL keeps it in NUMERIC(12, 2). SQLite has no decimal type: given a
    plain Numeric, SQLAlchemy would hand it the Decimal as a float and SQLite
    would keep a REAL, so here SQLite gets whole cents in an INTEGER column
    (as the sqlite3 part did). More than two decimal places is a ValueError,
    never a silent rounding; a float is a TypeError.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(12, 2))

    def coerce_compared_value(self, op: object, value: object) -> TypeEngine[Any]:
        # price <= Decimal("5") compares cents with cents; price * Decimal("1.1")
        # multiplies by a plain number, which must not be turned into cents.
        if op in (operators.mul, operators.truediv, operators.floordiv):
            return Numeric()
        return self

    def process_bind_param(
        self, value: Decimal | int | str | None, dialect: Dialect
    ) -> Decimal | int | None:
        if value is None:
            return None
        if isinstance(value, float | bool):
            raise TypeError(f"money must be a Decimal, never a {type(value).__name__}")
        amount = Decimal(value)
        cents = amount.scaleb(2)
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than 2 decimal places")
        if dialect.name == "sqlite":
            return int(cents)
        return amount

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            if not isinstance(value, int):
                raise TypeError(f"expected whole cents from SQLite, got {value!r}")
            return Decimal(value).scaleb(-2)
        assert isinstance(value, Decimal)
        return value


# >>> since 31
class money_times(FunctionElement[Decimal]):  # noqa: N801 (used like func.x)
    """SQL for ``amount * factor`` rounded half up to the cent, exact everywhere.

    PostgreSQL computes ``round(amount * factor, 2)`` in NUMERIC. SQLite's
    arithmetic on a decimal factor would use binary floats, so there the factor
    becomes a fraction n/d and the cents are computed in integers:
    ``(cents * 2n + d) / 2d``. For amounts and factors of 0 or more.
    """

    type = ExactMoney()
    name = "money_times"
    inherit_cache = True

    def __init__(self, amount: object, factor: Decimal) -> None:
        numerator, denominator = Decimal(factor).as_integer_ratio()
        super().__init__(
            amount,
            literal(Decimal(factor), Numeric()),
            literal(2 * numerator, Integer()),
            literal(denominator, Integer()),
            literal(2 * denominator, Integer()),
        )


@compiles(money_times)
def _money_times(element: money_times, compiler: SQLCompiler, **kw: object) -> str:
    amount, factor = (compiler.process(c, **kw) for c in list(element.clauses)[:2])
    return f"round({amount} * {factor}, 2)"


@compiles(money_times, "sqlite")
def _money_times_sqlite(
    element: money_times, compiler: SQLCompiler, **kw: object
) -> str:
    amount, _, twice_n, d, twice_d = (
        compiler.process(clause, **kw) for clause in element.clauses
    )
    return f"(({amount} * {twice_n} + {d}) / {twice_d})"


# <<<
# Column types the store repeats: say them once, use them as Mapped[Money].
Money = Annotated[Decimal, mapped_column(ExactMoney())]
Timestamp = Annotated[datetime, mapped_column(UtcDateTime())]


class Base(DeclarativeBase):
    """The parent of every mapped class; its metadata names constraints."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Each class maps one Table; SQLAlchemy types __table__ more loosely.
    __table__: ClassVar[Table]


class Category(Base):
    """A group of products ("tea", "coffee"); its name is unique."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    # >>> solution 28
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # --- stub
    # # TODO step 28: name, unique, at most 100 characters
    # <<<
    # >>> since 32
    # lazy="raise": reading it without eager loading is an error, not a query.
    products: Mapped[list[Product]] = relationship(
        back_populates="category", lazy="raise", order_by="Product.sku"
    )
    # <<<


class Product(Base):
    """One row per product; ``sku`` is unique, the price never negative."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    # >>> solution 28 until 42
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    sku: Mapped[str] = mapped_column(String(40), unique=True)
    # --- stub
    # # TODO step 28: sku, name, price (Money), category_id, created_at (Timestamp)
    # # and the CHECK constraint price >= 0 (see workshop/steps/28-models.md)
    # <<<
    # >>> since 42
    # The SKU is unique among live products only: a soft-deleted product keeps
    # its SKU, and a new product may take it (step 42).
    __table_args__: tuple[object, ...] = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index(
            "uq_products_sku",
            "sku",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    sku: Mapped[str] = mapped_column(String(40))
    # <<<
    # >>> solution 28
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Money]
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[Timestamp]
    # --- stub
    # <<<
    # >>> solution 35
    # The database fills it for rows that do not say (psql, COPY, old code);
    # every UPDATE that SQLAlchemy sends and does not set it sets it to now().
    updated_at: Mapped[Timestamp] = mapped_column(
        server_default=func.now(), onupdate=func.now()
    )
    # --- stub
    # # TODO step 35: updated_at (see workshop/steps/35-migrations.md)
    # <<<
    # >>> since 36
    # Internal: what the store pays and what the supplier said. Staff only.
    cost_price: Mapped[Money | None]
    supplier_notes: Mapped[str | None] = mapped_column(Text)
    # <<<
    # >>> since 42
    # Set when the product is soft-deleted (app/orm/lifecycle.py); NULL: live.
    deleted_at: Mapped[Timestamp | None]
    # <<<
    # >>> since 32
    category: Mapped[Category | None] = relationship(
        back_populates="products", lazy="raise"
    )
    # <<<


# >>> since 43
# Keyset pagination and streaming walk products in (price, sku) order.
Index("ix_products_price_sku", Product.price, Product.sku)


# <<<
# >>> since 32
class Order(Base):
    """A customer's order; its items go with it (delete-orphan)."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    # <<<
    # >>> since 32 until 35
    customer: Mapped[str] = mapped_column(String(100))
    # <<<
    # >>> solution 35
    # The attribute keeps its name; only the column is called customer_name.
    customer: Mapped[str] = mapped_column("customer_name", String(100))
    # --- stub
    # # TODO step 35: the column becomes customer_name, the attribute stays customer
    # customer: Mapped[str] = mapped_column(String(100))
    # <<<
    # >>> since 32
    placed_at: Mapped[Timestamp]
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        lazy="raise",
        order_by="OrderItem.id",
    )


class OrderItem(Base):
    """One line of an order: a product, how many, at the price of the day."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int]
    unit_price: Mapped[Money]
    order: Mapped[Order] = relationship(back_populates="items", lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")


# <<<
# >>> since 38
OPEN = text("valid_to IS NULL")  # the version in force now


class PriceVersion(Base):
    """One price of a product over the half-open stretch [valid_from, valid_to).

    Rows are only ever added; the one change allowed is closing the open
    version (valid_to NULL: in force until further notice) when the next one
    starts. PostgreSQL refuses two versions of a product that overlap.
    """

    __tablename__ = "price_history"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from", name="valid_range"
        ),
        # At most one open version per product, on every backend.
        Index(
            "uq_price_history_open_version",
            "product_id",
            unique=True,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        ),
        # No two versions of a product overlap ([) ranges: touching is fine).
        # `=` on an integer in a GiST index needs the btree_gist extension.
        ExcludeConstraint(
            ("product_id", "="),
            (
                func.tstzrange(
                    literal_column("valid_from"),
                    literal_column("valid_to"),
                    literal_column("'[)'"),
                ),
                "&&",
            ),
            using="gist",
            name="ex_price_history_no_overlap",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The history lives as long as its product: no statement rewrites it,
    # and only a hard DELETE of the product (step 42's purge) takes it away.
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    price: Mapped[Money]
    valid_from: Mapped[Timestamp]
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime())


event.listen(
    PriceVersion.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)


# <<<


# >>> since 40
class ProductImage(Base):
    """One image of a product. Its bytes live in a file named by their SHA-256
    (app/orm/images.py), never in the row; a product holds the same bytes once."""

    __tablename__ = "product_images"
    __table_args__ = (
        UniqueConstraint("product_id", "sha256"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE")
    )
    # 64 hex digits: the checksum, and the file's name in the images folder.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)  # bytes
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[Timestamp]


# <<<


# >>> since 39
class StockLevel(Base):
    """How many items of a product are on the shelf; never below 0.

    ``version`` is SQLAlchemy's version counter: every UPDATE the ORM sends
    says ``WHERE version = <the version it read>`` and sets it one higher, so
    an update based on a stale read matches no row and raises StaleDataError.
    """

    __tablename__ = "stock_levels"
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_not_negative"),)

    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    quantity: Mapped[int]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}


class PickTask(Base):
    """A line the warehouse must pick; done once ``done_at`` is set."""

    __tablename__ = "pick_tasks"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int]
    done_at: Mapped[Timestamp | None]


# <<<
