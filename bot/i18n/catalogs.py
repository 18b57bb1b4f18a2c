"""Keeping the catalogues in step with the code (``python -m bot i18n``): Babel extracts every message
the code marks into ``locales/messages.pot`` and merges it into each language's ``messages.po``, where
new messages wait, untranslated, for a translator (and the catalogue test fails until they are done)."""

from __future__ import annotations

import string
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import KEYWORDS, LOCALES, SOURCE, available, catalogue_path

CODE = Path(__file__).resolve().parent.parent  # the bot package
TEMPLATE = LOCALES / "messages.pot"


def extract() -> Catalog:
    """Every message the code marks, with where it is used."""
    catalog = Catalog(project="salesbot", version=None, fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(CODE),
        method_map=method_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if filename.replace("\\", "/") in ("i18n/__init__.py", "i18n/catalogs.py"):
            continue  # the machinery's own examples
        catalog.add(message, None, [(f"bot/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def read(code: str) -> Catalog:
    """A language's catalogue, every ``.po`` of its folder in one."""
    merged: Catalog | None = None
    for path in sorted(catalogue_path(code).parent.glob("*.po")):
        with path.open("rb") as fh:
            part = read_po(fh, locale=code)
        if merged is None:
            merged = part
        else:
            for message in part:
                if message.id:
                    merged[message.id] = message
    return merged if merged is not None else Catalog(locale=code)


_FIELD = string.Formatter()


def fields(text: str) -> set[str]:
    """The ``{fields}`` a message formats (their names, without format specs)."""
    try:
        return {name.split(".")[0].split("[")[0] for _, name, _, _ in _FIELD.parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def problems(code: str) -> list[str]:
    """What the catalogue of ``code`` lacks or gets wrong against the code's messages."""
    catalog = read(code)
    out = []
    for message in extract():
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        where = message.locations[0][0] + ":" + str(message.locations[0][1]) if message.locations else "?"
        label = f"{message.id!r} ({where})"
        if found is None:
            out.append(f"missing: {label}")
            continue
        strings = found.string if isinstance(found.string, (list, tuple)) else (found.string,)
        if found.fuzzy or not all(strings):
            out.append(f"untranslated or fuzzy: {label}")
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        if (message.context or "").startswith("pattern:") or (message.context and "|" in ids[0]):
            continue
        wanted = set().union(*(fields(i) for i in ids))
        for s in strings:
            if fields(s) - wanted:
                out.append(f"fields {sorted(fields(s) - wanted)} unknown to the code: {label}")
    return out


_PLACEHOLDERS = (
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
)
_COMMENTS = {
    "template": "# The messages of salesbot, extracted from the code by `python -m bot i18n`: translate them into a\n"
    "# locales/<code>/LC_MESSAGES/messages.po of their own.",
    "sq": "# Albanian (sq) translations of salesbot: every message the bot says, in natural standard Albanian.",
}


def _tidy(path: Path, comment: str | None) -> None:
    """Leave out the header's placeholders and dates, which would change on every run."""
    head, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
    kept = [
        line.replace("salesbot VERSION", "salesbot").replace("Project-Id-Version:  ", "Project-Id-Version: ")
        for line in head.split("\n")
        if not line.startswith("#") and not any(f'"{key}:' in line for key in _PLACEHOLDERS)
    ]
    text = "\n".join(([comment] if comment else []) + kept) + "\n\n" + rest
    path.write_text(text, encoding="utf-8")


def update() -> list[Path]:
    """Write the template and merge it into every catalogue; the files written."""
    template = extract()
    with TEMPLATE.open("wb") as fh:
        write_po(fh, template, width=110, omit_header=False, sort_output=False)
    _tidy(TEMPLATE, _COMMENTS["template"])
    written = [TEMPLATE]
    for code in available():
        if code == SOURCE:
            continue
        catalog = read(code)
        catalog.update(template, no_fuzzy_matching=True)
        path = catalogue_path(code)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=110, ignore_obsolete=True)
        _tidy(path, _COMMENTS.get(code, f"# {code} translations of salesbot."))
        for other in path.parent.glob("*.po"):
            if other != path:
                other.unlink()
        written.append(path)
    return written
