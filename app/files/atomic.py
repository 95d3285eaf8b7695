# workshop: since 01
"""Atomic file writes: a reader sees the old file or the new one, never half."""

from __future__ import annotations

import os  # solution 01
import re  # since 04
import stat  # solution 01
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
    mode = _mode_to_keep(path)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            if mode is not None:  # the temp file is created 0600
                os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _mode_to_keep(path: Path) -> int | None:
    """The permissions of the file at ``path`` (None if there is none), which
    the new file keeps; PermissionError if they make it read-only, because
    os.replace() asks only the folder, and would replace it anyway."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise PermissionError(
            f"{path} is read-only (mode {mode:o}), so it was left as it is;"
            f" make it writable (chmod u+w {path}) to change it"
        )
    return mode


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
# >>> since 04


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files that atomic_write_bytes() left beside ``path``
    when it was killed mid-write: regular files named exactly as it names them
    (".catalog.json.k3j_x9a2.tmp"), nothing else.

    Call it only while holding the lock that every writer of ``path`` takes:
    a live writer's temporary file has the very same kind of name.
    """
    leftover = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    with os.scandir(path.parent) as entries:
        for entry in entries:
            if leftover.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


# <<<
