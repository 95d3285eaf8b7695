"""`workshop schedule`, `start --track` and a learner's moves along a track.

The chosen track is kept in the clone's git folder, never in the work tree.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workshop import git, learner
from workshop.build import FINAL_TAG
from workshop.manifest import MANIFEST, Manifest, load_manifest, parse_manifest
from workshop.tracks import Track, TrackError, load_tracks, plan_lines

CHOICE = "workshop-track.json"


def full_manifest(root: Path) -> Manifest:
    """Every step's entry: main's manifest, or the final tag's in a step tree."""
    here = load_manifest(root)
    if here.current is None or git.rev(FINAL_TAG, root) is None:
        return here
    return parse_manifest(git.out("show", f"{FINAL_TAG}:{MANIFEST}", cwd=root))


def cmd_schedule(args: argparse.Namespace) -> int:
    root = git.toplevel(Path.cwd())
    manifest = full_manifest(root)
    try:
        track = load_tracks(root, manifest.numbers).get(args.track)
        lines = plan_lines(track, manifest, args.start)
    except TrackError as error:
        raise learner.LearnerError(str(error)) from None
    print("\n".join(lines))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    schedule = sub.add_parser("schedule", help="a clock plan of a track's day(s)")
    schedule.add_argument("--track", default="one-day", help="one-day, full, ...")
    schedule.add_argument("--start", default="09:00", help="HH:MM")
    schedule.set_defaults(run=cmd_schedule)


def _choice_file(root: Path) -> Path:
    return git.git_dir(root) / CHOICE


def _track(root: Path, name: str) -> Track:
    try:
        return load_tracks(root, learner.step_tags(root)).get(name)
    except TrackError as error:
        raise learner.LearnerError(str(error)) from None


def chosen(root: Path) -> Track | None:
    try:
        name = json.loads(_choice_file(root).read_text(encoding="utf-8"))["track"]
    except (OSError, ValueError, KeyError):
        return None
    return _track(root, name)


def start(root: Path, name: str | None, step: int | None) -> list[str]:
    """`workshop start [--track NAME] [STEP]`."""
    if name is None:
        return learner.goto(step or 0, root)
    learner.ensure_refs(root, [f"refs/tags/{FINAL_TAG}"], "the step tags")
    track = _track(root, name)
    if step is not None and step not in track.steps:
        on = ", ".join(f"{n:02d}" for n in track.steps)
        raise learner.LearnerError(f"step {step:02d} is not on track {name} ({on})")
    lines = learner.goto(track.steps[0] if step is None else step, root)
    _choice_file(root).write_text(json.dumps({"track": name}), encoding="utf-8")
    lines.insert(0, f"track {name}: {track.title}; `workshop next` follows it")
    return lines + bridge_lines(track, learner.here(root).step.number)


def next_step() -> list[str]:
    """The next step of the chosen track, or simply the next step."""
    current = learner.here()
    track = chosen(current.root)
    if track is None:
        return learner.next_step()
    number = current.step.number
    later = [n for n in track.steps if n > number]
    if not later:
        raise learner.LearnerError(
            f"this is the last step of track {track.name}: well done!"
            " `workshop goto N` opens any other step"
        )
    return learner.goto(later[0], current.root) + bridge_lines(track, later[0])


def bridge_lines(track: Track, number: int) -> list[str]:
    note = track.bridges.get(number)
    return ["", f"on track {track.name}:", *note.splitlines()] if note else []


def status_lines() -> list[str]:
    current = learner.here()
    track = chosen(current.root)
    if track is None:
        return []
    number = current.step.number
    if number not in track.steps:
        return [f"track {track.name}: step {number:02d} is off the track"]
    place = track.steps.index(number) + 1
    return [f"track {track.name}: step {place} of {len(track.steps)}"]


def text_lines() -> list[str]:
    """`workshop text`: the step's text, after the track's bridge note if any."""
    current = learner.here()
    step = current.step
    track = chosen(current.root)
    bridge = bridge_lines(track, step.number)[1:] if track else []
    return [
        *bridge,
        *([""] if bridge else []),
        learner.text_for_learner(current.root, step),
    ]
