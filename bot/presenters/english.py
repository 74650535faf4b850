"""The English sentences of a reply to a question asked in English: the same facts as bot.presenters.wording, other
words. Office names, their numbers, notes and hours stay as printed in the source; places and topics are named in
English from the knowledge (prefectures' romaji, the label_en of intents and categories)."""

from __future__ import annotations

from bot.core import answer as A
from bot.core.answer import MAX_QUESTION_CHARS, Answer, Ask, Choice, ClosedNow, Gap, Jurisdiction, Renamed
from bot.core.domain import ChoiceKind
from bot.knowledge.model import Contact, Knowledge, Phone, Reach
from bot.language.text import place_romaji
from bot.presenters.wording import MAX_PREFECTURES_NAMED, Wording

ASK = {
    Ask.PREFECTURE: "Which prefecture are you in?",
    Ask.PREFECTURE_OR_AREA: "Which prefecture are you in? (A region is fine too.)",
    Ask.PREFECTURE_IN_REGION: "Which prefecture of {place}?",
    Ask.CATEGORY: "Which kind of office in {place} are you looking for?",
    Ask.TOPIC: "Which of these is closest to what you need?",
}
GAP = {
    Gap.NO_MORE: "There are no other offices to show besides the previous answer.",
    Gap.NAME_NOT_HERE: "The list has no office of that name in {place}.",
    Gap.REPRESENTATIVE: "The list has no main number for it.",
    Gap.ADDRESS: "The list has no addresses; please ask by phone.",
    Gap.URL: "The list has no website for it; please ask by phone.",
    Gap.NUMBERS: "{where} is not a number in this list.",
    Gap.TOPIC_NOT_READ: "Sorry, I could not tell what you need.",
    Gap.PLACE_NOT_READ: "Sorry, I could not tell which prefecture.",
    Gap.NO_REGIONAL_OFFICE: "The list has no {subject} office for {place}; here is the nationwide one.",
    Gap.NOT_IN_PREFECTURE: "The list has no {subject} in {place} (it has them in {where}).",
    Gap.NONE_HERE: "The list has no {subject} for {place}.",
}
PHONE_KINDS = {"代表": "main", "直通": "direct", "フリーダイヤル": "toll-free", "ナビダイヤル": "Navi Dial", "携帯電話": "mobile"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class EnglishWording(Wording):
    LANGUAGE = "en"
    ADDED = "{names}: added by our staff (not in the source)."
    LIST_SEPARATOR = ", "
    UI = {"asked": "Your question", "header": "Whom to call", "more": "Show {n} more", "share": "Share in channel",
          "good": "Helpful", "bad": "Wrong", "select": "Choose", "type_place": "You can also type the prefecture.",
          "phone": "Phone: "}
    CLARIFY_HINTS = ("Answer with a number or what you need (e.g. \"business succession\", \"export\").",
                     "Answer with a prefecture or city (e.g. \"Miyagi\", \"Sendai\").",
                     "Answer with a number, or a prefecture or city (e.g. \"Miyagi\", \"Sendai\").")

    def __init__(self, knowledge: Knowledge):
        super().__init__(knowledge)
        self._topics = {x.label: x.label_en for x in (*knowledge.intents, *knowledge.categories) if x.label_en}
        self._places = {p.name: p.romaji for p in knowledge.prefectures if p.romaji}
        self._places.update({p.short: p.romaji for p in knowledge.prefectures if p.romaji})
        for city in knowledge.cities:
            if city.name.endswith("市") and city.kana.endswith("し"):
                self._places[city.name] = place_romaji(city.kana[:-1])
        self._regions = {r.name: next((n for n in r.names if n.isascii()), f"the {r.name} region") for r in knowledge.regions}

    # -- names ---------------------------------------------------------------
    def header(self, answer: Answer) -> str:
        if answer.kind == A.REVERSE:
            return f"Whose number is {answer.number}" if answer.number else "Whose numbers these are"
        header = self.topic(answer.topic) or self.UI["header"]
        return f"{header} ({self.place(answer)})" if self.place(answer) and not answer.nearby else header

    def topic(self, labels: tuple[str, ...]) -> str:
        return ", ".join(self._topics.get(label, label) for label in labels)

    def place(self, answer: Answer) -> str:
        p = answer.place
        if p.other_cities:
            return " and ".join(self._places.get(c, c) for c in p.cities)
        if p.city and p.prefecture_names:
            return f"{self._places.get(p.city, p.city)} ({self._places.get(p.prefecture_names[0], p.prefecture_names[0])})"
        if p.prefecture_names:
            return " and ".join(self._places.get(n, n) for n in p.prefecture_names)
        if p.area_name:
            return p.area_name
        return self._regions.get(p.region, p.region)

    def choice_label(self, choice: Choice) -> str:
        kind, value = choice.kind, choice.target
        if kind == ChoiceKind.PREFECTURE:
            return self._places.get(value, choice.label)
        if kind == ChoiceKind.INTENT and value in self.knowledge.intent_by_id:
            return self.knowledge.intent_by_id[value].label_en or choice.label
        return choice.label

    # -- pieces --------------------------------------------------------------
    def phone_text(self, phone: Phone) -> str:
        text = f"{phone.label} {phone.number}" if phone.label else phone.number
        kind = PHONE_KINDS.get(phone.describe(), phone.describe())
        return f"{text} ({kind})" if kind else text

    def missing_text(self, answer: Answer) -> str:
        m = answer.missing
        if m is None:
            return ""
        if m.gap == Gap.NOT_IN_PREFECTURE and len(m.where) <= MAX_PREFECTURES_NAMED:
            where = ", ".join(self._places.get(w, w) for w in m.where)
        elif m.gap == Gap.NOT_IN_PREFECTURE:
            where = f"{len(m.where)} prefectures"
        else:
            where = ", ".join(m.where)
        text = GAP[m.gap].format(place=self.place(answer) or "your area", subject=self.topic(m.subject) or "office",
                                 where=where)
        return f"{text} Here are offices in the same region ({self._regions.get(m.region, m.region)})." if m.region else text

    def ask_text(self, answer: Answer) -> str:
        return ASK[answer.asks].format(place=self.place(answer)) if answer.asks else ""

    def jurisdiction_text(self, reason: Jurisdiction) -> str:
        who = (self._places.get(reason.city, reason.city) if reason.city
               else " and ".join(self._places.get(p, p) for p in reason.prefectures))
        return f"{who} is covered by {reason.area_name}."

    @staticmethod
    def renamed_text(renamed: Renamed) -> str:
        since = f" since {renamed.renamed_in}" if renamed.renamed_in else ""
        return f"「{renamed.official}」 has been 「{renamed.renamed_to}」{since}."

    @staticmethod
    def closed_text(closed: ClosedNow | None) -> str:
        if closed is None:
            return ""
        o = closed.opens
        return (f"Closed now ({closed.hours}). Opens {WEEKDAYS[o.weekday()]} {o.month}/{o.day} at {o.hour}:{o.minute:02d}"
                " (Japan time).")

    def source_line(self) -> str:
        s = self.knowledge.source
        if s.title:
            when = "undated" if s.as_of.startswith("日付不明") or not s.as_of else s.as_of.split("（")[0]
            checked = f", checked {s.reviewed}" if s.reviewed else ""
            origin = f"{s.publisher}「{s.title}」 ({when}{checked})"
        else:
            origin = "madoguchi's knowledge files"
        return f"Based on {origin}. Numbers may have changed."

    # -- contacts ------------------------------------------------------------
    def title(self, contact: Contact, with_table: bool = False) -> str:
        if with_table:
            cat = self.knowledge.category_by_id[contact.category]
            return f"{contact.name} ({cat.label_en or cat.label})"
        return contact.name

    def details(self, contact: Contact, show_place: bool = False, closed: str = "") -> list[str]:
        k = self.knowledge
        lines = [f"Phone: {' / '.join(self.phone_text(p) for p in contact.phones)}" if contact.phones
                 else "The list has no phone number for it."]
        if contact.operator:
            lines.append(f"Run by: {contact.operator}")
        pref = k.prefecture_of(contact) if show_place else None
        if pref:
            lines.append(f"In: {self._places.get(pref, pref)}")
        lines += [x for x in (contact.url, contact.notes) if x]
        if contact.inherited_phones:
            lines.append("(The source prints this number together with the row above.)")
        return lines + ([closed] if closed else [])

    def lead(self, answer: Answer) -> str:
        contacts, n = answer.contacts, len(answer.contacts)
        if answer.kind == A.REVERSE:
            if not answer.number:
                return f"The numbers you asked about belong to these {n} offices."
            return f"{answer.number} is the number of {', '.join(c.name for c in contacts)}."
        if answer.nearby:
            return self.missing_text(answer)
        if answer.named or not answer.topic:
            if n == 1 and contacts[0].phones:
                return f"The number of {contacts[0].name} is {self.phone_text(contacts[0].phones[0])}."
            return f"Here is whom to contact: {contacts[0].name}." if n == 1 else f"Here are {n} offices to contact."
        local = any(self.knowledge.prefecture_of(c) or c.serves.kind == Reach.AREA for c in contacts)
        where = f" in {self.place(answer)}" if local and self.place(answer) and not answer.place.area_name else ""
        topic = self.topic(answer.topic)
        if n == 1:
            return f"For {topic}{where}, contact {contacts[0].name}."
        return f"For {topic}{where}, here are {n} offices to contact."

    def after_list(self, answer: Answer) -> list[str]:
        lines = [self.more_line(answer)] if answer.more else []
        return lines + list(answer.notes) + [self.renamed_text(r) for r in answer.renamed]

    def more_line(self, answer: Answer) -> str:
        return (f"There are {answer.more} more. Ask \"any others?\" to see them, or add a prefecture or an office "
                f"name to narrow down.")

    def opening(self, answer: Answer) -> list[str]:
        return ([self.missing_text(answer)] if answer.missing and not answer.nearby else []) + [self.lead(answer)]

    def before_list(self, answer: Answer) -> list[str]:
        lines = [self.jurisdiction_text(r) for r in answer.reasons]
        if answer.kind == A.CLARIFY and answer.missing:
            lines.insert(0, self.missing_text(answer))
        lines += [f"(I read \"{typed}\" as \"{meant}\".)" for typed, meant in answer.corrections]
        if answer.carried_place and self.place(answer):
            lines.append(f"(Answering for {self.place(answer)}, from your earlier question.)")
        if answer.truncated:
            lines.append(f"(Your question is long: I read its first {MAX_QUESTION_CHARS} characters.)")
        return lines

    # -- clarify -------------------------------------------------------------
    def clarify(self, answer: Answer) -> str:
        if answer.topic:
            return f"Offices for {self.topic(answer.topic)} are by region. {self.ask_text(answer)}"
        return self.ask_text(answer)

    def national_line(self, contact: Contact) -> str:
        return f"There is also the nationwide {contact.name} (phone {' / '.join(map(self.phone_text, contact.phones))})."

    # -- fallback, small talk ------------------------------------------------
    def fallback(self, answer: Answer) -> list[str]:
        if answer.missing:
            lines = [self.missing_text(answer)]
        elif answer.kind == A.UNKNOWN_NUMBER:
            lines = [f"{answer.number} is not a number in this list, so I could not find its office."]
        else:
            lines = ["Sorry, I could not find an office for that."]
        if answer.hotline:
            phone, hours = answer.hotline.phones[0], answer.hotline.notes.split("。")[0]
            about = [x for x in (PHONE_KINDS.get(phone.describe(), ""), hours.replace("受付時間", "").strip()) if x]
            lines.append(f"For any business question you can also call 「{answer.hotline.organization}」 at {phone.number}"
                         + (f" ({'; '.join(about)})." if about else "."))
            closed = self.closed_text(answer.closed_for(answer.hotline.id))
            if closed:
                lines.append(closed)
        return lines + [self.hint(answer)]

    def hint(self, answer: Answer) -> str:
        if answer.place.label and not answer.missing:
            return f"For offices in {self.place(answer)}, add what you need (e.g. \"business succession\", \"patents\")."
        return "Tell me what you need and where, e.g. \"business succession in Miyagi\" or \"JETRO Fukuoka\"."

    def greeting(self, answer: Answer) -> list[str]:
        return ["Hello, this is madoguchi. I find whom small businesses in Japan should call (offices and numbers).",
                self.hint(answer)]

    def thanks(self, answer: Answer) -> list[str]:
        return ["You're welcome. Ask any time about other offices."]

    def help(self, answer: Answer) -> list[str]:
        topics = [i.label_en for i in self.knowledge.intents if i.label_en and i.label in answer.topics]
        return ["How to use madoguchi: write what you need and your prefecture (a city is fine).",
                "Send a phone number to find whose number it is.",
                "After an answer you can go on: \"and Fukushima?\", \"any others?\".",
                "I can help with: " + "; ".join(topics) + "."]
