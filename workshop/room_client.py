"""The learner's side of the room: opt in once, then report quietly.

`workshop room join URL --seat N --token T` stores the three in the clone's
git folder (never in the work tree, so never committed). From then on
`check`, `watch`, `goto` and `next` post one `Progress`. A report that cannot
be delivered is dropped without a word: the room must never slow a learner.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from workshop import git
from workshop.room import Progress

CONFIG = "workshop-room.json"
TIMEOUT = 1.0  # seconds; a learner's check never waits longer for the room


def config_path(root: Path) -> Path:
    return git.git_dir(root) / CONFIG


def join(root: Path, url: str, seat: int, token: str) -> str:
    """Check and save the room's address and this seat; return the URL."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"the room's URL starts with http://, got {url!r}")
    Progress(seat=seat, step=0, passed=0, failed=0, skipped=0, since=_now())
    url = url.rstrip("/")
    config = {"url": url, "seat": seat, "token": token}
    config_path(root).write_text(json.dumps(config), encoding="utf-8")
    return url


def leave(root: Path) -> bool:
    path = config_path(root)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def report(root: Path, step: int, passed: int, failed: int, skipped: int) -> bool:
    """Post this seat's state if the learner joined a room; True if delivered."""
    path = config_path(root)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    green = failed == 0 and passed > 0
    last = config.get("last", {})
    if last.get("step") == step and last.get("green") == green and "since" in last:
        since = datetime.fromisoformat(last["since"])
    else:
        since = _now()
    config["last"] = {"step": step, "green": green, "since": since.isoformat()}
    path.write_text(json.dumps(config), encoding="utf-8")
    progress = Progress(
        seat=config["seat"],
        step=step,
        passed=passed,
        failed=failed,
        skipped=skipped,
        since=since,
    )
    return post(config["url"], config["token"], progress)


def post(url: str, token: str, progress: Progress) -> bool:
    request = urllib.request.Request(
        f"{url}/api/progress",
        data=progress.model_dump_json().encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return bool(response.status == 204)
    except (OSError, ValueError):  # URLError and HTTPError are OSErrors
        return False


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def report_from_file(root: Path, step: int, report_file: Path) -> bool:
    """Report the counts of a test run the pytest plugin wrote to ``report_file``."""
    try:
        tests = json.loads(report_file.read_text(encoding="utf-8"))["tests"].values()
    except (OSError, ValueError, KeyError):
        return False
    outcomes = [t["outcome"] for t in tests]
    return report(
        root,
        step,
        passed=outcomes.count("passed"),
        failed=outcomes.count("failed") + outcomes.count("error"),
        skipped=outcomes.count("skipped"),
    )


def joined(root: Path) -> bool:
    return config_path(root).exists()
