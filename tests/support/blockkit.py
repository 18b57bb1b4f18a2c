"""Slack's Block Kit rules, as the fake Slack applies them to every message and view it receives.

A fake that accepts anything hides exactly the bugs users meet: a section past 3,000 characters, a
51st block, two buttons with one ``action_id``, a modal title one character too long. Slack refuses
those, and says where; so does this module, in Slack's words and shapes:

* ``chat.postMessage``, ``chat.update``, ``chat.postEphemeral`` (as Slack answers them, HTTP 200)::

    {"ok": false, "error": "invalid_blocks",
     "errors": ["failed to match all allowed schemas [json-pointer:/blocks/0/text]",
                "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
     "response_metadata": {"messages": ["[ERROR] failed to match all allowed schemas [json-pointer:/blocks/0/text]",
                                        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]}}

  and ``{"ok": false, "error": "msg_blocks_too_long"}`` — with no detail, as Slack gives none — when the
  blocks carry more than :data:`BLOCKS_TEXT` characters of text in all (slackapi/bolt-js #2509, #2867:
  Slack's own "12,000 text characters", undocumented, refused from about 11,300 to 13,300 depending on
  the blocks around the text; this fake counts every ``text`` string and holds the line at 12,000).
* ``views.open``, ``views.push``, ``views.update``, ``views.publish``: ``{"ok": false, "error":
  "invalid_arguments", "response_metadata": {"messages": ["[ERROR] must be less than 25 characters
  [json-pointer:/view/title/text]"]}}``.
* A ``response_url``: HTTP 400 with the bare error code as its body (``invalid_blocks``), as Slack
  answers webhooks.
* ``text`` past 40,000 characters is cut there and posted all the same, with Slack's
  ``message_truncated`` warning (api.slack.com/changelog/2018-04-truncating-really-long-messages);
  ``chat.update`` answers ``msg_too_long`` instead (its documented error).

The limits come from slack_sdk's Block Kit models where they carry them (``SectionBlock.text_max_length``,
``View.title_max_length``…), and from Slack's reference pages where they don't; every block this
module knows is also built with slack_sdk's models (``Block.parse(...).to_dict()``), whose validators
have the last word. Slack's wording for a repeated ``block_id`` or ``action_id`` isn't on record; the
messages for those say what is wrong in the same form.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    ImageElement,
    InputBlock,
    InteractiveElement,
    OverflowMenuElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

__all__ = [
    "BLOCKS_TEXT",
    "MESSAGE_BLOCKS",
    "TEXT_LIMIT",
    "VIEW_BLOCKS",
    "Review",
    "blocks_text",
    "message_problems",
    "review",
    "view_problems",
]

# --- the limits -------------------------------------------------------------------------------

MESSAGE_BLOCKS = 50  # blocks in a message (Slack's block reference; slack_sdk has no constant)
VIEW_BLOCKS = View.blocks_max_length  # 100 in a modal or Home tab
BLOCKS_TEXT = 12_000  # text characters of a message's blocks, all told: msg_blocks_too_long past it
TEXT_LIMIT = 40_000  # a message's top-level ``text``: cut here (chat.update: msg_too_long)

BLOCK_ID = Block.block_id_max_length  # 255
SECTION_TEXT = SectionBlock.text_max_length  # 3,000
SECTION_FIELDS = SectionBlock.fields_max_length  # 10
FIELD_TEXT = 2000  # each of a section's fields
HEADER_TEXT = HeaderBlock.text_max_length  # 150
CONTEXT_ELEMENTS = ContextBlock.elements_max_length  # 10
CONTEXT_TEXT = 3000  # a text object's own maximum (composition objects reference)
ACTIONS_ELEMENTS = ActionsBlock.elements_max_length  # 25
INPUT_LABEL = InputBlock.label_max_length  # 2,000
INPUT_HINT = InputBlock.hint_max_length  # 2,000
ACTION_ID = InteractiveElement.action_id_max_length  # 255
BUTTON_TEXT = ButtonElement.text_max_length  # 75
BUTTON_VALUE = ButtonElement.value_max_length  # 2,000
BUTTON_URL = ButtonElement.url_max_length  # 3,000
ACCESSIBILITY_LABEL = 75
PLACEHOLDER = 150  # an input element's placeholder
TEXT_INPUT_LENGTH = 3000  # plain_text_input's min_length / max_length
OPTIONS = StaticSelectElement.options_max_length  # 100 in a select
OVERFLOW_OPTIONS = OverflowMenuElement.options_max_length  # 5
CHOICE_OPTIONS = 10  # checkboxes, radio buttons
OPTION_TEXT = 75
OPTION_VALUE = 150
IMAGE_URL = ImageElement.image_url_max_length  # 3,000
ALT_TEXT = ImageElement.alt_text_max_length  # 2,000
VIEW_TITLE = View.title_max_length  # 24
VIEW_SUBMIT = View.submit_max_length  # 24
VIEW_CLOSE = View.close_max_length  # 24
PRIVATE_METADATA = View.private_metadata_max_length  # 3,000
CALLBACK_ID = View.callback_id_max_length  # 255
EXTERNAL_ID = 255

# Methods whose params carry a message's ``text`` / ``blocks``, and those that carry a ``view``.
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"})
VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})
RESPONSE_URL = "response_url"


def _less_than(limit: int) -> str:
    return f"must be less than {limit + 1} characters"


def _at_most(limit: int) -> str:
    return f"no more than {limit} items allowed"


EMPTY = "must be more than 0 characters"
NO_ITEMS = "must provide at least 1 items"
SCHEMAS = "failed to match all allowed schemas"
ENUM = "must be a valid enum value"

# --- walking blocks ---------------------------------------------------------------------------


@dataclass
class _Walk:
    """The problems found so far, each as Slack words it: ``<what> [json-pointer:<where>]``."""

    problems: list[str] = field(default_factory=list)

    def fail(self, at: str, what: str) -> None:
        self.problems.append(f"{what} [json-pointer:{at}]")

    # --- primitives

    def keys(self, obj: dict, at: str, allowed: Iterable[str]) -> None:
        for key in obj:
            if key not in allowed:
                self.fail(f"{at}/{key}", f"invalid additional property: {key}")

    def string(self, obj: dict, key: str, at: str, *, limit: int, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(at, f"missing required field: {key}")
            return None
        if not isinstance(value, str):
            self.fail(f"{at}/{key}", "must be a string")
            return None
        if not value and required:
            self.fail(f"{at}/{key}", EMPTY)
        elif len(value) > limit:
            self.fail(f"{at}/{key}", _less_than(limit))
        return value

    def boolean(self, obj: dict, key: str, at: str) -> None:
        if key in obj and not isinstance(obj[key], bool):
            self.fail(f"{at}/{key}", "must be a boolean")

    def items(self, obj: dict, key: str, at: str, *, limit: int, required: bool = True) -> list:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(at, f"missing required field: {key}")
            return []
        if not isinstance(value, list):
            self.fail(f"{at}/{key}", "must be an array")
            return []
        if not value and required:
            self.fail(f"{at}/{key}", NO_ITEMS)
        elif len(value) > limit:
            self.fail(f"{at}/{key}", _at_most(limit))
        return value

    def text(
        self,
        obj: dict,
        key: str,
        at: str,
        *,
        limit: int,
        plain: bool = False,
        required: bool = True,
    ) -> None:
        """A text object: ``plain_text`` (or ``mrkdwn`` where allowed), never empty, within ``limit``."""
        value = obj.get(key)
        where = f"{at}/{key}"
        if value is None:
            if required:
                self.fail(at, f"missing required field: {key}")
            return
        before = len(self.problems)
        self.text_object(value, where, limit=limit, plain=plain)
        if len(self.problems) > before:  # Slack names the object that matched none of its schemas first
            self.problems.insert(before, f"{SCHEMAS} [json-pointer:{where}]")

    def text_object(self, value: Any, at: str, *, limit: int, plain: bool = False) -> None:
        if not isinstance(value, dict):
            self.fail(at, "must be an object")
            return
        kind = value.get("type")
        if kind not in (("plain_text",) if plain else ("plain_text", "mrkdwn")):
            self.fail(f"{at}/type", ENUM)
            return
        self.keys(
            value, at, ("type", "text", "emoji") if kind == "plain_text" else ("type", "text", "verbatim")
        )
        self.boolean(value, "emoji", at)
        self.boolean(value, "verbatim", at)
        self.string(value, "text", at, limit=limit, required=True)

    # --- blocks

    def blocks(self, blocks: Any, at: str, *, limit: int, surface: str) -> None:
        if not isinstance(blocks, list):
            self.fail(at, "must be an array")
            return
        if len(blocks) > limit:
            self.fail(at, _at_most(limit))
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            where = f"{at}/{i}"
            if not isinstance(block, dict):
                self.fail(where, "must be an object")
                continue
            block_id = block.get("block_id")
            if isinstance(block_id, str):
                if block_id in seen:
                    self.fail(f"{where}/block_id", f"duplicate block_id in this {surface}: {block_id}")
                seen.add(block_id)
            before = len(self.problems)
            self.block(block, where, surface=surface)
            if len(self.problems) == before:
                self.by_slack_sdk(block, where)

    def block(self, block: dict, at: str, *, surface: str) -> None:
        kind = block.get("type")
        if kind is None:
            self.fail(at, "missing required field: type")
            return
        self.string(block, "block_id", at, limit=BLOCK_ID)
        check = _BLOCKS.get(kind)
        if check is not None:
            check(self, block, at)
        elif kind not in _OTHER_BLOCKS:
            self.fail(f"{at}/type", f"unsupported type: {kind}")

    def section(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "text", "fields", "accessory", "expand"))
        if "text" not in block and "fields" not in block:
            self.fail(at, "must provide either `text` or `fields`")
        self.text(block, "text", at, limit=SECTION_TEXT, required=False)
        for i, item in enumerate(self.items(block, "fields", at, limit=SECTION_FIELDS, required=False)):
            self.text_object(item, f"{at}/fields/{i}", limit=FIELD_TEXT)
        self.boolean(block, "expand", at)
        if "accessory" in block:
            self.element(block["accessory"], f"{at}/accessory", allowed=_ACCESSORIES)

    def divider(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id"))

    def header(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "text", "level"))
        self.text(block, "text", at, limit=HEADER_TEXT, plain=True)

    def context(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "elements"))
        for i, item in enumerate(self.items(block, "elements", at, limit=CONTEXT_ELEMENTS)):
            where = f"{at}/elements/{i}"
            if isinstance(item, dict) and item.get("type") == "image":
                self.image_element(item, where)
            else:
                self.text_object(item, where, limit=CONTEXT_TEXT)

    def actions(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "elements"))
        action_ids: set[str] = set()
        for i, item in enumerate(self.items(block, "elements", at, limit=ACTIONS_ELEMENTS)):
            where = f"{at}/elements/{i}"
            self.element(item, where, allowed=_ACTION_ELEMENTS)
            action_id = item.get("action_id") if isinstance(item, dict) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    self.fail(f"{where}/action_id", f"duplicate action_id in this block: {action_id}")
                action_ids.add(action_id)

    def input(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "label", "element", "hint", "optional", "dispatch_action"))
        self.text(block, "label", at, limit=INPUT_LABEL, plain=True)
        self.text(block, "hint", at, limit=INPUT_HINT, plain=True, required=False)
        self.boolean(block, "optional", at)
        self.boolean(block, "dispatch_action", at)
        if "element" not in block:
            self.fail(at, "missing required field: element")
        else:
            self.element(block["element"], f"{at}/element", allowed=_INPUT_ELEMENTS)

    def image_block(self, block: dict, at: str) -> None:
        self.keys(block, at, ("type", "block_id", "image_url", "slack_file", "alt_text", "title"))
        if "image_url" not in block and "slack_file" not in block:
            self.fail(at, "must provide either `image_url` or `slack_file`")
        self.string(block, "image_url", at, limit=IMAGE_URL)
        self.string(block, "alt_text", at, limit=ALT_TEXT, required=True)
        self.text(block, "title", at, limit=ALT_TEXT, plain=True, required=False)

    # --- elements

    def element(self, item: Any, at: str, *, allowed: frozenset[str]) -> None:
        if not isinstance(item, dict):
            self.fail(at, "must be an object")
            return
        kind = item.get("type")
        if kind is None:
            self.fail(at, "missing required field: type")
            return
        if kind not in allowed:
            self.fail(f"{at}/type", f"unsupported type: {kind}")
            return
        self.string(item, "action_id", at, limit=ACTION_ID)
        self.boolean(item, "focus_on_load", at)
        check = _ELEMENTS.get(kind)
        if check is not None:
            check(self, item, at)
        if "placeholder" in item:
            self.text(item, "placeholder", at, limit=PLACEHOLDER, plain=True)

    def button(self, item: dict, at: str) -> None:
        self.keys(
            item,
            at,
            ("type", "text", "action_id", "url", "value", "style", "confirm", "accessibility_label"),
        )
        self.text(item, "text", at, limit=BUTTON_TEXT, plain=True)
        self.string(item, "value", at, limit=BUTTON_VALUE)
        self.string(item, "url", at, limit=BUTTON_URL)
        self.string(item, "accessibility_label", at, limit=ACCESSIBILITY_LABEL)
        if "style" in item and item["style"] not in ("primary", "danger"):
            self.fail(f"{at}/style", ENUM)

    def datepicker(self, item: dict, at: str) -> None:
        self.keys(item, at, ("type", "action_id", "initial_date", "confirm", "focus_on_load", "placeholder"))
        initial = self.string(item, "initial_date", at, limit=10)
        if initial is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", initial):
            self.fail(f"{at}/initial_date", "must match the format YYYY-MM-DD")

    def timepicker(self, item: dict, at: str) -> None:
        self.keys(
            item,
            at,
            ("type", "action_id", "initial_time", "confirm", "focus_on_load", "placeholder", "timezone"),
        )
        initial = self.string(item, "initial_time", at, limit=5)
        if initial is not None and not re.fullmatch(r"\d{2}:\d{2}", initial):
            self.fail(f"{at}/initial_time", "must match the format HH:mm")

    def number_input(self, item: dict, at: str) -> None:
        self.keys(
            item,
            at,
            (
                "type",
                "is_decimal_allowed",
                "action_id",
                "initial_value",
                "min_value",
                "max_value",
                "dispatch_action_config",
                "focus_on_load",
                "placeholder",
            ),
        )
        if "is_decimal_allowed" not in item:
            self.fail(at, "missing required field: is_decimal_allowed")
        self.boolean(item, "is_decimal_allowed", at)
        for key in ("initial_value", "min_value", "max_value"):
            self.string(item, key, at, limit=TEXT_INPUT_LENGTH)

    def plain_text_input(self, item: dict, at: str) -> None:
        self.keys(
            item,
            at,
            (
                "type",
                "action_id",
                "initial_value",
                "multiline",
                "min_length",
                "max_length",
                "dispatch_action_config",
                "focus_on_load",
                "placeholder",
            ),
        )
        self.boolean(item, "multiline", at)
        for key, low in (("min_length", 0), ("max_length", 1)):
            value = item.get(key)
            if value is not None and (not isinstance(value, int) or not low <= value <= TEXT_INPUT_LENGTH):
                self.fail(f"{at}/{key}", f"must be a number between {low} and {TEXT_INPUT_LENGTH}")
        self.string(item, "initial_value", at, limit=TEXT_INPUT_LENGTH)

    def select(self, item: dict, at: str) -> None:
        limit = {"overflow": OVERFLOW_OPTIONS, "checkboxes": CHOICE_OPTIONS, "radio_buttons": CHOICE_OPTIONS}
        options = item.get("options")
        if options is not None or item.get("type") in limit:
            for i, option in enumerate(
                self.items(item, "options", at, limit=limit.get(str(item.get("type")), OPTIONS))
            ):
                self.option(
                    option, f"{at}/options/{i}", mrkdwn=item.get("type") in ("checkboxes", "radio_buttons")
                )

    def option(self, option: Any, at: str, *, mrkdwn: bool) -> None:
        if not isinstance(option, dict):
            self.fail(at, "must be an object")
            return
        self.keys(option, at, ("text", "value", "description", "url"))
        self.text(option, "text", at, limit=OPTION_TEXT, plain=not mrkdwn)
        self.string(option, "value", at, limit=OPTION_VALUE, required=True)
        self.text(option, "description", at, limit=OPTION_TEXT, plain=not mrkdwn, required=False)

    def image_element(self, item: dict, at: str) -> None:
        self.keys(item, at, ("type", "image_url", "slack_file", "alt_text"))
        if "image_url" not in item and "slack_file" not in item:
            self.fail(at, "must provide either `image_url` or `slack_file`")
        self.string(item, "image_url", at, limit=IMAGE_URL)
        self.string(item, "alt_text", at, limit=ALT_TEXT, required=True)

    # --- slack_sdk's models, the second opinion

    def by_slack_sdk(self, block: dict, at: str) -> None:
        """Build the block with slack_sdk's models: their validators have the last word."""
        sdk_log = logging.getLogger("slack_sdk.models")
        quiet, sdk_log.disabled = sdk_log.disabled, True  # it logs, rather than fails, on what it skips
        try:
            parsed = Block.parse(block)
            if parsed is None:
                self.fail(f"{at}/type", f"unsupported type: {block.get('type')}")
                return
            parsed.to_dict()
        except SlackObjectFormationError as err:
            self.fail(at, str(err))
        except (TypeError, ValueError, AttributeError, KeyError):
            self.fail(at, SCHEMAS)
        finally:
            sdk_log.disabled = quiet


_BLOCKS: dict[str, Callable[[_Walk, dict, str], None]] = {
    "section": _Walk.section,
    "divider": _Walk.divider,
    "header": _Walk.header,
    "context": _Walk.context,
    "actions": _Walk.actions,
    "input": _Walk.input,
    "image": _Walk.image_block,
}
# Block types Slack knows that the bot doesn't send: left to slack_sdk's models alone.
_OTHER_BLOCKS = frozenset(
    {"rich_text", "markdown", "video", "file", "call", "table", "context_actions", "card", "alert"}
)
_SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
_ELEMENTS: dict[str, Callable[[_Walk, dict, str], None]] = {
    "button": _Walk.button,
    "datepicker": _Walk.datepicker,
    "timepicker": _Walk.timepicker,
    "number_input": _Walk.number_input,
    "plain_text_input": _Walk.plain_text_input,
    "image": _Walk.image_element,
    "overflow": _Walk.select,
    "checkboxes": _Walk.select,
    "radio_buttons": _Walk.select,
    **dict.fromkeys(_SELECTS, _Walk.select),
}
_ACTION_ELEMENTS = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "overflow",
        "radio_buttons",
        "timepicker",
        "workflow_button",
        "rich_text_input",
        *_SELECTS,
    }
)
_ACCESSORIES = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "image",
        "overflow",
        "radio_buttons",
        "timepicker",
        "workflow_button",
        *_SELECTS,
    }
)
_INPUT_ELEMENTS = frozenset(
    {
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "file_input",
        "number_input",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "timepicker",
        "url_text_input",
        *_SELECTS,
    }
)

# --- messages and views -----------------------------------------------------------------------


def blocks_text(blocks: Any) -> int:
    """The characters of text a message's blocks carry, all told: every ``text`` string in them."""
    if isinstance(blocks, list):
        return sum(blocks_text(b) for b in blocks)
    if isinstance(blocks, dict):
        return sum(
            len(value) if key == "text" and isinstance(value, str) else blocks_text(value)
            for key, value in blocks.items()
        )
    return 0


def message_problems(blocks: Any) -> list[str]:
    """What Slack would say about a message's ``blocks`` (empty: nothing)."""
    walk = _Walk()
    walk.blocks(blocks, "/blocks", limit=MESSAGE_BLOCKS, surface="message")
    return walk.problems


def view_problems(view: Any) -> list[str]:
    """What Slack would say about a ``view`` (empty: nothing)."""
    walk = _Walk()
    at = "/view"
    if not isinstance(view, dict):
        walk.fail(at, "must be an object")
        return walk.problems
    kind = view.get("type")
    if kind not in ("modal", "home", "workflow_step"):
        walk.fail(f"{at}/type", ENUM)
        return walk.problems
    walk.keys(
        view,
        at,
        (
            "type",
            "title",
            "blocks",
            "close",
            "submit",
            "private_metadata",
            "callback_id",
            "clear_on_close",
            "notify_on_close",
            "external_id",
            "submit_disabled",
        ),
    )
    if kind == "modal":
        walk.text(view, "title", at, limit=VIEW_TITLE, plain=True)
        walk.text(view, "submit", at, limit=VIEW_SUBMIT, plain=True, required=False)
        walk.text(view, "close", at, limit=VIEW_CLOSE, plain=True, required=False)
    elif kind == "home":
        for key in ("submit", "close"):
            if key in view:
                walk.fail(f"{at}/{key}", f"invalid additional property: {key}")
    before = len(walk.problems)
    for key, limit in (
        ("private_metadata", PRIVATE_METADATA),
        ("callback_id", CALLBACK_ID),
        ("external_id", EXTERNAL_ID),
    ):
        walk.string(view, key, at, limit=limit)
    if len(walk.problems) > before:
        walk.problems.insert(before, f"{SCHEMAS} [json-pointer:{at}]")
    walk.boolean(view, "clear_on_close", at)
    walk.boolean(view, "notify_on_close", at)
    blocks = view.get("blocks")
    if blocks is None:
        walk.fail(at, "missing required field: blocks")
        return walk.problems
    walk.blocks(blocks, f"{at}/blocks", limit=VIEW_BLOCKS, surface="view")
    if kind == "modal" and "submit" not in view and isinstance(blocks, list):
        for i, block in enumerate(blocks):
            if isinstance(block, dict) and block.get("type") == "input":
                walk.fail(f"{at}/blocks/{i}/input", "must define `submit` to use an `input` block in modals")
                break
    if not walk.problems:
        try:
            View(**view).validate_json()
        except SlackObjectFormationError as err:
            walk.fail(at, str(err))
    return walk.problems


# --- what the fake answers --------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """The fake's reading of one payload: the params to go on with (``text`` cut to the limit),
    Slack's refusal if it refuses, and the warnings of an answer that goes through."""

    params: dict[str, Any]
    refusal: dict[str, Any] | None = None
    detail: str = ""  # for the transcript: what exactly was wrong
    warnings: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()

    @property
    def error(self) -> str | None:
        return None if self.refusal is None else str(self.refusal.get("error"))

    def answer(self, answer: dict[str, Any]) -> dict[str, Any]:
        """A successful answer, with the warnings Slack attaches to it."""
        if not self.warnings or not answer.get("ok"):
            return answer
        metadata = dict(answer.get("response_metadata") or {})
        metadata["warnings"] = [*metadata.get("warnings", []), *self.warnings]
        metadata["messages"] = [*metadata.get("messages", []), *self.messages]
        return {**answer, "warning": ",".join(self.warnings), "response_metadata": metadata}


def _invalid(error: str, problems: list[str], *, with_errors: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {"ok": False, "error": error}
    if with_errors:
        answer["errors"] = list(problems)
    answer["response_metadata"] = {"messages": [f"[ERROR] {p}" for p in problems]}
    return answer


def review(method: str, params: dict[str, Any]) -> Review:
    """Read a payload as Slack does before acting on it (methods it doesn't concern pass as they are)."""
    if method in VIEW_METHODS:
        if "view" not in params:
            return Review(params)  # the method's own checks answer a missing view
        view = params["view"]
        if isinstance(view, str):
            with contextlib.suppress(ValueError):
                view = json.loads(view)
        problems = view_problems(view)
        if problems:
            refusal = _invalid("invalid_arguments", problems, with_errors=False)
            return Review(params, refusal, detail="; ".join(problems))
        return Review(params)
    if method not in MESSAGE_METHODS and method != RESPONSE_URL:
        return Review(params)
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks) if blocks else None
        except ValueError:
            return Review(
                params, {"ok": False, "error": "invalid_blocks_format"}, detail="blocks is not JSON"
            )
    if blocks is not None:
        if not isinstance(blocks, list):
            return Review(
                params, {"ok": False, "error": "invalid_blocks_format"}, detail="blocks is not an array"
            )
        problems = message_problems(blocks)
        if problems:
            return Review(
                params, _invalid("invalid_blocks", problems, with_errors=True), detail="; ".join(problems)
            )
        size = blocks_text(blocks)
        if size > BLOCKS_TEXT:
            return Review(
                params,
                {"ok": False, "error": "msg_blocks_too_long"},
                detail=f"{size:,} characters of text in {len(blocks)} blocks (Slack refuses past ~{BLOCKS_TEXT:,})",
            )
    text = params.get("text")
    if isinstance(text, str) and len(text) > TEXT_LIMIT:
        if method == "chat.update":
            return Review(
                params, {"ok": False, "error": "msg_too_long"}, detail=f"text of {len(text):,} characters"
            )
        return Review(
            {**params, "text": text[:TEXT_LIMIT]},
            warnings=("message_truncated",),
            messages=(
                "[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters.",
            ),
        )
    return Review(params)
