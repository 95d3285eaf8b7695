# workshop: since 22
"""Importing a CSV catalog in one batch: every row, or none of them."""

from __future__ import annotations

import csv  # solution 22
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime

from app.domain import utc_now  # solution 22
from app.errors import (
    DuplicateSku,  # solution 22
    InvalidCsv,
    InvalidProduct,  # solution 22
)
from app.sqlite.crud import category_id  # solution 22
from app.sqlite.csv_export import COLUMNS  # solution 22
from app.sqlite.db import transaction  # solution 22
from app.sqlite.errors import store_error  # solution 22
from app.sqlite.money import to_cents  # solution 22
from app.sqlite.validation import product_from_fields  # solution 22

REQUIRED = ("sku", "name", "price")


def utf8_lines(source: Iterable[bytes]) -> Iterator[str]:
    """The lines of ``source`` as text (a UTF-8 byte-order mark is skipped);
    InvalidCsv naming the first line that is not UTF-8, or line 1 if the
    lines end in a lone CR."""
    for number, raw in enumerate(source, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise InvalidCsv(
                f"not UTF-8 text (byte {raw[error.start]:#04x} at position"
                f" {error.start + 1}); save the file as UTF-8 and try again",
                line=number,
            ) from None
        if number == 1 and "\r" in text.rstrip("\r\n"):
            # Split on LF only, a file whose lines end in a lone CR is one line.
            raise InvalidCsv(
                "its lines end in a lone carriage return (CR, as old Macs wrote"
                " them); save the file with LF or CRLF line endings",
                line=1,
            )
        yield text


# >>> solution 22
INSERT = (
    "INSERT INTO products (sku, name, price_cents, category_id, created_at)"
    " VALUES (?, ?, ?, ?, ?)"
)


def import_products(
    conn: sqlite3.Connection, source: Iterable[bytes], *, now: datetime | None = None
) -> int:
    """Add every product of the CSV in ``source`` (lines of bytes, as from
    open(path, "rb")) with one executemany() in one transaction: every row
    is added, or none. Return how many were added. Rows are read as they are
    inserted: after a bad row, no further line of ``source`` is read.

    The header must have the REQUIRED columns, no others than COLUMNS, and
    each once. Each row goes through product_from_fields() (``now`` for rows
    without created_at). Any problem raises InvalidCsv with the ``line`` it
    is on:
    - a header without a REQUIRED column, or with one not in COLUMNS:
      line 1, ``column`` the first missing one, else the first unknown one;
    - a header that names a column twice: line 1, ``column`` that one;
    - a line that the csv module cannot read (csv.Error: a cell longer than
      csv.field_size_limit(), a quote where none may be...): column None;
    - a row with another number of cells than the header: column None;
    - a row product_from_fields() refuses: column None, and the
      InvalidProduct (which lists every problem of the row) as its cause
      (``raise ... from error``);
    - a SKU already taken (in the database or earlier in the file):
      column "sku", ``value`` the SKU (found by store_error(), step 15);
    - a line that is not UTF-8 (utf8_lines() does that one).
    """
    reader = csv.reader(utf8_lines(source))
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise InvalidCsv(f"not valid CSV: {error}", line=reader.line_num) from None
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown:
        raise InvalidCsv(
            f"the header {','.join(header)!r} lacks {missing} or has unknown"
            f" {unknown}; the columns are {','.join(COLUMNS)}",
            line=1,
            column=(missing or unknown)[0],
        )
    if twice := [column for column in COLUMNS if header.count(column) > 1]:
        raise InvalidCsv(
            f"the header names {twice[0]!r} twice; keep one of those columns",
            line=1,
            column=twice[0],
        )
    stamp, ids = now or utc_now(), {}
    at: dict[str, int | str] = {
        "line": 1,
        "sku": "",
    }  # where executemany() is, for error messages

    def rows() -> Iterator[tuple[object, ...]]:
        for cells in reader:
            fields = dict(zip(header, cells, strict=False))
            at.update(line=reader.line_num, sku=fields.get("sku") or "")
            if len(cells) != len(header):
                raise InvalidCsv(
                    f"{len(cells)} cells, the header has {len(header)}",
                    line=reader.line_num,
                )
            try:
                product = product_from_fields(fields, now=stamp)
            except InvalidProduct as error:
                raise InvalidCsv(str(error), line=reader.line_num) from error
            if product.category not in ids:
                ids[product.category] = category_id(conn, product.category)
            at.update(sku=product.sku)
            yield (
                product.sku,
                product.name,
                to_cents(product.price),
                ids[product.category],
                product.created_at.isoformat(),
            )

    with transaction(conn, "IMMEDIATE"):
        try:
            cursor = conn.executemany(INSERT, rows())
        except csv.Error as error:
            raise InvalidCsv(f"not valid CSV: {error}", line=reader.line_num) from None
        except sqlite3.Error as error:
            sku = str(at["sku"])
            problem = store_error(error, sku)
            if not isinstance(problem, DuplicateSku):
                raise problem from None
            raise InvalidCsv(
                str(problem), line=int(at["line"]), column="sku", value=sku
            ) from problem
    return cursor.rowcount


# <<<
