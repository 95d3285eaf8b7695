# workshop: since 26
"""Transfers and refunds between wallets: all of it moves, or none of it."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

# >>> solution 26
from app.domain import utc_now
from app.errors import (
    InsufficientFunds,
    InvalidTransfer,
    TransferNotFound,
    WalletNotFound,
)
from app.services.wallets import balance, parse_amount
from app.sqlite.concurrency import run_in_transaction
from app.sqlite.money import from_cents, to_cents

# --- stub
# <<<


# >>> solution 26
def transfer(
    conn: sqlite3.Connection,
    source: int,
    target: int,
    amount: str | int | Decimal,
) -> int:
    """Move ``amount`` from the wallet of ``source`` to that of ``target`` and
    return the transfer's id.

    Refuse before writing: InvalidAmount, InvalidTransfer (to oneself). Then,
    in one BEGIN IMMEDIATE transaction run by run_in_transaction(): take the
    money out only if it is there (else InsufficientFunds), put it in
    (WalletNotFound for a missing wallet), and record the transfer.
    """
    cents = to_cents(parse_amount(amount))
    if source == target:
        raise InvalidTransfer(f"customer {source} cannot pay their own wallet")
    return run_in_transaction(
        conn, lambda conn: move_money(conn, source, target, cents, refund_of=None)
    )


def refund(
    conn: sqlite3.Connection,
    transfer_id: int,
    amount: str | int | Decimal | None = None,
) -> int:
    """Pay back ``amount`` (default: all that is left) of a transfer, from its
    receiver to its sender; return the refund's own transfer id.

    The refunds of a transfer never add up to more than it moved
    (InvalidTransfer), a refund is never refunded (InvalidTransfer), and the
    receiver must still hold the money (InsufficientFunds). The check and the
    refund happen in one BEGIN IMMEDIATE transaction.
    """
    wanted = None if amount is None else to_cents(parse_amount(amount))

    def work(conn: sqlite3.Connection) -> int:
        paid = conn.execute(
            "SELECT from_customer, to_customer, amount_cents, refund_of"
            " FROM transfers WHERE id = ?",
            (transfer_id,),
        ).fetchone()
        if paid is None:
            raise TransferNotFound(transfer_id)
        if paid["refund_of"] is not None:
            raise InvalidTransfer(
                f"transfer {transfer_id} is a refund; refund transfer"
                f" {paid['refund_of']} instead",
                transfer_id=transfer_id,
            )
        refunded = conn.execute(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM transfers WHERE refund_of = ?",
            (transfer_id,),
        ).fetchone()[0]
        left = paid["amount_cents"] - refunded
        cents = left if wanted is None else wanted
        if left == 0 or cents > left:
            raise InvalidTransfer(
                f"transfer {transfer_id} paid {from_cents(paid['amount_cents'])} and"
                f" {from_cents(refunded)} of it is refunded already: at most"
                f" {from_cents(left)} can be refunded",
                transfer_id=transfer_id,
                left=from_cents(left),
            )
        return move_money(
            conn, paid["to_customer"], paid["from_customer"], cents, transfer_id
        )

    return run_in_transaction(conn, work)


def move_money(
    conn: sqlite3.Connection,
    source: int,
    target: int,
    cents: int,
    refund_of: int | None,
) -> int:
    """Inside a transaction: move ``cents`` and record the transfer."""
    # Check and change in one statement, so no one can spend the money
    # between the check and the change; the CHECK constraint is the backstop.
    taken = conn.execute(
        "UPDATE wallets SET balance_cents = balance_cents - ?"
        " WHERE customer_id = ? AND balance_cents >= ?",
        (cents, source, cents),
    ).rowcount
    if not taken:
        available = balance(conn, source)  # WalletNotFound if there is none
        raise InsufficientFunds(source, from_cents(cents), available)
    if not conn.execute(
        "UPDATE wallets SET balance_cents = balance_cents + ? WHERE customer_id = ?",
        (cents, target),
    ).rowcount:
        raise WalletNotFound(target)
    cursor = conn.execute(
        "INSERT INTO transfers"
        " (from_customer, to_customer, amount_cents, refund_of, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (source, target, cents, refund_of, utc_now().isoformat()),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


# <<<
