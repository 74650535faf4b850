"""Offices a question names (any unit of their names: organization, department, division, operator), scored by how
long and specific the names found are, and those of organizations it describes (bot.core.descriptions)."""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType
from typing import Mapping, Sequence

from bot.core.descriptions import described
from bot.core.domain import MatchKind
from bot.core.index import KnowledgeIndex
from bot.knowledge.model import Knowledge
from bot.language.lexicon import Match
from bot.language.tokenizer import Token

_NO_NAMES: Mapping[str, float] = MappingProxyType({})


class NameReader:
    def __init__(self, knowledge: Knowledge, index: KnowledgeIndex):
        self.knowledge = knowledge
        self.unit_contacts = index.unit_contacts
        self.organization_contacts = index.organization_contacts
        self.descriptions = index.descriptions

    def for_the_topic(self, by_kind: dict[str, list[Match]], by_sound: list[Match]) -> list[Match]:
        """An office name read only by its sound (産業化 sounds like 産業課) beside a topic that leads to none of its
        offices is a word of the question, not the office: 「梅農家の六次産業化」 asks about 農商工連携."""
        k = self.knowledge
        tables = {t.category for m in by_kind[MatchKind.INTENT] for t in k.intent_by_id[m.payload[1]].targets}
        contacts = k.contact_by_id
        stray = {id(m) for m in by_sound if m.payload[0] == MatchKind.NAME and m.by == "reading"
                 and not any(contacts[cid].category in tables for cid in self.unit_contacts[m.payload[1]])}
        if stray:
            by_kind[MatchKind.NAME] = [m for m in by_kind[MatchKind.NAME] if id(m) not in stray]
            if not by_kind[MatchKind.NAME]:
                del by_kind[MatchKind.NAME]
        return [m for m in by_sound if id(m) not in stray]

    def named_or_described(self, by_kind: dict[str, list[Match]], tokens: list[Token]) -> Mapping[str, float]:
        """Contacts the question names, and those of organizations it describes (aliases.toml's described)."""
        names = self.scores(by_kind[MatchKind.NAME]) if MatchKind.NAME in by_kind else _NO_NAMES
        about = described(tokens, self.descriptions)
        return {**names, **about} if about else names

    def scores(self, units: Sequence[Match]) -> dict[str, float]:
        """Contacts named in the question, scored by how long and how specific the names found are."""
        if not units:
            return {}
        scores: dict[str, float] = defaultdict(float)
        for m in units:
            unit = m.payload[1]
            contacts = self.unit_contacts[unit]
            # a name inside a longer name also found (相談室 in 広報相談室) does not count again for the offices the
            # longer one names; it still counts for others (経営支援課 of 青森 inside 商工労働部経営支援課 of 千葉)
            longer = [o for o in units if o.start <= m.start and m.end <= o.end and o.length > m.length]
            named_by_longer = set().union(*(self.unit_contacts[o.payload[1]] for o in longer)) if longer else ()
            # longer names count more; a name shared by many contacts says less about which one is meant
            weight = len(unit) / (1.0 + 0.05 * len(contacts))
            for cid in contacts:
                if cid not in named_by_longer:
                    scores[cid] += weight
        # an organization named in full (中小企業庁の…課) keeps the question to its own offices, however well a
        # division of another one matched (広島県 経営革新課)
        organizations = self.organization_contacts
        own = set().union(*(organizations[m.payload[1]] for m in units if m.payload[1] in organizations))
        if own and len(own) < len(scores):
            return {cid: score for cid, score in scores.items() if cid in own}
        return dict(scores)
