"""Order a list of candidate offices and cut it to what fits in one answer."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple, Sequence

from bot.core.domain import Cue
from bot.core.index import KnowledgeIndex
from bot.core.routing import INTENT_STRIDE
from bot.core.understanding import Query
from bot.knowledge.model import Contact, Knowledge

MAX_CONTACTS = 5
SHORT_LIST = 6  # a whole table this small is listed rather than asking where
UNRANKED = 10**9  # the order of a contact no intent leads to


class Ranked(NamedTuple):
    """A candidate office and what orders it."""

    contact: Contact
    name: float  # how well the question named it
    overlap: float  # idf-weighted words shared by the question and the contact's name and notes: orders
    order: int  # intent, target and source order
    local: float  # the same for place words (北九州 in ジェトロ北九州): orders, never narrows
    name_overlap: float  # words shared with the contact's name alone: may narrow the list


class Ranker:
    def __init__(self, knowledge: Knowledge, index: KnowledgeIndex, order: dict[str, int]):
        k = knowledge
        self.order = order
        self.idf = index.idf
        self.name_words = index.name_words
        self.words = {c.id: index.name_words[c.id] | index.note_words[c.id] for c in k.contacts}
        titles = {cat.id: cat.title for cat in k.categories}
        self.narrowing_words = {c.id: frozenset(w for w in index.name_words[c.id] if w not in titles[c.category])
                                for c in k.contacts}
        # an organization's own row (no department or division) beside rows for its divisions: its main number
        divided = {c.organization for c in k.contacts if c.department or c.division}
        self.main = {c.id for c in k.contacts if not c.department and not c.division
                     and (c.organization in divided or any(p.kind == "代表" for p in c.phones))}
        self.main_of: dict[str, list[str]] = defaultdict(list)  # organization → its own rows
        for c in k.contacts:
            if c.id in self.main:
                self.main_of[c.organization].append(c.id)
        self.office_key = {c.id: (c.name.replace(" ", ""), tuple(p.digits for p in c.phones)) for c in k.contacts}

    def rank(self, candidates: Sequence[Contact], q: Query, names, target_order: dict[str, int]) -> list[Ranked]:
        """Candidates in the order to show them: named first, then by the words they share with the question."""
        order = self.order
        if len(candidates) == 1:  # nothing to order
            c = candidates[0]
            return [Ranked(c, names.get(c.id, 0.0), 0.0, target_order.get(c.id, UNRANKED) + order[c.id], 0.0, 0.0)]
        ranked = []
        idf, content, place_words = self.idf, q.content_words, q.place_words
        # among several organizations the words of their table's title describe them all (金融 in 政府系金融機関);
        # among one organization's divisions every word of the names may tell them apart (地域資源, 農商工)
        name_words = self.narrowing_words if len({c.organization for c in candidates}) > 1 else self.name_words
        for c in candidates:
            cid = c.id
            words = self.words[cid]
            overlap = sum(idf.get(w, 0.0) for w in content & words) if content else 0.0
            local = sum(idf.get(w, 0.0) for w in place_words & words) if place_words else 0.0
            by_name = sum(idf.get(w, 0.0) for w in content & name_words[cid]) if overlap else 0.0
            ranked.append(Ranked(c, names.get(cid, 0.0), overlap, target_order.get(cid, UNRANKED) + order[cid], local, by_name))
        wants_main = Cue.REPRESENTATIVE in q.vocabulary
        cities = q.cities  # a city's own office first (仙台市 → 仙台市産業振興事業団)
        # with several topics asked about, the first one's offices come first (事業承継と資金繰り → 事業承継 first)
        ranked.sort(key=lambda r: (-r.name, -(wants_main and r.contact.id in self.main), -(r.contact.serves.value in cities),
                                   r.order // INTENT_STRIDE, -round(r.overlap, 6), -round(r.local, 6), r.order))
        return ranked

    def distinct(self, ranked: list[Ranked]) -> list[Ranked]:
        """One office printed in several tables with the same number (中小機構 沖縄事務所) is one."""
        if len(ranked) < 2:
            return ranked
        seen: dict[tuple, Ranked] = {}
        for r in ranked:
            seen.setdefault(self.office_key[r.contact.id], r)
        return list(seen.values())

    def cut(self, ranked: list[Ranked], q: Query) -> tuple[list[Contact], int]:
        """At most five; narrow a long list to what the question's words single out."""
        contacts = [r.contact for r in ranked]
        if len(contacts) == 1:
            return contacts, 0
        if Cue.REPRESENTATIVE in q.vocabulary:
            main = [c for c in contacts if c.id in self.main]
            if main:
                return main[:MAX_CONTACTS], len(contacts) - len(main[:MAX_CONTACTS])
        # narrow only among offices of one table serving the same place (divisions of one bureau, say), and only by
        # words of their names (a note mentioning 資金繰り does not make the others wrong); see rank for the table's
        # own title words
        alike = len({(c.category, c.serves.kind, c.serves.value) for c in contacts}) == 1
        best = singled_out([r.name_overlap for r in ranked]) if alike else 0.0
        chosen = [r.contact for r in ranked if r.name_overlap >= best] if best else []
        if chosen and len(chosen) <= MAX_CONTACTS:
            return chosen, 0
        if len(ranked) > MAX_CONTACTS:
            main = [c for c in contacts if c.id in self.main]
            if len(main) == 1 and len({c.organization for c in contacts}) == 1:
                if main[0].phones:
                    return main, len(contacts) - 1
                # the organization's own row has no number in the list (九州経済産業局): its first divisions too
                shown = (main + [c for c in contacts if c is not main[0]])[:MAX_CONTACTS]
                return shown, len(contacts) - len(shown)
        limit = SHORT_LIST if len(contacts) == SHORT_LIST and len({c.category for c in contacts}) == 1 else MAX_CONTACTS
        return contacts[:limit], max(0, len(contacts) - limit)

    def named_by_words(self, candidates: Sequence[Contact], q: Query) -> Sequence[Contact]:
        """Words of the question that name some offices (本部 in 「ジェトロの本部」) single them out before asking where."""
        if len(candidates) < 2 or not q.name_words:
            return candidates
        idf, words = self.idf, q.name_words
        scores = {c.id: sum(idf.get(w, 0.0) for w in words & self.name_words[c.id]) for c in candidates}
        best = singled_out(list(scores.values()))
        return [c for c in candidates if scores[c.id] >= best] if best else candidates


def singled_out(scores: Sequence[float]) -> float:
    """The lowest score that still clearly beats all the others (by more than one idf unit), or 0.0 if no
    score does: the items scoring at least this much are singled out."""
    if len(scores) < 2:
        return 0.0
    top = max(scores)
    second = max((s for s in scores if s < top - 1e-9), default=0.0)
    if top <= 0 or top - second <= 1.0:
        return 0.0
    return top - 1e-9
