"""The room's progress: a small opt-in server that shows where every seat is.

`workshop room serve --bind ADDRESS:PORT` runs it. Learners who joined post
one `Progress` after each check and each move; nothing else is ever sent.
The token is needed to post and to view. Standard library only: one process,
a dict in memory, a page that refreshes itself.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop.room_page import render_room

MAX_BODY = 1024  # bytes: a progress report is about 120
MAX_SEATS = 500


class Progress(BaseModel):
    """What a learner's machine posts, and nothing more: no code, no paths."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seat: int = Field(ge=1, le=MAX_SEATS)
    step: int = Field(ge=0, le=99)
    passed: int = Field(ge=0, le=100_000)
    failed: int = Field(ge=0, le=100_000)
    skipped: int = Field(ge=0, le=100_000)
    since: datetime  # when this seat's current step and colour began


@dataclass
class Room:
    """The latest report of every seat; safe to use from many threads."""

    # Hex, not token_urlsafe(): a token starting with "-" reads as an option.
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    refresh_seconds: int = 5
    _seats: dict[int, Progress] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, progress: Progress) -> None:
        with self._lock:
            self._seats[progress.seat] = progress

    def seats(self) -> list[Progress]:
        with self._lock:
            return sorted(self._seats.values(), key=lambda p: p.seat)

    def allows(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.token.encode())


def handler_for(room: Room) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "workshop-room"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            token = parse_qs(url.query).get("token", [""])[0]
            if not room.allows(token):
                self._reply(HTTPStatus.FORBIDDEN, "text/plain", b"token required\n")
            elif url.path == "/":
                now = datetime.now(UTC)
                page = render_room(room.seats(), now, room.refresh_seconds, token)
                self._reply(HTTPStatus.OK, "text/html; charset=utf-8", page.encode())
            elif url.path == "/api/room":
                body = [p.model_dump(mode="json") for p in room.seats()]
                self._reply(
                    HTTPStatus.OK, "application/json", json.dumps(body).encode()
                )
            else:
                self._reply(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")

        def do_POST(self) -> None:  # noqa: N802
            if urlsplit(self.path).path != "/api/progress":
                return self._reply(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if not room.allows(bearer):
                return self._reply(HTTPStatus.FORBIDDEN, "text/plain", b"bad token\n")
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self._reply(HTTPStatus.LENGTH_REQUIRED, "text/plain", b"")
            if not 0 < length <= MAX_BODY:
                return self._reply(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "text/plain", b"too large\n"
                )
            try:
                progress = Progress.model_validate_json(self.rfile.read(length))
            except ValidationError as error:
                reason = f"{error.error_count()} invalid field(s)\n".encode()
                return self._reply(
                    HTTPStatus.UNPROCESSABLE_ENTITY, "text/plain", reason
                )
            room.record(progress)
            self._reply(HTTPStatus.NO_CONTENT, "text/plain", b"")

        def _reply(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the dashboard is the log; keep the instructor's terminal quiet

    return Handler


def make_server(host: str, port: int, room: Room) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), handler_for(room))
    server.daemon_threads = True
    return server


def parse_bind(text: str) -> tuple[str, int]:
    """'192.168.1.10:8765' -> ('192.168.1.10', 8765), with a clear error."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(
            f"--bind wants ADDRESS:PORT such as 127.0.0.1:8765, got {text!r}"
        )
    return host.strip("[]"), int(port)
