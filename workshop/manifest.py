"""The step manifest: the ordered list of drills, read from manifest.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from pydantic_core import ErrorDetails

MANIFEST = "workshop/manifest.toml"
STEPS_DIR = "workshop/steps"
# Every key is known and typed: a typo or `teach = "ten"` is an error naming it.
_SCHEMA = ConfigDict(extra="forbid", frozen=True)
Minutes = Annotated[StrictInt, Field(ge=0)]


class ManifestError(ValueError):
    """The manifest is malformed; the message says which entry and why."""


class Step(BaseModel):
    model_config = _SCHEMA

    number: Annotated[StrictInt, Field(ge=0)]
    slug: Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: StrictStr
    part: StrictStr
    bullet: StrictStr
    teach: Minutes
    exercise: Minutes
    task: StrictStr
    gives: tuple[StrictStr, ...] = ()

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


class _Settings(BaseModel):
    """The [workshop] table."""

    model_config = _SCHEMA

    title: StrictStr = "Workshop"
    exclude: tuple[StrictStr, ...] = ()
    current: StrictStr | None = None
    last: StrictInt | None = None


class _File(BaseModel):
    model_config = _SCHEMA

    workshop: _Settings = _Settings()
    step: tuple[Step, ...] = ()


def parse_manifest(text: str) -> Manifest:
    try:
        data = _File.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{MANIFEST} is not valid TOML: {error}") from None
    except ValidationError as error:
        problems = "; ".join(_problem(e) for e in error.errors())
        raise ManifestError(f"{MANIFEST}: {problems}") from None
    steps = data.step
    numbers = [s.number for s in steps]
    if numbers != sorted(set(numbers)) or (numbers and numbers[0] != 0):
        raise ManifestError(
            f"{MANIFEST}: steps must start at 0 and increase, got {numbers}"
        )
    if not steps:
        raise ManifestError(f"{MANIFEST} lists no steps")
    settings = data.workshop
    return Manifest(
        title=settings.title,
        steps=steps,
        exclude=settings.exclude,
        current=settings.current,
        last_number=steps[-1].number if settings.last is None else settings.last,
    )


def _problem(error: ErrorDetails) -> str:
    """One validation error as "step entry 3: key 'teach' ..."."""
    where, path = "", list(error["loc"])
    if path[:1] == ["step"] and len(path) > 1:
        where, path = f"step entry {int(path[1]) + 1}: ", path[2:]
    elif path[:1] == ["workshop"]:
        where, path = "[workshop]: ", path[1:]
    key = ".".join(str(part) for part in path)
    if error["type"] == "extra_forbidden":
        return f"{where}unknown key {key!r}"
    if error["type"] == "missing":
        return f"{where}lacks key {key!r}"
    return f"{where}key {key!r}: {error['msg']} (got {error['input']!r})"


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
