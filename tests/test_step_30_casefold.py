"""Step 30: the ORM's casefold() is Python's str.casefold(), on both databases."""

import sys
import unicodedata

import pytest
from sqlalchemy import literal, select
from sqlalchemy.exc import CompileError

from app.orm.casefold import casefold


def assigned_characters():
    """Every character Unicode assigns, but controls (PostgreSQL's text cannot
    hold NUL; "\n" separates them here) and surrogates (not in UTF-8)."""
    return [
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if unicodedata.category(char) not in ("Cn", "Cc", "Cs")
    ]


# SQLite runs str.casefold() itself; PostgreSQL's expression is what needs proof.
@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_casefold_on_postgresql_agrees_with_python_on_every_character(engine):
    chars = assigned_characters()
    with engine.connect() as connection:
        folded = connection.scalar(select(casefold(literal("\n".join(chars)))))
    expected = [char.casefold() for char in chars]
    differ = [
        (f"U+{ord(char):04X}", got, wanted)
        for char, got, wanted in zip(chars, folded.split("\n"), expected, strict=True)
        if got != wanted
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "folded"), [("Straße", "strasse"), ("ΣΟΦΟΣ", "σοφοσ")]
)
def test_casefold_folds_what_lower_leaves(engine, text, folded):
    with engine.connect() as connection:
        assert connection.scalar(select(casefold(literal(text)))) == folded


def test_another_database_is_told_casefold_is_not_written_for_it():
    from sqlalchemy.dialects import mysql

    with pytest.raises(CompileError):
        select(casefold(literal("x"))).compile(dialect=mysql.dialect())
