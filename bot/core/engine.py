"""The engine: a stateless façade over understanding, the turn policy and opening hours.

`reply(state, text)` and `choose(state, value)` return the answer and the conversation's next state; the caller
keeps the state (see bot.runtime). No Slack here: the console, the Slack app and the tests drive this same code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from bot.core.answer import Answer, ClosedNow
from bot.core.conversation import ConversationState
from bot.core.coverage import Coverage
from bot.core.describe import Describer
from bot.core.hours import next_opening, now_in_japan
from bot.core.index import KnowledgeIndex, build_index
from bot.core.levels import LevelFollowUp
from bot.core.memory import Memory
from bot.core.policy import TurnPolicy
from bot.core.ranking import Ranker
from bot.core.reverse import ReverseLookup
from bot.core.routing import Routing
from bot.core.second_reading import SecondReading
from bot.core.selection import Selector
from bot.core.understanding import Understander
from bot.knowledge.model import Knowledge
from bot.language.text import language_of
from bot.language.tokenizer import Tokenizer, get_tokenizer


class Engine:
    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer | None = None, index: KnowledgeIndex | None = None,
                 clock: Callable[[], datetime] = now_in_japan):
        tokenizer = tokenizer or get_tokenizer()
        index = index or build_index(knowledge, tokenizer)
        self.knowledge = knowledge
        self.understander = Understander(knowledge, tokenizer, index)
        self.second_reading = SecondReading(knowledge, self.understander, index)
        self.clock = clock
        self._hours = {h.contact: h for h in knowledge.hours}
        v = knowledge.vocabulary
        self._english_words = frozenset(w.lower() for w in (*v.greetings, *v.thanks, *v.help) if w.isascii())
        coverage = Coverage(knowledge)
        routing = Routing(knowledge, coverage)
        describer = Describer(knowledge, coverage)
        memory = Memory(knowledge, coverage, routing)
        selector = Selector(knowledge, coverage, routing, Ranker(knowledge, index, routing.order), describer, memory)
        self.memory = memory
        self.policy = TurnPolicy(knowledge, coverage, routing, selector, describer, memory,
                                 ReverseLookup(knowledge, describer),
                                 LevelFollowUp(knowledge, coverage, routing, selector, memory))

    def reply(self, state: ConversationState | None, text: str,
              follow_ups_only: bool = False) -> tuple[Answer | None, ConversationState]:
        """Answer one message, given the conversation's state so far (None: a new conversation). follow_ups_only:
        a message people may be writing to each other (a thread the bot answered in): None, and the state unchanged,
        unless it reads as a follow-up for the bot (TurnPolicy.for_the_bot)."""
        state = self.memory.valid(state)
        q = self.second_reading.apply(self.understander.parse(text), state)
        if follow_ups_only and not self.policy.for_the_bot(q, state):
            return None, state
        answer, new_state = self.policy.answer(q, state)
        language = language_of(text, self._english_words) or state.language
        return self._finished(answer, new_state, language, q.truncated, q.corrections)

    def choose(self, state: ConversationState | None, value: str) -> tuple[Answer, ConversationState]:
        """Answer a click on a clarifying choice (a Choice's value) or on 「ほかのN件を見る」."""
        state = self.memory.valid(state)
        answer, new_state = self.policy.choose(value, state)
        return self._finished(answer, new_state, state.language)

    def _finished(self, answer: Answer, state: ConversationState, language: str, truncated: bool = False,
                  corrections: tuple[tuple[str, str], ...] = ()) -> tuple[Answer, ConversationState]:
        """What every answer carries, attached here once whatever made it: the language to answer in (kept in the
        state for messages that do not say, a number or a click), whether the question was cut, the slips read, and
        the offices closed right now. Japanese, no cut and no slip need no copy."""
        if (answer.language, answer.truncated, answer.corrections) != (language, truncated, corrections):
            answer = answer._replace(language=language, truncated=truncated, corrections=corrections)
        if state.language != language:
            state = state._replace(language=language)
        return self._with_hours(answer), state

    def choice_label(self, value: str) -> str:
        return self.policy.choice_label(value)

    def _with_hours(self, answer: Answer) -> Answer:
        """Offices with opening hours that are closed right now: when they open next."""
        all_hours = self._hours
        if not (answer.hotline or answer.national or any(c.id in all_hours for c in answer.contacts)):
            return answer
        shown = list(answer.contacts) + ([answer.hotline] if answer.hotline else []) + list(answer.national)
        closed = []
        for contact in shown:
            hours = all_hours.get(contact.id)
            opens = next_opening(hours, self.clock()) if hours else None
            if opens is not None:
                closed.append(ClosedNow(contact.id, hours.text, opens))
        return answer._replace(closed=tuple(closed)) if closed else answer
