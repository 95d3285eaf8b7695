# workshop: since 40
"""Product images: a streamed upload's memory, and BLOB/bytea vs file-on-disk reads.

    python scripts/bench_images.py                  # 50 MB upload, 10 MB per size
    python scripts/bench_images.py --total-mb 100   # more images per size
    python scripts/bench_images.py --no-postgres

1. Upload: save_image() of a 50 MB file (64 KiB and 1 MiB chunks) against a
   baseline that reads the upload whole, then hashes, writes and fsyncs it.
   Peak memory is tracemalloc's, above what was traced before the upload;
   the goal is at most 2 chunk sizes. For comparison: the same file steps
   reading with readinto() into one reused buffer.
2. Crossover: the time to read N images of one size (10 KB ... 10 MB),
   each by its id, from a BLOB (SQLite) / bytea (PostgreSQL) column, or
   as a path from a row plus the file it names. N is --total-mb divided by
   the size (3 to 200 images). Both warm: the files in the OS cache, the
   database in its own. sqlite.org measured ~100 KB for SQLite.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bench_bulk_insert import bench_database  # the same throwaway database
from benchkit import best, measure, ratio
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.orm import Session

from app.domain import utc_now
from app.orm import models
from app.orm.database import make_engine, reset_schema
from app.orm.images import image_path, save_image, sync_folder

MB = 1_000_000
KiB, MiB = 1024, 1024 * 1024
SIZES = [10_000, 30_000, 100_000, 300_000, MB, 3 * MB, 10 * MB]
ROUNDS = 5

metadata = MetaData()
blobs = Table(
    "bench_blobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("data", LargeBinary),
)
files = Table(
    "bench_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String(500)),
)


def whole_upload(source_path: Path, directory: Path) -> str:
    """The baseline: the whole upload in memory, then hashed, written, renamed."""
    with source_path.open("rb") as source:
        data = source.read()
    sha256 = hashlib.sha256(data).hexdigest()
    temporary = directory / ".whole.tmp"
    with temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, image_path(directory, sha256))
    sync_folder(directory)
    return sha256


def reused_buffer_upload(source_path: Path, directory: Path, chunk: int) -> str:
    """save_image()'s file steps, the chunks read with readinto() into one
    buffer: no new bytes object per read (no row is written)."""
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    digest = hashlib.sha256()
    temporary = directory / ".reused.tmp"
    with source_path.open("rb") as source, temporary.open("wb") as out:
        while size := source.readinto(buffer):
            digest.update(view[:size])
            out.write(view[:size])
        out.flush()
        os.fsync(out.fileno())
    sha256 = digest.hexdigest()
    os.replace(temporary, image_path(directory, sha256))
    sync_folder(directory)
    return sha256


def store_upload(engine: Engine, source_path: Path, directory: Path, chunk: int):
    def upload() -> str:
        with Session(engine) as session, session.begin(), source_path.open("rb") as f:
            return save_image(
                session,
                "IMG-1",
                f,
                directory=directory,
                content_type="image/png",
                max_bytes=source_path.stat().st_size,
                chunk_size=chunk,
            ).sha256

    return upload


def peak_above_baseline(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        action()
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


def bench_upload(folder: Path, megabytes: int) -> None:
    source_path = folder / "upload.bin"
    with source_path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(MB))
    directory = folder / "images"
    directory.mkdir()
    engine = make_engine(f"sqlite:///{folder / 'upload.db'}")
    reset_schema(engine)
    with Session(engine) as session, session.begin():
        session.add(
            models.Product(
                sku="IMG-1", name="Image", price=Decimal("1.00"), created_at=utc_now()
            )
        )
    sides: dict[str, Callable[[], str]] = {
        "whole: read(), then hash and write": lambda: whole_upload(
            source_path, directory
        ),
        "save_image(), 64 KiB chunks": store_upload(
            engine, source_path, directory, 64 * KiB
        ),
        "save_image(), 1 MiB chunks": store_upload(engine, source_path, directory, MiB),
        "readinto() one 1 MiB buffer, no row": lambda: reused_buffer_upload(
            source_path, directory, MiB
        ),
    }
    chunks = {name: 64 * KiB if "64 KiB" in name else MiB for name in sides}

    timings = measure(
        {name: functools.partial(given, action) for name, action in sides.items()},
        ROUNDS,
        same_bytes,
        clock=time.process_time,
    )
    print(f"\nUpload of {megabytes} MB (SQLite row, file fsynced), best of {ROUNDS}")
    baseline = "whole: read(), then hash and write"
    for name, action in sides.items():
        peak = peak_above_baseline(action)
        seconds = best(timings, name)
        print(
            f"  {name:36} {seconds:6.3f} s {megabytes / seconds:7.0f} MB/s"
            f"  peak {peak / MiB:7.2f} MiB = {peak / chunks[name]:6.2f} chunks of"
            f" {chunks[name] // KiB} KiB"
        )
        if name != baseline:
            print(f"    time vs whole, min / median: {ratio(timings, name, baseline)}")
    engine.dispose()


def fill(engine: Engine, folder: Path, size: int, count: int) -> list[int]:
    """``count`` images of ``size`` random bytes, as BLOBs and as files + path rows."""
    metadata.drop_all(engine)
    metadata.create_all(engine)
    directory = folder / f"files-{size}"
    directory.mkdir(exist_ok=True)
    ids = list(range(1, count + 1))
    with engine.begin() as connection:
        for n in ids:
            data = os.urandom(size)
            path = directory / f"{n}.bin"
            path.write_bytes(data)
            connection.execute(insert(blobs).values(id=n, data=data))
            connection.execute(insert(files).values(id=n, path=str(path)))
    random.Random(size).shuffle(ids)
    return ids


def given(action: Callable[[], str]) -> Callable[[], str]:
    return action


def same_bytes(results: dict[str, object]) -> None:
    if len(set(results.values())) != 1:
        raise SystemExit(f"the sides read different amounts of bytes: {results}")


def read_blobs(engine: Engine, ids: list[int]) -> Callable[[], int]:
    def read() -> int:
        with engine.connect() as connection:
            return sum(
                len(
                    connection.execute(
                        select(blobs.c.data).where(blobs.c.id == n)
                    ).scalar_one()
                )
                for n in ids
            )

    return read


def read_files(engine: Engine, ids: list[int]) -> Callable[[], int]:
    def read() -> int:
        with engine.connect() as connection:
            return sum(
                len(
                    Path(
                        connection.execute(
                            select(files.c.path).where(files.c.id == n)
                        ).scalar_one()
                    ).read_bytes()
                )
                for n in ids
            )

    return read


def crossover(
    name: str, engine: Engine, folder: Path, total_mb: int
) -> dict[int, float]:
    """Per size: microseconds per image read from a column and from a file."""
    column = "bytea" if engine.dialect.name == "postgresql" else "BLOB"
    print(
        f"\n{name}: read N images by id, {column} column vs path row + file (best of {ROUNDS})"
    )
    print(
        f"  {'size':>8} {'N':>4} {column + ' µs':>12} {'file µs':>12} {'file/' + column:>11}  median ratio (wall)"
    )
    ratios = {}
    for size in SIZES:
        count = max(3, min(200, total_mb * MB // size))
        ids = fill(engine, folder, size, count)
        timings = measure(
            {
                column: functools.partial(read_blobs, engine, ids),
                "file": functools.partial(read_files, engine, ids),
            },
            ROUNDS,
            same_bytes,
            clock=time.process_time,
        )
        per = {side: best(timings, side) / count * 1e6 for side in timings}
        ratios[size] = per["file"] / per[column]
        median = statistics.median(timings["file"].wall) / statistics.median(
            timings[column].wall
        )
        print(
            f"  {size / 1000:>6g}KB {count:>4} {per[column]:>12,.0f} {per['file']:>12,.0f}"
            f" {ratios[size]:>10.2f}x  {median:.2f}x"
        )
    faster = [size for size, r in ratios.items() if r < 1]
    print(
        f"  -> files read faster from {min(faster) / 1000:g} KB up"
        if faster
        else f"  -> the {column} column read faster at every size"
    )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upload-mb", type=int, default=50)
    parser.add_argument("--total-mb", type=int, default=10, help="bytes read per size")
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_upload(folder, options.upload_mb)
        engine = make_engine(f"sqlite:///{folder / 'blobs.db'}")
        crossover("SQLite (file, page size 4096)", engine, folder, options.total_mb)
        engine.dispose()
        if options.no_postgres:
            return
        with bench_database() as server:
            if server is not None:
                engine = make_engine(server.database_url(server.url.rsplit("/", 1)[1]))
                crossover(
                    f"PostgreSQL ({server.source})", engine, folder, options.total_mb
                )
                engine.dispose()


if __name__ == "__main__":
    main()
