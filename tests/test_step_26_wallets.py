"""Step 26: transfers and refunds move exact money, all of it or none."""

import sqlite3
import threading
from decimal import Decimal

import pytest

from app.errors import (
    DatabaseBusy,
    InsufficientFunds,
    InvalidAmount,
    InvalidTransfer,
    TransferNotFound,
    WalletNotFound,
)
from app.services.customers import add_customer
from app.services.transfers import refund, transfer
from app.services.wallets import balance, open_wallet, total_money
from app.sqlite.concurrency import enable_wal, run_in_transaction
from app.sqlite.db import connect
from tests.interleave import (
    after,
    begins,
    interloper,
    lock_held,
    recorded,
    touches,
    writes,
)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "store.db"


@pytest.fixture
def conn(conn):
    """The store.db of tests/conftest.py, in WAL mode for concurrent writers."""
    enable_wal(conn)
    return conn


@pytest.fixture
def ada(conn):
    customer = add_customer(conn, "ada@example.com", "Ada")
    open_wallet(conn, customer, "100.00")
    return customer


@pytest.fixture
def bob(conn):
    customer = add_customer(conn, "bob@example.com", "Bob")
    open_wallet(conn, customer, "5.00")
    return customer


def everything(conn):
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table}")]
        for table in ("wallets", "transfers")
    }


def test_a_transfer_moves_exact_cents_and_keeps_the_total(conn, ada, bob):
    transfer(conn, ada, bob, "0.10")
    transfer(conn, ada, bob, Decimal("0.20"))
    assert balance(conn, ada) == Decimal("99.70")
    assert balance(conn, bob) == Decimal("5.30")
    assert total_money(conn) == Decimal("105.00")
    assert not conn.in_transaction


def test_a_transfer_is_recorded_with_its_id(conn, ada, bob):
    transfer_id = transfer(conn, ada, bob, "12.34")
    row = conn.execute(
        "SELECT from_customer, to_customer, amount_cents, refund_of"
        " FROM transfers WHERE id = ?",
        (transfer_id,),
    ).fetchone()
    assert tuple(row) == (ada, bob, 1234, None)


@pytest.mark.parametrize("amount", ["19.99", "0.29", "1.15", "0.57", "4.35"])
def test_amounts_move_to_the_exact_cent(conn, ada, bob, amount):
    # Through a float, each of these loses a cent: 19.99 * 100 is 1998.99...
    cents = int(Decimal(amount) * 100)
    paid = transfer(conn, ada, bob, amount)
    back = refund(conn, paid, Decimal(amount))
    stored = [
        conn.execute(
            "SELECT amount_cents FROM transfers WHERE id = ?", (row_id,)
        ).fetchone()[0]
        for row_id in (paid, back)
    ]
    assert stored == [cents, cents]
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("100.00"),
        Decimal("5.00"),
    )


def test_a_wallet_can_be_emptied_but_never_overdrawn(conn, ada, bob):
    before = everything(conn)
    with pytest.raises(InsufficientFunds) as caught:
        transfer(conn, bob, ada, "5.01")
    assert (caught.value.customer_id, caught.value.wanted, caught.value.available) == (
        bob,
        Decimal("5.01"),
        Decimal("5.00"),
    )
    assert everything(conn) == before
    transfer(conn, bob, ada, "5.00")
    assert balance(conn, bob) == Decimal("0.00")
    before = everything(conn)
    with pytest.raises(InsufficientFunds) as caught:
        transfer(conn, bob, ada, "0.01")
    assert caught.value.customer_id == bob
    assert caught.value.available == Decimal("0.00")
    assert everything(conn) == before
    assert not conn.in_transaction


@pytest.mark.parametrize("amount", [0.1, "0", "-1.00", "0.001", "ten", True, None])
def test_a_bad_amount_is_refused_and_moves_nothing(conn, ada, bob, amount):
    before = everything(conn)
    with pytest.raises(InvalidAmount):
        transfer(conn, ada, bob, amount)
    assert everything(conn) == before


def test_paying_your_own_wallet_is_refused(conn, ada):
    before = everything(conn)
    with pytest.raises(InvalidTransfer):
        transfer(conn, ada, ada, "1.00")
    assert everything(conn) == before


def test_a_transfer_to_a_customer_without_a_wallet_moves_nothing(conn, ada):
    carol = add_customer(conn, "carol@example.com", "Carol")
    before = everything(conn)
    with pytest.raises(WalletNotFound) as caught:
        transfer(conn, ada, carol, "1.00")
    assert caught.value.customer_id == carol
    assert everything(conn) == before, "the money taken from Ada goes back"


def test_a_transfer_from_a_customer_without_a_wallet_is_refused(conn, ada):
    carol = add_customer(conn, "carol@example.com", "Carol")
    before = everything(conn)
    with pytest.raises(WalletNotFound) as caught:
        transfer(conn, carol, ada, "1.00")
    assert caught.value.customer_id == carol
    assert everything(conn) == before


def test_a_refund_pays_back_what_is_left_by_default(conn, ada, bob):
    paid = transfer(conn, ada, bob, "30.00")
    refund(conn, paid, "10.00")
    refund(conn, paid)
    assert balance(conn, ada) == Decimal("100.00")
    assert balance(conn, bob) == Decimal("5.00")
    kinds = conn.execute(
        "SELECT amount_cents, refund_of FROM transfers WHERE refund_of IS NOT NULL"
    ).fetchall()
    assert [tuple(k) for k in kinds] == [(1000, paid), (2000, paid)]


def test_a_refund_cannot_exceed_what_was_paid(conn, ada, bob):
    paid = transfer(conn, ada, bob, "30.00")
    refund(conn, paid, "25.00")
    before = everything(conn)
    with pytest.raises(InvalidTransfer) as caught:
        refund(conn, paid, "5.01")
    assert (caught.value.transfer_id, caught.value.left) == (paid, Decimal("5.00"))
    assert everything(conn) == before
    refund(conn, paid, "5.00")
    after = everything(conn)
    with pytest.raises(InvalidTransfer) as caught:
        refund(conn, paid)
    assert (caught.value.transfer_id, caught.value.left) == (paid, Decimal("0.00"))
    assert everything(conn) == after
    assert balance(conn, ada) == Decimal("100.00")
    assert not conn.in_transaction


@pytest.mark.parametrize("amount", [0.1, "0", "-1.00", "0.001", "ten", True])
def test_a_refund_of_a_bad_amount_is_refused_and_moves_nothing(conn, ada, bob, amount):
    paid = transfer(conn, ada, bob, "30.00")
    before = everything(conn)
    with pytest.raises(InvalidAmount):
        refund(conn, paid, amount)
    assert everything(conn) == before


def test_a_refund_is_not_refunded_again(conn, ada, bob):
    paid = transfer(conn, ada, bob, "3.00")
    refunded = refund(conn, paid)
    before = everything(conn)
    with pytest.raises(InvalidTransfer) as caught:
        refund(conn, refunded)
    assert caught.value.transfer_id == refunded
    assert everything(conn) == before


def test_a_refund_needs_the_money_to_still_be_there(conn, ada, bob):
    carol = add_customer(conn, "carol@example.com", "Carol")
    open_wallet(conn, carol)
    paid = transfer(conn, ada, bob, "50.00")
    transfer(conn, bob, carol, "55.00")
    before = everything(conn)
    with pytest.raises(InsufficientFunds) as caught:
        refund(conn, paid, "1.00")
    assert (caught.value.customer_id, caught.value.wanted, caught.value.available) == (
        bob,
        Decimal("1.00"),
        Decimal("0.00"),
    )
    assert everything(conn) == before


def test_refunding_an_unknown_transfer_is_a_clear_error(conn, ada):
    with pytest.raises(TransferNotFound) as caught:
        refund(conn, 77)
    assert caught.value.transfer_id == 77


def test_a_transfer_gives_up_clearly_while_another_writer_holds_the_lock(
    conn, path, ada, bob
):
    holder = connect(path)
    holder.execute("BEGIN IMMEDIATE")
    conn.execute("PRAGMA busy_timeout = 0")  # fail fast instead of waiting
    try:
        with pytest.raises(DatabaseBusy):
            transfer(conn, ada, bob, "1.00")
        assert not conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert balance(conn, ada) == Decimal("100.00")


def test_a_transfer_waits_for_another_writer_to_finish(conn, path, ada, bob):
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE wallets SET balance_cents = 0 WHERE customer_id = ?", (ada,))
    # The holder empties Ada's wallet and commits a moment later; the busy
    # timeout makes the transfer wait for it, then see the new balance.
    timer = threading.Timer(0.2, holder.execute, ["COMMIT"])
    timer.start()
    try:
        with pytest.raises(InsufficientFunds):
            transfer(conn, ada, bob, "1.00")
    finally:
        timer.cancel()
        timer.join()
        holder.close()


def test_run_in_transaction_retries_until_the_lock_is_free(conn, path):
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.1, holder.execute, ["ROLLBACK"])
    timer.start()
    conn.execute("PRAGMA busy_timeout = 0")  # only the retries wait here
    calls = []

    def work(conn):
        calls.append(1)
        conn.execute("INSERT INTO customers (email, name) VALUES ('x@y.z', 'X')")
        return "done"

    try:
        result = run_in_transaction(conn, work, attempts=50, pause=0.01)
    finally:
        timer.cancel()
        timer.join()
        holder.close()
    assert result == "done"
    assert len(calls) == 1, "work runs once the transaction has begun"
    assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 1


def test_wal_is_in_the_file_but_synchronous_stays_full_on_every_connection(conn, path):
    other = connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        full = 2
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == full
        assert other.execute("PRAGMA synchronous").fetchone()[0] == full
    finally:
        other.close()


def test_run_in_transaction_does_not_retry_other_errors(conn):
    calls = []

    def work(conn):
        calls.append(1)
        conn.execute("SELECT * FROM no_such_table")

    with pytest.raises(sqlite3.OperationalError) as caught:
        run_in_transaction(conn, work)
    assert not isinstance(caught.value, DatabaseBusy)
    assert calls == [1]
    assert not conn.in_transaction


def pay(other, source, target, cents, refund_of=None):
    """What another connection commits: a transfer written straight in SQL."""
    for customer, change in ((source, -cents), (target, cents)):
        other.execute(
            "UPDATE wallets SET balance_cents = balance_cents + ? WHERE customer_id = ?",
            (change, customer),
        )
    other.execute(
        "INSERT INTO transfers"
        " (from_customer, to_customer, amount_cents, refund_of, created_at)"
        " VALUES (?, ?, ?, ?, '2024-01-01T00:00:00+00:00')",
        (source, target, cents, refund_of),
    )


def test_a_transfer_sees_money_spent_just_before_its_transaction(conn, path, ada, bob):
    # Another connection spends 80.00 of Ada's 100.00 and commits just before
    # our transaction begins. A balance read before BEGIN would be 100.00.
    with interloper(
        conn, path, begins, lambda other: pay(other, ada, bob, 8000)
    ) as seen:
        with pytest.raises(InsufficientFunds) as caught:
            transfer(conn, ada, bob, "30.00")
    assert seen.done and seen.error is None, "transfer() never began a transaction"
    assert (caught.value.wanted, caught.value.available) == (
        Decimal("30.00"),
        Decimal("20.00"),
    )
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("20.00"),
        Decimal("85.00"),
    )
    assert total_money(conn) == Decimal("105.00")


def test_a_refund_sees_a_refund_committed_just_before_its_transaction(
    conn, path, ada, bob
):
    # The race this step is about: another connection refunds 25.00 of the
    # 30.00 and commits just before our transaction begins. Refunds so far
    # read before BEGIN would say 0.00, and 10.00 more would be paid back.
    paid = transfer(conn, ada, bob, "30.00")
    with interloper(
        conn, path, begins, lambda other: pay(other, bob, ada, 2500, refund_of=paid)
    ) as seen:
        with pytest.raises(InvalidTransfer) as caught:
            refund(conn, paid, "10.00")
    assert seen.done and seen.error is None, "refund() never began a transaction"
    assert (caught.value.transfer_id, caught.value.left) == (paid, Decimal("5.00"))
    refunded = conn.execute(
        "SELECT SUM(amount_cents) FROM transfers WHERE refund_of = ?", (paid,)
    ).fetchone()[0]
    assert refunded == 2500
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("95.00"),
        Decimal("10.00"),
    )


def test_a_refund_succeeds_while_another_writer_tries_to_write_in_its_middle(
    conn, path, ada, bob
):
    # Another connection tries to refund 5.00 of the same transfer at the
    # moment our refund starts to write, after it read the refunds so far.
    # BEGIN IMMEDIATE keeps it out (it would wait its turn; here it gives up
    # at once); a deferred transaction lets it in, and then cannot write.
    paid = transfer(conn, ada, bob, "30.00")
    with interloper(
        conn, path, writes, lambda other: pay(other, bob, ada, 500, refund_of=paid)
    ) as seen:
        refund_id = refund(conn, paid, "10.00")
    assert seen.done, "refund() wrote nothing"
    row = conn.execute(
        "SELECT amount_cents, refund_of FROM transfers WHERE id = ?", (refund_id,)
    ).fetchone()
    assert tuple(row) == (1000, paid)
    refunded = conn.execute(
        "SELECT SUM(amount_cents) FROM transfers WHERE refund_of = ?", (paid,)
    ).fetchone()[0]
    assert refunded in (1000, 1500)  # 1500 if the other refund got in first
    assert balance(conn, bob) == Decimal("35.00") - Decimal(refunded) / 100
    assert total_money(conn) == Decimal("105.00")


def test_a_transfer_sees_money_paid_in_just_before_its_transaction(
    conn, path, ada, bob
):
    # Ada holds 10.00; another connection pays her 50.00 and commits just
    # before our transaction begins. A balance checked before BEGIN would
    # refuse a transfer of 30.00 that she can afford.
    transfer(conn, ada, bob, "90.00")
    with interloper(
        conn, path, begins, lambda other: pay(other, bob, ada, 5000)
    ) as seen:
        transfer(conn, ada, bob, "30.00")
    assert seen.done and seen.error is None, "transfer() never began a transaction"
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("30.00"),
        Decimal("75.00"),
    )
    assert total_money(conn) == Decimal("105.00")


def test_a_refund_of_all_that_is_left_counts_a_refund_committed_just_before(
    conn, path, ada, bob
):
    # Another connection refunds 25.00 of the 30.00 just before our
    # transaction begins: "all that is left" is then 5.00, not 30.00.
    paid = transfer(conn, ada, bob, "30.00")
    with interloper(
        conn, path, begins, lambda other: pay(other, bob, ada, 2500, refund_of=paid)
    ) as seen:
        refund_id = refund(conn, paid)
    assert seen.done and seen.error is None, "refund() never began a transaction"
    row = conn.execute(
        "SELECT amount_cents, refund_of FROM transfers WHERE id = ?", (refund_id,)
    ).fetchone()
    assert tuple(row) == (500, paid)
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("100.00"),
        Decimal("5.00"),
    )


@pytest.mark.parametrize("amount", ["10.00", None])
def test_a_refund_checks_and_pays_in_one_transaction(conn, ada, bob, amount):
    paid = transfer(conn, ada, bob, "30.00")
    with recorded(conn) as sent:
        refund(conn, paid, amount)
    began = [sql for sql in sent if begins(sql)]
    assert len(began) == 1, f"refund() began {len(began)} transactions, not one"
    early = [
        sql
        for sql in sent[: sent.index(began[0])]
        if touches("transfers")(sql) or touches("wallets")(sql)
    ]
    assert not early, f"refund() read before its transaction: {early}"


def test_a_refund_never_pays_back_more_than_was_paid_between_two_transactions(
    conn, path, ada, bob
):
    # Should refund() read the transfers and then begin a transaction (its
    # first one, or a second one for the money), another connection refunds
    # 25.00 of the 30.00 just before that BEGIN. In one transaction that
    # reads everything after its BEGIN, this moment never comes.
    paid = transfer(conn, ada, bob, "30.00")
    with interloper(
        conn,
        path,
        after(touches("transfers"), begins),
        lambda other: pay(other, bob, ada, 2500, refund_of=paid),
    ):
        try:
            refund(conn, paid, "10.00")
        except InvalidTransfer as refused:
            assert refused.left == Decimal("5.00")
    refunded = conn.execute(
        "SELECT SUM(amount_cents) FROM transfers WHERE refund_of = ?", (paid,)
    ).fetchone()[0]
    assert refunded <= 3000, f"a 30.00 transfer was refunded {refunded / 100:.2f}"
    assert total_money(conn) == Decimal("105.00")


def test_a_transfer_retries_when_the_lock_is_freed_after_its_first_attempt(
    conn, path, ada, bob
):
    # Another connection holds the write lock and lets go just before the
    # transfer's second BEGIN. Without a busy timeout the first BEGIN fails
    # at once; run_in_transaction() retries, and the retry gets in.
    conn.execute("PRAGMA busy_timeout = 0")
    with lock_held(conn, path, until=after(begins, begins)) as holder:
        try:
            transfer(conn, ada, bob, "1.00")
        except DatabaseBusy:
            pytest.fail("transfer() gave up at once: run_in_transaction() retries")
    assert holder.released
    assert (balance(conn, ada), balance(conn, bob)) == (
        Decimal("99.00"),
        Decimal("6.00"),
    )
