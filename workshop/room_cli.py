"""`workshop room ...`, and the quiet reports that `check` and the moves send."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workshop import git, learner, room, room_client


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        host, port = room.parse_bind(args.bind)
    except ValueError as error:
        raise learner.LearnerError(str(error)) from None
    the_room = room.Room(refresh_seconds=args.refresh)
    server = room.make_server(host, port, the_room)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.server_address[1]}"
    print(f"the room is open at {url}/?token={the_room.token}")
    print("each learner runs, with their own seat number:")
    print(f"  workshop room join {url} --token {the_room.token} --seat N")
    print("Ctrl-C closes the room (nothing is kept).")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    root = git.toplevel(Path.cwd())
    try:
        url = room_client.join(root, args.url, args.seat, args.token)
    except ValueError as error:
        raise learner.LearnerError(f"cannot join: {error}") from None
    delivered = _report_here(root)
    print(f"joined {url} as seat {args.seat}: check, watch, goto and next now post")
    print("  your seat, step and test counts (no code, no file names).")
    if not delivered:
        print("  The room did not answer yet: check the URL and the token;")
        print("  your work goes on either way. `workshop room leave` opts out.")
    return 0


def cmd_leave(args: argparse.Namespace) -> int:
    left = room_client.leave(git.toplevel(Path.cwd()))
    print("you left the room" if left else "you had not joined a room")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("room", help="the room's progress dashboard (opt-in)")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    serve = verbs.add_parser("serve", help="instructor: open the dashboard")
    serve.add_argument("--bind", required=True, help="ADDRESS:PORT, e.g. 0.0.0.0:8765")
    serve.add_argument("--refresh", type=int, default=5, help="page refresh, seconds")
    serve.set_defaults(run=cmd_serve)
    join = verbs.add_parser("join", help="learner: report my progress to the room")
    join.add_argument("url")
    join.add_argument("--seat", type=int, required=True)
    join.add_argument("--token", required=True)
    join.set_defaults(run=cmd_join)
    verbs.add_parser("leave", help="learner: stop reporting").set_defaults(
        run=cmd_leave
    )


@contextmanager
def reporting(root: Path, step: int) -> Iterator[dict[str, str]]:
    """The environment for a test run; afterwards, its counts go to the room."""
    if not room_client.joined(root):
        yield dict(os.environ)
        return
    with tempfile.TemporaryDirectory() as scratch:
        report_file = Path(scratch) / "report.json"
        yield {**os.environ, "WORKSHOP_REPORT": str(report_file)}
        room_client.report_from_file(root, step, report_file)


def after_move(lines: list[str]) -> list[str]:
    """After goto/next: tell the room the new step (not checked yet)."""
    root = git.toplevel(Path.cwd())
    if room_client.joined(root):
        _report_here(root)
    return lines


def _report_here(root: Path) -> bool:
    try:
        step = learner.here(root).step.number
    except learner.LearnerError:
        return False
    return room_client.report(root, step, passed=0, failed=0, skipped=0)
