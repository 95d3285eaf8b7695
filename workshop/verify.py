"""The verifier: every generated step keeps the invariants listed below.

For each step N it writes the tree to a temporary folder and checks:
1. it installs (pip, offline), imports and passes lint (ruff check and format);
2. every test of steps < N passes; a stress test (mark.stress: a randomised
   smoke test, never the gate) only at step N+1, the first tree with its
   drill solved, then on the final tree (5), not at every later step;
3. step N's tests fail, each because of the stub (NotImplementedError naming
   step N) or an assertion, never an import or collection error;
4. nothing of a later step is there (texts, tests, markers);
and the minimal-diff rule: step N -> its solution touches only files marked
for N, and the solution -> step N+1 only what N+1 introduces. Finally:
5. the final tree is main without markers, and every test passes there,
   every stress test included;
6. every drill grades fairly: its wrong variants fail, its alternatives pass
   (workshop/variantcheck.py), and its tests match no message wording that
   the texts do not state (workshop/wording.py);
7. texts and the store's code name only steps that the manifest lists, and
   the tree type-checks (workshop/typecheck.py).
How it runs: each step's check, its type check and each of its variants is
a job of its own; the type checks take turns on a lane of their own (they
share mypy's cache), the rest share the workers (see verify()).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop import forkrun, tracks
from workshop.finalcheck import final_equals_main
from workshop.source import (
    TEST_FILE,
    TEXT_FILE,
    Source,
    Tree,
    introduced_by,
    render_tree,
)
from workshop.treecheck import (
    indent,
    installs_lints_imports,
    later_content,
    run_pytest,
    unknown_steps,
    write_tree,
)
from workshop.typecheck import type_errors
from workshop.variantcheck import (
    VariantReport,
    judge_variant,
    variant_report,
    variants_by_step,
)
from workshop.variants import Variant, VariantError
from workshop.wording import unstated_matches

RIGHT_REASONS = {"AssertionError", "Failed"}


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
    variants: VariantReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_step(source: Source, number: int, tree: Tree, work: Path) -> StepReport:
    """Every invariant of step ``number`` but its types (check_types(), a job
    of its own) and its variants (judge_variant(), one job each)."""
    step = source.manifest.step(number)
    label = f"step {number:02d}"
    report = StepReport(step.tag, step.title)
    started = time.monotonic()
    folder = work / step.tag
    write_tree(tree, folder)
    report.problems += installs_lints_imports(folder, label)
    report.problems += later_content(tree, number, label)
    report.problems += _unstated_wording(tree, number, label)
    report.problems += unknown_steps(tree, set(source.manifest.numbers), label)
    # A stress test runs at its own step, the next one (the first tree with
    # its drill solved) and on the final tree, never at every later step.
    results = run_pytest(folder, ("--stress-from", str(_previous(source, number))))
    for error in results.get("collect_errors", []):
        report.problems.append(
            f"{label}: invariant 3 (collection): {error['nodeid'] or 'pytest'} did not collect:\n{indent(error['message'])}"
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


def _unstated_wording(tree: Tree, number: int, label: str) -> list[str]:
    """Invariant 6: step N's tests match only message fragments its texts state."""
    texts = "\n".join(
        data.decode("utf-8").split("\n## Instructor notes", 1)[0]
        for path, (_, data) in tree.items()
        if TEXT_FILE.match(path)
    )
    return [
        f"{label}: invariant 6 (wording): {problem}"
        for path, (_, data) in sorted(tree.items())
        if (match := TEST_FILE.match(path)) and int(match[1]) == number
        for problem in unstated_matches(data.decode("utf-8"), texts, path)
    ]


def _right_reason(test: dict, number: int) -> bool:
    if test["error"] == "NotImplementedError":
        return f"step {number:02d}" in test["message"]
    return test["error"] in RIGHT_REASONS


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


def _previous(source: Source, number: int) -> int:
    """The step before ``number`` in the manifest (``number`` for the first)."""
    earlier = [n for n in source.manifest.numbers if n < number]
    return earlier[-1] if earlier else number


def _next(source: Source, number: int) -> int | None:
    later = [n for n in source.manifest.numbers if n > number]
    return later[0] if later else None


def check_final(source: Source, tree: Tree, work: Path) -> StepReport:
    """Every invariant of the final tree ``tree`` but its types (check_types())."""
    report = StepReport("final", "The finished workshop")
    started = time.monotonic()
    report.problems += final_equals_main(source, tree)
    folder = work / "final"
    write_tree(tree, folder)
    report.problems += installs_lints_imports(folder, "final")
    report.problems += unknown_steps(tree, set(source.manifest.numbers), "final")
    report.problems += [
        f"final: tracks: {p}" for p in tracks.check(folder, source.manifest)
    ]
    results = run_pytest(folder)
    for error in results.get("collect_errors", []):
        report.problems.append(
            f"final: invariant 5: {error['nodeid']} did not collect:\n{indent(error['message'])}"
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


def check_types(tree: Tree, number: int | None, work: Path, keep: bool) -> list[str]:
    """Invariant 7, types, for step ``number``'s tree (None: the final tree),
    in a copy of its own: mypy runs on a lane of its own (see verify())."""
    label = "final" if number is None else f"step {number:02d}"
    folder = work / ("types-final" if number is None else f"types-{number:02d}")
    write_tree(tree, folder)
    try:
        return type_errors(folder, number, label, work / "mypy-cache")
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class _Jobs:
    """One step's jobs: its check, its types and each of its variants."""

    check: Future[StepReport]
    types: Future[list[str]]
    variants: list[Future[tuple[str | None, float]]] = field(default_factory=list)

    def all(self) -> list[Future[Any]]:
        return [self.check, self.types, *self.variants]


Progress = Callable[[StepReport, int, int], None]


def verify(
    source: Source,
    steps: list[int] | None = None,
    jobs: int | None = None,
    keep: bool = False,
    variants: bool = True,
    repeat: int = 1,
    progress: Progress | None = None,
) -> list[StepReport]:
    """Check every invariant of the ``steps`` (default: all, and the final tree).

    Each step's check and each of its variants is one job; the longest come
    first (the final tree, then the later steps, which run more tests), and
    a step's jobs together, so that ``progress(report, done, total)`` hears
    of one step after another as soon as all of its jobs are done. The type
    checks run one after another on a lane of their own (mypy's shared cache
    allows one run at a time), beside the ``jobs`` workers, never holding one
    of them while they wait for the cache.
    """
    numbers = [n for n in source.manifest.numbers if steps is None or n in steps]
    trees = {
        n: (render_tree(source, n), render_tree(source, n, solved=True))
        for n in numbers
    }
    try:
        drill_variants = variants_by_step(source) if variants else {}
    except VariantError as error:
        return [StepReport("variants", "drill variants", problems=[str(error)])]
    with_final = steps is None or numbers[-1:] == source.manifest.numbers[-1:]
    work = Path(tempfile.mkdtemp(prefix="workshop-verify-", dir=_memory_folder()))
    try:
        with (
            forkrun.servers(forkrun.preload_for(_pyproject(source))),
            ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool,
            ThreadPoolExecutor(max_workers=1) as types_lane,
        ):
            jobs_of: dict[int | None, _Jobs] = {}
            if with_final:
                final = render_tree(source, 0, final=True)
                jobs_of[None] = _Jobs(
                    pool.submit(check_final, source, final, work),
                    types_lane.submit(check_types, final, None, work, keep),
                )
            for n in reversed(numbers):
                jobs_of[n] = _Jobs(
                    pool.submit(check_step, source, n, trees[n][0], work),
                    types_lane.submit(check_types, trees[n][0], n, work, keep),
                )
                jobs_of[n].variants += [
                    pool.submit(
                        _timed,
                        judge_variant,
                        n,
                        i,
                        variant,
                        trees[n][1],
                        work,
                        repeat,
                        keep,
                    )
                    for i, variant in enumerate(drill_variants.get(n, []))
                ]
            reports = _gather(jobs_of, drill_variants if variants else None, progress)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    ordered = [reports[n] for n in numbers] + ([reports[None]] if with_final else [])
    diff_problems = check_minimal_diffs(source, trees)
    if diff_problems:
        ordered.append(StepReport("diffs", "minimal-diff rule", problems=diff_problems))
    return ordered


def _pyproject(source: Source) -> str:
    item = source.files.get("pyproject.toml")
    return item.data.decode("utf-8") if item is not None else ""


def _memory_folder() -> str | None:
    """A folder kept in memory (Linux's /dev/shm), or None: the usual temp folder.

    Every tree and every test's temporary files go there; the tests sync
    thousands of files and databases to disk, which a memory folder makes free.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _timed(action: Callable[..., str | None], *args: Any) -> tuple[str | None, float]:
    started = time.monotonic()
    return action(*args), time.monotonic() - started


def _gather(
    jobs_of: dict[int | None, _Jobs],
    drill_variants: dict[int, list[Variant]] | None,
    progress: Progress | None,
) -> dict[int | None, StepReport]:
    """Each step's report, from its check, its types and its variants' verdicts,
    as they end."""
    step_of = {job: n for n, jobs in jobs_of.items() for job in jobs.all()}
    left = {n: len(jobs.all()) for n, jobs in jobs_of.items()}
    reports: dict[int | None, StepReport] = {}
    for job in as_completed(step_of):
        n = step_of[job]
        left[n] -= 1
        if left[n]:
            continue
        report = jobs_of[n].check.result()
        report.problems += jobs_of[n].types.result()
        if n is not None and drill_variants is not None:
            judged = [variant_job.result() for variant_job in jobs_of[n].variants]
            report.variants = variant_report(
                n, drill_variants.get(n, []), [problem for problem, _ in judged]
            )
            report.problems += report.variants.problems
            report.seconds += sum(seconds for _, seconds in judged)
        reports[n] = report
        if progress is not None:
            progress(report, len(reports), len(jobs_of))
    return reports
