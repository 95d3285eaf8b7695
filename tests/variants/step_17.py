"""Variants of drill 17 (product_from_fields()): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

VALIDATION = "app/sqlite/validation.py"

VARIANTS = [
    wrong(
        "raises on the first problem",
        replace_text(
            VALIDATION,
            old="""        problems["name"] = "name is missing; give the product a name"
""",
            new="""        problems["name"] = "name is missing; give the product a name"
        raise InvalidProduct(problems["name"], fields=problems)
""",
        ),
    ),
    wrong(
        "SKU.match() instead of fullmatch()",
        replace_text(VALIDATION, old="SKU.fullmatch(sku)", new="SKU.match(sku)"),
    ),
    wrong(
        "Decimal(text) instead of parse_price()",
        replace_text(
            VALIDATION,
            old='price = parse_price(text.get("price") or "")',
            new='price = Decimal(text.get("price") or "x")',
        ),
        replace_text(
            VALIDATION,
            old="    except InvalidPrice as error:\n",
            new="    except (InvalidPrice, ArithmeticError) as error:\n",
        ),
    ),
    wrong(
        "no price ceiling",
        replace_text(
            VALIDATION, old="    if price > MAX_PRICE:\n", new="    if False:\n"
        ),
    ),
    wrong(
        "the ceiling is off by one cent",
        replace_text(
            VALIDATION, old="if price > MAX_PRICE:", new="if price >= MAX_PRICE:"
        ),
    ),
    wrong(
        "a time without a UTC offset is accepted",
        replace_text(
            VALIDATION,
            old="            if created_at.utcoffset() is None:\n",
            new="            if False:\n",
        ),
    ),
    wrong(
        "checks before stripping",
        replace_text(
            VALIDATION,
            old='text = {key: (value or "").strip() for key, value in fields.items() if key}',
            new='text = {key: value or "" for key, value in fields.items() if key}',
        ),
    ),
    wrong(
        "a naive datetime.now() as the default",
        replace_text(
            VALIDATION,
            old="created_at = now or utc_now()",
            new="created_at = now or datetime.now()",
        ),
    ),
    wrong(
        "one message for everything, no fields",
        replace_text(
            VALIDATION,
            old='raise InvalidProduct("; ".join(problems.values()), fields=problems)',
            new='raise InvalidProduct("; ".join(problems.values()))',
        ),
    ),
    wrong(
        "a blank category is kept as ''",
        replace_text(
            VALIDATION,
            old='text.get("category") or None',
            new='fields.get("category")',
        ),
    ),
    alternative(
        "one checker per field, other words",
        replace_function(
            VALIDATION,
            "product_from_fields",
            '''
            def product_from_fields(
                fields: Mapping[str, str | None], *, now: datetime | None = None
            ) -> Product:
                """The Product that text ``fields`` describe, or InvalidProduct."""

                def given(key: str) -> str:
                    return (fields.get(key) or "").strip()

                wrong: dict[str, str] = {}
                sku, name = given("sku"), given("name")
                if SKU.fullmatch(sku) is None:
                    wrong["sku"] = f"bad sku {sku!r}: use letters, digits, . _ -"
                if not name or len(name) > MAX_NAME:
                    wrong["name"] = f"the name must have 1 to {MAX_NAME} characters"
                price = None
                try:
                    price = parse_price(given("price"))
                    if price > MAX_PRICE:
                        raise InvalidPrice(f"at most {MAX_PRICE}")
                except InvalidPrice as error:
                    wrong["price"] = f"fix the price ({error}), e.g. 12.50"
                created_at = now if now is not None else utc_now()
                if given("created_at"):
                    try:
                        created_at = datetime.fromisoformat(given("created_at"))
                        if created_at.tzinfo is None or created_at.utcoffset() is None:
                            raise ValueError("naive")
                    except ValueError:
                        wrong["created_at"] = "write created_at like 2026-01-01T10:00:00+00:00"
                if wrong:
                    raise InvalidProduct(
                        "\\n".join(f"- {m}" for m in wrong.values()), fields=wrong
                    )
                assert price is not None
                return Product(sku, name, price, given("category") or None, created_at)
            ''',
        ),
    ),
]
