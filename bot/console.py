"""Console front end: `madoguchi ask`, `madoguchi chat` and `madoguchi chat --jsonl`."""

from __future__ import annotations

import json
from typing import IO

from bot.core.answer import Answer
from bot.runtime import Runtime

DEFAULT_CONVERSATION = "default"


def answer_record(conversation: str, answer: Answer, text: str) -> dict:
    """The JSON object `chat --jsonl` writes for one reply."""
    return {
        "conversation": conversation,
        "text": text,
        "kind": answer.kind,
        "category": answer.category or None,
        "prefecture": answer.prefecture or None,
        "contacts": [{"name": c.name, "phone": " / ".join(p.number for p in c.phones)} for c in answer.contacts],
        "clarify": answer.is_clarify,
    }


def ask(runtime: Runtime, question: str, out: IO[str]) -> int:
    out.write(runtime.ask("console", "console:ask", question).text + "\n")
    return 0


def chat_jsonl(runtime: Runtime, lines: IO[str], out: IO[str]) -> int:
    """One JSON object in, one JSON object out, flushed, in order; conversations are independent."""
    for raw in lines:
        line = raw.rstrip("\r\n")
        conversation, text, error = DEFAULT_CONVERSATION, line, None
        if line.lstrip().startswith("{"):
            try:
                obj = json.loads(line)
                conversation = str(obj.get("conversation") or DEFAULT_CONVERSATION)
                text = str(obj.get("text") or "")
            except (json.JSONDecodeError, AttributeError) as e:
                error = f"not a JSON object: {e}"
        if error:
            record = {"conversation": conversation, "error": error, "text": "", "kind": "error",
                      "category": None, "prefecture": None, "contacts": [], "clarify": False}
        else:
            reply = runtime.ask("jsonl", f"jsonl:{conversation}", text)
            record = answer_record(conversation, reply.answer, reply.text)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def chat_interactive(runtime: Runtime, inp: IO[str], out: IO[str]) -> int:
    """A single conversation; Ctrl-D (end of input) exits."""
    tty = inp.isatty()
    if tty:
        out.write("窓口ナビ: 相談の内容と都道府県を書いてください（例: 二重ローン 宮城）。終了は Ctrl-D です。\n")
    while True:
        if tty:
            out.write("> ")
            out.flush()
        line = inp.readline()
        if not line:
            if tty:
                out.write("\n")
            return 0
        if not line.strip():
            continue
        out.write(runtime.ask("console", "console:chat", line).text + "\n\n")
        out.flush()
