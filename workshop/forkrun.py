"""Run pytest in generated trees through pre-loaded fork servers (workshop/pytest_server.py).

Inside ``with servers():`` each thread that runs pytest borrows an idle
server, or starts one; outside it, every run is a fresh ``python -m pytest``.
Both give the same result: the child of a server enters the tree as a fresh
process would, it only skips importing pytest and the store's libraries.
"""

from __future__ import annotations

import contextlib
import json
import queue
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

SERVER = Path(__file__).with_name("pytest_server.py")
# What a server imports once: pytest, then the modules of the workshop's
# dependencies (by distribution name) that its tests import. Never a pytest
# plugin (pytest rewrites its asserts only if it imports it itself), nor
# anything of the tree.
ALWAYS = ["pytest", "asyncio"]
MODULES = {
    "sqlalchemy": ["sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.asyncio"],
    "pyyaml": ["yaml"],
    "pydantic": ["pydantic"],
    "psycopg2-binary": ["psycopg2"],
    "asyncpg": ["asyncpg"],
}


def preload_for(pyproject: str) -> list[str]:
    """The modules to import in advance for a project with this pyproject.toml."""
    needs = tomllib.loads(pyproject).get("project", {}).get("dependencies", [])
    names = {
        re.split(r"[^A-Za-z0-9._-]", need, maxsplit=1)[0].lower() for need in needs
    }
    return ALWAYS + [
        module for name in sorted(names) for module in MODULES.get(name, [])
    ]


class ServerGone(RuntimeError):
    """A fork server stopped answering."""


class _Server:
    def __init__(self, env: dict[str, str], preload: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-P", str(SERVER), *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
        )

    def run(self, request: dict[str, object]) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ServerGone("the pytest server stopped") from None
        answer = self.process.stdout.readline()
        if not answer:
            raise ServerGone("the pytest server stopped")
        return int(json.loads(answer))

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait()
        self.process.stdout.close()


class _Pool:
    def __init__(self, preload: list[str]) -> None:
        self.preload = preload
        self.idle: queue.SimpleQueue[_Server] = queue.SimpleQueue()
        self.started: list[_Server] = []

    def borrow(self, env: dict[str, str]) -> _Server:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            server = _Server(env, self.preload)
            self.started.append(server)
            return server


_pool: _Pool | None = None


@contextlib.contextmanager
def servers(preload: list[str] = ALWAYS) -> Iterator[None]:
    """Runs of pytest inside this block go through fork servers that have
    imported ``preload`` (see preload_for())."""
    global _pool
    _pool = _Pool(preload)
    try:
        yield
    finally:
        pool, _pool = _pool, None
        for server in pool.started:
            server.close()


def run(folder: Path, args: list[str], env: dict[str, str], output: Path) -> int:
    """``python -m pytest ARGS`` in ``folder`` with ``env``; stdout and stderr
    go to ``output``. Returns pytest's exit code."""
    if _pool is None:
        with output.open("w", encoding="utf-8") as out:
            return subprocess.run(
                [sys.executable, "-m", "pytest", *args],
                cwd=folder,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            ).returncode
    server = _pool.borrow({k: v for k, v in env.items() if k != "PYTHONPATH"})
    code = server.run(
        {"folder": str(folder), "args": args, "env": env, "output": str(output)}
    )
    _pool.idle.put(server)
    return code
