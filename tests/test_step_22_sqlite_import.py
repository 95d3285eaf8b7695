"""Step 22: a CSV imported in one batch; a bad row is named and nothing is half-done."""

import io
import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import DatabaseBusy, DuplicateSku, InvalidCsv, InvalidProduct
from app.sqlite.commands import export_csv, import_csv
from app.sqlite.crud import add_product, list_products
from app.sqlite.csv_export import COLUMNS
from app.sqlite.csv_import import PlainRows, import_products
from app.sqlite.db import connect, create_schema
from app.sqlite.money import to_cents
from app.sqlite.validation import product_from_fields

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
HEADER = "sku,name,price,category,created_at\n"


def run(conn, text, encoding="utf-8"):
    return import_products(conn, io.BytesIO(text.encode(encoding)), now=NOW)


def nothing_was_imported(conn):
    categories = conn.execute("SELECT count(*) FROM categories").fetchone()[0]
    return list_products(conn) == [] and categories == 0


def test_every_row_becomes_a_product(conn):
    text = (
        HEADER
        + "TEA-1,Green tea,3.50,tea,2026-03-01T09:30:00+00:00\n"
        + 'MUG-1,"Mug, large",7.99,,\n'
        + "TEA-2,Thé noir,4,tea,\n"
    )
    assert run(conn, text) == 3
    assert list_products(conn) == [
        Product("MUG-1", "Mug, large", Decimal("7.99"), None, NOW),
        Product(
            "TEA-1",
            "Green tea",
            Decimal("3.50"),
            "tea",
            datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        ),
        Product("TEA-2", "Thé noir", Decimal("4.00"), "tea", NOW),
    ]


def test_only_the_required_columns_are_needed_and_a_bom_is_fine(conn):
    assert run(conn, "\ufeffsku,name,price\nA-1,Mug,2.00\n") == 1
    assert list_products(conn)[0].created_at == NOW


def test_a_bad_price_is_named_by_line_and_nothing_is_imported(conn):
    text = HEADER + "A-1,Mug,2.00,kitchen,\nA-2,Cup,two euros,kitchen,\nA-3,Pot,9,,\n"
    with pytest.raises(InvalidCsv) as caught:
        run(conn, text)
    assert (caught.value.line, caught.value.column) == (3, None)
    assert isinstance(caught.value.__cause__, InvalidProduct)
    assert str(caught.value).startswith("line 3: ")
    assert nothing_was_imported(conn)


def test_a_duplicate_sku_in_the_middle_is_named_and_nothing_is_imported(conn):
    text = HEADER + "A-1,Mug,2,kitchen,\nA-2,Cup,3,,\nA-1,Mug again,4,,\nA-4,Pot,5,,\n"
    with pytest.raises(InvalidCsv) as caught:
        run(conn, text)
    assert where(caught.value) == (4, "sku", "A-1")
    assert isinstance(caught.value.__cause__, DuplicateSku)
    assert nothing_was_imported(conn)


def test_a_sku_already_in_the_store_is_refused_and_the_store_kept(conn):
    add_product(conn, Product("A-2", "Old cup", Decimal("1.00"), None, NOW))
    with pytest.raises(InvalidCsv) as caught:
        run(conn, HEADER + "A-1,Mug,2,,\nA-2,Cup,3,,\n")
    assert where(caught.value) == (3, "sku", "A-2")
    assert [p.name for p in list_products(conn)] == ["Old cup"]


def where(error):
    return error.line, error.column, error.value


def numbered_rows(count):
    return [f"P-{i:05d},Product {i},1.00,,\n" for i in range(count)]


class Lines:
    """The lines of a file, counting how many were read."""

    def __init__(self, text):
        self.lines, self.read = text.encode("utf-8").splitlines(keepends=True), 0

    def __iter__(self):
        for line in self.lines:
            self.read += 1
            yield line


@pytest.mark.parametrize(
    "bad_row",
    ["P-00003,Again,1.00,,\n", "P-99999,Bad price,two euros,,\n"],
    ids=["duplicate sku", "bad price"],
)
def test_a_bad_row_far_past_the_first_batch_still_keeps_nothing(conn, bad_row):
    rows = numbered_rows(2_000)
    rows[699] = bad_row  # line 701: the header is line 1
    source = Lines(HEADER + "".join(rows))
    with pytest.raises(InvalidCsv) as caught:
        import_products(conn, source, now=NOW)
    assert caught.value.line == 701
    assert nothing_was_imported(conn)
    assert not conn.in_transaction
    assert source.read < 1_000, "the import stops reading at the bad row"


def test_a_large_file_is_imported_whole(conn):
    assert run(conn, HEADER + "".join(numbered_rows(2_000))) == 2_000
    assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 2_000


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("sku,name,category\n", "price"),
        ("sku;name;price\n", "sku"),
        ("sku,name,price,colour\n", "colour"),
        ("colour,sku,name\n", "price"),
        ("", "sku"),
    ],
)
def test_a_wrong_header_is_refused_before_any_row(conn, header, column):
    with pytest.raises(InvalidCsv) as caught:
        run(conn, header + "A-1,Mug,2\n")
    assert (caught.value.line, caught.value.column) == (1, column)
    assert nothing_was_imported(conn)


def test_a_header_that_names_a_column_twice_is_refused(conn):
    with pytest.raises(InvalidCsv) as caught:
        run(conn, "sku,name,price,price\nA-1,Mug,2,3\n")
    assert (caught.value.line, caught.value.column) == (1, "price")
    assert nothing_was_imported(conn)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("sku,name,price\nA-1,Mug,2\nA-2," + "x" * 200_000 + ",3\n", 3),
        ("sku,name,price\nA-1,Mug,2\nA-2,Cup,3\rA-3,Jug,4\n", 3),
        ("sku,name," + "p" * 200_000 + "\nA-1,Mug,2\n", 1),
        ("sku,name,price\rA-1,Mug,2\rA-2,Cup,3\r", 1),
    ],
    ids=["cell-over-the-field-limit", "lone-CR", "header-over-the-limit", "CR-only"],
)
def test_a_line_the_csv_module_cannot_read_is_named(conn, text, line):
    with pytest.raises(InvalidCsv) as caught:
        run(conn, text)
    assert caught.value.line == line
    assert nothing_was_imported(conn)


def test_a_row_with_too_many_cells_is_named(conn):
    with pytest.raises(InvalidCsv) as caught:
        run(conn, "sku,name,price\nA-1,Mug,2\nA-2,Cup,3,extra\n")
    assert where(caught.value) == (3, None, None)
    assert nothing_was_imported(conn)


def test_a_file_that_is_not_utf8_is_named_by_line_and_nothing_is_imported(conn):
    text = "sku,name,price\nA-1,Mug,2\nA-2,Caf\xe9,3\n"
    with pytest.raises(InvalidCsv) as caught:
        run(conn, text, encoding="latin-1")
    assert caught.value.line == 3
    assert nothing_was_imported(conn)


def test_a_locked_database_is_a_clear_error_and_nothing_is_lost(tmp_path):
    path = tmp_path / "store.db"
    writer = connect(path)
    create_schema(writer)
    conn = connect(path, timeout=0.05)
    writer.execute("BEGIN IMMEDIATE")
    add_product(writer, Product("THEIRS", "Theirs", Decimal("1.00"), None, NOW))
    source = Lines("sku,name,price\nMINE,Mine,2\n")
    with pytest.raises(DatabaseBusy):
        import_products(conn, source, now=NOW)
    assert source.read <= 1, "busy before any row is read"
    writer.execute("COMMIT")
    assert run(conn, "sku,name,price\nMINE,Mine,2\n") == 1
    assert [p.sku for p in list_products(conn)] == ["MINE", "THEIRS"]
    writer.close()
    conn.close()


def test_an_export_imports_back_into_an_equal_store(conn, tmp_path):
    run(conn, HEADER + 'A-1,"Thé ""vert""\n緑茶",3.50,tea,\nB-2,Mug,0.10,,\n')
    exported = tmp_path / "catalog.csv"
    assert export_csv(conn, exported) == 2
    fresh = connect(tmp_path / "fresh.db")
    create_schema(fresh)
    assert import_csv(fresh, exported) == 2
    assert list_products(fresh) == list_products(conn)
    fresh.close()


def test_import_csv_names_the_file_in_its_errors(conn, tmp_path):
    bad = tmp_path / "feed.csv"
    bad.write_text("sku,name,price\nA-1,,2\n", encoding="utf-8")
    with pytest.raises(InvalidCsv) as caught:
        import_csv(conn, bad)
    assert (caught.value.path, caught.value.line) == (str(bad), 2)
    assert str(caught.value).startswith(f"{bad}, line 2: ")
    assert isinstance(caught.value.__cause__, InvalidProduct)


PRICES = ["0", "0.00", "1.5", "01.50", "1.500", "+1", "-1", "1e2", " 1.50", "1,50",
          "١٢", "999999.99", "1000000.00", "1000000.01", "9" * 12, "9" * 30, "", ".5"]  # fmt: skip
SKUS = ["A-1", " A-1", "a", "-A", "x" * 40, "x" * 41, "Ä-1", "A 1"]
NAMES = ["", " ", "Mug", " Mug", "x" * 200, "x" * 201, "Mug\u00a0"]
CATEGORIES = ["", " ", "tea", " tea", "t" * 101, "te\x00a"]
STAMPS = ["", "2026-03-01T09:30:00+00:00", "2026-03-01T09:30:00", "2026-03-01 09:30Z",
          " 2026-03-01T09:30:00+00:00", "yesterday"]  # fmt: skip


def test_the_fast_path_takes_only_rows_the_validator_takes_and_stores_the_same():
    header = COLUMNS
    plain = PlainRows(header, NOW)
    taken = 0
    for cells in itertools.product(SKUS, NAMES, PRICES, CATEGORIES, STAMPS):
        fast = plain.values(cells)
        if fast is None:
            continue
        taken += 1
        product = product_from_fields(dict(zip(header, cells, strict=True)), now=NOW)
        assert fast == (
            product.sku,
            product.name,
            to_cents(product.price),
            product.category,
            product.created_at.isoformat(),
        ), cells
    assert taken == 216, "each plain combination of the cells above takes it"
