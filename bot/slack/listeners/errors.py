"""One error handler for every listener: log it, and tell the user plainly that nothing was recorded."""

from __future__ import annotations

import json
import logging

from slack_bolt import App, BoltResponse

from bot.slack.messages.replies import message

log = logging.getLogger(__name__)

SORRY = message(
    ":warning: Sorry — something went wrong on my side and nothing was recorded. Please try again in a minute.",
    detail="If it keeps happening, tell whoever runs this bot; the details are in its logs.",
)


def register(app: App) -> None:
    @app.error
    def handle(error: Exception, body: dict) -> BoltResponse:
        kind = body.get("command") or body.get("type") or "request"
        log.error("listener failed for %s: %s", kind, error, exc_info=error)
        if body.get("command"):
            return BoltResponse(
                status=200, body=json.dumps(SORRY), headers={"content-type": "application/json"}
            )
        return BoltResponse(status=500, body="")
