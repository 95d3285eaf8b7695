"""The learner's loop: where am I, go to a step, hints, the reference solution.

Anything that moves HEAD first refuses or saves the learner's work (see
workshop/safety.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from workshop import classroom, git, safety
from workshop.build import FINAL_TAG, BuildRefused, build, solution_ref
from workshop.manifest import Manifest, ManifestError, Step, load_manifest
from workshop.textparts import split_text

BRANCH_PREFIX = "learn/step-"
NAMING_RULE = (
    "step-NN is the start of drill NN; `git diff step-NN step-MM` (MM the next step)"
    " is its answer plus the next task; `workshop solution` shows the answer alone."
)


class LearnerError(RuntimeError):
    """Something the learner can fix; the message says how."""


@dataclass
class Here:
    root: Path
    manifest: Manifest
    branch: str | None

    @property
    def step(self) -> Step:
        step = self.manifest.current_step
        if step is None:
            where = (
                "the final tag"
                if self.manifest.current == "final"
                else "main (the source)"
            )
            raise LearnerError(
                f"you are on {where}, not on a step: run `workshop start`,"
                " or `workshop goto N` to pick a step"
            )
        return step


def here(path: Path | None = None) -> Here:
    root = git.toplevel(path or Path.cwd())
    try:
        manifest = load_manifest(root)
    except ManifestError as error:
        raise LearnerError(str(error)) from None
    return Here(root, manifest, git.current_branch(root))


def step_tags(root: Path) -> list[int]:
    return sorted(
        int(name[5:]) for name in git.tags(root, "step-*") if name[5:].isdigit()
    )


def ensure_refs(root: Path, refs: list[str], what: str) -> None:
    """Build ``refs`` (step tags, solution refs) when missing, from main or
    the class remote's main; without either, say how to get them."""
    if all(git.rev(ref, root) for ref in refs):
        return
    source = classroom.source_ref(root)
    if source is None:
        raise LearnerError(_how_to_get(root, what))
    try:
        build(root, source)
    except BuildRefused as refused:
        raise LearnerError(f"{refused}\n{classroom.rebuild_advice(root)}") from None


def _how_to_get(root: Path, what: str) -> str:
    if git.remotes(root):
        return (
            f"{what} are not in this clone, and there is no main to build them"
            " from: `workshop sync` fetches them from the class remote"
        )
    return (
        f"{what} are not in this clone, and there is no main to build them from"
        " nor a remote to fetch them from: clone the workshop again"
    )


def goto(number: int, path: Path | None = None) -> list[str]:
    """Move to step ``number`` on the learner's branch for it; return what to say."""
    root = git.toplevel(path or Path.cwd())
    safety.refuse_mid_operation(root)
    if not git.rev(FINAL_TAG, root):  # an incomplete set: build or fetch it
        ensure_refs(root, [f"refs/tags/step-{number:02d}"], "the step tags")
    available = step_tags(root)
    if number not in available:
        raise LearnerError(
            f"there is no step {number:02d}; the steps are {available[0]:02d}-{available[-1]:02d}"
        )
    branch = f"{BRANCH_PREFIX}{number:02d}"
    if git.current_branch(root) == branch:
        return [f"you are already on step {number:02d} (branch {branch})"]
    messages = safety.save_work(root, f"goto {number:02d}")
    checkout = ("checkout", "--quiet", "--no-overwrite-ignore")
    if git.rev(f"refs/heads/{branch}", root):
        git.run(*checkout, branch, cwd=root)
        messages.append(f"back on your branch {branch}, with the work you left there")
    else:
        git.run(*checkout, "-b", branch, f"step-{number:02d}", cwd=root)
        messages.append(
            f"on step {number:02d}: a new branch {branch} starts from the tag step-{number:02d}"
        )
    step = here(root).step
    messages.append(f"task: {step.task}")
    messages.append(f"text: {step.text_path}; check it with `workshop check`")
    return messages


def next_step(path: Path | None = None) -> list[str]:
    current = here(path)
    safety.refuse_mid_operation(current.root)
    later = [n for n in step_tags(current.root) if n > current.step.number]
    if not later:
        raise LearnerError(
            "this is the last step: well done! `git diff step-NN final` shows the last answer"
        )
    return goto(later[0], current.root)


def run_tests(root: Path, only_current: bool, quiet: bool = False) -> tuple[int, dict]:
    """Run pytest in ``root``; return its exit code and the plugin's report."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        if only_current:
            args += ["--step", "current"]
        env = {**os.environ, "WORKSHOP_REPORT": str(report), "PYTHONPATH": str(root)}
        result = subprocess.run(
            args, cwd=root, env=env, capture_output=quiet, text=True, encoding="utf-8"
        )
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return result.returncode, data


def status(path: Path | None = None) -> list[str]:
    current = here(path)
    step = current.step
    lines = [
        f"step {step.number:02d}: {step.title} ({step.part}, about {step.minutes} min)",
        f"branch: {current.branch or 'detached HEAD'}",
        f"task: {step.task}",
        f"text: {step.text_path}",
    ]
    _, report = run_tests(current.root, only_current=False, quiet=True)
    tests = list(report.get("tests", {}).values())
    mine = [t for t in tests if t["step"] == step.number]
    earlier = [t for t in tests if t["step"] != step.number]
    lines.append(f"tests: this step {_tally(mine)}; earlier steps {_tally(earlier)}")
    skipped = [t for t in tests if t["outcome"] == "skipped"]
    if skipped:
        lines.append(f"skipped: {skipped[0]['message'] or 'no reason given'}")
    lines.append(f"naming: {NAMING_RULE}")
    return lines


def _tally(tests: list[dict]) -> str:
    """ "3/5 pass" and, when some did not run, how many: a skip never passes."""
    passed = sum(t["outcome"] == "passed" for t in tests)
    skipped = sum(t["outcome"] == "skipped" for t in tests)
    return f"{passed}/{len(tests)} pass" + (f", {skipped} skipped" if skipped else "")


def _without_notes(root: Path, step: Step) -> str:
    text = (root / step.text_path).read_text(encoding="utf-8")
    return text.split("\n## Instructor notes", 1)[0].rstrip() + "\n"


def text_for_learner(root: Path, step: Step) -> str:
    """The step's text without its hints (`workshop hint` gives them one at a
    time) and without its instructor notes, but with their objectives first
    and key points last."""
    parts = split_text((root / step.text_path).read_text(encoding="utf-8"))
    text = parts.body
    before, found, after = text.partition("\n## Hints\n")
    if found:
        rest = after.split("\n## ", 1)
        count = len(hints(root, step))
        note = (
            f"\n## Hints\n\n{count} hints, each more specific than the last:"
            " `workshop hint` shows the next one.\n"
        )
        text = before + note + ("\n## " + rest[1] if len(rest) > 1 else "")
    title, newline, body = text.partition("\n")
    if parts.objectives:
        text = f"{title}{newline}\nObjectives: {parts.objectives}\n{body}"
    if parts.key_points:
        text = f"{text.rstrip()}\n\nKey points: {parts.key_points}\n"
    return text


def hints(root: Path, step: Step) -> list[str]:
    text = _without_notes(root, step)
    section = text.split("\n## Hints", 1)[-1].split("\n## ", 1)[0]
    parts = re.split(r"(?m)^### Hint \d+\s*$", section)
    return [part.strip() for part in parts[1:] if part.strip()]


def hint(level: int | None, path: Path | None = None) -> list[str]:
    current = here(path)
    step = current.step
    available = hints(current.root, step)
    if not available:
        raise LearnerError(f"{step.text_path} has no hints")
    seen_file = git.git_dir(current.root) / "workshop-hints.json"
    seen = (
        json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.exists() else {}
    )
    if level is None:
        level = min(seen.get(step.tag, 0) + 1, len(available))
    if not 1 <= level <= len(available):
        raise LearnerError(f"step {step.number:02d} has hints 1-{len(available)}")
    seen[step.tag] = max(seen.get(step.tag, 0), level)
    seen_file.write_text(json.dumps(seen), encoding="utf-8")
    more = " (`workshop hint` again for the next)" if level < len(available) else ""
    return [
        f"Hint {level} of {len(available)} for step {step.number:02d}{more}:",
        "",
        available[level - 1],
    ]


def solution_args(path: Path | None = None) -> tuple[Path, list[str]]:
    """The git diff arguments that show the reference solution of this drill."""
    current = here(path)
    number = _ensure_solution(current)
    return current.root, ["diff", f"step-{number:02d}", solution_ref(number), "--"]


def _ensure_solution(current: Here) -> int:
    number = current.step.number
    refs = [f"refs/tags/step-{number:02d}", solution_ref(number)]
    ensure_refs(current.root, refs, "the reference solutions")
    return number


def diff_args(path: Path | None = None) -> tuple[Path, list[str]]:
    """git diff arguments: the reference solution (-) against my work (+)."""
    current = here(path)
    number = _ensure_solution(current)
    changed = git.out(
        "diff",
        "--name-only",
        f"step-{number:02d}",
        solution_ref(number),
        cwd=current.root,
    ).splitlines()
    return current.root, ["diff", solution_ref(number), "--", *changed]


class SavedWork(watchfiles.DefaultFilter):
    """A change to any file of the workshop that a task may touch (schema.sql,
    YAML, CSV as well as Python), not to what git ignores (caches, the store's
    own data files)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return super().__call__(change, path) and not git.is_ignored(
            Path(path), self.root
        )


def watch(
    root: Path, run: Callable[[], object], stop: threading.Event | None = None
) -> int:
    """Call ``run`` now, then after each batch of saves under ``root`` (see
    SavedWork) until ``stop`` is set; return how many times it was called.
    Set WATCHFILES_FORCE_POLLING=1 where file events do not arrive (some
    network and container file systems)."""
    run()
    calls = 1
    for _ in watchfiles.watch(root, watch_filter=SavedWork(root), stop_event=stop):
        run()
        calls += 1
    return calls
