"""What an answer says about the offices it shows, as facts: their topic, jurisdiction, table notes, renamed bodies,
and the examples and hotline of help and fallback answers."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

from bot.core.answer import FALLBACK, Answer, Gap, Jurisdiction, Missing, Place, Renamed
from bot.core.coverage import Coverage
from bot.core.understanding import Query
from bot.knowledge.model import Contact, Knowledge, Reach


class Describer:
    def __init__(self, knowledge: Knowledge, coverage: Coverage):
        k = self.knowledge = knowledge
        self.coverage = coverage
        same_notes = _same_notes([cat.note for cat in k.categories if cat.note])
        self.notes_of = {c.id: self._contact_notes(c, same_notes) for c in k.contacts}
        # for help and fallbacks: one example per intent, and what can be asked (not the list of what is not ours)
        self.examples = tuple(i.examples[0] for i in k.intents if i.examples)
        self.topics = tuple(i.label for i in k.intents if i.targets)

    def topic(self, intents: Sequence[str], contacts) -> tuple[str, ...]:
        """What the answer is about: the question's intents, else the one table the contacts come from."""
        k = self.knowledge
        if intents:
            return tuple(k.intent_by_id[i].label for i in intents)
        categories = list(dict.fromkeys(c.category for c in contacts))
        return (k.category_by_id[categories[0]].label,) if len(categories) == 1 else ()

    def reasons(self, contacts, place: Place) -> tuple[Jurisdiction, ...]:
        """Why regional offices: the place asked about lies in their area."""
        k, served = self.knowledge, self.coverage.served
        out: list[Jurisdiction] = []
        for c in contacts:
            if c.serves.kind != Reach.AREA:
                continue
            area = k.area_by_id[c.serves.value]
            if place.region and not place.prefecture_names:
                part = [p for p in place.prefectures if p in served[c.id]]
                if len(part) == len(place.prefectures):
                    continue  # the office serves the whole region asked about: nothing to explain
                reason = Jurisdiction(tuple(self.coverage.pref_name[p] for p in part), "", area.name, area.word)  # 北陸 → 福井県
            elif not place.prefecture_names:
                continue  # the office's own name was given: nothing to explain
            else:
                reason = Jurisdiction(place.prefecture_names[:1], place.city, area.name, area.word)
            if reason not in out:
                out.append(reason)
        return tuple(out)

    def notes(self, contacts) -> tuple[tuple[str, ...], tuple[Renamed, ...]]:
        """Table notes (※…), and the renamed bodies, for the contacts shown."""
        if len(contacts) == 1:
            return self.notes_of[contacts[0].id]
        notes: list[str] = []
        renamed: list[Renamed] = []
        for c in contacts:
            notes.extend(n for n in self.notes_of[c.id][0] if n not in notes)
        for c in contacts:
            renamed.extend(r for r in self.notes_of[c.id][1] if r not in renamed)
        return tuple(notes), tuple(renamed)

    def fallback(self, q: Query, place: Place) -> Answer:
        return Answer(kind=FALLBACK, question=q.text, place=place,
                      hotline=self.knowledge.hotline(), examples=self.examples)

    def not_ours(self, q: Query, place: Place, gap: Gap, words: Sequence[str]) -> Answer:
        """A matter the list does not cover (確定申告, a car loan): said so, with what the list does cover — not the
        nearest office, and not the business hotline."""
        return Answer(kind=FALLBACK, question=q.text, place=place, missing=Missing(gap, subject=tuple(words)),
                      topics=self.topics, examples=self.examples)

    def _contact_notes(self, c: Contact, same_notes: dict[str, str]) -> tuple[tuple[str, ...], tuple[Renamed, ...]]:
        k = self.knowledge
        note = same_notes.get(k.category_by_id[c.category].note, "")
        renamed = tuple(Renamed(a.official, a.renamed_to, a.renamed_in)
                        for a in k.aliases if a.renamed_to and a.official in c.organization)
        return ((note,) if note else ()), renamed


def _same_notes(notes: Sequence[str]) -> dict[str, str]:
    """Each table note → the first note that says the same: tables may print it in slightly different words
    (※…行っていません / ※…行っておりません), and a reply says it once."""
    out: dict[str, str] = {}
    for note in notes:
        out[note] = next((first for first in dict.fromkeys(out.values())
                          if first[:1] == note[:1] == "※" and SequenceMatcher(None, first, note).ratio() >= 0.9), note)
    return out
