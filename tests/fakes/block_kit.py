"""Block Kit as Slack checks it, for the fake Web API: every `blocks` and `view` the bot sends is parsed with
slack_sdk's own models (`Block.parse`, their validators, unknown keys refused) and held to the limits those validators
leave out (50 blocks a message, 100 a view; 10 fields of ≤ 2,000 characters; unique action_ids; option counts). A
call that breaks one fails as Slack fails it: `invalid_blocks`, with the reasons."""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_SELECT_OPTIONS = 100
MAX_OVERFLOW_OPTIONS = 5
MAX_TEXT = 40_000  # a message's top-level text (Slack truncates beyond; the bot must not rely on that)


def problems(blocks, *, view: bool = False) -> list[str]:
    """What Slack would refuse in these blocks ([] when none)."""
    if not isinstance(blocks, list):
        return [f"blocks must be a list, not {type(blocks).__name__}"]
    limit = MAX_VIEW_BLOCKS if view else MAX_MESSAGE_BLOCKS
    found = [f"{len(blocks)} blocks: at most {limit}"] if len(blocks) > limit else []
    action_ids: list[str] = []
    for n, raw in enumerate(blocks):
        where = f"blocks[{n}]"
        if not isinstance(raw, dict) or "type" not in raw:
            found.append(f"{where}: a block needs a type")
            continue
        with _ignored_keys() as ignored:
            try:
                block = Block.parse(raw)
                if block is None:
                    found.append(f"{where}: unknown block type {raw['type']!r}")
                    continue
                block.validate_json()
            except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as e:
                found.append(f"{where} ({raw['type']}): {e}")
                continue
        found += [f"{where} ({raw['type']}): unknown keys {keys}" for keys in ignored]
        found += _limits(where, raw)
        action_ids += _action_ids(raw)
    repeated = sorted({a for a in action_ids if action_ids.count(a) > 1})
    if repeated:
        found.append(f"action_id used more than once: {repeated}")
    return found


def message_problems(params: dict) -> list[str]:
    """A chat.postMessage / chat.update / response_url payload: its blocks, and its text's length."""
    found = problems(params["blocks"]) if "blocks" in params else []
    text = params.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        found.append(f"text of {len(text)} characters: at most {MAX_TEXT}")
    return found


def view_problems(view) -> list[str]:
    if not isinstance(view, dict):
        return ["view must be an object"]
    if view.get("type") not in ("home", "modal"):
        return [f"view type {view.get('type')!r}: home or modal"]
    return problems(view.get("blocks", []), view=True)


def _limits(where: str, block: dict) -> list[str]:
    found = []
    fields = block.get("fields") or []
    if len(fields) > MAX_FIELDS:
        found.append(f"{where}: {len(fields)} fields: at most {MAX_FIELDS}")
    found += [f"{where}: a field of {len(f.get('text', ''))} characters: at most {MAX_FIELD_TEXT}"
              for f in fields if len(f.get("text", "")) > MAX_FIELD_TEXT]
    for element in _elements(block):
        options = element.get("options") or []
        limit = MAX_OVERFLOW_OPTIONS if element.get("type") == "overflow" else MAX_SELECT_OPTIONS
        if len(options) > limit:
            found.append(f"{where}: {element.get('type')} with {len(options)} options: at most {limit}")
    return found


def _elements(block: dict) -> list[dict]:
    elements = [e for e in block.get("elements") or [] if isinstance(e, dict)]
    if isinstance(block.get("accessory"), dict):
        elements.append(block["accessory"])
    return elements


def _action_ids(block: dict) -> list[str]:
    return [e["action_id"] for e in _elements(block) if isinstance(e.get("action_id"), str)]


_IGNORED = re.compile(r"constructor args \((.*?)\) were ignored")
_models = logging.getLogger("slack_sdk.models")  # where slack_sdk says (at DEBUG) which keys a model did not know
_models.setLevel(logging.DEBUG)  # once: set and reset per call, one thread's check could silence another's


@contextmanager
def _ignored_keys():
    """The keys slack_sdk's models ignored while parsing on this thread: keys Slack would refuse as unknown."""
    found: list[str] = []
    me = threading.get_ident()

    class Catch(logging.Handler):
        def emit(self, record):
            if record.thread == me:
                m = _IGNORED.search(record.getMessage())
                if m:
                    found.append(m.group(1))

    handler = Catch(logging.DEBUG)
    _models.addHandler(handler)
    try:
        yield found
    finally:
        _models.removeHandler(handler)
