"""Multi-workspace (OAuth) mode: the install flow, and where each workspace's bot token is found.

slack_sdk's SQLAlchemy stores keep the installations and the install flow's one-time states in our
database, in tables our migrations create (never the stores themselves). The web process runs Bolt's
OAuth flow with them and authorizes each request with its workspace's stored token; the clock, which
has no request to authorize, looks a workspace's token up with :class:`WorkspaceGateways`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.slack.gateway import SlackGateway, make_client

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"  # the "Add to Slack" page
REDIRECT_PATH = "/slack/oauth_redirect"  # where Slack sends the installer back with a code
TOKEN_TTL_SECONDS = 60.0


class NotInstalled(LookupError):
    """No bot token is stored for the workspace: the app was never installed there, or was removed."""


@dataclass(frozen=True)
class OAuthInstall:
    """What the Bolt app needs for OAuth mode."""

    flow: OAuthFlow
    authorize: InstallationStoreAuthorize
    not_installed: str  # what a user of a workspace without an installation is told


def installation_store(engine: Engine, *, client_id: str) -> SQLAlchemyInstallationStore:
    """Installations of this app (``client_id``) in our database; its tables come from our migrations."""
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine, logger=log)


def build_oauth(
    *,
    engine: Engine,
    api_url: str,
    client_id: str,
    client_secret: str,
    scopes: Sequence[str],
    redirect_uri: str | None,
    state_expiration_seconds: int,
) -> OAuthInstall:
    """Bolt's install flow and request authorization, both on the stores in our database.

    The code exchange (``oauth.v2.access``) goes to ``api_url`` like every other Web API call.
    Authorization looks up the workspace's bot token for each request but remembers Slack's
    ``auth.test`` answer per token, so a request never waits on the Web API before its ack.
    """
    store = installation_store(engine, client_id=client_id)
    exchange = make_client(token=None, base_url=api_url, logger=_exchange_logger())
    settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes),
        user_scopes=[],
        redirect_uri=redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=_installed, failure=_refused),
        authorization_url=authorization_url(api_url),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=state_expiration_seconds, engine=engine, logger=log
        ),
        state_expiration_seconds=state_expiration_seconds,
        logger=log,
    )
    authorize = InstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        bot_only=True,
        cache_enabled=True,
        client=exchange,
    )
    return OAuthInstall(
        flow=OAuthFlow(client=exchange, logger=log, settings=settings),
        authorize=authorize,
        not_installed=not_installed_message(redirect_uri),
    )


def authorization_url(api_url: str) -> str:
    """Slack's consent page next to its Web API: slack.com's for slack.com/api/, GovSlack's for GovSlack."""
    return urljoin(api_url, "../oauth/v2/authorize")


def not_installed_message(redirect_uri: str | None) -> str:
    """A plain reply for a workspace whose installation is gone, with the install link when it is known."""
    text = (
        ":warning: Sales Check-ins isn't installed in this workspace any more, so I couldn't do that "
        "and nothing was recorded."
    )
    if redirect_uri is None:
        return text + " Ask a workspace admin to add the app again."
    install_url = redirect_uri[: -len(REDIRECT_PATH)] + INSTALL_PATH
    return text + f" A workspace admin can add it again: <{install_url}|Add to Slack>."


class WorkspaceGateways:
    """``gateway_for(workspace_id)`` for the clock: a gateway that speaks with the workspace's bot token.

    A tick sends many messages to few workspaces, so each answer (found or not) is kept for ``ttl``
    seconds; a reinstall or an uninstall then shows within that. Clients don't retry, like the
    clock's single-workspace client: the outbox counts its own retries.
    """

    def __init__(
        self,
        store: InstallationStore,
        *,
        api_url: str,
        ttl: float = TOKEN_TTL_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._api_url = api_url
        self._ttl = ttl
        self._now = now
        self._cache: dict[str, tuple[float, SlackGateway | None]] = {}
        self._lock = threading.Lock()  # the clock sends from several threads

    def __call__(self, workspace_id: str) -> SlackGateway:
        with self._lock:
            expires, gateway = self._cache.get(workspace_id, (0.0, None))
            if expires <= self._now():
                gateway = self._lookup(workspace_id)
                self._cache[workspace_id] = (self._now() + self._ttl, gateway)
        if gateway is None:
            raise NotInstalled(f"no bot token is stored for workspace {workspace_id}")
        return gateway

    def _lookup(self, workspace_id: str) -> SlackGateway | None:
        bot = self._store.find_bot(enterprise_id=None, team_id=workspace_id)
        if bot is None or not bot.bot_token:
            return None
        return SlackGateway(make_client(token=bot.bot_token, base_url=self._api_url, retries=False))


def _exchange_logger() -> logging.Logger:
    """The code exchange's logger, pinned at INFO.

    slack_sdk writes each response body at DEBUG whenever its logger's *own* level allows it, and
    ``oauth.v2.access`` answers with the workspace's new bot token: with this logger, LOG_LEVEL=DEBUG
    still never puts an issued token in the logs.
    """
    logger = logging.getLogger(f"{__name__}.exchange")
    logger.setLevel(logging.INFO)
    return logger


def _installed(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    log.info(
        "installed in workspace %s (%s) by %s",
        installation.team_id,
        installation.team_name,
        installation.user_id,
    )
    return args.default.success(args)


def _refused(args: FailureArgs) -> BoltResponse:
    log.warning("an install was refused: %s%s", args.reason, f" ({args.error})" if args.error else "")
    return args.default.failure(args)
