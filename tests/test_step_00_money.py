"""Step 00: prices are exact Decimals, and anything else is refused clearly."""

from decimal import Decimal

import pytest

from app.domain import Product, parse_price
from app.errors import InvalidPrice


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("9.99", "9.99"),
        ("5", "5.00"),
        (5, "5.00"),
        (Decimal("0.1"), "0.10"),
        ("0", "0.00"),
    ],
)
def test_parse_price_returns_exact_cents(given, expected):
    price = parse_price(given)
    assert isinstance(price, Decimal)
    assert price == Decimal(expected)
    assert str(price) == expected


@pytest.mark.parametrize("given", [9.99, 0.1, 5.0, True, False])
def test_parse_price_refuses_floats_and_bools(given):
    with pytest.raises(InvalidPrice) as error:
        parse_price(given)
    assert str(given) in str(error.value), "the message shows the value given"


@pytest.mark.parametrize(
    "given",
    [
        "-1",
        "-0.01",
        Decimal("-5"),
        -3,
        "1.999",
        Decimal("0.001"),
        "abc",
        "",
        "1,50",
        None,
        "NaN",
        "Infinity",
        Decimal("NaN"),
        Decimal("-Infinity"),
        # Too large to hold to the cent: quantize() raises InvalidOperation.
        "1e27",
        "9" * 27,
        Decimal("1E+30"),
    ],
)
def test_parse_price_refuses_what_is_not_money_showing_the_value(given):
    with pytest.raises(InvalidPrice) as error:
        parse_price(given)
    assert str(given) in str(error.value), "the message shows the value given"


def test_product_keeps_its_price_as_decimal():
    product = Product(sku="TEA-1", name="Green tea", price=Decimal("3.50"))
    assert product.price == Decimal("3.50")
    assert sum([product.price] * 3) == Decimal("10.50")


def test_product_refuses_a_float_price():
    with pytest.raises(InvalidPrice):
        Product(sku="TEA-1", name="Green tea", price=3.5)  # type: ignore[arg-type]
