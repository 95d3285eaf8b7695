"""Tracks and the schedule: the real tracks hold the rules, a day fits, and a
learner on a track moves along it and gets the bridge notes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from workshop import learner, tracks
from workshop.cli import main
from workshop.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]


def real():
    manifest = load_manifest(ROOT)
    return manifest, tracks.load_tracks(ROOT, manifest.numbers)


def test_the_real_tracks_keep_the_rules():
    manifest, found = real()
    assert tracks.problems(found, manifest) == []


def test_the_one_day_track_ends_by_half_past_five_with_lunch_and_breaks():
    manifest, found = real()
    steps = [manifest.step(n) for n in found.get("one-day").steps]
    slots = tracks.schedule(steps, "09:00")
    end = slots[-1].start + timedelta(minutes=slots[-1].minutes)
    assert {s.day for s in slots} == {1}
    assert f"{end:%H:%M}" <= "17:30"
    assert [s.label for s in slots].count("lunch") == 1
    assert sum(s.minutes for s in slots if s.step) <= tracks.DAY_MINUTES - tracks.BUFFER


def test_a_schedule_breaks_at_least_every_90_minutes_and_starts_a_new_day():
    manifest, found = real()
    steps = [manifest.step(n) for n in found.get("full").steps]
    slots = tracks.schedule(steps, "09:00")
    worked, day = 0, 1
    for slot in slots:
        if slot.step is None or slot.day != day:
            worked, day = 0, slot.day
        if slot.step is None:
            continue
        worked += slot.minutes
        assert worked <= tracks.BREAK_AFTER or worked == slot.minutes
        end = slot.start + timedelta(minutes=slot.minutes)
        assert f"{end:%H:%M}" <= tracks.DAY_END
    days = {s.day for s in slots}
    assert len(days) > 1
    assert all([s.label for s in slots if s.day == d].count("lunch") <= 1 for d in days)


def test_a_cut_without_a_bridge_and_a_day_too_long_are_named(tmp_path):
    manifest, _ = real()
    (tmp_path / "workshop").mkdir()
    (tmp_path / tracks.TRACKS).write_text(
        "[requires]\n13 = [12]\n\n"
        '[[track]]\nname = "cut"\ntitle = "t"\ndays = 1\nsteps = [11, 13]\n\n'
        '[[track]]\nname = "long"\ntitle = "t"\ndays = 1\nsteps = "all"\n',
        encoding="utf-8",
    )
    found = tracks.problems(tracks.load_tracks(tmp_path, manifest.numbers), manifest)
    assert any("step 13 requires 12" in p for p in found)
    assert any(p.startswith("track long:") and "do not fit" in p for p in found)
    assert len(found) == 2


@pytest.mark.parametrize(
    "toml, key",
    [
        ('[[track]]\nname = "x"\ntitle = "t"\ndays = 1\nsteps = [1]\nlenght = 2\n', "lenght"),
        ('[[track]]\nname = "x"\ntitle = "t"\ndays = "one"\nsteps = [1]\n', "days"),
        ('[requires]\n2 = "1"\n', "requires"),
    ],
)  # fmt: skip
def test_a_wrong_key_or_type_in_the_tracks_file_is_named(tmp_path, toml, key):
    (tmp_path / "workshop").mkdir()
    (tmp_path / tracks.TRACKS).write_text(toml, encoding="utf-8")
    with pytest.raises(tracks.TrackError) as error:
        tracks.load_tracks(tmp_path, [0, 1, 2])
    assert key in str(error.value)


MINI_TRACKS = """\
[requires]
2 = [1]

[[track]]
name = "quick"
title = "Adding and subtracting"
days = 1
steps = [0, 2]

[track.bridges]
2 = "Step 01 (skipped) wrote mul()."
"""


@pytest.fixture
def mini_on_track(mini, monkeypatch):
    (mini / tracks.TRACKS).write_text(MINI_TRACKS, encoding="utf-8")
    learner.git.run("add", "-A", cwd=mini)
    learner.git.run(
        "commit", "-qm", "tracks", cwd=mini, env=learner.git.identity_env(mini)
    )
    monkeypatch.chdir(mini)
    return mini


def test_a_learner_on_a_track_skips_what_it_cuts_and_reads_the_bridge(
    mini_on_track, capsys
):
    assert main(["start", "--track", "quick"]) == 0
    assert "track quick" in capsys.readouterr().out
    assert main(["next"]) == 0
    out = capsys.readouterr().out
    assert learner.here(mini_on_track).step.number == 2
    assert "Step 01 (skipped) wrote mul()." in out
    assert main(["text"]) == 0
    assert capsys.readouterr().out.startswith("on track quick:\nStep 01 (skipped)")
    assert main(["next"]) == 2  # the end of the track
    assert "last step of track quick" in capsys.readouterr().out


def test_start_refuses_a_step_off_the_track(mini_on_track, capsys):
    assert main(["start", "--track", "quick", "1"]) == 2
    assert "not on track quick" in capsys.readouterr().out


def test_verify_sees_the_problems_and_a_missing_file_is_no_track(tmp_path):
    manifest, _ = real()
    assert tracks.check(tmp_path, manifest) == []  # no tracks file: no tracks
    (tmp_path / "workshop").mkdir()
    (tmp_path / tracks.TRACKS).write_text("[[track]]\nname = 1\n", encoding="utf-8")
    assert any("track.0.name" in p for p in tracks.check(tmp_path, manifest))
