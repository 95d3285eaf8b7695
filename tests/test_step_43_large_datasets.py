"""Step 43: a big catalog read page by page (keyset) and streamed in batches (bounded memory)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, event, func, insert, select, text
from sqlalchemy.orm import Session

from app.domain import MAX_PRICE
from app.errors import InvalidPageSize
from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.largedata import (
    MAX_PAGE_SIZE,
    PageKey,
    catalog_rows,
    fill_catalog,
    products_page,
    stream_products,
)
from tests.statements import recorded

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
Row = tuple[Decimal, str]  # (price, sku): what a page is compared by
COLUMN_MAX = Decimal("9999999999.99")  # NUMERIC(12, 2)'s largest value


@pytest.fixture(scope="module")
def pg_engine(postgres_urls):
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg(pg_engine):
    """An empty catalog on PostgreSQL (the module's database, emptied)."""
    with pg_engine.begin() as connection:
        connection.execute(text("TRUNCATE products, categories, orders CASCADE"))
    return pg_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty catalog, on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        yield request.getfixturevalue("pg")
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    reset_schema(engine)
    yield engine
    engine.dispose()


def put(engine: Engine, rows: Sequence[tuple[str, str, str | Decimal]]) -> None:
    """Store (sku, name, price) rows, committed, as another client would."""
    if not rows:
        return
    with engine.begin() as connection:
        connection.execute(
            insert(models.Product.__table__),
            [
                {"sku": sku, "name": name, "price": Decimal(price)}
                | {"created_at": WHEN, "updated_at": WHEN}
                for sku, name, price in rows
            ],
        )


def ordered(engine: Engine) -> list[Row]:
    """Every product as the database's ORDER BY price, sku gives them."""
    p = models.Product
    with Session(engine) as session:
        return [tuple(r) for r in session.execute(select(p.price, p.sku).order_by(p.price, p.sku))]  # type: ignore[misc]  # fmt: skip


def page_at(engine: Engine, after: PageKey | None, size: int) -> tuple[list[Row], PageKey | None]:  # fmt: skip
    """One page, read in its own session, as one request of a web API would."""
    with Session(engine) as session:
        page = products_page(session, after=after, size=size)
        return [(item.price, item.sku) for item in page.items], page.next


def walk(engine: Engine, size: int, count: int) -> list[list[Row]]:
    """Every page from the first, following ``next``; fails if it never ends."""
    pages: list[list[Row]] = []
    after = None
    while True:
        items, after = page_at(engine, after, size)
        pages.append(items)
        assert len(pages) <= count + 1, "the walk does not end (a page repeats?)"
        if after is None:
            return pages
        assert items, "a page with a next key must hold products"
        assert after == PageKey(*items[-1])  # the key of the page's last product


def check_walk(engine: Engine, size: int) -> None:
    """The walk's pages, joined, are exactly the ORDER BY rows; only the last
    page may be short, and it is empty only when the catalog is."""
    expected = ordered(engine)
    pages = walk(engine, size, len(expected))
    assert [row for page in pages for row in page] == expected
    assert all(len(page) == size for page in pages[:-1])
    assert len(pages) == max(1, -(-len(expected) // size))  # no empty last page


def rows_of(prices: list[str], sku: str = "SKU") -> list[tuple[str, str, str]]:
    return [(f"{sku}-{n:03d}", f"Product {n}", price) for n, price in enumerate(prices)]


# Fixed data sets, on both databases. Prices repeat a lot (ties), SKUs are
# inserted out of order, some are not ASCII.
DATASETS = {
    "ties across every page boundary": rows_of(["5.00"] * 7 + ["4.99"] * 3 + ["5.01"]),
    "unicode SKUs and names": [
        ("É-1", "Crème brûlée", "3.50"),
        ("e-2", "Чай", "3.50"),
        ("Z-3", "茶 sencha", "3.50"),
        ("ß-4", "Grüner Tee", "0.00"),
        ("a-5", "Ølglass 🍺", "3.50"),
        ("A-6", "Mug", "12.00"),
    ],
    "numbers, not text: 9.99 before 10.00, the largest prices last": rows_of(
        [
            "10.00",
            "9.99",
            "100.00",
            str(MAX_PRICE),
            "999999.99",
            str(COLUMN_MAX),
            "1.00",
        ]
    ),
}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("size", [1, 2, 3, 6, 7])
def test_walking_every_page_gives_exactly_the_rows_order_by_gives(store, dataset, size):
    put(store, DATASETS[dataset][::-1])
    check_walk(store, size)


def test_an_empty_catalog_is_one_empty_page_without_a_next_key(store):
    assert page_at(store, None, 10) == ([], None)


def test_one_product_is_one_page(store):
    put(store, [("ONE-1", "Only", "2.50")])
    assert page_at(store, None, 1) == ([(Decimal("2.50"), "ONE-1")], None)
    assert page_at(store, None, 5) == ([(Decimal("2.50"), "ONE-1")], None)


def test_exactly_size_products_are_one_page_and_no_empty_page_follows(store):
    put(store, rows_of(["1.00", "2.00", "3.00"]))
    items, after = page_at(store, None, 3)
    assert len(items) == 3 and after is None


def test_one_product_more_than_a_page_makes_a_second_page_of_one(store):
    put(store, rows_of(["1.00", "2.00", "3.00", "4.00"]))
    first, after = page_at(store, None, 3)
    assert after == PageKey(Decimal("3.00"), "SKU-002")
    assert page_at(store, after, 3) == ([(Decimal("4.00"), "SKU-003")], None)


def test_a_page_starts_strictly_after_its_key_inside_a_run_of_ties(store):
    put(store, rows_of(["7.00"] * 5))
    items, _ = page_at(store, PageKey(Decimal("7.00"), "SKU-001"), 2)
    assert items == [(Decimal("7.00"), "SKU-002"), (Decimal("7.00"), "SKU-003")]


def test_a_page_is_one_query(store):
    put(store, rows_of(["1.00"] * 30))
    with recorded(store) as statements:
        page_at(store, PageKey(Decimal("1.00"), "SKU-010"), 10)
    assert len([s for s in statements if "products" in s.lower()]) == 1


def test_a_page_builds_no_more_products_than_it_needs(store):
    put(store, rows_of(["1.00", "2.00"] * 15))
    with loads() as loaded:
        items, _ = page_at(store, PageKey(Decimal("1.00"), "SKU-010"), 5)
    assert len(items) == 5
    assert len(loaded) <= 6  # the page, and one more to know whether more follow


def test_ties_come_in_sku_order_even_where_no_index_gives_that_order(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'no-index.db'}")
    reset_schema(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_products_price_sku"))
    # Inserted in reverse: without an ORDER BY on the SKU, SQLite gives the
    # ties in the order it finds them, not the order the keys assume.
    put(engine, rows_of(["5.00"] * 9)[::-1])
    check_walk(engine, 2)
    engine.dispose()


@pytest.mark.parametrize("size", [0, -1, MAX_PAGE_SIZE + 1])
def test_a_page_size_outside_1_to_max_page_size_is_refused_before_any_query(store, size):  # fmt: skip
    with recorded(store) as statements, pytest.raises(InvalidPageSize) as caught:
        page_at(store, None, size)
    assert caught.value.size == size
    assert [s for s in statements if "products" in s.lower()] == []


def test_the_largest_page_size_is_accepted(store):
    put(store, rows_of(["1.00"] * 3))
    assert len(page_at(store, None, MAX_PAGE_SIZE)[0]) == 3


# Hypothesis draws catalogs (many tied prices, any Unicode SKU) and a page size
# from 1 to one more than the catalog; SQLite keeps each example fast.
PRICES = st.one_of(
    st.sampled_from(["0.00", "0.01", "9.99", "10.00", str(MAX_PRICE)]).map(Decimal),
    st.decimals(min_value=0, max_value=MAX_PRICE, places=2, allow_nan=False),
)
TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=6,
)
CATALOGS = st.lists(
    st.tuples(TEXT, TEXT, PRICES), max_size=25, unique_by=lambda r: r[0]
)


@pytest.fixture(scope="module")
def sqlite_engine():
    """One in-memory SQLite database for every example: no file, no fsync."""
    engine = make_engine("sqlite://")
    reset_schema(engine)
    yield engine
    engine.dispose()


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no slow explain
)
@given(rows=CATALOGS, data=st.data())
def test_any_catalog_walked_at_any_page_size_gives_every_row_once(sqlite_engine, rows, data):  # fmt: skip
    with sqlite_engine.begin() as connection:
        connection.execute(delete(models.Product))
    put(sqlite_engine, rows)
    check_walk(sqlite_engine, data.draw(st.integers(1, len(rows) + 1), label="size"))


# Another client writes between two pages. Keyset pages follow the rows;
# OFFSET counts them, so what happens on an earlier page shifts the later ones.
def offset_page(engine: Engine, number: int, size: int) -> list[Row]:
    p = models.Product
    query = select(p.price, p.sku).order_by(p.price, p.sku)
    with Session(engine) as session:
        rows = session.execute(query.offset(number * size).limit(size))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def skus(rows: list[Row]) -> list[str]:
    return [sku for _, sku in rows]


SIX = rows_of(["1.00", "2.00", "3.00", "4.00", "5.00", "6.00"])


def test_a_product_added_to_a_page_already_read_is_not_repeated(store):
    put(store, SIX)
    first, after = page_at(store, None, 3)
    put(store, [("NEW-1", "Cheaper", "0.50")])  # it sorts onto page 1
    second, last = page_at(store, after, 3)
    assert skus(first + second) == [sku for sku, _, _ in SIX]
    assert last is None


def test_a_product_deleted_from_a_page_already_read_skips_nothing(store):
    put(store, SIX)
    first, after = page_at(store, None, 3)
    with store.begin() as connection:
        connection.execute(
            delete(models.Product).where(models.Product.sku == "SKU-001")
        )
    second, _ = page_at(store, after, 3)
    assert skus(second) == ["SKU-003", "SKU-004", "SKU-005"]


def test_offset_pages_repeat_a_row_in_the_same_interleaving(store):
    """The control: the test above does catch OFFSET pagination."""
    put(store, SIX)
    first = offset_page(store, 0, 3)
    put(store, [("NEW-1", "Cheaper", "0.50")])
    second = offset_page(store, 1, 3)
    assert skus(second)[0] == skus(first)[-1]  # SKU-002, twice


# Streaming: one query, the rows fetched a batch at a time.
@contextlib.contextmanager
def loads() -> Iterator[list[str]]:
    """The SKU of each Product the ORM builds from a row, as it builds it."""
    loaded: list[str] = []

    def record(target: models.Product, context: object) -> None:
        loaded.append(target.sku)

    event.listen(models.Product, "load", record)
    try:
        yield loaded
    finally:
        event.remove(models.Product, "load", record)


def test_the_stream_gives_every_product_in_page_order(store):
    put(store, DATASETS["ties across every page boundary"][::-1])
    with Session(store) as session:
        streamed = [(p.price, p.sku) for p in stream_products(session, batch=4)]
    assert streamed == ordered(store)


def test_the_stream_leaves_the_transaction_to_the_caller(store):
    put(store, rows_of(["1.00"] * 3))
    with Session(store) as session:
        assert len(list(stream_products(session, batch=2))) == 3
        assert session.in_transaction()  # never committed nor closed


def test_the_stream_of_an_empty_catalog_is_empty(store):
    with Session(store) as session:
        assert list(stream_products(session, batch=10)) == []


def test_the_stream_builds_at_most_one_batch_ahead_in_one_query(store):
    put(store, rows_of(["1.00", "2.00", "3.00"] * 10))
    with Session(store) as session, loads() as loaded, recorded(store) as sent:
        stream = stream_products(session, batch=7)
        next(stream)
        assert 1 <= len(loaded) <= 7  # not the whole table
        rest = list(stream)
        assert len(loaded) == 30 and len(rest) == 29
    assert len([s for s in sent if "products" in s.lower()]) == 1


@pytest.mark.postgres
def test_on_postgresql_the_stream_reads_from_a_server_side_cursor(pg, postgres_urls):
    fill_catalog(postgres_urls.asyncpg, 2500, seed=1)
    with Session(pg) as session, loads() as loaded:
        stream = stream_products(session, batch=500)
        next(stream)
        # pg_cursors lists this session's open cursors: the stream's DECLARE.
        cursors = session.scalar(text("SELECT count(*) FROM pg_cursors"))
        assert cursors == 1
        assert len(loaded) <= 500
        assert sum(1 for _ in stream) == 2499


# The given generator: what the benchmark fills a million rows with.
@pytest.mark.postgres
def test_the_generated_catalog_is_the_same_for_the_same_seed(pg, postgres_urls):
    assert fill_catalog(postgres_urls.asyncpg, 300, seed=7) == 300
    p = models.Product
    with Session(pg) as session:
        stored = session.execute(select(p.sku, p.name, p.price).order_by(p.sku)).all()
        assert session.scalar(select(func.count()).select_from(p)) == 300
    assert [tuple(r) for r in stored] == [r[:3] for r in catalog_rows(300, seed=7)]
