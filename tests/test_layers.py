"""The dependency direction of DESIGN.md: domain ← store ← services ← {slack, clock} ← __main__.

``bot.i18n`` (the catalogues and the reader's voice) sits under them all: any layer may speak, and the
language layer depends on no other."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bot"

# What each layer may import from the project (besides itself).
ALLOWED = {
    "bot.i18n": {"bot.i18n"},
    "bot.domain": {"bot.i18n", "bot.domain"},
    "bot.store": {"bot.i18n", "bot.domain", "bot.store"},
    "bot.services": {"bot.i18n", "bot.domain", "bot.store", "bot.services"},
    "bot.slack": {"bot.i18n", "bot.domain", "bot.services", "bot.slack"},
    "bot.slack.listeners": {"bot.i18n", "bot.domain", "bot.services", "bot.slack"},
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _layer(module: str) -> str | None:
    matches = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_point_inwards(module: str, path: Path) -> None:
    layer = _layer(module)
    if layer is None:
        return  # composition root and process modules may import anything
    project = {name for name in _imports(path) if name == "bot" or name.startswith("bot.")}
    bad = {name for name in project if not any(name == a or name.startswith(a + ".") for a in ALLOWED[layer])}
    assert not bad, f"{module} ({layer}) must not import {sorted(bad)}"


@pytest.mark.parametrize(
    ("module", "path"),
    [(m, p) for m, p in _modules() if m.startswith("bot.domain")],
    ids=[m for m, _ in _modules() if m.startswith("bot.domain")],
)
def test_domain_uses_the_standard_library_only(module: str, path: Path) -> None:
    third_party = {
        name
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("bot.")
        and name != "__future__"
    }
    assert not third_party, f"{module} imports {sorted(third_party)}"


def test_there_are_modules_in_every_layer() -> None:
    layers = {_layer(m) for m, _ in _modules()}
    assert set(ALLOWED) <= layers
