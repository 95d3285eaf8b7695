"""The learner's commands: moving between steps never loses work."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.engine.conftest import git
from workshop import learner


def test_goto_builds_the_tags_and_lands_on_a_branch_at_step_01(mini):
    lines = learner.goto(1, mini)
    assert git(mini, "branch", "--show-current") == "learn/step-01"
    assert git(mini, "rev-parse", "HEAD") == git(mini, "rev-parse", "step-01^{commit}")
    assert any("write mul() in app/calc.py" in line for line in lines)


def test_goto_commits_uncommitted_work_on_the_learners_branch(mini):
    learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("my attempt\n")
    (mini / "notes.txt").write_text("an untracked file of mine\n")
    lines = learner.goto(2, mini)
    assert any("committed on your branch learn/step-01" in line for line in lines)
    assert git(mini, "status", "--porcelain") == ""
    assert git(mini, "show", "learn/step-01:app/calc.py") == "my attempt"
    assert git(mini, "show", "learn/step-01:notes.txt") == "an untracked file of mine"
    author = git(mini, "log", "-1", "--format=%an", "learn/step-01")
    assert author == "Workshop learner", "no identity configured: the fallback is used"
    learner.goto(1, mini)
    assert (mini / "app" / "calc.py").read_text() == "my attempt\n"
    assert (mini / "notes.txt").exists()


def test_goto_from_another_branch_stashes_work_under_a_name(mini):
    (mini / "app" / "calc.py").write_text("maintainer's edit\n")
    (mini / "draft.md").write_text("untracked\n")
    lines = learner.goto(1, mini)
    assert any("workshop: saved before goto 01 (was on main)" in line for line in lines)
    assert "workshop: saved before goto 01 (was on main)" in git(mini, "stash", "list")
    git(mini, "checkout", "--quiet", "main")
    git(mini, "stash", "pop", "--quiet")
    assert (mini / "app" / "calc.py").read_text() == "maintainer's edit\n"
    assert (mini / "draft.md").read_text() == "untracked\n"


def test_goto_uses_the_users_own_identity_when_there_is_one(mini):
    git(mini, "config", "user.name", "Ada")
    git(mini, "config", "user.email", "ada@example.invalid")
    learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("work\n")
    learner.goto(2, mini)
    assert git(mini, "log", "-1", "--format=%an", "learn/step-01") == "Ada"


def test_next_moves_forward_and_stops_at_the_last_step(mini):
    learner.goto(1, mini)
    learner.next_step(mini)
    assert git(mini, "branch", "--show-current") == "learn/step-02"
    with pytest.raises(learner.LearnerError, match="last step"):
        learner.next_step(mini)


def test_goto_an_unknown_step_says_which_exist(mini):
    with pytest.raises(learner.LearnerError, match="steps are 00-02"):
        learner.goto(7, mini)


def test_commands_on_main_say_how_to_get_to_a_step(mini):
    with pytest.raises(learner.LearnerError, match="workshop start"):
        learner.hint(None, mini)


def test_hints_come_one_level_at_a_time_and_never_the_instructor_notes(mini):
    learner.goto(1, mini)
    first = "\n".join(learner.hint(None, mini))
    assert "Hint 1 of 2" in first and "First hint for mul." in first
    second = "\n".join(learner.hint(None, mini))
    assert "Hint 2 of 2" in second and "Second hint for mul." in second
    assert "Hint 2 of 2" in "\n".join(learner.hint(None, mini)), "the last hint stays"
    assert "Hint 1 of 2" in "\n".join(learner.hint(1, mini))
    with pytest.raises(learner.LearnerError, match="hints 1-2"):
        learner.hint(3, mini)
    text = learner.text_for_learner(mini, learner.here(mini).step)
    assert "Secret notes" not in text and "## Going further" in text
    assert "First hint" not in text and "Second hint" not in text
    assert "2 hints" in text and "`workshop hint`" in text
    assert git(mini, "status", "--porcelain") == "", (
        "hint state lives in .git, not the tree"
    )


def test_status_counts_tests_and_states_the_naming_rule(mini):
    learner.goto(2, mini)
    lines = "\n".join(learner.status(mini))
    assert "step 02: Subtracting" in lines
    assert "this step 0/1 pass; earlier steps 2/2 pass" in lines
    assert "step-NN is the start of drill NN" in lines


def test_status_never_counts_a_skipped_test_as_passing(mini):
    learner.goto(2, mini)
    (mini / "tests" / "test_step_02_later.py").write_text(
        "import pytest\n\n\ndef test_needs_a_server():\n"
        "    pytest.skip('no server here')\n"
    )
    lines = "\n".join(learner.status(mini))
    assert "this step 0/2 pass, 1 skipped" in lines
    assert "skipped: no server here" in lines


def test_solution_shows_only_this_drills_answer_and_diff_compares_my_work(mini):
    learner.goto(1, mini)
    root, args = learner.solution_args(mini)
    solution = git(root, *args)
    assert "+    return a * b" in solution and "def sub" not in solution
    calc = mini / "app" / "calc.py"
    calc.write_text(
        calc.read_text().replace(
            'raise NotImplementedError(\n        "step 01: write mul() - the task is in workshop/steps/01-mul.md"\n    )',
            "return b * a",
        )
    )
    root, args = learner.diff_args(mini)
    mine = git(root, *args)
    assert "-    return a * b" in mine and "+    return b * a" in mine


def test_check_runs_only_the_current_steps_tests(mini):
    learner.goto(2, mini)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--step", "current"],
        cwd=mini, capture_output=True, text=True,
    )  # fmt: skip
    # The other steps' files are not even collected.
    assert "1 failed in " in result.stdout


@pytest.mark.parametrize("command", [["start"], ["goto", "2"], ["next"]])
def test_no_command_that_moves_head_loses_uncommitted_work(mini, monkeypatch, command):
    from workshop.cli import main

    monkeypatch.chdir(mini)
    if command == ["next"]:
        learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("precious edit\n")
    (mini / "untracked.txt").write_text("precious new file\n")
    assert main(command) == 0
    if command == ["next"]:  # from the learner's branch: a commit on it
        where = "learn/step-01"
    else:  # from main: a named stash
        assert "workshop: saved before goto" in git(mini, "stash", "list")
        where = "stash@{0}"
    assert git(mini, "show", f"{where}:app/calc.py") == "precious edit"
    untracked = f"{where}^3" if where.startswith("stash") else where
    assert git(mini, "show", f"{untracked}:untracked.txt") == "precious new file"


def test_command_errors_are_one_clear_line_and_exit_2(mini, monkeypatch, capsys):
    from workshop.cli import main

    monkeypatch.chdir(mini)
    assert main(["hint"]) == 2
    assert (
        "workshop: you are on main (the source), not on a step"
        in capsys.readouterr().out
    )


def test_watch_runs_the_check_at_start_and_after_each_save(tmp_path):
    import threading
    import time

    (tmp_path / "app").mkdir()
    module = tmp_path / "app" / "m.py"
    module.write_text("x = 1\n")
    calls = []
    saver = threading.Timer(0.15, lambda: module.write_text("x = 2  # saved\n"))
    saver.start()
    learner.watch(
        [tmp_path / "app"], lambda: calls.append(time.monotonic()), 0.01, rounds=150
    )
    saver.join()
    assert len(calls) == 2, "once at start, once after the save, never for nothing"


def test_tags_fetched_from_a_class_remote_are_used_and_the_solutions_added(
    mini, tmp_path
):
    from workshop.build import build, solution_ref

    build(mini)
    learner_clone = tmp_path / "learner"
    git(tmp_path, "clone", "--quiet", str(mini), str(learner_clone))
    assert git(learner_clone, "tag", "--list", "step-01") == "step-01", (
        "tags came with the clone"
    )
    learner.goto(1, learner_clone)
    assert git(learner_clone, "rev-parse", solution_ref(1)) == git(
        mini, "rev-parse", solution_ref(1)
    )
    assert git(learner_clone, "rev-parse", "step-01") == git(
        mini, "rev-parse", "step-01"
    )
