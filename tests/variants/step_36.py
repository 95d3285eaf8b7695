"""Variants of drill 36 (model boundary): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

API = "app/api_models.py"
CATEGORY_BY_ALIAS = """    category: str | None = Field(
        default=None, validation_alias=AliasPath("category", "name")
    )
    updated_at: datetime
"""

VARIANTS = [
    wrong(
        "keeps cost_price on the public product, hidden from dumps by exclude=True",
        replace_text(
            API,
            old=CATEGORY_BY_ALIAS,
            new=CATEGORY_BY_ALIAS
            + "    cost_price: Decimal | None = Field(default=None, exclude=True)\n",
        ),
    ),
    wrong(
        "an internal field under another name, excluded from dumps",
        replace_text(
            API,
            old=CATEGORY_BY_ALIAS,
            new=CATEGORY_BY_ALIAS
            + "    notes: str | None = Field(\n"
            + '        default=None, validation_alias="supplier_notes", exclude=True\n'
            + "    )\n",
        ),
    ),
    wrong(
        "loads each order's lines with a query of its own (N+1)",
        replace_text(
            API,
            old="""    return [OrderPublic.model_validate(row) for row in rows]
""",
            new="""    orders = []
    for row in rows.all():
        items = session.scalars(
            select(models.OrderItem)
            .where(models.OrderItem.order_id == row.id)
            .options(selectinload(models.OrderItem.product))
        ).all()
        orders.append(
            OrderPublic.model_validate(
                {
                    "id": row.id,
                    "customer": row.customer,
                    "placed_at": row.placed_at,
                    "items": [OrderLinePublic.model_validate(i) for i in items],
                }
            )
        )
    return orders
""",
        ),
    ),
    wrong(
        "creates the category every time instead of looking it up",
        replace_text(
            API,
            old='        row.category_id = category_id(session, fields.pop("category"))\n',
            new="""        name = fields.pop("category")
        if name is None:
            row.category_id = None
        else:
            new = models.Category(name=name)
            session.add(new)
            session.flush()
            row.category_id = new.id
""",
        ),
    ),
    wrong(
        "category typed Any: the ORM Category object crosses the boundary",
        replace_text(
            API,
            old=CATEGORY_BY_ALIAS,
            new="""    category: Any = None
    updated_at: datetime
""",
        ),
        replace_text(
            API,
            old="from decimal import Decimal\n",
            new="from decimal import Decimal\nfrom typing import Any\n",
        ),
    ),
    wrong(
        "the public product declares cost_price, for staff later",
        replace_text(
            API,
            old="    updated_at: datetime\n\n\nclass OrderLinePublic",
            new="    updated_at: datetime\n    cost_price: Decimal | None = None\n\n\nclass OrderLinePublic",
        ),
    ),
    wrong(
        "supplier notes shown under another name",
        replace_text(
            API,
            old="    updated_at: datetime\n\n\nclass OrderLinePublic",
            new="""    updated_at: datetime
    notes: str | None = Field(default=None, validation_alias="supplier_notes")


class OrderLinePublic""",
        ),
    ),
    wrong(
        "the supplier's write model ignores unknown fields (pydantic's default)",
        replace_text(
            API,
            old="""    model_config = ConfigDict(extra="forbid")

    cost_price""",
            new="""    cost_price""",
        ),
    ),
    wrong(
        "the supplier's cost price is a plain Decimal: a float gets in",
        replace_text(
            API,
            old="    cost_price: Price | None = None\n",
            new="    cost_price: Decimal | None = None\n",
        ),
        replace_text(API, old="    Price,\n", new=""),
    ),
    wrong(
        "change_product() dumps every field, so the ones not sent become None",
        replace_text(
            API,
            old="fields = change.model_dump(exclude_unset=True)",
            new="fields = change.model_dump()",
        ),
    ),
    wrong(
        "public_products() without eager loading: lazy='raise' stops the read",
        replace_text(
            API,
            old="""        select(models.Product)
        .options(selectinload(models.Product.category))
        .order_by(models.Product.sku)
""",
            new="""        select(models.Product).order_by(models.Product.sku)
""",
        ),
    ),
    wrong(
        "change_product() commits the caller's transaction",
        replace_text(API, old="    session.flush()\n", new="    session.commit()\n"),
    ),
    alternative(
        "a before-validator turns the Category into its name",
        replace_text(
            API,
            old=CATEGORY_BY_ALIAS,
            new="""    category: str | None = None
    updated_at: datetime

    @field_validator("category", mode="before")
    @classmethod
    def category_name(cls, value: object) -> object:
        return value.name if isinstance(value, models.Category) else value
""",
        ),
        replace_text(
            API,
            old="    computed_field,\n",
            new="    computed_field,\n    field_validator,\n",
        ),
    ),
    alternative(
        "change_product() refreshes the row instead of selecting it again",
        replace_function(
            API,
            "change_product",
            '''
            def change_product(
                session: Session, sku: str, change: ProductUpdate | SupplierChange
            ) -> ProductPublic:
                """Apply what was sent; flushed, not committed."""
                row = session.scalar(
                    select(models.Product)
                    .where(models.Product.sku == sku)
                    .options(selectinload(models.Product.category))
                )
                if row is None:
                    raise ProductNotFound(skus=[sku])
                for name, value in change.model_dump(exclude_unset=True).items():
                    if name == "category":
                        row.category_id = category_id(session, value)
                    else:
                        setattr(row, name, value)
                session.flush()
                session.refresh(row, ["category", "updated_at"])
                return ProductPublic.model_validate(row)
            ''',
        ),
    ),
]
