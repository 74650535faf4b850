"""Follow-ups that change the level: after a topic and a place, 「都道府県の窓口だと？」「地方の経済産業局だと？」
「本庁は？」「全国の団体だと？」 ask for the same topic at another level of office.

The levels are the kinds of office that intents.toml marks with `level` (their keywords, and their level_words, which
name a level only here). For a level with a reach, the topic's own offices of that reach serving the place come first
(a city's centre → the prefecture's); when they are exactly what was just shown, or there are none, the level's kind
of office in charge of the topic (division_topics.toml: 事業承継 → 中小企業庁 財務課); failing that, the kind of
office itself for the place (宮城県's SME division after its 引継ぎ窓口).
"""

from __future__ import annotations

from typing import Sequence

from bot.core.answer import Place
from bot.core.conversation import ConversationState
from bot.core.coverage import Coverage
from bot.core.memory import Memory
from bot.core.routing import Routing
from bot.core.selection import Selector, Turn
from bot.core.understanding import Query
from bot.knowledge.model import LEVEL_OFFICE, Knowledge, Reach


class LevelFollowUp:
    def __init__(self, knowledge: Knowledge, coverage: Coverage, routing: Routing, selector: Selector, memory: Memory):
        self.knowledge, self.coverage, self.routing, self.selector, self.memory = (knowledge, coverage, routing,
                                                                                 selector, memory)
        self.levels = {i.id: i.level for i in knowledge.intents if i.level}
        # the national level, for 「全国だと？」 after a topic with no nationwide office ("" if none is marked)
        self.national = next((iid for iid, reach in self.levels.items() if reach == Reach.NATIONWIDE), "")
        # the offices in charge of each topic (division_topics.toml): the divisions whose words share the most with the
        # topic's keywords and label (事業承継 → 中小企業庁 財務課; 経営相談 → 経営支援課 rather than 創業・技術課)
        divisions = {t.name: [c.id for c in knowledge.contacts if t.name in f"{c.department} {c.division}"]
                     for t in knowledge.division_topics}
        self.in_charge = {}
        for i in knowledge.intents:
            said = {*i.keywords, i.label}
            shared = {t.name: len(said.intersection(t.words)) for t in knowledge.division_topics}
            most = max(shared.values(), default=0)
            self.in_charge[i.id] = tuple(dict.fromkeys(cid for name, n in shared.items() if n and n == most
                                                       for cid in divisions[name]))

    def applies(self, q: Query, state: ConversationState) -> str:
        """The level a follow-up asks for ('' if it is no such follow-up): a level named, a topic before, and no topic,
        office name or unknown word of its own (「東北経済産業局の特許室は？」 names an office, not a level)."""
        if not q.levels or q.names or q.phones or q.unknown_words:
            return ""
        if any(i not in self.levels for i in q.intents) or not self.topic(state.intents):
            return ""
        return q.levels[0]

    def topic(self, intents: Sequence[str]) -> list[str]:
        """The topics of the conversation, without the kinds of office that are levels."""
        return [i for i in intents if i not in self.levels and i in self.routing.ordered]

    def own(self, level: str, topic: Sequence[str], place: Place) -> list[str]:
        """The topics' own offices of the level's reach that serve the place (any place when none is given)."""
        reach = self.levels.get(level, LEVEL_OFFICE)
        if reach == LEVEL_OFFICE:
            return []
        cov = self.coverage
        return list(dict.fromkeys(c.id for i in topic for c in self.routing.ordered[i]
                                  if c.serves.kind == reach and (not place.prefectures or cov.serves(c, place, {}))))

    def answer(self, q: Query, state: ConversationState, level: str, place: Place, carried: bool) -> Turn:
        topic, cov, k = self.topic(state.intents), self.coverage, self.knowledge

        def here(cid: str) -> bool:
            return not place.prefectures or cov.serves(k.contact_by_id[cid], place, {})

        own = self.own(level, topic, place)
        kind = self.routing.target_sets[level]
        in_charge = [cid for i in topic for cid in self.in_charge[i] if cid in kind and here(cid)]
        if not (own or in_charge) and self.levels[level] == Reach.NATIONWIDE:
            # 「全国だと？」 after 輸出, which no national body is in charge of: the national government's division
            government = set().union(*(self.routing.target_sets[i] for i, r in self.levels.items() if r == LEVEL_OFFICE))
            in_charge = [cid for i in topic for cid in self.in_charge[i] if cid in government]
        if own and set(own) != set(state.shown):  # 札幌市の centre and 北海道's → 北海道's
            answer, after = self.selector.select(q, state, intents=topic, place=place, offices=own, carried=carried)
        elif in_charge:  # 本庁は？ after 事業承継 → 中小企業庁 財務課; 経産局は？ after 輸出 → the bureau's 国際課
            answer, after = self.selector.select(q, state, intents=topic, place=place, offices=in_charge, carried=carried)
        else:
            # the topic's offices of this level are what was just shown (宮城's 引継ぎ窓口 is the prefecture's): the
            # level's own kind of office for the place (宮城県's SME division); the topic stays the conversation's
            answer, after = self.selector.select(q, state, intents=[level], place=place, carried=carried)
            after = after._replace(intents=tuple(topic))
        if answer.carried_place and answer.contacts and all(c.serves.kind == Reach.NATIONWIDE for c in answer.contacts):
            answer = answer._replace(carried_place=False)  # the place carried over did not choose 中小企業庁's division
        return answer, after
