"""The step manifest: the ordered list of drills, read from manifest.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "workshop/manifest.toml"
STEPS_DIR = "workshop/steps"
_REQUIRED = ("number", "slug", "title", "part", "bullet", "teach", "exercise", "task")


class ManifestError(ValueError):
    """The manifest is malformed; the message says which entry and why."""


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    part: str
    bullet: str
    teach: int
    exercise: int
    task: str
    gives: tuple[str, ...] = ()

    @property
    def tag(self) -> str:
        return f"step-{self.number:02d}"

    @property
    def text_path(self) -> str:
        return f"{STEPS_DIR}/{self.number:02d}-{self.slug}.md"

    @property
    def minutes(self) -> int:
        return self.teach + self.exercise


@dataclass(frozen=True)
class Manifest:
    title: str
    steps: tuple[Step, ...]
    exclude: tuple[str, ...]
    current: str | None  # "step-07" or "final" in a generated tree; None on main
    last_number: int  # the workshop's last step, also where later ones are cut

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        known = ", ".join(f"{s.number:02d}" for s in self.steps)
        raise ManifestError(f"there is no step {number:02d} (known: {known})")

    @property
    def numbers(self) -> list[int]:
        return [s.number for s in self.steps]

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def current_step(self) -> Step | None:
        """The drill to do in this tree; None on main and at the final tag."""
        if self.current is None or self.current == "final":
            return None
        return self.step(int(self.current.removeprefix("step-")))


def parse_manifest(text: str) -> Manifest:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{MANIFEST} is not valid TOML: {error}") from None
    steps = []
    for index, entry in enumerate(data.get("step", [])):
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            raise ManifestError(
                f"{MANIFEST}: step entry {index + 1} lacks {', '.join(missing)}"
            )
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["slug"]):
            raise ManifestError(
                f"{MANIFEST}: slug {entry['slug']!r} must be kebab-case"
            )
        steps.append(Step(**{**entry, "gives": tuple(entry.get("gives", ()))}))
    numbers = [s.number for s in steps]
    if numbers != sorted(set(numbers)) or (numbers and numbers[0] != 0):
        raise ManifestError(
            f"{MANIFEST}: steps must start at 0 and increase, got {numbers}"
        )
    if not steps:
        raise ManifestError(f"{MANIFEST} lists no steps")
    workshop = data.get("workshop", {})
    return Manifest(
        title=workshop.get("title", "Workshop"),
        steps=tuple(steps),
        exclude=tuple(workshop.get("exclude", ())),
        current=workshop.get("current"),
        last_number=workshop.get("last", steps[-1].number),
    )


def load_manifest(root: Path) -> Manifest:
    path = root / MANIFEST
    if not path.exists():
        raise ManifestError(f"{path} not found: run this from the workshop's folder")
    return parse_manifest(path.read_text(encoding="utf-8"))


def manifest_for_step(text: str, upto: int, current: str, last: int) -> str:
    """The manifest as a generated step carries it: later steps cut, current set.

    Works on the text, so comments and layout survive exactly.
    """
    chunks = re.split(r"(?m)^(?=\[\[step\]\]\s*$)", text)
    head, entries = chunks[0], chunks[1:]
    kept = [chunk for chunk in entries if _number(chunk) <= upto]
    if kept:
        kept[-1] = kept[-1].rstrip("\n") + "\n"
    head = re.sub(r"(?m)^(current|last)\s*=.*\n", "", head)
    stamp = f'[workshop]\ncurrent = "{current}"\nlast = {last}\n'
    head = re.sub(r"(?m)^\[workshop\]\s*\n", stamp, head, count=1)
    return head + "".join(kept)


def _number(chunk: str) -> int:
    match = re.search(r"(?m)^number\s*=\s*(\d+)", chunk)
    if not match:
        raise ManifestError(f"{MANIFEST}: a [[step]] entry has no number")
    return int(match[1])
