"""Activity straight from the CRM: a team's signed ingestion endpoint, and ``/team integrations``.

A CRM posts what a rep did (a call made, a meeting held) to the team's endpoint; once its signature
holds, each activity is checked as ``/log`` checks a rep's own line (the rep on this team, a metric
the workspace knows, an amount, a date in the window) and the whole request is recorded, or nothing
is. A delivery sent again (the same ``webhook-id``) and an activity sent again (the same
``external_id``) are recorded once and still answered 200: a CRM retries until it hears 2xx.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from sqlalchemy.exc import IntegrityError

from bot.domain import ingest as ing
from bot.domain.calendar import local_date
from bot.domain.parsing.integrations import (
    IntegrationsHubspot,
    IntegrationsPipedriveTypes,
    IntegrationsPipedriveUser,
    IntegrationsRotate,
    IntegrationsShow,
    TeamIntegrations,
)
from bot.domain.types import Metric, Role, Unit
from bot.i18n import _
from bot.services.context import Caller, ServiceBase
from bot.services.outcomes import Problem, esc
from bot.store import integrations as qi
from bot.store import queries as q
from bot.store.models import Team, TeamIntegration

log = logging.getLogger(__name__)

# Slack's answer for an e-mail is kept this long; a "no such user" for less (a new hire may join).
EMAIL_KNOWN_FOR = timedelta(days=1)
EMAIL_UNKNOWN_FOR = timedelta(minutes=10)
# users.lookupByEmail is Tier 3 (50+ a minute): one request looks up at most this many new e-mails;
# a CRM sending more is asked to retry, and finds the first ones cached by then.
MAX_LOOKUPS_PER_REQUEST = 20
_SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,20}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{1,63}")
PATHS = {ing.WEBHOOK: "webhook", ing.HUBSPOT: "hubspot", ing.PIPEDRIVE: "pipedrive"}


class EmailLookupFailed(Exception):
    """Slack couldn't say who has an e-mail just now (``missing_scope``: the install lacks
    ``users:read.email``)."""

    def __init__(self, reason: str, *, missing_scope: bool = False) -> None:
        super().__init__(reason)
        self.missing_scope = missing_scope


class EmailDirectory(Protocol):
    """``users.lookupByEmail``, at the Slack edge: the user's ID, None when no user has it."""

    def user_id_by_email(self, email: str) -> str | None: ...


DirectoryFor = Callable[[str], EmailDirectory]


@dataclass(frozen=True)
class Delivery:
    """An HTTP request to ``/integrations/<key>/<source>``: ``uri`` is the public one (PUBLIC_URL +
    path + query, what HubSpot signs); header names are lower-case."""

    key: str
    source: str
    method: str
    uri: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


@dataclass(frozen=True)
class IntegrationsView:
    """``/team integrations``: what a manager pastes into their CRM. ``base`` None: no PUBLIC_URL."""

    team_name: str
    base: str | None
    key: str
    secret: str
    hubspot_set: bool
    pipedrive_types: tuple[tuple[str, str], ...]
    pipedrive_users: tuple[tuple[str, str], ...]
    changed: str | None = None
    metrics: tuple[Metric, ...] = field(default=(), compare=False)

    def url(self, source: str) -> str:
        path = f"/integrations/{self.key}/{PATHS[source]}"
        return (self.base or "") + path


def new_key() -> str:
    return secrets.token_urlsafe(24)[:32]


def new_secret() -> str:
    return ing.SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _refused(error: str) -> Answer:
    return Answer(401, {"ok": False, "error": error})


def _bad(errors: list[ing.ItemError]) -> Answer:
    return Answer(400, {"ok": False, "errors": [e.as_json() for e in errors]})


class IntegrationService(ServiceBase):
    def __init__(self, *args, public_url: str | None = None, directory_for: DirectoryFor | None = None, **kw):
        super().__init__(*args, **kw)
        self.public_url = public_url.rstrip("/") if public_url else None
        self._directory_for = directory_for

    # --- the endpoint ---------------------------------------------------------------------------

    def receive(self, delivery: Delivery) -> Answer:
        if delivery.source not in PATHS.values():
            return Answer(404, {"ok": False, "error": "not found"})
        source = next(s for s, p in PATHS.items() if p == delivery.source)
        with self.transaction(write=False) as session:
            found = qi.integration_by_key(session=session, key=delivery.key)
            if found is None:
                return Answer(404, {"ok": False, "error": "no such endpoint"})
            integration, team = found
            settings = _Endpoint.of(integration, team)
        now = self.now()
        problem = self._verify(settings, source, delivery, now)
        if problem is not None:
            log.warning("refused a %s delivery for team %s: %s", source, settings.team_id, problem)
            return _refused("invalid signature")
        read = self._read(settings, source, delivery)
        if isinstance(read, Answer):
            return read
        activities, delivery_id = read
        with self.transaction(write=False) as session:
            seen = qi.delivery(
                session=session, team_id=settings.team_id, source=source, delivery_id=delivery_id
            )
            if seen is not None:
                return Answer(
                    200, {"ok": True, "duplicate": True, "recorded": 0, "already_seen": seen.entries}
                )
        resolved = self._reps(settings, activities)
        if isinstance(resolved, Answer):
            return resolved
        reps, rep_errors = resolved
        for attempt in (1, 2):
            try:
                return self._record(settings, source, delivery_id, activities, reps, rep_errors)
            except IntegrityError:
                # The same delivery or activity recorded by a request at the same moment: once more,
                # and it is seen as recorded.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _verify(self, settings: _Endpoint, source: str, delivery: Delivery, now: datetime) -> str | None:
        h = delivery.headers
        if source == ing.WEBHOOK:
            return ing.verify_standard(
                settings.secret,
                msg_id=h.get("webhook-id"),
                timestamp=h.get("webhook-timestamp"),
                signatures=h.get("webhook-signature"),
                body=delivery.body,
                now=now,
            )
        if source == ing.HUBSPOT:
            return ing.verify_hubspot(
                settings.hubspot_secret,
                method=delivery.method,
                uri=delivery.uri,
                body=delivery.body,
                timestamp=h.get("x-hubspot-request-timestamp"),
                signature=h.get("x-hubspot-signature-v3"),
                now=now,
            )
        ok = ing.verify_basic(h.get("authorization"), user=settings.key, password=settings.secret)
        return None if ok else "no valid Basic auth"

    def _read(
        self, settings: _Endpoint, source: str, delivery: Delivery
    ) -> tuple[list[ing.Activity], str] | Answer:
        if source == ing.WEBHOOK:
            read = ing.read_activities(delivery.body)
            delivery_id = delivery.headers.get("webhook-id", "")[:128]
        elif source == ing.HUBSPOT:
            read = ing.read_hubspot(delivery.body)
            delivery_id = ing.body_id(delivery.body)
        else:
            done = ing.read_pipedrive(delivery.body)
            if isinstance(done, ing.Ignored):
                return Answer(200, {"ok": True, "recorded": 0, "ignored": done.reason})
            if isinstance(done, ing.ItemError):
                return _bad([done])
            metric = settings.pipedrive_types.get(done.type)
            if metric is None:
                return Answer(
                    200, {"ok": True, "recorded": 0, "ignored": f"activity type {done.type!r} isn't mapped"}
                )
            rep = settings.pipedrive_users.get(done.owner)
            if rep is None:
                return _bad(
                    [
                        ing.ItemError(
                            0,
                            "rep",
                            f"Pipedrive user {done.owner} isn't mapped to a rep: a manager runs "
                            f"/team integrations pipedrive user {done.owner} @rep",
                        )
                    ]
                )
            read = [ing.Activity(0, rep, metric, Decimal(1), done.at, done.activity_id, done.subject)]
            delivery_id = (done.event_id or f"activity:{done.activity_id}")[:128]
        if read and isinstance(read[0], ing.ItemError):
            return _bad(read)
        return read, delivery_id

    def _reps(
        self, settings: _Endpoint, activities: list[ing.Activity]
    ) -> tuple[dict[str, str], list[ing.ItemError]] | Answer:
        """rep as sent → Slack user ID (e-mails through the cache, then Slack), and the reps not found."""
        out: dict[str, str] = {}
        errors: list[ing.ItemError] = []
        emails: dict[str, list[int]] = {}
        for a in activities:
            if _SLACK_USER.fullmatch(a.rep):
                out[a.rep] = a.rep
            elif _EMAIL.fullmatch(a.rep):
                emails.setdefault(a.rep.casefold(), []).append(a.index)
            else:
                errors.append(ing.ItemError(a.index, "rep", "give the rep as a Slack user ID or an e-mail"))
        now = self.now()
        missing: list[str] = []
        with self.transaction(write=False) as session:
            for email in emails:
                cached = qi.email_lookup(session=session, workspace_id=settings.workspace_id, email=email)
                fresh_for = EMAIL_KNOWN_FOR if cached is not None and cached.user_id else EMAIL_UNKNOWN_FOR
                if cached is not None and now - cached.fetched_at < fresh_for:
                    if cached.user_id:
                        out[email] = cached.user_id
                else:
                    missing.append(email)
        if missing:
            if len(missing) > MAX_LOOKUPS_PER_REQUEST or self._directory_for is None:
                return Answer(503, {"ok": False, "error": "too many new e-mails at once; retry in a minute"})
            directory = self._directory_for(settings.workspace_id)
            answers: dict[str, str | None] = {}
            for email in missing:
                try:
                    answers[email] = directory.user_id_by_email(email)
                except EmailLookupFailed as err:
                    if err.missing_scope:
                        log.warning("users.lookupByEmail needs the users:read.email scope: reinstall the app")
                        error = "the Slack app lacks the users:read.email scope; reinstall it to use e-mails"
                    else:
                        log.warning("users.lookupByEmail failed: %s", err)
                        error = "couldn't reach Slack to look up e-mails; retry later"
                    return Answer(503, {"ok": False, "error": error})
            with self.transaction(write=True) as session:
                for email, user_id in answers.items():
                    qi.save_email_lookup(
                        session=session,
                        workspace_id=settings.workspace_id,
                        email=email,
                        user_id=user_id,
                        now=now,
                    )
            out.update({email: uid for email, uid in answers.items() if uid})
        for email, indexes in emails.items():
            if email not in out:
                errors += [
                    ing.ItemError(i, "rep", "no Slack user in this workspace has that e-mail")
                    for i in indexes
                ]
        found = {a.rep: out.get(a.rep) or out.get(a.rep.casefold()) for a in activities}
        return {rep: uid for rep, uid in found.items() if uid}, errors

    def _record(
        self,
        settings: _Endpoint,
        source: str,
        delivery_id: str,
        activities: list[ing.Activity],
        reps: dict[str, str],
        rep_errors: list[ing.ItemError],
    ) -> Answer:
        now = self.now()
        with self.transaction(write=True) as session:
            seen = qi.delivery(
                session=session, team_id=settings.team_id, source=source, delivery_id=delivery_id
            )
            if seen is not None:
                return Answer(
                    200, {"ok": True, "duplicate": True, "recorded": 0, "already_seen": seen.entries}
                )
            team = session.get(Team, settings.team_id)
            metrics = q.metrics(session=session, workspace_id=settings.workspace_id)
            errors: list[ing.ItemError] = list(rep_errors)
            items: list[qi.Imported] = []
            on_team: dict[str, str | None] = {}  # user → their timezone, None: not a rep here
            for a in activities:
                user_id = reps.get(a.rep)
                if user_id is None:
                    continue  # its error is in rep_errors
                if user_id not in on_team:
                    on_team[user_id] = self._rep_zone(session, settings, team, user_id)
                zone = on_team[user_id]
                if zone is None:
                    errors.append(ing.ItemError(a.index, "rep", f"{user_id} is not a rep on this team"))
                    continue
                metric, problem = ing.check_item(a, metrics)
                if problem is not None:
                    errors.append(problem)
                    continue
                day = _day_of(a.at, now, zone)
                today = local_date(now, zone)
                late = ing.day_problem(day, today)
                if late is not None:
                    errors.append(ing.ItemError(a.index, "at", late))
                    continue
                external = a.external_id or f"{delivery_id}:{a.index}"
                items.append(
                    qi.Imported(
                        user_id=user_id,
                        metric_key=metric.key,
                        amount=a.amount,
                        day=day,
                        note=a.note,
                        dedupe_key=ing.dedupe_key(settings.team_id, source, external),
                        currency=team.currency if metric.unit is Unit.CURRENCY else None,
                    )
                )
            if errors:
                return _bad(sorted(errors, key=lambda e: e.index or 0))
            for user_id in sorted({i.user_id for i in items}):
                q.lock_rep_entries(session=session, workspace_id=settings.workspace_id, user_id=user_id)
            used = qi.used_dedupe_keys(session=session, keys=[i.dedupe_key for i in items])
            fresh: dict[str, qi.Imported] = {}
            for item in items:
                if item.dedupe_key not in used:
                    fresh.setdefault(item.dedupe_key, item)
            for user_id in sorted({i.user_id for i in fresh.values()}):
                q.ensure_profile(
                    session=session, workspace_id=settings.workspace_id, user_id=user_id, now=now
                )
            if fresh:
                qi.add_imported(
                    session=session,
                    workspace_id=settings.workspace_id,
                    team_id=settings.team_id,
                    source=source,
                    items=list(fresh.values()),
                    now=now,
                )
            qi.record_delivery(
                session=session,
                team_id=settings.team_id,
                source=source,
                delivery_id=delivery_id,
                entries=len(fresh),
                now=now,
            )
        log.info(
            "recorded %d of %d %s activities for team %s", len(fresh), len(items), source, settings.team_id
        )
        return Answer(200, {"ok": True, "recorded": len(fresh), "already_seen": len(items) - len(fresh)})

    def _rep_zone(self, session, settings: _Endpoint, team: Team, user_id: str) -> str | None:
        """The rep's timezone when they are a rep on the team now, else None."""
        pairs = q.roles(session=session, workspace_id=settings.workspace_id, user_id=user_id)
        if not any(m.role == Role.REP.value and t.id == settings.team_id for m, t in pairs):
            return None
        prof = q.profile(session=session, workspace_id=settings.workspace_id, user_id=user_id)
        return prof.tz if prof is not None and prof.tz else team.timezone

    # --- /team integrations ---------------------------------------------------------------------

    def manage(
        self, session, caller: Caller, team: Team, command: TeamIntegrations
    ) -> IntegrationsView | Problem:
        """A manager's ``/team integrations …`` on their team, inside the command's transaction."""
        integration = qi.integration(session=session, team_id=team.id)
        if integration is None:
            integration = TeamIntegration(
                team_id=team.id,
                workspace_id=team.workspace_id,
                key=new_key(),
                secret=new_secret(),
                created_by=caller.user_id,
                created_at=caller.now,
            )
            session.add(integration)
        changed = None
        if isinstance(command, IntegrationsRotate):
            integration.secret = new_secret()
            integration.rotated_by, integration.rotated_at = caller.user_id, caller.now
            changed = _(
                ":arrows_counterclockwise: New secret. The old one stopped working just now: "
                "update it in your CRM (and Pipedrive's password)."
            )
        elif isinstance(command, IntegrationsHubspot):
            integration.hubspot_secret = command.secret
            changed = (
                _(":white_check_mark: HubSpot client secret saved — requests signed with it now count.")
                if command.secret
                else _("HubSpot client secret removed: HubSpot requests are refused until one is set.")
            )
        elif isinstance(command, IntegrationsPipedriveTypes):
            keys = {m.key for m in caller.metrics}
            types = dict(ing.DEFAULT_PIPEDRIVE_TYPES) if command.types is None else dict(command.types)
            unknown = sorted(set(types.values()) - keys)
            if unknown:
                return Problem(
                    _(
                        "I don't know the metric *{metric}*. The metrics here are: {metrics}.",
                        metric=esc(unknown[0]),
                        metrics=_(", ").join(f"*{k}*" for k in sorted(keys)),
                    ),
                    _("Try `/team integrations pipedrive call=calls meeting=presentations email=emails`."),
                )
            integration.pipedrive_types = None if command.types is None else types
            changed = _(":white_check_mark: Pipedrive activity types now count as shown below.")
        elif isinstance(command, IntegrationsPipedriveUser):
            users = dict(integration.pipedrive_users or {})
            if command.user_id is None:
                users.pop(command.pipedrive_id, None)
                changed = _(
                    "Pipedrive user {user} is no longer mapped to a rep.", user=esc(command.pipedrive_id)
                )
            else:
                users[command.pipedrive_id] = command.user_id
                changed = _(
                    ":white_check_mark: Pipedrive user {user}'s done activities now count for <@{rep}>.",
                    user=esc(command.pipedrive_id),
                    rep=command.user_id,
                )
            integration.pipedrive_users = users or None
        else:
            assert isinstance(command, IntegrationsShow)
        session.flush()
        return self.view(team, integration, changed)

    def view(self, team: Team, integration: TeamIntegration, changed: str | None = None) -> IntegrationsView:
        types = integration.pipedrive_types or ing.DEFAULT_PIPEDRIVE_TYPES
        return IntegrationsView(
            team_name=team.name,
            base=self.public_url,
            key=integration.key,
            secret=integration.secret,
            hubspot_set=bool(integration.hubspot_secret),
            pipedrive_types=tuple(sorted(types.items())),
            pipedrive_users=tuple(sorted((integration.pipedrive_users or {}).items())),
            changed=changed,
        )


@dataclass(frozen=True)
class _Endpoint:
    """What a delivery needs of its team's integration, read once."""

    team_id: int
    workspace_id: str
    key: str
    secret: str
    hubspot_secret: str | None
    pipedrive_types: dict[str, str]
    pipedrive_users: dict[str, str]

    @classmethod
    def of(cls, integration: TeamIntegration, team: Team) -> _Endpoint:
        return cls(
            team_id=team.id,
            workspace_id=team.workspace_id,
            key=integration.key,
            secret=integration.secret,
            hubspot_secret=integration.hubspot_secret,
            pipedrive_types=dict(integration.pipedrive_types or ing.DEFAULT_PIPEDRIVE_TYPES),
            pipedrive_users=dict(integration.pipedrive_users or {}),
        )


def from_crm(
    session, *, workspace_id: str, team_id: int, user_id: str, day: date, metrics: dict[str, Metric]
):
    """What CRMs sent for the rep's day on the team, by source, for the rep's replies and Home tab."""
    sums = qi.imported_sums(
        session=session,
        workspace_id=workspace_id,
        team_id=team_id,
        user_id=user_id,
        day=day,
        sources=ing.CRM_SOURCES,
    )
    return tuple(
        (ing.SOURCE_LABELS[source], tuple((metrics[k], a) for k, a in sums[source].items() if k in metrics))
        for source in sorted(sums)
        if any(k in metrics for k in sums[source])
    )


def crm_sources_since(
    session, *, workspace_id: str, team_id: int, user_id: str, since: datetime
) -> tuple[str, ...]:
    """The CRMs (as a rep reads their names) that sent the rep's live entries since ``since``."""
    sources = qi.imported_sources_since(
        session=session,
        workspace_id=workspace_id,
        team_id=team_id,
        user_id=user_id,
        since=since,
        sources=ing.CRM_SOURCES,
    )
    return tuple(ing.SOURCE_LABELS[s] for s in sources)


def _day_of(at: datetime | date | None, now: datetime, zone: str) -> date:
    if at is None:
        return local_date(now, zone)
    if isinstance(at, datetime):
        return local_date(at, zone)
    return at


def not_a_manager_of_integrations() -> Problem:
    return Problem(
        _("Only the team's managers can see or change its CRM integrations."),
        _("Ask your manager; they run `/team integrations`."),
    )
