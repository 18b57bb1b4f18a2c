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


def test_patterns_and_understood_words_are_literal_so_the_extraction_keeps_them():
    """A pattern or a vocabulary reached through a variable is invisible to the extraction, and
    ``python -m bot i18n`` would drop its translations as unused."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "bot"
    found, hidden = 0, []
    for path in package.rglob("*.py"):
        if path.parent.name == "i18n" and path.name in ("__init__.py", "catalogs.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name | ast.Attribute):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name in ("pattern", "vocabulary", "words_in"):
                found += 1
                if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2]):
                    hidden.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    assert found > 20 and hidden == []
