"""The real ``python -m bot web`` as a subprocess, for end-to-end tests and the benchmark.

Running the production entry point (gunicorn, signal handling, settings from the environment) is
the only way to test what Slack will actually talk to.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from tests.support.fakeslack import FakeSlack
from tests.support.timewarp import MovableClock

__all__ = ["REPO_ROOT", "WebProcess", "free_port", "run_migrate"]

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(base: Mapping[str, str], overrides: Mapping[str, str | None]) -> dict[str, str]:
    """``base`` with ``overrides`` applied; a ``None`` value removes the variable."""
    env = dict(base)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_migrate(
    database_url: str, *, env: Mapping[str, str | None] | None = None, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot migrate`` against ``database_url``; fail showing its output."""
    full_env = _environment(
        os.environ,
        {
            "SLACK_BOT_TOKEN": os.environ.get("SLACK_BOT_TOKEN", "xoxb-test-token"),
            "SLACK_SIGNING_SECRET": os.environ.get("SLACK_SIGNING_SECRET", "test-signing-secret"),
            "SLACK_APP_TOKEN": None,
            "DATABASE_URL": database_url,
            **(env or {}),
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"`python -m bot migrate` exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result


class WebProcess:
    """``python -m bot web`` bound to a free port, wired to a FakeSlack and a database.

    ``start()`` returns once ``GET /health`` answers 200; ``stop()`` sends SIGTERM like a
    platform's graceful shutdown and returns the exit code.
    """

    def __init__(
        self,
        *,
        fake: FakeSlack,
        secret: str,
        database_url: str,
        env: Mapping[str, str | None] | None = None,
        port: int | None = None,
        args: tuple[str, ...] = ("web",),
        module: str = "bot",
        startup_timeout: float = 30.0,
        clock: MovableClock | None = None,
    ) -> None:
        self.port = port or free_port()
        self.args = args
        self.module = module  # ``python -m <module> <args>``: the bot, or another WSGI app to compare
        self.clock = clock  # the bot's "now", moved by the test; None: the machine's
        self.startup_timeout = startup_timeout
        self.env = _environment(
            os.environ,
            {
                "SLACK_BOT_TOKEN": fake.token,
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": fake.api_url,
                "DATABASE_URL": database_url,
                "PORT": str(self.port),
                "LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
                # Socket Mode would bypass HTTP entirely; these tests are about HTTP.
                "SLACK_APP_TOKEN": None,
                **(clock.env if clock is not None else {}),
                **(env or {}),
            },
        )
        self.process: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None
        self._final_log: str | None = None
        self.returncode: int | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebProcess:
        """Spawn the process and wait (bounded) for a healthy ``/health``."""
        fd, name = tempfile.mkstemp(prefix="salesbot-web-", suffix=".log")
        self._log_path = Path(name)
        with os.fdopen(fd, "wb") as log:
            command = [sys.executable, "-m", self.module, *self.args]
            if self.clock is not None:
                command[2:2] = ["tests.support.timewarp"]
            self.process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stray workers can be ended with it
            )
        atexit.register(self.stop)  # a crashed test run must not leave a server holding the port
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self.stop()
                raise RuntimeError(
                    f"`python -m {self.module} {' '.join(self.args)}` exited with {code} before it was healthy\n"
                    f"--- log ---\n{self._final_log}"
                )
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
                    last = f"HTTP {answer.status}"
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}: {exc.read()[:500]!r}"
            except (OSError, urllib.error.URLError) as exc:
                last = repr(exc)
            time.sleep(0.1)  # a bounded poll of the health endpoint while the server boots
        log = self.log_text()
        self.stop()
        raise RuntimeError(
            f"`python -m {self.module} {' '.join(self.args)}` not healthy within {self.startup_timeout:g}s "
            f"(last: {last})\n--- log ---\n{log}"
        )

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL the process group; returns the exit code."""
        if self.process is None:
            return self.returncode if self.returncode is not None else 0
        atexit.unregister(self.stop)
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # Workers that outlived their master would hold the port; end our own group only.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.returncode = process.returncode
        self._final_log = self.log_text()
        self._remove_log()
        self.process = None
        return self.returncode

    def log_text(self) -> str:
        """Everything the process wrote to stdout and stderr so far (also after ``stop()``)."""
        if self._log_path is not None and self._log_path.exists():
            return self._log_path.read_text("utf-8", errors="replace")
        return self._final_log or ""

    def _remove_log(self) -> None:
        if self._log_path is not None:
            with contextlib.suppress(OSError):
                self._log_path.unlink()
            self._log_path = None

    def __enter__(self) -> WebProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
