"""`workshop doctor`: a pre-flight check of everything the workshop needs."""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OK, WARN, FAIL = "ok", "warn", "FAIL"
MINIMUM_PYTHON = (3, 11)
SETUP = "run the set-up again: scripts/setup (it installs the pinned versions)"
PACKAGES = {
    "PyYAML": "yaml",
    "SQLAlchemy": "sqlalchemy",
    "pydantic": "pydantic",
    "asyncpg": "asyncpg",
    "psycopg2-binary": "psycopg2",
    "alembic": "alembic",
    "pytest": "pytest",
    "pytest-asyncio": "pytest_asyncio",
    "ruff": None,
    "rich": "rich",
    "watchfiles": "watchfiles",
    "greenlet": "greenlet",
}


@dataclass
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


def _pinned(root: Path) -> dict[str, str]:
    lock = root / "requirements.lock"
    if not lock.exists():
        return {}
    pins = re.findall(
        r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(encoding="utf-8")
    )
    return {name.lower().replace("_", "-"): version for name, version in pins}


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] >= MINIMUM_PYTHON:
        return Check("Python", OK, f"{version} at {sys.executable}")
    return Check("Python", FAIL, version, "install Python 3.11 or newer")


def check_packages(root: Path) -> list[Check]:
    pins = _pinned(root)
    checks = []
    for dist, module in PACKAGES.items():
        try:
            version = importlib.metadata.version(dist)
            if module:
                importlib.import_module(module)
        except Exception as error:  # any import failure is the finding
            checks.append(
                Check(dist, FAIL, f"not importable ({error.__class__.__name__})", SETUP)
            )
            continue
        pinned = pins.get(dist.lower())
        if pinned and pinned != version:
            checks.append(
                Check(
                    dist,
                    WARN,
                    f"{version}, but the workshop was verified with {pinned}",
                    SETUP,
                )
            )
        else:
            checks.append(Check(dist, OK, version))
    return checks


def check_yaml_c_loader() -> Check:
    try:
        import yaml
    except ImportError:
        return Check("PyYAML C loader", FAIL, "PyYAML is missing", SETUP)
    if getattr(yaml, "CSafeLoader", None):
        return Check("PyYAML C loader", OK, "CSafeLoader available")
    return Check(
        "PyYAML C loader",
        WARN,
        "pure-Python loader only (slower)",
        "install libyaml, then reinstall PyYAML",
    )


def check_git(root: Path) -> list[Check]:
    if not shutil.which("git"):
        return [
            Check(
                "git", FAIL, "not found", "install git (https://git-scm.com/downloads)"
            )
        ]
    from workshop import git

    checks = [Check("git", OK, git.out("--version", cwd=root))]
    name = git.out("config", "user.name", cwd=root, check=False)
    if name:
        checks.append(Check("git identity", OK, name))
    else:
        checks.append(Check(
            "git identity", WARN, "none set: workshop saves your work as 'Workshop learner'",
            'git config --global user.name "Your Name" && git config --global user.email you@example.com',
        ))  # fmt: skip
    return checks


def check_sqlite_cli() -> Check:
    path = shutil.which("sqlite3")
    if not path:
        return Check(
            "sqlite3 CLI", WARN, "not found (needed from step 11)",
            "Debian/Ubuntu: sudo apt-get install sqlite3; macOS: brew install sqlite;"
            " Windows: https://www.sqlite.org/download.html",
        )  # fmt: skip
    version = subprocess.run(
        [path, "--version"], capture_output=True, text=True, encoding="utf-8"
    ).stdout.split(" ")[0]
    return Check("sqlite3 CLI", OK, f"{version} at {path}")


def check_postgres() -> Check:
    """Which server the PostgreSQL tests would use (needed from step 30)."""
    from workshop import postgres

    try:
        detail = postgres.describe()
    except postgres.UrlDoesNotConnect as error:
        return Check(
            "PostgreSQL", FAIL, str(error), f"fix or unset {postgres.URL_VARIABLE}"
        )
    except postgres.NoServer as error:
        return Check("PostgreSQL", WARN, "none found (needed from step 30)", str(error))
    return Check("PostgreSQL", OK, detail)


def check_tags(root: Path) -> Check:
    from workshop import git

    tags = git.tags(root, "step-*")
    if tags:
        return Check("step tags", OK, f"{len(tags)} steps built")
    return Check(
        "step tags", WARN, "not built yet", "workshop start (or workshop build)"
    )


def run_checks(root: Path) -> list[Check]:
    return [
        check_python(),
        *check_packages(root),
        check_yaml_c_loader(),
        *check_git(root),
        check_sqlite_cli(),
        check_postgres(),
        check_tags(root),
    ]
