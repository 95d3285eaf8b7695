"""The one source (main) and what each generated step makes of it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from workshop import git, index
from workshop.manifest import (
    MANIFEST,
    STEPS_DIR,
    Manifest,
    manifest_for_step,
    parse_manifest,
)
from workshop.markers import COMMENT_STYLES, MarkedFile, MarkerError, Span, parse
from workshop.render import StubContext, check_python, render

TEST_FILE = re.compile(r"^tests/(?:.*/)?test_step_(\d{2})_[^/]*\.py$")
TEXT_FILE = re.compile(rf"^{STEPS_DIR}/(\d{{2}})-([^/]*)\.md$")
GUIDE = "WORKSHOP.md"


@dataclass
class SourceFile:
    path: str
    mode: str
    data: bytes
    marked: MarkedFile | None = None
    intro: Span | None = None  # from the naming rules: test files, texts, gives


@dataclass
class Source:
    manifest: Manifest
    manifest_text: str
    files: dict[str, SourceFile]
    maintainer: dict[str, bytes] = field(default_factory=dict)  # excluded files


Tree = dict[str, tuple[str, bytes]]


def load_from_git(repo: Path, ref: str = "main") -> Source:
    if git.peel(ref, repo) is None:
        raise git.GitError(
            f"there is no {ref!r} in {repo}; build from the workshop's main branch"
        )
    entries = git.ls_tree(ref, repo)
    blobs = git.read_blobs([e.sha for e in entries], repo)
    return _assemble({e.path: (e.mode, blobs[e.sha]) for e in entries})


def load_from_dir(root: Path) -> Source:
    """The working tree as it is now (tracked and untracked, not ignored)."""
    listing = git.out("ls-files", "-z", "-c", "-o", "--exclude-standard", cwd=root)
    files: dict[str, tuple[str, bytes]] = {}
    for path in filter(None, listing.split("\0")):
        full = root / path
        if full.is_file():
            mode = "100755" if full.stat().st_mode & 0o111 else "100644"
            files[path] = (mode, full.read_bytes())
    return _assemble(files)


def _assemble(raw: dict[str, tuple[str, bytes]]) -> Source:
    if MANIFEST not in raw:
        raise MarkerError(MANIFEST, 0, "the step manifest is missing")
    manifest_text = raw[MANIFEST][1].decode("utf-8")
    manifest = parse_manifest(manifest_text)
    files: dict[str, SourceFile] = {}
    maintainer: dict[str, bytes] = {}
    for path, (mode, data) in sorted(raw.items()):
        if any(fnmatch(path, pattern) for pattern in manifest.exclude):
            maintainer[path] = data
            continue
        item = SourceFile(path, mode, data, intro=_intro(path, manifest))
        if _markable(path, data):
            item.marked = parse(path, data.decode("utf-8"))
        files[path] = item
    _validate(manifest, files)
    return Source(manifest, manifest_text, files, maintainer)


def _markable(path: str, data: bytes) -> bool:
    # The engine describes markers in its own docstrings; it is never marked.
    if path in (MANIFEST, GUIDE) or path.startswith("workshop/"):
        return False
    if Path(path).suffix not in COMMENT_STYLES or b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _intro(path: str, manifest: Manifest) -> Span | None:
    if match := TEST_FILE.match(path) or TEXT_FILE.match(path):
        return Span("since", int(match[1]), None)
    for step in manifest.steps:
        if any(fnmatch(path, pattern) for pattern in step.gives):
            return Span("since", step.number, None)
    return None


def _validate(manifest: Manifest, files: dict[str, SourceFile]) -> None:
    known = set(manifest.numbers)
    for item in files.values():
        if item.intro and item.intro.start not in known:
            raise MarkerError(
                item.path,
                0,
                f"names step {item.intro.start:02d}, which the manifest does not list",
            )
        if match := TEXT_FILE.match(item.path):
            expected = manifest.step(int(match[1])).text_path
            if item.path != expected:
                raise MarkerError(
                    item.path,
                    0,
                    f"the text of step {match[1]} must be named {expected}",
                )
        if item.marked is None:
            continue
        for line, span in item.marked.spans():
            if not span.steps <= known:
                unknown = sorted(span.steps - known)[0]
                listed = f"{min(known):02d}-{max(known):02d}"
                raise MarkerError(
                    item.path,
                    line,
                    f"unknown step {unknown:02d} (the manifest lists {listed})",
                )
    for step in manifest.steps:
        if step.text_path not in files:
            raise MarkerError(
                step.text_path,
                0,
                f"step {step.number:02d} has no text; write {step.text_path}",
            )


def _visible(span: Span | None, step: int, solved: bool) -> bool:
    return span is None or span.visible(step, solved) != "absent"


def render_tree(
    source: Source, step: int, solved: bool = False, final: bool = False
) -> Tree:
    """Every file of the tree at ``step`` (``final``: the finished workshop)."""
    manifest = source.manifest
    if final:
        step, solved = manifest.last.number, True
    current = "final" if final else f"step-{step:02d}"
    tree: Tree = {}
    for path, item in source.files.items():
        if not _visible(item.intro, step, solved):
            continue
        if path == MANIFEST:
            data = manifest_for_step(
                source.manifest_text, step, current, manifest.last.number
            ).encode()
        elif path == GUIDE:
            data = index.refresh(
                item.data.decode("utf-8"), manifest.steps[: step + 1]
            ).encode()
        elif item.marked is not None:
            rendered = _render_file(item, manifest, step, solved)
            if rendered is None:
                continue
            data = rendered
        else:
            data = item.data
        tree[path] = (item.mode, data)
    return tree


def _render_file(
    item: SourceFile, manifest: Manifest, step: int, solved: bool
) -> bytes | None:
    assert item.marked is not None
    if not item.marked.has_markers:
        return item.data
    context = StubContext(step, manifest.step(step).text_path)
    text = render(item.marked, step, solved, context)
    if text is None:
        return None
    if item.path.endswith(".py"):
        try:
            check_python(item.path, text)
        except MarkerError as error:
            raise MarkerError(
                item.path, error.line, f"at step {step:02d}: {error.problem}"
            ) from None
    return text.encode("utf-8")


def introduced_by(source: Source, step: int) -> set[str]:
    """Paths that carry something of ``step``: markers, tests, texts, gives."""
    paths = {MANIFEST, GUIDE}
    for path, item in source.files.items():
        if item.intro and item.intro.start == step:
            paths.add(path)
        if item.marked and step in item.marked.steps:
            paths.add(path)
    return paths
