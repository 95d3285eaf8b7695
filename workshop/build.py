"""The builder: main -> one linear history of step commits, tagged.

Everything is written with git plumbing (fast-import, mktag, update-ref), so
the user's branches, index and working tree are never touched. Fixed author,
committer and dates make the hashes the same on every machine.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workshop import git
from workshop.source import Source, Tree, load_from_git, render_tree

EPOCH = 1767225600  # 2026-01-01T00:00:00Z; step i is dated EPOCH + i minutes
FINAL_TAG = "final"
SOLUTIONS = "refs/workshop/solutions"
_SCRATCH = "refs/workshop/scratch"


class BuildRefused(RuntimeError):
    """An existing tag differs from the new build and --force was not given."""


@dataclass
class BuildResult:
    tags: dict[str, str] = field(default_factory=dict)  # tag -> commit
    created: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def solution_ref(number: int) -> str:
    return f"{SOLUTIONS}/{number:02d}"


def _stamp(index: int) -> str:
    return f"{git.BUILDER_NAME} <{git.BUILDER_EMAIL}> {EPOCH + 60 * index} +0000"


class _Stream:
    """A git fast-import stream with blobs written once and marked."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.blob_marks: dict[bytes, int] = {}
        self.next_mark = 1

    def _mark(self) -> int:
        self.next_mark += 1
        return self.next_mark - 1

    def _data(self, payload: bytes) -> None:
        self.parts.append(b"data %d\n" % len(payload) + payload + b"\n")

    def blob(self, payload: bytes) -> int:
        digest = hashlib.sha256(payload).digest()
        if digest not in self.blob_marks:
            mark = self._mark()
            self.parts.append(b"blob\nmark :%d\n" % mark)
            self._data(payload)
            self.blob_marks[digest] = mark
        return self.blob_marks[digest]

    def commit(
        self, ref: str, tree: Tree, message: str, index: int, parent: int | None
    ) -> int:
        files = [
            (path, mode, self.blob(data)) for path, (mode, data) in sorted(tree.items())
        ]
        mark = self._mark()
        header = f"commit {ref}\nmark :{mark}\nauthor {_stamp(index)}\ncommitter {_stamp(index)}\n"
        self.parts.append(header.encode())
        self._data(message.encode())
        if parent is not None:
            self.parts.append(b"from :%d\n" % parent)
        self.parts.append(b"deleteall\n")
        for path, mode, blob in files:
            self.parts.append(f"M {mode} :{blob} {_quote(path)}\n".encode())
        self.parts.append(b"\n")
        return mark

    def reset(self, ref: str) -> None:
        self.parts.append(f"reset {ref}\n\n".encode())


def _quote(path: str) -> str:
    if any(c in path for c in '"\\\n ') or path.startswith('"'):
        escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return path


def plan(source: Source) -> list[tuple[str, str, Tree, Tree | None]]:
    """(tag, message, tree, solved tree) for every step, then the final state."""
    items: list[tuple[str, str, Tree, Tree | None]] = []
    for step in source.manifest.steps:
        message = f"{step.tag}: {step.title}\n\nThe task: {step.task}.\nThe text: {step.text_path}\n"
        items.append(
            (
                step.tag,
                message,
                render_tree(source, step.number),
                render_tree(source, step.number, solved=True),
            )
        )
    final_message = "final: the finished workshop, every drill solved\n"
    items.append((FINAL_TAG, final_message, render_tree(source, 0, final=True), None))
    return items


def write_commits(repo: Path, source: Source) -> tuple[dict[str, str], dict[int, str]]:
    """Write every step commit (and solved commit); return tag -> commit, step -> solved commit."""
    stream = _Stream()
    stream.reset(f"{_SCRATCH}/steps")
    marks: dict[str, int] = {}
    solved_marks: dict[int, int] = {}
    parent: int | None = None
    items = plan(source)
    for index, (tag, message, tree, solved) in enumerate(items):
        parent = stream.commit(f"{_SCRATCH}/steps", tree, message, 2 * index, parent)
        marks[tag] = parent
        if solved is not None:
            number = int(tag.removeprefix("step-"))
            stream.reset(f"{_SCRATCH}/solution")
            solved_marks[number] = stream.commit(
                f"{_SCRATCH}/solution",
                solved,
                f"solution-{number:02d}: the reference solution of drill {number:02d}\n",
                2 * index + 1,
                parent,
            )
    with tempfile.TemporaryDirectory() as scratch:
        marks_file = Path(scratch) / "marks"
        git.run(
            "fast-import", "--quiet", "--force", f"--export-marks={marks_file}",
            cwd=repo, input=b"".join(stream.parts) + b"done\n",
        )  # fmt: skip
        exported = dict(
            line.split()
            for line in marks_file.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
    for ref in ("steps", "solution"):
        git.run("update-ref", "-d", f"{_SCRATCH}/{ref}", cwd=repo, check=False)
    commits = {tag: exported[f":{mark}"] for tag, mark in marks.items()}
    solutions = {number: exported[f":{mark}"] for number, mark in solved_marks.items()}
    return commits, solutions


def make_tag(repo: Path, name: str, commit: str, message: str, index: int) -> str:
    body = (
        f"object {commit}\ntype commit\ntag {name}\ntagger {_stamp(index)}\n\n{message}"
    )
    return git.run("mktag", cwd=repo, input=body.encode()).stdout.decode().strip()


def build(repo: Path, ref: str = "main", force: bool = False) -> BuildResult:
    """Generate every step from ``ref`` and tag it; see the module docstring."""
    source = load_from_git(repo, ref)
    commits, solutions = write_commits(repo, source)
    titles = {step.tag: step.title for step in source.manifest.steps}
    titles[FINAL_TAG] = "The finished workshop"
    result = BuildResult(tags=commits)
    existing = git.tags(repo, "*")
    updates: list[str] = []
    refused: list[str] = []
    for index, (tag, commit) in enumerate(commits.items()):
        tag_object = make_tag(repo, tag, commit, f"{tag}: {titles[tag]}\n", 2 * index)
        old = existing.get(tag)
        if old == tag_object:
            result.unchanged.append(tag)
            continue
        if old is not None and not force:
            refused.append(f"{tag} (now {old[:10]}, the build makes {tag_object[:10]})")
            continue
        (result.moved if old else result.created).append(tag)
        updates.append(f"update refs/tags/{tag} {tag_object}\n")
    if refused:
        raise BuildRefused(
            f"these tags exist and differ from what {ref} builds now:\n  "
            + "\n  ".join(refused)
            + "\nA room that already fetched them would get different steps."
        )
    for number, commit in solutions.items():
        updates.append(f"update {solution_ref(number)} {commit}\n")
    git.run(
        "update-ref",
        "--stdin",
        cwd=repo,
        input=("start\n" + "".join(updates) + "commit\n").encode(),
    )
    return result
