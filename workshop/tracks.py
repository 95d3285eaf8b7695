"""Tracks (which drills a session covers) and the clock plan of a session.

The tracks live in `workshop/tracks.toml`; the minutes come from the manifest.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop.manifest import Manifest, Step

TRACKS = "workshop/tracks.toml"
DAY_END = "17:30"
LUNCH_FROM = "12:00"
LUNCH_MINUTES = 45
BREAK_MINUTES = 10
BREAK_AFTER = 90  # minutes of steps at most between two breaks
BUFFER = 30  # minutes of slack a day keeps for questions and set-up trouble
DAY_MINUTES = 390  # 6.5 hours of teaching and exercises


class TrackError(ValueError):
    """The tracks file is wrong, or a track name is unknown; says which."""


@dataclass(frozen=True)
class Track:
    name: str
    title: str
    days: int
    steps: tuple[int, ...]
    bridges: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Tracks:
    requires: dict[int, tuple[int, ...]]
    tracks: tuple[Track, ...]

    def get(self, name: str) -> Track:
        for track in self.tracks:
            if track.name == name:
                return track
        known = ", ".join(t.name for t in self.tracks) or f"none: no {TRACKS}"
        raise TrackError(f"there is no track {name!r} (known: {known})")


class _TrackEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    days: int = Field(ge=1)
    steps: list[int] | Literal["all"]
    bridges: dict[int, str] = {}


class _TracksFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requires: dict[int, list[int]] = {}
    track: list[_TrackEntry] = []


def load_tracks(root: Path, known: Iterable[int]) -> Tracks:
    """The tracks, cut to the ``known`` steps (a manifest's, or the built tags)."""
    path = root / TRACKS
    if not path.exists():
        return Tracks({}, ())
    try:
        data = _TracksFile.model_validate(
            tomllib.loads(path.read_text(encoding="utf-8"))
        )
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TrackError(f"{TRACKS}: {error}") from None
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
        )
        raise TrackError(f"{TRACKS}: {where}") from None
    numbers = sorted(set(known))
    tracks = tuple(
        Track(
            name=entry.name,
            title=entry.title,
            days=entry.days,
            steps=tuple(
                n
                for n in (numbers if entry.steps == "all" else entry.steps)
                if n in numbers
            ),
            bridges={n: text for n, text in entry.bridges.items() if n in numbers},
        )
        for entry in data.track
    )
    requires = {n: tuple(earlier) for n, earlier in data.requires.items()}
    return Tracks(requires, tracks)


def problems(tracks: Tracks, manifest: Manifest) -> list[str]:
    """Every way the tracks break the rules; empty when they hold."""
    found = []
    for track in tracks.tracks:
        steps = set(track.steps)
        if list(track.steps) != sorted(steps):
            found.append(f"track {track.name}: steps must increase")
        for number in track.steps:
            cut = [n for n in tracks.requires.get(number, ()) if n not in steps]
            if cut and number not in track.bridges:
                found.append(
                    f"track {track.name}: step {number:02d} requires"
                    f" {', '.join(f'{n:02d}' for n in cut)}, which it skips;"
                    " add the step or a bridge note"
                )
        for number in track.bridges:
            if number not in steps:
                found.append(
                    f"track {track.name}: bridge for step {number:02d}, not on it"
                )
        minutes = sum(manifest.step(n).minutes for n in track.steps)
        allowed = track.days * (DAY_MINUTES - BUFFER)
        if minutes > allowed:
            found.append(
                f"track {track.name}: {minutes} min of steps do not fit"
                f" {track.days} day(s) of {DAY_MINUTES} min with a {BUFFER}-min buffer"
            )
    return found


def check(root: Path, manifest: Manifest) -> list[str]:
    """`verify`'s view: the tracks file of ``root`` against its manifest."""
    try:
        return problems(load_tracks(root, manifest.numbers), manifest)
    except TrackError as error:
        return [str(error)]


@dataclass(frozen=True)
class Slot:
    day: int
    start: datetime
    minutes: int
    step: Step | None  # None: a break or lunch
    label: str


def schedule(steps: list[Step], start: str) -> list[Slot]:
    """A clock plan: steps in order, a break at least every 90 minutes, lunch
    from noon, a new day when a step would end after 17:30."""
    day, slots = 1, []
    clock = _at(start, day)
    worked, lunched = 0, False
    for step in steps:
        if clock + timedelta(minutes=step.minutes) > _at(DAY_END, day):
            day, worked, lunched = day + 1, 0, False
            clock = _at(start, day)
        lunch_at = _at(LUNCH_FROM, day)
        if not lunched and clock + timedelta(minutes=step.minutes / 2) > lunch_at:
            slots.append(Slot(day, clock, LUNCH_MINUTES, None, "lunch"))
            clock += timedelta(minutes=LUNCH_MINUTES)
            worked, lunched = 0, True
        elif worked and worked + step.minutes > BREAK_AFTER:
            slots.append(Slot(day, clock, BREAK_MINUTES, None, "break"))
            clock += timedelta(minutes=BREAK_MINUTES)
            worked = 0
        slots.append(Slot(day, clock, step.minutes, step, step.title))
        clock += timedelta(minutes=step.minutes)
        worked += step.minutes
    return slots


def plan_lines(track: Track, manifest: Manifest, start: str) -> list[str]:
    steps = [manifest.step(n) for n in track.steps]
    slots = schedule(steps, start)
    lines = [f"{track.name}: {track.title}"]
    for slot in slots:
        if slot.day != (slots[slots.index(slot) - 1].day if slots.index(slot) else 0):
            lines.append(f"day {slot.day}")
        end = slot.start + timedelta(minutes=slot.minutes)
        span = f"  {slot.start:%H:%M}-{end:%H:%M}"
        if slot.step is None:
            lines.append(f"{span}  {slot.label}")
        else:
            s = slot.step
            lines.append(
                f"{span}  step {s.number:02d}  {s.title}"
                f" ({s.teach} teach + {s.exercise} exercise)"
            )
    per_part = Counter[str]()
    for step in steps:
        per_part[step.part] += step.minutes
    last = slots[-1].start + timedelta(minutes=slots[-1].minutes)
    totals = ", ".join(f"{part} {_hm(m)}" for part, m in per_part.items())
    lines.append(f"ends {last:%H:%M} on day {slots[-1].day}")
    lines.append(f"steps: {_hm(sum(per_part.values()))} ({totals})")
    return lines


def _at(clock: str, day: int) -> datetime:
    try:
        time = datetime.strptime(clock, "%H:%M")
    except ValueError:
        raise TrackError(f"a time is HH:MM, such as 09:00; got {clock!r}") from None
    return time + timedelta(days=day - 1)


def _hm(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}"
