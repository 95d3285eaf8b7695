"""Every git call the workshop makes goes through this module."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The builder's fixed identity: the same commits on every machine, and no need
# for the user to have configured git.
BUILDER_NAME = "Persistence Drills builder"
BUILDER_EMAIL = "builder@persistence-drills.invalid"
# Used only when the user has no identity of their own and a command must
# commit their work (never for the generated steps).
FALLBACK_NAME = "Workshop learner"
FALLBACK_EMAIL = "learner@persistence-drills.invalid"


class GitError(RuntimeError):
    """A git command failed; the message carries the command and git's words."""


@dataclass(frozen=True)
class Entry:
    mode: str
    sha: str
    path: str


def run(
    *args: str,
    cwd: Path,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})}
    result = subprocess.run(
        ["git", *args], cwd=cwd, input=input, env=full_env, capture_output=True
    )
    if check and result.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed: {_said(result)}")
    return result


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own words: some commands (`stash push`) explain on stdout."""
    for stream in (result.stderr, result.stdout):
        if text := stream.decode(errors="replace").strip():
            return text
    return f"exit code {result.returncode}, no message"


def passthrough(args: list[str], cwd: Path) -> int:
    """Run git on the user's terminal (their pager, colours and language);
    return its exit code."""
    return subprocess.run(["git", *args], cwd=cwd).returncode


def out(*args: str, cwd: Path, check: bool = True) -> str:
    return run(*args, cwd=cwd, check=check).stdout.decode().strip()


def toplevel(path: Path) -> Path:
    try:
        return Path(out("rev-parse", "--show-toplevel", cwd=path))
    except (GitError, FileNotFoundError):
        raise GitError(f"{path} is not inside a git repository") from None


def rev(ref: str, cwd: Path) -> str | None:
    result = run(
        "rev-parse", "--verify", "--quiet", f"{ref}^{{object}}", cwd=cwd, check=False
    )
    return result.stdout.decode().strip() or None


def peel(ref: str, cwd: Path) -> str | None:
    """The commit a ref or tag points at, or None when it does not exist."""
    result = run(
        "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=cwd, check=False
    )
    return result.stdout.decode().strip() or None


def ls_tree(ref: str, cwd: Path) -> list[Entry]:
    raw = run("ls-tree", "-r", "-z", "--full-tree", ref, cwd=cwd).stdout.decode()
    entries = []
    for record in filter(None, raw.split("\0")):
        meta, path = record.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            entries.append(Entry(mode, sha, path))
    return entries


def read_blobs(shas: list[str], cwd: Path) -> dict[str, bytes]:
    """Read many blobs with one git process."""
    if not shas:
        return {}
    unique = list(dict.fromkeys(shas))
    raw = run(
        "cat-file", "--batch", cwd=cwd, input="\n".join(unique).encode() + b"\n"
    ).stdout
    blobs: dict[str, bytes] = {}
    position = 0
    for sha in unique:
        header_end = raw.index(b"\n", position)
        size = int(raw[position:header_end].split()[2])
        start = header_end + 1
        blobs[sha] = raw[start : start + size]
        position = start + size + 1
    return blobs


def identity_env(cwd: Path) -> dict[str, str]:
    """Author/committer variables for committing the user's own work.

    The user's configured identity wins; without one, a clearly fake fallback
    keeps `git commit` from failing on a fresh machine.
    """
    name = out("config", "user.name", cwd=cwd, check=False)
    email = out("config", "user.email", cwd=cwd, check=False)
    if name and email:
        return {}
    return {
        "GIT_AUTHOR_NAME": name or FALLBACK_NAME,
        "GIT_AUTHOR_EMAIL": email or FALLBACK_EMAIL,
        "GIT_COMMITTER_NAME": name or FALLBACK_NAME,
        "GIT_COMMITTER_EMAIL": email or FALLBACK_EMAIL,
    }


def is_ignored(path: Path, cwd: Path) -> bool:
    """True when .gitignore (or git's other exclude rules) leaves ``path`` out."""
    return (
        run("check-ignore", "--quiet", str(path), cwd=cwd, check=False).returncode == 0
    )


def current_branch(cwd: Path) -> str | None:
    name = out("symbolic-ref", "--quiet", "--short", "HEAD", cwd=cwd, check=False)
    return name or None


def is_dirty(cwd: Path, pathspec: tuple[str, ...] = ()) -> bool:
    """True when there are uncommitted changes, untracked files included."""
    return bool(
        out("status", "--porcelain", "--untracked-files=all", "--", *pathspec, cwd=cwd)
    )


def git_dir(cwd: Path) -> Path:
    return Path(out("rev-parse", "--absolute-git-dir", cwd=cwd))


def unmerged_paths(cwd: Path) -> list[str]:
    listing = out("diff", "--name-only", "--diff-filter=U", cwd=cwd)
    return listing.splitlines()


def remotes(cwd: Path) -> list[str]:
    return out("remote", cwd=cwd).splitlines()


def tags(cwd: Path, pattern: str) -> dict[str, str]:
    """Tag name -> tag object (or commit, for lightweight tags)."""
    listing = out(
        "for-each-ref",
        "--format=%(refname:short) %(objectname)",
        f"refs/tags/{pattern}",
        cwd=cwd,
    )
    return dict(line.split() for line in listing.splitlines() if line)
