"""The room's dashboard: what learners post, what the server refuses, what the
instructor sees (in a real headless Chromium when one is installed)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.engine.conftest import screenshot
from workshop import learner, room, room_client
from workshop.cli import main

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@pytest.fixture
def served() -> Iterator[tuple[str, room.Room]]:
    the_room = room.Room(refresh_seconds=1)
    server = room.make_server("127.0.0.1", 0, the_room)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", the_room
    server.shutdown()
    server.server_close()


def progress(seat: int, step: int, passed: int, failed: int, minutes_ago: int = 0):
    since = NOW - timedelta(minutes=minutes_ago)
    return room.Progress(
        seat=seat, step=step, passed=passed, failed=failed, skipped=0, since=since
    )


def send(url: str, body: bytes, token: str | None, path="/api/progress") -> int:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_a_posted_report_is_kept_and_shown_per_seat(served):
    url, the_room = served
    assert room_client.post(url, the_room.token, progress(3, 7, 2, 1, minutes_ago=12))
    assert room_client.post(url, the_room.token, progress(5, 7, 4, 0))
    status, body = get(f"{url}/api/room?token={the_room.token}")
    assert status == 200
    assert [(s["seat"], s["step"], s["failed"]) for s in json.loads(body)] == [
        (3, 7, 1),
        (5, 7, 0),
    ]


def test_a_later_report_replaces_the_seats_earlier_one(served):
    url, the_room = served
    room_client.post(url, the_room.token, progress(3, 7, 0, 2))
    room_client.post(url, the_room.token, progress(3, 8, 0, 0))
    assert [(p.seat, p.step) for p in the_room.seats()] == [(3, 8)]


@pytest.mark.parametrize(
    "body, token, status",
    [
        (progress(1, 2, 1, 0).model_dump_json().encode(), "wrong", 403),
        (progress(1, 2, 1, 0).model_dump_json().encode(), None, 403),
        (b'{"seat": 1, "step": 2, "passed": 1, "failed": 0, "skipped": 0,'
         b' "since": "2026-11-27T10:00:00Z", "code": "print(1)"}', "ok", 422),
        (b'{"seat": 0, "step": 2, "passed": 1, "failed": 0, "skipped": 0,'
         b' "since": "2026-11-27T10:00:00Z"}', "ok", 422),
        (b"not json", "ok", 422),
        (b"x" * (room.MAX_BODY + 1), "ok", 413),
    ],
    ids=["wrong token", "no token", "unknown field", "seat 0", "not json", "too large"],
)  # fmt: skip
def test_the_server_refuses_bad_posts_and_keeps_nothing(served, body, token, status):
    url, the_room = served
    assert send(url, body, the_room.token if token == "ok" else token) == status
    assert the_room.seats() == []


def test_viewing_needs_the_token(served):
    url, the_room = served
    assert get(f"{url}/")[0] == 403
    assert get(f"{url}/?token=nope")[0] == 403
    assert get(f"{url}/api/room")[0] == 403
    assert get(f"{url}/?token={the_room.token}")[0] == 200


def test_an_unreachable_room_never_stops_the_learner(tmp_path):
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens
    assert room_client.post(closed, "t", progress(1, 1, 1, 0)) is False


@pytest.fixture
def joined(mini, served, monkeypatch) -> tuple[Path, room.Room]:
    url, the_room = served
    learner.goto(1, mini)
    monkeypatch.chdir(mini)
    assert main(["room", "join", url, "--seat", "4", "--token", the_room.token]) == 0
    return mini, the_room


def test_join_reports_the_step_and_keeps_its_settings_out_of_the_work_tree(joined):
    mini, the_room = joined
    assert [(p.seat, p.step, p.passed) for p in the_room.seats()] == [(4, 1, 0)]
    assert learner.git.out("status", "--porcelain", cwd=mini) == ""


def test_check_and_goto_report_counts_and_a_red_seats_since_holds(joined):
    mini, the_room = joined
    assert main(["check"]) != 0  # step 01's drill is still a stub: red
    first = the_room.seats()[0]
    assert (first.step, first.passed, first.failed) == (1, 0, 1)
    main(["check"])
    assert the_room.seats()[0].since == first.since  # still stuck, same clock
    assert main(["goto", "2"]) == 0
    assert (the_room.seats()[0].step, the_room.seats()[0].failed) == (2, 0)


def test_leave_stops_the_reports(joined):
    mini, the_room = joined
    assert main(["room", "leave"]) == 0
    the_room.record(progress(4, 0, 0, 0))
    main(["goto", "2"])
    assert the_room.seats()[0].step == 0


def test_bind_must_be_an_address_and_a_port():
    assert room.parse_bind("0.0.0.0:8765") == ("0.0.0.0", 8765)
    assert room.parse_bind("[::1]:80") == ("::1", 80)
    for bad in ("8765", "host:", "host:port", "h:70000"):
        with pytest.raises(ValueError):
            room.parse_bind(bad)


def test_the_dashboard_shows_every_seat_and_refreshes_itself(served, page, tmp_path):
    url, the_room = served
    now = datetime.now(UTC)
    for seat, step, passed, failed, ago in [
        (1, 7, 5, 0, 3), (2, 7, 3, 2, 14), (3, 8, 0, 0, 0), (12, 7, 1, 4, 41),
    ]:  # fmt: skip
        report = progress(seat, step, passed, failed).model_copy(
            update={"since": now - timedelta(minutes=ago)}
        )
        assert room_client.post(url, the_room.token, report)
    page.goto(f"{url}/?token={the_room.token}")
    tiles = page.locator(".seat")
    assert tiles.count() == 4
    red = page.locator(".seat.red")
    assert red.count() == 2
    assert "red for 41 min" in page.locator('[data-seat="12"]').inner_text()
    assert page.locator('[data-seat="1"]').get_attribute("class") == "seat green"
    assert page.locator('[data-seat="3"]').get_attribute("class") == "seat grey"
    assert page.locator('tr[data-step="7"] td').nth(1).inner_text() == "3"
    room_client.post(url, the_room.token, progress(9, 8, 2, 0))
    page.locator('[data-seat="9"]').wait_for(timeout=5000)  # the page refreshed
    assert page.locator('tr[data-step="8"] td').nth(1).inner_text() == "2"
    screenshot(page, "room-dashboard.png", tmp_path)
