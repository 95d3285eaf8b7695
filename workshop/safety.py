"""Before HEAD moves: refuse in the middle of a git operation, save the rest.

Work is saved on a named ref, never left to the reflog: uncommitted changes
as commits on the learner's own `learn/...` branch (what was staged first, in
a commit of its own) or as a named stash anywhere else; commits made on a
detached HEAD on a new branch whose name is printed. Local state and secrets
(`NEVER_SAVED`) are never saved: they stay in the working tree.
"""

from __future__ import annotations

from pathlib import Path

from workshop import git

OWN_BRANCHES = "learn/"
# Also in the steps' .gitignore; repeated here for a tree whose .gitignore
# (the learner's to edit, or an old step's) forgets them.
NEVER_SAVED = (
    *(f"**/{name}" for name in (".env", ".env.*", "*.db", "*.sqlite3", "*.pkl")),
    "**/.venv/**",
    "catalog.*",
)
_NEVER_SAVED_FILES = tuple(f":(glob){pattern}" for pattern in NEVER_SAVED)
SAVED = (".", *(f":(exclude,glob){pattern}" for pattern in NEVER_SAVED))

# (file in the git dir, what is going on, how to finish it, how to abort it)
_OPERATIONS = (
    ("rebase-merge", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("rebase-apply/applying", "a `git am`", "git am --continue", "git am --abort"),
    ("rebase-apply", "a rebase", "git rebase --continue", "git rebase --abort"),
    ("MERGE_HEAD", "a merge", "git commit", "git merge --abort"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue",
     "git cherry-pick --abort"),
    ("REVERT_HEAD", "a revert", "git revert --continue", "git revert --abort"),
    ("BISECT_LOG", "a bisect", "git bisect reset", "git bisect reset"),
)  # fmt: skip


class Refused(RuntimeError):
    """HEAD must not move now; the message says why and what to run."""


def refuse_mid_operation(root: Path) -> None:
    """Raise Refused while git is in the middle of something HEAD must not leave."""
    gitdir = git.git_dir(root)
    unmerged = git.unmerged_paths(root)
    conflicts = (
        f"these files have conflicts: {', '.join(unmerged)}. Fix them and"
        " `git add` them, then "
        if unmerged
        else ""
    )
    for name, what, finish, abort in (*_OPERATIONS, *_sequence(gitdir)):
        if (gitdir / name).exists():
            raise Refused(
                f"{what} is in progress; {conflicts}finish it (`{finish}`) or abort"
                f" it (`{abort}`), then run this again"
            )
    if unmerged:
        raise Refused(
            f"{conflicts}run this again; or drop the conflicting changes with"
            " `git reset --merge`"
        )


def _sequence(gitdir: Path) -> list[tuple[str, str, str, str]]:
    """A cherry-pick or revert of several commits, between two of them."""
    todo = gitdir / "sequencer" / "todo"
    if not todo.exists():
        return []
    command = (
        "revert"
        if todo.read_text(encoding="utf-8").startswith("revert")
        else "cherry-pick"
    )
    what = f"a {command} of several commits"
    return [("sequencer", what, f"git {command} --continue", f"git {command} --abort")]


def save_work(root: Path, reason: str) -> list[str]:
    """Put commits and changes that HEAD would leave behind on named refs;
    return what to tell the learner."""
    messages = []
    saved_branch = _save_detached_commits(root)
    if saved_branch:
        messages.append(saved_branch)
    if git.peel("HEAD", root):
        git.run("reset", "--quiet", "--", *_NEVER_SAVED_FILES, cwd=root)
    if not git.is_dirty(root, SAVED):
        return messages
    branch = git.current_branch(root)
    if branch and branch.startswith(OWN_BRANCHES):
        messages.append(_commit_work(root, branch, reason))
    else:
        messages.append(_stash_work(root, branch, reason))
    return messages


def _save_detached_commits(root: Path) -> str | None:
    if git.current_branch(root) or not git.peel("HEAD", root):
        return None
    unsaved = git.out(
        "rev-list", "HEAD", "--not", "--branches", "--tags", "--remotes",
        "--glob=refs/workshop/*", cwd=root,
    ).splitlines()  # fmt: skip
    if not unsaved:
        return None
    branch = f"{OWN_BRANCHES}saved-{unsaved[0][:7]}"
    git.run("checkout", "--quiet", "-b", branch, cwd=root)
    count = f"{len(unsaved)} commit{'s' if len(unsaved) > 1 else ''}"
    return (
        f"what you committed on a detached HEAD ({count}) is saved on a new"
        f" branch {branch}"
        f" (`git checkout {branch}` to go back to them)"
    )


def _commit(root: Path, message: str) -> None:
    git.run(
        "commit", "--quiet", "--no-verify", "-m", message,
        cwd=root, env=git.identity_env(root),
    )  # fmt: skip


def _has_staged(root: Path) -> bool:
    return git.run("diff", "--cached", "--quiet", cwd=root, check=False).returncode != 0


def _commit_work(root: Path, branch: str, reason: str) -> str:
    staged_first = _has_staged(root)
    if staged_first:
        _commit(root, f"workshop: my staged work, saved before {reason}")
    git.run("add", "--all", "--", *SAVED, cwd=root)
    if _has_staged(root):
        _commit(root, f"workshop: my work, saved before {reason}")
    said = f"your changes are committed on your branch {branch}"
    if staged_first:
        said += " (what you had staged in a commit of its own, first)"
    return said


def _stash_work(root: Path, branch: str | None, reason: str) -> str:
    label = f"workshop: saved before {reason} (was on {branch or 'a detached HEAD'})"
    git.run(
        "stash", "push", "--include-untracked", "-m", label, "--", *SAVED,
        cwd=root, env=git.identity_env(root),
    )  # fmt: skip
    return (
        f"your changes are stashed as {label!r}: `git stash list` shows it,"
        " `git stash apply --index` brings it back, staged changes staged"
    )
