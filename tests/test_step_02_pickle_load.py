"""Step 02: loading a catalog back, refusing broken and malicious files."""

import io
import os
import pickle

import pytest

from app.domain import Product
from app.errors import CorruptFile, UnsafeFile
from app.files.pickle_store import CatalogUnpickler, load_catalog, save_catalog


def test_round_trip_gives_equal_products(tmp_path):
    path = tmp_path / "catalog.pkl"
    products = [Product(sku="A-1", name="Café crème", price="2.40", category="drinks")]
    save_catalog(products, path)
    assert load_catalog(path) == products


def test_a_missing_file_is_an_empty_catalog(tmp_path):
    assert load_catalog(tmp_path / "nothing-here.pkl") == []


def load_refused(path, error=CorruptFile):
    """The error load_catalog(path) raises; it must name the file."""
    with pytest.raises(error) as raised:
        load_catalog(path)
    assert str(path) in str(raised.value), "the message names the file"
    return raised.value


def test_an_empty_file_is_a_clear_error_naming_the_file(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(b"")
    load_refused(path)


@pytest.mark.parametrize("keep", [1, 2, 20, -40, -1])
def test_a_truncated_file_is_a_clear_error_naming_the_file(tmp_path, keep):
    path = tmp_path / "catalog.pkl"
    save_catalog([Product(sku=f"S{i}", name="n", price="1") for i in range(20)], path)
    path.write_bytes(path.read_bytes()[:keep])
    load_refused(path)


def test_a_file_that_is_not_a_pickle_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_text('{"this": "is json"}')
    load_refused(path)


def test_a_pickle_with_a_broken_value_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog([Product(sku="S1", name="n", price="1.25")], path)
    path.write_bytes(path.read_bytes().replace(b"1.25", b"x.25"))
    load_refused(path)


@pytest.mark.parametrize(
    "content",
    [{"products": []}, ("a", "tuple"), None, [Product("A-1", "A", "1"), "not one"]],
    ids=["dict", "tuple", "none", "list-with-a-string"],
)
def test_a_pickle_of_something_else_is_not_a_catalog(tmp_path, content):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps(content))
    error = load_refused(path)
    assert not isinstance(error, UnsafeFile), "plain data is not an attack"


class Exploit:
    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return (self.function, self.args)


def test_a_malicious_pickle_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps([Exploit(os.system, f"touch {marker}")]))
    with pytest.raises(UnsafeFile) as error:
        load_catalog(path)
    assert f"{os.system.__module__}.system" in str(error.value), "name what was refused"
    assert not marker.exists(), "the payload must never run"


@pytest.mark.parametrize("function", [eval, exec, open, getattr])
def test_builtins_are_refused_too(tmp_path, function):
    marker = tmp_path / "pwned"
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps([Exploit(function, f"open({str(marker)!r}, 'w')")]))
    with pytest.raises(UnsafeFile) as error:
        load_catalog(path)
    refused = f"{function.__module__}.{function.__name__}"  # builtins.eval, io.open
    assert refused in str(error.value), "name what was refused"
    assert not marker.exists(), "the payload must never run"


def test_a_pickle_naming_a_foreign_class_is_refused(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(
        pickle.dumps([Exploit(os.system, "true")], protocol=0).replace(b"posix", b"os")
    )
    with pytest.raises(UnsafeFile):
        load_catalog(path)


def test_the_unpickler_refuses_by_itself(tmp_path):
    unpickler = CatalogUnpickler(io.BytesIO(b""))
    assert unpickler.find_class("app.domain", "Product") is Product
    with pytest.raises(UnsafeFile) as error:
        unpickler.find_class("subprocess", "Popen")
    assert "subprocess.Popen" in str(error.value)
