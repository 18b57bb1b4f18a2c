"""``/team integrations …`` text → commands."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import parsing as p
from bot.domain.parsing.integrations import (
    IntegrationsHubspot,
    IntegrationsPipedriveTypes,
    IntegrationsPipedriveUser,
    IntegrationsRotate,
    IntegrationsShow,
)

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("integrations", IntegrationsShow()),
        ("INTEGRATIONS rotate", IntegrationsRotate()),
        ("integrations hubspot a1b2c3d4-e5f6-7a8b", IntegrationsHubspot("a1b2c3d4-e5f6-7a8b")),
        ("integrations hubspot none", IntegrationsHubspot(None)),
        (
            "integrations pipedrive call=dials meeting=demos email=emails",
            IntegrationsPipedriveTypes(
                (("call", "calls"), ("email", "emails"), ("meeting", "presentations"))
            ),
        ),
        ("integrations pipedrive default", IntegrationsPipedriveTypes(None)),
        ("integrations pipedrive user 123 <@U0ANA|ana>", IntegrationsPipedriveUser("123", "U0ANA")),
        ("integrations pipedrive user 123 none", IntegrationsPipedriveUser("123", None)),
    ],
)
def test_integrations_commands(text: str, expected: object) -> None:
    assert p.parse_team(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "integrations rotate now",
        "integrations hubspot",
        "integrations hubspot <@U1|x>",
        "integrations hubspot sh!",
        "integrations pipedrive",
        "integrations pipedrive call",
        "integrations pipedrive call=cals",
        "integrations pipedrive user ana <@U0ANA|ana>",
        "integrations salesforce",
    ],
)
def test_bad_integrations_commands_say_the_right_form(text: str) -> None:
    result = p.parse_team(text, today=TODAY)
    assert isinstance(result, p.ParseError), result
    assert "/team integrations" in (result.usage or "") + result.message
