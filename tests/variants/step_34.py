"""Variants of drill 34 (AsyncSession repository): proof that its tests grade fairly."""

import dataclasses

from workshop.variants import alternative, replace_function, replace_text, wrong

REPO = "app/orm/async_repository.py"

# Not a variant: one AsyncSession shared by every call. The drill's test of
# concurrent tasks fails on it, but under load the leaked asyncpg sockets can
# crash pytest on Python 3.11 (an AST recursion error while it formats the
# failure), and a crashed run judges nothing.

VARIANTS = [
    wrong(
        "list_orders() without eager loading",
        replace_text(
            REPO,
            old="""                select(models.Order)
                .options(
                    selectinload(models.Order.items).selectinload(
                        models.OrderItem.product
                    )
                )
                .order_by(models.Order.id)
""",
            new="""                select(models.Order).order_by(models.Order.id)
""",
        ),
        replace_text(REPO, old="from sqlalchemy.orm import selectinload\n", new=""),
    ),
    wrong(
        "loads the items but not their products",
        replace_text(
            REPO,
            old="""                    selectinload(models.Order.items).selectinload(
                        models.OrderItem.product
                    )
""",
            new="""                    selectinload(models.Order.items)
""",
        ),
    ),
    wrong(
        "forgets to await session.delete()",
        replace_text(
            REPO,
            old="            await session.delete(row)\n",
            new="            session.delete(row)\n",
        ),
    ),
    wrong(
        "catches IntegrityError inside the block, but the commit comes after it",
        replace_function(
            REPO,
            "AsyncOrmProductRepository.add",
            """
            async def add(self, product: Product) -> None:
                async with self._sessions.begin() as session:
                    try:
                        session.add(
                            models.Product(
                                sku=product.sku,
                                name=product.name,
                                price=product.price,
                                category_id=await category_id(session, product.category),
                                created_at=product.created_at,
                            )
                        )
                    except IntegrityError:
                        raise DuplicateSku(skus=[product.sku]) from None
            """,
        ),
    ),
    wrong(
        "a ProductNotFound that does not say which SKU",
        replace_text(
            REPO,
            old="""            if row is None:
                raise ProductNotFound(skus=[sku])
            await session.delete(row)
""",
            new="""            if row is None:
                raise ProductNotFound(f"no product has SKU {sku!r}")
            await session.delete(row)
""",
        ),
    ),
    wrong(
        "update loads the row and sets its attributes: a concurrent delete is StaleDataError",
        replace_function(
            REPO,
            "AsyncOrmProductRepository.update",
            """
            async def update(self, product: Product) -> None:
                async with self._sessions.begin() as session:
                    row = await session.scalar(
                        select(models.Product).where(models.Product.sku == product.sku)
                    )
                    if row is None:
                        raise ProductNotFound(skus=[product.sku])
                    row.name = product.name
                    row.price = product.price
                    row.category_id = await category_id(session, product.category)
                    row.created_at = product.created_at
            """,
        ),
    ),
    alternative(
        "update locks the row (SELECT ... FOR UPDATE), then sets its attributes",
        replace_function(
            REPO,
            "AsyncOrmProductRepository.update",
            """
            async def update(self, product: Product) -> None:
                async with self._sessions.begin() as session:
                    row = await session.scalar(
                        select(models.Product)
                        .where(models.Product.sku == product.sku)
                        .with_for_update()
                    )
                    if row is None:
                        raise ProductNotFound(skus=[product.sku])
                    row.name = product.name
                    row.price = product.price
                    row.category_id = await category_id(session, product.category)
                    row.created_at = product.created_at
            """,
        ),
    ),
    alternative(
        "session then begin(), statements for update and delete, joinedload",
        replace_function(
            REPO,
            "AsyncOrmProductRepository.add",
            """
            async def add(self, product: Product) -> None:
                async with self._sessions() as session:
                    async with session.begin():
                        row = models.Product(
                            sku=product.sku,
                            name=product.name,
                            price=product.price,
                            category_id=await category_id(session, product.category),
                            created_at=product.created_at,
                        )
                        session.add(row)
                        try:
                            async with session.begin_nested():
                                await session.flush()
                        except IntegrityError as error:
                            if is_duplicate_sku(error):
                                raise DuplicateSku(
                                    f"{product.sku} exists", skus=(product.sku,)
                                ) from None
                            raise
            """,
        ),
        replace_function(
            REPO,
            "AsyncOrmProductRepository.delete",
            """
            async def delete(self, sku: str) -> None:
                async with self._sessions.begin() as session:
                    result = await session.execute(
                        delete(models.Product).where(models.Product.sku == sku)
                    )
                    if not result.rowcount:
                        raise ProductNotFound(f"{sku}?", skus=(sku,))
            """,
        ),
        replace_function(
            REPO,
            "AsyncOrmProductRepository.list",
            """
            async def list(self) -> list[Product]:
                async with self._sessions() as session:
                    rows = (
                        await session.execute(product_rows().order_by(models.Product.sku))
                    ).all()
                return [to_domain(row, name) for row, name in rows]
            """,
        ),
        replace_function(
            REPO,
            "AsyncOrmProductRepository.list_orders",
            '''
            async def list_orders(self) -> list[models.Order]:
                """Every order, one query with JOINs."""
                async with self._sessions() as session:
                    result = await session.scalars(
                        select(models.Order)
                        .options(
                            joinedload(models.Order.items).joinedload(
                                models.OrderItem.product
                            )
                        )
                        .order_by(models.Order.id)
                    )
                    return list(result.unique().all())
            ''',
        ),
        replace_text(
            REPO,
            old="    select,\n    update,\n",
            new="    delete,\n    select,\n    update,\n",
        ),
        replace_text(
            REPO,
            old="from sqlalchemy.orm import selectinload\n",
            new="from sqlalchemy.orm import joinedload\n",
        ),
    ),
]

# The contract suite's step-34 backends live in tests/contract/backends.py, so the
# engine's default selection (test files that say mark.step) misses them: name them.
TESTS = (
    "tests/test_step_34_async.py",
    "tests/test_step_34_store_command.py",
    "tests/contract",
)
VARIANTS = [dataclasses.replace(variant, tests=TESTS) for variant in VARIANTS]
