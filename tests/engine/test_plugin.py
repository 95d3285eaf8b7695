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
        cwd=repo, capture_output=True, text=True, env={**os.environ, **(env or {})}, encoding="utf-8"
    )  # fmt: skip


def test_the_header_names_the_step_and_its_text_and_the_end_says_what_next(mini):
    learner.goto(1, mini)
    out = run_pytest(mini).stdout
    assert "Mini Drills: step 01 of steps 00-02, Multiplying" in out
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
        calc.read_text(encoding="utf-8").replace(
            'raise NotImplementedError(\n        "step 01: write mul() - the task is in workshop/steps/01-mul.md"\n    )',
            "return a * b",
        ),
        encoding="utf-8",
    )
    out = run_pytest(mini).stdout
    assert "workshop: step 01 passes" in out and "2 passed" in out


STUB = 'raise NotImplementedError(\n        "step 01: write mul() - the task is in workshop/steps/01-mul.md"\n    )'


def solve_mul(mini, body):
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8").replace(STUB, body), encoding="utf-8"
    )


def test_a_stub_reached_from_a_fixture_is_a_failure_of_the_test_not_an_error(mini):
    learner.goto(1, mini)
    (mini / "tests" / "test_step_01_fixture.py").write_text(
        "import pytest\n\nfrom app.calc import mul\n\n\n@pytest.fixture\n"
        "def product():\n    return mul(2, 3)\n\n\n"
        "def test_uses_the_product(product):\n    assert product == 6\n",
        encoding="utf-8",
    )
    out = run_pytest(mini).stdout
    assert "2 failed, 1 passed" in out and "error" not in out.splitlines()[-1]
    assert "this failure is expected" in out


def test_once_the_code_runs_the_end_names_the_first_failing_check(mini):
    learner.goto(1, mini)
    solve_mul(mini, "return a + b")
    out = run_pytest(mini).stdout
    assert "this failure is expected" not in out
    assert (
        "workshop: your code runs; 1 of 1 checks of step 01 still fail. First:"
        " tests/test_step_01_mul.py::test_mul_works: AssertionError" in out
    )


def test_a_warning_turned_into_an_error_is_named_as_a_warning(mini):
    learner.goto(1, mini)
    solve_mul(
        mini,
        "import warnings\n\n    warnings.warn('old call', DeprecationWarning)\n"
        "    return a * b",
    )
    out = run_pytest(mini).stdout
    assert (
        "workshop: a warning stopped tests/test_step_01_mul.py::test_mul_works" in out
    )
    assert "DeprecationWarning: old call" in out and "filterwarnings" in out


def test_a_step_whose_checks_did_not_all_run_is_not_called_passing(mini):
    learner.goto(1, mini)
    solve_mul(mini, "return a * b")
    (mini / "tests" / "test_step_01_server.py").write_text(
        "import pytest\n\n\ndef test_on_a_server():\n    pytest.skip('no server')\n",
        encoding="utf-8",
    )
    out = run_pytest(mini).stdout
    assert "step 01 passes" not in out
    assert "every check that ran passes, but 1 did not run (no server)" in out


def test_breaking_an_earlier_step_is_named(mini):
    learner.goto(2, mini)
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8").replace("return a + b", "return a - b"),
        encoding="utf-8",
    )
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
    data = json.loads(report.read_text(encoding="utf-8"))
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


def test_an_untouched_step_is_expected_even_when_its_failures_are_assertions(mini):
    learner.goto(1, mini)
    test = mini / "tests" / "test_step_01_mul.py"
    # A drill whose task is a declaration fails by assertion, not by a stub.
    test.write_text(
        test.read_text(encoding="utf-8")
        + "\n\ndef test_declared():\n    assert False\n",
        encoding="utf-8",
    )
    git(mini, "add", "-A")
    git(mini, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    git(mini, "tag", "-f", "step-01")
    out = run_pytest(mini).stdout
    assert "this failure is expected, it is your task" in out
    solve_mul(mini, "return a * b")
    assert (
        "your code runs; 1 of 2 checks of step 01 still fail" in run_pytest(mini).stdout
    )


def test_step_collects_only_the_files_that_can_hold_the_steps_tests(mini, tmp_path):
    tests = mini / "tests"
    (tests / "test_step_00_broken.py").write_text(
        "import no_such_module\n", encoding="utf-8"
    )
    # A module beside a test file may mark its tests (the contract suite's backends).
    (tests / "shared").mkdir()
    (tests / "shared" / "marks.py").write_text(
        "import pytest\n\nSTEP = pytest.mark.step(1)\n",
        encoding="utf-8",
    )
    (tests / "shared" / "test_shared.py").write_text(
        "from marks import STEP\n\n\n@STEP\ndef test_shared():\n    pass\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    run_pytest(mini, "--step", "1", env={"WORKSHOP_REPORT": str(report)})
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["collect_errors"] == []
    assert sorted(data["tests"]) == [
        "tests/shared/test_shared.py::test_shared",
        "tests/test_step_01_mul.py::test_mul_works",
    ]
    assert "no_such_module" in run_pytest(mini, "--step", "0").stdout


def test_stop_at_behaviour_ends_the_run_at_the_first_failure_not_by_broken_code(
    mini, tmp_path
):
    (mini / "tests" / "test_step_01_more.py").write_text(
        "def test_a():\n    undefined_name\n\n\ndef test_b():\n    assert False\n\n\n"
        "def test_c():\n    assert False\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    result = run_pytest(
        mini, "--step", "1", "--stop-at-behaviour", "tests/test_step_01_more.py",
        env={"WORKSHOP_REPORT": str(report)},
    )  # fmt: skip
    assert result.returncode == 1
    ran = json.loads(report.read_text(encoding="utf-8"))["tests"]
    assert {nodeid.rsplit("::", 1)[1]: t["error"] for nodeid, t in ran.items()} == {
        "test_a": "NameError",
        "test_b": "AssertionError",
    }


def test_stress_from_deselects_the_stress_tests_of_earlier_steps_only(mini, tmp_path):
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'markers = ["step(n): the drill"]',
            'markers = ["step(n): the drill", "stress: a smoke test"]',
        ),
        encoding="utf-8",
    )
    stress = (
        "import pytest\n\n\n@pytest.mark.stress\ndef test_{0}_stress():\n    pass\n"
    )
    for name in ("test_step_00_more.py", "test_step_01_more.py", "test_nobodys.py"):
        (mini / "tests" / name).write_text(stress.format(name[5:12]), encoding="utf-8")
    report = tmp_path / "report.json"
    run_pytest(
        mini, "--stress-from", "1", "-k", "stress", env={"WORKSHOP_REPORT": str(report)}
    )
    ran = json.loads(report.read_text(encoding="utf-8"))["tests"]
    assert sorted(ran) == ["tests/test_step_01_more.py::test_step_01_stress"]
