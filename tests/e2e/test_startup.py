"""Start-up as a newcomer meets it: one line when Slack can't be reached or refuses a token, help that
says what each command reads, a version, and a log in one format without library chatter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot import __version__
from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import FakeSlack
from tests.support.webproc import REPO_ROOT, WebProcess, free_port

pytestmark = pytest.mark.e2e

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \d+ [\w.]+: ")


def bot(
    *args: str, env: dict[str, str | None] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """``python -m bot …`` as a user runs it, with ``env`` over a clean Slack configuration."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SLACK_") and k not in ("PORT", "DATABASE_URL")
    }
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
def test_slack_unreachable_at_start_up_is_one_line(database_url: str, socket_mode: bool) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": closed_port_url(),
        "DATABASE_URL": database_url,
        "PORT": str(free_port()),
    }
    if socket_mode:
        env["SLACK_APP_TOKEN"] = "xapp-1-A0SALESBOT-1-abc"
    result = bot("web", env=env)
    assert result.returncode == 2
    output = (result.stdout + result.stderr).strip().splitlines()
    assert len(output) == 1, "\n".join(output)
    assert output[0].startswith("salesbot: cannot reach Slack at http://127.0.0.1:")
    assert "check the network, or SLACK_API_URL" in output[0]


def test_a_refused_app_token_is_one_line(fake_slack: FakeSlack, database_url: str) -> None:
    result = bot(
        "web",
        env={
            "SLACK_BOT_TOKEN": fake_slack.token,
            "SLACK_APP_TOKEN": "xapp-1-A0SALESBOT-1-not-this-one",
            "SLACK_API_URL": fake_slack.api_url,
            "DATABASE_URL": database_url,
            "PORT": str(free_port()),
        },
    )
    assert result.returncode == 2
    assert (
        result.stdout + result.stderr
    ).strip() == "salesbot: Slack rejected SLACK_APP_TOKEN (invalid_auth)"


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        (
            "web",
            ("PORT", "DATABASE_URL", ".env", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"),
        ),
        ("migrate", ("DATABASE_URL", ".env")),
    ],
)
def test_help_says_what_a_command_reads(command: str, mentions: tuple[str, ...]) -> None:
    result = bot(command, "--help")
    assert result.returncode == 0, result.stderr
    missing = [word for word in mentions if word not in result.stdout]
    assert not missing, result.stdout


def test_the_version_is_the_packages_and_salesbot_is_a_command() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["salesbot"] == "bot.__main__:main"
    assert __version__ == project["version"]
    result = bot("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"salesbot {__version__}")
    script = Path(sys.executable).parent / "salesbot"
    assert script.exists(), "the salesbot command is missing: reinstall the project (pip install -e .)"
    installed = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert installed.stdout.strip() == f"salesbot {__version__}"
    usage = subprocess.run(
        [str(script), "web", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert usage.stdout.startswith("usage: salesbot web")


def test_the_web_process_logs_in_one_format_without_chatter(fake_slack: FakeSlack, database_url: str) -> None:
    process = WebProcess(fake=fake_slack, secret=SIGNING_SECRET, database_url=database_url)
    with process:
        pass
    log = process.log_text()
    lines = log.strip().splitlines()
    assert any("gunicorn.error: Booting worker" in line for line in lines), log
    odd = [line for line in lines if not LINE.match(line)]
    assert not odd, log  # gunicorn's lines too, in the bot's format
    assert "alembic.runtime.plugins" not in log
    assert "`token` will be unused" not in log
