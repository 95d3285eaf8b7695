"""Step 26: many connections move money at once; none is made or lost."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from app.errors import InsufficientFunds, InvalidTransfer
from app.services.customers import add_customer
from app.services.transfers import refund, transfer
from app.services.wallets import open_wallet, total_money
from app.sqlite.concurrency import enable_wal
from app.sqlite.db import connect, create_schema

WORKERS = 4
OPERATIONS = 150
OPENING = {
    "ada": "100.00",
    "bob": "40.00",
    "cy": "0.00",
    "dee": "250.00",
    "eve": "7.77",
}


@pytest.fixture
def shop(tmp_path):
    path = tmp_path / "store.db"
    conn = connect(path)
    create_schema(conn)
    enable_wal(conn)
    ids = {}
    for name, money in OPENING.items():
        ids[name] = add_customer(conn, f"{name}@example.com", name)
        open_wallet(conn, ids[name], money)
    yield path, conn, list(ids.values())
    conn.close()


def worker(path, customers, seed, start):
    """Random transfers and refunds through this worker's own connection."""
    rng = random.Random(seed)
    conn = connect(path)
    enable_wal(conn)
    done = {"transfers": 0, "refunds": 0, "refused": 0}
    try:
        start.wait()
        for _ in range(OPERATIONS):
            try:
                if rng.random() < 0.75:
                    source, target = rng.sample(customers, 2)
                    amount = Decimal(rng.randint(1, 6000)) / 100
                    transfer(conn, source, target, amount)
                    done["transfers"] += 1
                else:
                    last = conn.execute("SELECT max(id) FROM transfers").fetchone()[0]
                    if last is None:
                        continue
                    cents = rng.choice([None, rng.randint(1, 3000)])
                    refund(
                        conn,
                        rng.randint(1, last),
                        None if cents is None else Decimal(cents) / 100,
                    )
                    done["refunds"] += 1
            except (InsufficientFunds, InvalidTransfer):
                done["refused"] += 1
    finally:
        conn.close()
    return done


def test_concurrent_transfers_and_refunds_never_make_or_lose_money(shop):
    path, conn, customers = shop
    before = total_money(conn)
    start = threading.Barrier(WORKERS)
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = [
            pool.submit(worker, path, customers, seed, start) for seed in range(WORKERS)
        ]
        results = [future.result(timeout=60) for future in futures]

    assert total_money(conn) == before == Decimal("397.77")
    balances = dict(conn.execute("SELECT customer_id, balance_cents FROM wallets"))
    assert min(balances.values()) >= 0

    # Every balance is explained by the ledger: no update was lost.
    for name, customer in zip(OPENING, customers, strict=True):
        moved = conn.execute(
            "SELECT COALESCE(SUM(CASE WHEN to_customer = :c THEN amount_cents"
            " ELSE -amount_cents END), 0) FROM transfers"
            " WHERE :c IN (from_customer, to_customer)",
            {"c": customer},
        ).fetchone()[0]
        opening = int(Decimal(OPENING[name]) * 100)
        assert balances[customer] == opening + moved, name

    over_refunded = conn.execute(
        "SELECT paid.id FROM transfers AS paid JOIN transfers AS back"
        " ON back.refund_of = paid.id GROUP BY paid.id"
        " HAVING SUM(back.amount_cents) > paid.amount_cents"
    ).fetchall()
    assert over_refunded == []

    assert sum(r["transfers"] for r in results) > 0
    assert sum(r["refunds"] for r in results) > 0
    operations = sum(r["transfers"] + r["refunds"] for r in results)
    count = conn.execute("SELECT count(*) FROM transfers").fetchone()[0]
    assert count == operations, "every success is recorded exactly once"
