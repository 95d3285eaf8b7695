"""Step 40: product images streamed to disk in chunks, checksummed, size-limited."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.domain import utc_now
from app.errors import CorruptImage, ImageNotFound, ImageTooLarge, ProductNotFound
from app.orm import models
from app.orm.images import image_path, read_image, save_image

MiB = 1024 * 1024
# The bytes of every test image are windows on one random pattern, so a
# 16 MiB upload is made on the fly, never held whole by the test itself.
PERIOD = 2_000_003
PATTERN = random.Random(40).randbytes(PERIOD) * 2
_starts = count(1, 7919)  # each image its own bytes


class WholeRead(AssertionError):
    """read() or read(-1): the whole upload asked for at once."""


class Upload:
    """A client's upload of ``size`` bytes, handed out ``read(n)`` at a time.

    It records what was asked of it; with ``fail_after`` it raises OSError
    (the client went away) once that many bytes were handed out; ``on_read``
    is called after each read.
    """

    def __init__(
        self,
        size: int,
        *,
        fail_after: int | None = None,
        on_read: Callable[[Upload], None] | None = None,
    ) -> None:
        self.size, self.fail_after, self.on_read = size, fail_after, on_read
        self.start = next(_starts)
        self.given = self.reads = self.largest = 0

    def read(self, n: int | None = -1) -> bytes:
        if n is None or n < 0:
            raise WholeRead("the upload was read whole: read(n) with a size, please")
        if self.fail_after is not None and self.given >= self.fail_after:
            raise OSError(errno.ECONNRESET, "the client went away mid-upload")
        self.reads, self.largest = self.reads + 1, max(self.largest, n)
        n = min(n, self.size - self.given)
        offset = (self.start + self.given) % PERIOD
        self.given += n
        chunk = PATTERN[offset : offset + n]
        if self.on_read is not None:
            self.on_read(self)
        return chunk

    def data(self) -> bytes:
        """Every byte of this upload (for small ones)."""
        offset = self.start % PERIOD
        return PATTERN[offset : offset + self.size]

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for done in range(0, self.size, MiB):
            offset = (self.start + done) % PERIOD
            digest.update(PATTERN[offset : offset + min(MiB, self.size - done)])
        return digest.hexdigest()


@pytest.fixture
def images(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    return folder


@pytest.fixture
def store(engine: Engine) -> Engine:
    """The `engine` fixture (SQLite, PostgreSQL) with products TEA-1 and MUG-2."""
    with Session(engine) as session, session.begin():
        for sku, name in (("TEA-1", "Green tea"), ("MUG-2", "Mug")):
            session.add(
                models.Product(
                    sku=sku, name=name, price=Decimal("4.50"), created_at=utc_now()
                )
            )
    return engine


def saved(engine: Engine, sku: str, upload: Upload, folder: Path, **options) -> int:
    """Save in a transaction of its own, committed; return the image's id."""
    with Session(engine) as session, session.begin():
        image = save_image(
            session, sku, upload, directory=folder, content_type="image/png", **options
        )
        return image.id


def rows(engine: Engine) -> list[tuple]:
    i = models.ProductImage
    with Session(engine) as session:
        result = session.execute(
            select(models.Product.sku, i.sha256, i.size, i.content_type)
            .join(models.Product, models.Product.id == i.product_id)
            .order_by(i.id)
        )
        return [tuple(row) for row in result]


def read_back(engine: Engine, image_id: int, folder: Path, **options) -> bytes:
    with Session(engine) as session:
        return b"".join(read_image(session, image_id, directory=folder, **options))


def test_an_image_is_stored_under_its_sha256_with_a_row(store, images):
    upload = Upload(300_000)
    with Session(store) as session, session.begin():
        image = save_image(
            session, "TEA-1", upload, directory=images, content_type="image/jpeg"
        )
        assert isinstance(image, models.ProductImage)
        assert image.id is not None  # flushed: the caller can use the id
    sha = hashlib.sha256(upload.data()).hexdigest()
    assert rows(store) == [("TEA-1", sha, 300_000, "image/jpeg")]
    assert os.listdir(images) == [sha]
    assert image_path(images, sha).read_bytes() == upload.data()


def test_the_upload_is_read_in_chunks_of_the_size_asked(store, images):
    upload = Upload(1_000_000)
    saved(store, "TEA-1", upload, images, chunk_size=10_000)
    assert upload.largest == 10_000  # and never read() whole: WholeRead
    assert upload.reads >= 100


def test_saving_16_mib_keeps_about_two_chunks_in_memory(store, images):
    saved(store, "TEA-1", Upload(1000), images)  # warm up: imports, SQL caches
    upload = Upload(16 * MiB)
    tracemalloc.start()
    try:
        saved(store, "TEA-1", upload, images, chunk_size=MiB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The chunk in hand, the next one being read, and small change.
    assert peak < 2.5 * MiB
    assert rows(store)[-1][1:3] == (upload.sha256(), 16 * MiB)


def test_an_image_over_the_limit_is_refused_at_the_first_chunk_past_it(store, images):
    upload = Upload(5_000_000)
    with pytest.raises(ImageTooLarge) as caught:
        saved(store, "TEA-1", upload, images, max_bytes=100_000, chunk_size=8192)
    assert (caught.value.sku, caught.value.limit) == ("TEA-1", 100_000)
    assert upload.given <= 100_000 + 8192  # not one chunk more was read
    assert os.listdir(images) == []
    assert rows(store) == []


def test_an_image_of_exactly_the_limit_is_taken(store, images):
    upload = Upload(100_000)
    saved(store, "TEA-1", upload, images, max_bytes=100_000, chunk_size=8192)
    assert rows(store)[0][2] == 100_000


def test_an_upload_that_breaks_off_leaves_no_file_and_no_row(store, images):
    upload = Upload(1_000_000, fail_after=500_000)
    with pytest.raises(OSError) as caught:
        saved(store, "TEA-1", upload, images, chunk_size=50_000)
    assert caught.value.errno == errno.ECONNRESET  # the client's own error
    assert os.listdir(images) == []
    assert rows(store) == []


def test_the_upload_is_written_to_a_temporary_file_in_the_images_folder(store, images):
    seen: list[list[str]] = []
    upload = Upload(200_000, on_read=lambda _: seen.append(os.listdir(images)))
    saved(store, "TEA-1", upload, images, chunk_size=20_000)
    sha = upload.sha256()
    # While the bytes come in: one file there, and not yet the final name.
    assert seen and all(len(names) <= 1 and sha not in names for names in seen)
    assert any(len(names) == 1 for names in seen)
    assert os.listdir(images) == [sha]


def test_the_same_bytes_twice_for_a_product_are_stored_once(store, images):
    first = Upload(120_000)
    again = Upload(120_000)
    again.start = first.start  # the very same bytes, uploaded again
    assert saved(store, "TEA-1", first, images) == saved(store, "TEA-1", again, images)
    assert len(rows(store)) == 1
    assert os.listdir(images) == [first.sha256()]


def test_two_products_with_the_same_bytes_share_one_file(store, images):
    tea = Upload(120_000)
    mug = Upload(120_000)
    mug.start = tea.start
    assert saved(store, "TEA-1", tea, images) != saved(store, "MUG-2", mug, images)
    assert [row[0] for row in rows(store)] == ["TEA-1", "MUG-2"]
    assert os.listdir(images) == [tea.sha256()]


def test_an_unknown_sku_reads_nothing_and_writes_nothing(store, images):
    upload = Upload(10_000)
    with pytest.raises(ProductNotFound) as caught:
        saved(store, "NOPE-9", upload, images)
    assert caught.value.skus == ("NOPE-9",)
    assert upload.reads == 0
    assert os.listdir(images) == []


def test_the_row_is_left_to_the_callers_transaction(store, images):
    with Session(store) as session:
        save_image(
            session, "TEA-1", Upload(5000), directory=images, content_type="image/png"
        )
        session.rollback()
    with Session(store) as session:
        assert session.scalar(select(func.count(models.ProductImage.id))) == 0


def test_an_image_reads_back_in_chunks_the_same_bytes(store, images):
    upload = Upload(250_000)
    image_id = saved(store, "TEA-1", upload, images)
    with Session(store) as session:
        chunks = list(read_image(session, image_id, directory=images, chunk_size=8192))
    assert max(map(len, chunks)) == 8192
    assert b"".join(chunks) == upload.data()


def test_reading_16_mib_keeps_about_two_chunks_in_memory(store, images):
    image_id = saved(store, "TEA-1", Upload(16 * MiB), images, chunk_size=MiB)
    read_back(store, image_id, images, chunk_size=1024)  # warm up
    with Session(store) as session:
        tracemalloc.start()
        try:
            size = 0
            for chunk in read_image(
                session, image_id, directory=images, chunk_size=MiB
            ):
                size += len(chunk)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert size == 16 * MiB
    assert peak < 2.5 * MiB


def damage(path: Path, change: Callable[[bytearray], None]) -> str:
    data = bytearray(path.read_bytes())
    change(data)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def flip_one_byte(data: bytearray) -> None:
    data[len(data) // 2] ^= 0x01


def cut_the_end(data: bytearray) -> None:
    del data[-1000:]


@pytest.mark.parametrize("change", [flip_one_byte, cut_the_end])
def test_a_damaged_file_is_an_error_not_wrong_bytes(store, images, change):
    upload = Upload(100_000)
    image_id = saved(store, "TEA-1", upload, images)
    found = damage(image_path(images, upload.sha256()), change)
    with pytest.raises(CorruptImage) as caught:
        read_back(store, image_id, images, chunk_size=8192)
    assert caught.value.image_id == image_id
    assert (caught.value.expected, caught.value.found) == (upload.sha256(), found)


def test_an_unknown_image_id_is_image_not_found(store, images):
    with pytest.raises(ImageNotFound) as caught:
        read_back(store, 424242, images)
    assert caught.value.image_id == 424242


def test_an_interrupted_upload_leaves_nothing_even_on_keyboard_interrupt(store, images):
    def stop(upload: Upload) -> None:
        if upload.given >= 50_000:
            raise KeyboardInterrupt  # Ctrl-C, or a worker being shut down

    with pytest.raises(KeyboardInterrupt):
        saved(store, "TEA-1", Upload(200_000, on_read=stop), images, chunk_size=10_000)
    assert os.listdir(images) == []
    assert rows(store) == []


def test_a_refused_image_leaves_the_callers_own_work_alone(store, images):
    with Session(store) as session, session.begin():
        session.add(
            models.Product(
                sku="NEW-3", name="New", price=Decimal("1.00"), created_at=utc_now()
            )
        )
        with pytest.raises(ImageTooLarge):
            save_image(
                session,
                "TEA-1",
                Upload(10_000),
                directory=images,
                content_type="image/png",
                max_bytes=100,
            )
    with Session(store) as session:
        added = select(func.count()).where(models.Product.sku == "NEW-3")
        assert session.scalar(added) == 1


@pytest.mark.parametrize(
    "engine", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_two_uploads_for_one_product_at_once_keep_both_files_whole(store, images):
    other = Upload(100_000)

    def start_other(upload: Upload) -> None:
        if upload.reads == 1:  # the first upload has begun writing its file
            saved(store, "TEA-1", other, images, chunk_size=10_000)

    first = Upload(100_000, on_read=start_other)
    saved(store, "TEA-1", first, images, chunk_size=10_000)
    assert sorted(os.listdir(images)) == sorted([first.sha256(), other.sha256()])
    for upload in (first, other):
        assert (images / upload.sha256()).read_bytes() == upload.data()
