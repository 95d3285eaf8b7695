# workshop: since 04
"""Save and load one catalog as pickle, JSON and YAML, with the store's own code.

python scripts/bench_formats.py                # 1,000 products, seconds
python scripts/bench_formats.py --rows 100000  # the size quoted in step 04

Every format is saved and loaded by the store's functions (atomic writes and
the YAML loader's checks included); PyYAML's pure-Python loader and dumper
are compared with its C ones on their own. Each is timed after a warm-up,
over rounds in which the formats take turns, and checked to round-trip. Peak memory is
traced in a separate run (tracing slows Python down). The last table is what
the file store does for `store products add`: open (load) the catalog, and
save it whole again with one more product.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml
from benchkit import Side, Timing, best, measure

from app.domain import Product
from app.files import yaml_store
from app.files.json_store import (
    catalog_to_document,
    load_catalog_json,
    save_catalog_json,
)
from app.files.pickle_store import load_catalog, save_catalog
from app.files.repository import FileProductRepository

Save = Callable[[list[Product], Path], None]
Load = Callable[[Path], list[Product]]


def catalog(rows: int) -> list[Product]:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        Product(
            f"SKU-{i:07d}",
            f"Product number {i}",
            Decimal(f"{i % 1000}.{i % 100:02d}"),
            f"category-{i % 40}",
            when,
        )
        for i in range(rows)
    ]


def formats() -> dict[str, tuple[str, Save, Load]]:
    c = "C" if hasattr(yaml, "CSafeLoader") else "pure-Python"
    return {
        "pickle (protocol 5)": (".pkl", save_catalog, load_catalog),
        "JSON (indent=2)": (".json", save_catalog_json, load_catalog_json),
        f"YAML, {c} loader": (
            ".yaml",
            yaml_store.save_catalog_yaml,
            yaml_store.load_catalog_yaml,
        ),
    }


def pure_against_c(products: list[Product], rounds: int) -> str:
    """PyYAML alone on the catalog document: its pure-Python loader and dumper
    against the C ones (the store uses C when PyYAML has it)."""
    if not hasattr(yaml, "CSafeLoader"):
        return "PyYAML has no C loader here: the store uses the pure-Python one"
    document = catalog_to_document(products)
    text = yaml.dump(document, Dumper=yaml.CSafeDumper)
    timings = measure(
        {
            "pure load": lambda: lambda: yaml.load(text, Loader=yaml.SafeLoader),
            "C load": lambda: lambda: yaml.load(text, Loader=yaml.CSafeLoader),
            "pure dump": lambda: lambda: yaml.dump(document, Dumper=yaml.SafeDumper),
            "C dump": lambda: lambda: yaml.dump(document, Dumper=yaml.CSafeDumper),
        },
        rounds,
    )
    load = best(timings, "pure load") / best(timings, "C load")
    dump = best(timings, "pure dump") / best(timings, "C dump")
    return (
        f"PyYAML alone, pure Python against C: load {load:.1f}x, dump {dump:.1f}x"
        " the time"
    )


def peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def timings(
    chosen: dict[str, tuple[str, Save, Load]], products: list[Product], folder: Path,
    rounds: int,
) -> tuple[dict[str, Timing], dict[str, Timing]]:  # fmt: skip
    paths = {name: folder / f"{i}{suffix}" for i, (name, (suffix, _, _)) in enumerate(chosen.items())}  # fmt: skip

    def saving(name: str) -> Side:
        return lambda: lambda: chosen[name][1](products, paths[name])

    def loading(name: str) -> Side:
        return lambda: lambda: chosen[name][2](paths[name])

    def round_trips(loaded: dict[str, object]) -> None:
        for name, result in loaded.items():
            assert result == products, f"{name} did not round-trip"

    saves = measure({name: saving(name) for name in chosen}, rounds)
    loads = measure({name: loading(name) for name in chosen}, rounds, round_trips)
    return saves, loads


def adding_one(
    chosen: dict[str, tuple[str, Save, Load]], products: list[Product], folder: Path,
    rounds: int,
) -> dict[str, Timing]:  # fmt: skip
    """What `store products add` costs the file store: open, then save it all."""

    def side(name: str) -> Side:
        path = folder / f"add-{name}{chosen[name][0]}".replace(" ", "_")

        def prepare() -> Callable[[], object]:
            chosen[name][1](products, path)
            extra = Product("NEW-1", "One more", Decimal("1.00"))
            return lambda: FileProductRepository(path).add(extra)

        return prepare

    return measure({name: side(name) for name in chosen}, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    products = catalog(options.rows)
    chosen = formats()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        saves, loads = timings(chosen, products, folder, options.rounds)
        peaks = {
            name: max(
                peak(lambda: save(products, folder / f"peak{suffix}")),  # noqa: B023
                peak(lambda: load(folder / f"peak{suffix}")),  # noqa: B023
            )
            for name, (suffix, save, load) in chosen.items()
        }
        sizes = {
            name: (folder / f"{i}{suffix}").stat().st_size
            for i, (name, (suffix, _, _)) in enumerate(chosen.items())
        }
        adds = adding_one(chosen, products, folder, options.rounds)
    base = "pickle (protocol 5)"
    print(f"{options.rows:,} products, best of {options.rounds} rounds after a warm-up")
    print(
        f"{'format':<20} {'save s':>8} {'load s':>8} {'peak MiB':>9} {'file MiB':>9}"
        f"   {'vs pickle: save':>15} {'load':>6} {'peak':>6}"
    )
    for name in chosen:
        save_s, load_s = best(saves, name), best(loads, name)
        print(
            f"{name:<20} {save_s:8.3f} {load_s:8.3f} {peaks[name] / 2**20:9.1f}"
            f" {sizes[name] / 2**20:9.1f}   {save_s / best(saves, base):14.1f}x"
            f" {load_s / best(loads, base):5.1f}x {peaks[name] / peaks[base]:5.1f}x"
        )
    document = catalog_to_document(products)
    indented = measure(
        {
            "indent=2": lambda: lambda: json.dumps(document, indent=2),
            "compact": lambda: lambda: json.dumps(document),
        },
        options.rounds,
    )
    print(
        "json.dumps with indent=2 takes"
        f" {best(indented, 'indent=2') / best(indented, 'compact'):.1f}x the time of"
        " a compact dump (the store keeps it: people read these files)"
    )
    print(pure_against_c(products, options.rounds))
    print("store products add (open the catalog, save it with one more product):")
    for name in adds:
        print(f"  {name:<20} {best(adds, name):8.3f} s")


if __name__ == "__main__":
    main()
