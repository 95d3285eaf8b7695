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
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SERVER = Path(__file__).with_name("pytest_server.py")
# Imported once per server. Never a pytest plugin (pytest rewrites its asserts
# only if it imports it itself) nor anything of the tree.
PRELOAD = [
    "pytest",
    "asyncio",
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.ext.asyncio",
    "yaml",
    "pydantic",
    "psycopg2",
    "asyncpg",
]


class ServerGone(RuntimeError):
    """A fork server stopped answering."""


class _Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-P", str(SERVER), *PRELOAD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
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
    def __init__(self) -> None:
        self.idle: queue.SimpleQueue[_Server] = queue.SimpleQueue()
        self.started: list[_Server] = []

    def borrow(self, env: dict[str, str]) -> _Server:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            server = _Server(env)
            self.started.append(server)
            return server


_pool: _Pool | None = None


@contextlib.contextmanager
def servers() -> Iterator[None]:
    """Runs of pytest inside this block go through fork servers."""
    global _pool
    _pool = _Pool()
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
