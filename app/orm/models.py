# workshop: since 28
"""The store's tables as typed SQLAlchemy classes; no engine is built here."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from sqlalchemy import (
    CheckConstraint,  # solution 28
    DateTime,
    ForeignKey,  # solution 28
    MetaData,
    Numeric,
    String,  # solution 28
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,  # since 32
)
from sqlalchemy.types import TypeDecorator

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


# Column types the store repeats: say them once, use them as Mapped[Money].
Money = Annotated[Decimal, mapped_column(Numeric(12, 2))]
Timestamp = Annotated[datetime, mapped_column(UtcDateTime())]


class Base(DeclarativeBase):
    """The parent of every mapped class; its metadata names constraints."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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
    # >>> solution 28
    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Money]
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[Timestamp]
    # --- stub
    # # TODO step 28: sku, name, price (Money), category_id, created_at (Timestamp)
    # # and the CHECK constraint price >= 0 (see workshop/steps/28-models.md)
    # <<<
    # >>> since 32
    category: Mapped[Category | None] = relationship(
        back_populates="products", lazy="raise"
    )
    # <<<


# >>> since 32
class Order(Base):
    """A customer's order; its items go with it (delete-orphan)."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer: Mapped[str] = mapped_column(String(100))
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
