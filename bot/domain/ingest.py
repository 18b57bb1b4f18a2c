"""Activity sent by a CRM: who signed it, and what it says, before anything is recorded.

Three ways in, one shape out. A generic endpoint signed the Standard Webhooks way
(https://www.standardwebhooks.com: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``),
HubSpot workflow webhooks signed with ``X-HubSpot-Signature-v3``, and Pipedrive webhooks v2 behind
HTTP Basic auth. Each becomes a list of :class:`Activity` (or per-item :class:`ItemError`), which the
service checks against the team (the rep, the metric, the date) and records once.

Pure: the instant to judge timestamps by is a parameter, and nothing here reads the clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote

from bot.domain.parsing.common import MAX_LOG_COUNT, MAX_LOG_CURRENCY, MAX_LOG_DAYS_BACK, MAX_NOTE_CHARS
from bot.domain.parsing.metrics import resolve_metric, suggest_metric
from bot.domain.types import Metric, Unit

WEBHOOK, HUBSPOT, PIPEDRIVE = "webhook", "hubspot", "pipedrive"
# An entry's ``source`` for each way in, and how a rep sees it named ("3 calls from HubSpot today").
SOURCE_LABELS = {WEBHOOK: "your CRM", HUBSPOT: "HubSpot", PIPEDRIVE: "Pipedrive"}
CRM_SOURCES = frozenset(SOURCE_LABELS)
TOLERANCE = timedelta(minutes=5)  # a signed request older (or further ahead) than this is refused
MAX_ACTIVITIES = 500  # in one request; a CRM sends more in several
MAX_EXTERNAL_ID_CHARS = 255
SECRET_PREFIX = "whsec_"
# What a Pipedrive activity type counts as, until a manager says otherwise.
DEFAULT_PIPEDRIVE_TYPES = {"call": "calls", "meeting": "presentations", "email": "emails"}
# HubSpot engagement types (``hs_engagement_type`` / ``hs_activity_type``) and the metric each counts as.
HUBSPOT_TYPES = {"call": "calls", "meeting": "presentations", "email": "emails", "note": "notes"}


@dataclass(frozen=True)
class ItemError:
    """Why one activity (``index`` in the request, None: the request as a whole) can't be recorded."""

    index: int | None
    field: str
    error: str

    def as_json(self) -> dict[str, object]:
        return {"index": self.index, "field": self.field, "error": self.error}


@dataclass(frozen=True)
class Activity:
    """One activity as the CRM sent it: ``rep`` a Slack user ID or an e-mail, ``metric`` a name."""

    index: int
    rep: str
    metric: str
    amount: Decimal
    at: datetime | date | None  # None: now
    external_id: str | None
    note: str | None


@dataclass(frozen=True)
class Ignored:
    """A well-signed request with nothing to count (Pipedrive retries anything but a 2xx)."""

    reason: str


# --- signatures -------------------------------------------------------------------------------


def standard_signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` keyed by the secret's base64 part."""
    key = secret_key(secret)
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def secret_key(secret: str) -> bytes:
    """The key bytes of a ``whsec_<base64>`` secret (the spec's form)."""
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return raw.encode()


def verify_standard(
    secret: str,
    *,
    msg_id: str | None,
    timestamp: str | None,
    signatures: str | None,
    body: bytes,
    now: datetime,
) -> str | None:
    """None when the request is signed with ``secret`` within :data:`TOLERANCE` of ``now``; else why not.

    ``webhook-signature`` may carry several space-separated ``v1,<sig>`` values (a sender rotating its
    keys): any one that matches passes; each is compared in constant time."""
    if not msg_id or not timestamp or not signatures:
        return "missing webhook-id, webhook-timestamp or webhook-signature"
    problem = _too_far(timestamp, now, millis=False)
    if problem:
        return problem
    expected = standard_signature(secret, msg_id, timestamp, body).split(",", 1)[1].encode()
    for candidate in signatures.split():
        version, _, sig = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(sig.encode(), expected):
            return None
    return "no signature matches"


def hubspot_signature(client_secret: str, *, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """HubSpot's v3: base64(HMAC-SHA256(client secret, method + URI + body + timestamp))."""
    signed = method.encode() + uri.encode() + body + timestamp.encode()
    return base64.b64encode(hmac.new(client_secret.encode(), signed, hashlib.sha256).digest()).decode()


# HubSpot signs the URI with these characters decoded (its docs list them); others stay encoded.
_HUBSPOT_DECODED = ("%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B")


def hubspot_uri(uri: str) -> str:
    """The request URI the way HubSpot signs it: the listed percent-escapes decoded."""
    out = uri
    for escape in _HUBSPOT_DECODED:
        out = out.replace(escape, unquote(escape)).replace(escape.lower(), unquote(escape))
    return out


def verify_hubspot(
    client_secret: str | None,
    *,
    method: str,
    uri: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: datetime,
) -> str | None:
    """None when the v3 signature holds and its millisecond timestamp is within :data:`TOLERANCE`."""
    if not client_secret:
        return "no HubSpot client secret is set for this team (/team integrations hubspot <secret>)"
    if not timestamp or not signature:
        return "missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp"
    problem = _too_far(timestamp, now, millis=True)
    if problem:
        return problem
    expected = hubspot_signature(
        client_secret, method=method, uri=hubspot_uri(uri), body=body, timestamp=timestamp
    )
    if hmac.compare_digest(signature.strip().encode(), expected.encode()):
        return None
    return "the signature doesn't match"


def verify_basic(authorization: str | None, *, user: str, password: str) -> bool:
    """HTTP Basic auth (Pipedrive's ``http_auth_user`` / ``http_auth_password``), in constant time."""
    if not authorization or not authorization.startswith("Basic "):
        return False
    try:
        given = base64.b64decode(authorization[6:].strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = f"{user}:{password}".encode()
    return hmac.compare_digest(given, expected)


def _too_far(timestamp: str, now: datetime, *, millis: bool) -> str | None:
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 15:
        return "the timestamp isn't a number of seconds"
    seconds = int(timestamp) / 1000 if millis else int(timestamp)
    if abs(now.timestamp() - seconds) > TOLERANCE.total_seconds():
        return "the timestamp is more than 5 minutes from now"
    return None


def dedupe_key(team_id: int, source: str, external_id: str) -> str:
    """An imported entry's unique key, from what names it in its CRM: the same activity sent again
    (a redelivery, or the CRM firing twice) finds its entry already there."""
    digest = hashlib.sha256(f"{team_id}\x00{source}\x00{external_id}".encode()).hexdigest()
    return f"crm:{source}:{digest}"


def body_id(body: bytes) -> str:
    """A delivery's id when the sender gives none: HubSpot retries with the same body."""
    return hashlib.sha256(body).hexdigest()


# --- reading bodies ---------------------------------------------------------------------------


def _json(body: bytes) -> object | ItemError:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ItemError(None, "body", "the body is not JSON")


def read_activities(body: bytes) -> list[Activity] | list[ItemError]:
    """The generic body: ``{"activities": [{"rep", "metric", "amount", "at", "external_id", "note"}]}``."""
    data = _json(body)
    if isinstance(data, ItemError):
        return [data]
    items = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        return [ItemError(None, "activities", 'expected {"activities": [ … ]} with at least one activity')]
    if len(items) > MAX_ACTIVITIES:
        return [ItemError(None, "activities", f"at most {MAX_ACTIVITIES} activities in one request")]
    out: list[Activity] = []
    errors: list[ItemError] = []
    for i, item in enumerate(items):
        read = _activity(i, item)
        (errors if isinstance(read, ItemError) else out).append(read)
    return errors or out


def _activity(i: int, item: object, *, default_amount: object = None) -> Activity | ItemError:
    if not isinstance(item, dict):
        return ItemError(i, "activity", "each activity must be a JSON object")
    rep = item.get("rep")
    if not isinstance(rep, str) or not rep.strip():
        return ItemError(i, "rep", "give the rep as a Slack user ID or an e-mail")
    metric = item.get("metric")
    if not isinstance(metric, str) or not metric.strip():
        return ItemError(i, "metric", 'give the metric by its key or an alias, like "calls"')
    raw_amount = item.get("amount", default_amount)
    amount = _decimal(raw_amount)
    if amount is None:
        return ItemError(i, "amount", "the amount must be a number, like 3")
    at = item.get("at")
    when: datetime | date | None = None
    if at is not None:
        when = parse_instant(at)
        if when is None:
            return ItemError(
                i, "at", 'give the time as ISO 8601 with its offset, like "2026-12-01T15:04:00Z", or a date'
            )
    external = item.get("external_id")
    if external is not None and not isinstance(external, str | int):
        return ItemError(i, "external_id", "the external_id must be a string")
    external_id = str(external).strip() if external is not None else None
    if external_id is not None and not 0 < len(external_id) <= MAX_EXTERNAL_ID_CHARS:
        return ItemError(i, "external_id", f"the external_id must be 1 to {MAX_EXTERNAL_ID_CHARS} characters")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        return ItemError(i, "note", "the note must be text")
    note = (note or "").strip()[:MAX_NOTE_CHARS] or None
    return Activity(i, rep.strip(), metric.strip(), amount, when, external_id, note)


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return None


def parse_instant(value: object) -> datetime | date | None:
    """ISO 8601 with an offset (``Z`` or ``+02:00``), a plain date, or epoch milliseconds."""
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 < value < 10**14:
            return datetime.fromtimestamp(value / 1000, UTC)
        return None
    if not isinstance(value, str) or len(value) > 40:
        return None
    text = value.strip()
    if text.isdigit():
        return parse_instant(int(text))
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def check_item(activity: Activity, metrics: list[Metric]) -> tuple[Metric, ItemError | None]:
    """The metric it names, and what's wrong with its amount for that metric (as ``/log`` judges)."""
    metric = resolve_metric(activity.metric, metrics)
    if metric is None:
        guess = suggest_metric(activity.metric, metrics)
        hint = (
            f' — did you mean "{guess.key}"?'
            if guess
            else " — use one of: " + ", ".join(m.key for m in metrics)
        )
        return metrics[0], ItemError(
            activity.index, "metric", f'unknown metric "{activity.metric[:40]}"{hint}'
        )
    amount = activity.amount
    if amount <= 0:
        return metric, ItemError(activity.index, "amount", "the amount must be more than zero")
    if metric.unit is Unit.COUNT and amount != amount.to_integral_value():
        return metric, ItemError(activity.index, "amount", f"{metric.key} are counted in whole numbers")
    if metric.unit is Unit.CURRENCY and (amount * 100) != (amount * 100).to_integral_value():
        return metric, ItemError(activity.index, "amount", "money goes down to the cent")
    cap = MAX_LOG_CURRENCY if metric.unit is Unit.CURRENCY else MAX_LOG_COUNT
    if amount > cap:
        return metric, ItemError(activity.index, "amount", f"at most {cap:,} {metric.key} in one activity")
    return metric, None


def day_problem(day: date, today: date) -> str | None:
    """``/log``'s window, in the rep's own dates: no future days, at most 14 days back."""
    if day > today:
        return f"{day.isoformat()} is in the future for this rep (their today is {today.isoformat()})"
    if (today - day).days > MAX_LOG_DAYS_BACK:
        return f"{day.isoformat()} is more than {MAX_LOG_DAYS_BACK} days back"
    return None


# --- Pipedrive webhooks v2 ----------------------------------------------------------------------


@dataclass(frozen=True)
class PipedriveActivity:
    """A Pipedrive activity just marked done: ``owner`` is the Pipedrive user ID of its owner."""

    activity_id: str
    owner: str
    type: str
    at: datetime | date | None
    subject: str | None
    event_id: str | None


def read_pipedrive(body: bytes) -> PipedriveActivity | Ignored | ItemError:
    """A v2 webhook (``meta`` {action, entity, id…}, ``data``, ``previous``): an activity counts once,
    when it becomes done — ``data.done`` true and ``previous.done`` false (a created activity that is
    done already counts too). Anything else is :class:`Ignored`."""
    data = _json(body)
    if isinstance(data, ItemError):
        return data
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        return ItemError(None, "meta", "not a Pipedrive webhooks v2 body (no meta object)")
    meta = data["meta"]
    entity = meta.get("entity") or meta.get("object")
    action = meta.get("action")
    if entity != "activity":
        return Ignored(f"{entity or 'this'} events aren't counted; only activities are")
    if action not in ("create", "change", "added", "updated"):
        return Ignored(f"activity {action or 'events'} aren't counted")
    current = data.get("data") or data.get("current")
    if not isinstance(current, dict):
        return ItemError(None, "data", "the activity's data is missing")
    if current.get("done") is not True:
        return Ignored("the activity isn't done")
    previous = data.get("previous")
    if action in ("change", "updated") and not (isinstance(previous, dict) and previous.get("done") is False):
        return Ignored("the activity was done already")
    activity_id = current.get("id") or meta.get("entity_id")
    owner = current.get("owner_id") or current.get("user_id")
    kind = current.get("type")
    if activity_id is None or owner is None or not isinstance(kind, str):
        return ItemError(None, "data", "the activity has no id, owner_id or type")
    at = parse_instant(current.get("marked_as_done_time") or "") or parse_instant(meta.get("timestamp") or "")
    if at is None and isinstance(current.get("due_date"), str):
        at = parse_instant(current["due_date"])
    subject = current.get("subject")
    event = meta.get("id")
    return PipedriveActivity(
        activity_id=str(activity_id),
        owner=str(owner),
        type=kind,
        at=at,
        subject=subject[:MAX_NOTE_CHARS] if isinstance(subject, str) and subject else None,
        event_id=str(event) if event else None,
    )


# --- HubSpot workflow webhooks ------------------------------------------------------------------


def read_hubspot(body: bytes) -> list[Activity] | list[ItemError]:
    """A HubSpot workflow's "Send a webhook" body: either the enrolled object as HubSpot's objects
    API shows it (``{"id" | "objectId" | "vid", "properties": {…}}``, each property a value or
    ``{"value": …}``), or a customised body of those properties at the top level. Properties read:
    ``rep`` (or ``owner_email``, ``hubspot_owner_email``) — the rep's e-mail or Slack user ID;
    ``metric`` (or the engagement type ``hs_engagement_type`` / ``hs_activity_type``: call, meeting,
    email, note); ``amount`` (default 1); ``external_id`` (default the object's id); ``at`` (or
    ``hs_timestamp``, ``occurredAt``; default now); ``note`` (or ``hs_call_title``, ``subject``)."""
    data = _json(body)
    if isinstance(data, ItemError):
        return [data]
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > MAX_ACTIVITIES:
        return [ItemError(None, "body", f"expected 1 to {MAX_ACTIVITIES} objects")]
    out: list[Activity] = []
    errors: list[ItemError] = []
    for i, item in enumerate(items):
        read = _hubspot_object(i, item)
        (errors if isinstance(read, ItemError) else out).append(read)
    return errors or out


def _hubspot_object(i: int, obj: object) -> Activity | ItemError:
    if not isinstance(obj, dict):
        return ItemError(i, "body", "each object must be a JSON object")
    props: dict[str, object] = {}
    nested = obj.get("properties")
    if isinstance(nested, dict):
        for name, value in nested.items():
            props[name] = value.get("value") if isinstance(value, dict) else value
    props.update({k: v for k, v in obj.items() if k != "properties" and not isinstance(v, dict | list)})

    def first(*names: str) -> object:
        return next((props[n] for n in names if props.get(n) not in (None, "")), None)

    metric = first("metric")
    if metric is None:
        kind = first("hs_engagement_type", "hs_activity_type", "engagement_type", "type")
        metric = HUBSPOT_TYPES.get(str(kind).casefold()) if kind is not None else None
    item = {
        "rep": first("rep", "owner_email", "hubspot_owner_email", "rep_email"),
        "metric": metric,
        "amount": first("amount"),
        "at": first("at", "hs_timestamp", "occurredAt", "occurred_at"),
        "external_id": first("external_id", "hs_object_id", "id", "objectId", "vid"),
        "note": first("note", "hs_call_title", "hs_meeting_title", "subject"),
    }
    if item["note"] is not None:
        item["note"] = str(item["note"])
    return _activity(i, {k: v for k, v in item.items() if v is not None}, default_amount=1)
