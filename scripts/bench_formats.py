# workshop: since 04
"""Save and load one catalog as pickle, JSON and YAML: time and peak memory.

python scripts/bench_formats.py               # 5,000 products, a few seconds
python scripts/bench_formats.py --rows 100000 # the full size (minutes: YAML)
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from app.domain import Product
from app.files.json_store import (
    catalog_from_document,
    catalog_to_document,
    load_catalog_json,
    save_catalog_json,
)
from app.files.pickle_store import load_catalog, save_catalog


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


def yaml_pair(loader: type, dumper: type) -> tuple[Callable, Callable]:
    """Save/load functions for YAML with one loader and dumper (C or pure Python)."""

    def save(products: list[Product], path: Path) -> None:
        text = yaml.dump(catalog_to_document(products), Dumper=dumper, sort_keys=False)
        path.write_text(text, encoding="utf-8")

    def load(path: Path) -> list[Product]:
        text = path.read_text(encoding="utf-8")
        return catalog_from_document(yaml.load(text, Loader=loader))

    return save, load


def measure(action: Callable[..., object], *args: object) -> tuple[float, int]:
    """Seconds (without tracing) and peak traced bytes (in a second run)."""
    start = time.perf_counter()
    action(*args)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    action(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    rows = parser.parse_args().rows
    products = catalog(rows)
    formats: dict[str, tuple[str, Callable, Callable]] = {
        "pickle (protocol 5)": (".pkl", save_catalog, load_catalog),
        "JSON": (".json", save_catalog_json, load_catalog_json),
    }
    if hasattr(yaml, "CSafeLoader"):
        formats["YAML, C loader"] = (
            ".yaml",
            *yaml_pair(yaml.CSafeLoader, yaml.CSafeDumper),
        )
    formats["YAML, pure Python"] = (
        ".yaml",
        *yaml_pair(yaml.SafeLoader, yaml.SafeDumper),
    )
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, save, load) in formats.items():
            path = Path(folder) / f"catalog{suffix}"
            save_s, save_peak = measure(save, products, path)
            load_s, load_peak = measure(load, path)
            assert load(path) == products, f"{name} did not round-trip"
            results[name] = (
                save_s,
                load_s,
                max(save_peak, load_peak),
                path.stat().st_size,
            )
    base_save, base_load, base_peak, base_size = results["pickle (protocol 5)"]
    print(f"{rows:,} products")
    print(
        f"{'format':<20} {'save s':>8} {'load s':>8} {'peak MiB':>9} {'file MiB':>9}"
        f"   {'vs pickle: save':>15} {'load':>6} {'peak':>6} {'size':>6}"
    )
    for name, (save_s, load_s, peak, size) in results.items():
        print(
            f"{name:<20} {save_s:8.3f} {load_s:8.3f} {peak / 2**20:9.1f} {size / 2**20:9.1f}"
            f"   {save_s / base_save:14.1f}x {load_s / base_load:5.1f}x"
            f" {peak / base_peak:5.1f}x {size / base_size:5.1f}x"
        )


if __name__ == "__main__":
    main()
