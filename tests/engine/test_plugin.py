"""The pytest plugin: the step header, the closing line, the report."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.engine.conftest import git
from workshop import learner


def run_pytest(repo, *args, env=None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=repo, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_the_header_names_the_step_and_its_text_and_the_end_says_what_next(mini):
    learner.goto(1, mini)
    out = run_pytest(mini).stdout
    assert "Mini Drills: step 01 of 02, Multiplying" in out
    assert "task: workshop/steps/01-mul.md" in out
    assert (
        "workshop: this failure is expected, it is your task. Next: write mul() in app/calc.py"
        " (see workshop/steps/01-mul.md)." in out
    )
    assert out.rstrip().splitlines()[-1].startswith("=") and "1 failed, 1 passed" in out


def test_a_solved_step_says_so(mini):
    learner.goto(1, mini)
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text().replace(
            'raise NotImplementedError(\n        "step 01: write mul() - the task is in workshop/steps/01-mul.md"\n    )',
            "return a * b",
        )
    )
    out = run_pytest(mini).stdout
    assert "workshop: step 01 passes" in out and "2 passed" in out


def test_breaking_an_earlier_step_is_named(mini):
    learner.goto(2, mini)
    calc = mini / "app" / "calc.py"
    calc.write_text(calc.read_text().replace("return a + b", "return a - b"))
    out = run_pytest(mini).stdout
    assert "workshop: tests of step 00 fail" in out


def test_on_main_the_header_says_every_step_is_solved(mini):
    out = run_pytest(mini).stdout
    assert "Mini Drills: main, the source, all 3 steps solved" in out
    assert "3 passed" in out


def test_the_report_gives_each_tests_step_and_failure(mini, tmp_path):
    learner.goto(1, mini)
    report = tmp_path / "report.json"
    run_pytest(mini, "-q", env={"WORKSHOP_REPORT": str(report)})
    data = json.loads(report.read_text())
    assert data["current"] == "step-01"
    tests = data["tests"]
    mul = tests["tests/test_step_01_mul.py::test_mul_works"]
    assert (mul["step"], mul["outcome"], mul["error"]) == (
        1,
        "failed",
        "NotImplementedError",
    )
    assert "step 01" in mul["message"]
    assert tests["tests/test_step_00_add.py::test_add_works"]["outcome"] == "passed"
    assert git(mini, "status", "--porcelain") == ""
