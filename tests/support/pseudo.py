"""The pseudo-locale guard: text rendered under ``bot.i18n.PSEUDO`` may hold only catalogued words.

Every catalogued message comes out accented ("Ŀöğğéð"); a plain ASCII word left in the text bypassed
the catalogue — unless it is something the user supplied (a name, a note), a Slack token, an emoji
code, a command, a URL or a unit the bot never translates. Tests pass what their fixtures supplied as
``allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Never translated: slash commands, Slack's tokens and emoji codes, links, ISO codes, ids, code spans'
# command keywords that are typed as they are in every language.
_STRIP = re.compile(
    r"<[^<>]*>"  # <@U123>, <#C123|name>, <https://…|label>, <!here>
    r"|:[a-z0-9_+\-]+:"  # :tada:
    r"|https?://\S+"
    r"|/[a-z]+"  # /log, /team
    r"|\b[A-Z]{3}\b"  # ISO 4217 codes (EUR), ISO country codes stay as typed
    r"|\b[UWCGT][A-Z0-9]{5,}\b"  # raw ids
)
_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in every language the bot speaks, or that are the product's own names.
UNTRANSLATED = frozenset(
    {"CSV", "HubSpot", "Pipedrive", "Slack", "Zoom", "Meet", "UTC", "AL", "XK", "US", "GB"}
)


def texts(payload: Any) -> list[str]:
    """Every user-facing string in a Slack payload (message, modal, Home view) or plain text."""
    found: list[str] = []

    def walk(node: Any, key: str | None = None) -> None:
        if isinstance(node, str):
            if key in (
                None,
                "text",
                "title",
                "label",
                "placeholder",
                "alt_text",
                "fallback",
                "hint",
                "comment",
            ):
                found.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                if k in (
                    "action_id",
                    "block_id",
                    "callback_id",
                    "type",
                    "url",
                    "value",
                    "private_metadata",
                    "image_url",
                    "style",
                    "emoji",
                    "verbatim",
                    "initial_value",
                    "initial_option",
                    "initial_date",
                    "initial_time",
                    "timezone",
                    "response_type",
                    "metadata",
                    "event_payload",
                    "event_type",
                    "thread_ts",
                    "channel",
                    "user",
                    "ts",
                    "trigger_id",
                ):
                    continue
                walk(
                    v,
                    k
                    if isinstance(v, str)
                    else key
                    if k in ("title", "label", "placeholder", "text", "hint")
                    else k,
                )
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, key)

    walk(payload)
    return found


def uncatalogued(payload: Any, *, allowed: Iterable[str] = ()) -> list[str]:
    """The plain words in ``payload`` that no catalogue produced (empty when every word did)."""
    keep = set(UNTRANSLATED) | {a for text in allowed for a in _WORD.findall(text)}
    leaks = []
    for text in texts(payload):
        for word in _WORD.findall(_STRIP.sub(" ", text)):
            if word not in keep:
                leaks.append(word)
    return leaks


def assert_catalogued(payload: Any, *, allowed: Iterable[str] = ()) -> None:
    leaks = uncatalogued(payload, allowed=allowed)
    assert not leaks, f"words that bypassed the catalogue: {sorted(set(leaks))} in {texts(payload)!r}"
