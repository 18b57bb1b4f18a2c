"""Multi-workspace mode as an installer, Slack and the clock see it: the real ``python -m bot web`` with
SLACK_CLIENT_ID instead of a bot token, Slack's consent and code exchange played by the fake, and
every later Web API call made with the installing workspace's own bot token."""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.config import DEFAULT_SCOPES
from bot.store.models import Entry
from bot.store.oauth_tables import BOTS, INSTALLATIONS, oauth_metadata
from tests.e2e.conftest import SIGNING_SECRET
from tests.support.fakeslack import Call, FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import REPO_ROOT, WebProcess

pytestmark = pytest.mark.e2e

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "oauth-client-secret-for-tests"
PUBLIC = "https://sales.example.com"
REDIRECT_URI = PUBLIC + "/slack/oauth_redirect"
COOKIE = "slack-app-oauth-state"

OAUTH_ENV = {
    "SLACK_BOT_TOKEN": None,
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "SLACK_REDIRECT_URI": REDIRECT_URI,
    "WEB_CONCURRENCY": "1",
}


@dataclass
class Page:
    """What a browser got back."""

    status: int
    headers: dict[str, str]
    body: str

    def cookie(self, name: str) -> str | None:
        found = re.search(rf"(?:^|,\s*){re.escape(name)}=([^;]*)", self.headers.get("set-cookie", ""))
        return found.group(1) if found else None


def browse(base_url: str, path: str, *, cookie: str | None = None) -> Page:
    """A browser's GET, without following redirects."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Page(response.status, headers, response.read().decode("utf-8", "replace"))
    finally:
        connection.close()


@dataclass
class Consent:
    """The "Add to Slack" page's link to Slack's consent screen, and the browser's state cookie."""

    url: str
    params: dict[str, str]
    cookie_state: str | None


def open_install_page(base_url: str) -> Consent:
    page = browse(base_url, "/slack/install")
    assert page.status == 200, page.body
    link = re.search(r'<a href="([^"]+)"', page.body)
    assert link, page.body
    url = html.unescape(link.group(1))
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    return Consent(url=url, params=params, cookie_state=page.cookie(COOKIE))


def come_back(base_url: str, *, code: str, state: str, cookie_state: str | None) -> Page:
    """The installer's browser returning from Slack's consent screen."""
    query = urlencode({"code": code, "state": state})
    cookie = f"{COOKIE}={cookie_state}" if cookie_state is not None else None
    return browse(base_url, f"/slack/oauth_redirect?{query}", cookie=cookie)


def install(base_url: str, fake: FakeSlack, *, team_id: str, team: str) -> str:
    """The whole install, as an admin of ``team_id`` clicks through it; returns the bot token Slack issued."""
    code = f"code-{team_id}"
    token = fake.add_install(
        code, team_id=team_id, team=team, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    consent = open_install_page(base_url)
    page = come_back(base_url, code=code, state=consent.params["state"], cookie_state=consent.cookie_state)
    assert page.status == 200, page.body
    return token


def bots(engine: Engine, team_id: str) -> list[str]:
    """The bot tokens stored for a workspace."""
    table = oauth_metadata.tables[BOTS]
    with engine.connect() as conn:
        return list(conn.scalars(select(table.c.bot_token).where(table.c.team_id == team_id)))


def bearer(call: Call) -> str:
    """How a Web API call authenticated itself."""
    return call.headers.get("Authorization", "")


@pytest.fixture(scope="module")
def oauth_web(fake_slack: FakeSlack, database_url: str, _session_clock: MovableClock) -> Iterator[WebProcess]:
    """``python -m bot web`` in OAuth mode: no bot token of its own, every workspace installs it."""
    process = WebProcess(
        fake=fake_slack,
        secret=SIGNING_SECRET,
        database_url=database_url,
        env=OAUTH_ENV,
        clock=_session_clock,
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def sender(process: WebProcess, fake: FakeSlack, team_id: str) -> SlackSender:
    return SlackSender(process.url, secret=SIGNING_SECRET, fake=fake, team_id=team_id)


def test_the_install_page_links_to_slacks_consent_with_a_fresh_state(
    oauth_web: WebProcess, fake_slack: FakeSlack
) -> None:
    first, second = open_install_page(oauth_web.url), open_install_page(oauth_web.url)

    assert first.url.startswith(fake_slack.url + "/oauth/v2/authorize?")  # next to SLACK_API_URL
    assert first.params["client_id"] == CLIENT_ID
    assert first.params["scope"].split(",") == list(DEFAULT_SCOPES)
    assert first.params["redirect_uri"] == REDIRECT_URI
    assert first.params["state"] and first.cookie_state == first.params["state"]
    assert second.params["state"] != first.params["state"]
    assert fake_slack.calls() == []  # nothing asked of Slack until the installer comes back


def test_an_installed_workspace_is_served_with_its_own_bot_token(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    token = install(oauth_web.url, fake_slack, team_id="T0BETA", team="Beta")

    exchange = fake_slack.calls("oauth.v2.access")
    assert [c.params.get("code") for c in exchange] == ["code-T0BETA"]
    assert exchange[0].params.get("redirect_uri") == REDIRECT_URI
    assert bearer(exchange[0]).startswith("Basic ")  # the client's id and secret, not a token
    assert bots(engine, "T0BETA") == [token]

    fake_slack.reset()
    fake_slack.add_user("U0BETABOSS", name="bea", tz="Europe/Paris", team_id="T0BETA")
    created = sender(oauth_web, fake_slack, "T0BETA").create_team(
        "Beta Sales <#C0BETA|beta-sales> tz=Europe/Paris", user_id="U0BETABOSS"
    )

    assert "Created *Beta Sales*" in created, created
    fake_slack.wait_for(lambda f: f.calls("users.info"), what="the caller's profile lookup")
    calls = fake_slack.calls()
    assert {c.method for c in calls} <= {"auth.test", "users.info", "conversations.members"}, (
        fake_slack.transcript()
    )
    assert all(bearer(c) == f"Bearer {token}" for c in calls), [bearer(c) for c in calls]

    # Slack's word on the token is remembered: later requests don't wait on the Web API before the ack.
    before = len(fake_slack.calls("auth.test"))
    again = sender(oauth_web, fake_slack, "T0BETA").command("/log", "help", user_id="U0BETABOSS")
    assert again.status == 200 and "/log" in again.message_text
    assert len(fake_slack.calls("auth.test")) == before


def test_a_workspace_without_an_installation_is_told_so_and_nothing_runs(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    reply = sender(oauth_web, fake_slack, "T0NOTHERE").command("/log", "25 calls", user_id="U0STRAY")

    assert reply.status == 200
    told = fake_slack.unique_response(reply.response_token).text
    assert "isn't installed in this workspace" in told
    assert f"<{PUBLIC}/slack/install|Add to Slack>" in told
    assert fake_slack.calls() == [], fake_slack.transcript()
    with Session(engine) as session:
        assert session.scalars(select(Entry).where(Entry.workspace_id == "T0NOTHERE")).all() == []


def test_a_reused_or_forged_state_is_refused(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    fake_slack.add_install(
        "code-T0GAMMA", team_id="T0GAMMA", team="Gamma", client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    consent = open_install_page(oauth_web.url)
    state = consent.params["state"]
    assert come_back(oauth_web.url, code="code-T0GAMMA", state=state, cookie_state=state).status == 200

    replayed = come_back(oauth_web.url, code="code-T0GAMMA", state=state, cookie_state=state)
    forged = come_back(oauth_web.url, code="code-T0GAMMA", state="made-up", cookie_state="made-up")
    fresh = open_install_page(oauth_web.url).params["state"]  # issued, but to another browser
    other_browser = come_back(oauth_web.url, code="code-T0GAMMA", state=fresh, cookie_state=None)

    assert replayed.status == 401, replayed.body
    assert forged.status == 401, forged.body
    assert other_browser.status == 400, other_browser.body
    assert len(fake_slack.calls("oauth.v2.access")) == 1  # only the genuine return reached Slack
    assert len(bots(engine, "T0GAMMA")) == 1


def test_a_code_slack_refuses_installs_nothing(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    consent = open_install_page(oauth_web.url)
    state = consent.params["state"]

    page = come_back(oauth_web.url, code="never-issued", state=state, cookie_state=state)

    assert page.status == 401, page.body
    assert [c.response.get("error") for c in fake_slack.calls("oauth.v2.access")] == ["invalid_code"]
    table = oauth_metadata.tables[INSTALLATIONS]
    with engine.connect() as conn:
        assert conn.scalars(select(table.c.id)).all() == []


def test_uninstalling_forgets_the_workspace(
    oauth_web: WebProcess, fake_slack: FakeSlack, engine: Engine
) -> None:
    install(oauth_web.url, fake_slack, team_id="T0DELTA", team="Delta")
    delta = sender(oauth_web, fake_slack, "T0DELTA")

    reply = delta.event(delta.envelope({"type": "app_uninstalled", "event_ts": "1764000000.000100"}))

    assert reply.status == 200, reply.text
    assert bots(engine, "T0DELTA") == []
    after = delta.command("/log", "help", user_id="U0DELTA")
    assert "isn't installed" in fake_slack.unique_response(after.response_token).text


def test_the_clock_posts_to_each_workspace_with_its_own_token(
    oauth_web: WebProcess, fake_slack: FakeSlack, database_url: str, web_clock: MovableClock
) -> None:
    monday = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # 09:05 in New York
    web_clock.set(monday - timedelta(days=3))  # the teams are set up the Friday before
    tokens = {
        team_id: install(oauth_web.url, fake_slack, team_id=team_id, team=team_id)
        for team_id in ("T0EAST", "T0WEST", "T0GONE")
    }
    people = {}
    for team_id in tokens:
        boss, rep = f"U0{team_id}BOSS", f"U0{team_id}REP"
        fake_slack.add_user(boss, name=boss.lower(), team_id=team_id)
        fake_slack.add_user(rep, name=rep.lower(), team_id=team_id)
        slack = sender(oauth_web, fake_slack, team_id)
        slack.create_team(f"{team_id} <#C{team_id}|sales> tz=America/New_York", user_id=boss)
        slack.command("/team", f"add <@{rep}|rep>", user_id=boss)
        people[team_id] = {boss, rep, f"C{team_id}"}
    fake_slack.wait_for(lambda f: len([c for c in f.calls("users.info") if c.status]) >= 6, timeout=10)
    gone = sender(oauth_web, fake_slack, "T0GONE")  # a workspace that removed the app: its data stays
    assert (
        gone.event(gone.envelope({"type": "app_uninstalled", "event_ts": "1764000000.000200"})).status == 200
    )
    del tokens["T0GONE"]
    fake_slack.reset()

    env = {
        **os.environ,
        "SLACK_CLIENT_ID": CLIENT_ID,  # the clock needs neither the client secret nor a bot token
        "SLACK_API_URL": fake_slack.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "clock", "--once", "--now", monday.isoformat()],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    posts = [c for c in fake_slack.calls("chat.postMessage") if c.ok]
    for team_id, token in tokens.items():
        theirs = [c for c in posts if c.params["channel"] in people[team_id]]
        assert {c.params["channel"] for c in theirs} >= {f"U0{team_id}REP"}, fake_slack.transcript()
        assert all(bearer(c) == f"Bearer {token}" for c in theirs)
    assert len(posts) == sum(1 for c in posts for ids in people.values() if c.params["channel"] in ids)
    assert not [
        c for c in fake_slack.calls() if c.params.get("channel") in people["T0GONE"]
    ]  # not even tried


def test_token_mode_serves_no_install_pages(web_process: WebProcess) -> None:
    assert browse(web_process.url, "/slack/install").status == 404
    assert browse(web_process.url, "/slack/oauth_redirect?code=x&state=y").status == 404
