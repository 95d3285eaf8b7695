"""The class remote: which it is, and the instructor's `publish` to it.

The class remote is the authority on the step tags. `publish` moves main,
the tags and the solution refs there in one atomic push; learners take them
with `sync` (workshop/sync.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from workshop import git
from workshop.build import FINAL_TAG, SOLUTIONS, BuildRefused, build

# Refspecs: main moves only forward; the tags and solutions move by force.
STEP_TAGS = "+refs/tags/step-*:refs/tags/step-*"
FINAL = f"+refs/tags/{FINAL_TAG}:refs/tags/{FINAL_TAG}"
SOLUTION_REFS = f"+{SOLUTIONS}/*:{SOLUTIONS}/*"
PUBLISHED = ("refs/heads/main:refs/heads/main", STEP_TAGS, FINAL, SOLUTION_REFS)
_KINDS = {"*": "new", "+": "moved", " ": "moved", "=": "unchanged"}


class ClassRemoteError(RuntimeError):
    """The class remote is missing or refused; the message says what to do."""


def class_remote(root: Path, name: str | None = None) -> str:
    """``name`` when this clone has it; else origin, or the only remote."""
    names = git.remotes(root)
    if name is None and "origin" in names:
        return "origin"
    if name is None and len(names) == 1:
        return names[0]
    if name is not None and name in names:
        return name
    known = ", ".join(names) or "none"
    wanted = name or "REMOTE"
    raise ClassRemoteError(
        f"which class remote? this clone's remotes: {known}. Name one, or add it"
        f" with `git remote add {wanted} URL`"
    )


def _remote_main(root: Path) -> str | None:
    try:
        remote = class_remote(root)
    except ClassRemoteError:
        return None
    return f"{remote}/main" if git.peel(f"refs/remotes/{remote}/main", root) else None


def source_ref(root: Path) -> str | None:
    """What to build the steps from: main, else the class remote's main."""
    return "main" if git.peel("refs/heads/main", root) else _remote_main(root)


def is_learner_clone(root: Path) -> bool:
    """A clone of the class remote where main is not edited: its main (if
    any) has nothing the class remote's main lacks."""
    theirs = _remote_main(root)
    if theirs is None:
        return False
    if not git.peel("refs/heads/main", root):
        return True
    ahead = git.run(
        "merge-base", "--is-ancestor", "main", theirs, cwd=root, check=False
    )
    return ahead.returncode == 0


def rebuild_advice(root: Path) -> str:
    """What to do when the tags here differ from what main builds."""
    if is_learner_clone(root):
        return (
            "These tags came from the class remote, which is the authority:"
            " `workshop sync` takes its tags and solutions (your branches and"
            " files stay as they are)."
        )
    return (
        "If main changed on purpose, `workshop build --force` moves them; then"
        " `workshop publish REMOTE` moves the room's tags in one push, and"
        " learners run `workshop sync`."
    )


def publish(root: Path, remote: str) -> list[str]:
    """Push main, the step tags, final and the solution refs in one atomic push."""
    remote = class_remote(root, remote)
    if not git.peel("refs/heads/main", root):
        raise ClassRemoteError("there is no main here: publish from where it is edited")
    try:
        build(root, "main")
    except BuildRefused as refused:
        raise BuildRefused(
            f"{refused}\nBuild them first (`workshop build --force` if main changed"
            " on purpose), then publish."
        ) from None
    push = git.run(
        "push", "--atomic", "--porcelain", remote, *PUBLISHED, cwd=root, check=False
    )
    pushed = push.stdout.decode()
    if push.returncode != 0:
        raise ClassRemoteError(
            f"nothing was published (one push, all or nothing): {_refused(push)}"
        )
    lines = [f"published to {remote} in one atomic push:", *_pushed(pushed)]
    return [*lines, _default_branch(root, remote)]


def _refused(push: subprocess.CompletedProcess[bytes]) -> str:
    """git's reasons for the refs it refused, not the ones the atomic push dropped."""
    reasons = [
        line.replace("\t", " ")
        for line in push.stdout.decode().splitlines()
        if line.startswith("!") and "atomic push failed" not in line
    ]
    return "; ".join(reasons) or push.stderr.decode().strip()


def _pushed(porcelain: str) -> list[str]:
    """`git push --porcelain` lines -> what moved, by kind of ref."""
    groups: dict[tuple[str, str], list[str]] = {}
    for line in porcelain.splitlines():
        flag, refs, *_ = [*line.split("\t"), ""]
        if flag not in _KINDS or ":" not in refs:
            continue
        ref = refs.split(":")[1]
        kind = (
            "tags" if ref.startswith("refs/tags/")
            else "solution refs" if ref.startswith(SOLUTIONS)
            else "branch"
        )  # fmt: skip
        name = ref.removeprefix("refs/tags/").removeprefix("refs/heads/")
        groups.setdefault((kind, _KINDS[flag]), []).append(name)
    lines = []
    order = ["branch", "tags", "solution refs"]
    for (kind, how), names in sorted(
        groups.items(), key=lambda g: order.index(g[0][0])
    ):
        names.sort(key=lambda name: (name == FINAL_TAG, name))
        shown = f"{len(names)}" if kind == "solution refs" else span(names)
        lines.append(f"  {kind} {how}: {shown}")
    return lines


def _default_branch(root: Path, remote: str) -> str:
    """Make a fresh clone of a bare class remote check out main."""
    head = git.out("ls-remote", "--symref", remote, "HEAD", cwd=root)
    if head.startswith("ref: refs/heads/main\t"):
        return f"  a fresh clone of {remote} checks out main"
    path = root / git.out("remote", "get-url", remote, cwd=root).removeprefix("file://")
    bare = path.is_dir() and git.out("rev-parse", "--is-bare-repository", cwd=path)
    if bare == "true":
        git.run("symbolic-ref", "HEAD", "refs/heads/main", cwd=path)
        return f"  {remote}'s HEAD now names main: a fresh clone checks out main"
    return (
        f"  {remote}'s default branch is not main, so a fresh clone checks out"
        " nothing: make main the default (the hosting service's settings, or"
        " `git symbolic-ref HEAD refs/heads/main` in the bare repository)"
    )


def span(names: list[str]) -> str:
    if len(names) <= 3:
        return ", ".join(names)
    return f"{names[0]} to {names[-1]} ({len(names)} tags)"
