"""Variants of drill 11 (connect()): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

DB = "app/sqlite/db.py"

VARIANTS = [
    wrong(
        "keeps the module's implicit transactions (no isolation_level=None)",
        replace_text(
            DB,
            old="sqlite3.connect(path, timeout=timeout, isolation_level=None)",
            new="sqlite3.connect(path, timeout=timeout)",
        ),
    ),
    wrong(
        "never turns foreign keys on",
        replace_text(DB, old='conn.execute("PRAGMA foreign_keys = ON")', new="pass"),
    ),
    wrong(
        "ignores the timeout it is given",
        replace_text(
            DB,
            old="sqlite3.connect(path, timeout=timeout, isolation_level=None)",
            new="sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)",
        ),
    ),
    wrong(
        "leaves rows as plain tuples",
        replace_text(DB, old="    conn.row_factory = sqlite3.Row\n", new=""),
    ),
    wrong(
        "raises CorruptFile but leaves the connection open",
        replace_text(DB, old="        conn.close()\n", new=""),
    ),
    wrong(
        "calls every database error a corrupt file (a locked one too)",
        replace_text(
            DB,
            old='        if error.sqlite_errorname != "SQLITE_NOTADB":\n            raise\n',
            new="",
        ),
    ),
    wrong(
        "names only the file, not the path it was given",
        replace_text(
            DB,
            old='f"{path} is not a SQLite',
            new='f"{Path(path).name} is not a SQLite',
        ),
    ),
    alternative(
        "reads sqlite_schema, closes with contextlib, other words",
        replace_function(
            DB,
            "connect",
            '''
            def connect(path, *, timeout=BUSY_TIMEOUT):
                """Open ``path`` for the store."""
                conn = sqlite3.connect(
                    str(path), isolation_level=None, timeout=timeout
                )
                conn.row_factory = sqlite3.Row
                try:
                    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                    conn.execute("PRAGMA foreign_keys = 1")
                except sqlite3.DatabaseError as error:
                    if error.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
                        conn.close()
                        raise CorruptFile(f"cannot read {path}: not SQLite") from error
                    conn.close()
                    raise
                return conn
            ''',
        ),
    ),
]
