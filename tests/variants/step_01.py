"""Variants of drill 01 (pickle save, atomic write): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

ATOMIC = "app/files/atomic.py"
STORE = "app/files/pickle_store.py"

VARIANTS = [
    wrong(
        "writes the file in place: a crash mid-write tears it",
        replace_function(
            ATOMIC,
            "atomic_write_bytes",
            '''
            def atomic_write_bytes(path: Path, data: bytes) -> None:
                """Write ``data`` to ``path``."""
                with open(path, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            ''',
        ),
    ),
    wrong(
        "puts the temp file in the system's temp folder, not next to the target",
        replace_text(
            ATOMIC,
            old="        dir=path.parent, prefix=",
            new="        dir=tempfile.gettempdir(), prefix=",
        ),
    ),
    wrong(
        "fsyncs before flushing: the bytes are still in Python's buffer",
        replace_text(
            ATOMIC,
            old="            handle.write(data)\n            handle.flush()\n",
            new="            handle.write(data)\n",
        ),
    ),
    wrong(
        "never fsyncs the temp file",
        replace_text(ATOMIC, old="            os.fsync(handle.fileno())\n", new=""),
    ),
    wrong(
        "fsyncs only after the rename",
        replace_function(
            ATOMIC,
            "atomic_write_bytes",
            '''
            def atomic_write_bytes(path: Path, data: bytes) -> None:
                """Replace the file at ``path`` with ``data``."""
                path = Path(path)
                handle = tempfile.NamedTemporaryFile(dir=path.parent, delete=False)
                try:
                    with handle:
                        handle.write(data)
                    os.replace(handle.name, path)
                except BaseException:
                    Path(handle.name).unlink(missing_ok=True)
                    raise
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            ''',
        ),
    ),
    wrong(
        "cleans up after an Exception only, so Ctrl-C leaves the temp file",
        replace_text(
            ATOMIC, old="    except BaseException:\n", new="    except Exception:\n"
        ),
    ),
    wrong(
        "never removes the temp file after a failure",
        replace_text(
            ATOMIC,
            old="        Path(handle.name).unlink(missing_ok=True)\n",
            new="",
        ),
    ),
    wrong(
        "wraps the failure in another error instead of re-raising it",
        replace_text(
            ATOMIC,
            old="        Path(handle.name).unlink(missing_ok=True)\n        raise\n",
            new=(
                "        Path(handle.name).unlink(missing_ok=True)\n"
                '        raise OSError(f"could not save {path}")\n'
            ),
        ),
    ),
    wrong(
        "pickles with the default protocol",
        replace_text(STORE, old=", protocol=PROTOCOL)", new=")"),
    ),
    wrong(
        "pickles the iterable as given, not as a list",
        replace_text(
            STORE, old="pickle.dumps(list(products),", new="pickle.dumps(products,"
        ),
    ),
    alternative(
        "mkstemp and os.fdopen, pickle.dump to the open file",
        replace_function(
            ATOMIC,
            "atomic_write_bytes",
            '''
            def atomic_write_bytes(path: Path, data: bytes) -> None:
                """Replace ``path`` with ``data``: temp file, flush, fsync, rename."""
                folder = os.path.dirname(os.path.abspath(path))
                fd, name = tempfile.mkstemp(dir=folder, suffix=".part")
                try:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                        handle.flush()
                        os.fsync(handle.fileno())
                    os.replace(name, path)
                except BaseException:
                    os.unlink(name)
                    raise
            ''',
        ),
        replace_function(
            STORE,
            "save_catalog",
            '''
            def save_catalog(products: Iterable[Product], path: Path) -> None:
                """Pickle ``products`` as a list to ``path`` (protocol 5), atomically."""
                import io

                buffer = io.BytesIO()
                pickle.dump([*products], buffer, protocol=pickle.HIGHEST_PROTOCOL)
                atomic_write_bytes(path, buffer.getvalue())
            ''',
        ),
    ),
    alternative(
        "a uuid-named temp file opened with 'xb', removed in finally",
        replace_function(
            ATOMIC,
            "atomic_write_bytes",
            '''
            def atomic_write_bytes(path: Path, data: bytes) -> None:
                """Replace ``path`` with ``data``: temp file, flush, fsync, rename."""
                import uuid

                path = Path(path)
                temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
                try:
                    with temp.open("xb") as handle:
                        handle.write(data)
                        handle.flush()
                        os.fsync(handle.fileno())
                    temp.replace(path)
                finally:
                    temp.unlink(missing_ok=True)
            ''',
        ),
    ),
]
