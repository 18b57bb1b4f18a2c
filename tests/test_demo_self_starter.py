"""The demo report's "Self-starters" section (bot/demo_self_starter.py): each new hire's figures and
days, linked from the header, escaped, and absent when the run had no new hire."""

from __future__ import annotations

import copy
from typing import Any

from bot.demo_report import render_report
from tests.test_demo_report import TagChecker, make_data, section

BEN = {
    "working_days": 4,
    "logged": 3,
    "unprompted": 2,
    "through": "2026-11-23",
    "left": "steady",
    "days": [
        ["2026-11-16", "prompted"],
        ["2026-11-17", "unprompted"],
        ["2026-11-18", "missed"],
        ["2026-11-19", "unprompted"],
    ],
}


def _with_ben() -> dict[str, Any]:
    data = make_data()
    data["self_starter"] = {"U0BEN": copy.deepcopy(BEN)}
    return data


def test_each_new_hire_has_a_row_with_their_figures_and_days() -> None:
    page = render_report(_with_ben())
    body = section(page, "self-starters")
    assert '<th scope="row">Ben</th>' in body
    assert "left onboarding for steady, told Mon 23 Nov" in body
    assert "2 of 4 (50 %)" in body and "3 of 4 (75 %)" in body
    assert body.count("■") == 2 + 1 and body.count("▣") == 1 + 1 and body.count("□") == 1 + 1  # + legend
    assert 'title="Wed 18 Nov: not logged"' in body
    assert '<a href="#self-starters">Self-starters</a>' in page
    checker = TagChecker()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []


def test_a_rep_still_onboarding_and_odd_values() -> None:
    data = _with_ben()
    data["self_starter"]["U0BEN"].update(left=None, working_days=0, days=[["bad"], "x", ["2026-11-16", "?"]])
    data["self_starter"]["U0NEW<b>"] = "not a mapping"
    body = section(render_report(data), "self-starters")
    assert "still onboarding, Mon 23 Nov" in body and "—" in body
    assert "<b>" not in body


def test_hostile_names_are_escaped() -> None:
    data = _with_ben()
    data["reps"][1]["name"] = "<script>alert(1)</script>"
    data["self_starter"]["U0BEN"]["left"] = "<img src=x>"
    page = render_report(data)
    assert "<script>alert" not in page and "<img" not in page


def test_no_section_and_no_link_without_a_new_hire() -> None:
    page = render_report(make_data())
    assert 'id="self-starters"' not in page and "#self-starters" not in page
