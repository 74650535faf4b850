"""What the core returns: typed facts. Presenters (bot/presenters) turn them into sentences; nothing here is wording.
The kinds of answer, question and gap are declared with the rest of the domain (bot.core.domain).

Place and Answer are NamedTuples (one or more are made for every message, and cheap to copy with _replace).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot.core.domain import AnswerKind, Ask, Choice, Gap  # noqa: F401 - the answer's vocabulary, declared there
from bot.knowledge.model import Change, Contact

MAX_QUESTION_CHARS = 500  # a longer message is cut here and the answer says so
MAX_NUMBERED_CHOICES = 12  # longer choice lists are not numbered, so a bare number does not pick from them


CONTACTS, REVERSE, UNKNOWN_NUMBER, CLARIFY = AnswerKind.CONTACTS, AnswerKind.REVERSE, AnswerKind.UNKNOWN_NUMBER, AnswerKind.CLARIFY
FALLBACK, GREETING, THANKS, HELP = AnswerKind.FALLBACK, AnswerKind.GREETING, AnswerKind.THANKS, AnswerKind.HELP


class Missing(NamedTuple):
    gap: Gap
    subject: tuple[str, ...] = ()  # the topic or kind of office (labels from the knowledge)
    where: tuple[str, ...] = ()  # prefectures that have it (NOT_IN_PREFECTURE) or unknown numbers (NUMBERS)
    region: str = ""  # NONE_HERE: the region whose offices are offered instead


class Jurisdiction(NamedTuple):
    """Why a regional office: the place asked about is in its area (宮城県 → 東北経済産業局の管轄)."""

    prefectures: tuple[str, ...]  # full names
    city: str
    area_name: str
    area_word: str  # 管轄 / 担当 (from reference/areas.toml)


class ClosedNow(NamedTuple):
    """An office with opening hours that is closed right now, and when it next opens (Japan time)."""

    contact_id: str
    hours: str  # the hours as written in the knowledge
    opens: datetime


class Place(NamedTuple):
    """Where the user's business is, as far as the question says."""

    prefectures: tuple[str, ...] = ()  # short names
    prefecture_names: tuple[str, ...] = ()  # full names (宮城県)
    city: str = ""
    region: str = ""
    area: str = ""  # area id, when the user picked a regional office
    area_name: str = ""
    other_cities: tuple[str, ...] = ()  # 「仙台と札幌」: the cities named after the first

    @property
    def cities(self) -> tuple[str, ...]:
        return (self.city, *self.other_cities) if self.city else ()

    @property
    def label(self) -> str:
        """The place as named in a reply (仙台市（宮城県）, 東北地方): names from the knowledge, joined."""
        if self.other_cities:
            return "・".join(self.cities)
        if self.city and self.prefecture_names:
            return f"{self.city}（{self.prefecture_names[0]}）"
        if self.prefecture_names:
            return "・".join(self.prefecture_names)
        if self.area_name:
            return self.area_name
        if self.region:
            return f"{self.region}地方"
        return ""

    @property
    def given(self) -> bool:
        """Does the question (or the conversation) say where at all?"""
        return bool(self.prefectures or self.region or self.area)


class Answer(NamedTuple):
    """What to tell the user, as facts."""

    kind: AnswerKind
    question: str = ""
    truncated: bool = False
    contacts: tuple[Contact, ...] = ()
    more: int = 0  # further matching contacts not shown
    topic: tuple[str, ...] = ()  # labels of what was asked about (事業承継・事業引継ぎ), or of the one table shown
    named: bool = False  # the question named the office itself (ジェトロ福岡, 商工中金)
    intent: str = ""
    place: Place = Place()
    carried_place: bool = False  # the place came from earlier in the conversation
    forgot: bool = False  # the conversation's earlier turns were lost (a thread whose state expired or was lost)
    place_name: str = ""  # the name asked about (Ask.PREFECTURE_OF_NAME: 池田町)
    nationwide_for_place: bool = False  # a place was asked about and every office shown serves the whole country
    reasons: tuple[Jurisdiction, ...] = ()  # why these offices
    missing: Missing | None = None  # what the list does not have
    nearby: bool = False  # contacts are from neighbouring prefectures because the place has none
    notes: tuple[str, ...] = ()  # table notes (※…) from the knowledge
    changes: tuple[Change, ...] = ()  # what changed since the source for these offices or topics (changes.toml)
    unlisted: tuple[Change, ...] = ()  # bodies asked for that the list does not contain (よろず支援拠点)
    asks: Ask | None = None  # the clarifying question
    choices: tuple[Choice, ...] = ()
    national: tuple[Contact, ...] = ()  # nationwide offices mentioned beside a clarifying question
    hotline: Contact | None = None
    examples: tuple[str, ...] = ()  # example questions for help and fallback
    topics: tuple[str, ...] = ()  # what can be asked (help)
    number: str = ""  # the phone number asked about (reverse look-up)
    closed: tuple[ClosedNow, ...] = ()  # offices closed right now
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for words read as a slip: ジェトル → ジェトロ
    language: str = "ja"  # the language to answer in: "ja", or "en" for a question asked in English

    def closed_for(self, contact_id: str) -> ClosedNow | None:
        return next((c for c in self.closed if c.contact_id == contact_id), None)

    @property
    def category(self) -> str:
        return self.contacts[0].category if self.contacts else ""

    @property
    def prefecture(self) -> str:
        return self.place.prefecture_names[0] if self.place.prefecture_names else ""

    @property
    def is_clarify(self) -> bool:
        return self.kind == CLARIFY
