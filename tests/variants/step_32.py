"""Variants of drill 32 (relationships without N+1): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

ORDERS = "app/orm/orders.py"

VARIANTS = [
    wrong(
        "queries the products one SKU at a time",
        replace_text(
            ORDERS,
            old="""    products = {
        product.sku: product
        for product in session.scalars(
            select(models.Product).where(models.Product.sku.in_(list(lines)))
        )
    }
""",
            new="""    products = {}
    for sku in lines:
        found = session.scalar(select(models.Product).where(models.Product.sku == sku))
        if found is not None:
            products[sku] = found
""",
        ),
    ),
    wrong(
        "commits inside place_order()",
        replace_text(
            ORDERS,
            old="    session.add(order)\n    session.flush()\n",
            new="    session.add(order)\n    session.commit()\n",
        ),
    ),
    wrong(
        "adds the order before checking the SKUs",
        replace_function(
            ORDERS,
            "place_order",
            '''
            def place_order(
                session: Session, *, customer: str, lines: Mapping[str, int]
            ) -> models.Order:
                """A new order."""
                if not lines:
                    raise ValueError("no lines")
                if any(quantity < 1 for quantity in lines.values()):
                    raise ValueError("a quantity below 1")
                order = models.Order(customer=customer, placed_at=utc_now(), items=[])
                session.add(order)
                products = {
                    p.sku: p
                    for p in session.scalars(
                        select(models.Product).where(models.Product.sku.in_(list(lines)))
                    )
                }
                if missing := sorted(set(lines) - set(products)):
                    raise ProductNotFound(skus=missing)
                for sku, quantity in lines.items():
                    order.items.append(
                        models.OrderItem(
                            product=products[sku],
                            quantity=quantity,
                            unit_price=products[sku].price,
                        )
                    )
                session.flush()
                return order
            ''',
        ),
    ),
    wrong(
        "a ProductNotFound that does not say which SKUs",
        replace_text(
            ORDERS,
            old="raise ProductNotFound(skus=missing)",
            new='raise ProductNotFound(f"no product has SKU {missing}")',
        ),
    ),
    wrong(
        "loads the items but not their products",
        replace_text(
            ORDERS,
            old="            selectinload(models.Order.items).selectinload(models.OrderItem.product)\n",
            new="            selectinload(models.Order.items)\n",
        ),
    ),
    wrong(
        "totals money as a float",
        replace_function(
            ORDERS,
            "order_total",
            '''
            def order_total(order: models.Order) -> Decimal:
                """What the order costs."""
                return sum(float(i.unit_price) * i.quantity for i in order.items)
            ''',
        ),
    ),
    wrong(
        "lets a quantity of 0 through",
        replace_text(
            ORDERS,
            old="if quantity < 1)",
            new="if quantity < 0)",
        ),
    ),
    alternative(
        "joinedload, a loop for the checks, other messages",
        replace_function(
            ORDERS,
            "list_orders",
            '''
            def list_orders(session: Session) -> list[models.Order]:
                """Every order, in one query with JOINs."""
                statement = (
                    select(models.Order)
                    .options(
                        joinedload(models.Order.items).joinedload(models.OrderItem.product)
                    )
                    .order_by(models.Order.id)
                )
                return list(session.scalars(statement).unique())
            ''',
        ),
        replace_function(
            ORDERS,
            "category_with_products",
            '''
            def category_with_products(session: Session, name: str) -> models.Category | None:
                """The category with its products, one query."""
                return (
                    session.scalars(
                        select(models.Category)
                        .where(models.Category.name == name)
                        .options(joinedload(models.Category.products))
                    )
                    .unique()
                    .one_or_none()
                )
            ''',
        ),
        replace_function(
            ORDERS,
            "order_total",
            '''
            def order_total(order: models.Order) -> Decimal:
                """What the order costs."""
                total = Decimal("0")
                for item in order.items:
                    total += item.quantity * item.unit_price
                return total
            ''',
        ),
        replace_text(
            ORDERS,
            old="""    if not lines:
        raise ValueError("an order needs at least one line")
    if bad := sorted(sku for sku, quantity in lines.items() if quantity < 1):
        raise ValueError(f"quantities must be 1 or more; fix {', '.join(bad)}")
""",
            new="""    if len(lines) == 0:
        raise ValueError("empty order")
    for sku, quantity in lines.items():
        if quantity <= 0:
            raise ValueError(f"{sku}: {quantity} is not a quantity")
""",
        ),
        replace_text(
            ORDERS,
            old="    selectinload,\n",
            new="    joinedload,\n    selectinload,\n",
        ),
    ),
]
