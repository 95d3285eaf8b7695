# workshop: since 10
"""Customers and their orders, which point at each other (a cycle by design)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from app.domain import parse_price, utc_now


@dataclass(frozen=True)
class OrderLine:
    """A quantity of one product at the price it was sold for."""

    sku: str
    quantity: int
    unit_price: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_price", parse_price(self.unit_price))


# eq=False: the generated __eq__ would compare customer -> orders -> customer...
# forever. Identity is what matters for these two; tests compare by ids.
@dataclass(eq=False)
class Customer:
    """Someone who buys; ``orders`` lists their orders, oldest first."""

    customer_id: str
    name: str
    orders: list[CustomerOrder] = field(default_factory=list, repr=False)

    def place_order(
        self, order_id: str, lines: list[OrderLine], placed_at: datetime | None = None
    ) -> CustomerOrder:
        """A new order of this customer, linked both ways."""
        order = CustomerOrder(order_id, self, list(lines), placed_at or utc_now())
        self.orders.append(order)
        return order


@dataclass(eq=False)
class CustomerOrder:
    """One purchase of a customer, kept in files with its customer (step 10);
    ``customer`` points back at the customer who placed it. The ORM's mapped
    class of step 32 is models.Order."""

    order_id: str
    customer: Customer = field(repr=False)
    lines: list[OrderLine]
    placed_at: datetime

    @property
    def total(self) -> Decimal:
        return sum(
            (line.unit_price * line.quantity for line in self.lines), Decimal("0.00")
        )
