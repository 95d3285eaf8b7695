"""The `workshop` command: one entry point for learners, instructors and CI."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from workshop import classroom, git, learner, room_cli, safety, sync, track_cli
from workshop.build import BuildRefused, build, solution_ref
from workshop.manifest import ManifestError, load_manifest
from workshop.markers import MarkerError

if TYPE_CHECKING:
    from workshop.source import Source
    from workshop.verify import StepReport

console = Console(highlight=False)
if not console.is_terminal:
    console = Console(highlight=False, width=160)


def _say(lines: list[str]) -> int:
    for line in lines:
        console.print(line, markup=False, soft_wrap=True)
    return 0


def parse_steps(text: str | None) -> list[int] | None:
    """'3', '0-10' or '1,4-6' -> a list of step numbers."""
    if not text:
        return None
    numbers: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        if not low.isdigit() or high and not high.isdigit():
            raise ManifestError(
                f"--steps {text!r}: {part!r} is not a step or a range (try 4, 4-10 or 1,3)"
            )
        if high and int(high) < int(low):
            raise ManifestError(
                f"--steps {text!r}: {part!r} runs backwards (try {high}-{low})"
            )
        numbers.extend(range(int(low), int(high or low) + 1))
    return numbers


def _source(root: Path, name: str) -> Source:
    from workshop.source import load_from_dir, load_from_git

    return load_from_dir(root) if name == "worktree" else load_from_git(root, name)


def cmd_build(args: argparse.Namespace) -> int:
    root = git.toplevel(Path.cwd())
    args.source = args.source or classroom.source_ref(root) or "main"
    if args.dry_run:
        from workshop.build import plan

        started = time.monotonic()
        items = plan(_source(root, args.source))
        seconds = time.monotonic() - started
        return _say(
            [
                f"rendered {len(items)} trees from {args.source} in {seconds:.2f} s; nothing written"
            ]
        )
    if args.source == "worktree":
        raise learner.LearnerError(
            "tags are built from a commit: commit your changes, then `workshop build`"
        )
    started = time.monotonic()
    try:
        result = build(root, args.source, force=args.force)
    except BuildRefused as refused:
        raise BuildRefused(f"{refused}\n{classroom.rebuild_advice(root)}") from None
    seconds = time.monotonic() - started
    lines = [f"built {len(result.tags)} tags from {args.source} in {seconds:.2f} s"]
    for label, names in (
        ("created", result.created),
        ("moved", result.moved),
        ("unchanged", result.unchanged),
    ):
        if names:
            lines.append(f"  {label}: {', '.join(names)}")
    return _say(lines)


def cmd_verify(args: argparse.Namespace) -> int:
    from workshop.verify import verify

    root = git.toplevel(Path.cwd())
    started = time.monotonic()
    source = _source(root, args.source)
    wanted = parse_steps(args.steps)
    if wanted is not None and not set(wanted) & set(source.manifest.numbers):
        known = source.manifest.numbers
        raise ManifestError(
            f"--steps {args.steps}: no such step (the manifest lists {known[0]:02d}-{known[-1]:02d})"
        )
    reports = verify(
        source,
        wanted,
        args.jobs,
        args.keep,
        variants=not args.no_variants,
        repeat=args.repeat,
        progress=_progress,
    )
    table = Table(title=f"workshop verify ({args.source})")
    for column in (
        "step",
        "title",
        "earlier tests passed",
        "own tests failing",
        "wrong variants caught",
        "alternatives passing",
        "seconds",
        "result",
    ):
        table.add_column(column)
    for report in reports:
        if report.label == "diffs":
            continue
        own = (
            f"{report.own_failed}/{report.own_total}"
            if report.label != "final"
            else "-"
        )
        table.add_row(
            report.label, report.title, f"{report.earlier_passed}/{report.earlier_total}",
            own, *_variant_cells(report), f"{report.seconds:.1f}",
            "ok" if report.ok else "BROKEN",
        )  # fmt: skip
    console.print(table)
    problems = [problem for report in reports for problem in report.problems]
    for problem in problems:
        console.print(problem, markup=False, style="red")
    total = time.monotonic() - started
    verdict = (
        "every invariant holds"
        if not problems
        else f"{len(problems)} broken invariant(s)"
    )
    console.print(f"verify: {verdict} ({total:.1f} s)")
    return 1 if problems else 0


def _progress(report: StepReport, done: int, total: int) -> None:
    verdict = "ok" if report.ok else f"BROKEN ({len(report.problems)} problems)"
    console.print(
        f"verify [{done}/{total}] {report.label}: {verdict}, {report.seconds:.1f} s",
        markup=False,
    )


def _variant_cells(report: StepReport) -> tuple[str, str]:
    found = report.variants
    if found is None:
        return "-", "-"
    return f"{found.caught}/{found.wrong}", f"{found.accepted}/{found.alternatives}"


def cmd_doctor(args: argparse.Namespace) -> int:
    from workshop.doctor import FAIL, OK, run_checks

    root = git.toplevel(Path.cwd())
    checks = run_checks(root)
    table = Table(title="workshop doctor")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column, overflow="fold")
    for check in checks:
        colour = (
            "green"
            if check.status == OK
            else "red"
            if check.status == FAIL
            else "yellow"
        )
        table.add_row(
            check.name, f"[{colour}]{check.status}[/]", check.detail, check.fix
        )
    console.print(table)
    failed = [c.name for c in checks if c.status == FAIL]
    console.print(
        "doctor: ready" if not failed else f"doctor: fix {', '.join(failed)} first"
    )
    return 1 if failed else 0


def cmd_start(args: argparse.Namespace) -> int:
    lines = track_cli.start(git.toplevel(Path.cwd()), args.track, args.step)
    lines.append(
        "`workshop check` runs this step's tests; `workshop hint` gives a hint."
    )
    return _say(lines)


def cmd_check(args: argparse.Namespace) -> int:
    current = learner.here()
    step = current.step  # raises a friendly error when not on a step
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--step",
        "current",
    ]
    with room_cli.reporting(current.root, step.number) as env:
        return subprocess.run(command, cwd=current.root, env=env).returncode


def cmd_watch(args: argparse.Namespace) -> int:
    current = learner.here()
    current.step  # noqa: B018
    console.print(
        "watching every file of the workshop (not those git ignores):"
        " save one to re-run the check; Ctrl-C stops"
    )
    try:
        learner.watch(current.root, lambda: cmd_check(args))
    except KeyboardInterrupt:
        pass
    return 0


def _git_passthrough(root: Path, git_args: list[str], header: str) -> int:
    console.print(header, markup=False)
    return git.passthrough(git_args, root)


def cmd_solution(args: argparse.Namespace) -> int:
    root, git_args = learner.solution_args()
    return _git_passthrough(root, git_args, "the reference solution of this drill:")


def cmd_diff(args: argparse.Namespace) -> int:
    root, git_args = learner.diff_args()
    return _git_passthrough(
        root, git_args, "lines with - are the reference solution, + are yours:"
    )


def cmd_index(args: argparse.Namespace) -> int:
    from workshop import index

    root = git.toplevel(Path.cwd())
    guide = root / "WORKSHOP.md"
    text = guide.read_text(encoding="utf-8")
    fresh = index.refresh(text, load_manifest(root).steps)
    if fresh == text:
        return _say(["WORKSHOP.md: the index of steps is up to date"])
    if args.check:
        console.print("WORKSHOP.md: the index of steps is stale; run `workshop index`")
        return 1
    guide.write_text(fresh, encoding="utf-8")
    return _say(["WORKSHOP.md: index of steps rewritten"])


def cmd_book(args: argparse.Namespace) -> int:
    from workshop import book

    root = git.toplevel(Path.cwd())
    numbers = load_manifest(root).numbers  # the diffs come from the solution refs
    learner.ensure_refs(root, [solution_ref(n) for n in numbers], "the solution refs")
    try:
        pages = book.write_book(root, Path(args.out), instructor=args.instructor)
    except book.BookError as error:
        raise learner.LearnerError(str(error)) from None
    view = "instructor" if args.instructor else "learner"
    return _say([f"the book ({view} view): {len(pages)} pages; open {pages[0]}"])


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="workshop", description="Persistence Drills: the workshop's own command."
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "doctor", help="check Python, packages, git, sqlite3 and PostgreSQL"
    ).set_defaults(run=cmd_doctor)
    start = sub.add_parser("start", help="build the steps if needed and go to step 00")
    start.add_argument("step", nargs="?", type=int, help="default: the first one")
    start.add_argument("--track", help="follow a track: one-day, full, ...")
    start.set_defaults(run=cmd_start)
    sub.add_parser(
        "status", help="which step, which task, how many tests pass"
    ).set_defaults(run=lambda a: _say(learner.status() + track_cli.status_lines()))
    sub.add_parser("check", help="run the current step's tests").set_defaults(
        run=cmd_check
    )
    hint = sub.add_parser("hint", help="the next hint (or hint LEVEL)")
    hint.add_argument("level", nargs="?", type=int)
    hint.set_defaults(run=lambda a: _say(learner.hint(a.level)))
    sub.add_parser("text", help="print the current step's text").set_defaults(
        run=lambda a: _say(track_cli.text_lines())
    )
    sub.add_parser(
        "solution", help="the reference solution of the current drill"
    ).set_defaults(run=cmd_solution)
    sub.add_parser("diff", help="my work against the reference solution").set_defaults(
        run=cmd_diff
    )
    goto = sub.add_parser("goto", help="jump to step N (your work is saved first)")
    goto.add_argument("step", type=int)
    goto.set_defaults(run=lambda a: _say(room_cli.after_move(learner.goto(a.step))))
    sub.add_parser(
        "next", help="go to the next step (your work is saved first)"
    ).set_defaults(run=lambda a: _say(room_cli.after_move(track_cli.next_step())))
    watch = sub.add_parser("watch", help="re-run the check whenever a file is saved")
    watch.set_defaults(run=cmd_watch)
    build_cmd = sub.add_parser(
        "build", help="generate the step tags from main (instructors, CI)"
    )
    build_cmd.add_argument("--force", action="store_true", help="move tags that differ")
    build_cmd.add_argument(
        "--source",
        help="a ref (default: main, else the class remote's main),"
        " or 'worktree' with --dry-run",
    )
    build_cmd.add_argument(
        "--dry-run", action="store_true", help="render every step, write nothing"
    )
    build_cmd.set_defaults(run=cmd_build)
    publish = sub.add_parser(
        "publish",
        help="push main, the step tags and the solutions to the class remote"
        " in one atomic push (instructors)",
    )
    publish.add_argument("remote", help="the class remote, e.g. class or origin")
    publish.set_defaults(
        run=lambda a: _say(classroom.publish(git.toplevel(Path.cwd()), a.remote))
    )
    sync_cmd = sub.add_parser(
        "sync", help="take the class remote's step tags and solutions; say what changed"
    )
    sync_cmd.add_argument(
        "remote", nargs="?", help="default: origin, or the only remote"
    )
    sync_cmd.set_defaults(
        run=lambda a: _say(sync.sync(git.toplevel(Path.cwd()), a.remote))
    )
    verify_cmd = sub.add_parser(
        "verify", help="check every step's invariants (instructors, CI)"
    )
    verify_cmd.add_argument(
        "--source", default="main", help="a ref, or 'worktree' for uncommitted work"
    )
    verify_cmd.add_argument("--steps", help="e.g. 4-10 or 1,3")
    verify_cmd.add_argument(
        "--no-variants",
        action="store_true",
        help="skip invariant 6 (the drills' wrong and alternative variants)",
    )
    verify_cmd.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each variant N times; a wrong one must fail every time",
    )
    verify_cmd.add_argument(
        "--jobs", type=int, help="parallel steps (default: one per core)"
    )
    verify_cmd.add_argument(
        "--keep", action="store_true", help="keep the generated trees for inspection"
    )
    verify_cmd.set_defaults(run=cmd_verify)
    book_cmd = sub.add_parser("book", help="the workshop as a static web site")
    book_cmd.add_argument("out", help="the folder to write (new, or an older book)")
    book_cmd.add_argument(
        "--instructor", action="store_true", help="include the instructor notes"
    )
    book_cmd.set_defaults(run=cmd_book)
    room_cli.add_parser(sub)
    track_cli.add_parser(sub)
    index_cmd = sub.add_parser(
        "index", help="rewrite the index of steps in WORKSHOP.md (maintainers)"
    )
    index_cmd.add_argument(
        "--check", action="store_true", help="fail if the index is stale"
    )
    index_cmd.set_defaults(run=cmd_index)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (
        learner.LearnerError,
        safety.Refused,
        classroom.ClassRemoteError,
        BuildRefused,
        MarkerError,
        ManifestError,
        git.GitError,
    ) as error:
        console.print(f"workshop: {error}", markup=False, style="red", soft_wrap=True)
        return 2
