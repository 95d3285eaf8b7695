"""The dashboard page: one tile per seat and a count per step, no scripts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from workshop.room import Progress

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
.seats { display: grid; grid-template-columns: repeat(auto-fill, 10rem); gap: .6rem; }
.seat { border-radius: .5rem; padding: .6rem; border: 1px solid #999; }
.seat b { display: block; font-size: 1.1rem; }
.green { background: #d8f5d0; } .red { background: #fbd3d0; } .grey { background: #eee; }
table { border-collapse: collapse; margin-top: 1.5rem; }
td, th { border: 1px solid #bbb; padding: .25rem .7rem; text-align: right; }
"""


def colour(progress: Progress) -> str:
    if progress.failed:
        return "red"
    return "green" if progress.passed else "grey"


def state(progress: Progress, now: datetime) -> str:
    """'red for 12 min', 'green' or 'not checked yet'."""
    kind = colour(progress)
    if kind == "grey":
        return "not checked yet"
    if kind == "green":
        return f"green, {progress.passed} passed"
    minutes = max(0, int((now - progress.since).total_seconds() // 60))
    return f"red for {minutes} min, {progress.failed} failing"


def tile(progress: Progress, now: datetime) -> str:
    return (
        f'<div class="seat {colour(progress)}" data-seat="{progress.seat}"'
        f' data-step="{progress.step}">'
        f"<b>seat {progress.seat}</b>step {progress.step:02d}<br>"
        f"{escape(state(progress, now))}</div>"
    )


def render_room(
    seats: Sequence[Progress], now: datetime, refresh_seconds: int, token: str
) -> str:
    per_step = Counter(p.step for p in seats)
    rows = "".join(
        f'<tr data-step="{step}"><td>{step:02d}</td><td>{count}</td></tr>'
        for step, count in sorted(per_step.items())
    )
    tiles = "".join(tile(p, now) for p in seats) or "<p>No seat has joined yet.</p>"
    here = escape(f"/?token={quote(token)}", quote=True)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta http-equiv="refresh" content="{refresh_seconds};url={here}">
<title>Persistence Drills: the room</title><style>{STYLE}</style></head>
<body><h1>The room</h1>
<p>{len(seats)} seat(s), {sum(colour(p) == "red" for p in seats)} red;
updated {now:%H:%M:%S} UTC, refreshes every {refresh_seconds} s.</p>
<div class="seats">{tiles}</div>
<table><thead><tr><th>step</th><th>seats</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>
"""
