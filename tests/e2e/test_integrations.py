"""Activity straight from the CRM, through the real web process: a manager reads the team's endpoint
with ``/team integrations``, a CRM posts signed activity to it, and reps' numbers count once.

Signatures are made here as each sender documents them (Standard Webhooks, HubSpot's v3, Pipedrive's
Basic auth) at the bot's "now" (``web_clock``), never the machine's."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.store.models import EmailLookup, Entry, IngestedDelivery
from tests.e2e.conftest import PUBLIC_URL
from tests.support.fakeslack import FakeSlack
from tests.support.signing import SlackSender
from tests.support.timewarp import MovableClock
from tests.support.webproc import WebProcess

pytestmark = pytest.mark.e2e

MANAGER, ANA, BEN, OUTSIDER = "U0CRMMGR", "U0CRMANA", "U0CRMBEN", "U0CRMOUT"
CHANNEL = "<#C0CRM|crm-sales>"


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    fake_slack.add_user(MANAGER, name="mara", tz="America/New_York")
    fake_slack.add_user(ANA, name="ana.crm", tz="America/Los_Angeles", email="Ana.CRM@Example.com")
    fake_slack.add_user(BEN, name="ben.crm", tz="Europe/Berlin", email="ben.crm@example.com")
    fake_slack.add_user(OUTSIDER, name="olga.crm", tz="Asia/Tokyo", email="olga.crm@example.com")
    created = slack.create_team(f"CRM Sales {CHANNEL} tz=America/New_York", user_id=MANAGER)
    assert "Created *CRM Sales*" in created, created
    reply = slack.command("/team", f"add <@{ANA}|ana> <@{BEN}|ben>", user_id=MANAGER)
    assert "Added" in reply.message_text, reply.message_text
    reply = slack.command("/goals", "team 25 calls/day", user_id=MANAGER)
    assert "Goals set" in reply.message_text


def endpoint(slack: SlackSender) -> tuple[dict[str, str], str]:
    """The three URLs and the secret, as the manager reads them in /team integrations."""
    text = slack.command("/team", "integrations", user_id=MANAGER).message_text
    urls = dict(
        re.findall(r"(https://salesbot\.example\.com/integrations/[\w-]+/(webhook|hubspot|pipedrive))", text)
    )
    secret = re.search(r"`(whsec_[A-Za-z0-9+/=]+)`", text)
    assert secret and len(urls) == 3, text
    return {kind: url for url, kind in urls.items()}, secret[1]


def post(web: WebProcess, public_url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    """POST to the web process at the path of ``public_url`` (what a proxy in front would do)."""
    host, port = web.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=15)
    try:
        # The server may answer (413) and close before reading an oversized body in full.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(
                "POST",
                public_url.removeprefix(PUBLIC_URL),
                body=body,
                headers={"Content-Type": "application/json", **headers},
            )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def standard_headers(secret: str, msg_id: str, body: bytes, timestamp: int) -> dict[str, str]:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    sig = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": f"v1,{sig}"}


def activities(*items: dict) -> bytes:
    return json.dumps({"activities": list(items)}).encode()


def crm_entries(engine: Engine) -> list[Entry]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Entry)
                .where(Entry.source.in_(["webhook", "hubspot", "pipedrive"]), Entry.deleted_at.is_(None))
                .order_by(Entry.id)
            )
        )


def now_s(clock: MovableClock) -> int:
    return int(clock.now().timestamp())


def test_a_signed_delivery_counts_once_and_the_rep_sees_where_it_came_from(
    slack, team, web_process, engine, web_clock, fake_slack
) -> None:
    urls, secret = endpoint(slack)
    at = (web_clock.now() - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    body = activities(
        {"rep": "ana.crm@example.com", "metric": "calls", "amount": 3, "at": at, "external_id": "call-1"},
        {"rep": BEN, "metric": "dials", "amount": 2, "external_id": "call-2", "note": "follow up"},
    )
    status, answer = post(
        web_process, urls["webhook"], body, standard_headers(secret, "msg_1", body, now_s(web_clock))
    )
    assert (status, answer) == (200, {"ok": True, "recorded": 2, "already_seen": 0})
    stored = crm_entries(engine)
    assert [(e.user_id, e.metric_key, e.amount, e.source) for e in stored] == [
        (ANA, "calls", Decimal(3), "webhook"),
        (BEN, "calls", Decimal(2), "webhook"),
    ]
    # The e-mail was looked up in Slack once (any case), and kept.
    assert [c.params.get("email") for c in fake_slack.calls("users.lookupByEmail")] == ["ana.crm@example.com"]
    with Session(engine) as session:
        assert session.get(EmailLookup, ("T0001", "ana.crm@example.com")).user_id == ANA

    # The same delivery again: nothing new, still 200.
    status, answer = post(
        web_process, urls["webhook"], body, standard_headers(secret, "msg_1", body, now_s(web_clock))
    )
    assert status == 200 and answer["duplicate"] is True
    # The same activities in a new delivery, plus one new: only the new one counts; no new lookup.
    again = activities(
        {"rep": "ana.crm@example.com", "metric": "calls", "amount": 3, "at": at, "external_id": "call-1"},
        {"rep": "ana.crm@example.com", "metric": "calls", "amount": 1, "external_id": "call-3"},
    )
    status, answer = post(
        web_process, urls["webhook"], again, standard_headers(secret, "msg_2", again, now_s(web_clock))
    )
    assert (status, answer) == (200, {"ok": True, "recorded": 1, "already_seen": 1})
    assert sum(e.amount for e in crm_entries(engine) if e.user_id == ANA) == 4
    assert len(fake_slack.calls("users.lookupByEmail")) == 1

    # The rep's own /log reply says what came from the CRM today, and counts it toward the goal.
    text = slack.command("/log", "5 calls", user_id=ANA).message_text
    assert "calls 9/25" in text, text
    assert "4 calls from your CRM today" in text, text
    # /log undo takes back what the rep typed, never the CRM's entries, and says so.
    text = slack.command("/log", "undo", user_id=ANA).message_text
    assert "Removed 5 calls" in text, text
    assert "can't be undone here" in text, text
    text = slack.command("/log", "undo", user_id=ANA).message_text
    assert "can't be undone here" in text and "your CRM" in text, text
    assert sum(e.amount for e in crm_entries(engine) if e.user_id == ANA) == 4

    # App Home names the source too.
    def home_texts() -> list[str]:
        return [
            json.dumps(c.params.get("view"))
            for c in fake_slack.calls("views.publish")
            if c.params.get("user_id") == ANA
        ]

    fake_slack.wait_for(
        lambda f: any("from your CRM today" in t for t in home_texts()), what="ANA's Home tab"
    )
    # The manager's CSV says where each entry came from.
    slack.command("/team", "export", user_id=MANAGER)
    fake_slack.wait_for(lambda f: f.calls("files.completeUploadExternal"), what="the CSV upload")
    [upload] = fake_slack.uploads.values()
    lines = upload.decode().splitlines()
    assert lines[0].split(",")[6] == "source"
    assert sorted((line.split(",")[1], line.split(",")[6]) for line in lines[1:]) == [
        (ANA, "webhook"),
        (ANA, "webhook"),
        (BEN, "webhook"),
    ]


def test_forged_stale_and_bad_requests_record_nothing(slack, team, web_process, engine, web_clock) -> None:
    urls, secret = endpoint(slack)
    body = activities({"rep": ANA, "metric": "calls", "amount": 3, "external_id": "x-1"})
    now = now_s(web_clock)
    forged = standard_headers(
        "whsec_" + base64.b64encode(b"not the secret at all, no").decode(), "m1", body, now
    )
    assert post(web_process, urls["webhook"], body, forged)[0] == 401
    tampered = standard_headers(secret, "m1", body, now)
    assert post(web_process, urls["webhook"], body.replace(b"3", b"9"), tampered)[0] == 401
    assert post(web_process, urls["webhook"], body, standard_headers(secret, "m1", body, now - 301))[0] == 401
    assert post(web_process, urls["webhook"], body, standard_headers(secret, "m1", body, now + 301))[0] == 401
    assert post(web_process, urls["webhook"], body, {})[0] == 401
    # Several signatures, one of them right: it passes (a sender rotating its keys).
    good = standard_headers(secret, "m2", body, now)
    good["webhook-signature"] = "v1,AAAA " + good["webhook-signature"]
    assert post(web_process, urls["webhook"], body, good) == (
        200,
        {"ok": True, "recorded": 1, "already_seen": 0},
    )

    # One bad item refuses the whole request, each problem named.
    today = web_clock.now().date()
    bad = activities(
        {"rep": ANA, "metric": "calls", "amount": 2, "external_id": "ok-1"},
        {"rep": "nobody@example.com", "metric": "calls", "amount": 1},
        {"rep": OUTSIDER, "metric": "calls", "amount": 1},
        {"rep": ANA, "metric": "cals", "amount": 1},
        {"rep": ANA, "metric": "calls", "amount": 0},
        {"rep": ANA, "metric": "calls", "amount": 1, "at": (today + timedelta(days=2)).isoformat()},
        {"rep": ANA, "metric": "calls", "amount": 1, "at": (today - timedelta(days=20)).isoformat()},
    )
    status, answer = post(web_process, urls["webhook"], bad, standard_headers(secret, "m3", bad, now))
    assert status == 400 and answer["ok"] is False
    assert [(e["index"], e["field"]) for e in answer["errors"]] == [
        (1, "rep"),
        (2, "rep"),
        (3, "metric"),
        (4, "amount"),
        (5, "at"),
        (6, "at"),
    ]
    assert "not a rep on this team" in answer["errors"][1]["error"]
    assert 'did you mean "calls"' in answer["errors"][2]["error"]
    assert [e.amount for e in crm_entries(engine)] == [Decimal(3)]
    with Session(engine) as session:  # a refused delivery isn't remembered: fixed, it may come again
        assert session.get(IngestedDelivery, (crm_entries(engine)[0].team_id, "webhook", "m3")) is None

    # Over 1 MiB: refused unread.
    huge = b'{"activities": [' + b" " * (1024 * 1024) + b"]}"
    assert post(web_process, urls["webhook"], huge, standard_headers(secret, "m4", huge, now))[0] == 413
    # An unknown endpoint.
    assert post(web_process, PUBLIC_URL + "/integrations/nope/webhook", body, {})[0] == 404


def test_rotation_stops_the_old_secret_at_once(slack, team, web_process, engine, web_clock) -> None:
    urls, old = endpoint(slack)
    text = slack.command("/team", "integrations rotate", user_id=MANAGER).message_text
    assert "old one stopped working" in text, text
    _, new = endpoint(slack)
    assert new != old
    body = activities({"rep": ANA, "metric": "calls", "amount": 1, "external_id": "r-1"})
    assert (
        post(web_process, urls["webhook"], body, standard_headers(old, "r1", body, now_s(web_clock)))[0]
        == 401
    )
    assert (
        post(web_process, urls["webhook"], body, standard_headers(new, "r1", body, now_s(web_clock)))[0]
        == 200
    )
    # Only managers see the endpoint.
    text = slack.command("/team", "integrations", user_id=ANA).message_text
    assert "Only the team's managers" in text and "whsec_" not in text, text


def test_an_email_slack_cant_look_up_without_the_scope(
    slack, team, web_process, engine, web_clock, fake_slack
) -> None:
    urls, secret = endpoint(slack)
    fake_slack.scopes = {"commands", "chat:write", "users:read"}
    body = activities({"rep": "ben.crm@example.com", "metric": "calls", "amount": 1})
    status, answer = post(
        web_process, urls["webhook"], body, standard_headers(secret, "s1", body, now_s(web_clock))
    )
    assert status == 503 and "users:read.email" in answer["error"]
    assert crm_entries(engine) == []


def test_hubspot_workflow_webhook_signed_v3(slack, team, web_process, engine, web_clock) -> None:
    urls, _ = endpoint(slack)
    client_secret = "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6"
    text = slack.command("/team", f"integrations hubspot {client_secret}", user_id=MANAGER).message_text
    assert "HubSpot client secret saved" in text and client_secret not in text, text
    # A call engagement as the workflow posts it: the object with its properties.
    body = json.dumps(
        {
            "id": "512",
            "properties": {
                "hs_engagement_type": "CALL",
                "owner_email": "ana.crm@example.com",
                "hs_timestamp": (web_clock.now() - timedelta(minutes=30)).isoformat().replace("+00:00", "Z"),
                "hs_call_title": "Intro call",
            },
        }
    ).encode()
    uri = urls["hubspot"] + "?portalId=62515"
    ts = str(now_s(web_clock) * 1000)
    sig = base64.b64encode(
        hmac.new(client_secret.encode(), b"POST" + uri.encode() + body + ts.encode(), hashlib.sha256).digest()
    ).decode()
    headers = {"X-HubSpot-Signature-v3": sig, "X-HubSpot-Request-Timestamp": ts}
    assert post(web_process, uri, body, headers) == (200, {"ok": True, "recorded": 1, "already_seen": 0})
    assert post(web_process, uri, body, headers)[1]["duplicate"] is True  # HubSpot's retry
    stale = str((now_s(web_clock) - 400) * 1000)
    assert post(web_process, uri, body, {**headers, "X-HubSpot-Request-Timestamp": stale})[0] == 401
    assert post(web_process, uri, body + b" ", headers)[0] == 401
    [entry] = crm_entries(engine)
    assert (entry.user_id, entry.metric_key, entry.amount, entry.source, entry.note) == (
        ANA,
        "calls",
        Decimal(1),
        "hubspot",
        "Intro call",
    )
    text = slack.command("/log", "", user_id=ANA).message_text
    assert "1 call from HubSpot today" in text, text


def pipedrive(
    activity_id: int, *, done: bool, was_done: bool | None, kind: str = "call", owner: int = 777
) -> bytes:
    """A webhooks v2 body as Pipedrive documents it: meta, data, previous (only what changed)."""
    return json.dumps(
        {
            "meta": {
                "action": "change" if was_done is not None else "create",
                "entity": "activity",
                "entity_id": str(activity_id),
                "id": f"evt-{activity_id}-{done}-{was_done}",
                "timestamp": "2026-11-18T16:00:00.000Z",
                "version": "2.0",
                "company_id": "9",
                "user_id": str(owner),
            },
            "data": {
                "id": activity_id,
                "type": kind,
                "done": done,
                "owner_id": owner,
                "subject": "Call Acme",
            },
            "previous": None if was_done is None else {"done": was_done},
        }
    ).encode()


def test_pipedrive_counts_an_activity_once_when_it_is_marked_done(slack, team, web_process, engine) -> None:
    urls, secret = endpoint(slack)
    key = urls["pipedrive"].split("/")[-2]
    auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}
    body = pipedrive(41, done=True, was_done=False)
    assert post(web_process, urls["pipedrive"], body, {})[0] == 401
    wrong = {"Authorization": "Basic " + base64.b64encode(f"{key}:whsec_nope".encode()).decode()}
    assert post(web_process, urls["pipedrive"], body, wrong)[0] == 401
    # The owner isn't mapped yet: refused, saying how (Pipedrive retries; once mapped, it counts).
    status, answer = post(web_process, urls["pipedrive"], body, auth)
    assert status == 400 and "/team integrations pipedrive user 777" in answer["errors"][0]["error"]
    text = slack.command(
        "/team", f"integrations pipedrive user 777 <@{BEN}|ben>", user_id=MANAGER
    ).message_text
    assert "count for <@U0CRMBEN>" in text, text
    assert post(web_process, urls["pipedrive"], body, auth) == (
        200,
        {"ok": True, "recorded": 1, "already_seen": 0},
    )
    # Not done, done already, another entity, an unmapped type: 200, ignored.
    for ignored in (
        pipedrive(42, done=False, was_done=None),
        pipedrive(41, done=True, was_done=True),
        json.dumps({"meta": {"action": "change", "entity": "deal"}, "data": {}, "previous": {}}).encode(),
        pipedrive(43, done=True, was_done=False, kind="lunch"),
    ):
        status, answer = post(web_process, urls["pipedrive"], ignored, auth)
        assert status == 200 and "ignored" in answer, answer
    # Undone then done again in Pipedrive: a new event for the same activity, still counted once.
    again = json.loads(body)
    again["meta"]["id"] = "evt-41-again"
    assert post(web_process, urls["pipedrive"], json.dumps(again).encode(), auth)[1]["already_seen"] == 1
    # The manager remaps meetings; a meeting counts as presentations... or as calls, if they say so.
    slack.command("/team", "integrations pipedrive call=calls meeting=calls", user_id=MANAGER)
    meeting = pipedrive(44, done=True, was_done=False, kind="meeting")
    assert post(web_process, urls["pipedrive"], meeting, auth)[1]["recorded"] == 1
    assert [(e.user_id, e.metric_key, e.source) for e in crm_entries(engine)] == [
        (BEN, "calls", "pipedrive"),
        (BEN, "calls", "pipedrive"),
    ]
    text = slack.command("/team", "integrations", user_id=MANAGER).message_text
    assert "`meeting` → calls" in text and f"Basic auth user `{key}`" in text, text
