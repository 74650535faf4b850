"""What an answer says about the offices it shows, as facts: their topic, jurisdiction, table notes, what changed since,
and the examples and hotline of help and fallback answers."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Sequence

from bot.core.answer import FALLBACK, Answer, Gap, Jurisdiction, Missing, Place
from bot.core.coverage import Coverage
from bot.core.understanding import Query
from bot.knowledge.model import Change, ChangeKind, Contact, Knowledge, Reach


class Describer:
    def __init__(self, knowledge: Knowledge, coverage: Coverage):
        k = self.knowledge = knowledge
        self.coverage = coverage
        same_notes = _same_notes([cat.note for cat in k.categories if cat.note])
        self.notes_of = {c.id: self._contact_notes(c, same_notes) for c in k.contacts}
        self.changes_of, self.topic_changes = self._changes()
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

    def notes(self, contacts, intents: Sequence[str] = ()) -> tuple[tuple[str, ...], tuple[Change, ...]]:
        """Table notes (※…) for the contacts shown, and what changed since the source for them or for the topics
        asked about (changes.toml: 産業復興相談センター's buy-back requests ended in March 2021)."""
        notes: list[str] = []
        changes: list[Change] = []
        for c in contacts:
            notes.extend(n for n in self.notes_of[c.id] if n not in notes)
        for c in contacts:
            changes.extend(x for x in self.changes_of.get(c.id, ()) if x not in changes)
        for i in intents:
            changes.extend(x for x in self.topic_changes.get(i, ()) if x not in changes)
        return tuple(notes), tuple(changes)

    def fallback(self, q: Query, place: Place) -> Answer:
        return Answer(kind=FALLBACK, question=q.text, place=place,
                      hotline=self.knowledge.hotline(), examples=self.examples)

    def not_ours(self, q: Query, place: Place, gap: Gap, words: Sequence[str]) -> Answer:
        """A matter the list does not cover (確定申告, a car loan): said so, with what the list does cover — not the
        nearest office, and not the business hotline."""
        return Answer(kind=FALLBACK, question=q.text, place=place, missing=Missing(gap, subject=tuple(words)),
                      topics=self.topics, examples=self.examples)

    def _contact_notes(self, c: Contact, same_notes: dict[str, str]) -> tuple[str, ...]:
        note = same_notes.get(self.knowledge.category_by_id[c.category].note, "")
        return (note,) if note else ()

    def _changes(self) -> tuple[dict[str, tuple[Change, ...]], dict[str, tuple[Change, ...]]]:
        """The changes of changes.toml by office (its organization, table or id) and by topic. A body not in the list
        (not_listed) is said only when asked for by name (bot.core.policy)."""
        by_contact: dict[str, list[Change]] = {}
        by_topic: dict[str, list[Change]] = {}
        for x in self.knowledge.changes:
            if x.kind == ChangeKind.NOT_LISTED:
                continue
            for c in self.knowledge.contacts:
                if (x.organization and (x.organization in c.organization or x.organization in c.name)) \
                        or c.category in x.categories or c.id in x.contacts:
                    by_contact.setdefault(c.id, []).append(x)
            for i in x.intents:
                by_topic.setdefault(i, []).append(x)
        return ({k: tuple(v) for k, v in by_contact.items()}, {k: tuple(v) for k, v in by_topic.items()})

def _same_notes(notes: Sequence[str]) -> dict[str, str]:
    """Each table note → the first note that says the same: tables may print it in slightly different words
    (※…行っていません / ※…行っておりません), and a reply says it once."""
    out: dict[str, str] = {}
    for note in notes:
        out[note] = next((first for first in dict.fromkeys(out.values())
                          if first[:1] == note[:1] == "※" and SequenceMatcher(None, first, note).ratio() >= 0.9), note)
    return out
