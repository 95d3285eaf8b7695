"""The repository-state table: every command that moves HEAD, run in every
state a learner's clone can be in, either refuses and changes nothing or
leaves every byte and commit reachable from a named ref."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.conftest import IDENTITY, commit_all, git, write_mini_workshop
from workshop import learner
from workshop.build import build
from workshop.cli import main

SECRETS = {
    ".env": "DATABASE_PASSWORD=hunter2\n",
    "app/.env.local": "TOKEN=abc\n",
    "shop.db": "SQLite format 3\0 my data\n",
    "catalog.json": '{"products": ["mine"]}\n',
    ".venv/lib/site.py": "# a virtualenv file\n",
}


def _write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


def _commit(repo: Path, path: str, text: str, message: str = "mine") -> None:
    _write(repo, path, text)
    commit_all(repo, message)


def _conflict_branch(repo: Path) -> None:
    """learn/step-01 and other each change app/calc.py's first line."""
    learner.goto(1, repo)
    git(repo, "branch", "other")
    _commit(repo, "app/calc.py", "mine\n")
    git(repo, "checkout", "--quiet", "other")
    _commit(repo, "app/calc.py", "theirs\n")
    git(repo, "checkout", "--quiet", "learn/step-01")


def _git_may_fail(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    import subprocess

    subprocess.run(
        ["git", *IDENTITY, *args], cwd=repo, capture_output=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def staged(repo: Path) -> None:
    learner.goto(1, repo)
    _write(repo, "app/calc.py", "staged version\n")
    git(repo, "add", "app/calc.py")
    _write(repo, "app/calc.py", "staged version, then more\n")


def unstaged(repo: Path) -> None:
    learner.goto(1, repo)
    _write(repo, "app/calc.py", "my unstaged edit\n")


def untracked(repo: Path) -> None:
    learner.goto(1, repo)
    _write(repo, "notes/mine.txt", "an untracked file\n")


def ignored(repo: Path) -> None:
    learner.goto(1, repo)
    for path, text in SECRETS.items():
        _write(repo, path, text)
    _write(repo, "app/calc.py", "an edit, so that there is work to save\n")


def detached_with_commits(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "--detach", "step-01")
    _commit(repo, "app/calc.py", "commit one on a detached HEAD\n")
    _commit(repo, "app/extra.py", "commit two\n")


def detached_at_a_tag_with_changes(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "step-01")
    _write(repo, "app/calc.py", "edited on the tag\n")


def mid_merge(repo: Path) -> None:
    _conflict_branch(repo)
    _git_may_fail(repo, "merge", "other")


def mid_rebase(repo: Path) -> None:
    learner.goto(1, repo)
    _commit(repo, "a.txt", "a\n")
    _commit(repo, "b.txt", "b\n")
    edit_first = {"GIT_SEQUENCE_EDITOR": "sed -i 1s/^pick/edit/"}
    _git_may_fail(repo, "rebase", "-i", "HEAD~2", env=edit_first)


def mid_cherry_pick(repo: Path) -> None:
    _conflict_branch(repo)
    _git_may_fail(repo, "cherry-pick", "other")


def mid_revert(repo: Path) -> None:
    learner.goto(1, repo)
    _commit(repo, "app/calc.py", "first\n")
    _commit(repo, "app/calc.py", "second\n")
    _git_may_fail(repo, "revert", "--no-edit", "HEAD~1")


def unmerged_after_a_stash_pop(repo: Path) -> None:
    learner.goto(1, repo)
    _write(repo, "app/calc.py", "stashed\n")
    git(repo, *IDENTITY, "stash", "push", "--quiet")
    _commit(repo, "app/calc.py", "committed\n")
    _git_may_fail(repo, "stash", "pop")


def a_stash_already_present(repo: Path) -> None:
    _write(repo, "app/calc.py", "an older stash\n")
    git(repo, *IDENTITY, "stash", "push", "--quiet", "-m", "mine")
    _write(repo, "app/calc.py", "work in progress on main\n")


def a_learn_branch_ahead(repo: Path) -> None:
    learner.goto(1, repo)
    _commit(repo, "app/calc.py", "my committed attempt\n")


def on_main(repo: Path) -> None:
    _write(repo, "app/calc.py", "the maintainer's edit\n")
    _write(repo, "draft.md", "untracked on main\n")


STATES: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        staged, unstaged, untracked, ignored, detached_with_commits,
        detached_at_a_tag_with_changes, mid_merge, mid_rebase, mid_cherry_pick,
        mid_revert, unmerged_after_a_stash_pop, a_stash_already_present,
        a_learn_branch_ahead, on_main,
    )
}  # fmt: skip
# A HEAD-moving command refuses in these states, naming the way out.
WAY_OUT = {
    "mid_merge": "git merge --abort",
    "mid_rebase": "git rebase --abort",
    "mid_cherry_pick": "git cherry-pick --abort",
    "mid_revert": "git revert --abort",
    "unmerged_after_a_stash_pop": "git reset --merge",
}
MOVES = {"goto": (["goto", "2"], 2), "next": (["next"], 2), "start": (["start"], 0)}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Callable[[str], Path]:
    """One repository per state, made once from one base: tags built, then
    main changed (so that `build --force` moves tags)."""
    base = tmp_path_factory.mktemp("base") / "repo"
    made: dict[str, Path] = {}

    def make(state: str) -> Path:
        if not base.exists():
            base.mkdir()
            git(base, "init", "--quiet", "-b", "main")
            write_mini_workshop(base)
            commit_all(base, "the mini workshop")
            build(base)
            text = base / "workshop" / "steps" / "01-mul.md"
            text.write_text(
                text.read_text(encoding="utf-8").replace("Why mul", "Why mul()"),
                encoding="utf-8",
            )
            commit_all(base, "a typo fixed in step 01")
            git(base, "repack", "-a", "-d", "-q")  # few files: quick copies
            shutil.rmtree(base / ".git" / "hooks")
        if state not in made:
            made[state] = tmp_path_factory.mktemp(state) / "repo"
            shutil.copytree(base, made[state], symlinks=True)
            STATES[state](made[state])
        return made[state]

    return make


def _files(repo: Path) -> dict[str, str]:
    return {
        str(path.relative_to(repo)): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in repo.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(repo).parts[:1]
    }


def _snapshot(repo: Path) -> dict[str, object]:
    return {
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": (git(repo, "rev-parse", "--symbolic-full-name", "HEAD"),
                 git(repo, "rev-parse", "HEAD")),
        "index": git(repo, "ls-files", "--stage"),
        "files": _files(repo),
        "stashes": git(repo, "stash", "list", "--format=%H %gs"),
        "git dir": sorted(p.name for p in (repo / ".git").iterdir()),
    }  # fmt: skip


def _blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _learners_objects(repo: Path) -> set[str]:
    """Every commit and blob of the learner's: reachable from HEAD, a branch or
    a stash, in the index, or in a file of the tree that git does not ignore."""
    stashes = git(repo, "stash", "list", "--format=%H").split()
    listing = git(repo, "rev-list", "--objects", "HEAD", "--branches", *stashes)
    objects = {line.split()[0] for line in listing.splitlines()}
    objects |= {line.split()[1] for line in git(repo, "ls-files", "-s").splitlines()}
    kept = git(repo, "ls-files", "--others", "--exclude-standard", "--cached")
    return objects | {
        _blob((repo / path).read_bytes())
        for path in set(kept.splitlines())
        if (repo / path).is_file()
    }


def _named(repo: Path) -> set[str]:
    """Objects reachable from a branch, a tag, a remote or the stash list."""
    stashes = git(repo, "stash", "list", "--format=%H").split()
    listing = git(
        repo, "rev-list", "--objects", "--branches", "--tags", "--remotes", *stashes
    )
    return {line.split()[0] for line in listing.splitlines()}


def _ignored(repo: Path) -> dict[str, str]:
    names = git(repo, "ls-files", "--others", "--ignored", "--exclude-standard")
    return {name: _files(repo)[name] for name in names.splitlines()}


@pytest.fixture
def repo(prepared, request, tmp_path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(prepared(request.param), copy, symlinks=True)
    return copy


@pytest.mark.parametrize("command", sorted(MOVES))
@pytest.mark.parametrize("repo", sorted(STATES), indirect=True)
def test_moving_head_refuses_and_changes_nothing_or_keeps_every_byte_and_commit(
    repo, command, monkeypatch, capsys, request
):
    state = request.node.callspec.params["repo"]
    argv, target = MOVES[command]
    before = _snapshot(repo)
    mine = _learners_objects(repo)
    ignored_files = _ignored(repo)
    monkeypatch.chdir(repo)
    code = main(argv)
    said = capsys.readouterr().out
    if code != 0:
        assert code == 2 and "Traceback" not in said
        assert _snapshot(repo) == before, f"{argv} refused but changed something"
        expected = WAY_OUT.get(state, "not on a step")
        assert expected in said, f"the refusal names the way out: {said}"
        return
    assert state not in WAY_OUT, f"{argv} must refuse during {state}"
    assert git(repo, "branch", "--show-current") == f"learn/step-{target:02d}"
    named = _named(repo)
    assert not mine - named, f"objects only in the reflog after {argv}"
    assert _ignored(repo) == ignored_files, "ignored files stay, untouched"
    secrets = {_blob((repo / path).read_bytes()) for path in ignored_files}
    assert not secrets & named, "no ignored file is ever committed or stashed"


@pytest.mark.parametrize("repo", sorted(STATES), indirect=True)
def test_build_force_moves_only_tags_in_every_state(repo, monkeypatch, capsys):
    before = _snapshot(repo)
    old_tag = git(repo, "rev-parse", "step-01")
    monkeypatch.chdir(repo)
    assert main(["build", "--force"]) == 0
    assert "moved: step-01, step-02, final" in capsys.readouterr().out
    after = _snapshot(repo)
    assert git(repo, "rev-parse", "step-01") != old_tag
    for key in ("head", "index", "files", "stashes", "git dir"):
        assert after[key] == before[key], key
    branches = [
        line for line in str(after["refs"]).splitlines() if "refs/heads/" in line
    ]
    assert branches == [
        line for line in str(before["refs"]).splitlines() if "refs/heads/" in line
    ]
