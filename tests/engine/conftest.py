"""Fixtures for the engine's own tests: an isolated git and a small workshop."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from workshop import git as workshop_git

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "workshop"
IDENTITY = [
    "-c",
    "user.name=Engine Test",
    "-c",
    "user.email=engine-test@example.invalid",
]


def isolate_git(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """No global git config: like a fresh machine with no identity."""
    config = folder / "gitconfig"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch, tmp_path_factory):
    isolate_git(monkeypatch, tmp_path_factory.mktemp("gitconfig"))


def git(repo: Path, *args: str) -> str:
    return workshop_git.out(*args, cwd=repo)


def commit_all(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, *IDENTITY, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


MANIFEST = """\
[workshop]
title = "Mini Drills"
exclude = ["tests/engine/**", "tests/variants/**", "NOTES.md"]
"""

STEP = """
[[step]]
number = {n}
slug = "{slug}"
title = "{title}"
part = "calc"
bullet = "{title}"
teach = 5
exercise = 5
task = "write {slug}() in app/calc.py"
"""

TEXT = """\
# Step {n:02d} · {title}

## What and why

Why {slug} matters.

## Your task

Write `{slug}()`.

## Check it

`workshop check`

## Hints

### Hint 1

First hint for {slug}.

### Hint 2

Second hint for {slug}.

## Going further

More.

## Instructor notes

Secret notes for {slug}.
"""

CALC = '''\
"""Tiny calculator drills."""


# >>> solution 00
def add(a: int, b: int) -> int:
    """Return a + b."""
    return a + b


# <<<
# >>> solution 01
def mul(a: int, b: int) -> int:
    """Return a * b."""
    return a * b


# <<<
# >>> solution 02
def sub(a: int, b: int) -> int:
    """Return a - b."""
    return a - b


# <<<
'''

TEST = """\
from app.calc import {slug}


def test_{slug}_works():
    assert {slug}(6, 3) == {expected}
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "mini-drills"
version = "0.1.0"
dependencies = []

[tool.setuptools.packages.find]
include = ["app*", "workshop*"]

[tool.pytest.ini_options]
pythonpath = ["."]
testpaths = ["tests"]
filterwarnings = ["error"]
markers = ["step(n): the drill"]
asyncio_default_fixture_loop_scope = "function"

[tool.ruff]
line-length = 88

[tool.ruff.lint]
select = ["E", "F", "I"]
ignore = ["E501"]

[tool.mypy]
files = ["app", "tests"]
check_untyped_defs = true
"""

STEPS = [
    (0, "add", "Adding", 9),
    (1, "mul", "Multiplying", 18),
    (2, "sub", "Subtracting", 3),
]

# Each drill's variants: (the solution line, two wrong lines, one alternative body).
VARIANTS = {
    "add": ("return a + b", "return a - b", "return a * b", "return sum((a, b))"),
    "mul": ("return a * b", "return a + b", "return a**2", "return sum([a] * b)"),
    "sub": ("return a - b", "return b - a", "return a + b", "return a + (-b)"),
}

VARIANT_FILE = """\
from workshop.variants import alternative, replace_function, replace_text, wrong

VARIANTS = [
    wrong("{w1}", replace_text("app/calc.py", old="{right}", new="{w1}")),
    wrong("{w2}", replace_text("app/calc.py", old="{right}", new="{w2}")),
    alternative(
        "{alt}",
        replace_function(
            "app/calc.py",
            "{slug}",
            "def {slug}(a: int, b: int) -> int:\\n    {alt}\\n",
        ),
    ),
]
"""


def write_mini_workshop(root: Path) -> None:
    (root / "workshop" / "steps").mkdir(parents=True)
    for source in ENGINE.glob("*.py"):
        shutil.copy(source, root / "workshop" / source.name)
    manifest = MANIFEST + "".join(
        STEP.format(n=n, slug=s, title=t) for n, s, t, _ in STEPS
    )
    (root / "workshop" / "manifest.toml").write_text(manifest, encoding="utf-8")
    for n, slug, title, _ in STEPS:
        (root / "workshop" / "steps" / f"{n:02d}-{slug}.md").write_text(
            TEXT.format(n=n, slug=slug, title=title), encoding="utf-8"
        )
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text('"""Mini app."""\n', encoding="utf-8")
    (root / "app" / "calc.py").write_text(CALC, encoding="utf-8")
    (root / "tests").mkdir()
    for n, slug, _, expected in STEPS:
        (root / "tests" / f"test_step_{n:02d}_{slug}.py").write_text(
            TEST.format(slug=slug, expected=expected), encoding="utf-8"
        )
    (root / "tests" / "variants").mkdir()
    for n, slug, _, _ in STEPS:
        right, w1, w2, alt = VARIANTS[slug]
        (root / "tests" / "variants" / f"step_{n:02d}.py").write_text(
            VARIANT_FILE.format(right=right, w1=w1, w2=w2, alt=alt, slug=slug),
            encoding="utf-8",
        )
    (root / "conftest.py").write_text(
        'pytest_plugins = ["workshop.pytest_plugin"]\n', encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "NOTES.md").write_text("maintainers only\n", encoding="utf-8")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    (root / "WORKSHOP.md").write_text(
        "# Guide\n\n<!-- steps:begin (generated from workshop/manifest.toml: run `workshop index`) -->\n"
        "<!-- steps:end -->\n",
        encoding="utf-8",
    )


@pytest.fixture
def mini(tmp_path) -> Path:
    """A committed three-step workshop on main, with the real engine in it."""
    repo = tmp_path / "mini"
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    write_mini_workshop(repo)
    commit_all(repo, "the mini workshop")
    return repo


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# A page in a real browser: Debian's chromium, driven by Playwright. Tests skip
# without it, except where WORKSHOP_REQUIRE_BROWSER is set (CI).

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        if os.environ.get("WORKSHOP_REQUIRE_BROWSER"):
            pytest.fail("WORKSHOP_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("no chromium here (apt install chromium); CI installs it")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 900, "height": 500})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0)
        yield page
        browser.close()
        assert errors == []


def screenshot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("WORKSHOP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)
