"""One error handler for every listener: log it, and tell the user plainly that nothing was recorded —
or, when the database went away mid-save, that nobody can tell yet."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse

from bot.i18n import _, speaking
from bot.services.context import CommitUnconfirmed
from bot.slack.listeners.voices import remembered
from bot.slack.messages.replies import Lazy, message

log = logging.getLogger(__name__)

SORRY = Lazy(
    lambda: message(
        _(
            ":warning: Sorry — something went wrong on my side and nothing was recorded. Please try again "
            "in a minute."
        ),
        detail=_("If it keeps happening, tell whoever runs this bot; the details are in its logs."),
    )
)

# The database went away in the middle of saving: it may have been recorded, so "try again" could
# count it twice. Say so, and say how to check.
UNCONFIRMED = Lazy(
    lambda: message(
        _(
            ":warning: Sorry — I lost touch with my database while saving that, so I can't tell whether it "
            "was recorded."
        ),
        detail=_(
            "Check with `/log today` (or `/goals`, `/team`) before you try again, so nothing counts twice."
        ),
    )
)


def register(app: App, voices: Any = None) -> None:
    """``voices``: the voice service, whose remembered voice of the caller the apology speaks."""
    voice_for = remembered(voices)

    @app.error
    def handle(error: Exception, body: dict) -> BoltResponse:
        kind = body.get("command") or body.get("type") or "request"
        log.error("listener failed for %s: %s", kind, error, exc_info=error)
        if body.get("command"):
            v = voice_for(body)
            with speaking(v.language, currency=v.currency):
                reply = dict(UNCONFIRMED if isinstance(error, CommitUnconfirmed) else SORRY)
            return BoltResponse(
                status=200, body=json.dumps(reply), headers={"content-type": "application/json"}
            )
        return BoltResponse(status=500, body="")
