"""Variants of drill 00 (money as Decimal): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

DOMAIN = "app/domain.py"

VARIANTS = [
    wrong(
        "rounds a third decimal place instead of refusing it",
        replace_text(
            DOMAIN,
            old="    if amount != cents:\n",
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
    wrong(
        "forgets that bool is an int, so True is one euro",
        replace_text(
            DOMAIN,
            old="    if isinstance(value, float | bool):\n",
            new="    if isinstance(value, float):\n",
        ),
    ),
    wrong(
        "parses with Decimal(float(value)), so 9.99 grows binary digits",
        replace_text(
            DOMAIN,
            old="        amount = Decimal(value)\n",
            new="        amount = Decimal(float(value))\n",
        ),
    ),
    wrong(
        "quantizes outside the try, so 1e27 escapes as decimal.InvalidOperation",
        replace_text(
            DOMAIN,
            old=(
                "    try:\n"
                "        cents = amount.quantize(CENT)\n"
                "    except InvalidOperation:\n"
                "        raise InvalidPrice(\n"
                '            f"price {value!r} is too large to hold to the cent"\n'
                "        ) from None\n"
            ),
            new="    cents = amount.quantize(CENT)\n",
        ),
    ),
    wrong(
        "accepts a negative amount",
        replace_text(DOMAIN, old="    if amount < 0:\n", new="    if False:\n"),
    ),
    wrong(
        "compares NaN with zero before checking that it is finite",
        replace_text(
            DOMAIN,
            old="    if not amount.is_finite():\n",
            new="    if amount < 0 and not amount.is_finite():\n",
        ),
    ),
    wrong(
        "one message for every mistake, and it does not show the value",
        replace_function(
            DOMAIN,
            "parse_price",
            '''
            def parse_price(value: str | int | Decimal) -> Decimal:
                """Return ``value`` as an exact amount of money with two decimal places."""
                if isinstance(value, float | bool):
                    raise InvalidPrice("invalid price")
                try:
                    amount = Decimal(value)
                except (InvalidOperation, TypeError, ValueError):
                    raise InvalidPrice("invalid price") from None
                if not amount.is_finite() or amount < 0:
                    raise InvalidPrice("invalid price")
                if amount != amount.quantize(CENT):
                    raise InvalidPrice("invalid price")
                return amount.quantize(CENT)
            ''',
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
                import re

                if type(value) is int or isinstance(value, Decimal):
                    text = str(value)
                elif isinstance(value, str):
                    text = value.strip()
                else:
                    raise InvalidPrice(f"cannot use {value!r} ({type(value).__name__}) as money")
                found = re.fullmatch(r"(\\d{1,26})(?:\\.(\\d{1,2}))?", text)
                if found is None:
                    raise InvalidPrice(f"{value!r} is no amount of money I accept")
                return Decimal(text).quantize(CENT)
            ''',
        ),
    ),
    alternative(
        "checks the exponent of the parsed Decimal, one message per mistake",
        replace_function(
            DOMAIN,
            "parse_price",
            '''
            def parse_price(value: str | int | Decimal) -> Decimal:
                """Return ``value`` as an exact amount of money with two decimal places."""
                if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
                    raise InvalidPrice(
                        f"{type(value).__name__} {value} cannot be a price; use text"
                    )
                try:
                    amount = Decimal(str(value).strip())
                except InvalidOperation:
                    raise InvalidPrice(f"{value} does not read as an amount") from None
                if amount.is_nan() or amount.is_infinite():
                    raise InvalidPrice(f"{value} is no finite amount")
                if amount.is_signed() and amount != 0:
                    raise InvalidPrice(f"{value}: prices cannot be below zero")
                if amount.as_tuple().exponent < -2:
                    raise InvalidPrice(f"{value} has fractions of a cent")
                if amount.adjusted() >= 26:
                    raise InvalidPrice(f"{value} is more money than 28 digits hold")
                return amount.quantize(CENT)
            ''',
        ),
    ),
]
