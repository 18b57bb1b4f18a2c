"""``/team integrations …``: a team's CRM endpoint, its secret, and how HubSpot and Pipedrive map."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.parsing.common import _Fail, _is, _q, _Tok
from bot.domain.parsing.metrics import _metric_name, resolve_metric
from bot.domain.types import Metric
from bot.i18n import N_, _, vocabulary

INTEGRATIONS_USAGE = N_(
    "Try `/team integrations` (the endpoint and its secret), `/team integrations rotate`, "
    "`/team integrations hubspot <client secret>`, "
    "`/team integrations pipedrive call=calls meeting=presentations email=emails`, or "
    "`/team integrations pipedrive user 12345 @rep`."
)


@dataclass(frozen=True)
class IntegrationsShow:
    pass


@dataclass(frozen=True)
class IntegrationsRotate:
    """A new secret; the old one stops working at once."""


@dataclass(frozen=True)
class IntegrationsHubspot:
    """The HubSpot app's client secret that signs its requests; None removes it."""

    secret: str | None


@dataclass(frozen=True)
class IntegrationsPipedriveTypes:
    """Pipedrive activity type → metric key; None: back to the defaults."""

    types: tuple[tuple[str, str], ...] | None


@dataclass(frozen=True)
class IntegrationsPipedriveUser:
    """Pipedrive user ``pipedrive_id`` is the rep ``user_id`` (None: forget the mapping)."""

    pipedrive_id: str
    user_id: str | None


TeamIntegrations = (
    IntegrationsShow
    | IntegrationsRotate
    | IntegrationsHubspot
    | IntegrationsPipedriveTypes
    | IntegrationsPipedriveUser
)

_SECRET = re.compile(r"[A-Za-z0-9_\-]{8,128}")
_TYPE = re.compile(r"[a-z0-9_\-]{1,32}")
_CLEAR = ("none", "clear", "off", "remove")


def _is_clear(word: str) -> bool:
    return word in _CLEAR or _is(word, vocabulary("input:keyword none clear", "none|clear|off|remove"))


def parse_integrations(tokens: Sequence[_Tok], metrics: Sequence[Metric]) -> TeamIntegrations:
    try:
        return _parse(list(tokens), metrics)
    except _Fail as fail:
        raise _Fail(fail.message, fail.usage or INTEGRATIONS_USAGE) from None


def _parse(tokens: list[_Tok], metrics: Sequence[Metric]) -> TeamIntegrations:
    if not tokens:
        return IntegrationsShow()
    head, rest = tokens[0].low, tokens[1:]
    rotate = head in ("rotate", "regenerate", "new-secret") or _is(
        head, vocabulary("input:keyword rotate", "rotate|regenerate|new-secret")
    )
    if rotate and not rest:
        return IntegrationsRotate()
    if head == "hubspot":
        if len(rest) != 1 or rest[0].kind != "word":
            raise _Fail(
                _("Give the HubSpot app's client secret once: `/team integrations hubspot <client secret>`.")
            )
        if _is_clear(rest[0].low):
            return IntegrationsHubspot(None)
        if not _SECRET.fullmatch(rest[0].text):
            raise _Fail(_("That doesn't look like a HubSpot client secret (letters, digits and dashes)."))
        return IntegrationsHubspot(rest[0].text)
    if head == "pipedrive":
        if rest and (
            rest[0].low in ("user", "users", "owner")
            or _is(rest[0].low, vocabulary("input:keyword user", "user|users|owner"))
        ):
            return _pipedrive_user(rest[1:])
        return _pipedrive_types(rest, metrics)
    raise _Fail(_("I don't know `/team integrations {subcommand}`.", subcommand=_q(tokens[0].text, 20)))


def _pipedrive_user(tokens: list[_Tok]) -> IntegrationsPipedriveUser:
    if (
        len(tokens) == 2
        and tokens[0].kind == "word"
        and tokens[0].text.isdigit()
        and len(tokens[0].text) <= 20
    ):
        if tokens[1].kind == "user":
            return IntegrationsPipedriveUser(tokens[0].text, tokens[1].text)
        if _is_clear(tokens[1].low):
            return IntegrationsPipedriveUser(tokens[0].text, None)
    raise _Fail(
        _(
            "Map a Pipedrive user to a rep with their Pipedrive user ID and a mention: "
            "`/team integrations pipedrive user 12345 @rep` (or `… user 12345 none`)."
        )
    )


def _pipedrive_types(tokens: list[_Tok], metrics: Sequence[Metric]) -> IntegrationsPipedriveTypes:
    if len(tokens) == 1 and (
        tokens[0].low in ("default", "defaults", "reset")
        or _is(tokens[0].low, vocabulary("input:keyword default", "default|reset|auto"))
    ):
        return IntegrationsPipedriveTypes(None)
    pairs: dict[str, str] = {}
    for tok in tokens:
        kind, sep, name = tok.low.rstrip(",").partition("=")
        if tok.kind != "word" or not sep or not _TYPE.fullmatch(kind) or not name:
            raise _Fail(
                _(
                    "Map each Pipedrive activity type to a metric as `type=metric`, like "
                    "`/team integrations pipedrive call=calls meeting=presentations email=emails`."
                )
            )
        if _is_clear(name):
            continue
        metric = resolve_metric(name, metrics)
        if metric is None:
            raise _Fail(
                _(
                    'I don\'t know the metric "{name}" — use one of: {metrics}.',
                    name=_q(name),
                    metrics=", ".join(_metric_name(m) for m in metrics),
                )
            )
        pairs[kind] = metric.key
    if not tokens:
        raise _Fail(
            _(
                "Which Pipedrive activity types count as which metric? Like "
                "`/team integrations pipedrive call=calls meeting=presentations email=emails`."
            )
        )
    return IntegrationsPipedriveTypes(tuple(sorted(pairs.items())))
