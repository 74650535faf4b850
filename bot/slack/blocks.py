"""Block Kit rendering of an Answer, as plain dicts (no Slack library needed).

Same facts and sentences as the plain-text presenter, which also supplies the notification `text`.
Stays inside Slack's limits: at most 50 blocks, section text at most 3000 characters, header 150,
button values 2000, select-option values 150.
"""

from __future__ import annotations

import json

from bot.core import answer as A
from bot.core.answer import Answer
from bot.core.domain import Choice, ChoiceKind
from bot.curation.recorder import Reason
from bot.knowledge.model import Contact, Knowledge
from bot.presenters.text import TextPresenter
from bot.core.answer import MAX_NUMBERED_CHOICES
from bot.presenters.sentences import JAPANESE
from bot.presenters.wording import Wording

ACTION_CHOICE = "madoguchi_choice"
ACTION_CHOICE_SELECT = "madoguchi_choice_select"
ACTION_FEEDBACK = "madoguchi_feedback"  # Slack's feedback_buttons (👍/👎): the value says which
ACTION_FEEDBACK_GOOD = "madoguchi_feedback_good"  # the buttons of answers posted before them, still answered
ACTION_FEEDBACK_BAD = "madoguchi_feedback_bad"
ACTION_FEEDBACK_REASON = "madoguchi_feedback_reason"  # why 違う (+ _unreachable, _wrong_office, _other)
ACTION_SHARE = "madoguchi_share"
ACTION_MORE = "madoguchi_more"  # the next offices of a long answer; handled like a choice (value "more:")

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150
MAX_BUTTONS = 10  # more choices than this become a select menu
MAX_TEXT = 39_000


def escape(text: str) -> str:
    """Escape &, < and > so user or data text can never become a mention, a link or a broadcast."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encode_choice(conversation: str, value: str) -> str:
    """Value of a choice button or option: the conversation and what choosing it means."""
    return f"{conversation}|{value}"


def decode_choice(raw: str) -> tuple[str, str]:
    conversation, _, value = raw.rpartition("|")
    return conversation, value


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}}


def _context(lines: list[str]) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(line, MAX_SECTION)} for line in lines[:10]]}


class BlocksPresenter:
    def __init__(self, knowledge: Knowledge, text: TextPresenter | None = None):
        self.text = text or TextPresenter(knowledge)
        self.words = self.text.words

    def render(self, answer: Answer, conversation: str, *, feedback: bool = True, share: str = "",
               mention_hint: bool = False, more: bool = True) -> dict:
        """{"text": notification/screen-reader fallback, "blocks": [...]}; pass as chat.postMessage kwargs.
        share: the id of the kept message a 「チャンネルに共有」 button posts (no button when empty). more: the
        「ほかのN件を見る」 button (not on a copy posted for others, where it would answer the sharer's conversation)."""
        kind = answer.kind
        w = self.text.wording(answer)
        if kind in (A.CONTACTS, A.REVERSE):
            blocks = self._contacts(answer, w)
        elif kind == A.CLARIFY:
            blocks = self._clarify(answer, conversation, w)
            if mention_hint:  # mention-only install: a thread reply without a mention never reaches the bot
                blocks.append(_context([MENTION_HINT]))
        elif kind in (A.FALLBACK, A.UNKNOWN_NUMBER):
            blocks = [_section(escape("\n".join(w.fallback(answer))))]
        elif kind == A.HELP:
            blocks = [_section(escape("\n".join(w.help(answer))))]
        elif kind == A.GREETING:
            blocks = [_section(escape("\n".join(w.greeting(answer))))]
        else:
            blocks = [_section(escape("\n".join(w.thanks(answer))))]
        if answer.question and kind not in (A.GREETING, A.THANKS, A.HELP):
            # what the user asked, as plain text: never bold, a link, a #channel or a mention
            asked = {"type": "plain_text", "text": f"{w.UI['asked']}: {_cut(answer.question, 200)}", "emoji": False}
            if blocks[-1]["type"] == "context" and len(blocks[-1]["elements"]) < 10:
                blocks[-1]["elements"].append(asked)
            else:
                blocks.append({"type": "context", "elements": [asked]})
        buttons = []
        if kind == A.CONTACTS and answer.more and more:
            buttons.append(self._button(w.UI["more"].format(n=answer.more), ACTION_MORE, encode_choice(conversation, Choice.of(ChoiceKind.MORE, "").value)))
        if share:
            buttons.append(self._button(w.UI["share"], ACTION_SHARE, share, style="primary"))
        if buttons:
            blocks.append({"type": "actions", "elements": buttons})
        if feedback and kind in (A.CONTACTS, A.REVERSE, A.FALLBACK, A.UNKNOWN_NUMBER):
            # Slack's own 👍/👎 under an app's answer (a context_actions block); a client showing only the text has
            # the text, which is the whole answer
            record = {"c": conversation, "q": answer.question[:600], "k": kind, "l": w.LANGUAGE,
                      "ids": [c.id for c in answer.contacts]}
            blocks.append({"type": "context_actions", "elements": [{
                "type": "feedback_buttons", "action_id": ACTION_FEEDBACK,
                "positive_button": self._feedback_button(w.UI["good"], {**record, "f": "good"}),
                "negative_button": self._feedback_button(w.UI["bad"], {**record, "f": "bad"})}]})
        # the fallback text is mrkdwn too: & < > escaped, so that no office's name or user's word becomes markup
        return {"text": _cut(escape(self.text.render(answer)), MAX_TEXT), "blocks": _fit(blocks)}

    def reasons(self, record: dict) -> dict:
        """After 違う: thanks, and one click to say why (recorded with the offices the answer showed)."""
        w = self.text.wordings.get(str(record.get("l", "")), self.words)
        buttons = [self._button(w.UI[reason.value], f"{ACTION_FEEDBACK_REASON}_{reason.value}",  # unique in the block
                                json.dumps({**record, "r": reason.value}, ensure_ascii=False)) for reason in Reason]
        return {"text": w.UI["why_wrong"], "blocks": [_section(escape(w.UI["why_wrong"])),
                                                       {"type": "actions", "elements": buttons}]}

    def reason_thanks(self, record: dict, reason: Reason) -> str:
        w = self.text.wordings.get(str(record.get("l", "")), self.words)
        return w.UI["reason_thanks"].format(reason=w.UI[reason.value])

    # ------------------------------------------------------------------
    def _contacts(self, answer: Answer, w: Wording) -> list[dict]:
        blocks: list[dict] = []
        header = w.header(answer)
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": _cut(header, MAX_HEADER), "emoji": False}})
        opening = w.opening(answer)  # a missing-office note, then the answer itself (in bold)
        lead = [escape(line) for line in opening[:-1]] + [f"*{escape(opening[-1])}*"]
        blocks.append(_section("\n".join(lead + [escape(x) for x in w.before_list(answer)])))
        repeated = w.repeated(answer.contacts)
        for contact in answer.contacts:
            blocks.append(_section(self._contact_text(w, contact, show_place=answer.nearby or answer.kind == A.REVERSE,
                                                      closed=w.closed_text(answer.closed_for(contact.id)),
                                                      with_table=contact.id in repeated)))
        context = [escape(line) for line in [*w.after_list(answer), *w.source_lines(answer.contacts)]]
        blocks.append(_context(context))
        return blocks

    def _contact_text(self, w: Wording, contact: Contact, show_place: bool, closed: str = "", with_table: bool = False) -> str:
        lines = [f"*{escape(w.title(contact, with_table))}*"]
        for detail in w.details(contact, show_place=show_place, closed=closed):
            if detail.startswith("http"):
                url = detail.split()[0]
                lines.append(f"<{escape(url)}|{escape(url)}>")
            elif detail.startswith(w.UI["phone"]):
                lines.append("📞 " + escape(detail[len(w.UI["phone"]):]))
            else:
                lines.append(escape(detail))
        return "\n".join(lines)

    def _clarify(self, answer: Answer, conversation: str, w: Wording) -> list[dict]:
        lines = [escape(x) for x in w.before_list(answer)] + [f"*{escape(w.clarify(answer))}*"]
        blocks = [_section("\n".join(lines))]
        choices = answer.choices
        if choices and len(choices) <= MAX_BUTTONS:
            blocks.append({"type": "actions", "elements": [
                self._button(w.choice_label(c), f"{ACTION_CHOICE}_{i}", encode_choice(conversation, c.value)) for i, c in enumerate(choices)
            ]})
        elif choices:
            options = [{"text": {"type": "plain_text", "text": _cut(w.choice_label(c), 75)},
                        "value": _cut(encode_choice(conversation, c.value), MAX_OPTION_VALUE)} for c in choices[:100]]
            blocks.append({"type": "actions", "elements": [{
                "type": "static_select", "action_id": ACTION_CHOICE_SELECT,
                "placeholder": {"type": "plain_text", "text": w.UI["select"]}, "options": options}]})
        hint = [w.clarify_hint(answer)] if len(choices) <= MAX_NUMBERED_CHOICES else [w.UI["type_place"]]
        blocks.append(_context([escape(x) for x in hint + [w.national_line(c) for c in answer.national]]))
        return blocks

    @staticmethod
    def _feedback_button(label: str, record: dict) -> dict:
        return {"text": {"type": "plain_text", "text": _cut(label, 75)}, "accessibility_label": label,
                "value": json.dumps(record, ensure_ascii=False)[:MAX_BUTTON_VALUE]}

    @staticmethod
    def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
        button = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": _cut(label, 75)},
                  "value": value[:MAX_BUTTON_VALUE]}
        if style:
            button["style"] = style
        return button


def _fit(blocks: list[dict]) -> list[dict]:
    """Keep within 50 blocks: the last block (actions or context) is kept."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return blocks[: MAX_BLOCKS - 1] + blocks[-1:]


MENTION_HINT = "このスレッドで答えるときは、@madoguchi とメンションを付けてください（ボタンでも選べます）。"
PROMPTS_TITLE = "たとえば、こんなふうに聞けます"
MAX_PROMPTS = 4  # Slack shows at most four suggested prompts


def suggested_prompts(knowledge: Knowledge) -> list[dict]:
    """Up to four example questions of different topics, from intents.toml, as Slack's {title, message} prompts."""
    examples = [i.examples[0] for i in knowledge.intents if i.examples][:MAX_PROMPTS]
    return [{"title": _cut(e, 75), "message": e} for e in examples]


def home_view(knowledge: Knowledge, curator_note: str = "") -> dict:
    """The App Home tab: what the bot answers, example questions, the categories, the data source; for a curator,
    what they can do from the DM (curator_note, bot.presenters.curation)."""
    examples = [i.examples[0] for i in knowledge.intents if i.examples][:8]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "窓口ナビ"}},
        _section("中小企業の相談先（窓口と電話番号）をお調べします。相談の内容と都道府県（市の名前でも可）を、"
                 "このアプリへのDM、チャンネルでのメンション、または `/madoguchi 質問` で送ってください。"),
        {"type": "header", "text": {"type": "plain_text", "text": "質問の例"}},
        _section("\n".join(f"• {escape(e)}" for e in examples)
                 + "\n" + JAPANESE.say["follow_ups"]),
        {"type": "header", "text": {"type": "plain_text", "text": "案内できる窓口"}},
    ]
    lines = [f"• *{escape(c.label)}* — {escape(c.description)}" for c in knowledge.categories if c.description]
    for start in range(0, len(lines), 10):
        blocks.append(_section("\n".join(lines[start : start + 10])))
    source = knowledge.source
    if source.not_covered:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "この一覧にないもの"}})
        blocks.append(_section("\n".join(f"• {escape(x)}" for x in source.not_covered)
                               + "\nこれらは経営相談の窓口（よろず支援拠点・商工会など）でお尋ねください。"))
    if source.title and (source.estimated or source.as_of_reasons):
        # how old the list is, and why we think so: every answer names its date, this says where it comes from
        when = f"{source.as_of}（推定）" if source.estimated else source.as_of
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "この一覧の古さ"}})
        blocks.append(_section(escape(f"{source.publisher}「{source.title}」は {when} の資料です。")
                               + ("\n" + "\n".join(f"• {escape(x)}" for x in source.as_of_reasons) if source.as_of_reasons else "")))
    if knowledge.changes:  # what changed since, each with its official source (changes.toml)
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "その後に変わったこと"}})
        lines = [f"• {escape(x.text)}（<{escape(x.source_url)}|{escape(x.source_title)}>）" for x in knowledge.changes]
        for start in range(0, len(lines), 10):
            blocks.append(_section("\n".join(lines[start : start + 10])))
    if curator_note:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "担当者の方へ"}})
        blocks.append(_section(curator_note))
    blocks.append({"type": "divider"})
    about = [escape(Wording(knowledge).source_line())]
    if source.title:
        when = f"{source.as_of}（推定）" if source.estimated else (source.as_of or "不明")
        about.append(escape(f"出典: {source.publisher}「{source.title}」（資料の日付: {when}）"))
    if source.reviewed:
        about.append(escape(f"窓口ナビの担当者が最後に確認した日: {source.reviewed}"))
    blocks.append(_context(about + ["電話番号を送ると、どこの番号かもお調べします。"]))
    return {"type": "home", "blocks": blocks[:100]}
