# workshop: since 40
"""Product images: streamed to disk in chunks, checksummed, size-limited; a row each."""

from __future__ import annotations

import hashlib  # solution 40
import os
import tempfile  # solution 40
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import select  # solution 40
from sqlalchemy.orm import Session

from app import errors  # solution 40
from app.domain import utc_now  # solution 40
from app.orm import models

CHUNK_SIZE = 64 * 1024  # bytes read, hashed and written at a time
MAX_BYTES = 64 * 1024 * 1024  # the largest image the store takes unless told


class ByteSource(Protocol):
    """What an upload must offer: a file opened "rb", a request's body stream."""

    def read(self, size: int, /) -> bytes:
        """At most ``size`` bytes; b"" once everything was read."""
        ...


def image_path(directory: Path, sha256: str) -> Path:
    """Where the image whose SHA-256 (64 hex digits) is ``sha256`` lives."""
    return directory / sha256


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a file just renamed into it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# >>> solution 40
def save_image(
    session: Session,
    sku: str,
    source: ByteSource,
    *,
    directory: Path,
    content_type: str,
    max_bytes: int = MAX_BYTES,
    chunk_size: int = CHUNK_SIZE,
) -> models.ProductImage:
    """Store the image that ``source`` yields as an image of product ``sku``.

    Reads ``source`` ``chunk_size`` bytes at a time, hashing and writing each
    chunk to a temporary file in ``directory``; ImageTooLarge as soon as more
    than ``max_bytes`` came. The complete file is flushed, fsynced and renamed
    to image_path(directory, its SHA-256); then the row is added in the
    caller's transaction (flushed, never committed) and returned. The same
    bytes for the same product again: the existing row. On any failure the
    temporary file is removed and no row is added. ProductNotFound for an
    unknown SKU, before anything is read.
    """
    product_id = session.scalar(
        select(models.Product.id).where(models.Product.sku == sku)
    )
    if product_id is None:
        raise errors.ProductNotFound(skus=[sku])
    digest, size = hashlib.sha256(), 0
    temporary = tempfile.NamedTemporaryFile(
        dir=directory, prefix=".upload-", suffix=".tmp", delete=False
    )
    try:
        with temporary:
            while chunk := source.read(chunk_size):
                size += len(chunk)
                if size > max_bytes:
                    raise errors.ImageTooLarge(sku, max_bytes)
                digest.update(chunk)
                temporary.write(chunk)
            temporary.flush()
            os.fsync(temporary.fileno())
        sha256 = digest.hexdigest()
        os.replace(temporary.name, image_path(directory, sha256))
    except BaseException:
        Path(temporary.name).unlink(missing_ok=True)
        raise
    sync_folder(directory)
    image = session.scalar(
        select(models.ProductImage).where(
            models.ProductImage.product_id == product_id,
            models.ProductImage.sha256 == sha256,
        )
    )
    if image is None:
        image = models.ProductImage(
            product_id=product_id,
            sha256=sha256,
            size=size,
            content_type=content_type,
            created_at=utc_now(),
        )
        session.add(image)
        session.flush()
    return image


def read_image(
    session: Session, image_id: int, *, directory: Path, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Yield the bytes of image ``image_id``, ``chunk_size`` bytes at a time.

    The bytes are hashed as they go; if they do not hash to the row's
    SHA-256, CorruptImage comes at the end instead of a clean stop: keep
    nothing you got until the loop ends. ImageNotFound for an unknown id.
    """
    image = session.get(models.ProductImage, image_id)
    if image is None:
        raise errors.ImageNotFound(image_id)
    path = image_path(directory, image.sha256)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
            yield chunk
    if (found := digest.hexdigest()) != image.sha256:
        raise errors.CorruptImage(image_id, path, image.sha256, found)


# <<<
