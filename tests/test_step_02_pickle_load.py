"""Step 02: loading a catalog back, refusing broken and malicious files."""

import io
import os
import pickle
import shutil
import struct
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain import Product
from app.errors import CorruptFile, UnsafeFile
from app.files.pickle_store import CatalogUnpickler, load_catalog, save_catalog


class Exploit:
    """Pickles as a call of ``function(*args)``: what a hostile file does."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __reduce__(self):
        return (self.function, self.args)


def test_round_trip_gives_equal_products(tmp_path):
    path = tmp_path / "catalog.pkl"
    products = [
        Product(sku="A-1", name="Café crème", price=Decimal("2.40"), category="drinks")
    ]
    save_catalog(products, path)
    assert load_catalog(path) == products


def test_a_missing_file_is_an_empty_catalog(tmp_path):
    assert load_catalog(tmp_path / "nothing-here.pkl") == []


def test_a_path_that_cannot_be_read_lets_the_oserror_through(tmp_path):
    folder = tmp_path / "catalog.pkl"
    folder.mkdir()
    with pytest.raises(OSError):  # IsADirectoryError: neither [] nor CorruptFile
        load_catalog(folder)


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
    save_catalog(
        [Product(sku=f"S{i}", name="n", price=Decimal("1")) for i in range(20)], path
    )
    path.write_bytes(path.read_bytes()[:keep])
    load_refused(path)


def test_a_file_that_is_not_a_pickle_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_text('{"this": "is json"}', encoding="utf-8")
    load_refused(path)


def test_a_pickle_with_a_broken_value_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.pkl"
    save_catalog([Product(sku="S1", name="n", price=Decimal("1.25"))], path)
    path.write_bytes(path.read_bytes().replace(b"1.25", b"x.25"))
    load_refused(path)


# Protocol 4: Decimal("1") rebuilt, then BUILD sets an attribute it cannot hold.
DECIMAL_WITH_STATE = (
    b"\x80\x04\x8c\x07decimal\x8c\x07Decimal\x93\x8c\x011\x85R}\x8c\x01a\x8c\x01bsb."
)


@pytest.mark.parametrize(
    "data",
    [
        pickle.dumps([Product("A-1", "A", Decimal("1")), Exploit(Decimal, None)]),
        pickle.dumps([Exploit(datetime, 2024, 13, 1)]),
        DECIMAL_WITH_STATE,
    ],
    ids=["Decimal(None)-TypeError", "month-13-ValueError", "build-AttributeError"],
)
def test_whatever_a_rebuilt_value_raises_is_a_clear_error(tmp_path, data):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(data)
    error = load_refused(path)
    assert not isinstance(error, UnsafeFile), "allowed classes are not an attack"


@pytest.mark.parametrize(
    "content",
    [
        {"products": []},
        ("a", "tuple"),
        (Product("A-1", "A", Decimal("1")), Product("B-2", "B", Decimal("2"))),
        None,
        [Product("A-1", "A", Decimal("1")), "not one"],
    ],
    ids=["dict", "tuple", "tuple-of-products", "none", "list-with-a-string"],
)
def test_a_pickle_of_something_else_is_not_a_catalog(tmp_path, content):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps(content))
    error = load_refused(path)
    assert not isinstance(error, UnsafeFile), "plain data is not an attack"


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


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("subprocess", "Popen"),
        # Not dangerous-looking modules: an allow-list, not a deny-list.
        ("shutil", "rmtree"),
        ("importlib", "import_module"),
        ("pickle", "loads"),
        # Other names from an allowed module: the pair is allowed, not the module.
        ("app.domain", "parse_price"),
        ("app.domain", "Product.__init__"),
        ("decimal", "getcontext"),
        ("datetime", "datetime.now"),
    ],
)
def test_the_unpickler_refuses_by_itself(module, name):
    unpickler = CatalogUnpickler(io.BytesIO(b""))
    assert unpickler.find_class("app.domain", "Product") is Product
    with pytest.raises(UnsafeFile) as error:
        unpickler.find_class(module, name)
    assert f"{module}.{name}" in str(error.value), "name what was refused"


def test_a_harmless_looking_module_is_refused_and_nothing_runs(tmp_path):
    victim = tmp_path / "keep-me"
    victim.mkdir()
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps([Exploit(shutil.rmtree, str(victim))]))
    with pytest.raises(UnsafeFile):
        load_catalog(path)
    assert victim.is_dir(), "the payload must never run"


def call_by_dotted_name(module, dotted_name, *calls):
    """A protocol 4 pickle: look up ``module.dotted_name`` (protocol 4 follows
    the dots, attribute by attribute), then call the result with each
    argument in turn: f(calls[0])(calls[1])..."""

    def text(value):
        data = value.encode()
        return b"X" + struct.pack("<I", len(data)) + data  # BINUNICODE

    code = b"\x80\x04" + text(module) + text(dotted_name) + b"\x93"  # STACK_GLOBAL
    for argument in calls:
        code += text(argument) + b"\x85R"  # TUPLE1, REDUCE
    return code + b"."


def test_a_dotted_name_inside_an_allowed_module_is_refused_and_nothing_runs(
    tmp_path,
):
    marker = tmp_path / "pwned"
    path = tmp_path / "catalog.pkl"
    # app.domain.parse_price.__builtins__.get("eval")(...) runs any code and
    # returns [], an empty catalog, if app.domain is allowed as a whole.
    path.write_bytes(
        call_by_dotted_name(
            "app.domain",
            "parse_price.__builtins__.get",
            "eval",
            f"__import__('pathlib').Path({str(marker)!r}).touch() or []",
        )
    )
    with pytest.raises(UnsafeFile) as error:
        load_catalog(path)
    assert "app.domain.parse_price.__builtins__.get" in str(error.value)
    assert not marker.exists(), "the payload must never run"


WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
MISSING = object()


def forged(**fields):
    """A Product as a broken or hostile file can carry it: pickle restores its
    fields without calling __init__, so none of Product's checks ran."""
    product = Product.__new__(Product)
    state = dict(
        sku="BAD-1",
        name="Forged",
        price=Decimal("1.00"),
        category=None,
        created_at=WHEN,
    )
    state.update(fields)
    product.__dict__.update({k: v for k, v in state.items() if v is not MISSING})
    return product


@pytest.mark.parametrize(
    "fields",
    [
        {"price": Decimal("-5")},
        {"price": Decimal("NaN")},
        {"price": Decimal("1.005")},
        {"price": 2.5},
        {"name": 5},
        {"name": None},
        {"sku": None},
        {"sku": ["A", "B"]},
        {"category": 7},
        {"created_at": "yesterday"},
        {"created_at": MISSING},
    ],
    ids=[
        "price-negative",
        "price-NaN",
        "price-third-decimal",
        "price-float",
        "name-int",
        "name-None",
        "sku-None",
        "sku-list",
        "category-int",
        "created_at-text",
        "created_at-missing",
    ],
)
def test_a_product_the_constructor_would_refuse_is_a_clear_error(tmp_path, fields):
    path = tmp_path / "catalog.pkl"
    good = Product("OK-1", "Fine", Decimal("1.00"), created_at=WHEN)
    path.write_bytes(pickle.dumps([good, forged(**fields)], protocol=5))
    error = load_refused(path)
    assert not isinstance(error, UnsafeFile), "allowed classes are not an attack"


def test_valid_products_come_back_as_the_constructor_builds_them(tmp_path):
    path = tmp_path / "catalog.pkl"
    path.write_bytes(pickle.dumps([forged(price=Decimal("2.5"), category="tea")]))
    [product] = load_catalog(path)
    assert product == Product("BAD-1", "Forged", Decimal("2.50"), "tea", WHEN)
    assert str(product.price) == "2.50", "built again, the price has its cents"
