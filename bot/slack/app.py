"""Builds the Bolt app: signature checks, authorization, the listeners, and the error handler."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.services.container import Services
from bot.slack.gateway import SlackGateway, make_client, one_gateway, request_gateway
from bot.slack.installations import OAuthInstall
from bot.slack.listeners import register
from bot.slack.listeners.deadline import DEFAULT_BUDGET, DEFAULT_DEADLINE

LOGGER = "bot.slack.bolt"


class _TokenSkippedIsNoNews(logging.Filter):
    """Bolt reads ``SLACK_BOT_TOKEN`` from the environment behind our back and then warns that it
    uses the client it was given instead: that client holds the very same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


logging.getLogger(LOGGER).addFilter(_TokenSkippedIsNoNews())


def build_bolt_app(
    *,
    signing_secret: str,
    api_url: str,
    services: Services,
    token: str | None = None,
    oauth: OAuthInstall | None = None,
    verify_token: bool = True,
    ack_deadline: float = DEFAULT_DEADLINE,
    work_budget: float = DEFAULT_BUDGET,
    work_threads: int = 8,
) -> App:
    """Token mode with ``token`` (one workspace), OAuth mode with ``oauth`` (each its own bot token).

    ``process_before_response`` makes replies ride in the ack body (see DESIGN.md, "3 seconds");
    work that hasn't answered within ``ack_deadline`` answers later, within ``work_budget`` (see
    ``bot.slack.listeners.deadline``).
    """
    if (token is None) == (oauth is None):
        raise ValueError("give exactly one of a bot token (token mode) and an OAuth install")
    timing = {"ack_deadline": ack_deadline, "work_budget": work_budget, "work_threads": work_threads}
    if oauth is not None:
        return _multi_workspace(
            signing_secret=signing_secret, api_url=api_url, services=services, oauth=oauth, timing=timing
        )
    client = make_client(token=token, base_url=api_url)
    app = App(
        signing_secret=signing_secret,
        client=client,
        process_before_response=True,
        token_verification_enabled=verify_token,
        logger=logging.getLogger(LOGGER),
    )
    register(app, services, one_gateway(SlackGateway(client)), **timing)
    return app


def _multi_workspace(
    *, signing_secret: str, api_url: str, services: Services, oauth: OAuthInstall, timing: dict
) -> App:
    """Requests are authorized by their workspace's stored installation; one that has none (never
    installed, or removed since) is told so in plain words and nothing runs."""
    app = App(
        signing_secret=signing_secret,
        client=make_client(token=None, base_url=api_url),  # the template of each request's client
        oauth_flow=oauth.flow,
        oauth_settings=oauth.flow.settings,  # else Bolt builds default settings from SLACK_CLIENT_ID
        authorize=oauth.authorize,
        user_facing_authorize_error_message=oauth.not_installed,
        process_before_response=True,
        logger=logging.getLogger(LOGGER),
    )
    register(app, services, request_gateway, oauth=True, **timing)
    return app
