"""Step 29: Pydantic schemas at the boundary, with errors a person can act on."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.domain import Product
from app.errors import InvalidInput
from app.schemas import (
    ProductCreate,
    ProductRead,
    ProductUpdate,
    explain,
    validate_create,
)

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
GOOD = {"sku": " TEA-1 ", "name": "Thé vert 緑茶", "price": "3.50", "category": "tea"}


def problems(**changes):
    with pytest.raises(ValidationError) as caught:
        ProductCreate.model_validate({**GOOD, **changes})
    return explain(caught.value)


def test_valid_input_becomes_exact_typed_fields():
    created = ProductCreate.model_validate(GOOD)
    assert created.sku == "TEA-1"
    assert created.price == Decimal("3.50")
    assert isinstance(created.price, Decimal)
    assert ProductCreate.model_validate({**GOOD, "price": 2}).price == Decimal(2)


@pytest.mark.parametrize("price", [9.99, True])
def test_a_float_or_bool_price_is_refused_with_a_fix(price):
    text = problems(price=price)
    assert text.startswith("price: must be a string such as '9.99' or a Decimal")
    assert f"(got {price!r})" in text


def test_a_float_in_json_is_refused_too_and_a_string_accepted():
    with pytest.raises(ValidationError, match="never a float"):
        ProductCreate.model_validate_json(json.dumps({**GOOD, "price": 9.99}))
    created = ProductCreate.model_validate_json(json.dumps(GOOD))
    assert created.price == Decimal("3.50")


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("9.999", "price: must have no more than 2 decimal places (got '9.999')"),
        ("-1", "price: must be greater than or equal to 0 (got '-1')"),
        ("1000000.01", "price: must be less than or equal to Decimal('1000000.00')"),
        ("ten", "price: must be a valid decimal (got 'ten')"),
    ],
)
def test_each_bad_price_gets_one_line_naming_the_field_and_the_value(price, expected):
    assert problems(price=price).startswith(expected)


def test_every_problem_is_listed_one_per_line():
    with pytest.raises(ValidationError) as caught:
        ProductCreate.model_validate({"name": "", "price": "1.001", "colour": "red"})
    lines = explain(caught.value).splitlines()
    assert "sku: is required" in lines
    assert any(
        line.startswith("name: must have at least 1 character") for line in lines
    )
    assert any(line.startswith("price: must have no more than 2") for line in lines)
    assert "colour: is not a field here; check its spelling (got 'red')" in lines
    assert len(lines) == 4


def test_validate_create_raises_the_stores_own_error_with_the_explanation():
    with pytest.raises(InvalidInput) as caught:
        validate_create({**GOOD, "price": "-0.01"})
    assert (
        str(caught.value) == "price: must be greater than or equal to 0 (got '-0.01')"
    )
    assert validate_create(GOOD).sku == "TEA-1"


def test_to_product_gives_the_domain_product_created_now_or_at_a_given_time():
    created = ProductCreate.model_validate(GOOD)
    assert created.to_product(created_at=WHEN) == Product(
        sku="TEA-1",
        name="Thé vert 緑茶",
        price=Decimal("3.50"),
        category="tea",
        created_at=WHEN,
    )
    assert created.to_product().created_at.tzinfo is not None


def test_an_update_changes_only_the_fields_that_were_sent():
    product = Product(sku="TEA-1", name="Green", price=Decimal("3.50"), category="tea")
    renamed = ProductUpdate.model_validate({"name": "Sencha"}).apply_to(product)
    assert (renamed.name, renamed.price, renamed.category) == (
        "Sencha",
        Decimal("3.50"),
        "tea",
    )
    assert renamed.created_at == product.created_at
    assert product.name == "Green", "the original is left alone"
    cleared = ProductUpdate.model_validate({"category": None}).apply_to(product)
    assert cleared.category is None


def test_an_update_cannot_null_a_required_field():
    with pytest.raises(ValidationError) as caught:
        ProductUpdate.model_validate({"name": None, "price": 1.5})
    text = explain(caught.value)
    assert "name: cannot be null; leave it out instead (got None)" in text
    assert "price: must be a string such as '9.99'" in text


def test_read_models_come_from_domain_products_and_keep_money_exact_in_json():
    product = Product(sku="TEA-1", name="Green", price=Decimal("3.50"), created_at=WHEN)
    shown = ProductRead.model_validate(product)
    assert shown.price == Decimal("3.50")
    assert json.loads(shown.model_dump_json())["price"] == "3.50"
