"""Plain-text rendering of an Answer (console, JSON lines, Slack's notification fallback)."""

from __future__ import annotations

from bot.core import answer as A
from bot.core.answer import MAX_NUMBERED_CHOICES, Answer
from bot.knowledge.model import Knowledge
from bot.presenters.sentences import LANGUAGES
from bot.presenters.wording import Wording


class TextPresenter:
    def __init__(self, knowledge: Knowledge):
        self.wordings = {code: Wording(knowledge, sentences) for code, sentences in LANGUAGES.items()}
        self.words = self.wordings["ja"]
        # each contact's lines depend only on the knowledge and the language: made once, when first shown
        self._blocks: dict[tuple[str, bool, bool, str], str] = {}

    def wording(self, answer: Answer) -> Wording:
        """The sentences in the language the question was asked in."""
        return self.wordings.get(answer.language, self.words)

    def _block(self, w: Wording, contact, show_place: bool, closed: str, with_table: bool = False) -> str:
        key = (contact.id, show_place, with_table, w.LANGUAGE)
        block = self._blocks.get(key)
        if block is None:
            lines = [f"■ {w.title(contact, with_table)}", *(f"  {d}" for d in w.details(contact, show_place=show_place))]
            block = self._blocks[key] = "\n".join(lines)
        return f"{block}\n  {closed}" if closed else block

    def render(self, answer: Answer) -> str:
        w = self.wording(answer)
        kind = answer.kind
        if kind in (A.CONTACTS, A.REVERSE):
            lines = [*w.opening(answer), *w.before_list(answer)]
            show_place = answer.nearby or kind == A.REVERSE
            repeated = w.repeated(answer.contacts)
            for contact in answer.contacts:
                lines.append(self._block(w, contact, show_place,
                                         w.closed_text(answer.closed_for(contact.id)) if answer.closed else "",
                                         contact.id in repeated))
            lines.extend(w.after_list(answer))
            lines.extend(w.source_lines(answer.contacts))
            return "\n".join(lines)
        if kind == A.CLARIFY:
            lines = [*w.before_list(answer), w.clarify(answer)]
            if len(answer.choices) <= MAX_NUMBERED_CHOICES:
                lines.append(" ".join(f"{i}) {w.choice_label(c)}" for i, c in enumerate(answer.choices, 1)))
            lines.append(w.clarify_hint(answer))
            lines.extend(w.national_line(c) for c in answer.national)
            return "\n".join(lines)
        if kind in (A.FALLBACK, A.UNKNOWN_NUMBER):
            return "\n".join(w.fallback(answer))
        if kind == A.GREETING:
            return "\n".join(w.greeting(answer))
        if kind == A.THANKS:
            return "\n".join(w.thanks(answer))
        if kind == A.HELP:
            return "\n".join(w.help(answer))
        raise ValueError(f"unknown answer kind {kind!r}")
