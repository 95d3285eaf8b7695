# workshop: since 30
"""Python's str.casefold() in SQL, so the ORM searches as every other backend does."""

from __future__ import annotations

import functools
import sqlite3
import sys
from typing import Any

from sqlalchemy import String
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class casefold(FunctionElement[str]):  # noqa: N801 (used like func.x)
    """``casefold(text)`` in SQL: the same string str.casefold() gives.

    SQLite calls Python's own str.casefold(), registered on every connection of
    make_engine() by register_casefold(). PostgreSQL 15 has no casefold() (it
    arrives in PostgreSQL 18): there the text is lowered with ICU's root locale
    (Python's str.lower() rules, whatever the database's own locale), then the
    few letters that casefold() folds further ("ß" -> "ss", "ς" -> "σ") are
    replaced. The tests compare the two on every character Unicode assigns.
    """

    type = String()
    name = "casefold"
    inherit_cache = True


def register_casefold(connection: sqlite3.Connection) -> None:
    """Give a sqlite3 connection the SQL function casefold(text)."""
    connection.create_function("casefold", 1, str.casefold, deterministic=True)


@functools.cache
def further_folds() -> tuple[dict[str, str], dict[str, str]]:
    """The letters that str.lower() leaves and str.casefold() changes: those
    that fold to one character, and those that fold to several."""
    folds = {
        char: char.casefold()
        for char in map(chr, range(sys.maxunicode + 1))
        if char.casefold() != char and char.lower() == char
    }
    single = {char: fold for char, fold in folds.items() if len(fold) == 1}
    return single, {char: fold for char, fold in folds.items() if len(fold) > 1}


@compiles(casefold, "sqlite")
def _casefold_sqlite(element: casefold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"casefold({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "postgresql")
def _casefold_postgresql(element: casefold, compiler: SQLCompiler, **kw: Any) -> str:
    single, multiple = further_folds()
    sql = f'lower({compiler.process(element.clauses, **kw)} COLLATE "und-x-icu")'
    sql = f"translate({sql}, '{''.join(single)}', '{''.join(single.values())}')"
    for char, fold in multiple.items():
        sql = f"replace({sql}, '{char}', '{fold}')"
    return sql


@compiles(casefold)
def _casefold_elsewhere(element: casefold, compiler: SQLCompiler, **kw: Any) -> str:
    raise CompileError(
        f"casefold() is written for SQLite and PostgreSQL, not {compiler.dialect.name}"
    )
