"""The learner's commands: moving between steps never loses work."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
import watchfiles

from tests.engine.conftest import IDENTITY, ROOT, commit_all, git
from workshop import git as git_module
from workshop import learner, safety


def test_goto_builds_the_tags_and_lands_on_a_branch_at_step_01(mini):
    lines = learner.goto(1, mini)
    assert git(mini, "branch", "--show-current") == "learn/step-01"
    assert git(mini, "rev-parse", "HEAD") == git(mini, "rev-parse", "step-01^{commit}")
    assert any("write mul() in app/calc.py" in line for line in lines)


def test_goto_commits_uncommitted_work_on_the_learners_branch(mini):
    learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("my attempt\n", encoding="utf-8")
    (mini / "notes.txt").write_text("an untracked file of mine\n", encoding="utf-8")
    lines = learner.goto(2, mini)
    assert any("committed on your branch learn/step-01" in line for line in lines)
    assert git(mini, "status", "--porcelain") == ""
    assert git(mini, "show", "learn/step-01:app/calc.py") == "my attempt"
    assert git(mini, "show", "learn/step-01:notes.txt") == "an untracked file of mine"
    author = git(mini, "log", "-1", "--format=%an", "learn/step-01")
    assert author == "Workshop learner", "no identity configured: the fallback is used"
    learner.goto(1, mini)
    assert (mini / "app" / "calc.py").read_text(encoding="utf-8") == "my attempt\n"
    assert (mini / "notes.txt").exists()


def test_goto_from_another_branch_stashes_work_under_a_name(mini):
    (mini / "app" / "calc.py").write_text("maintainer's edit\n", encoding="utf-8")
    (mini / "draft.md").write_text("untracked\n", encoding="utf-8")
    lines = learner.goto(1, mini)
    assert any("workshop: saved before goto 01 (was on main)" in line for line in lines)
    assert "workshop: saved before goto 01 (was on main)" in git(mini, "stash", "list")
    git(mini, "checkout", "--quiet", "main")
    git(mini, "stash", "pop", "--quiet")
    assert (mini / "app" / "calc.py").read_text(
        encoding="utf-8"
    ) == "maintainer's edit\n"
    assert (mini / "draft.md").read_text(encoding="utf-8") == "untracked\n"


def test_goto_uses_the_users_own_identity_when_there_is_one(mini):
    git(mini, "config", "user.name", "Ada")
    git(mini, "config", "user.email", "ada@example.invalid")
    learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("work\n", encoding="utf-8")
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
        "    pytest.skip('no server here')\n",
        encoding="utf-8",
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
        calc.read_text(encoding="utf-8").replace(
            'raise NotImplementedError(\n        "step 01: write mul() - the task is in workshop/steps/01-mul.md"\n    )',
            "return b * a",
        ),
        encoding="utf-8",
    )
    root, args = learner.diff_args(mini)
    mine = git(root, *args)
    assert "-    return a * b" in mine and "+    return b * a" in mine


def test_check_runs_only_the_current_steps_tests(mini):
    learner.goto(2, mini)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--step", "current"],
        cwd=mini, capture_output=True, text=True, encoding="utf-8"
    )  # fmt: skip
    # The other steps' files are not even collected.
    assert "1 failed in " in result.stdout


@pytest.mark.parametrize("command", [["start"], ["goto", "2"], ["next"]])
def test_no_command_that_moves_head_loses_uncommitted_work(mini, monkeypatch, command):
    from workshop.cli import main

    monkeypatch.chdir(mini)
    if command == ["next"]:
        learner.goto(1, mini)
    (mini / "app" / "calc.py").write_text("precious edit\n", encoding="utf-8")
    (mini / "untracked.txt").write_text("precious new file\n", encoding="utf-8")
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


def test_watch_counts_a_save_to_any_file_of_the_workshop_but_not_to_ignored_ones(
    mini,
):
    watched = learner.SavedWork(mini)
    change = watchfiles.Change.modified
    for path in ("app/schema.sql", "tests/data/feed.csv", "app/calc.py", "notes.txt"):
        assert watched(change, str(mini / path)), path
    (mini / ".gitignore").write_text("/store.db\n.ruff_cache/\n", encoding="utf-8")
    for path in ("store.db", ".ruff_cache/x", "app/__pycache__/calc.pyc", ".git/x"):
        assert not watched(change, str(mini / path)), path


def test_watch_runs_the_check_at_start_and_again_after_a_save(mini):
    schema = mini / "app" / "schema.sql"
    stop = threading.Event()
    seen = []

    def save_until_seen():
        while not stop.wait(0.2):
            schema.write_text("CREATE TABLE t (x);\n", encoding="utf-8")

    def check():
        seen.append(schema.exists())
        if len(seen) == 1:
            threading.Thread(target=save_until_seen, daemon=True).start()
        else:
            stop.set()

    bound = threading.Timer(60, stop.set)  # should no event ever come
    bound.start()
    try:
        assert learner.watch(mini, check, stop) == 2
    finally:
        bound.cancel()
    assert seen == [False, True]


def test_tags_fetched_from_a_class_remote_are_used_and_the_solutions_built_alike(
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
    assert git(learner_clone, "rev-parse", "step-01") == git(
        mini, "rev-parse", "step-01"
    )
    learner.solution_args(learner_clone)
    assert git(learner_clone, "rev-parse", solution_ref(1)) == git(
        mini, "rev-parse", solution_ref(1)
    )


def test_commits_on_a_detached_head_are_saved_on_a_branch_whose_name_is_printed(mini):
    learner.goto(1, mini)
    git(mini, "checkout", "--quiet", "--detach", "step-01")
    (mini / "app" / "calc.py").write_text("my detached commit\n", encoding="utf-8")
    mine = commit_all(mini, "work on a detached HEAD")
    said = "\n".join(learner.goto(2, mini))
    branch = f"learn/saved-{mine[:7]}"
    assert f"(1 commit) is saved on a new branch {branch}" in said
    assert git(mini, "rev-parse", branch) == mine


def test_staged_changes_are_saved_in_a_commit_of_their_own_before_the_rest(mini):
    learner.goto(1, mini)
    calc = mini / "app" / "calc.py"
    calc.write_text("staged\n", encoding="utf-8")
    git(mini, "add", "app/calc.py")
    calc.write_text("staged, then edited\n", encoding="utf-8")
    (mini / "new.txt").write_text("untracked\n", encoding="utf-8")
    said = "\n".join(learner.goto(2, mini))
    assert "what you had staged in a commit of its own, first" in said
    assert git(mini, "log", "-2", "--format=%s", "learn/step-01").splitlines() == [
        "workshop: my work, saved before goto 02",
        "workshop: my staged work, saved before goto 02",
    ]
    assert git(mini, "show", "learn/step-01~1:app/calc.py") == "staged"
    assert git(mini, "show", "learn/step-01:app/calc.py") == "staged, then edited"
    assert "new.txt" not in git(mini, "show", "--name-only", "learn/step-01~1")


@pytest.mark.parametrize(
    "secret", [".env", "app/.env.local", "shop.db", "data/x.sqlite3", "catalog.json"]
)
def test_secrets_and_local_state_are_never_saved_even_when_not_ignored(mini, secret):
    learner.goto(1, mini)
    (mini / ".gitignore").write_text(
        "__pycache__/\n", encoding="utf-8"
    )  # a learner's edit
    (mini / secret).parent.mkdir(parents=True, exist_ok=True)
    (mini / secret).write_text("PASSWORD=hunter2\n", encoding="utf-8")
    (mini / "app" / "calc.py").write_text("work\n", encoding="utf-8")
    git(mini, "add", "--force", secret)  # even when staged by hand
    learner.goto(2, mini)
    saved = git(mini, "ls-tree", "-r", "--name-only", "learn/step-01").splitlines()
    assert secret not in saved and ".gitignore" in saved
    assert (mini / secret).read_text(encoding="utf-8") == "PASSWORD=hunter2\n", (
        "it stays in the tree"
    )


def test_the_steps_gitignore_covers_secrets_databases_catalogs_and_the_venv(mini):
    learner.goto(0, mini)
    names = [".env", "app/.env.prod", "store.db", "x/shop.sqlite3", "catalog.yaml",
             "catalog.pkl", ".venv/bin/python", "store.db-wal"]  # fmt: skip
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"], cwd=mini,
        input="\n".join(names), capture_output=True, text=True,
    encoding="utf-8",
    )  # fmt: skip
    assert result.stdout.splitlines() == names
    assert (mini / ".gitignore").read_text(encoding="utf-8") == (
        ROOT / ".gitignore"
    ).read_text(encoding="utf-8")


def test_a_checkout_that_would_overwrite_an_ignored_file_is_refused(mini):
    learner.goto(2, mini)
    (mini / "local.db").write_text("committed by hand\n", encoding="utf-8")
    git(mini, "add", "--force", "local.db")
    git(mini, *IDENTITY, "commit", "--quiet", "-m", "tracked db")
    learner.goto(1, mini)
    (mini / "local.db").write_text("my data\n", encoding="utf-8")
    with pytest.raises(git_module.GitError, match="local.db"):
        learner.goto(2, mini)
    assert (mini / "local.db").read_text(encoding="utf-8") == "my data\n"


def test_a_failing_git_command_reports_git_s_own_words_even_on_stdout(mini):
    learner.goto(1, mini)
    git(mini, "branch", "other")
    (mini / "app" / "calc.py").write_text("mine\n", encoding="utf-8")
    git(mini, *IDENTITY, "commit", "--quiet", "-am", "mine")
    git(mini, "checkout", "--quiet", "other")
    (mini / "app" / "calc.py").write_text("theirs\n", encoding="utf-8")
    git(mini, *IDENTITY, "commit", "--quiet", "-am", "theirs")
    subprocess.run(
        ["git", *IDENTITY, "merge", "learn/step-01"], cwd=mini, capture_output=True
    )
    with pytest.raises(git_module.GitError) as error:
        git_module.run("stash", "push", cwd=mini)
    assert str(error.value).endswith("app/calc.py: needs merge")


@pytest.mark.parametrize(
    ("operation", "finish", "abort"),
    [
        ("merge", "git commit", "git merge --abort"),
        ("cherry-pick", "git cherry-pick --continue", "git cherry-pick --abort"),
    ],
)
def test_goto_refuses_mid_operation_naming_how_to_finish_or_abort(
    mini, operation, finish, abort
):
    learner.goto(1, mini)
    git(mini, "branch", "other")
    (mini / "app" / "calc.py").write_text("mine\n", encoding="utf-8")
    git(mini, *IDENTITY, "commit", "--quiet", "-am", "mine")
    git(mini, "checkout", "--quiet", "other")
    (mini / "app" / "calc.py").write_text("theirs\n", encoding="utf-8")
    git(mini, *IDENTITY, "commit", "--quiet", "-am", "theirs")
    git(mini, "checkout", "--quiet", "learn/step-01")
    subprocess.run(
        ["git", *IDENTITY, operation, "other"], cwd=mini, capture_output=True
    )
    with pytest.raises(safety.Refused) as refused:
        learner.goto(2, mini)
    assert f"finish it (`{finish}`) or abort it (`{abort}`)" in str(refused.value)
    assert "<<<<<<<" in (mini / "app" / "calc.py").read_text(encoding="utf-8"), (
        "nothing committed"
    )
