"""A process that has imported pytest and the store's libraries, forking one child per run.

`workshop verify` runs pytest hundreds of times, and a fresh interpreter
spends most of a short run importing pytest, SQLAlchemy and the rest before
it collects a single test. This server imports them once (never a tree's own
packages), then forks a child per request; the child enters the tree as
``python -m pytest`` would (working directory, ``sys.path``, environment)
and runs pytest there. workshop/forkrun.py starts it and talks to it.

Protocol: one JSON request a line on stdin (folder, args, env, output file),
one JSON exit code a line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from typing import Any


def preload(names: list[str]) -> None:
    """Import ``names``, skipping any whose import warns: with the tests'
    ``filterwarnings = error`` that warning must happen, and fail, in the run."""
    for name in names:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                __import__(name)
            except Exception:  # noqa: BLE001 - the run imports it itself
                sys.modules.pop(name, None)


def serve() -> dict[str, Any] | None:
    """Answer requests until stdin closes; in a forked child, return its request."""
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            return request
        _, status = os.waitpid(pid, 0)
        print(json.dumps(os.waitstatus_to_exitcode(status)), flush=True)
    return None


def run(request: dict[str, Any]) -> int:
    """In the child: become ``python -m pytest ARGS`` run in the request's folder."""
    folder = request["folder"]
    os.chdir(folder)
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # found again from TMPDIR, as a fresh process does
    sys.path[:0] = [folder, folder]  # the working directory, then PYTHONPATH
    output = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    import pytest

    return int(pytest.main(request["args"]))


if __name__ == "__main__":
    preload(sys.argv[1:])
    mine = serve()
    if mine is not None:
        sys.exit(run(mine))
