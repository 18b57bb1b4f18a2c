"""The tables of slack_sdk's SQLAlchemy installation and OAuth-state stores (multi-workspace mode).

slack_sdk owns their shape and their queries; we own their creation. They are declared here, from
slack_sdk's own builders, in a metadata of their own, so that our migrations create them (the stores'
``create_tables()`` is never called) and the drift test notices when a slack_sdk upgrade changes them.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

INSTALLATIONS = SQLAlchemyInstallationStore.default_installations_table_name
BOTS = SQLAlchemyInstallationStore.default_bots_table_name
OAUTH_STATES = SQLAlchemyOAuthStateStore.default_table_name

oauth_metadata = MetaData()
SQLAlchemyInstallationStore.build_installations_table(oauth_metadata, INSTALLATIONS)
SQLAlchemyInstallationStore.build_bots_table(oauth_metadata, BOTS)
SQLAlchemyOAuthStateStore.build_oauth_states_table(oauth_metadata, OAUTH_STATES)
