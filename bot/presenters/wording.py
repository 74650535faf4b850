"""The sentences of a reply, shared by the plain-text and Block Kit presenters: one structure for every language, the
words from its table (bot.presenters.sentences), the facts from the Answer and the knowledge.

Numbers exactly as printed in the source; places and topics named as the language names them (Japanese: as the
knowledge writes them; English: romaji and label_en).
"""

from __future__ import annotations

from functools import cached_property

from bot.core import answer as A
from bot.core.answer import MAX_NUMBERED_CHOICES, Answer, ClosedNow, Jurisdiction, Place
from bot.core.domain import ChoiceKind, Gap
from bot.knowledge.model import Contact, Knowledge, Phone, Reach
from bot.presenters.glosses import english_glosses, english_place_names
from bot.presenters.provenance import Provenance
from bot.presenters.sentences import JAPANESE, Sentences

MAX_PREFECTURES_NAMED = 8  # a longer list of prefectures that have an office is said as a count
COVERS_NAMED = 6  # topics named in 「この一覧でご案内できるのは…などの相談窓口です」
NOT_OURS = frozenset({Gap.OUT_OF_SCOPE, Gap.PERSONAL})  # matters the list does not cover: no hotline, what it covers


class Wording:
    """Builds the sentences of each kind of answer from the facts in an Answer, in one language."""

    def __init__(self, knowledge: Knowledge, sentences: Sentences = JAPANESE):
        self.knowledge, self.s = knowledge, sentences
        self.say, self.UI, self.LANGUAGE = sentences.say, sentences.ui, sentences.code
        self._topics: dict[str, str] = {}
        self._in_place = {c.label: c.label_in_place for c in knowledge.categories if c.label_in_place}
        if sentences.english_names:
            self._topics = {x.label: x.label_en for x in (*knowledge.intents, *knowledge.categories) if x.label_en}
        regions = {r.name: next((n for n in r.names if n.isascii()), "") for r in knowledge.regions}
        self._regions = {name: (ascii if sentences.english_names and ascii else self.say["region"].format(name=name))
                         for name, ascii in regions.items()}
        self._hours = {h.contact: (h.text_en if sentences.english_names else h.text) for h in knowledge.hours}
        where_from = Provenance(knowledge, sentences)  # the source, its date, staff's rows, what changed since
        self.source_line, self.source_lines, self.change_text = (where_from.source_line, where_from.source_lines,
                                                                 where_from.change_text)

    @cached_property
    def _places(self) -> dict[str, str]:
        """Places' names in this language (English: romaji), made when first needed: ~2,000 municipalities' romaji
        would cost every start ~35 ms, and most questions are Japanese."""
        return english_place_names(self.knowledge) if self.s.english_names else {}

    @cached_property
    def _gloss(self) -> dict[str, str]:
        """English glosses of the offices' names (made when first needed, like _places)."""
        if not self.s.english_names:
            return {}
        return english_glosses(self.knowledge, self.place_name, self._regions, self.say["list"])

    # -- names in this language -------------------------------------------------
    def place_name(self, name: str) -> str:
        return self._places.get(name, name)

    def place(self, answer: Answer) -> str:
        """The place as named in a reply (仙台市（宮城県）, 東北地方; Sendai (Miyagi), Tohoku)."""
        return self.place_label(answer.place)

    def place_label(self, p: Place) -> str:
        say, name = self.say, self.place_name
        if p.other_cities:
            return say["places"].join(name(c) for c in p.cities)
        if p.city and p.prefecture_names:
            # 「福島市と宮城県」: the city with its own prefecture, then the other prefectures
            home = self._home_of(p.city, p.prefecture_names)
            return say["places"].join([say["city_in_prefecture"].format(city=name(p.city), prefecture=name(home)),
                                       *(name(n) for n in p.prefecture_names if n != home)])
        if p.prefecture_names:
            return say["places"].join(name(n) for n in p.prefecture_names)
        if p.area_name:
            return p.area_name
        return self._regions.get(p.region, p.region) if p.region else ""

    def _home_of(self, city: str, prefecture_names: tuple[str, ...]) -> str:
        """The prefecture a city or town named in a place is in (the first named when the knowledge cannot tell)."""
        if len(prefecture_names) == 1:
            return prefecture_names[0]  # the common case: nothing to look up
        k = self.knowledge
        shorts = {c.prefecture for c in k.cities if c.name == city} | {m.prefecture for m in k.municipalities
                                                                       if m.full_name == city or m.name == city}
        names = [n for n in prefecture_names if n in {k.prefecture_by_short[s].name for s in shorts}]
        return names[0] if len(names) == 1 else prefecture_names[0]

    def topic(self, labels: tuple[str, ...], after_place: bool = False) -> str:
        """Several topics joined (their own Japanese labels already use ・: 融資・資金繰り); after a place, a table's
        label_in_place where staff gave one (宮城県の中小企業担当課)."""
        if after_place and not self.s.english_names:
            labels = tuple(self._in_place.get(label, label) for label in labels)
        return self.say["topics"].join(self._topics.get(label, label) for label in labels)

    def choice_label(self, choice) -> str:
        if not self.s.english_names:
            return choice.label
        if choice.kind == ChoiceKind.PREFECTURE:
            return self._places.get(choice.target, choice.label)
        if choice.kind == ChoiceKind.INTENT and choice.target in self.knowledge.intent_by_id:
            return self.knowledge.intent_by_id[choice.target].label_en or choice.label
        return choice.label

    def phone_text(self, phone: Phone) -> str:
        """022-722-3858 / 011-709-2311（代表） / 事業資金相談ダイヤル 0120-154-505（フリーダイヤル）."""
        text = f"{phone.label} {phone.number}" if phone.label else phone.number
        kind = phone.describe()
        kind = self.s.phone_kinds.get(kind, kind)
        return self.say["phone_kind"].format(phone=text, kind=kind) if kind else text

    def phones_text(self, contact: Contact) -> str:
        return " / ".join(self.phone_text(p) for p in contact.phones)

    # -- sentences of facts --------------------------------------------------------
    def header(self, answer: Answer) -> str:
        """The heading of a Block Kit answer: the topic and the place, or whose number."""
        if answer.kind == A.REVERSE:
            return self.say["reverse_header"].format(number=answer.number) if answer.number else self.say["reverse_header_many"]
        header, place = self.topic(answer.topic) or self.say["header"], self.place(answer)
        return self.say["with_place"].format(header=header, place=place) if place and not answer.nearby else header

    def jurisdiction_text(self, reason: Jurisdiction) -> str:
        """宮城県は東北経済産業局の管轄です。 / 仙台市（宮城県）は… / 富山県・石川県は…"""
        say, name = self.say, self.place_name
        who = (say["jurisdiction_city"].format(city=name(reason.city), prefecture=name(reason.prefectures[0]))
               if reason.city else say["places"].join(name(p) for p in reason.prefectures))
        return say["jurisdiction"].format(who=who, area=reason.area_name, word=reason.area_word)

    def closed_text(self, closed: ClosedNow | None) -> str:
        """'' when open; else that it is closed now and when it opens (Japan time)."""
        if closed is None:
            return ""
        o, say = closed.opens, self.say
        minutes = say["minutes"].format(minute=o.minute) if o.minute else ""
        when = say["opens"].format(month=o.month, day=o.day, weekday=self.s.weekdays[o.weekday()], hour=o.hour,
                                   minute=o.minute, minutes=minutes)
        return say["closed"].format(hours=self._hours.get(closed.contact_id) or closed.hours, when=when)

    def missing_text(self, answer: Answer) -> str:
        """What the list does not have, in one or two sentences ('' when nothing is missing)."""
        m, say = answer.missing, self.say
        if m is None:
            return ""
        if m.gap == Gap.NOT_IN_PREFECTURE:
            where = (say["where_places"].join(self.place_name(w) for w in m.where) if len(m.where) <= MAX_PREFECTURES_NAMED
                     else say["prefectures_count"].format(n=len(m.where)))
        else:
            where = say["list"].join(m.where)
        text = self.s.gap[m.gap].format(place=self.place(answer) or say["no_place"],
                                        subject=self.topic(m.subject) or say["some_office"], where=where)
        if not m.region:
            return text
        return say["nearby"].format(text=text, region=m.region, region_name=self._regions.get(m.region, m.region))

    def ask_text(self, answer: Answer) -> str:
        return self.s.ask[answer.asks].format(place=self.place(answer), name=answer.place_name) if answer.asks else ""

    # -- contacts ----------------------------------------------------------------
    def title(self, contact: Contact, with_table: bool = False) -> str:
        """The office's name (in English with what it is beside it); with the table it comes from when the same name
        is listed twice in one answer."""
        gloss = self._gloss.get(contact.id)
        name = self.say["glossed"].format(name=contact.name, gloss=gloss) if gloss else contact.name
        if not with_table:
            return name
        category = self.knowledge.category_by_id[contact.category]
        return self.say["with_table"].format(name=name, table=self._topics.get(category.label, category.label))

    @staticmethod
    def repeated(contacts) -> frozenset[str]:
        """Ids of contacts whose name another of these contacts has too, spaces aside (one office printed in two
        tables, 商工労働部経営支援課 / 商工労働部 経営支援課): their titles say which table."""
        if len(contacts) < 2:
            return frozenset()
        names = [c.name.replace(" ", "") for c in contacts]
        return frozenset(c.id for c, n in zip(contacts, names) if names.count(n) > 1)

    def details(self, contact: Contact, show_place: bool = False, closed: str = "") -> list[str]:
        """Lines under a contact's name: phone, operator, place, URL, notes, closed-now note."""
        k, say = self.knowledge, self.say
        lines = [say["phone"].format(phones=self.phones_text(contact)) if contact.phones else say["no_phone"]]
        if contact.operator:
            lines.append(say["operator"].format(label=k.category_by_id[contact.category].operator_label,
                                                operator=contact.operator))
        pref = k.prefecture_of(contact) if show_place else None
        if pref:
            lines.append(say["located"].format(place=self.place_name(k.prefecture_by_short[pref].name)))
        lines += [x for x in (contact.url, contact.notes) if x]
        if contact.inherited_phones:
            lines.append(say["inherited"])
        return lines + ([closed] if closed else [])

    def lead(self, answer: Answer) -> str:
        """The first sentence: the answer itself."""
        contacts, n, say = answer.contacts, len(answer.contacts), self.say
        if answer.kind == A.REVERSE:
            if not answer.number:  # several numbers asked about: each office below shows its own
                return say["reverse_many"].format(n=n)
            return say["reverse"].format(number=answer.number, names=say["list"].join(c.name for c in contacts))
        if answer.nearby:
            return self.missing_text(answer)
        if answer.named or not answer.topic:
            if n == 1 and contacts[0].phones:
                return say["named_phone"].format(name=contacts[0].name, phone=self.phone_text(contacts[0].phones[0]))
            return say["named_one"].format(name=contacts[0].name) if n == 1 else say["named_many"].format(n=n)
        local = any(self.knowledge.prefecture_of(c) or c.serves.kind == Reach.AREA for c in contacts)
        place = self.place(answer)
        # a chosen office area (「中小機構 中部本部の…」) is left out when every office's own name says it already
        area_said = answer.place.area_name and (not self.s.area_in_lead or all(c.name.startswith(place) for c in contacts))
        where = say["where"].format(place=place) if place and local and not area_said else ""
        topic = self.topic(answer.topic, after_place=bool(where))
        if n == 1:
            return say["topic_one"].format(where=where, topic=topic, name=contacts[0].name)
        return say["topic_many"].format(where=where, topic=topic, n=n)

    def after_list(self, answer: Answer) -> list[str]:
        """Lines after the contacts: how many more, table notes, what changed since the source."""
        lines = [self.more_line(answer)] if answer.more else []
        lines += list(answer.notes) + [self.change_text(x) for x in answer.changes]
        if answer.hotline and answer.contacts:  # beside what the list offers instead of a body it does not contain
            lines.append(self.say["hotline"].format(name=answer.hotline.organization, number=self.hotline_number(answer.hotline)))
        return lines

    def more_line(self, answer: Answer) -> str:
        return self.say["more_placed" if answer.place.prefecture_names else "more"].format(n=answer.more)

    def opening(self, answer: Answer) -> list[str]:
        """The first lines: a body the list does not contain, or a missing office, is said before what we have
        instead, then the answer."""
        lines = [self.change_text(x) for x in answer.unlisted]
        if answer.unlisted and answer.contacts:
            lines.append(self.say["unlisted_instead"])
        if answer.missing and not answer.nearby:
            lines.append(self.missing_text(answer))
        return lines + [self.lead(answer)]

    def before_list(self, answer: Answer) -> list[str]:
        """Lines between the lead and the contacts: jurisdiction, carried-over place, slips read, truncation."""
        say = self.say
        lines = [self.jurisdiction_text(r) for r in answer.reasons]
        if answer.nationwide_for_place:
            key = "nationwide_for_place_many" if len(answer.contacts) > 1 else "nationwide_for_place"
            lines.append(say[key].format(place=self.place(answer)))
        if answer.kind == A.CLARIFY and answer.missing:
            lines.insert(0, self.missing_text(answer))  # the reply to the last question was not understood
        if answer.kind == A.CLARIFY and answer.unlisted:
            lines[:0] = [self.change_text(x) for x in answer.unlisted]  # よろず支援拠点 is not in the list: said first
        if answer.forgot:
            lines.insert(0, say["forgot"])
        lines += [say["slip"].format(typed=typed, meant=meant) for typed, meant in answer.corrections]
        if answer.carried_place and self.place(answer):
            lines.append(say["carried"].format(place=self.place(answer)))
        if answer.truncated:
            lines.append(say["truncated"])
        return lines

    # -- clarify -----------------------------------------------------------------
    def clarify(self, answer: Answer) -> str:
        if answer.topic:
            return self.say["clarify_topic"].format(topic=self.topic(answer.topic), ask=self.ask_text(answer))
        return self.ask_text(answer)

    def clarify_hint(self, answer: Answer) -> str:
        topics, many, few = self.s.clarify_hints
        if answer.choices and answer.choices[0].kind == ChoiceKind.INTENT:
            return topics
        return many if len(answer.choices) > MAX_NUMBERED_CHOICES else few

    def national_line(self, contact: Contact) -> str:
        return self.say["national"].format(name=contact.name, phones=self.phones_text(contact))

    # -- fallback, small talk ------------------------------------------------------
    def fallback(self, answer: Answer) -> list[str]:
        say = self.say
        if answer.missing and answer.missing.gap in NOT_OURS:  # what the list does not cover, and what it does
            return [self.missing_text(answer), say["covers"].format(topics=self.topic(answer.topics[:COVERS_NAMED]))]
        if answer.missing:
            lines = [self.missing_text(answer)]
        elif answer.kind == A.UNKNOWN_NUMBER:
            lines = [say["unknown_number"].format(number=answer.number)]
        else:
            lines = [say["not_found"]]
        if answer.hotline:
            lines.append(say["hotline"].format(name=answer.hotline.organization, number=self.hotline_number(answer.hotline)))
            closed = self.closed_text(answer.closed_for(answer.hotline.id))
            if closed:
                lines.append(closed)
        return lines + [self.hint(answer)]

    def hotline_number(self, hotline: Contact) -> str:
        """0570-009-111（ナビダイヤル、平日午前9時～午後5時）: its kind and its hours (hours.toml)."""
        phone = hotline.phones[0]
        kind = phone.describe()
        about = [x for x in (self.s.phone_kinds.get(kind, kind), self._hours.get(hotline.id, "")) if x]
        return self.say["number_about"].format(number=phone.number, about=self.say["about"].join(about)) if about else phone.number

    def hint(self, answer: Answer) -> str:
        say, place = self.say, self.place(answer)
        if place and not answer.missing:
            return say["hint_place"].format(place=place)
        if answer.examples and say["hint_examples"]:
            return say["hint_examples"].format(examples="".join(say["example"].format(text=e) for e in answer.examples[:2]))
        return say["hint"]

    def greeting(self, answer: Answer) -> list[str]:
        return [self.say["greeting"], self.hint(answer)]

    def thanks(self, answer: Answer) -> list[str]:
        return [self.say["thanks"]]

    def help(self, answer: Answer) -> list[str]:
        if self.s.english_names:  # the topics by their intents' own English labels (a table's may differ)
            names = [i.label_en for i in self.knowledge.intents if i.label_en and i.label in answer.topics]
        else:
            names = list(answer.topics)
        topics = self.say["topic_list"].join(names)
        examples = "".join(self.say["example"].format(text=e) for e in answer.examples[:4]) if self.say["example"] else ""
        return [line.format(topics=topics, examples=examples, follow_ups=self.say["follow_ups"])
                for line in self.s.help if examples or "{examples}" not in line]
