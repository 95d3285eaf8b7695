# workshop: since 01
"""Atomic file writes: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os  # solution 01
import tempfile  # solution 01
from pathlib import Path


# >>> solution 01
def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` so that a crash at any moment
    leaves either the complete old file or the complete new one.

    Write to a temporary file in the same folder, flush and fsync it, then
    os.replace() it over ``path``. If anything fails, remove the temporary
    file and let the error propagate: the old file must stay untouched.
    """
    path = Path(path)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders can't sync."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# <<<
