"""A step's text cut into its parts: the body, and from the instructor notes
the objectives and key points that learners see too (Carpentries style)."""

from __future__ import annotations

import re
from dataclasses import dataclass

NOTES = "\n## Instructor notes"


@dataclass(frozen=True)
class Parts:
    """A step's text cut into what the book shows where."""

    body: str  # without the instructor notes
    notes: str
    objectives: str
    key_points: str


def split_text(text: str) -> Parts:
    body, _, notes = text.partition(NOTES)
    found = {
        name: re.search(rf"(?ms)^- \*\*{name}:\*\*(.*?)(?=^- \*\*|\Z)", notes)
        for name in ("Objectives", "Key points")
    }
    return Parts(
        body=body.rstrip() + "\n",
        notes=notes.split("\n", 1)[-1].strip(),
        objectives=_clean(found["Objectives"]),
        key_points=_clean(found["Key points"]),
    )


def _clean(match: re.Match[str] | None) -> str:
    return " ".join(match.group(1).split()) if match else ""
