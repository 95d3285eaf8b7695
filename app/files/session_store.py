# workshop: since 07
"""Cart sessions saved to disk after every change, and resumed after a restart."""

from __future__ import annotations

import json  # solution 07
import re
from datetime import datetime  # solution 07
from pathlib import Path
from typing import Any

from app import cart
from app.domain import parse_price, utc_now  # solution 07
from app.errors import CorruptFile  # solution 07
from app.files.atomic import atomic_write_bytes  # solution 07
from app.files.json_store import read_json  # solution 07

FORMAT = "persistence-drills/cart-session"
VERSION = 1
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


# >>> solution 07
def session_path(folder: Path, session_id: str) -> Path:
    """The file of session ``session_id`` in ``folder``; ValueError for an id
    that could reach outside the folder (``../x``) or is not a plain name."""
    if not SAFE_ID.fullmatch(session_id):
        raise ValueError(
            f"session id {session_id!r} must be 1-64 letters, digits, '-' or '_'"
        )
    return Path(folder) / f"{session_id}.json"


def save_session(session: cart.CartSession, folder: Path) -> Path:
    """Stamp ``saved_at`` and write the session to its file, atomically."""
    path = session_path(folder, session.session_id)
    session.saved_at = utc_now()
    document = {
        "format": FORMAT,
        "version": VERSION,
        "session_id": session.session_id,
        "customer": session.customer,
        "stage": session.stage,
        "coupon": session.coupon,
        "started_at": session.started_at.isoformat(),
        "saved_at": session.saved_at.isoformat(),
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "unit_price": str(line.unit_price),
                "quantity": line.quantity,
            }
            for line in session.lines
        ],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def resume_session(folder: Path, session_id: str, customer: str) -> cart.CartSession:
    """The saved session ``session_id``, or a new empty one if none was saved.

    Fields added since a file was written (``coupon``) take their defaults.
    A file that cannot be read back is CorruptFile naming it, and is left
    exactly as it was.
    """
    path = session_path(folder, session_id)
    try:
        data = read_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return cart.CartSession(session_id, customer)
    except ValueError as error:  # UnicodeDecodeError is one too
        raise CorruptFile(f"{path} is not a saved session: {error}") from None
    try:
        return _session_from(data, session_id)
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptFile(f"{path} is not a saved session: {error!r}") from None


def _session_from(data: dict[str, Any], session_id: str) -> cart.CartSession:
    """The session saved in ``data`` (a parsed file); KeyError, TypeError or
    ValueError when a field is missing or wrong."""
    if data["format"] != FORMAT or data["session_id"] != session_id:
        raise ValueError("another format, or another session's file")
    if data["stage"] not in cart.STAGES:
        raise ValueError(f"unknown stage {data['stage']!r}")
    lines = []
    for item in data["lines"]:
        if type(item["quantity"]) is not int or item["quantity"] < 1:
            raise ValueError(f"bad quantity {item['quantity']!r} for {item['sku']}")
        if not isinstance(item["unit_price"], str):
            raise ValueError(f"price {item['unit_price']!r} must be a string")
        price = parse_price(item["unit_price"])
        lines.append(cart.CartLine(item["sku"], item["name"], price, item["quantity"]))
    return cart.CartSession(
        session_id=session_id,
        customer=data["customer"],
        lines=lines,
        stage=data["stage"],
        coupon=data.get("coupon"),
        started_at=datetime.fromisoformat(data["started_at"]),
        saved_at=datetime.fromisoformat(data["saved_at"]),
    )


# <<<
