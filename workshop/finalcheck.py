"""Invariant 5: the final tree is main with its markers removed, and nothing else."""

from __future__ import annotations

import re

from workshop.manifest import MANIFEST
from workshop.source import Source, Tree

_BLOCK = re.compile(r"^(#|--|<!--)\s*(>>>|<<<|---\s*stub)(.*)$")
_LINE_MARK = re.compile(r"\s+(#|--)\s*(solution|since|until) \d{2}( until \d{2})?\s*$")


def _strip_independently(text: str) -> list[str]:
    """Main's text as the final tree must show it, non-blank lines only.

    Written apart from the renderer on purpose, from the rules alone: at the
    end every block or line with an 'until' is gone, stub sections are gone,
    and every marker comment is gone.
    """
    kept: list[str] = []
    dropping = False
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if number == 0 and re.match(r"^(#|--)\s*workshop:", stripped):
            continue
        if block := _BLOCK.match(stripped):
            kind, rest = block[2], block[3]
            dropping = (kind == ">>>" and " until " in f" {rest} ") or kind.startswith(
                "---"
            )
            continue
        if dropping or re.search(r"(#|--)\s*(since \d{2} )?until \d{2}\s*$", line):
            continue
        kept.append(_LINE_MARK.sub("", line))
    return [line for line in kept if line.strip()]


def final_equals_main(source: Source, tree: Tree) -> list[str]:
    problems = []
    for path, item in source.files.items():
        if path in (MANIFEST, "WORKSHOP.md"):
            continue
        if item.marked is None or not item.marked.has_markers:
            if tree.get(path, (None, None))[1] != item.data:
                problems.append(f"final: invariant 5: {path} differs from main")
            continue
        if path not in tree:
            if not (item.marked.file_span and item.marked.file_span.end is not None):
                problems.append(f"final: invariant 5: {path} is missing")
            continue
        expected = _strip_independently(item.data.decode("utf-8"))
        got = [
            line for line in tree[path][1].decode("utf-8").splitlines() if line.strip()
        ]
        if expected != got:
            problems.append(
                f"final: invariant 5: {path} is not main without its markers"
            )
    return problems
