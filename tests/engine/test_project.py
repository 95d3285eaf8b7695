"""The workshop's own files: manifest, texts, index, pins and CI agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from workshop import index
from workshop.cli import main as workshop_main
from workshop.cli import parse_steps
from workshop.doctor import FAIL, run_checks
from workshop.learner import hints
from workshop.manifest import ManifestError, load_manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = load_manifest(ROOT)
SECTIONS = [
    "## What and why",
    "## Your task",
    "## Check it",
    "## Hints",
    "## Going further",
    "## Instructor notes",
]


@pytest.mark.parametrize("step", MANIFEST.steps, ids=lambda s: s.tag)
def test_every_text_has_the_sections_in_order_and_two_or_three_hints(step):
    text = (ROOT / step.text_path).read_text(encoding="utf-8")
    assert text.startswith(f"# Step {step.number:02d} · {step.title}\n")
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions, (
        f"missing {[s for s, p in zip(SECTIONS, positions, strict=True) if p < 0]}"
    )
    assert positions == sorted(positions)
    assert 2 <= len(hints(ROOT, step)) <= 3
    assert "https://" in text.split("## Your task")[0], "What and why links to the docs"
    notes = text.split("## Instructor notes", 1)[1].lower()
    for topic in (
        "objectives",
        "key points",
        "talking points",
        "typical mistakes",
        "skip",
    ):
        assert topic in notes, f"the instructor notes say nothing of {topic!r}"


def test_the_index_in_workshop_md_is_current():
    text = (ROOT / "WORKSHOP.md").read_text(encoding="utf-8")
    assert index.refresh(text, MANIFEST.steps) == text, "run `workshop index`"


def test_a_stale_index_is_reported_and_rewritten(mini, monkeypatch, capsys):
    monkeypatch.chdir(mini)
    assert workshop_main(["index", "--check"]) == 1
    assert "stale" in capsys.readouterr().out
    assert workshop_main(["index"]) == 0
    assert "| 02 | calc | Subtracting | 10 |" in (mini / "WORKSHOP.md").read_text(
        encoding="utf-8"
    )
    assert workshop_main(["index", "--check"]) == 0


def test_every_direct_dependency_is_pinned():
    pins = {
        name.lower().replace("_", "-")
        for name in re.findall(
            r"(?m)^([A-Za-z0-9_.-]+)==",
            (ROOT / "requirements.lock").read_text(encoding="utf-8"),
        )
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    for requirement in project["dependencies"]:
        match = re.match(r"[A-Za-z0-9_.-]+", requirement)
        assert match, f"{requirement!r} does not start with a package name"
        name = match.group().lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in requirements.lock"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```\n(.+?)\n```", readme)
    assert commands == ["scripts/setup", "scripts/test"]
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_engine_tests_and_ci_are_excluded_from_the_steps():
    assert "tests/engine/**" in MANIFEST.exclude and ".ci/**" in MANIFEST.exclude


def test_step_ranges_parse():
    assert parse_steps("3") == [3]
    assert parse_steps("0-2,7") == [0, 1, 2, 7]
    assert parse_steps(None) is None
    for bad, says in (
        ("x", "not a step"),
        ("5-3", "runs backwards"),
        ("1,", "not a step"),
    ):
        with pytest.raises(ManifestError, match=says):
            parse_steps(bad)


def test_doctor_reports_each_check_with_a_fix_when_not_ok():
    checks = run_checks(ROOT)
    names = {check.name for check in checks}
    assert {
        "Python",
        "PyYAML",
        "SQLAlchemy",
        "git",
        "sqlite3 CLI",
        "PostgreSQL",
    } <= names
    for check in checks:
        assert check.status == "ok" or check.fix, f"{check.name} needs a fix to suggest"
    assert not [c for c in checks if c.status == FAIL and c.name == "Python"]


def test_doctor_says_how_to_enable_postgresql_when_there_is_none(monkeypatch):
    from workshop import doctor, postgres

    def nothing():
        raise postgres.NoServer("no PostgreSQL server found; set WORKSHOP_PG_URL")

    monkeypatch.setattr(postgres, "describe", nothing)
    check = doctor.check_postgres()
    assert check.status == doctor.WARN and "WORKSHOP_PG_URL" in check.fix


def test_doctor_fails_on_a_url_that_does_not_connect_whatever_its_wording(
    monkeypatch,
):
    from workshop import doctor, postgres

    def refused():
        raise postgres.UrlDoesNotConnect("WORKSHOP_PG_URL=postgresql://h/x: timeout")

    monkeypatch.setattr(postgres, "describe", refused)
    check = doctor.check_postgres()
    assert check.status == doctor.FAIL and "WORKSHOP_PG_URL" in check.fix
