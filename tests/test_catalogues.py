"""Every message the code uses is in every catalogue, translated, with the fields the code fills."""

from __future__ import annotations

import pytest

from bot.i18n import PSEUDO, SOURCE, available, speaking
from bot.i18n.catalogs import extract, fields, problems

LANGUAGES = [code for code in available() if code != SOURCE]


def test_there_is_albanian():
    assert "sq" in LANGUAGES


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_catalogue_has_every_message_the_code_uses(code):
    assert problems(code) == []


def test_the_extraction_finds_the_code_s_messages():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    assert len(ids) > 100  # the code's replies, DMs, standups and views


def test_a_message_the_catalogue_lacks_is_found(tmp_path, monkeypatch):
    import bot.i18n.catalogs as catalogs

    (tmp_path / "new.py").write_text('from bot.i18n import _\n_("A message no catalogue has, {who}.")\n')
    monkeypatch.setattr(catalogs, "CODE", tmp_path)
    assert problems("sq") == ["missing: 'A message no catalogue has, {who}.' (bot/new.py:2)"]


def test_a_translation_naming_a_field_the_code_does_not_fill_is_refused():
    assert fields("{n} hyrje për {who}") == {"n", "who"}
    assert fields("{amount:,} {unit}") == {"amount", "unit"}


def test_the_pseudo_locale_accents_every_catalogued_word_but_keeps_fields_and_tokens():
    from bot.i18n import _

    with speaking(PSEUDO):
        text = _("Logged {what} for <@{user}> :tada: /log", what="X", user="U1")
    assert text == "Ĺöğğéð X ƒöŕ <@U1> :tada: /log"
