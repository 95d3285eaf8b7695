"""Step 07: a cart session is saved after each change and resumed after a restart."""

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from app.cart import STAGES, CartSession
from app.domain import Product
from app.errors import CorruptFile
from app.files.session_store import resume_session, save_session, session_path

ROOT = Path(__file__).resolve().parents[1]
OLDER_RUN = ROOT / "tests" / "data" / "cart-session-2025.json"
TEA = Product(sku="TEA-001", name="Green tea", price=Decimal("3.50"))
MUG = Product(sku="MUG-001", name="Big mug", price=Decimal("7.00"))


def test_a_session_never_saved_starts_empty(tmp_path):
    session = resume_session(tmp_path, "s-1", "Ada")
    assert session == CartSession("s-1", "Ada", started_at=session.started_at)
    assert session.stage == "browsing" and session.total == Decimal("0.00")
    assert list(tmp_path.iterdir()) == [], "resuming writes nothing"


def test_a_saved_session_resumes_exactly(tmp_path):
    session = CartSession("s-1", "Ada", coupon="WELCOME")
    session.add(TEA, 2)
    session.add(MUG)
    session.advance()
    path = save_session(session, tmp_path)
    assert path == tmp_path / "s-1.json"
    assert session.saved_at is not None and session.saved_at.tzinfo is not None
    again = resume_session(tmp_path, "s-1", "Ada")
    assert again == session
    assert again.total == Decimal("14.00")
    assert again.lines[0].unit_price == Decimal("3.50")


DOCUMENT_KEYS = {
    "format",
    "version",
    "session_id",
    "customer",
    "stage",
    "coupon",
    "started_at",
    "saved_at",
    "lines",
}
LINE_KEYS = {"sku", "name", "unit_price", "quantity"}


def test_money_and_times_are_written_exactly(tmp_path):
    session = CartSession("s-1", "Ada")
    session.add(Product(sku="A", name="A", price=Decimal("0.10")), 3)
    save_session(session, tmp_path)
    text = (tmp_path / "s-1.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert set(data) == DOCUMENT_KEYS
    assert data["format"] == "persistence-drills/cart-session"
    assert data["version"] == 1 and type(data["version"]) is int
    assert [set(line) for line in data["lines"]] == [LINE_KEYS]
    assert data["lines"][0]["unit_price"] == "0.10"
    assert data["started_at"] == session.started_at.isoformat()
    assert session.saved_at is not None
    assert data["saved_at"] == session.saved_at.isoformat()
    assert session.saved_at.utcoffset() == timedelta(0)


@dataclass
class NotedSession(CartSession):
    """A session class that gained a field: the file format must not follow."""

    note: str = "for the shop only"


def test_the_file_format_does_not_follow_the_class(tmp_path):
    session = NotedSession("s-1", "Ada")
    session.add(TEA)
    save_session(session, tmp_path)
    data = json.loads((tmp_path / "s-1.json").read_text(encoding="utf-8"))
    assert set(data) == DOCUMENT_KEYS, "build the document by hand, key by key"


@pytest.fixture
def new_york_time(monkeypatch):
    """The machine's local time zone is five hours behind UTC."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset() is POSIX only")
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_saved_at_is_utc_whatever_the_local_time_zone(tmp_path, new_york_time):
    assert datetime.now().astimezone().utcoffset() == timedelta(hours=-5)
    session = CartSession("s-1", "Ada")
    save_session(session, tmp_path)
    assert session.saved_at is not None
    assert session.saved_at.utcoffset() == timedelta(0)
    data = json.loads((tmp_path / "s-1.json").read_text(encoding="utf-8"))
    assert datetime.fromisoformat(data["saved_at"]).utcoffset() == timedelta(0)


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    session = CartSession("s-1", "Ada")
    session.add(TEA)
    path = save_session(session, tmp_path)
    before = path.read_bytes()

    def disk_full(*args):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", disk_full)
    session.add(MUG)
    with pytest.raises(OSError):
        save_session(session, tmp_path)
    assert path.read_bytes() == before, "save atomically, with atomic_write_bytes()"
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("stage", STAGES)
def test_a_session_resumes_at_every_stage(tmp_path, stage):
    session = CartSession("s-1", "Ada")
    session.add(TEA)
    while session.stage != stage:
        session.advance()
    save_session(session, tmp_path)
    assert resume_session(tmp_path, "s-1", "Ada").stage == stage


def test_a_saved_session_keeps_its_own_customer(tmp_path):
    save_session(CartSession("s-1", "Ada"), tmp_path)
    assert resume_session(tmp_path, "s-1", "Grace").customer == "Ada"
    assert resume_session(tmp_path, "s-2", "Grace").customer == "Grace"


def test_the_price_a_customer_saw_is_kept_after_a_price_change(tmp_path):
    session = CartSession("s-1", "Ada")
    session.add(TEA)
    save_session(session, tmp_path)
    dearer = Product(sku="TEA-001", name="Green tea", price=Decimal("3.90"))
    again = resume_session(tmp_path, "s-1", "Ada")
    again.add(dearer)
    assert again.lines[0].quantity == 2
    assert again.lines[0].unit_price == Decimal("3.50")


RESTARTED = """
import sys
from pathlib import Path
from app.domain import Product
from app.files.session_store import resume_session, save_session
folder = Path(sys.argv[1])
session = resume_session(folder, "s-1", "Ada")
session.add(Product(sku="COF-1", name="Espresso", price="12.90"))
session.advance()
save_session(session, folder)
"""


def test_a_new_process_carries_on_where_the_last_one_stopped(tmp_path):
    session = CartSession("s-1", "Ada")
    session.add(TEA)
    save_session(session, tmp_path)
    subprocess.run(
        [sys.executable, "-c", RESTARTED, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    again = resume_session(tmp_path, "s-1", "Ada")
    assert [line.sku for line in again.lines] == ["TEA-001", "COF-1"]
    assert again.stage == "address"
    assert again.started_at == session.started_at
    assert again.saved_at is not None and session.saved_at is not None
    assert again.saved_at > session.saved_at


def test_a_session_saved_by_an_older_run_resumes(tmp_path):
    shutil.copy(OLDER_RUN, tmp_path / "ada-2025.json")
    session = resume_session(tmp_path, "ada-2025", "Ada")
    assert session.stage == "payment"
    assert session.coupon is None, "the older run had no coupons: the default"
    assert [(line.sku, line.quantity) for line in session.lines] == [
        ("TEA-001", 2),
        ("MUG-001", 1),
    ]
    assert session.total == Decimal("13.40")
    assert session.started_at.utcoffset() == timedelta(hours=1)
    assert session.saved_at == datetime(2025, 11, 30, 17, 9, 47, 31200, tzinfo=UTC)
    session.coupon = "WINTER"
    save_session(session, tmp_path)
    again = resume_session(tmp_path, "ada-2025", "Ada")
    assert again.coupon == "WINTER"
    assert again.started_at == datetime(
        2025, 11, 30, 18, 2, 11, 250000, tzinfo=timezone(timedelta(hours=1))
    )


def test_a_session_file_is_named_after_its_id(tmp_path):
    assert session_path(tmp_path, "ada-2025") == tmp_path / "ada-2025.json"
    assert session_path(tmp_path, "S_1") == tmp_path / "S_1.json"
    assert session_path(tmp_path, "x" * 64) == tmp_path / f"{'x' * 64}.json"


UNSAFE = ["../outside", "a/b", "", "x" * 65, "s 1", "s-1.json", "s-1\n"]


@pytest.mark.parametrize("session_id", UNSAFE)
def test_an_unsafe_session_id_is_refused(tmp_path, session_id):
    folder = tmp_path / "sessions"
    folder.mkdir()
    with pytest.raises(ValueError) as error:
        session_path(folder, session_id)
    assert not isinstance(error.value, CorruptFile)
    with pytest.raises(ValueError):
        save_session(CartSession(session_id, "Mallory"), folder)
    with pytest.raises(ValueError):
        resume_session(folder, session_id, "Mallory")
    assert [p.name for p in tmp_path.rglob("*")] == ["sessions"]


def broken(change):
    data = json.loads(OLDER_RUN.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    "content",
    [
        OLDER_RUN.read_text(encoding="utf-8")[:200],
        OLDER_RUN.read_text(encoding="utf-8").replace("Ada", "Zoë").encode("latin-1"),
        "",
        broken(lambda d: d["lines"][0].update(unit_price=3.2)),
        broken(lambda d: d["lines"][0].update(unit_price="cheap")),
        broken(lambda d: d["lines"][0].update(unit_price=3)),
        broken(lambda d: d["lines"][0].update(unit_price=None)),
        broken(lambda d: d["lines"][0].update(unit_price="-3.20")),
        broken(lambda d: d["lines"][0].update(unit_price="NaN")),
        broken(lambda d: d["lines"][0].update(unit_price="3.205")),
        broken(lambda d: d["lines"][0].update(quantity=0)),
        broken(lambda d: d["lines"][0].update(quantity="2")),
        broken(lambda d: d["lines"][0].update(quantity=True)),
        broken(lambda d: d["lines"][0].update(quantity=1.5)),
        broken(lambda d: d.update(stage="shipped")),
        broken(lambda d: d.update(format="someone-elses/cart")),
        broken(lambda d: d.update(session_id="someone-else")),
        broken(lambda d: d.pop("lines")),
        "[1, 2]",
    ],
    ids=[
        "truncated",
        "not-utf8",
        "empty",
        "float-price",
        "text-price",
        "int-price",
        "null-price",
        "negative-price",
        "nan-price",
        "three-decimal-price",
        "zero-quantity",
        "quantity-as-text",
        "quantity-as-true",
        "fractional-quantity",
        "unknown-stage",
        "another-format",
        "another-session",
        "no-lines",
        "not-an-object",
    ],
)
def test_a_broken_session_file_is_a_clear_error_and_is_kept(tmp_path, content):
    path = tmp_path / "ada-2025.json"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(CorruptFile, match="ada-2025.json"):
        resume_session(tmp_path, "ada-2025", "Ada")
    assert path.read_bytes() == content
