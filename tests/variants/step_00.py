"""Variants of drill 00 (money as Decimal): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

DOMAIN = "app/domain.py"

VARIANTS = [
    wrong(
        "rounds a third decimal place instead of refusing it",
        replace_text(
            DOMAIN,
            old="    if amount != amount.quantize(CENT):\n",
            new="    if False:\n",
        ),
    ),
    wrong(
        "converts through float, so a float price is accepted",
        replace_text(
            DOMAIN,
            old="    if isinstance(value, float | bool):\n",
            new="    if isinstance(value, bool):\n",
        ),
    ),
    alternative(
        "one regular expression, and messages in other words",
        replace_function(
            DOMAIN,
            "parse_price",
            '''
            def parse_price(value: str | int | Decimal) -> Decimal:
                """Return ``value`` as an exact amount of money with two decimal places."""
                if type(value) is int:
                    value = str(value)
                if isinstance(value, Decimal):
                    value = str(value) if value.is_finite() else "x"
                if not isinstance(value, str):
                    raise InvalidPrice(f"cannot use a {type(value).__name__} as money")
                import re

                found = re.fullmatch(r"(\\d+)(?:\\.(\\d{1,2}))?", value.strip())
                if found is None:
                    raise InvalidPrice(f"{value!r} is no amount of money I accept")
                return Decimal(value.strip()).quantize(CENT)
            ''',
        ),
    ),
]
