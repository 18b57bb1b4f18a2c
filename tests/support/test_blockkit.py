"""The fake Slack refuses what Slack refuses, and says so in Slack's words.

Each limit is tried just under (or at) the line, where Slack posts, and one past it, where Slack
answers with its own error and JSON pointer. Then the same refusals travel over HTTP, as the bot's
``slack_sdk`` client meets them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from tests.support import blockkit
from tests.support.blockkit import message_problems, review, view_problems
from tests.support.fakeslack import FakeSlack, forget_refusals, refusals_since
from tests.support.signing import SlackSender

SCHEMAS = "failed to match all allowed schemas"


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def section(text: str = "hi", **more: Any) -> dict:
    return {"type": "section", "text": mrkdwn(text), **more}


def button(text: str = "Go", action_id: str = "go", value: str = "1") -> dict:
    return {"type": "button", "text": plain(text), "action_id": action_id, "value": value}


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def modal(blocks: list[dict] | None = None, **more: Any) -> dict:
    view = {
        "type": "modal",
        "callback_id": "log",
        "title": plain("Log activity"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks if blocks is not None else [section()],
    }
    return {**view, **more}


def text_input(label: str = "Calls", **element: Any) -> dict:
    return {
        "type": "input",
        "block_id": "calls",
        "label": plain(label),
        "element": {"type": "plain_text_input", "action_id": "value", **element},
    }


# --- each limit: at the line it posts; one past, Slack's error ---------------------------------

# (name, blocks with n of the thing, the limit, what Slack says one past it)
MESSAGE_LIMITS: list[tuple[str, Callable[[int], list[dict]], int, list[str]]] = [
    (
        "50 blocks a message",
        lambda n: [section(f"{i}") for i in range(n)],
        50,
        ["no more than 50 items allowed [json-pointer:/blocks]"],
    ),
    (
        "section text 3,000",
        lambda n: [section("x" * n)],
        3000,
        [
            f"{SCHEMAS} [json-pointer:/blocks/0/text]",
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ],
    ),
    (
        "10 section fields",
        lambda n: [{"type": "section", "fields": [mrkdwn(f"{i}") for i in range(n)]}],
        10,
        ["no more than 10 items allowed [json-pointer:/blocks/0/fields]"],
    ),
    (
        "section field text 2,000",
        lambda n: [{"type": "section", "fields": [mrkdwn("x" * n)]}],
        2000,
        ["must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]"],
    ),
    (
        "header plain_text 150",
        lambda n: [{"type": "header", "text": plain("x" * n)}],
        150,
        [
            f"{SCHEMAS} [json-pointer:/blocks/0/text]",
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ],
    ),
    (
        "10 context elements",
        lambda n: [{"type": "context", "elements": [mrkdwn(f"{i}") for i in range(n)]}],
        10,
        ["no more than 10 items allowed [json-pointer:/blocks/0/elements]"],
    ),
    (
        "25 actions elements",
        lambda n: [actions(*(button(action_id=f"b{i}") for i in range(n)))],
        25,
        ["no more than 25 items allowed [json-pointer:/blocks/0/elements]"],
    ),
    (
        "button text 75",
        lambda n: [actions(button(text="x" * n))],
        75,
        [
            f"{SCHEMAS} [json-pointer:/blocks/0/elements/0/text]",
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ],
    ),
    (
        "button value 2,000",
        lambda n: [actions(button(value="x" * n))],
        2000,
        ["must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"],
    ),
    (
        "action_id 255",
        lambda n: [actions(button(action_id="x" * n))],
        255,
        ["must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"],
    ),
    (
        "block_id 255",
        lambda n: [section(block_id="x" * n)],
        255,
        ["must be less than 256 characters [json-pointer:/blocks/0/block_id]"],
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "limit", "says"), MESSAGE_LIMITS, ids=[c[0] for c in MESSAGE_LIMITS]
)
def test_a_message_at_the_limit_posts_and_one_past_it_is_refused(name, build, limit, says) -> None:
    assert message_problems(build(limit)) == []
    assert message_problems(build(limit + 1)) == says
    refused = review("chat.postMessage", {"channel": "C1", "text": "t", "blocks": build(limit + 1)})
    assert refused.refusal == {
        "ok": False,
        "error": "invalid_blocks",
        "errors": says,
        "response_metadata": {"messages": [f"[ERROR] {s}" for s in says]},
    }


VIEW_LIMITS: list[tuple[str, Callable[[int], dict], int, list[str]]] = [
    (
        "100 blocks a view",
        lambda n: modal([section(f"{i}") for i in range(n)]),
        100,
        ["no more than 100 items allowed [json-pointer:/view/blocks]"],
    ),
    (
        "modal title 24",
        lambda n: modal(title=plain("x" * n)),
        24,
        [
            f"{SCHEMAS} [json-pointer:/view/title]",
            "must be less than 25 characters [json-pointer:/view/title/text]",
        ],
    ),
    (
        "modal submit 24",
        lambda n: modal(submit=plain("x" * n)),
        24,
        [
            f"{SCHEMAS} [json-pointer:/view/submit]",
            "must be less than 25 characters [json-pointer:/view/submit/text]",
        ],
    ),
    (
        "modal close 24",
        lambda n: modal(close=plain("x" * n)),
        24,
        [
            f"{SCHEMAS} [json-pointer:/view/close]",
            "must be less than 25 characters [json-pointer:/view/close/text]",
        ],
    ),
    (
        "private_metadata 3,000",
        lambda n: modal(private_metadata="x" * n),
        3000,
        [
            f"{SCHEMAS} [json-pointer:/view]",
            "must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ],
    ),
    (
        "callback_id 255",
        lambda n: modal(callback_id="x" * n),
        255,
        [
            f"{SCHEMAS} [json-pointer:/view]",
            "must be less than 256 characters [json-pointer:/view/callback_id]",
        ],
    ),
    (
        "input label 2,000",
        lambda n: modal([text_input("x" * n)]),
        2000,
        [
            f"{SCHEMAS} [json-pointer:/view/blocks/0/label]",
            "must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]",
        ],
    ),
    (
        "text input max_length 3,000",
        lambda n: modal([text_input(max_length=n)]),
        3000,
        ["must be a number between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]"],
    ),
]


@pytest.mark.parametrize(("name", "build", "limit", "says"), VIEW_LIMITS, ids=[c[0] for c in VIEW_LIMITS])
def test_a_view_at_the_limit_opens_and_one_past_it_is_refused(name, build, limit, says) -> None:
    assert view_problems(build(limit)) == []
    assert view_problems(build(limit + 1)) == says
    for method in sorted(blockkit.VIEW_METHODS):
        refused = review(method, {"view": build(limit + 1)})
        assert refused.refusal == {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] {s}" for s in says]},
        }


def test_a_home_tab_holds_100_blocks_too() -> None:
    home = {"type": "home", "blocks": [section(f"{i}") for i in range(100)]}
    assert view_problems(home) == []
    home["blocks"].append(section("one more"))
    assert view_problems(home) == ["no more than 100 items allowed [json-pointer:/view/blocks]"]


def test_a_message_past_12000_characters_of_block_text_is_msg_blocks_too_long() -> None:
    # Four sections of 2,900 and one of 400: 12,000 characters of text, within every block's own limit.
    at_line = [section("x" * 2900) for _ in range(4)] + [section("x" * 400)]
    assert blockkit.blocks_text(at_line) == 12_000
    assert review("chat.postMessage", {"channel": "C1", "text": "t", "blocks": at_line}).refusal is None
    past = [*at_line, {"type": "context", "elements": [mrkdwn("y")]}]
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"):
        refused = review(method, {"channel": "C1", "text": "t", "blocks": past})
        assert refused.refusal == {"ok": False, "error": "msg_blocks_too_long"}  # Slack says no more
        assert "12,001 characters" in refused.detail


def test_every_text_in_the_blocks_counts_towards_the_12000() -> None:
    blocks = [
        {"type": "header", "text": plain("abc")},
        {"type": "section", "text": mrkdwn("de"), "fields": [mrkdwn("f")]},
        {"type": "context", "elements": [mrkdwn("gh"), plain("i")]},
        actions(button(text="jk", value="not text")),
    ]
    assert blockkit.blocks_text(blocks) == len("abcdefghijk")


def test_text_past_40000_characters_is_cut_and_posted_with_slacks_warning() -> None:
    assert review("chat.postMessage", {"channel": "C1", "text": "x" * 40_000}).warnings == ()
    long = review("chat.postMessage", {"channel": "C1", "text": "x" * 40_001})
    assert long.refusal is None
    assert long.params["text"] == "x" * 40_000
    assert long.answer({"ok": True, "ts": "1.2"}) == {
        "ok": True,
        "ts": "1.2",
        "warning": "message_truncated",
        "response_metadata": {
            "warnings": ["message_truncated"],
            "messages": [
                "[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters."
            ],
        },
    }
    assert review("chat.update", {"channel": "C1", "ts": "1.2", "text": "x" * 40_001}).refusal == {
        "ok": False,
        "error": "msg_too_long",
    }


# --- rules that aren't lengths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "says"),
    [
        (
            [section("")],
            [
                f"{SCHEMAS} [json-pointer:/blocks/0/text]",
                "must be more than 0 characters [json-pointer:/blocks/0/text/text]",
            ],
        ),
        (
            [{"type": "header", "text": plain("")}],
            [
                f"{SCHEMAS} [json-pointer:/blocks/0/text]",
                "must be more than 0 characters [json-pointer:/blocks/0/text/text]",
            ],
        ),
        (
            [{"type": "context", "elements": [mrkdwn("")]}],
            ["must be more than 0 characters [json-pointer:/blocks/0/elements/0/text]"],
        ),
        (
            [actions(button(text=""))],
            [
                f"{SCHEMAS} [json-pointer:/blocks/0/elements/0/text]",
                "must be more than 0 characters [json-pointer:/blocks/0/elements/0/text/text]",
            ],
        ),
        (
            [{"type": "context", "elements": []}],
            ["must provide at least 1 items [json-pointer:/blocks/0/elements]"],
        ),
        ([actions()], ["must provide at least 1 items [json-pointer:/blocks/0/elements]"]),
    ],
    ids=["section", "header", "context", "button", "context without elements", "actions without elements"],
)
def test_no_empty_text_objects_or_element_lists(blocks, says) -> None:
    assert message_problems(blocks) == says


def test_block_ids_are_unique_within_a_message_and_a_view() -> None:
    assert message_problems([section(block_id="a"), section(block_id="b")]) == []
    assert message_problems([section(block_id="a"), section(block_id="a")]) == [
        "duplicate block_id in this message: a [json-pointer:/blocks/1/block_id]"
    ]
    assert view_problems(modal([section(block_id="a"), actions(button(), block_id="a")])) == [
        "duplicate block_id in this view: a [json-pointer:/view/blocks/1/block_id]"
    ]


def test_action_ids_are_unique_within_a_block_not_across_blocks() -> None:
    assert message_problems([actions(button(action_id="go")), actions(button(action_id="go"))]) == []
    assert message_problems([actions(button(action_id="go"), button(action_id="go"))]) == [
        "duplicate action_id in this block: go [json-pointer:/blocks/0/elements/1/action_id]"
    ]


def test_header_text_is_plain_text_only() -> None:
    assert message_problems([{"type": "header", "text": mrkdwn("*Standup*")}]) == [
        f"{SCHEMAS} [json-pointer:/blocks/0/text]",
        "must be a valid enum value [json-pointer:/blocks/0/text/type]",
    ]


def test_unknown_types_and_properties_are_refused() -> None:
    assert message_problems([{"type": "sectoin", "text": mrkdwn("x")}]) == [
        "unsupported type: sectoin [json-pointer:/blocks/0/type]"
    ]
    assert message_problems([actions({"type": "plain_text_input", "action_id": "v"})]) == [
        "unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]"
    ]
    assert message_problems([section(style="primary")]) == [
        "invalid additional property: style [json-pointer:/blocks/0/style]"
    ]
    assert message_problems([{"type": "section"}]) == [
        "must provide either `text` or `fields` [json-pointer:/blocks/0]"
    ]


def test_an_input_in_a_modal_needs_a_submit_button() -> None:
    view = modal([text_input()])
    assert view_problems(view) == []
    del view["submit"]
    assert view_problems(view) == [
        "must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0/input]"
    ]


def test_a_modal_needs_a_title_and_a_home_tab_has_no_buttons_of_its_own() -> None:
    untitled = modal()
    del untitled["title"]
    assert view_problems(untitled) == ["missing required field: title [json-pointer:/view]"]
    assert view_problems({"type": "home", "blocks": [section()], "submit": plain("Save")}) == [
        "invalid additional property: submit [json-pointer:/view/submit]"
    ]


def test_slack_sdks_models_have_the_last_word_on_blocks_the_fake_leaves_to_them() -> None:
    # A markdown block the fake doesn't walk itself: slack_sdk's MarkdownBlock knows its 12,000.
    assert message_problems([{"type": "markdown", "text": "x" * 12_000}]) == []
    assert message_problems([{"type": "markdown", "text": "x" * 12_001}]) == [
        "text attribute cannot exceed 12000 characters [json-pointer:/blocks/0]"
    ]


def test_blocks_that_are_not_a_json_array_are_invalid_blocks_format() -> None:
    for blocks in ("[{", '{"type": "section"}'):
        refused = review("chat.postMessage", {"channel": "C1", "text": "t", "blocks": blocks})
        assert refused.refusal == {"ok": False, "error": "invalid_blocks_format"}


def test_the_bots_own_shapes_pass() -> None:
    blocks = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": "Weekly standup — Sales East", "emoji": True},
        },
        section("*Last week*\n• cold calls 412/500"),
        {"type": "divider"},
        actions(button(), button(text="Share my week", action_id="share_week"), block_id="standup_actions"),
        {"type": "context", "elements": [mrkdwn("Your own numbers stay between you and your manager")]},
    ]
    assert message_problems(blocks) == []
    view = modal(
        [
            {
                "type": "input",
                "block_id": "calls",
                "optional": True,
                "label": plain("Cold calls"),
                "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": False},
            },
            {
                "type": "input",
                "block_id": "day",
                "label": plain("Day"),
                "element": {"type": "datepicker", "action_id": "value", "initial_date": "2026-11-27"},
            },
        ],
        private_metadata=json.dumps({"team_id": 7}),
    )
    assert view_problems(view) == []


# --- over HTTP, as the bot's client meets it --------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake
        fake.take_refusals()  # these tests are refused on purpose


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=fake.token, base_url=fake.api_url, timeout=5)


TOO_LONG = [section("x" * 3001)]
SAYS = [
    f"{SCHEMAS} [json-pointer:/blocks/0/text]",
    "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
]


def test_chat_methods_answer_invalid_blocks_in_slacks_shape(client: WebClient, fake: FakeSlack) -> None:
    calls = [
        lambda: client.chat_postMessage(channel="C0SALES", text="t", blocks=TOO_LONG),
        lambda: client.chat_postEphemeral(channel="C0SALES", user="U0REP1", text="t", blocks=TOO_LONG),
        lambda: client.chat_update(channel="C0SALES", ts="1.000100", text="t", blocks=TOO_LONG),
    ]
    for call in calls:
        with pytest.raises(SlackApiError) as refused:
            call()
        assert refused.value.response.status_code == 200
        assert refused.value.response.data == {
            "ok": False,
            "error": "invalid_blocks",
            "errors": SAYS,
            "response_metadata": {"messages": [f"[ERROR] {s}" for s in SAYS]},
        }
    assert [r.method for r in fake.take_refusals()] == [
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
    ]
    assert all(c.refused for c in fake.calls())
    assert "must be less than 3001 characters" in fake.transcript()
    assert client.conversations_history(channel="C0SALES")["messages"] == []  # nothing was posted


def test_a_message_too_long_for_slack_is_refused_over_http(client: WebClient, fake: FakeSlack) -> None:
    blocks = [section("x" * 2900) for _ in range(5)]
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0SALES", text="t", blocks=blocks)
    assert refused.value.response.data == {"ok": False, "error": "msg_blocks_too_long"}
    [refusal] = fake.take_refusals()
    assert "14,500 characters of text in 5 blocks" in refusal.detail


def test_views_answer_invalid_arguments_in_slacks_shape(client: WebClient, fake: FakeSlack) -> None:
    view = modal(title=plain("Log activity for this week"))  # 26 characters
    calls = [
        lambda: client.views_open(trigger_id="1.2.abc", view=view),
        lambda: client.views_push(trigger_id="1.2.abc", view=view),
        lambda: client.views_update(view_id="V0001", view=view),
    ]
    for call in calls:
        with pytest.raises(SlackApiError) as refused:
            call()
        assert refused.value.response.data == {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {
                "messages": [
                    f"[ERROR] {SCHEMAS} [json-pointer:/view/title]",
                    "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
                ]
            },
        }
    home = {"type": "home", "blocks": [section(f"{i}") for i in range(101)]}
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(user_id="U0REP1", view=home)
    assert refused.value.response["response_metadata"]["messages"] == [
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
    ]
    assert len(fake.take_refusals()) == 4


def test_a_response_url_answers_400_with_the_error_code(fake: FakeSlack) -> None:
    url = fake.response_url()
    answer = WebhookClient(url, timeout=5).send(text="t", blocks=TOO_LONG)
    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert fake.unique_response(url).refused
    assert "[refused:" in fake.transcript()
    ok = WebhookClient(fake.response_url(), timeout=5).send(text="t", blocks=[section("fine")])
    assert (ok.status_code, ok.body) == (200, "ok")
    [refusal] = fake.take_refusals()
    assert (refusal.method, refusal.error) == ("response_url", "invalid_blocks")


def test_a_long_text_posts_cut_with_a_warning(client: WebClient, fake: FakeSlack) -> None:
    posted = client.chat_postMessage(channel="C0SALES", text="x" * 40_010)
    assert posted["warning"] == "message_truncated"
    assert posted["message"]["text"] == "x" * 40_000
    assert fake.take_refusals() == []


def test_a_refusal_nobody_takes_is_left_for_the_suite_to_fail_the_test(
    client: WebClient, fake: FakeSlack
) -> None:
    mark = len(refusals_since())
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0SALES", text="t", blocks=TOO_LONG)
    [left] = refusals_since(mark)  # what tests/conftest.py fails a test for
    assert (left.method, left.error) == ("chat.postMessage", "invalid_blocks")
    assert fake.take_refusals() == [left]
    assert refusals_since(mark) == []


# --- an ack's body, read by the same rules --------------------------------------------------------


@pytest.fixture
def acking() -> Iterator[tuple[str, list[bytes]]]:
    """A stand-in for the bot that acks every request with the next body in the list."""
    answers: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = answers.pop(0)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answers
    finally:
        server.shutdown()
        server.server_close()


def test_an_ack_slack_would_refuse_counts_as_a_refusal(acking) -> None:
    url, answers = acking
    sender = SlackSender(url, secret="s")
    mark = len(refusals_since())
    answers.append(json.dumps({"text": "ok", "blocks": [section("fine")]}).encode())
    sender.command("/team", "", user_id="U0BOSS")
    assert refusals_since(mark) == []
    answers.append(json.dumps({"text": "t", "blocks": [section("x" * 2900) for _ in range(5)]}).encode())
    sender.command("/team", "", user_id="U0BOSS")
    answers.append(json.dumps({"response_action": "push", "view": modal(title=plain("x" * 25))}).encode())
    sender.command("/log", "", user_id="U0REP1")
    refused = refusals_since(mark)
    assert [(r.method, r.error) for r in refused] == [
        ("ack", "msg_blocks_too_long"),
        ("ack", "invalid_arguments"),
    ]
    forget_refusals()  # taken: this test means them
