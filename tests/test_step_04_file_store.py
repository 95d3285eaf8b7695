"""Step 04: the file store behind the repository contract, and its bad days."""

import fcntl
import json
import os
import pickle
import random
import signal
import threading
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.backends import open_repository
from app.domain import Product
from app.errors import (
    CatalogLocked,
    CorruptFile,
    DuplicateSku,
    ProductNotFound,
    UnsafeFile,
    UnsupportedFormatVersion,  # since 08
)
from app.files import atomic
from app.files import repository as repository_module
from app.files.json_store import catalog_to_document, save_catalog_json
from app.files.pickle_store import save_catalog
from app.files.repository import FileProductRepository, lock_path
from app.files.yaml_store import save_catalog_yaml

SUFFIXES = [".pkl", ".json", ".yaml", ".yml"]
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make(sku="TEA-1", name="Green tea", price="3.50"):
    return Product(sku=sku, name=name, price=price, category="tea", created_at=WHEN)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_reopened_store_finds_its_products(tmp_path, suffix):
    path = tmp_path / f"catalog{suffix}"
    first = FileProductRepository(path)
    first.add(make())
    first.add(make(sku="COF-1", name="Espresso", price="12.90"))
    first.delete("TEA-1")
    again = FileProductRepository(path)
    assert again.list() == [make(sku="COF-1", name="Espresso", price="12.90")]


def test_the_store_keeps_and_hands_out_copies(tmp_path):
    repository = FileProductRepository(tmp_path / "catalog.json")
    product = make()
    repository.add(product)
    product.name = "Changed after adding"
    repository.get("TEA-1").name = "Changed behind the store's back"
    repository.list()[0].name = "Changed behind the store's back"
    assert repository.get("TEA-1") == make()


def test_the_suffix_picks_the_format(tmp_path):
    for suffix, check in [
        (".pkl", lambda data: pickle.loads(data)),
        (".json", lambda data: json.loads(data)["products"]),
    ]:
        path = tmp_path / f"catalog{suffix}"
        FileProductRepository(path).add(make())
        assert len(check(path.read_bytes())) == 1


def test_open_repository_opens_a_file_store_by_suffix(tmp_path):
    repository = open_repository(str(tmp_path / "catalog.yaml"))
    assert isinstance(repository, FileProductRepository)
    repository.add(make())
    assert "Green tea" in (tmp_path / "catalog.yaml").read_text(encoding="utf-8")


def test_an_unknown_suffix_is_refused_with_the_known_ones(tmp_path):
    with pytest.raises(ValueError) as error:
        FileProductRepository(tmp_path / "catalog.txt")
    assert all(suffix in str(error.value) for suffix in SUFFIXES), "use format_for()"
    with pytest.raises(ValueError):
        open_repository(str(tmp_path / "catalog.txt"))
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_changes_neither_the_file_nor_the_store(tmp_path, monkeypatch):
    path = tmp_path / "catalog.json"
    repository = FileProductRepository(path)
    repository.add(make())
    before = path.read_bytes()

    full = OSError("disk full (simulated)")

    def disk_full(*args):
        raise full

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(OSError) as error:
        repository.add(make(sku="COF-1"))
    assert error.value is full
    with pytest.raises(OSError) as error:
        repository.update(make(name="Renamed"))
    assert error.value is full
    with pytest.raises(OSError) as error:
        repository.delete("TEA-1")
    assert error.value is full
    assert path.read_bytes() == before
    assert repository.list() == [make()], "the store did not change either"
    assert sorted(tmp_path.iterdir()) == sorted([path, lock_path(path)]), (
        "no temporary file is left"
    )


# The bad-input table: each writes one bad file and returns it, the error it
# must raise and what its message must contain (the file, or what was refused).
def truncated_pickle(folder):
    path = folder / "catalog.pkl"
    save_catalog([make(sku=f"S{i}") for i in range(20)], path)
    path.write_bytes(path.read_bytes()[:-40])
    return path, CorruptFile, [str(path)]


def truncated_json(folder):
    path = folder / "catalog.json"
    save_catalog_json([make(sku=f"S{i}") for i in range(20)], path)
    path.write_bytes(path.read_bytes()[:300])
    return path, CorruptFile, [str(path)]


def empty_pickle(folder):
    path = folder / "catalog.pkl"
    path.write_bytes(b"")
    return path, CorruptFile, [str(path)]


def empty_yaml(folder):
    path = folder / "catalog.yaml"
    path.write_bytes(b"")
    return path, CorruptFile, [str(path)]


def json_in_a_pickle_file(folder):
    path = folder / "catalog.pkl"
    path.write_text(json.dumps(catalog_to_document([make()])), encoding="utf-8")
    return path, CorruptFile, [str(path)]


def pickle_in_a_json_file(folder):
    path = folder / "catalog.json"
    path.write_bytes(pickle.dumps([make()]))
    return path, CorruptFile, [str(path)]


def someone_elses_json(folder):
    path = folder / "catalog.json"
    path.write_text(
        '{"format": "acme/invoices", "version": 1, "products": []}', encoding="utf-8"
    )
    return path, CorruptFile, [str(path)]


class Exploit:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def malicious_pickle(folder):
    path = folder / "catalog.pkl"
    path.write_bytes(pickle.dumps([Exploit(f"touch {folder / 'pwned'}")]))
    return path, UnsafeFile, [f"{os.system.__module__}.system"]


def yaml_python_tag(folder):
    path = folder / "catalog.yaml"
    path.write_text(
        f"!!python/object/apply:os.system [touch {folder / 'pwned'}]\n",
        encoding="utf-8",
    )
    return path, UnsafeFile, [str(path)]


def float_price_in_json(folder):
    path = folder / "catalog.json"
    document = catalog_to_document([make()])
    document["products"][0]["price"] = 3.5
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, CorruptFile, [str(path)]


def duplicate_skus(folder):
    path = folder / "catalog.yaml"
    save_catalog_yaml([make(), make(name="Impostor")], path)
    return path, CorruptFile, [str(path), "TEA-1"]


def duplicate_skus_pickled(folder):
    path = folder / "catalog.pkl"
    save_catalog([make(), make(name="Impostor")], path)
    return path, CorruptFile, [str(path), "TEA-1"]


# >>> since 08
def future_version(folder):
    path = folder / "catalog.json"
    document = catalog_to_document([make()])
    document["version"] = 99
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, UnsupportedFormatVersion, [str(path)]


# <<<
BAD_FILES = [
    truncated_pickle,
    truncated_json,
    empty_pickle,
    empty_yaml,
    json_in_a_pickle_file,
    pickle_in_a_json_file,
    someone_elses_json,
    malicious_pickle,
    yaml_python_tag,
    float_price_in_json,
    duplicate_skus,
    duplicate_skus_pickled,
    pytest.param(future_version, marks=pytest.mark.step(8)),  # since 08
]


@pytest.mark.parametrize("bad_file", BAD_FILES)
def test_a_bad_file_is_a_clear_error_and_nothing_is_lost(tmp_path, bad_file):
    path, error, fragments = bad_file(tmp_path)
    before = path.read_bytes()
    with pytest.raises(CorruptFile) as raised:
        FileProductRepository(path)
    assert type(raised.value) is error
    for fragment in fragments:
        assert fragment in str(raised.value)
    with pytest.raises(error):
        open_repository(str(path))
    assert path.read_bytes() == before, "a file we cannot read is never overwritten"
    assert sorted(tmp_path.iterdir()) == [path], "nothing ran, nothing was written"


def _fork():
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a threaded process; we hold no locks.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _write_forever(path, round_, tell):
    """The child: open the store, then add products until killed, writing one
    byte to ``tell`` when it is ready and after every completed save."""
    try:
        repository = FileProductRepository(path)
        os.write(tell, b"!")
        for n in range(10**9):
            repository.add(make(sku=f"K{round_:03d}-{n:05d}", name="x" * 40))
            os.write(tell, b".")
    finally:
        os._exit(1)


KILLS = 40  # per format: 120 kills in all


@pytest.mark.stress
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
@pytest.mark.parametrize("suffix", [".pkl", ".json", ".yaml"])
def test_a_writer_killed_at_random_moments_never_leaves_a_broken_file(tmp_path, suffix):
    path = tmp_path / f"catalog{suffix}"
    repository = FileProductRepository(path)
    for i in range(150):
        repository.add(make(sku=f"BASE-{i:03d}", name="base product " * 3))
    start = time.perf_counter()
    repository.update(make(sku="BASE-000", name="base product " * 3))
    one_save = time.perf_counter() - start
    rng = random.Random(f"kill-{suffix}")
    count = 150
    for round_ in range(KILLS):
        ready, tell = os.pipe()
        pid = _fork()
        if pid == 0:  # pragma: no cover (the child never returns)
            _write_forever(path, round_, tell)
        os.close(tell)
        # Let the writer finish 0, 1 or 2 saves, then kill it at a random
        # moment of the next one, however fast or slow this machine is.
        saves = rng.randrange(3)
        assert os.read(ready, 1) == b"!", "the writer could not open the store"
        for _ in range(saves):
            assert os.read(ready, 1) == b"."
        time.sleep(rng.uniform(0, 1.5 * one_save))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), "the writer died on its own: it failed"
        while more := os.read(ready, 4096):  # saves done while we slept
            saves += more.count(b".")
        os.close(ready)
        products = FileProductRepository(path).list()
        assert sum(p.sku.startswith("BASE-") for p in products) == 150
        # Every completed save is there; the killed one is all there or absent.
        assert count + saves <= len(products) <= count + saves + 1
        count = len(products)


# Two stores on one file: the lock around each change's read, edit and write.
def test_two_stores_on_one_file_keep_each_others_changes(tmp_path):
    path = tmp_path / "catalog.json"
    first, second = FileProductRepository(path), FileProductRepository(path)
    first.add(make(sku="A-1"))
    second.add(make(sku="B-1"))
    first.update(make(sku="A-1", name="Renamed"))
    assert [p.sku for p in FileProductRepository(path).list()] == ["A-1", "B-1"]
    assert FileProductRepository(path).get("A-1").name == "Renamed"
    assert [p.sku for p in first.list()] == ["A-1", "B-1"], "a change reads the file"


def test_a_change_checks_the_file_as_it_is_now(tmp_path):
    path = tmp_path / "catalog.pkl"
    first, second = FileProductRepository(path), FileProductRepository(path)
    first.add(make(sku="A-1"))
    with pytest.raises(DuplicateSku):
        second.add(make(sku="A-1", name="Impostor"))
    second.delete("A-1")
    with pytest.raises(ProductNotFound):
        first.update(make(sku="A-1", name="Gone meanwhile"))
    with pytest.raises(ProductNotFound):
        first.delete("A-1")
    assert FileProductRepository(path).list() == []


class Interloper:
    """Another store that tries one change at a chosen moment, in a thread of
    its own, waiting 50 ms at most for the lock: ``kept_out`` if it found the
    catalog locked and gave up, ``waited`` if it was still waiting 5 s later."""

    def __init__(self, path, sku="X-1"):
        self.store = FileProductRepository(path, lock_timeout=0.05)
        self.sku, self.thread, self.outcome = sku, None, None

    def try_once(self):
        if self.thread is None:
            self.thread = threading.Thread(target=self._add, daemon=True)
            self.thread.start()
            self.thread.join(timeout=5)
            self.waited = self.thread.is_alive()

    def _add(self):
        try:
            self.store.add(make(sku=self.sku))
            self.outcome = "added"
        except Exception as error:
            self.outcome = error

    def finish(self):
        """Wait for the other store to be done; did it try, and was it kept out?"""
        assert self.thread is not None, "a change reads the file (format_for())"
        self.thread.join(timeout=10)
        assert not self.waited, "a store waited on the lock far past its timeout"
        return isinstance(self.outcome, CatalogLocked)


def test_no_change_slips_in_between_the_read_and_the_write(tmp_path, monkeypatch):
    path = tmp_path / "catalog.json"
    FileProductRepository(path).add(make(sku="A-1"))
    other = Interloper(path)
    load, save = repository_module.FORMATS[".json"]
    armed = False

    def load_then_let_the_other_try(where):
        products = load(where)
        if armed:
            other.try_once()  # just after the read of a change
        return products

    monkeypatch.setitem(
        repository_module.FORMATS, ".json", (load_then_let_the_other_try, save)
    )
    store = FileProductRepository(path)
    armed = True
    store.add(make(sku="B-1"))
    kept_out = other.finish()
    kept = {p.sku for p in FileProductRepository(path).list()}
    assert kept_out or "X-1" in kept, "a change made meanwhile was lost"
    assert kept_out, "read the file under the lock"
    assert kept == {"A-1", "B-1"}


def test_the_lock_is_held_until_the_new_file_is_in_place(tmp_path, monkeypatch):
    path = tmp_path / "catalog.yaml"
    FileProductRepository(path).add(make(sku="A-1"))
    other = Interloper(path)
    real_replace = atomic.os.replace

    def replace_then_let_the_other_try(source, target):
        real_replace(source, target)
        other.try_once()

    monkeypatch.setattr(atomic.os, "replace", replace_then_let_the_other_try)
    FileProductRepository(path).add(make(sku="B-1"))
    assert other.finish(), "hold the lock until the new file is in place"


def test_a_store_gives_up_after_its_timeout_and_changes_nothing(tmp_path):
    path = tmp_path / "catalog.json"
    store = FileProductRepository(path, lock_timeout=0.2)
    store.add(make(sku="A-1"))
    before = path.read_bytes()
    outcome: list[object] = []

    def add():
        try:
            store.add(make(sku="B-1"))
            outcome.append("added")
        except Exception as error:
            outcome.append(error)

    with open(lock_path(path), "ab") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process's change, say
        worker = threading.Thread(target=add, daemon=True)
        worker.start()
        worker.join(timeout=5)
        waiting = worker.is_alive()
    worker.join()
    assert not waiting, "the store waited on the lock forever; poll until the timeout"
    [error] = outcome
    assert isinstance(error, CatalogLocked), f"expected CatalogLocked, got {error!r}"
    assert (Path(str(error.path)), error.timeout) == (path, 0.2)
    assert path.read_bytes() == before
    assert store.list() == [make(sku="A-1")]


def test_leftovers_of_killed_writers_are_removed_and_nothing_else(tmp_path):
    path = tmp_path / "catalog.json"
    FileProductRepository(path).add(make(sku="A-1"))
    leftovers = [
        tmp_path / ".catalog.json.k3j_x9a2.tmp",
        tmp_path / ".catalog.json.00000000.tmp",
    ]
    others = [
        tmp_path / "catalog.json.tmp",
        tmp_path / ".catalog.json.notes.tmp",
        tmp_path / ".other.json.k3j_x9a2.tmp",
        tmp_path / ".catalog.json.k3j_x9a2.tmp.keep",
    ]
    for file in leftovers + others:
        file.write_text("half a catalog", encoding="utf-8")
    FileProductRepository(path).add(make(sku="B-1"))
    assert not any(file.exists() for file in leftovers)
    assert all(file.exists() for file in others), "only atomic_write_bytes()'s names"
