"""The builder: linear, deterministic, safe, and free of markers."""

from __future__ import annotations

import pytest

from tests.engine.conftest import commit_all, git
from workshop import git as workshop_git
from workshop.build import BuildRefused, build, solution_ref


def test_every_step_gets_an_annotated_tag_on_one_linear_history_of_its_own(mini):
    result = build(mini)
    assert result.created == ["step-00", "step-01", "step-02", "final"]
    assert git(mini, "cat-file", "-t", "step-01") == "tag"
    log = git(mini, "log", "--format=%s", "final").splitlines()
    assert log == [
        "final: the finished workshop, every drill solved",
        "step-02: Subtracting",
        "step-01: Multiplying",
        "step-00: Adding",
    ]
    assert git(mini, "rev-list", "--max-parents=0", "final") == git(
        mini, "rev-parse", "step-00^{commit}"
    )
    merge_base = git_fails(mini, "merge-base", "final", "main")
    assert merge_base, "the steps must not share history with main"


def git_fails(repo, *args):
    return workshop_git.run(*args, cwd=repo, check=False).returncode != 0


def test_building_twice_or_in_another_clone_gives_identical_hashes(mini, tmp_path):
    first = build(mini).tags
    again = build(mini)
    assert again.unchanged == ["step-00", "step-01", "step-02", "final"]
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(mini), str(clone))
    assert build(clone).tags == first
    assert git(clone, "rev-parse", "step-02") == git(mini, "rev-parse", "step-02")


def test_build_never_touches_branches_index_or_working_tree(mini):
    (mini / "app" / "calc.py").write_text("# my uncommitted edit\n", encoding="utf-8")
    (mini / "scratch.txt").write_text("untracked work\n", encoding="utf-8")
    git(mini, "add", "scratch.txt")
    before = (
        git(mini, "status", "--porcelain"),
        git(mini, "rev-parse", "HEAD"),
        git(mini, "branch"),
    )
    build(mini)
    assert (
        git(mini, "status", "--porcelain"),
        git(mini, "rev-parse", "HEAD"),
        git(mini, "branch"),
    ) == before
    assert (mini / "app" / "calc.py").read_text(
        encoding="utf-8"
    ) == "# my uncommitted edit\n"


def test_build_uses_committed_main_not_the_working_tree(mini):
    (mini / "app" / "calc.py").write_text("broken = (\n", encoding="utf-8")
    build(mini)
    assert "def add" in git(mini, "show", "step-01:app/calc.py")


def test_a_differing_tag_is_refused_unless_forced(mini):
    build(mini)
    old = git(mini, "rev-parse", "step-02")
    text = (
        (mini / "app" / "calc.py")
        .read_text(encoding="utf-8")
        .replace('"""Return a - b."""', '"""Subtract."""')
    )
    (mini / "app" / "calc.py").write_text(text, encoding="utf-8")
    commit_all(mini, "reword")
    with pytest.raises(BuildRefused, match="step-02"):
        build(mini)
    assert git(mini, "rev-parse", "step-02") == old, "nothing moves when refused"
    result = build(mini, force=True)
    assert "step-02" in result.moved and "step-00" in result.unchanged
    assert git(mini, "rev-parse", "step-02") != old


def test_generated_steps_hold_stubs_no_markers_and_nothing_later(mini):
    build(mini)
    calc = git(mini, "show", "step-01:app/calc.py")
    assert "return a + b" in calc
    assert "step 01: write mul() - the task is in workshop/steps/01-mul.md" in calc
    assert "def sub" not in calc and ">>>" not in calc
    files = git(mini, "ls-tree", "-r", "--name-only", "step-01").splitlines()
    assert "tests/test_step_01_mul.py" in files
    assert "tests/test_step_02_sub.py" not in files
    assert "workshop/steps/02-sub.md" not in files
    assert "NOTES.md" not in files, "excluded files never reach a step"
    manifest = git(mini, "show", "step-01:workshop/manifest.toml")
    assert 'current = "step-01"' in manifest and "number = 2" not in manifest
    assert "| 01 |" in git(mini, "show", "step-01:WORKSHOP.md")
    assert "| 02 |" not in git(mini, "show", "step-01:WORKSHOP.md")


def test_the_diff_between_two_steps_is_one_solution_plus_the_next_task(mini):
    build(mini)
    diff = git(mini, "diff", "step-01", "step-02", "--", "app/")
    assert "+    return a * b" in diff
    assert "+def sub(a: int, b: int) -> int:" in diff
    assert "return a - b" not in diff
    solution = git(mini, "diff", "step-01", solution_ref(1))
    assert "+    return a * b" in solution and "sub" not in solution


def test_the_final_tag_is_main_without_markers(mini):
    build(mini)
    final = git(mini, "show", "final:app/calc.py")
    assert "return a - b" in final and ">>>" not in final
    assert 'current = "final"' in git(mini, "show", "final:workshop/manifest.toml")
