# workshop: since 22
"""Importing a CSV catalog in one batch: every row, or none of them."""

from __future__ import annotations

import csv  # solution 22
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter

from app.domain import (
    MAX_CATEGORY,
    utc_now,  # solution 22
)
from app.errors import (
    DuplicateSku,  # solution 22
    InvalidCsv,
    InvalidProduct,  # solution 22
)
from app.sqlite.crud import category_id  # solution 22
from app.sqlite.csv_export import COLUMNS
from app.sqlite.db import transaction  # solution 22
from app.sqlite.errors import store_error  # solution 22
from app.sqlite.money import to_cents  # solution 22
from app.sqlite.validation import (
    MAX_NAME,
    MAX_PRICE,
    SKU,
    product_from_fields,  # solution 22
)

REQUIRED = ("sku", "name", "price")
# The usual price, "9.99", "12.5" or "7": read straight into cents.
PLAIN_PRICE = re.compile(r"\d{1,9}(?:\.\d\d?)?", re.ASCII)
MAX_CENTS = int(MAX_PRICE * 100)
Values = tuple[str, str, int, str | None, str]  # sku, name, cents, category, time


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


class PlainRows:
    """The fast path of an import: the values of a row already in plain form.

    ``values(cells)`` gives (sku, name, cents, category, created_at as ISO
    8601) for a row whose cells need no cleaning (no surrounding spaces, a
    price of digits with up to two decimals) and keep the rules of
    product_from_fields() (the same SKU pattern and limits). For any other
    row it gives None, and product_from_fields() decides: it accepts the
    same rows, and names the problem of the others.
    """

    def __init__(self, header: Sequence[str], now: datetime) -> None:
        where = {column: index for index, column in enumerate(header)}
        # A column the file lacks reads the "" put after the row's cells.
        self.pick = itemgetter(*(where.get(column, len(header)) for column in COLUMNS))
        self.whole = all(column in where for column in COLUMNS)
        self.now = now.isoformat()
        self.last_stamp, self.last_iso = "", self.now  # no time: now

    def values(self, cells: Sequence[str]) -> Values | None:
        sku, name, price, category, stamp = self.pick(
            cells if self.whole else [*cells, ""]
        )
        if not (
            PLAIN_PRICE.fullmatch(price)
            and SKU.fullmatch(sku)
            and 0 < len(name) <= MAX_NAME
            and len(category) <= MAX_CATEGORY
            and name == name.strip()
            and category == category.strip()
            and "\x00" not in name + category
        ):
            return None
        whole, _, decimals = price.partition(".")
        cents = int(whole + decimals.ljust(2, "0"))
        created_at = self.last_iso if stamp == self.last_stamp else self._iso(stamp)
        if cents > MAX_CENTS or created_at is None:
            return None
        return sku, name, cents, category or None, created_at

    def _iso(self, stamp: str) -> str | None:
        """``stamp`` as stored (the last one is remembered: a file's rows often
        share one); None unless it is a plain ISO 8601 time with an offset."""
        if not stamp:
            return self.now
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return None
        if stamp != stamp.strip() or when.utcoffset() is None:
            return None
        self.last_stamp, self.last_iso = stamp, when.isoformat()
        return self.last_iso


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
    each once.
    Each row goes through PlainRows (the fast path), and the rows it does
    not take through product_from_fields() (``now`` for rows without
    created_at). Any problem raises InvalidCsv with the ``line`` it is on:
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
    plain = PlainRows(header, stamp)
    # Where executemany() is, for error messages: the reader's line, this SKU.
    at = {"sku": ""}

    def checked(cells: list[str]) -> Values:
        try:
            product = product_from_fields(
                dict(zip(header, cells, strict=True)), now=stamp
            )
        except InvalidProduct as error:
            raise InvalidCsv(str(error), line=reader.line_num) from error
        return (
            product.sku,
            product.name,
            to_cents(product.price),
            product.category,
            product.created_at.isoformat(),
        )

    def rows() -> Iterator[tuple[object, ...]]:
        for cells in reader:
            if len(cells) != len(header):
                raise InvalidCsv(
                    f"{len(cells)} cells, the header has {len(header)}",
                    line=reader.line_num,
                )
            values = plain.values(cells) or checked(cells)  # the fast path first
            sku, name, cents, category, created_at = values
            if category not in ids:
                ids[category] = category_id(conn, category)
            at["sku"] = sku
            yield sku, name, cents, ids[category], created_at

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
                str(problem), line=reader.line_num, column="sku", value=sku
            ) from problem
    return cursor.rowcount


# <<<
