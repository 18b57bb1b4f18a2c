"""What a CRM sends, read and verified without a database: plain tables of cases."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain import ingest as ing
from bot.domain.types import DEFAULT_METRICS

NOW = datetime(2026, 11, 18, 16, 30, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
BODY = b'{"activities": []}'


def test_the_standard_webhooks_example_from_the_spec_verifies() -> None:
    # The reference vector of the Standard Webhooks libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    sig = ing.standard_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body)
    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize(
    ("msg_id", "timestamp", "signatures", "body", "ok"),
    [
        ("m1", str(int(NOW.timestamp())), None, BODY, True),
        ("m1", str(int(NOW.timestamp()) - 299), None, BODY, True),
        ("m1", str(int(NOW.timestamp()) - 301), None, BODY, False),  # too old
        ("m1", str(int(NOW.timestamp()) + 301), None, BODY, False),  # too far ahead
        ("m1", "12e5", None, BODY, False),
        ("m1", str(int(NOW.timestamp())), "v1,Zm9v", BODY, False),
        ("m1", str(int(NOW.timestamp())), "v2,{good}", BODY, False),  # only v1 is HMAC
        ("m1", str(int(NOW.timestamp())), "v1,Zm9v v1,{good}", BODY, True),  # any of several
        ("m1", str(int(NOW.timestamp())), None, BODY + b" ", False),  # the body changed
        ("", str(int(NOW.timestamp())), None, BODY, False),
    ],
)
def test_standard_webhooks_verification(msg_id, timestamp, signatures, body, ok) -> None:
    good = ing.standard_signature(SECRET, msg_id or "m1", timestamp, BODY).split(",", 1)[1]
    header = (signatures or "v1,{good}").replace("{good}", good)
    problem = ing.verify_standard(
        SECRET, msg_id=msg_id, timestamp=timestamp, signatures=header, body=body, now=NOW
    )
    assert (problem is None) == ok, problem


def test_hubspot_v3_signs_method_uri_body_and_the_millisecond_timestamp() -> None:
    ts = str(int(NOW.timestamp() * 1000))
    uri = "https://bot.example.com/integrations/k/hubspot?portalId=1"
    sig = ing.hubspot_signature("secret", method="POST", uri=uri, body=b"{}", timestamp=ts)
    check = dict(method="POST", uri=uri, body=b"{}", signature=sig, now=NOW)
    assert ing.verify_hubspot("secret", timestamp=ts, **check) is None
    assert ing.verify_hubspot("other", timestamp=ts, **check) is not None
    assert ing.verify_hubspot(None, timestamp=ts, **check) is not None
    old = str(int((NOW - timedelta(minutes=6)).timestamp() * 1000))
    assert ing.verify_hubspot("secret", timestamp=old, **{**check, "signature": sig}) is not None
    # HubSpot signs the URI with some escapes decoded: %3A arrives, ":" was signed.
    encoded = uri.replace("portalId=1", "next=a%3Ab")
    sig = ing.hubspot_signature(
        "secret", method="POST", uri=encoded.replace("%3A", ":"), body=b"{}", timestamp=ts
    )
    assert ing.verify_hubspot("secret", timestamp=ts, **{**check, "uri": encoded, "signature": sig}) is None


def test_basic_auth() -> None:
    good = "Basic " + base64.b64encode(b"key:whsec_x").decode()
    assert ing.verify_basic(good, user="key", password="whsec_x")
    assert not ing.verify_basic(good, user="key", password="whsec_y")
    assert not ing.verify_basic("Basic !!", user="key", password="whsec_x")
    assert not ing.verify_basic(None, user="key", password="whsec_x")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"metric": "calls", "amount": 1}, "rep"),
        ({"rep": "U1", "amount": 1}, "metric"),
        ({"rep": "U1", "metric": "calls", "amount": "three"}, "amount"),
        ({"rep": "U1", "metric": "calls", "amount": True}, "amount"),
        ({"rep": "U1", "metric": "calls", "amount": 1, "at": "2026-12-01T15:04:00"}, "at"),  # no offset
        ({"rep": "U1", "metric": "calls", "amount": 1, "external_id": ["x"]}, "external_id"),
    ],
)
def test_a_bad_item_is_named_by_index_and_field(item, field) -> None:
    body = json.dumps({"activities": [{"rep": "U1", "metric": "calls", "amount": 1}, item]}).encode()
    [error] = ing.read_activities(body)
    assert (error.index, error.field) == (1, field)


def test_a_good_body_reads_into_activities() -> None:
    body = json.dumps(
        {
            "activities": [
                {
                    "rep": "a@x.io",
                    "metric": "demos",
                    "amount": 2,
                    "at": "2026-12-01T15:04:00Z",
                    "external_id": 7,
                }
            ]
        }
    ).encode()
    [a] = ing.read_activities(body)
    assert (a.rep, a.metric, a.amount, a.at, a.external_id) == (
        "a@x.io",
        "demos",
        Decimal(2),
        datetime(2026, 12, 1, 15, 4, tzinfo=UTC),
        "7",
    )
    metric, problem = ing.check_item(a, list(DEFAULT_METRICS))
    assert (metric.key, problem) == ("presentations", None)


@pytest.mark.parametrize(
    ("metric", "amount", "ok"),
    [
        ("calls", "3", True),
        ("calls", "1.5", False),
        ("calls", "1001", False),
        ("revenue", "4500.50", True),
        ("revenue", "1.001", False),
        ("calls", "0", False),
        ("cals", "1", False),
    ],
)
def test_amounts_and_metrics_as_log_judges_them(metric, amount, ok) -> None:
    a = ing.Activity(0, "U1", metric, Decimal(amount), None, None, None)
    assert (ing.check_item(a, list(DEFAULT_METRICS))[1] is None) == ok


def test_the_date_window_is_logs() -> None:
    today = date(2026, 11, 18)
    assert ing.day_problem(today, today) is None
    assert ing.day_problem(today - timedelta(days=14), today) is None
    assert ing.day_problem(today - timedelta(days=15), today) is not None
    assert ing.day_problem(today + timedelta(days=1), today) is not None


def _pipedrive(action="change", entity="activity", done=True, previous=False, kind="call"):
    return json.dumps(
        {
            "meta": {"action": action, "entity": entity, "id": "e1", "entity_id": "9"},
            "data": {"id": 9, "type": kind, "done": done, "owner_id": 5},
            "previous": None if previous is None else {"done": previous},
        }
    ).encode()


@pytest.mark.parametrize(
    ("body", "counted"),
    [
        (_pipedrive(), True),
        (_pipedrive(action="create", previous=None), True),  # created done
        (_pipedrive(previous=True), False),  # was done already
        (_pipedrive(previous=None), False),  # a change that didn't touch done
        (_pipedrive(done=False), False),
        (_pipedrive(entity="deal"), False),
        (_pipedrive(action="delete"), False),
    ],
)
def test_a_pipedrive_activity_counts_when_it_becomes_done(body, counted) -> None:
    read = ing.read_pipedrive(body)
    assert isinstance(read, ing.PipedriveActivity) == counted, read
    if counted:
        assert (read.activity_id, read.owner, read.type, read.event_id) == ("9", "5", "call", "e1")


def test_hubspot_object_and_custom_bodies() -> None:
    [a] = ing.read_hubspot(
        json.dumps(
            {"id": "512", "properties": {"hs_engagement_type": "MEETING", "owner_email": "a@x.io"}}
        ).encode()
    )
    assert (a.rep, a.metric, a.amount, a.external_id) == ("a@x.io", "presentations", Decimal(1), "512")
    [a] = ing.read_hubspot(
        json.dumps(
            {"objectId": 7, "properties": {"rep": {"value": "U1"}, "metric": {"value": "notes"}}}
        ).encode()
    )
    assert (a.rep, a.metric, a.external_id) == ("U1", "notes", "7")
    [a] = ing.read_hubspot(
        json.dumps({"rep": "U1", "metric": "calls", "amount": 4, "external_id": "c"}).encode()
    )
    assert (a.amount, a.external_id) == (Decimal(4), "c")
    [error] = ing.read_hubspot(json.dumps({"id": "1", "properties": {"owner_email": "a@x.io"}}).encode())
    assert error.field == "metric"


def test_dedupe_keys_fit_and_differ_by_team_and_source() -> None:
    key = ing.dedupe_key(1, "webhook", "x" * 255)
    assert len(key) <= 128
    assert key != ing.dedupe_key(2, "webhook", "x" * 255) != ing.dedupe_key(1, "hubspot", "x" * 255)
