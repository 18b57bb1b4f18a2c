"""A private, throwaway PostgreSQL server that a test may crash and restart at will.

The shared server of ``TEST_DATABASE_URL`` must never be stopped under other people's tests, so a
fault test that takes the database away runs its own: ``initdb`` into a temporary directory, a free
port on 127.0.0.1, ``pg_ctl`` to stop it (``immediate`` is a crash, ``fast`` a clean shutdown) and
start it again. The binaries are found at run time; PostgreSQL refuses to run as root, so under root
every command runs as the ``postgres`` OS user, which owns the directory.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.webproc import free_port

__all__ = ["PostgresServer", "find_bindir", "unavailable_reason"]

_TOOLS = ("initdb", "pg_ctl", "postgres")


def _has_tools(directory: str | Path) -> bool:
    return all(os.access(Path(directory) / tool, os.X_OK) for tool in _TOOLS)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def find_bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres live: ``pg_config --bindir``, the PATH, or the newest
    ``postgresql/<version>/bin`` of the usual distribution layouts."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            )
            if found.returncode == 0:
                candidates.append(found.stdout.strip())
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin"):
        candidates.extend(sorted(glob.glob(pattern), key=_version_key, reverse=True))
    return next((Path(c) for c in candidates if c and _has_tools(c)), None)


def _server_user() -> str | None:
    """The OS user the server runs as: ourselves, or ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    return "postgres"


def unavailable_reason() -> str | None:
    """Why a private server cannot be started here, or None when it can."""
    if find_bindir() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine"
    user = _server_user()
    if user is not None:
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"running as root and there is no {user!r} OS user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root without runuser to start PostgreSQL as another user"
    return None


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only.

    ``start()`` and ``stop()`` wait (bounded, through ``pg_ctl -w -t``) until the server is ready
    or gone. ``url`` stays the same across restarts. ``close()`` stops it and removes every file.
    """

    def __init__(self, *, timeout: float = 30.0) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError(unavailable_reason() or "PostgreSQL binaries not found")
        self.bindir = bindir
        self.timeout = timeout
        self.port = free_port()
        self.user = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="salesbot-pg-"))
        self.data = self.root / "data"
        self.logfile = self.root / "server.log"
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._initialised = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=self.timeout + 15,
            check=False,
            cwd=self.root,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{tool} {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}\n"
                f"--- server log ---\n{self.log_text()[-4000:]}"
            )
        return result

    def start(self) -> PostgresServer:
        if not self._initialised:
            # --no-sync and fsync=off: a crash here is the server process dying, never the machine,
            # so the page cache survives it; durability against power loss is not what is tested.
            self._run(
                "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
            )
            self._initialised = True
            for _ in range(3):  # the free port may have been taken since: pick another before first use
                try:
                    return self._start()
                except RuntimeError as err:
                    if "Address already in use" not in str(err):
                        raise
                    self.port = free_port()
        return self._start()

    def _start(self) -> PostgresServer:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        timeout = str(int(self.timeout))
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            timeout,
            "-o",
            options,
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        """``immediate``: every server process is killed at once, as in a crash (recovery on start).
        ``fast``: sessions are terminated and the server shuts down cleanly."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", str(int(self.timeout)))

    def running(self) -> bool:
        command = [str(self.bindir / "pg_ctl"), "status", "-D", str(self.data)]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, timeout=30, check=False).returncode == 0

    def log_text(self) -> str:
        try:
            return self.logfile.read_text("utf-8", errors="replace")
        except OSError:
            return ""

    def close(self) -> None:
        if self._initialised and self.running():
            with contextlib.suppress(RuntimeError, subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
