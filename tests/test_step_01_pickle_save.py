"""Step 01: the catalog is pickled, and a crash mid-save never tears the file."""

import os
import pickle
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain import Product
from app.files.atomic import atomic_write_bytes
from app.files.pickle_store import save_catalog


def sample_products(count=3):
    return [
        Product(sku=f"SKU-{i:05d}", name=f"Product {i}", price=Decimal(f"{i}.99"))
        for i in range(count)
    ]


def test_save_catalog_writes_a_pickled_list_of_products(tmp_path):
    path = tmp_path / "catalog.pkl"
    products = sample_products()
    save_catalog(products, path)
    loaded = pickle.loads(path.read_bytes())
    assert loaded == products
    assert loaded[1].price == Decimal("1.99")


def test_save_catalog_uses_protocol_5(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog(sample_products(), path)
    data = path.read_bytes()
    assert data[:2] == b"\x80\x05", "a protocol-5 pickle starts with PROTO 5"


def test_save_catalog_accepts_any_iterable(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog(iter(sample_products()), path)
    assert len(pickle.loads(path.read_bytes())) == 3


def test_atomic_write_replaces_the_old_content(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"old")
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [path], "no temporary file is left behind"


def spy_on_fsync_and_replace(monkeypatch):
    """Record ("fsync", bytes in the file) and ("replace", source, target)."""
    events: list[tuple[object, ...]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.fstat(fd).st_size))
        return real_fsync(fd)

    def replace(source, target):
        events.append(("replace", Path(source), Path(target)))
        return real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def test_atomic_write_flushes_and_fsyncs_before_replacing(tmp_path, monkeypatch):
    events = spy_on_fsync_and_replace(monkeypatch)
    atomic_write_bytes(tmp_path / "data.bin", b"payload")
    kinds = [event[0] for event in events]
    assert "replace" in kinds, "os.replace the temp file over the target"
    before = events[: kinds.index("replace")]
    assert ("fsync", len(b"payload")) in before, (
        "flush, then fsync the temp file (all its bytes) before os.replace"
    )


def test_the_temp_file_is_written_next_to_the_target(tmp_path, monkeypatch):
    events = spy_on_fsync_and_replace(monkeypatch)
    path = tmp_path / "folder" / "data.bin"
    path.parent.mkdir()
    atomic_write_bytes(path, b"payload")
    [(_, source, target)] = [event for event in events if event[0] == "replace"]
    assert target == path
    assert source.parent == path.parent, "a rename across file systems is a copy"
    assert path.read_bytes() == b"payload"


def test_a_failed_write_keeps_the_old_file_and_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "catalog.pkl"
    save_catalog(sample_products(2), path)
    before = path.read_bytes()
    disk_full = OSError("disk full (simulated)")

    def crash(*args):
        raise disk_full

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError) as error:
        save_catalog(sample_products(50), path)
    assert error.value is disk_full, "re-raise the error itself"
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path], "the temporary file was removed"


def test_an_interrupted_write_cleans_up_too(tmp_path, monkeypatch):
    path = tmp_path / "data.bin"
    path.write_bytes(b"old")

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path], "the temporary file was removed"


WRITER = """
import sys
from app.domain import Product
from app.files.pickle_store import save_catalog
path, size = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
round = 0
while True:
    round += 1
    save_catalog([Product(sku=f"S{round}-{i}", name="x" * 200, price="1.00") for i in range(size)], path)
"""


@pytest.mark.stress
@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_a_killed_save_leaves_a_loadable_catalog(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog(sample_products(1), path)
    root = Path(__file__).resolve().parents[1]
    for attempt in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), "3000"],
            cwd=root,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(0.02 + 0.013 * attempt)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        products = pickle.loads(path.read_bytes())
        assert products and all(isinstance(p, Product) for p in products)
