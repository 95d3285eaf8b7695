"""The verifier: every generated step keeps the invariants of DESIGN.md.

For each step N it writes the tree to a temporary folder and checks:
1. it installs (pip, offline), imports and passes lint (ruff check and format);
2. every test of steps < N passes;
3. step N's tests fail, each because of the stub (NotImplementedError naming
   step N) or an assertion, never an import or collection error;
4. nothing of a later step is there (texts, tests, markers);
and the minimal-diff rule: step N -> its solution touches only files marked
for N, and the solution -> step N+1 only what N+1 introduces. Finally:
5. the final tree is main without markers, and every test passes there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workshop.manifest import MANIFEST
from workshop.source import (
    TEST_FILE,
    TEXT_FILE,
    Source,
    Tree,
    introduced_by,
    render_tree,
)

RIGHT_REASONS = {"AssertionError", "Failed"}
# What a marker looks like once it is in a generated file by mistake.
RESIDUE = re.compile(
    r"^\s*(#|--|<!--)\s*(>>>|<<<|---\s*stub)"
    r"|(#|--)\s*(solution|since|until) \d{2}\s*$"
    r"|^(#|--) workshop: (solution|since)",
    re.M,
)


@dataclass
class StepReport:
    label: str
    title: str
    earlier_passed: int = 0
    earlier_total: int = 0
    own_failed: int = 0
    own_total: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def write_tree(tree: Tree, folder: Path) -> None:
    for path, (mode, data) in tree.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if mode == "100755":
            target.chmod(0o755)


def _run(
    args: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("WORKSHOP_REPORT", None)  # only the report this run asks for
    env.update(extra_env or {})
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def _lint_and_import(folder: Path, label: str) -> list[str]:
    problems = []
    ruff = [sys.executable, "-m", "ruff"]
    lint = _run([*ruff, "check", "--no-cache", "--quiet", "."], folder)
    if lint.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (lint): ruff check fails:\n{_indent(lint.stdout or lint.stderr)}"
        )
    fmt = _run([*ruff, "format", "--no-cache", "--check", "--quiet", "."], folder)
    if fmt.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (lint): ruff format --check fails:\n{_indent(fmt.stdout or fmt.stderr)}"
        )
    install = _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--dry-run", "--quiet", "--disable-pip-version-check", "."],
        folder,
    )  # fmt: skip
    if install.returncode != 0:
        problems.append(
            f"{label}: invariant 1 (installs): pip cannot install it:\n{_indent(install.stderr)}"
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


def _indent(text: str, limit: int = 12) -> str:
    lines = text.strip().splitlines()
    shown = lines[:limit] + (
        [f"... {len(lines) - limit} more lines"] if len(lines) > limit else []
    )
    return "\n".join("    " + line for line in shown)


def _pytest(folder: Path) -> dict:
    report = folder / ".workshop-report.json"
    result = _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        folder,
        {"WORKSHOP_REPORT": str(report)},
    )
    if not report.exists():
        return {
            "collect_errors": [
                {"nodeid": "", "message": result.stdout[-1500:] + result.stderr[-1500:]}
            ],
            "tests": {},
        }
    return json.loads(report.read_text())


def check_step(source: Source, number: int, tree: Tree, work: Path) -> StepReport:
    step = source.manifest.step(number)
    label = f"step {number:02d}"
    report = StepReport(step.tag, step.title)
    started = time.monotonic()
    folder = work / step.tag
    write_tree(tree, folder)
    report.problems += _lint_and_import(folder, label)
    report.problems += _later_content(tree, number, label)
    results = _pytest(folder)
    for error in results.get("collect_errors", []):
        report.problems.append(
            f"{label}: invariant 3 (collection): {error['nodeid'] or 'pytest'} did not collect:\n{_indent(error['message'])}"
        )
    for nodeid, test in sorted(results.get("tests", {}).items()):
        owner = test["step"]
        if owner is not None and owner > number:
            report.problems.append(
                f"{label}: invariant 4 (later content): {nodeid} belongs to step {owner:02d}"
            )
        elif owner == number:
            report.own_total += 1
            if test["outcome"] == "failed":
                report.own_failed += 1
                if not _right_reason(test, number):
                    report.problems.append(
                        f"{label}: invariant 3 (wrong reason): {nodeid} fails with"
                        f" {test['error']}: {test['message'][:300]}"
                    )
        else:
            report.earlier_total += 1
            if test["outcome"] == "failed":
                whose = f"step {owner:02d}" if owner is not None else "an unmarked test"
                report.problems.append(
                    f"{label}: invariant 2 (earlier tests pass): {nodeid} ({whose}) fails with"
                    f" {test['error']}: {test['message'][:300]}"
                )
            else:
                report.earlier_passed += 1
    if report.own_total == 0:
        report.problems.append(f"{label}: invariant 3: step {number:02d} has no tests")
    elif report.own_failed == 0:
        report.problems.append(
            f"{label}: invariant 3: every test of step {number:02d} passes before the drill is done (is the solution outside its markers?)"
        )
    report.seconds = time.monotonic() - started
    return report


def _right_reason(test: dict, number: int) -> bool:
    if test["error"] == "NotImplementedError":
        return f"step {number:02d}" in test["message"]
    return test["error"] in RIGHT_REASONS


def _later_content(tree: Tree, number: int, label: str) -> list[str]:
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


def _changed(a: Tree, b: Tree) -> set[str]:
    return {path for path in a.keys() | b.keys() if a.get(path) != b.get(path)}


def check_minimal_diffs(
    source: Source, trees: dict[int, tuple[Tree, Tree]]
) -> list[str]:
    problems = []
    numbers = sorted(trees)
    for index, number in enumerate(numbers):
        start, solved = trees[number]
        allowed = introduced_by(source, number)
        stray = _changed(start, solved) - allowed
        if stray:
            problems.append(
                f"step {number:02d}: minimal diff: its solution also changes {sorted(stray)}"
            )
        if index + 1 < len(numbers) and numbers[index + 1] == _next(source, number):
            following = numbers[index + 1]
            stray = _changed(solved, trees[following][0]) - introduced_by(
                source, following
            )
            if stray:
                problems.append(
                    f"step {following:02d}: minimal diff: its task also changes {sorted(stray)}"
                )
    return problems


def _next(source: Source, number: int) -> int | None:
    later = [n for n in source.manifest.numbers if n > number]
    return later[0] if later else None


def check_final(source: Source, work: Path) -> StepReport:
    report = StepReport("final", "The finished workshop")
    started = time.monotonic()
    tree = render_tree(source, 0, final=True)
    report.problems += _final_equals_main(source, tree)
    folder = work / "final"
    write_tree(tree, folder)
    report.problems += _lint_and_import(folder, "final")
    results = _pytest(folder)
    for error in results.get("collect_errors", []):
        report.problems.append(
            f"final: invariant 5: {error['nodeid']} did not collect:\n{_indent(error['message'])}"
        )
    for nodeid, test in sorted(results.get("tests", {}).items()):
        report.earlier_total += 1
        if test["outcome"] == "failed":
            report.problems.append(
                f"final: invariant 5 (all tests pass): {nodeid} fails with {test['error']}: {test['message'][:300]}"
            )
        else:
            report.earlier_passed += 1
    report.seconds = time.monotonic() - started
    return report


_BLOCK = re.compile(r"^(#|--|<!--)\s*(>>>|<<<|---\s*stub)(.*)$")
_LINE_MARK = re.compile(r"\s+(#|--)\s*(solution|since|until) \d{2}( until \d{2})?\s*$")


def _strip_independently(text: str) -> list[str]:
    """Main's text as the final tree must show it, non-blank lines only.

    Written apart from the renderer on purpose, from the rules alone: at the
    end every block or line with an 'until' is gone, stub sections are gone,
    and every marker comment is gone.
    """
    kept: list[str] = []
    dropping = False
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if number == 0 and re.match(r"^(#|--)\s*workshop:", stripped):
            continue
        if block := _BLOCK.match(stripped):
            kind, rest = block[2], block[3]
            dropping = (kind == ">>>" and " until " in f" {rest} ") or kind.startswith(
                "---"
            )
            continue
        if dropping or re.search(r"(#|--)\s*(since \d{2} )?until \d{2}\s*$", line):
            continue
        kept.append(_LINE_MARK.sub("", line))
    return [line for line in kept if line.strip()]


def _final_equals_main(source: Source, tree: Tree) -> list[str]:
    problems = []
    for path, item in source.files.items():
        if path in (MANIFEST, "WORKSHOP.md"):
            continue
        if item.marked is None or not item.marked.has_markers:
            if tree.get(path, (None, None))[1] != item.data:
                problems.append(f"final: invariant 5: {path} differs from main")
            continue
        if path not in tree:
            if not (item.marked.file_span and item.marked.file_span.end is not None):
                problems.append(f"final: invariant 5: {path} is missing")
            continue
        expected = _strip_independently(item.data.decode("utf-8"))
        got = [
            line for line in tree[path][1].decode("utf-8").splitlines() if line.strip()
        ]
        if expected != got:
            problems.append(
                f"final: invariant 5: {path} is not main without its markers"
            )
    return problems


def verify(
    source: Source,
    steps: list[int] | None = None,
    jobs: int | None = None,
    keep: bool = False,
) -> list[StepReport]:
    numbers = [n for n in source.manifest.numbers if steps is None or n in steps]
    trees = {
        n: (render_tree(source, n), render_tree(source, n, solved=True))
        for n in numbers
    }
    work = Path(tempfile.mkdtemp(prefix="workshop-verify-"))
    try:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
            futures = [
                pool.submit(check_step, source, n, trees[n][0], work) for n in numbers
            ]
            final = (
                pool.submit(check_final, source, work)
                if steps is None or numbers[-1:] == source.manifest.numbers[-1:]
                else None
            )
            reports = [future.result() for future in futures]
            if final is not None:
                reports.append(final.result())
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    diff_problems = check_minimal_diffs(source, trees)
    if diff_problems:
        reports.append(StepReport("diffs", "minimal-diff rule", problems=diff_problems))
    return reports
