# workshop: since 36
"""What the store's API shows and accepts: Pydantic models, never ORM rows.

Read models copy plain values out of the rows (``from_attributes``), so no
ORM object and no internal field (cost price, supplier notes, ids) crosses
this line. Write models refuse every field their caller may not set.
"""

from __future__ import annotations

from datetime import datetime  # solution 36
from decimal import Decimal  # solution 36

from pydantic import (
    AliasPath,  # solution 36
    BaseModel,
    ConfigDict,  # solution 36
    Field,  # solution 36
    computed_field,  # solution 36
)
from sqlalchemy import select  # solution 36
from sqlalchemy.orm import (
    Session,
    selectinload,  # solution 36
)

from app.errors import ProductNotFound  # solution 36
from app.orm import models  # solution 36
from app.orm.repository import category_id  # solution 36
from app.schemas import (
    Price,  # solution 36
    ProductUpdate,
)


# >>> solution 36
class ProductPublic(BaseModel):
    """A product as every client sees it."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    sku: str
    name: str
    price: Decimal
    category: str | None = Field(
        default=None, validation_alias=AliasPath("category", "name")
    )
    updated_at: datetime


class OrderLinePublic(BaseModel):
    """One line of an order: which product (by SKU), how many, at what price."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    sku: str = Field(validation_alias=AliasPath("product", "sku"))
    quantity: int
    unit_price: Decimal


class OrderPublic(BaseModel):
    """An order as its customer sees it; ``number`` is the order's id."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    number: int = Field(validation_alias="id")
    customer: str
    placed_at: datetime
    lines: list[OrderLinePublic] = Field(validation_alias="items")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> Decimal:
        return sum(
            (line.unit_price * line.quantity for line in self.lines), Decimal("0.00")
        )


class SupplierChange(BaseModel):
    """What a supplier may change: the internal fields, nothing a client sees."""

    model_config = ConfigDict(extra="forbid")

    cost_price: Price | None = None
    supplier_notes: str | None = None


# --- stub
# class ProductPublic(BaseModel):
#     """A product as every client sees it: sku, name, price, category, updated_at."""
#
#
# class OrderLinePublic(BaseModel):
#     """One line of an order: sku, quantity, unit_price."""
#
#
# class OrderPublic(BaseModel):
#     """An order as its customer sees it: number, customer, placed_at, lines, total."""
#
#
# class SupplierChange(BaseModel):
#     """What a supplier may change: cost_price, supplier_notes."""
#
#
# <<<
# >>> solution 36
def public_products(session: Session) -> list[ProductPublic]:
    """Every product, by SKU, as a ProductPublic."""
    rows = session.scalars(
        select(models.Product)
        .options(selectinload(models.Product.category))
        .order_by(models.Product.sku)
    )
    return [ProductPublic.model_validate(row) for row in rows]


def public_orders(session: Session) -> list[OrderPublic]:
    """Every order, oldest first, as an OrderPublic."""
    rows = session.scalars(
        select(models.Order)
        .options(
            selectinload(models.Order.items).selectinload(models.OrderItem.product)
        )
        .order_by(models.Order.id)
    )
    return [OrderPublic.model_validate(row) for row in rows]


def change_product(
    session: Session, sku: str, change: ProductUpdate | SupplierChange
) -> ProductPublic:
    """Apply the fields the caller sent to product ``sku``; flushed, not committed.

    ProductNotFound when no product has this SKU.
    """
    row = session.scalar(select(models.Product).where(models.Product.sku == sku))
    if row is None:
        raise ProductNotFound(skus=[sku])
    fields = change.model_dump(exclude_unset=True)
    if "category" in fields:
        row.category_id = category_id(session, fields.pop("category"))
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    fresh = session.scalar(
        select(models.Product)
        .where(models.Product.id == row.id)
        .options(selectinload(models.Product.category))
        .execution_options(populate_existing=True)
    )
    return ProductPublic.model_validate(fresh)


# <<<
