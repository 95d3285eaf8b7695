"""Variants of drill 29 (Pydantic schemas): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

SCHEMAS = "app/schemas.py"

VARIANTS = [
    wrong(
        "an update dumps every field, so it nulls the ones it did not send",
        replace_text(
            SCHEMAS,
            old="changes = self.model_dump(exclude_unset=True)",
            new="changes = self.model_dump()",
        ),
    ),
    wrong(
        "refuses floats but lets a bool through as money",
        replace_text(
            SCHEMAS,
            old="    if isinstance(value, bool | float):\n",
            new="    if type(value) is float:\n",
        ),
    ),
    wrong(
        "raises ValueError in the validator, so the message reads 'Value error, ...'",
        replace_function(
            SCHEMAS,
            "refuse_float",
            '''
            def refuse_float(value: object) -> object:
                """Refuse floats and bools."""
                if isinstance(value, bool | float):
                    raise ValueError(
                        "must be a string such as '9.99' or a Decimal, never a float"
                    )
                return value
            ''',
        ),
    ),
    wrong(
        "rewords only 'Input should', leaving 'Decimal input should' and 'String should'",
        replace_text(
            SCHEMAS,
            old='r"^(\\w+ )?[Ii]nput should|^(String|Decimal|Value) should"',
            new='r"^Input should"',
        ),
    ),
    wrong(
        "apply_to changes the product it was given",
        replace_function(
            SCHEMAS,
            "ProductUpdate.apply_to",
            '''
            def apply_to(self, product: Product) -> Product:
                """The product with the fields that were sent."""
                for name, value in self.model_dump(exclude_unset=True).items():
                    setattr(product, name, value)
                return product
            ''',
        ),
    ),
    wrong(
        "shows the input with str(), not repr()",
        replace_text(
            SCHEMAS,
            old="f\" (got {problem['input']!r})\"",
            new="f\" (got {problem['input']})\"",
        ),
    ),
    alternative(
        "prefixes rewritten by a table, dataclasses.replace, another float message",
        replace_function(
            SCHEMAS,
            "refuse_float",
            '''
            def refuse_float(value: object) -> object:
                """Floats and bools are not money."""
                if type(value) in (float, bool):
                    kind = "float" if type(value) is float else "bool"
                    raise PydanticCustomError(
                        "money_not_float",
                        "must be a string such as '9.99' or a Decimal, never a "
                        + kind
                        + " (binary floats cannot hold cents exactly)",
                    )
                return value
            ''',
        ),
        replace_function(
            SCHEMAS,
            "ProductUpdate.apply_to",
            '''
            def apply_to(self, product: Product) -> Product:
                """A copy of ``product`` with the sent fields changed."""
                import dataclasses

                return dataclasses.replace(product, **self.model_dump(exclude_unset=True))
            ''',
        ),
        replace_function(
            SCHEMAS,
            "explain",
            '''
            def explain(error: ValidationError) -> str:
                """One line per problem."""
                prefixes = ("Decimal input should", "String should", "Input should")
                lines = []
                for problem in error.errors():
                    field = ".".join(map(str, problem["loc"]))
                    if problem["type"] == "missing":
                        lines.append(f"{field}: is required")
                        continue
                    if problem["type"] == "extra_forbidden":
                        message = "is not a field here; check its spelling"
                    else:
                        message = problem["msg"]
                        for prefix in prefixes:
                            if message.startswith(prefix):
                                message = "must" + message[len(prefix) :]
                                break
                    lines.append(f"{field}: {message} (got {repr(problem['input'])})")
                return "\\n".join(lines)
            ''',
        ),
        replace_function(
            SCHEMAS,
            "ProductCreate.to_product",
            '''
            def to_product(self, created_at: datetime | None = None) -> Product:
                """The domain Product."""
                fields = self.model_dump()
                if created_at is not None:
                    fields["created_at"] = created_at
                return Product(**fields)
            ''',
        ),
    ),
]
