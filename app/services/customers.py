# workshop: since 24
"""Customers of the store: who places orders and owns a wallet."""

from __future__ import annotations

import sqlite3

from app.errors import DuplicateEmail


def add_customer(conn: sqlite3.Connection, email: str, name: str) -> int:
    """Store a new customer and return their id; DuplicateEmail if taken."""
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError(f"{email!r} is not an email address")
    try:
        cursor = conn.execute(
            "INSERT INTO customers (email, name) VALUES (?, ?)", (email, name)
        )
    except sqlite3.IntegrityError:
        raise DuplicateEmail(
            f"a customer with email {email!r} already exists; sign in instead"
        ) from None
    assert cursor.lastrowid is not None
    return cursor.lastrowid
