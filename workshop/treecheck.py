"""Checks run inside one generated tree: install, lint, imports, tests, residue."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from workshop import forkrun
from workshop.manifest import MANIFEST
from workshop.source import TEST_FILE, TEXT_FILE, Tree

# What a marker looks like once it is in a generated file by mistake.
RESIDUE = re.compile(
    r"^\s*(#|--|<!--)\s*(>>>|<<<|---\s*stub)"
    r"|(#|--)\s*(solution|since|until) \d{2}\s*$"
    r"|^(#|--) workshop: (solution|since)",
    re.M,
)


def write_tree(tree: Tree, folder: Path) -> None:
    for path, (mode, data) in tree.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if mode == "100755":
            target.chmod(0o755)


def _env(cwd: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("WORKSHOP_REPORT", None)  # only the report this run asks for
    env.update(extra_env or {})
    return env


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_env(cwd), capture_output=True, text=True, encoding="utf-8"
    )


def installs_lints_imports(folder: Path, label: str) -> list[str]:
    problems = []
    ruff = [sys.executable, "-m", "ruff"]
    lint = _run([*ruff, "check", "--no-cache", "--quiet", "."], folder)
    if lint.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (lint): ruff check fails:\n{indent(lint.stdout or lint.stderr)}"
        )
    fmt = _run([*ruff, "format", "--no-cache", "--check", "--quiet", "."], folder)
    if fmt.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (lint): ruff format --check fails:\n{indent(fmt.stdout or fmt.stderr)}"
        )
    install = _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--dry-run", "--quiet", "--disable-pip-version-check", "."],
        folder,
    )  # fmt: skip
    if install.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (installs): pip cannot install it:\n{indent(install.stderr)}"
        )
    modules = sorted(
        ".".join(p.with_suffix("").parts)
        for p in (q.relative_to(folder) for q in folder.glob("[aw]*/**/*.py"))
        if p.parts[0] in ("app", "workshop") and p.name != "__main__.py"
    )
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name.removesuffix('.__init__'))\n"
    imported = _run([sys.executable, "-c", script, *modules], folder)
    if imported.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (imports): {imported.stderr.strip().splitlines()[-1]}"
        )
    return problems


def indent(text: str, limit: int = 12) -> str:
    lines = text.strip().splitlines()
    shown = lines[:limit] + (
        [f"... {len(lines) - limit} more lines"] if len(lines) > limit else []
    )
    return "\n".join("    " + line for line in shown)


def run_pytest(folder: Path, args: tuple[str, ...] = ()) -> dict:
    report = folder / ".workshop-report.json"
    output = folder / ".workshop-output.txt"
    report.unlink(missing_ok=True)
    # The run's temporary files go beside the tree (in verify's folder, in
    # memory where the system has one), and away after the run.
    scratch = folder.parent / ".tmp" / folder.name
    scratch.mkdir(parents=True, exist_ok=True)
    forkrun.run(
        folder,
        ["-q", "-p", "no:cacheprovider", *args],
        _env(folder, {"WORKSHOP_REPORT": str(report), "TMPDIR": str(scratch)}),
        output,
    )
    shutil.rmtree(scratch, ignore_errors=True)
    if not report.exists():
        message = output.read_text(encoding="utf-8", errors="replace")[-3000:]
        return {"collect_errors": [{"nodeid": "", "message": message}], "tests": {}}
    return json.loads(report.read_text(encoding="utf-8"))


# "step 07", "steps 35-43", "Step 12 and 13", "step-07"; a range names both ends.
STEP_MENTION = re.compile(
    r"\b[Ss]teps?[ -](\d{2})\b(?:\s*(?:-|to|and|or)\s*(\d{2})\b)?"
)


def unknown_steps(tree: Tree, known: set[int], label: str) -> list[str]:
    """Invariant 7: texts and the store's code name only steps that exist."""
    problems = []
    for path, (_, data) in sorted(tree.items()):
        if not (path.endswith(".md") or path.startswith(("app/", "alembic/"))):
            continue
        if path.startswith("workshop/") and not path.startswith("workshop/steps/"):
            continue
        text = data.decode("utf-8", errors="replace")
        for match in STEP_MENTION.finditer(text):
            named = {int(n) for n in match.groups() if n is not None}
            if missing := sorted(named - known):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(
                    f"{label}: invariant 7 (unknown step): {path}:{line} names step"
                    f" {missing[0]:02d}, which the manifest does not list"
                )
    return problems


def later_content(tree: Tree, number: int, label: str) -> list[str]:
    problems = []
    for path, (_, data) in tree.items():
        match = TEST_FILE.match(path) or TEXT_FILE.match(path)
        if match and int(match[1]) > number:
            problems.append(f"{label}: invariant 4 (later content): {path} is present")
        if not path.startswith("workshop/") and path != MANIFEST and b"\0" not in data:
            text = data.decode("utf-8", errors="replace")
            if residue := RESIDUE.search(text):
                problems.append(
                    f"{label}: invariant 4 (markers left): {path}: {residue.group().strip()!r}"
                )
    return problems
