"""slack_sdk's own installation and OAuth-state stores work on the tables our migrations create, on
SQLite and on PostgreSQL — the stores never create them."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine


def installation(team_id: str, token: str) -> Installation:
    return Installation(
        app_id="A0SALESBOT",
        enterprise_id=None,
        team_id=team_id,
        team_name="Acme",
        bot_token=token,
        bot_id="BBOT",
        bot_user_id="UBOT",
        bot_scopes="commands,chat:write",
        user_id="U0INSTALLER",
    )


def test_an_installation_is_saved_found_and_deleted(engine: Engine) -> None:
    store = SQLAlchemyInstallationStore(client_id="1.2", engine=engine)
    store.save(installation("T0STORE", "xoxb-first"))
    store.save(installation("T0STORE", "xoxb-second"))  # a reinstall: the newest token wins

    bot = store.find_bot(enterprise_id=None, team_id="T0STORE")
    assert bot is not None and bot.bot_token == "xoxb-second"
    found = store.find_installation(enterprise_id=None, team_id="T0STORE")
    assert found is not None and found.user_id == "U0INSTALLER"
    assert (
        SQLAlchemyInstallationStore(client_id="other", engine=engine).find_bot(
            enterprise_id=None, team_id="T0STORE"
        )
        is None
    )  # another app's installations are not ours

    store.delete_all(enterprise_id=None, team_id="T0STORE")
    assert store.find_bot(enterprise_id=None, team_id="T0STORE") is None
    assert store.find_installation(enterprise_id=None, team_id="T0STORE") is None


def test_a_state_is_consumed_once_and_never_after_it_expires(engine: Engine) -> None:
    states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
    state = states.issue()
    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False

    expired = SQLAlchemyOAuthStateStore(expiration_seconds=-1, engine=engine).issue()
    assert states.consume(expired) is False
