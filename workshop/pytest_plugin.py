"""The workshop's pytest plugin: which step this is, and what to do next.

It adds a header line and a closing line; pytest's own summary line, which CI
reads, is never changed. With WORKSHOP_REPORT=<file> it also writes each
test's step and outcome as JSON, which `workshop verify` reads.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from workshop import git
from workshop.manifest import Manifest, ManifestError, load_manifest

STEP_FILE = re.compile(r"test_step_(\d{2})_")
STUB_MESSAGE = re.compile(r"step \d{2}: write ")  # what the builder's stubs raise
STEP_MARK = re.compile(rb"mark\.step\(\s*(\w+)")
# A failure by one of these says the code is broken, not how it behaves.
BROKEN_CODE = {"SyntaxError", "ImportError", "ModuleNotFoundError", "NameError", "IndentationError"}  # fmt: skip
_MANIFEST = pytest.StashKey[Manifest | None]()
_RESULTS = pytest.StashKey[dict[str, dict[str, Any]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workshop")
    group.addoption(
        "--step",
        dest="workshop_step",
        default=None,
        help="run only the tests of this step (a number, or 'current')",
    )
    group.addoption(
        "--stop-at-behaviour",
        action="store_true",
        default=False,
        help="stop at the first test that fails by its behaviour, not by broken"
        " code (enough to judge a wrong variant)",
    )
    group.addoption(
        "--stress-from",
        dest="workshop_stress_from",
        type=int,
        default=None,
        metavar="N",
        help="deselect the stress tests (mark.stress) of steps before N and of no"
        " step (workshop verify: a stress test runs at its own step, the next"
        " one, and on the final tree)",
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        manifest: Manifest | None = load_manifest(Path(config.rootpath))
    except ManifestError:
        manifest = None
    config.stash[_MANIFEST] = manifest
    config.stash[_RESULTS] = {}


def step_of(item: pytest.Item) -> int | None:
    """The drill a test belongs to: its step marker, else its file name."""
    marker = item.get_closest_marker("step")
    if marker is not None:
        return int(marker.args[0])
    match = STEP_FILE.search(item.path.name)
    return int(match[1]) if match else None


def pytest_report_header(config: pytest.Config) -> list[str]:
    manifest = config.stash.get(_MANIFEST, None)
    if manifest is None:
        return []
    step = manifest.current_step
    if step is None:
        where = (
            "the finished workshop"
            if manifest.current == "final"
            else "main, the source"
        )
        return [f"{manifest.title}: {where}, all {len(manifest.steps)} steps solved"]
    first = manifest.steps[0].number
    return [
        f"{manifest.title}: step {step.number:02d} of steps {first:02d}-{manifest.last_number:02d},"
        f" {step.title}",
        f"task: {step.text_path} (workshop hint for a hint)",
    ]


def _wanted_step(config: pytest.Config) -> int | None:
    wanted = config.getoption("workshop_step")
    if wanted is None:
        return None
    if wanted != "current":
        return int(wanted)
    manifest = config.stash.get(_MANIFEST, None)
    if manifest is None or manifest.current_step is None:
        raise pytest.UsageError(
            "--step current needs a generated step (git checkout step-NN)"
        )
    return manifest.current_step.number


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With --step N, skip the test files that cannot hold a test of step N.

    A test belongs to a step by its file name or by a ``mark.step(N)`` in its
    file or in a module beside it (the contract suite's backends), so only
    those files are imported: the run costs what the step's own tests cost.
    """
    name = collection_path.name
    if not (name.startswith("test_") and name.endswith(".py")):
        return None
    number = _wanted_step(config)
    if number is None:
        return None
    match = STEP_FILE.match(name)
    if match and int(match[1]) == number:
        return None
    folder = collection_path.parent
    if _marks_step(collection_path, number) or any(
        _marks_step(module, number)
        for module in folder.glob("*.py")
        if not module.name.startswith("test_")
    ):
        return None
    return True


def _marks_step(path: Path, number: int) -> bool:
    """True if ``path`` may mark a test with step ``number`` (or with a name)."""
    return any(
        not mark.isdigit() or int(mark) == number
        for mark in STEP_MARK.findall(path.read_bytes())
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    number = _wanted_step(config)
    stress_from = config.getoption("workshop_stress_from")
    if number is None and stress_from is None:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        owner = step_of(item)
        wanted = number is None or owner == number
        if stress_from is not None and item.get_closest_marker("stress"):
            wanted = wanted and owner is not None and owner >= stress_from
        (keep if wanted else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    results = item.config.stash[_RESULTS]
    entry = results.setdefault(
        item.nodeid,
        {"step": step_of(item), "outcome": "passed", "error": None, "message": ""},
    )
    excinfo = call.excinfo
    if report.when == "setup" and report.failed and _is_stub(excinfo):
        # A stub reached from a fixture is the drill's task, not a broken test:
        # report it as the test's failure, as if the test had called the stub.
        report.when = "call"
    if report.failed and entry["outcome"] != "failed":
        entry["outcome"] = "failed"
        if excinfo is not None:
            entry["error"] = excinfo.typename
            entry["message"] = str(excinfo.value)[:500]
            entry["warning"] = excinfo.errisinstance(Warning)
        if (
            item.config.getoption("stop_at_behaviour")
            and entry["error"] not in BROKEN_CODE
        ):
            item.session.shouldfail = f"{item.nodeid} fails by its behaviour"
    elif report.skipped and entry["outcome"] == "passed":
        entry["outcome"] = "skipped"
        if isinstance(report.longrepr, tuple):
            entry["message"] = str(report.longrepr[2]).removeprefix("Skipped: ")
    return report


def _is_stub(excinfo: pytest.ExceptionInfo[BaseException] | None) -> bool:
    return (
        excinfo is not None
        and excinfo.errisinstance(NotImplementedError)
        and STUB_MESSAGE.match(str(excinfo.value)) is not None
    )


def is_stub_failure(entry: dict[str, Any]) -> bool:
    """A test that failed because it reached its own step's stub."""
    return (
        entry["error"] == "NotImplementedError"
        and entry["step"] is not None
        and str(entry["message"]).startswith(f"step {entry['step']:02d}:")
    )


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        session_errors.append(
            {"nodeid": report.nodeid, "message": str(report.longrepr)[-800:]}
        )


session_errors: list[dict[str, str]] = []


def _by_step(
    config: pytest.Config,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    manifest = config.stash.get(_MANIFEST, None)
    current = (
        manifest.current_step.number if manifest and manifest.current_step else None
    )
    failed = [r for r in config.stash[_RESULTS].values() if r["outcome"] == "failed"]
    mine = [r for r in failed if current is not None and r["step"] == current]
    others = [r for r in failed if r not in mine]
    return mine, others


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> Generator[None, None, None]:
    # Outside pytest's own wrapper, so the line comes after the short summary
    # and right before pytest's closing line.
    result = yield
    _closing_line(terminalreporter, config)
    return result


def _closing_line(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    manifest = config.stash.get(_MANIFEST, None)
    if manifest is None:
        return
    step = manifest.current_step
    if manifest.current is None:
        return  # main, the source: maintainers read pytest's own summary
    results = config.stash[_RESULTS]
    mine, others = _by_step(config)
    write = terminalreporter.write_line
    if session_errors:
        write(
            "workshop: a test file could not be collected: fix that first (the error is above)."
        )
    elif others:
        steps = sorted({f"{r['step']:02d}" for r in others if r["step"] is not None})
        names = f"step {', '.join(steps)}" if steps else "the workshop"
        write(
            f"workshop: tests of {names} fail; a change broke them (git diff shows what changed)."
        )
    elif step is not None and mine:
        write(_mine_failing(step, mine, results, _untouched(config.rootpath, step.tag)))
    elif step is not None and any(r["step"] == step.number for r in results.values()):
        skipped = [
            r
            for r in results.values()
            if r["step"] == step.number and r["outcome"] == "skipped"
        ]
        if skipped:
            write(
                f"workshop: step {step.number:02d}: every check that ran passes, but"
                f" {len(skipped)} did not run ({skipped[0]['message']}); the step is"
                " done when they run and pass."
            )
        else:
            write(
                f"workshop: step {step.number:02d} passes. Compare with the reference:"
                " workshop solution; then move on: workshop next."
            )


def _untouched(root: Path, tag: str) -> bool:
    """True when the tree is the step as generated: no change of the learner's yet."""
    try:
        return git.out("status", "--porcelain", cwd=root) == "" and git.out(
            "rev-parse", "HEAD", cwd=root
        ) == git.out("rev-parse", f"{tag}^{{commit}}", cwd=root)
    except (git.GitError, OSError):
        return False


def _mine_failing(
    step: Any, mine: list[dict[str, Any]], results: dict, untouched: bool = False
) -> str:
    """The closing line while the current step's tests fail: the truth about why.

    Expected while every failure is a stub of this step, or while nothing has
    been changed yet (a drill whose task is to declare, not to fill in a stub).
    """
    stubs = [r for r in mine if is_stub_failure(r)]
    if len(stubs) == len(mine) or untouched:
        return (
            f"workshop: this failure is expected, it is your task. Next: {step.task}"
            f" (see {step.text_path})."
        )
    first_id, first = next(
        (nodeid, r) for nodeid, r in results.items() if r in mine and r not in stubs
    )
    message = (str(first["message"]).strip().splitlines() or [""])[0][:160]
    total = sum(r["step"] == step.number for r in results.values())
    if first.get("warning"):
        return (
            f"workshop: a warning stopped {first_id}: {first['error']}: {message}."
            " The tests turn warnings into errors (filterwarnings = error in"
            " pyproject.toml): change the call the warning names, as its docs say."
        )
    still = (
        f"; {len(stubs)} still reach a stub of step {step.number:02d}" if stubs else ""
    )
    return (
        f"workshop: your code runs; {len(mine)} of {total} checks of step"
        f" {step.number:02d} still fail{still}. First: {first_id}: {first['error']}:"
        f" {message}"
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("WORKSHOP_REPORT")
    if not target:
        return
    manifest = session.config.stash.get(_MANIFEST, None)
    payload = {
        "current": manifest.current if manifest else None,
        "exitstatus": int(exitstatus),
        "collect_errors": session_errors,
        "tests": session.config.stash.get(_RESULTS, {}),
    }
    Path(target).write_text(json.dumps(payload, indent=1), encoding="utf-8")
