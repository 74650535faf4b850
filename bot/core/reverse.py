"""Whose number is this: phone numbers looked up in reverse."""

from __future__ import annotations

from collections import defaultdict

from bot.core.answer import REVERSE, UNKNOWN_NUMBER, Answer, Gap, Missing
from bot.core.describe import Describer
from bot.core.ranking import MAX_CONTACTS
from bot.core.understanding import Query
from bot.knowledge.model import Contact, Knowledge
from bot.knowledge.phones import numbers_as_typed


class ReverseLookup:
    def __init__(self, knowledge: Knowledge, describer: Describer):
        self.knowledge, self.describer = knowledge, describer
        self.by_number: dict[str, list[Contact]] = defaultdict(list)
        for c in knowledge.contacts:
            for p in c.phones:
                self.by_number[p.digits].append(c)

    def answer(self, q: Query) -> Answer:
        """Whose numbers these are. One known number is named in the answer; with several, each office shows its
        own; numbers not in the list are said so."""
        found: list[Contact] = []
        known, unknown = [], []
        for digits in dict.fromkeys(q.phones):
            holders = sorted(self.by_number.get(digits, ()), key=lambda c: c.inherited_phones)
            if holders:
                known.append(next(p.number for p in holders[0].phones if p.digits == digits))
                found.extend(c for c in holders if c not in found)
            else:
                unknown.append(digits)
        if unknown:  # as the user wrote them
            typed = numbers_as_typed(q.text)
            unknown = [typed.get(digits, digits) for digits in unknown]
        if not found:
            return Answer(kind=UNKNOWN_NUMBER, question=q.text, number=unknown[0], hotline=self.knowledge.hotline(),
                          examples=self.describer.examples)
        shown = found[:MAX_CONTACTS]
        notes, changes = self.describer.notes(shown)
        return Answer(kind=REVERSE, question=q.text, contacts=tuple(shown),
                      missing=Missing(Gap.NUMBERS, where=tuple(unknown)) if unknown else None,
                      more=max(0, len(found) - MAX_CONTACTS), number=known[0] if len(known) == 1 else "",
                      notes=notes, changes=changes)
