"""Two processes change one catalog file at once, and neither loses a product.

Maintainer-only (excluded from the steps, see workshop/manifest.toml): a
smoke test of step 04's lock on the finished store, run once per CI run on
main. The drill's own tests force each interleaving deterministically.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.files.repository import FileProductRepository

ROOT = Path(__file__).resolve().parents[1]
ADDS = 100
ADDER = """
import sys
from app.domain import Product
from app.files.repository import FileProductRepository
path, prefix = sys.argv[1], sys.argv[2]
store = FileProductRepository(path)
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    store.add(Product(f"{prefix}-{n:03d}", "x", "1.00"))
"""


@pytest.mark.stress
@pytest.mark.parametrize("suffix", [".json", ".yaml", ".pkl"])
def test_two_processes_adding_at_once_lose_nothing(tmp_path, suffix):
    path = tmp_path / f"catalog{suffix}"
    adders = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(path), prefix, str(ADDS)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for prefix in ("A", "B")
    ]
    for adder in adders:
        assert adder.stdin and adder.stdout and adder.stderr
        assert adder.stdout.readline() == "ready\n", adder.stderr.read()
    for adder in adders:  # both start adding at the same moment
        assert adder.stdin and adder.stdout and adder.stderr
        adder.stdin.write("go\n")
        adder.stdin.close()
    for adder in adders:
        adder.wait(timeout=300)
        assert adder.stdout and adder.stderr
        err = adder.stderr.read()
        adder.stdout.close(), adder.stderr.close()
        assert adder.returncode == 0, err
    kept = {product.sku for product in FileProductRepository(path).list()}
    assert kept == {f"{prefix}-{n:03d}" for prefix in "AB" for n in range(ADDS)}
