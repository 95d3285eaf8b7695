"""Variants of drill 30 (CRUD through sessions): proof that its tests grade fairly."""

import dataclasses

from workshop.variants import alternative, replace_function, replace_text, wrong

REPO = "app/orm/repository.py"

VARIANTS = [
    wrong(
        "catches IntegrityError inside the block, but the commit comes after it",
        replace_function(
            REPO,
            "OrmProductRepository.add",
            """
            def add(self, product: Product) -> None:
                with self._sessions.begin() as session:
                    try:
                        session.add(
                            models.Product(
                                sku=product.sku,
                                name=product.name,
                                price=product.price,
                                category_id=category_id(session, product.category),
                                created_at=product.created_at,
                            )
                        )
                    except IntegrityError:
                        raise DuplicateSku(skus=[product.sku]) from None
            """,
        ),
    ),
    alternative(
        "every IntegrityError that reaches add() is the SKU's (the hook turned the others into store errors)",
        replace_text(
            REPO,
            old="""            if is_duplicate_sku(error):
                raise DuplicateSku(skus=[product.sku]) from None
            raise
""",
            new="""            raise DuplicateSku(skus=[product.sku]) from error
""",
        ),
    ),
    wrong(
        "a DuplicateSku that does not say which SKU",
        replace_text(
            REPO,
            old="raise DuplicateSku(skus=[product.sku]) from None",
            new='raise DuplicateSku(f"SKU {product.sku!r} is already taken") from None',
        ),
    ),
    wrong(
        "get hands out the ORM row, not a domain Product",
        replace_function(
            REPO,
            "OrmProductRepository.get",
            """
            def get(self, sku: str) -> Product:
                with self._sessions() as session:
                    row = session.scalar(
                        select(models.Product).where(models.Product.sku == sku)
                    )
                if row is None:
                    raise ProductNotFound(skus=[sku])
                return row
            """,
        ),
    ),
    wrong(
        "one long-lived session for the whole repository",
        replace_function(
            REPO,
            "OrmProductRepository.list",
            """
            def list(self) -> list[Product]:
                if not hasattr(self, "_session"):
                    self._session = self._sessions()
                rows = self._session.execute(product_rows().order_by(models.Product.sku))
                return [to_domain(*row) for row in rows]
            """,
        ),
    ),
    wrong(
        "search with LIKE and no escaping",
        replace_function(
            REPO,
            "OrmProductRepository.search",
            """
            def search(self, text: str) -> list[Product]:
                pattern = f"%{text.lower()}%"
                with self._sessions() as session:
                    rows = session.execute(
                        product_rows()
                        .where(
                            or_(
                                func.lower(models.Product.name).like(pattern),
                                func.lower(models.Product.sku).like(pattern),
                            )
                        )
                        .order_by(models.Product.sku)
                    )
                    return [to_domain(*row) for row in rows]
            """,
        ),
        replace_text(
            REPO,
            old="    or_,\n",
            new="    func,\n    or_,\n",
        ),
    ),
    wrong(
        "update as delete() then add(): two transactions, a refused add loses it",
        replace_function(
            REPO,
            "OrmProductRepository.update",
            """
            def update(self, product: Product) -> None:
                self.delete(product.sku)
                self.add(product)
            """,
        ),
    ),
    wrong(
        "check-then-insert: SELECT the SKU first, no IntegrityError handling",
        replace_function(
            REPO,
            "OrmProductRepository.add",
            """
            def add(self, product: Product) -> None:
                with self._sessions.begin() as session:
                    taken = session.scalar(
                        select(models.Product.id).where(
                            models.Product.sku == product.sku
                        )
                    )
                    if taken is not None:
                        raise DuplicateSku(skus=[product.sku])
                    session.add(
                        models.Product(
                            sku=product.sku,
                            name=product.name,
                            price=product.price,
                            category_id=category_id(session, product.category),
                            created_at=product.created_at,
                        )
                    )
            """,
        ),
    ),
    wrong(
        "check-then-insert through get(), in a session of its own",
        replace_function(
            REPO,
            "OrmProductRepository.add",
            """
            def add(self, product: Product) -> None:
                try:
                    self.get(product.sku)
                except ProductNotFound:
                    pass
                else:
                    raise DuplicateSku(skus=[product.sku])
                with self._sessions.begin() as session:
                    session.add(
                        models.Product(
                            sku=product.sku,
                            name=product.name,
                            price=product.price,
                            category_id=category_id(session, product.category),
                            created_at=product.created_at,
                        )
                    )
            """,
        ),
    ),
    wrong(
        "existence checked by get() outside the write, then a blind UPDATE",
        replace_function(
            REPO,
            "OrmProductRepository.update",
            """
            def update(self, product: Product) -> None:
                self.get(product.sku)
                with self._sessions.begin() as session:
                    session.execute(
                        update(models.Product)
                        .where(models.Product.sku == product.sku)
                        .values(
                            name=product.name,
                            price=product.price,
                            category_id=category_id(session, product.category),
                            created_at=product.created_at,
                        )
                    )
            """,
        ),
    ),
    wrong(
        "update forgets created_at",
        replace_text(
            REPO,
            old="""                    created_at=product.created_at,
                )
            )
            # An UPDATE""",
            new="""                )
            )
            # An UPDATE""",
        ),
    ),
    wrong(
        "get matches the SKU ignoring case",
        replace_text(
            REPO,
            old="product_rows().where(models.Product.sku == sku)",
            new="product_rows().where(models.Product.sku.ilike(sku))",
        ),
    ),
    wrong(
        "loads the row and sets its attributes: a concurrent delete is StaleDataError",
        replace_function(
            REPO,
            "OrmProductRepository.update",
            """
            def update(self, product: Product) -> None:
                with self._sessions.begin() as session:
                    row = session.scalar(
                        select(models.Product).where(models.Product.sku == product.sku)
                    )
                    if row is None:
                        raise ProductNotFound(skus=[product.sku])
                    row.name = product.name
                    row.price = product.price
                    row.category_id = category_id(session, product.category)
                    row.created_at = product.created_at
            """,
        ),
    ),
    wrong(
        "session.commit() inside begin(), then another session call",
        replace_function(
            REPO,
            "OrmProductRepository.delete",
            """
            def delete(self, sku: str) -> None:
                with self._sessions.begin() as session:
                    row = session.scalar(
                        select(models.Product).where(models.Product.sku == sku)
                    )
                    if row is None:
                        raise ProductNotFound(skus=[sku])
                    session.delete(row)
                    session.commit()
                    session.scalar(select(models.Product.id).where(models.Product.sku == sku))
            """,
        ),
    ),
    alternative(
        "session.commit() as the last statement inside begin() (redundant, silent)",
        replace_function(
            REPO,
            "OrmProductRepository.delete",
            """
            def delete(self, sku: str) -> None:
                with self._sessions.begin() as session:
                    row = session.scalar(
                        select(models.Product).where(models.Product.sku == sku)
                    )
                    if row is None:
                        raise ProductNotFound(skus=[sku])
                    session.delete(row)
                    session.commit()
            """,
        ),
    ),
    alternative(
        "update locks the row (SELECT ... FOR UPDATE), then sets its attributes",
        replace_function(
            REPO,
            "OrmProductRepository.update",
            """
            def update(self, product: Product) -> None:
                with self._sessions.begin() as session:
                    row = session.scalar(
                        select(models.Product)
                        .where(models.Product.sku == product.sku)
                        .with_for_update()
                    )
                    if row is None:
                        raise ProductNotFound(skus=[product.sku])
                    row.name = product.name
                    row.price = product.price
                    row.category_id = category_id(session, product.category)
                    row.created_at = product.created_at
            """,
        ),
    ),
    alternative(
        "flush inside the block, a delete() statement, two-step get",
        replace_function(
            REPO,
            "OrmProductRepository.add",
            """
            def add(self, product: Product) -> None:
                with self._sessions.begin() as session:
                    row = models.Product(
                        sku=product.sku,
                        name=product.name,
                        price=product.price,
                        category_id=category_id(session, product.category),
                        created_at=product.created_at,
                    )
                    session.add(row)
                    try:
                        with session.begin_nested():
                            session.flush()
                    except IntegrityError as error:
                        if not is_duplicate_sku(error):
                            raise
                        raise DuplicateSku(
                            f"there is already a product {product.sku}",
                            skus=(product.sku,),
                        ) from None
            """,
        ),
        replace_function(
            REPO,
            "OrmProductRepository.get",
            """
            def get(self, sku: str) -> Product:
                with self._sessions() as session:
                    row = session.scalars(
                        select(models.Product).where(models.Product.sku == sku)
                    ).first()
                    if row is None:
                        raise ProductNotFound(f"unknown SKU {sku}", skus=(sku,))
                    name = None
                    if row.category_id is not None:
                        name = session.scalar(
                            select(models.Category.name).where(
                                models.Category.id == row.category_id
                            )
                        )
                    return to_domain(row, name)
            """,
        ),
        replace_function(
            REPO,
            "OrmProductRepository.delete",
            """
            def delete(self, sku: str) -> None:
                with self._sessions.begin() as session:
                    result = session.execute(
                        delete(models.Product).where(models.Product.sku == sku)
                    )
                    if result.rowcount != 1:
                        raise ProductNotFound(skus=[sku])
            """,
        ),
        replace_text(
            REPO,
            old="    or_,\n",
            new="    delete,\n    or_,\n",
        ),
    ),
]

# The contract suite's step-30 backends live in tests/contract/backends.py, so the
# engine's default selection (test files that say mark.step) misses them: name them.
TESTS = ("tests/test_step_30_sessions.py", "tests/contract")
VARIANTS = [dataclasses.replace(variant, tests=TESTS) for variant in VARIANTS]
