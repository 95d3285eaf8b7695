"""The class remote: publish, sync, and a room that survives a fix mid-session
(a bare remote, an instructor, two learners, one with uncommitted work)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.engine.conftest import (
    IDENTITY,
    commit_all,
    git,
    isolate_git,
    write_mini_workshop,
)
from workshop import classroom
from workshop.build import solution_ref
from workshop.cli import main

STEP_REFS = ("refs/tags/", "refs/workshop/solutions/")


def refs(repo: Path) -> dict[str, str]:
    """Step tags and solution refs -> object ids."""
    listing = git(repo, "for-each-ref", "--format=%(refname) %(objectname)")
    pairs = (line.split() for line in listing.splitlines())
    return {name: sha for name, sha in pairs if name.startswith(STEP_REFS)}


def run(repo: Path, capfd, *argv: str) -> tuple[int, str]:
    """A `workshop` command in ``repo``: its exit code and all it printed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        code = main(list(argv))
    printed = capfd.readouterr()
    return code, " ".join((printed.out + printed.err).split())


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, list[str]]:
    """A bare class remote (HEAD: master, git's default), the instructor's
    repository with main, and what `workshop publish class` said."""
    room = tmp_path_factory.mktemp("room")
    with pytest.MonkeyPatch.context() as patch:
        isolate_git(patch, room)
        git(room, "init", "--quiet", "--bare", "class.git")
        assert git(room / "class.git", "symbolic-ref", "HEAD") == "refs/heads/master"
        instructor = room / "instructor"
        instructor.mkdir()
        git(instructor, "init", "--quiet", "-b", "main")
        write_mini_workshop(instructor)
        commit_all(instructor, "the mini workshop")
        git(instructor, "remote", "add", "class", "../class.git")
        said = classroom.publish(instructor, "class")
    return room, said


@pytest.fixture
def room(published, tmp_path) -> Path:
    """A copy of the published room for one test to change."""
    copy = tmp_path / "room"
    shutil.copytree(published[0], copy, symlinks=True)
    return copy


def clone(room: Path, name: str) -> Path:
    git(room, "clone", "--quiet", "class.git", name)
    return room / name


def test_publish_pushes_everything_at_once_and_a_fresh_clone_checks_out_main(
    published, room
):
    said = "\n".join(published[1])
    assert "published to class in one atomic push" in said
    assert "branch new: main" in said
    assert "tags new: step-00 to final (4 tags)" in said
    assert "solution refs new: 3" in said
    assert "class's HEAD now names main" in said
    learner = clone(room, "learner")
    assert git(learner, "branch", "--show-current") == "main"
    assert (learner / "app" / "calc.py").exists()
    remote = git(learner, "ls-remote", "origin", "refs/workshop/solutions/*")
    assert len(remote.splitlines()) == 3
    assert {**refs(learner), **_solutions(learner)} == refs(room / "instructor")


def _solutions(repo: Path) -> dict[str, str]:
    listing = git(repo, "ls-remote", "origin", "refs/workshop/solutions/*")
    return {name: sha for sha, name in (line.split() for line in listing.splitlines())}


def test_the_room_survives_a_fix_mid_session(room, capfd):
    instructor = room / "instructor"
    drilling, ahead = clone(room, "drilling"), clone(room, "ahead")
    assert run(drilling, capfd, "goto", "1")[0] == 0
    calc = drilling / "app" / "calc.py"
    calc.write_text(
        calc.read_text(encoding="utf-8") + "# my uncommitted attempt\n",
        encoding="utf-8",
    )
    assert run(ahead, capfd, "goto", "2")[0] == 0
    git(ahead, "branch", "--delete", "--force", "main")

    text = instructor / "workshop" / "steps" / "01-mul.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("Why mul", "Why mul()"),
        encoding="utf-8",
    )
    commit_all(instructor, "a typo in step 01")
    code, said = run(instructor, capfd, "build")
    assert code == 2 and "`workshop build --force` moves them" in said
    assert run(instructor, capfd, "build", "--force")[0] == 0
    code, said = run(instructor, capfd, "publish", "class")
    assert code == 0 and "tags moved: step-01, step-02, final" in said
    assert "branch moved: main" in said and "tags unchanged: step-00" in said

    git(drilling, "fetch", "--quiet", "origin", "main:main")  # a learner's pull
    code, said = run(drilling, capfd, "build")
    assert code == 2 and "`workshop sync`" in said
    assert "--force" not in said, "a learner must never roll the tags back"
    before = git(drilling, "rev-parse", "learn/step-01")
    old = git(drilling, "rev-parse", "step-01^{commit}")
    code, said = run(drilling, capfd, "sync")
    assert code == 0
    assert "synced with origin: 3 tags moved, 0 new, 1 unchanged" in said
    assert (
        "step-01, step-02, final: workshop/steps/01-mul.md (1 file changed,"
        " 1 insertion(+), 1 deletion(-))" in said
    )
    assert (
        "your step, 01, changed. Your files are as they were; your branch learn/step-01 still starts from the old step-01"
        in said
    )
    assert refs(drilling) == refs(instructor), "tags and solutions as published"
    assert git(drilling, "rev-parse", "learn/step-01") == before
    assert calc.read_text(encoding="utf-8").endswith("# my uncommitted attempt\n")

    rebase = said.split("to take the change into it: `")[1].split("`")[0]
    assert rebase == f"git rebase --autostash --onto step-01 {old[:12]}"
    subprocess.run(
        ["git", *IDENTITY, *shlex.split(rebase)[1:]], cwd=drilling, check=True,
        capture_output=True,
    )  # fmt: skip
    assert calc.read_text(encoding="utf-8").endswith("# my uncommitted attempt\n")
    assert "Why mul()" in (drilling / "workshop" / "steps" / "01-mul.md").read_text(
        encoding="utf-8"
    )
    assert git(drilling, "rev-parse", "HEAD") == git(
        drilling, "rev-parse", "step-01^{}"
    )

    code, said = run(ahead, capfd, "sync")
    assert code == 0 and "your step, 02, changed" in said
    assert refs(ahead) == refs(instructor)
    assert git(ahead, "branch", "--list", "main") == "", "no main was made"
    code, said = run(ahead, capfd, "solution")
    assert code == 0 and "+ return a - b" in said


def test_a_learners_clone_without_main_runs_every_command(room, capfd):
    learner = clone(room, "learner")
    git(learner, "checkout", "--quiet", "--detach")
    git(learner, "branch", "--delete", "main")
    assert run(learner, capfd, "start")[0] == 0
    assert run(learner, capfd, "goto", "1")[0] == 0
    code, said = run(learner, capfd, "solution")
    assert code == 0 and "+ return a * b" in said
    assert git(learner, "rev-parse", solution_ref(1)) == git(
        room / "instructor", "rev-parse", solution_ref(1)
    ), "built from origin/main: the instructor's very commits"
    assert run(learner, capfd, "diff")[0] == 0
    code, said = run(learner, capfd, "status")
    assert code == 0 and "step 01: Multiplying" in said


def test_a_clone_with_the_tags_alone_says_how_to_get_the_solutions(room, capfd):
    learner = room / "learner"
    learner.mkdir()
    git(learner, "init", "--quiet")
    git(learner, "remote", "add", "origin", "../class.git")
    git(learner, "fetch", "--quiet", "origin", "refs/tags/*:refs/tags/*")
    assert run(learner, capfd, "start")[0] == 0, "the tags alone are enough"
    code, said = run(learner, capfd, "solution")
    assert code == 2
    assert "the reference solutions are not in this clone" in said
    assert "`workshop sync` fetches them" in said
    assert run(learner, capfd, "sync")[0] == 0
    code, said = run(learner, capfd, "solution")
    assert code == 0 and "+ return a + b" in said


def test_a_clone_with_nothing_says_how_to_get_the_steps(tmp_path, capfd):
    git(tmp_path, "init", "--quiet")
    code, said = run(tmp_path, capfd, "start")
    assert code == 2 and "the step tags are not in this clone" in said
    assert "clone the workshop again" in said


def test_sync_from_a_remote_without_tags_says_who_publishes_them(room, capfd):
    git(room, "init", "--quiet", "--bare", "empty.git")
    learner = clone(room, "learner")
    git(learner, "remote", "set-url", "origin", "../empty.git")
    code, said = run(learner, capfd, "sync")
    assert code == 2 and "`workshop publish origin`" in said


def test_publish_is_all_or_nothing(room, capfd):
    other = clone(room, "other")
    commit_all_with(other, "README.md", "someone else's push\n")
    git(other, "push", "--quiet", "origin", "main")
    instructor = room / "instructor"
    text = instructor / "workshop" / "steps" / "01-mul.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("Why mul", "Why mul()"),
        encoding="utf-8",
    )
    commit_all(instructor, "a typo in step 01")
    assert run(instructor, capfd, "build", "--force")[0] == 0
    before = git(room / "class.git", "for-each-ref")
    code, said = run(instructor, capfd, "publish", "class")
    assert code == 2 and "nothing was published" in said and "rejected" in said
    assert git(room / "class.git", "for-each-ref") == before


def commit_all_with(repo: Path, path: str, text: str) -> None:
    (repo / path).write_text(text, encoding="utf-8")
    commit_all(repo, path)
