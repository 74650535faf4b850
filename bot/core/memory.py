"""What one turn leaves for the next: the conversation state after an answer, and the place a state stands for."""

from __future__ import annotations

from typing import Sequence

from bot.core.answer import Place
from bot.core.conversation import NEW_CONVERSATION, ConversationState
from bot.core.coverage import Coverage
from bot.core.routing import Routing
from bot.knowledge.model import Contact, Knowledge


class Memory:
    def __init__(self, knowledge: Knowledge, coverage: Coverage, routing: Routing):
        self.knowledge, self.coverage, self.routing = knowledge, coverage, routing

    def remember(self, intents: Sequence[str], place: Place, shown: Sequence[Contact],
                 rest: tuple[str, ...] = ()) -> ConversationState:
        """The state after an answer: what was asked about and where, and the offices shown."""
        by_category = self.routing.intent_of_category
        if not intents and shown:
            cats = {c.category for c in shown}
            if len(cats) == 1 and next(iter(cats)) in by_category:
                intents = [by_category[next(iter(cats))]]
        prefs = place.prefectures if place.prefecture_names else ()
        if not prefs and shown:
            bound = {self.coverage.pref_of[c.id] for c in shown} - {""}
            if len(bound) == 1:
                prefs = tuple(bound)
        return ConversationState(intents=tuple(intents), prefectures=tuple(prefs), city=place.city,
                                 region=place.region if not prefs else "", area=place.area,
                                 shown=tuple(c.id for c in shown), rest=rest)

    def place(self, state: ConversationState) -> Place:
        """The place the conversation has established."""
        if state.area:
            return self.coverage.area_place(state.area)
        if state.region and not state.prefectures:
            return self.coverage.region_place(state.region)
        return self.coverage.prefecture_place(state.prefectures, state.city)

    def valid(self, state: ConversationState | None) -> ConversationState:
        """State saved before a knowledge reload may name intents or contacts that no longer exist: drop them."""
        if state is None:
            return NEW_CONVERSATION
        k = self.knowledge
        intents = tuple(i for i in state.intents if i in k.intent_by_id)
        shown = tuple(c for c in state.shown if c in k.contact_by_id)
        rest = tuple(c for c in state.rest if c in k.contact_by_id)
        if (intents, shown, rest) == (state.intents, state.shown, state.rest):
            return state
        return state.with_(intents=intents, shown=shown, rest=rest)

    def organizations_shown(self, state: ConversationState) -> tuple[str, ...]:
        """The organizations of the offices the last answer showed, in order."""
        by_id = self.knowledge.contact_by_id
        return tuple(dict.fromkeys(by_id[cid].organization for cid in state.shown))
