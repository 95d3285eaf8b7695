"""Step 33: bulk import and bulk price changes, all-or-nothing in the caller's transaction."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select

from app.domain import Product
from app.errors import (
    DuplicateSku,
    InvalidInput,
    InvalidPrice,
    InvalidProduct,
    ProductNotFound,
)
from app.orm import models
from app.orm.bulk import import_products, insert_products, set_prices, validate_rows
from app.orm.database import make_sessions
from app.orm.repository import OrmProductRepository
from app.schemas import ProductCreate, explain
from tests.statements import recorded

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def row(sku, price="1.00", category="tea", name="Tea"):
    return {"sku": sku, "name": name, "price": price, "category": category}


@pytest.fixture
def sessions(engine):
    return make_sessions(engine)


@pytest.fixture
def repo(sessions):
    return OrmProductRepository(sessions)


def imported(sessions, rows, **options):
    """import_products() in a transaction of the test's own (the caller's)."""
    with sessions.begin() as session:
        return import_products(session, rows, **options)


def inserted(sessions, items, **options):
    with sessions.begin() as session:
        return insert_products(session, items, **options)


def priced(sessions, prices):
    with sessions.begin() as session:
        return set_prices(session, prices)


def names(sessions, model):
    with sessions() as session:
        return sorted(session.scalars(select(model.name)))


def test_an_import_stores_every_row_with_its_category(sessions, repo):
    rows = [
        row("TEA-1", "3.50"),
        row("MUG-1", "8.00", None),
        row("COF-1", category="coffee"),
    ]
    assert imported(sessions, rows, created_at=WHEN) == 3
    assert repo.get("TEA-1") == Product("TEA-1", "Tea", Decimal("3.50"), "tea", WHEN)
    assert repo.get("MUG-1").category is None
    assert names(sessions, models.Category) == ["coffee", "tea"]


def test_a_large_import_is_a_few_statements_not_one_per_row(engine, sessions, repo):
    rows = [row(f"SKU-{n:04d}", f"{n}.99") for n in range(1000)]
    with recorded(engine) as statements:
        imported(sessions, rows)
    assert len(statements) < 20
    assert len(repo.list()) == 1000
    assert repo.get("SKU-0999").price == Decimal("999.99")


def problems(data):
    """explain()'s lines for ``data``: what the text says each row's report holds."""
    with pytest.raises(ValidationError) as refused:
        ProductCreate.model_validate(data)
    return explain(refused.value).splitlines()


def test_bad_rows_are_all_named_and_never_reach_the_database(engine, sessions, repo):
    rows = [
        row("OK-1"),
        row("BAD-2", price=2.5),
        {"sku": "BAD-3", "price": "1"},
        {"sku": "", "price": 1.5},  # several problems in one row
    ]
    with recorded(engine) as statements, pytest.raises(InvalidInput) as caught:
        imported(sessions, rows)
    assert statements == []
    message = str(caught.value)
    assert len(problems(rows[3])) >= 2
    for number, data in enumerate(rows[1:], start=2):
        for line in problems(data):
            assert f"row {number}: {line}" in message, "every problem of every row"
    assert "row 1" not in message
    assert repo.list() == []


def test_validate_rows_gives_product_creates():
    (valid,) = validate_rows([row(" TEA-1 ", "3.50")])
    assert isinstance(valid, ProductCreate)
    assert (valid.sku, valid.price) == ("TEA-1", Decimal("3.50"))


def test_a_sku_repeated_in_the_input_is_refused_before_the_database(engine, sessions):
    rows = [row("DUP-1"), row("OK-1"), row("DUP-1"), row("DUP-2"), row("DUP-2")]
    with recorded(engine) as statements, pytest.raises(DuplicateSku) as refused:
        inserted(sessions, validate_rows(rows), created_at=WHEN)
    assert sorted(refused.value.skus) == ["DUP-1", "DUP-2"]
    assert statements == []
    with recorded(engine) as statements, pytest.raises(DuplicateSku):
        imported(sessions, rows)
    assert statements == []


def test_a_sku_already_stored_rolls_back_the_whole_batch(sessions, repo):
    repo.add(Product("OLD-1", "Old", Decimal("5.00"), "tea", WHEN))
    rows = [row("NEW-1", category="fresh"), row("OLD-1", "9.99"), row("NEW-2")]
    with pytest.raises(DuplicateSku):
        imported(sessions, rows)
    assert repo.list() == [Product("OLD-1", "Old", Decimal("5.00"), "tea", WHEN)]
    assert names(sessions, models.Category) == ["tea"]


def test_a_duplicate_far_into_a_large_import_keeps_no_row_at_all(sessions, repo):
    # Row 2,001 of 2,500: a commit every 100, 500 or 1,000 rows would keep the
    # first 2,000.
    repo.add(Product("SKU-2000", "Old", Decimal("5.00"), "tea", WHEN))
    rows = [row(f"SKU-{n:04d}", category=f"cat-{n // 100}") for n in range(2500)]
    with pytest.raises(DuplicateSku):
        imported(sessions, rows)
    assert repo.list() == [Product("SKU-2000", "Old", Decimal("5.00"), "tea", WHEN)]
    assert names(sessions, models.Category) == ["tea"]


def test_an_empty_import_does_nothing_and_sends_no_statement(engine, sessions, repo):
    with recorded(engine) as statements:
        assert imported(sessions, []) == 0
        assert inserted(sessions, [], created_at=WHEN) == 0
    assert statements == []
    assert repo.list() == []


def test_set_prices_changes_every_listed_product_at_once(engine, sessions, repo):
    imported(sessions, [row("A-1"), row("B-1"), row("C-1")])
    with recorded(engine) as statements:
        assert priced(sessions, {"A-1": "2.50", "C-1": Decimal("0.99")}) == 2
    kinds = [s.lstrip().split(None, 1)[0].upper() for s in statements]
    queries = [kind for kind in kinds if kind not in ("SAVEPOINT", "RELEASE")]
    assert queries == ["SELECT", "UPDATE"], "one select() and one bulk update()"
    assert [p.price for p in repo.list()] == [
        Decimal("2.50"),
        Decimal("1.00"),
        Decimal("0.99"),
    ]


def test_an_unknown_sku_changes_no_price_at_all(sessions, repo):
    imported(sessions, [row("A-1"), row("B-1")])
    with pytest.raises(ProductNotFound) as missing:
        priced(sessions, {"A-1": "7.00", "NOPE-2": "1.00", "NOPE-1": "1.00"})
    assert sorted(missing.value.skus) == ["NOPE-1", "NOPE-2"]
    assert [p.price for p in repo.list()] == [Decimal("1.00"), Decimal("1.00")]


def test_a_bad_price_is_refused_before_any_statement(engine, sessions, repo):
    imported(sessions, [row("A-1"), row("B-1")])
    for bad in [7.0, "1.999", "-1", "abc", "1000000.01"]:
        with recorded(engine) as statements, pytest.raises(InvalidPrice):
            priced(sessions, {"A-1": "7.00", "B-1": bad})
        assert statements == [], f"{bad!r}: every price is checked before the SELECT"
    assert [p.price for p in repo.list()] == [Decimal("1.00"), Decimal("1.00")]


def mine(sku="MINE-1"):
    """A product the caller adds itself, in the same transaction as the batch."""
    return models.Product(sku=sku, name="Mine", price=Decimal("2.00"), created_at=WHEN)


def test_the_caller_commits_or_rolls_back_never_the_bulk_functions(sessions, repo):
    with sessions() as session:
        assert import_products(session, [row("A-1"), row("B-1")], created_at=WHEN) == 2
        assert set_prices(session, {"A-1": "4.00"}) == 1
        session.rollback()  # the caller changes its mind: nothing was committed
    assert repo.list() == []
    assert names(sessions, models.Category) == []


def test_a_refused_import_the_caller_catches_keeps_the_callers_work_and_no_row(
    sessions, repo
):
    # Row 501 of 1,000 is already stored: the first 500 rows went in before it.
    repo.add(Product("SKU-0500", "Old", Decimal("5.00"), "tea", WHEN))
    rows = [row(f"SKU-{n:04d}", category=f"cat-{n // 100}") for n in range(1000)]
    with sessions() as session:
        session.add(mine())  # the caller's own work, before the import
        with pytest.raises(DuplicateSku):
            import_products(session, rows, created_at=WHEN)
        session.add(mine("MINE-2"))  # ...and after it: the transaction goes on
        session.commit()
    assert repo.list() == [
        Product("MINE-1", "Mine", Decimal("2.00"), None, WHEN),
        Product("MINE-2", "Mine", Decimal("2.00"), None, WHEN),
        Product("SKU-0500", "Old", Decimal("5.00"), "tea", WHEN),
    ]
    assert names(sessions, models.Category) == ["tea"], "not even its new categories"


def refuse_new_prices_for(engine: Engine, sku: str) -> None:
    """A rule only the database knows (a trigger): ``sku``'s price may not change."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER frozen BEFORE UPDATE OF price ON products"
                f" WHEN NEW.sku = '{sku}' BEGIN SELECT RAISE(ABORT, 'frozen'); END"
            )
            return
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION frozen() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RAISE EXCEPTION 'frozen' USING ERRCODE = 'check_violation';"
            " END $$"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER frozen BEFORE UPDATE OF price ON products FOR EACH ROW"
            f" WHEN (NEW.sku = '{sku}') EXECUTE FUNCTION frozen()"
        )


def test_prices_the_database_refuses_change_none_and_the_caller_goes_on(
    engine, sessions, repo
):
    imported(sessions, [row("A-1"), row("B-1"), row("C-1")], created_at=WHEN)
    refuse_new_prices_for(engine, "C-1")
    with sessions() as session:
        session.add(mine())
        with pytest.raises(InvalidProduct):
            # A-1's UPDATE runs before C-1's is refused.
            set_prices(session, {"A-1": "7.00", "B-1": "8.00", "C-1": "9.00"})
        session.commit()
    assert [(p.sku, p.price) for p in repo.list()] == [
        ("A-1", Decimal("1.00")),
        ("B-1", Decimal("1.00")),
        ("C-1", Decimal("1.00")),
        ("MINE-1", Decimal("2.00")),
    ]
