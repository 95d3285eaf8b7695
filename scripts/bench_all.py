"""Run the workshop's benchmarks one after another, each at its small default size.

    python scripts/bench_all.py                  # every drill's benchmark
    python scripts/bench_all.py upserts large    # only these (names as in bench_<name>.py)
    python scripts/bench_all.py --list

Each benchmark is its own process (a crash or a memory peak stays its own),
prints its own table and ratios, and says which goals it met; this script
only runs them in order and ends with how long each took and which failed.
Run one with `--rows` (see WORKSHOP.md) for the figures the texts quote.
The engine's own benchmark (bench_engine.py) is for maintainers: not run here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
SKIPPED = {"engine"}  # maintainers only, and slow


def available() -> list[str]:
    names = (path.stem.removeprefix("bench_") for path in SCRIPTS.glob("bench_*.py"))
    return sorted(name for name in names if name not in SKIPPED | {"all"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list them and stop")
    args = parser.parse_args(argv)
    known = available()
    if args.list:
        print("\n".join(known))
        return 0
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)}; known: {', '.join(known)}")
    summary = []
    for name in args.names or known:
        print(f"\n== bench_{name}.py", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(SCRIPTS / f"bench_{name}.py")])
        seconds = time.perf_counter() - start
        summary.append((name, seconds, done.returncode))
    print("\n== summary")
    for name, seconds, code in summary:
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"bench_{name + '.py':<22} {seconds:7.1f} s  {status}")
    return 0 if all(code == 0 for _, _, code in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
