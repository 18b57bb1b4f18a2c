"""The figures each benchmark reports to ``make bench``'s closing table, one JSON line each.

Every benchmark prints its own detailed table; with ``--summary FILE`` it also appends its headline
figures here, with the target beside each where the project has one. ``bench/all.py`` runs them all
and prints those lines as one table.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    bench: str
    figure: str
    value: float
    unit: str
    target: str = ""  # e.g. "≤ 1.2", "< 100 ms"; empty: measured, not judged
    ok: bool | None = None

    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "MISS")


def record(path: str | None, figures: list[Figure]) -> None:
    """Append ``figures`` to ``path`` (no-op without one)."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        for figure in figures:
            out.write(json.dumps(asdict(figure)) + "\n")


def load(path: str) -> list[Figure]:
    file = Path(path)
    if not file.exists():
        return []
    return [
        Figure(**json.loads(line)) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def table(figures: list[Figure]) -> str:
    rows = [
        (f.bench, f.figure, _number(f.value) + (f" {f.unit}" if f.unit else ""), f.target, f.verdict())
        for f in figures
    ]
    head = ("benchmark", "figure", "measured", "target", "")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _number(value: float) -> str:
    if value != value:  # NaN
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
