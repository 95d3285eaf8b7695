# workshop: since 29
"""Pydantic models at the store's boundary: what comes in, what goes out."""

from __future__ import annotations

import re  # solution 29
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.domain import (
    MAX_CATEGORY,
    MAX_NAME,
    MAX_PRICE,
    MAX_SKU,
    SKU_FORM,
    Product,
    utc_now,  # solution 29
)
from app.errors import InvalidInput  # solution 29


# >>> solution 29
def refuse_float(value: object) -> object:
    """Let strings, ints and Decimals through to Decimal; refuse floats and bools.

    Runs before pydantic's own Decimal parsing, in Python and in JSON mode.
    Pydantic would turn the float 9.99 into Decimal('9.99'), but a float has
    lost precision before it arrives: 0.1 + 0.2 is 0.30000000000000004.
    """
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "money_not_float",
            "must be a string such as '9.99' or a Decimal, never a {kind}",
            {"kind": type(value).__name__},
        )
    return value


# <<<
# The product rules of app/domain.py, as constraints Pydantic reports on.
NO_NUL = r"^[^\x00]*$"
Price = Annotated[
    Decimal,
    BeforeValidator(refuse_float),
    Field(ge=0, le=MAX_PRICE, max_digits=12, decimal_places=2),
]
Sku = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_SKU, pattern=f"^{SKU_FORM}$"
    ),
]
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_NAME, pattern=NO_NUL
    ),
]
CategoryName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_CATEGORY, pattern=NO_NUL
    ),
]


class ProductCreate(BaseModel):
    """What a client sends to create a product."""

    model_config = ConfigDict(extra="forbid")

    sku: Sku
    name: Name
    price: Price
    category: CategoryName | None = None

    # >>> solution 29
    def to_product(self, created_at: datetime | None = None) -> Product:
        """The domain Product, created now unless ``created_at`` is given."""
        return Product(
            sku=self.sku,
            name=self.name,
            price=self.price,
            category=self.category,
            created_at=created_at or utc_now(),
        )

    # <<<


class ProductUpdate(BaseModel):
    """A partial change: only the fields the client sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    price: Price | None = None
    category: CategoryName | None = None  # sent as null: the product has none

    @field_validator("name", "price")
    @classmethod
    def sent_means_a_value(cls, value: object) -> object:
        # Runs only for fields that were sent: leaving one out is fine, null is not.
        if value is None:
            raise PydanticCustomError("null", "cannot be null; leave it out instead")
        return value

    # >>> solution 29
    def apply_to(self, product: Product) -> Product:
        """A new Product: ``product`` with the fields that were sent."""
        changes = self.model_dump(exclude_unset=True)
        return Product(**{**vars(product), **changes})

    # <<<


class ProductRead(BaseModel):
    """What the store shows: read from a domain Product's attributes."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    sku: str
    name: str
    price: Decimal
    category: str | None
    created_at: datetime


# >>> solution 29
def explain(error: ValidationError) -> str:
    """One line a person can act on per problem: "price: must be ... (got 9.999)"."""
    reworded = {
        "missing": "is required",
        "extra_forbidden": "is not a field here; check its spelling",
    }
    lines = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "input"
        message = reworded.get(problem["type"]) or re.sub(
            r"^(\w+ )?[Ii]nput should|^(String|Decimal|Value) should",
            "must",
            problem["msg"],
        )
        got = "" if problem["type"] == "missing" else f" (got {problem['input']!r})"
        lines.append(f"{where}: {message}{got}")
    return "\n".join(lines)


def validate_create(data: Mapping[str, object]) -> ProductCreate:
    """``data`` as a ProductCreate, or InvalidInput whose message is explain()'s."""
    try:
        return ProductCreate.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(explain(error)) from None


# <<<
