# workshop: since 43
"""A large catalog on PostgreSQL: COPY vs executemany, keyset vs OFFSET pages, export memory.

    python scripts/bench_large.py                   # 20,000 rows, seconds
    python scripts/bench_large.py --rows 1000000    # step 43's figures (minutes)

Goals (ratios measured in the same run): loading with COPY at least 5x faster
than asyncpg's executemany; walking every page (100 a page) by keyset in at
most 1/20 of OFFSET's time; the page at offset 0.9 x rows at least 100x faster
by keyset; the streaming export's peak memory at all rows at most 1.5x its
peak at a tenth of them. With more pages than --offset-pages, the OFFSET walk
is timed on --offset-sample evenly spaced pages and scaled up (a page's cost
grows with its offset, so evenly spaced pages give the mean). PostgreSQL comes
from workshop/postgres.py, in a database of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_bulk_insert import bench_database  # the same throwaway database
from benchkit import Side, measure, ratio
from sqlalchemy import Engine, select, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session

from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.largedata import (
    COPY_COLUMNS,
    PageKey,
    catalog_rows,
    generate_catalog,
    products_page,
    stream_products,
)

SIZE = 100  # products a page


def load(url: str, rows: int, how: str, records: list[tuple[Any, ...]]) -> Callable[[], None]:  # fmt: skip
    """Fill the empty products table: "generate" runs the store's generate_catalog()
    (the rows made inside the timer); "COPY" and "executemany" send ``records``,
    made beforehand, with copy_records_to_table() and executemany()."""

    async def fill() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                driver: Any = (await connection.get_raw_connection()).driver_connection
                async with driver.transaction():
                    if how == "generate":
                        await generate_catalog(driver, rows, seed=43)
                    elif how == "COPY":
                        await driver.copy_records_to_table(
                            "products", records=records, columns=list(COPY_COLUMNS)
                        )
                    else:
                        columns = ", ".join(COPY_COLUMNS)
                        await driver.executemany(
                            f"INSERT INTO products ({columns})"
                            " VALUES ($1, $2, $3, $4, $5)",
                            records,
                        )
        finally:
            await engine.dispose()

    return lambda: asyncio.run(fill())


def emptied(engine: Engine, action: Callable[[], None]) -> Callable[[], None]:
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE products CASCADE"))
    return action


def keyset_walk(engine: Engine) -> int:
    count, after = 0, None
    with Session(engine) as session:
        while True:
            page = products_page(session, after=after, size=SIZE)
            count += len(page.items)
            if (after := page.next) is None:
                return count


def offset_page(session: Session, offset: int) -> list[models.Product]:
    p = models.Product
    query = select(p).order_by(p.price, p.sku).offset(offset).limit(SIZE)
    return list(session.scalars(query))


def offset_walk(engine: Engine, rows: int, sample: int | None) -> float:
    """Seconds to read every page by OFFSET (scaled up from ``sample`` pages)."""
    pages = -(-rows // SIZE)
    numbers = range(pages) if sample is None else range(0, pages, pages // sample)
    with Session(engine) as session:
        started = time.perf_counter()
        for number in numbers:
            offset_page(session, number * SIZE)
        return (time.perf_counter() - started) * pages / len(numbers)


def deep_page(engine: Engine, rows: int, repeats: int) -> tuple[list[float], ...]:
    offset = rows * 9 // 10
    with Session(engine) as session:
        before = offset_page(session, offset - 1)[0]
        key = PageKey(before.price, before.sku)
        expected = [p.sku for p in offset_page(session, offset)]
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeats):
            for side, read in enumerate(
                (
                    lambda: offset_page(session, offset),
                    lambda: products_page(session, after=key, size=SIZE).items,
                )
            ):
                started = time.perf_counter()
                got = read()
                times[side].append(time.perf_counter() - started)
                assert [p.sku for p in got] == expected, "the two pages differ"
            session.expunge_all()
    return times


def memory(field: str) -> int:
    """KiB from /proc/self/status: VmRSS now, VmHWM the peak since this program
    started (getrusage's ru_maxrss would include the parent's, kept across exec)."""
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def export(url: str, everything: bool) -> None:
    """Run in a child process: export every product as CSV, print peak memory."""
    engine = make_engine(url)
    with Session(engine) as session, open(os.devnull, "w", encoding="utf-8") as out:
        session.execute(text("SELECT 1"))  # connected: the baseline
        baseline = memory("VmRSS")
        writer = csv.writer(out)
        p = models.Product
        products = (
            session.scalars(select(p).order_by(p.price, p.sku)).all()
            if everything
            else stream_products(session, batch=1000)
        )
        count = 0
        for product in products:
            writer.writerow((product.sku, product.name, product.price))
            count += 1
    peak = memory("VmHWM")
    print(json.dumps({"rows": count, "baseline_kib": baseline, "peak_kib": peak}))


def export_memory(url: str, everything: bool = False) -> dict[str, int]:
    command = [sys.executable, __file__, "--export", url]
    result = subprocess.run(
        [*command, "--all"] if everything else command,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, int] = json.loads(result.stdout)
    return figures


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--offset-pages", type=int, default=2_000)
    parser.add_argument("--offset-sample", type=int, default=200)
    parser.add_argument(
        "--parts",
        default="load,walk,deep,export",
        help="comma-separated, in this order",
    )
    parser.add_argument("--export", help=argparse.SUPPRESS)
    parser.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.export:
        return export(options.export, options.all)
    parts = options.parts.split(",")
    with bench_database() as server:
        if server is None:
            return
        name = server.url.rsplit("/", 1)[1]
        url, async_url = server.database_url(name), server.database_url(name, "asyncpg")
        engine = make_engine(url)
        reset_schema(engine)
        print(f"{options.rows:,} products on PostgreSQL ({server.source})")
        if "load" in parts:
            bench_load(engine, async_url, options.rows, options.rounds)
        emptied(engine, load(async_url, options.rows, "generate", []))()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE products"))
        if "walk" in parts:
            bench_walk(
                engine, options.rows, options.offset_pages, options.offset_sample
            )
        if "deep" in parts:
            bench_deep(engine, options.rows)
        if "export" in parts:
            bench_export(engine, url, options.rows)
        engine.dispose()


def bench_load(engine: Engine, async_url: str, rows: int, rounds: int) -> None:
    records = list(catalog_rows(rows, seed=43))

    def side(how: str) -> Side:
        return lambda: emptied(engine, load(async_url, rows, how, records))

    hows = ("executemany", "COPY", "generate")
    timings = measure({how: side(how) for how in hows}, rounds)
    copy, many = min(timings["COPY"].wall), min(timings["executemany"].wall)
    generated = min(timings["generate"].wall)
    print(f"\nload {rows:,} rows (best of {rounds})")
    for label, seconds in (
        ("asyncpg executemany()", many),
        ("copy_records_to_table()", copy),
        ("generate_catalog() (+ rows)", generated),
    ):
        print(f"  {label:28} {seconds:8.2f} s {rows / seconds:>10,.0f} rows/s")
    print(f"  -> COPY / executemany: {ratio(timings, 'COPY', 'executemany')}")
    print(f"  -> COPY {many / copy:.1f}x faster (goal >= 5x: {verdict(many >= 5 * copy)})")  # fmt: skip


def bench_walk(engine: Engine, rows: int, most: int, sample: int) -> None:
    pages = -(-rows // SIZE)
    sampled = None if pages <= most else sample
    started = time.perf_counter()
    assert keyset_walk(engine) == rows
    keyset = time.perf_counter() - started
    offset = offset_walk(engine, rows, sampled)
    how = "every page" if sampled is None else f"{sampled} evenly spaced pages, scaled"
    print(f"\nwalk all {pages:,} pages of {SIZE}")
    print(f"  keyset  {keyset:9.2f} s")
    print(f"  OFFSET  {offset:9.2f} s ({how})")
    print(f"  -> keyset / OFFSET: 1/{offset / keyset:.0f} (goal <= 1/20: {verdict(offset >= 20 * keyset)})")  # fmt: skip


def bench_deep(engine: Engine, rows: int) -> None:
    by_offset, by_key = deep_page(engine, rows, repeats=7)
    best = min(by_offset) / min(by_key)
    median = statistics.median(by_offset) / statistics.median(by_key)
    print(f"\nthe page at offset {rows * 9 // 10:,} (best / median of 7)")
    print(f"  OFFSET  {min(by_offset) * 1000:9.2f} ms / {statistics.median(by_offset) * 1000:.2f} ms")  # fmt: skip
    print(f"  keyset  {min(by_key) * 1000:9.2f} ms / {statistics.median(by_key) * 1000:.2f} ms")  # fmt: skip
    print(f"  -> keyset {best:.0f}x / {median:.0f}x faster (goal >= 100x: {verdict(best >= 100)})")  # fmt: skip


def bench_export(engine: Engine, url: str, rows: int) -> None:
    full = export_memory(url)
    with engine.begin() as connection:  # keep the first tenth of the products
        connection.execute(
            text("DELETE FROM products WHERE sku >= :sku"),
            {"sku": f"GEN-{rows // 10:08d}"},
        )
    small, small_all = export_memory(url), export_memory(url, everything=True)
    print("\nCSV export, peak memory of the exporting process (VmHWM)")
    for label, figures in (
        ("stream_products(), all rows", full),
        ("stream_products(), a tenth", small),
        (".all() first, a tenth", small_all),
    ):
        grown = figures["peak_kib"] - figures["baseline_kib"]
        print(
            f"  {label:28} {figures['rows']:>10,} rows {figures['peak_kib'] / 1024:8.1f} MiB"
            f" (+{grown / 1024:.1f} MiB over the connected process)"
        )
    growth = full["peak_kib"] / small["peak_kib"]
    print(f"  -> peak at all rows / at a tenth: {growth:.2f}x (goal <= 1.5x: {verdict(growth <= 1.5)})")  # fmt: skip


if __name__ == "__main__":
    main()
