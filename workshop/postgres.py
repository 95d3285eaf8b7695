"""Find a PostgreSQL server: a URL from the environment, a local one, or a throwaway cluster."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

URL_VARIABLE = "WORKSHOP_PG_URL"
MODE_VARIABLE = "WORKSHOP_PG_MODE"  # "throwaway" skips the URL and the local server
REQUIRE_VARIABLE = "WORKSHOP_REQUIRE_POSTGRES"
LOCAL_URLS = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://postgres@/postgres?host=/var/run/postgresql",
)
HOW_TO_ENABLE = (
    f"set {URL_VARIABLE}=postgresql://user:password@host:5432/postgres, run a local"
    " server with trust auth for user postgres, or install PostgreSQL's server"
    " binaries (initdb, pg_ctl)"
)


# A test cluster holds nothing worth an fsync.
QUICK = ("--no-sync", "--encoding=UTF8")


class NoServer(RuntimeError):
    """No PostgreSQL server could be found or started."""


class UrlDoesNotConnect(NoServer):
    """The URL in the environment names a server that refuses the connection."""


@dataclass(frozen=True)
class Server:
    """A reachable server: a libpq URL of its maintenance database, and how we got it."""

    url: str
    source: str

    def database_url(self, database: str, driver: str = "psycopg2") -> str:
        """The SQLAlchemy URL of ``database`` on this server, for ``driver``."""
        from sqlalchemy.engine import make_url

        url = make_url(self.url).set(
            drivername=f"postgresql+{driver}", database=database
        )
        return url.render_as_string(hide_password=False)


def connect_error(url: str, timeout: int = 3) -> str | None:
    """None when ``url`` accepts a connection, else the reason it does not."""
    import psycopg2

    try:
        psycopg2.connect(url, connect_timeout=timeout).close()
    except psycopg2.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else "refused"
    return None


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the newest Debian install."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name or 0),
    )
    return Path(versions[-1]).parent if versions else None


def _forced() -> bool:
    return os.environ.get(MODE_VARIABLE, "").strip().lower() == "throwaway"


def describe() -> str:
    """Which server the tests would use, in one line; starts nothing."""
    if not _forced():
        if url := _url_from_environment():
            return f"{URL_VARIABLE}: {_safe(url)}"
        for url in LOCAL_URLS:
            if connect_error(url) is None:
                return f"local server: {url}"
    binaries = find_binaries()
    if binaries is not None:
        return f"throwaway cluster from {binaries} (started for the test run)"
    raise NoServer(f"no PostgreSQL server found; {HOW_TO_ENABLE}")


def _url_from_environment() -> str | None:
    """$WORKSHOP_PG_URL if it is set; UrlDoesNotConnect if it does not connect."""
    url = os.environ.get(URL_VARIABLE)
    if url and (problem := connect_error(url)):
        raise UrlDoesNotConnect(
            f"{URL_VARIABLE}={_safe(url)} does not connect: {problem}"
        )
    return url or None


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """A server in this order: $WORKSHOP_PG_URL, a local server, a throwaway cluster.

    With WORKSHOP_PG_MODE=throwaway the first two are skipped. A URL in the
    environment that does not connect is an error, not a reason to look on.
    """
    if not _forced():
        if url := _url_from_environment():
            yield Server(url, URL_VARIABLE)
            return
        for url in LOCAL_URLS:
            if connect_error(url) is None:
                yield Server(url, "local server")
                return
    with throwaway_cluster() as started:
        yield started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _locale() -> str:
    """C.UTF-8 when the system has it: code point order, and lower() knows É."""
    try:
        listed = subprocess.run(
            ["locale", "-a"],
            capture_output=True,
            text=True,
            timeout=10,
            encoding="utf-8",
            errors="replace",  # a locale's name may be in another encoding
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "C"
    names = {name.strip().lower().replace("-", "") for name in listed.splitlines()}
    return "C.UTF-8" if "c.utf8" in names else "C"


def _as_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as 'nobody' when we are root."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "nobody", "--", *command]
    nobody = pwd.getpwnam("nobody")
    return [
        "setpriv",
        f"--reuid={nobody.pw_uid}",
        f"--regid={nobody.pw_gid}",
        "--clear-groups",
        *command,
    ]


def _reachable_temp() -> str | None:
    """Where 'nobody' can reach a cluster: TMPDIR, unless a folder on its path
    is closed to others (verify's own temp folders are), then /tmp."""
    if os.geteuid() != 0:
        return None
    base = Path(tempfile.gettempdir()).resolve()
    if all(folder.stat().st_mode & 0o001 for folder in [base, *base.parents]):
        return None
    return "/tmp"


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Server]:
    """Start a private cluster (trust auth, 127.0.0.1, a free port); remove it afterwards."""
    binaries = find_binaries()
    if binaries is None:
        raise NoServer(
            f"PostgreSQL's initdb and pg_ctl are not installed; {HOW_TO_ENABLE}"
        )
    home = Path(tempfile.mkdtemp(prefix="workshop-pg-", dir=_reachable_temp()))
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(home, nobody.pw_uid, nobody.pw_gid)
    data, log, port = home / "data", home / "server.log", _free_port()

    def run(*args: str) -> None:
        done = subprocess.run(
            _as_owner([str(binaries / args[0]), *args[1:]]),
            cwd=home,
            capture_output=True,
            text=True,
            timeout=60,
            encoding="utf-8",
            errors="replace",
        )
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip()[-800:]
            if log.exists():
                detail += (
                    "\n" + log.read_text(encoding="utf-8", errors="replace")[-800:]
                )
            raise NoServer(f"{args[0]} failed: {detail}")

    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -F"
    try:
        run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            *QUICK,
            f"--locale={_locale()}",
        )
        run("pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o", options, "start")
        try:
            yield Server(
                f"postgresql://postgres@127.0.0.1:{port}/postgres",
                f"throwaway cluster on port {port}",
            )
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(home, ignore_errors=True)
