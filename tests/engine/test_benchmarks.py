"""The benchmark scripts still run, and their sides still do the same work.

Each script checks its own fairness (both sides store the same rows, every
format round-trips); here each runs at a tiny size, so a change of the
store's API that breaks one is caught. Their figures are never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("script", "args", "printed"),
    [
        ("bench_formats.py", ["--rows", "30", "--rounds", "1"], "vs pickle"),
        ("bench_sqlite_import.py", ["--rows", "300", "--rounds", "1"], "goal 1.3x"),
        ("bench_restock.py", ["--rows", "20", "--rounds", "1", "--batches", "2"],
         "faster"),
        ("bench_bulk_insert.py", ["--rows", "50", "--rounds", "1"], "rows/s"),
        ("bench_async_import.py", ["--rows", "50", "--rounds", "1"], "goal 1.3x"),
        ("bench_upserts.py", ["--rows", "30"], "replay / first import"),
        ("bench_price_history.py", ["--rows", "10", "--rounds", "1"],
         "min / median"),
        ("bench_races.py", ["--buys", "4", "--rounds", "1", "--threads", "2"],
         "vs atomic"),
        ("bench_images.py", ["--upload-mb", "1", "--total-mb", "1"],
         "time vs whole"),
        ("bench_soft_deletes.py", ["--rows", "40", "--rounds", "1"],
         "with_loader_criteria"),
        ("bench_large.py", ["--rows", "300", "--rounds", "1"], "COPY / executemany"),
        ("bench_all.py", ["--list"], "upserts"),
    ],
)  # fmt: skip
def test_a_benchmark_runs_at_a_tiny_size(script, args, printed):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert printed in result.stdout
