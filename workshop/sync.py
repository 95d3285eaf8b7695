"""`workshop sync`: take the class remote's step tags and solution refs.

The class remote is the authority, so moved tags are taken by force; the
learner's branches and files are left as they are. It says which steps
changed, how, and whether the learner's current step is one of them.
"""

from __future__ import annotations

from pathlib import Path

from workshop import classroom, git
from workshop.build import FINAL_TAG
from workshop.manifest import ManifestError, load_manifest


def _tags(root: Path) -> dict[str, str]:
    found = git.tags(root, "step-*")
    final = git.rev(f"refs/tags/{FINAL_TAG}", root)
    return {**found, FINAL_TAG: final} if final else found


def sync(root: Path, remote: str | None = None) -> list[str]:
    """Take the class remote's tags and solution refs; say what changed."""
    remote = classroom.class_remote(root, remote)
    listing = git.out("ls-remote", "--tags", remote, "step-*", FINAL_TAG, cwd=root)
    offered = {line.split("\t")[1] for line in listing.splitlines()}
    if not any(ref.startswith("refs/tags/step-") for ref in offered):
        raise classroom.ClassRemoteError(
            f"{remote} has no step tags yet: the instructor publishes them with"
            f" `workshop publish {remote}`"
        )
    before = _tags(root)
    final = (classroom.FINAL,) if f"refs/tags/{FINAL_TAG}" in offered else ()
    git.run(
        "fetch", "--quiet", "--no-tags", remote, f"+refs/heads/*:refs/remotes/{remote}/*",
        classroom.STEP_TAGS, *final, classroom.SOLUTION_REFS, cwd=root,
    )  # fmt: skip
    after = _tags(root)
    moved = [name for name in after if before.get(name, after[name]) != after[name]]
    added = [name for name in after if name not in before]
    lines = [f"synced with {remote}: " + _counts(moved, added, len(after))]
    lines += _changes(root, before, after, moved)
    lines += _your_step(root, before, moved)
    fast_forwarded = _fast_forward_main(root, remote)
    return lines + ([fast_forwarded] if fast_forwarded else [])


def _counts(moved: list[str], added: list[str], total: int) -> str:
    parts = [f"{len(moved)} tags moved", f"{len(added)} new"]
    unchanged = total - len(moved) - len(added)
    return ", ".join([*parts, f"{unchanged} unchanged"]) + "; solution refs refreshed"


def _changes(
    root: Path, before: dict[str, str], after: dict[str, str], moved: list[str]
) -> list[str]:
    """One line per distinct change: which tags, which files, how much."""
    groups: dict[str, list[str]] = {}
    for name in moved:
        old, new = before[name], after[name]
        files = git.out("diff", "--name-only", old, new, cwd=root).splitlines()
        stat = git.out("diff", "--shortstat", old, new, cwd=root)
        change = (
            f"{', '.join(files)} ({stat})"
            if files
            else "same files (an earlier step changed)"
        )
        groups.setdefault(change, []).append(name)
    return [f"  {classroom.span(names)}: {change}" for change, names in groups.items()]


def _your_step(root: Path, before: dict[str, str], moved: list[str]) -> list[str]:
    try:
        step = load_manifest(root).current_step
    except ManifestError:
        step = None
    if step is None:
        return []
    if step.tag not in moved:
        return [f"your step, {step.number:02d}, did not change"]
    old = git.peel(before[step.tag], root) or before[step.tag]
    branch = git.current_branch(root)
    if branch is None:
        take = f"`workshop goto {step.number}` puts you on a branch at the new one"
    else:
        take = (
            f"your branch {branch} still starts from the old {step.tag}; to take the"
            f" change into it: `git rebase --autostash --onto {step.tag} {old[:12]}`"
        )
    return [
        f"your step, {step.number:02d}, changed. Your files are as they were; {take}"
    ]


def _fast_forward_main(root: Path, remote: str) -> str | None:
    """Bring main up to the class remote's when it only lags behind it."""
    mine, theirs = git.peel("refs/heads/main", root), git.peel(f"{remote}/main", root)
    if not mine or not theirs or mine == theirs:
        return None
    behind = git.run("merge-base", "--is-ancestor", mine, theirs, cwd=root, check=False)
    if behind.returncode != 0:
        return None
    if git.current_branch(root) == "main":
        return f"your main is behind {remote}/main: `git merge --ff-only {remote}/main`"
    git.run("update-ref", "refs/heads/main", theirs, mine, cwd=root)
    return f"main fast-forwarded to {remote}/main"
