# workshop: since 07
"""A shopping-cart session: what a customer has chosen and how far they got."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from app.domain import Product, is_whole_number, utc_now

STAGES = ("browsing", "address", "payment", "done")


@dataclass
class CartLine:
    """A product in the cart, with the price the customer was shown."""

    sku: str
    name: str
    unit_price: Decimal
    quantity: int

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass
class CartSession:
    """One customer's session: the cart, the checkout stage, an optional coupon."""

    session_id: str
    customer: str
    lines: list[CartLine] = field(default_factory=list)
    stage: str = "browsing"
    coupon: str | None = None
    started_at: datetime = field(default_factory=utc_now)
    saved_at: datetime | None = None

    def add(self, product: Product, quantity: int = 1) -> None:
        """Put ``quantity`` of ``product`` in the cart, at today's price."""
        if not is_whole_number(quantity, minimum=1):
            raise ValueError(
                f"quantity must be a whole number above 0, not {quantity!r}"
            )
        for line in self.lines:
            if line.sku == product.sku:
                line.quantity += quantity
                return
        self.lines.append(CartLine(product.sku, product.name, product.price, quantity))

    def remove(self, sku: str) -> None:
        self.lines = [line for line in self.lines if line.sku != sku]

    def advance(self) -> None:
        """Move to the next checkout stage; an empty cart cannot check out."""
        if not self.lines:
            raise ValueError("the cart is empty: add something before checking out")
        if self.stage != "done":
            self.stage = STAGES[STAGES.index(self.stage) + 1]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))
