# workshop: since 20
"""What the `store` command runs on a SQLite database: report, export, import."""

from __future__ import annotations

import os  # since 21
import sqlite3
import sys  # since 21
import tempfile  # since 21
from collections.abc import Iterator  # since 21
from contextlib import contextmanager  # since 21
from dataclasses import dataclass
from pathlib import Path  # since 21
from typing import TextIO  # since 21

from app.errors import InvalidCsv  # since 22
from app.files.atomic import _mode_to_keep  # since 21
from app.sqlite.csv_export import export_products  # since 21
from app.sqlite.csv_import import import_products  # since 22
from app.sqlite.reports import Figures, category_figures, totals


@dataclass(frozen=True)
class Report:
    """The `store report`: figures per category (None: uncategorised), total."""

    categories: dict[str | None, Figures]
    total: Figures


def report(conn: sqlite3.Connection) -> Report:
    return Report(category_figures(conn), totals(conn))


def format_report(report: Report) -> str:
    """The report as an aligned plain-text table."""
    lines = [("category", "products", "average price", "stock value")]
    named = [(name or "(uncategorised)", f) for name, f in report.categories.items()]
    for label, figures in [*named, ("all products", report.total)]:
        average = "-" if figures.average_price is None else str(figures.average_price)
        lines.append((label, str(figures.products), average, str(figures.stock_value)))
    width = [max(len(line[i]) for line in lines) for i in range(4)]
    return "\n".join(
        f"{a:<{width[0]}}  {b:>{width[1]}}  {c:>{width[2]}}  {d:>{width[3]}}"
        for a, b, c, d in lines
    )


# >>> since 21
def export_csv(conn: sqlite3.Connection, target: str | Path | TextIO) -> int:
    """Export the catalog to ``target``: "-" for standard output, an open text
    file, or a path, written atomically (a reader never sees half a file)."""
    if target == "-":
        return export_products(conn, sys.stdout)
    if isinstance(target, str | Path):
        with _atomic_text_file(Path(target)) as out:
            return export_products(conn, out)
    return export_products(conn, target)


@contextmanager
def _atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A text file that replaces ``path`` only once it is complete and synced.
    An existing file keeps its permissions; a read-only one is refused
    (PermissionError), as the file stores refuse theirs."""
    mode = _mode_to_keep(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        if mode is not None:  # mkstemp creates its file 0600
            os.fchmod(fd, mode)
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# <<<
# >>> since 22
def import_csv(conn: sqlite3.Connection, path: str | Path) -> int:
    """Import the CSV file at ``path``, all or nothing; how many were added."""
    with Path(path).open("rb") as source:
        try:
            return import_products(conn, source)
        except InvalidCsv as error:
            raise InvalidCsv(
                error.reason,
                line=error.line,
                column=error.column,
                value=error.value,
                path=str(path),
            ) from error.__cause__


# <<<
