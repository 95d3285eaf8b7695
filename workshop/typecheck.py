"""Invariant 7, types: a generated tree type-checks with mypy, as configured in
its own pyproject.toml (what a learner running `mypy` there would see).

Step N's own tests are exempt at step N only: they may use what the learner
has yet to write (a model's columns), as they fail until it is written. From
N+1 on, with the drill solved, they are checked like everything else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from workshop.source import TEST_FILE
from workshop.treecheck import indent

# The checks of a run share one cache, so each library and each module that
# several steps have alike is analysed once; mypy's cache is not safe for two
# runs at once, so within a process they take turns (a run is a few seconds
# once the cache is warm).
_ONE_AT_A_TIME = threading.Lock()


def type_errors(folder: Path, number: int | None, label: str, cache: Path) -> list[str]:
    """The invariant's problems for the tree in ``folder`` (step ``number``,
    None for the final tree); ``cache`` is shared by every check of a run."""
    with _ONE_AT_A_TIME:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--no-error-summary", "--no-color-output",
             "--cache-dir", str(cache / str(os.getpid()))],
            cwd=folder, capture_output=True, text=True, encoding="utf-8",
        )  # fmt: skip
    if result.returncode not in (0, 1):
        return [
            f"{label}: invariant 7 (types): mypy did not run:\n{indent(result.stderr or result.stdout)}"
        ]
    errors = [
        line
        for line in result.stdout.splitlines()
        if ": error: " in line and not _own_test(line.split(":", 1)[0], number)
    ]
    if not errors:
        return []
    listing = indent("\n".join(errors))
    return [
        f"{label}: invariant 7 (types): mypy finds {len(errors)} error(s):\n{listing}"
    ]


def _own_test(path: str, number: int | None) -> bool:
    match = TEST_FILE.match(Path(path).as_posix())
    return match is not None and int(match[1]) == number
