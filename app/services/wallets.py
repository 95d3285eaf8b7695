# workshop: since 26
"""Customer wallets: money moves between them and is never made or lost."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from app.domain import parse_price
from app.errors import (
    CustomerNotFound,
    DuplicateWallet,
    InvalidAmount,
    InvalidPrice,
    WalletNotFound,
)
from app.sqlite.money import from_cents, to_cents


def parse_amount(value: str | int | Decimal, allow_zero: bool = False) -> Decimal:
    """``value`` as exact money (parse_price(), the store's one money parser)
    above zero, or zero if allowed; else InvalidAmount."""
    try:
        amount = parse_price(value)
    except InvalidPrice as error:
        raise InvalidAmount(f"amount {value!r} is not exact money: {error}") from error
    if amount == 0 and not allow_zero:
        raise InvalidAmount(f"amount {value!r} must be above zero")
    return amount


def open_wallet(
    conn: sqlite3.Connection, customer_id: int, balance: str | Decimal = "0"
) -> None:
    """Give a customer a wallet holding ``balance`` (money paid in from outside)."""
    cents = to_cents(parse_amount(balance, allow_zero=True))
    if conn.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone():
        try:
            conn.execute(
                "INSERT INTO wallets (customer_id, balance_cents) VALUES (?, ?)",
                (customer_id, cents),
            )
        except sqlite3.IntegrityError:
            raise DuplicateWallet(f"customer {customer_id} has a wallet") from None
    else:
        raise CustomerNotFound(customer_id)


def balance(conn: sqlite3.Connection, customer_id: int) -> Decimal:
    """What the customer's wallet holds; WalletNotFound if they have none."""
    row = conn.execute(
        "SELECT balance_cents FROM wallets WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    if row is None:
        raise WalletNotFound(customer_id)
    return from_cents(row[0])


def total_money(conn: sqlite3.Connection) -> Decimal:
    """All the money in all wallets: transfers and refunds never change it."""
    cents = conn.execute("SELECT COALESCE(SUM(balance_cents), 0) FROM wallets")
    return from_cents(cents.fetchone()[0])
