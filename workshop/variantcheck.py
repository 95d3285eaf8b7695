"""Invariant 6: a drill grades fairly, proven on its variants.

Each variant of drill N is applied to step N's reference solution and the
drill's tests run on it: a wrong variant must make at least one of them fail
(by an assertion or an error of the store, not by breaking the import), an
alternative must make none fail.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from workshop.pytest_plugin import BROKEN_CODE
from workshop.source import Source, Tree
from workshop.treecheck import indent, run_pytest, write_tree
from workshop.variants import (
    ALTERNATIVE,
    VARIANT_FILE,
    WRONG,
    Variant,
    VariantError,
    load_variants,
)

MIN_WRONG, MIN_ALTERNATIVE = 2, 1


@dataclass
class VariantReport:
    wrong: int = 0
    caught: int = 0
    alternatives: int = 0
    accepted: int = 0
    problems: list[str] = field(default_factory=list)


def variants_by_step(source: Source) -> dict[int, list[Variant]]:
    """Every step's variants, read from the maintainer-only variant files."""
    found: dict[int, list[Variant]] = {}
    for path, data in sorted(source.maintainer.items()):
        if match := VARIANT_FILE.match(path):
            found[int(match[1])] = load_variants(path, data)
    return found


def drill_test_args(number: int) -> tuple[str, ...]:
    """pytest arguments that run drill ``number``'s tests and nothing else.

    ``--step`` collects only the test files that can hold them (see
    workshop/pytest_plugin.py) and keeps only the drill's tests among them.
    """
    return ("--step", str(number), "-m", "not stress")


def judge_variant(
    number: int,
    index: int,
    variant: Variant,
    solved: Tree,
    work: Path,
    repeat: int = 1,
    keep: bool = True,
) -> str | None:
    """Run variant ``index`` of drill ``number`` up to ``repeat`` times (a wrong
    one must be caught every time); None when it grades as its kind says,
    else the problem."""
    label = f"step {number:02d}: invariant 6"
    try:
        tree = variant.apply(solved)
    except VariantError as error:
        return f"{label} (variant no longer applies): {error}"
    folder = work / f"step-{number:02d}-variant-{index}"
    write_tree(tree, folder)
    args = (
        variant.tests + ("--step", str(number))
        if variant.tests
        else drill_test_args(number)
    )
    if variant.kind == WRONG:
        # Its verdict is known at the first failure by behaviour.
        args += ("--stop-at-behaviour",)
    runs = [run_pytest(folder, args)]
    while len(runs) < repeat and _verdict(variant, runs[-1]) is None:
        runs.append(run_pytest(folder, args))
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    problem = _verdict(variant, runs[-1])
    if problem is None:
        return None
    again = f" (run {len(runs)} of {repeat})" if repeat > 1 else ""
    return f"{label} {problem}{again}"


def variant_report(
    number: int, variants: list[Variant], problems: list[str | None]
) -> VariantReport:
    """Drill ``number``'s tally from each variant's problem (None: judged right)."""
    report = VariantReport()
    for variant, problem in zip(variants, problems, strict=True):
        report.wrong += variant.kind == WRONG
        report.alternatives += variant.kind == ALTERNATIVE
        if problem is None:
            report.caught += variant.kind == WRONG
            report.accepted += variant.kind == ALTERNATIVE
        else:
            report.problems.append(problem)
    if report.wrong < MIN_WRONG or report.alternatives < MIN_ALTERNATIVE:
        report.problems.append(
            f"step {number:02d}: invariant 6: {report.wrong} wrong and"
            f" {report.alternatives} alternative variant(s); a drill needs at least"
            f" {MIN_WRONG} and {MIN_ALTERNATIVE} (tests/variants/step_{number:02d}.py)"
        )
    return report


def _verdict(variant: Variant, results: dict) -> str | None:
    """None when the run is what the variant expects, else the problem."""
    tests = results.get("tests", {})
    failed = {n: t for n, t in tests.items() if t["outcome"] == "failed"}
    errors = results.get("collect_errors", [])
    status = results.get("exitstatus", 0)
    if not errors and status not in (0, 1):
        # An internal error or an interrupted run says nothing about the drill.
        return (
            f"({variant.kind} variant not judged): {variant.name!r}: pytest ended"
            f" with exit status {status} (crashed or interrupted)"
        )
    if variant.kind == WRONG:
        if not errors and any(t["error"] not in BROKEN_CODE for t in failed.values()):
            return None
        why = (
            "it does not even collect"
            if errors
            else "it breaks the code, not the behaviour"
            if failed
            else "every test passes"
        )
        return f"(wrong variant passes): {variant.name!r}: {why}"
    if not errors and not failed and tests:
        return None
    detail = "\n".join(
        f"{nodeid}: {t['error']}: {t['message'][:200]}"
        for nodeid, t in sorted(failed.items())
    ) or (errors[0]["message"] if errors else "no test ran")
    return f"(correct variant rejected): {variant.name!r}:\n" + indent(detail)
