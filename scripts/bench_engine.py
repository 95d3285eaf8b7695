"""Benchmark the workshop engine: build, check and verify times.

    python scripts/bench_engine.py            # everything
    python scripts/bench_engine.py --no-verify

Prints figures; goals on a 2-core machine: building 44 steps under 10 s,
`workshop check` under 1.5 s, verifying the real steps within a few minutes.
Everything runs in temporary clones: this repository is left alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workshop import git as workshop_git

ROOT = Path(__file__).resolve().parents[1]
IDENTITY = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]


def git(repo: Path, *args: str) -> str:
    return workshop_git.out(*args, cwd=repo)


def timed(command: list[str], cwd: Path, check: bool = True) -> float:
    """Seconds ``command`` takes in ``cwd`` (check=False: a failing exit is fine,
    as for `workshop check` at a step, whose tests fail by design)."""
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=cwd,
        check=check,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(cwd)},
    )
    return time.perf_counter() - started


def synthetic(folder: Path, steps: int, modules_per_step: int = 3) -> Path:
    """A workshop of ``steps`` drills, each with a few marked modules and a test."""
    repo = folder / "synthetic"
    (repo / "workshop" / "steps").mkdir(parents=True)
    for source in (ROOT / "workshop").glob("*.py"):
        shutil.copy(source, repo / "workshop" / source.name)
    entries = ['[workshop]\ntitle = "Synthetic"\n']
    (repo / "app").mkdir()
    (repo / "tests").mkdir()
    (repo / "app" / "__init__.py").write_text('"""Synthetic."""\n', encoding="utf-8")
    for n in range(steps):
        entries.append(
            f'\n[[step]]\nnumber = {n}\nslug = "s{n}"\ntitle = "Step {n}"\npart = "p"\n'
            f'bullet = "b"\nteach = 5\nexercise = 5\ntask = "write f{n}()"\n'
        )
        (repo / "workshop" / "steps" / f"{n:02d}-s{n}.md").write_text(
            f"# Step {n:02d} · Step {n}\n", encoding="utf-8"
        )
        for m in range(modules_per_step):
            body = "".join(f"    x{i} = {i}\n" for i in range(40))
            (repo / "app" / f"m{n}_{m}.py").write_text(
                f'"""Module {n}.{m}."""\n\n\n# >>> solution {n:02d}\ndef f{n}_{m}() -> int:\n'
                f'    """Return {n}."""\n{body}    return {n}\n\n\n# <<<\n',
                encoding="utf-8",
            )
        (repo / "tests" / f"test_step_{n:02d}_s{n}.py").write_text(
            f"from app.m{n}_0 import f{n}_0\n\n\ndef test_f():\n    assert f{n}_0() == {n}\n",
            encoding="utf-8",
        )
    (repo / "workshop" / "manifest.toml").write_text("".join(entries), encoding="utf-8")
    git(repo.parent, "init", "--quiet", "-b", "main", str(repo))
    git(repo, "add", "-A")
    git(repo, *IDENTITY, "commit", "--quiet", "-m", "synthetic")
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the (slow) verify of the real steps",
    )
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        real = folder / "real"
        git(
            folder,
            "clone",
            "--quiet",
            "--no-tags",
            "--branch",
            "main",
            str(ROOT),
            str(real),
        )
        steps = len(list((real / "workshop" / "steps").glob("*.md")))
        fake = synthetic(folder, 44)
        rows = [
            (
                f"build, real steps ({steps})",
                timed([python, "-m", "workshop", "build"], real),
            ),
            (
                "build, synthetic 44 steps x 3 modules",
                timed([python, "-m", "workshop", "build"], fake),
            ),
            (
                "build again (tags unchanged)",
                timed([python, "-m", "workshop", "build"], fake),
            ),
        ]
        git(real, "checkout", "--quiet", "step-02")
        rows.append(
            (
                "workshop check at step 02",
                timed([python, "-m", "workshop", "check"], real, check=False),
            )
        )
        if not args.no_verify:
            git(real, "checkout", "--quiet", "main")
            rows.append(
                (
                    f"verify, real steps ({steps} + final)",
                    timed([python, "-m", "workshop", "verify"], real),
                )
            )
    width = max(len(label) for label, _ in rows)
    print(f"{'what':<{width}}  seconds")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:7.2f}")


if __name__ == "__main__":
    main()
