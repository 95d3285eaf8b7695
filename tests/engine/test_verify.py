"""The verifier proves the invariants, and names the step when one breaks."""

from __future__ import annotations

import json

from tests.engine.conftest import commit_all
from workshop import forkrun
from workshop.source import load_from_dir, load_from_git
from workshop.treecheck import run_pytest
from workshop.verify import check_minimal_diffs, verify


def problems(reports):
    return [problem for report in reports for problem in report.problems]


def test_a_sound_workshop_verifies(mini):
    reports = verify(load_from_git(mini, "main"), jobs=2)
    assert problems(reports) == []
    labels = [report.label for report in reports]
    assert labels == ["step-00", "step-01", "step-02", "final"]
    step_01 = reports[1]
    assert (step_01.earlier_passed, step_01.own_failed, step_01.own_total) == (1, 1, 1)


def test_a_broken_solution_on_main_is_named_with_its_step(mini):
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8").replace("return a * b", "return a + b"),
        encoding="utf-8",
    )
    commit_all(mini, "break mul")
    found = problems(verify(load_from_git(mini, "main"), jobs=2))
    assert any(
        p.startswith("step 02: invariant 2")
        and "test_step_01_mul.py" in p
        and "(step 01)" in p
        for p in found
    ), found
    assert any(p.startswith("final: invariant 5") for p in found)


def test_a_solution_left_outside_its_markers_is_caught(mini):
    calc = mini / "app" / "calc.py"
    text = (
        calc.read_text(encoding="utf-8")
        .replace("# >>> solution 02\n", "")
        .replace("# <<<\n", "# <<<\n", 2)
    )
    text = text.rsplit("# <<<\n", 1)[0]
    calc.write_text(text, encoding="utf-8")
    found = problems(verify(load_from_dir(mini), steps=[2], jobs=1))
    assert any(
        "every test of step 02 passes before the drill is done" in p for p in found
    ), found


def test_a_test_failing_for_the_wrong_reason_is_caught(mini):
    test = mini / "tests" / "test_step_01_mul.py"
    test.write_text(
        test.read_text(encoding="utf-8").replace(
            "from app.calc import mul", "from app.calc import mul, sub"
        ),
        encoding="utf-8",
    )
    found = problems(verify(load_from_dir(mini), steps=[1], jobs=1))
    assert any(p.startswith("step 01: invariant 3 (collection)") for p in found), found


def test_lint_is_checked_at_every_step(mini):
    calc = mini / "app" / "calc.py"
    original = calc.read_text(encoding="utf-8")
    doc = '"""Tiny calculator drills."""\n'
    calc.write_text(
        original.replace(doc, doc + "\nimport os  # solution 02\n"), encoding="utf-8"
    )
    assert problems(verify(load_from_dir(mini), steps=[1], jobs=1)) == []
    calc.write_text(original.replace(doc, doc + "\nimport os\n"), encoding="utf-8")
    found = problems(verify(load_from_dir(mini), steps=[1], jobs=1))
    assert any("invariant 1 (lint)" in p and "F401" in p for p in found), found


def test_types_are_checked_at_every_step_naming_each_error(mini):
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8") + 'ZERO: int = "0"  # since 01\n',
        encoding="utf-8",
    )
    assert problems(verify(load_from_dir(mini), steps=[0], jobs=1)) == []
    found = problems(verify(load_from_dir(mini), steps=[1], jobs=1))
    assert any(
        p.startswith("step 01: invariant 7 (types)")
        and "app/calc.py:" in p
        and "[assignment]" in p
        for p in found
    ), found


def test_a_drills_own_tests_are_type_checked_from_the_next_step_on(mini):
    test = mini / "tests" / "test_step_01_mul.py"
    test.write_text(
        test.read_text(encoding="utf-8")
        + "\n\ndef never_called() -> str:\n    return mul(6, 1).hex()\n",
        encoding="utf-8",
    )
    found = problems(verify(load_from_dir(mini), steps=[1, 2], jobs=1))
    typed = [p for p in found if "invariant 7" in p]
    assert [p.split(":")[0] for p in typed] == ["step 02", "final"], found
    assert all("tests/test_step_01_mul.py:" in p for p in typed)


def test_the_minimal_diff_rule_flags_a_change_no_marker_explains(mini):
    source = load_from_git(mini, "main")
    from workshop.source import render_tree

    start, solved = render_tree(source, 1), render_tree(source, 1, solved=True)
    assert check_minimal_diffs(source, {1: (start, solved)}) == []
    tampered = dict(solved)
    tampered["app/__init__.py"] = ("100644", b'"""Changed."""\n')
    found = check_minimal_diffs(source, {1: (start, tampered)})
    assert found and "app/__init__.py" in found[0]


def test_a_marker_naming_an_unknown_step_is_an_error_with_file_and_line(mini):
    from workshop.markers import MarkerError

    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8") + "\n\nLATER = 1  # since 09\n",
        encoding="utf-8",
    )
    try:
        load_from_dir(mini)
    except MarkerError as error:
        assert str(error).startswith("app/calc.py:")
        assert "unknown step 09" in str(error)
    else:
        raise AssertionError("an unknown step must be refused")


def test_a_marker_in_a_file_the_builder_cannot_parse_is_flagged_as_residue(mini):
    (mini / "app" / "template.txt").write_text(
        "header\n# >>> since 01\nbody\n# <<<\n", encoding="utf-8"
    )
    found = problems(verify(load_from_dir(mini), steps=[0], jobs=1))
    assert any("invariant 4 (markers left): app/template.txt" in p for p in found), (
        found
    )


def test_a_tree_that_does_not_install_is_caught(mini):
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            "dependencies = []", 'dependencies = "pytest"'
        ),
        encoding="utf-8",
    )
    found = problems(verify(load_from_dir(mini), steps=[0], jobs=1))
    assert any("invariant 1 (installs)" in p for p in found), found


def test_texts_and_code_may_name_only_steps_the_manifest_lists():
    from workshop.treecheck import unknown_steps

    tree = {
        "workshop/steps/01-x.md": ("100644", b"See step 02, and steps 03-35.\n"),
        "app/a.py": ("100644", b"# rewritten at step 40\n"),
        "workshop/AUTHORING.md": ("100644", b"step 99 is maintainers' business\n"),
        "tests/test_step_01_x.py": ("100644", b"# step 77\n"),
    }
    found = unknown_steps(tree, {0, 1, 2, 3}, "final")
    assert found == [
        "final: invariant 7 (unknown step): app/a.py:1 names step 40, which the manifest does not list",
        "final: invariant 7 (unknown step): workshop/steps/01-x.md:1 names step 35, which the manifest does not list",
    ]


PROBE = """\
import json, os, sys

import app.calc


def test_probe():
    seen = {
        "cwd": os.getcwd(),
        "path": sys.path[:2],
        "env": {k: os.environ.get(k) for k in ("PYTHONPATH", "WORKSHOP_REPORT", "X")},
        "app": app.calc.__file__,
        "bytecode": sys.dont_write_bytecode,
    }
    with open(os.environ["X"], "a", encoding="utf-8") as out:
        out.write(json.dumps(seen) + "\\n")
"""


def test_a_run_through_a_fork_server_sees_what_a_fresh_run_sees(
    mini, tmp_path, monkeypatch
):
    (mini / "tests" / "test_probe.py").write_text(PROBE, encoding="utf-8")
    seen = tmp_path / "seen.jsonl"
    monkeypatch.setenv("X", str(seen))
    fresh = run_pytest(mini, ("tests/test_probe.py",))
    with forkrun.servers():
        served = run_pytest(mini, ("tests/test_probe.py",))
    assert fresh == served
    assert fresh["tests"]["tests/test_probe.py::test_probe"]["outcome"] == "passed"
    first, second = [
        json.loads(line) for line in seen.read_text(encoding="utf-8").splitlines()
    ]
    assert first == second
    assert first["app"] == str(mini / "app" / "calc.py")


def test_a_stress_test_runs_at_its_next_step_and_on_the_final_tree_only(mini):
    # A stress test of step 00 that fails wherever STRESSED is set: from step
    # 02 on. Step 01 (its drill's first solved tree) runs it and passes; step
    # 02 leaves it to the final tree, which runs every test and names it.
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(
            'markers = ["step(n): the drill"]',
            'markers = ["step(n): the drill", "stress: a smoke test"]',
        ),
        encoding="utf-8",
    )
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8")
        + "STRESSED = False  # until 02\nSTRESSED = True  # since 02\n",
        encoding="utf-8",
    )
    test = mini / "tests" / "test_step_00_add.py"
    test.write_text(
        test.read_text(encoding="utf-8").replace(
            "from app.calc import add\n", "import pytest\n\nfrom app.calc import add\n"
        )
        + "\n\n@pytest.mark.stress\ndef test_add_under_stress():\n"
        "    from app import calc\n\n    assert add(1, 1) == 2 and not calc.STRESSED\n",
        encoding="utf-8",
    )
    commit_all(mini, "a stress test")
    reports = verify(load_from_git(mini, "main"), jobs=2, variants=False)
    found = problems(reports)
    assert [p.split(":")[0] for p in found] == ["final"], found
    assert "test_add_under_stress" in found[0]
    step_01, step_02 = reports[1], reports[2]
    assert (step_01.earlier_passed, step_02.earlier_passed) == (2, 2)


def test_a_step_that_breaks_an_earlier_drill_is_caught_at_that_step(mini):
    # The break lives in step 01's tree only: neither main nor the final
    # tree has it, so only step 01's earlier-tests invariant can see it.
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8").replace(
            "    return a + b\n",
            "    return a + b + OFFSET\n",
        )
        + "OFFSET = 0  # until 01\nOFFSET = 1  # since 01 until 02\n"
        "OFFSET = 0  # since 02\n",
        encoding="utf-8",
    )
    commit_all(mini, "step 01 breaks add")
    found = problems(verify(load_from_git(mini, "main"), jobs=2, variants=False))
    assert [p.split(":")[0] for p in found] == ["step 01"], found
    assert "invariant 2" in found[0] and "test_step_00_add.py" in found[0]
