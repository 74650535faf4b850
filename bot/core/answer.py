"""The structured answer the core returns; presenters turn it into plain text or Block Kit."""

from __future__ import annotations

from typing import NamedTuple

from bot.core.conversation import Choice
from bot.knowledge.model import Contact

# kinds of answer
CONTACTS = "contacts"  # here are the offices
REVERSE = "reverse"  # the number you asked about belongs to …
UNKNOWN_NUMBER = "unknown_number"  # that number is not in the list
CLARIFY = "clarify"  # one short question with choices
FALLBACK = "fallback"  # 分かりませんでした + the general hotline
GREETING = "greeting"
THANKS = "thanks"
HELP = "help"


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
    """What to tell the user. Wording is the presenters' job; this holds the facts.

    Place and Answer are NamedTuples rather than dataclasses: one or more are made for every message.
    """

    kind: str
    question: str = ""
    truncated: bool = False
    contacts: tuple[Contact, ...] = ()
    more: int = 0  # further matching contacts not shown
    topic: str = ""  # what was asked about, e.g. 事業承継・事業引継ぎ
    named: bool = False  # the question named the office itself (ジェトロ福岡, 商工中金)
    intent: str = ""
    place: Place = Place()
    carried_place: bool = False  # the place came from earlier in the conversation
    reasons: tuple[str, ...] = ()  # why these offices: 宮城県は東北経済産業局の管轄です。
    missing: str = ""  # 高知県の産業復興相談センターはこの一覧にありません。
    nearby: bool = False  # contacts are from neighbouring prefectures because the place has none
    notes: tuple[str, ...] = ()  # table notes (※…) and today's names of renamed bodies
    question_text: str = ""  # the clarifying question
    choices: tuple[Choice, ...] = ()
    national: tuple[Contact, ...] = ()  # nationwide offices mentioned beside a clarifying question
    hotline: Contact | None = None
    examples: tuple[str, ...] = ()  # example questions for help and fallback
    topics: tuple[str, ...] = ()  # what can be asked (help)
    number: str = ""  # the phone number asked about (reverse look-up)
    closed: tuple[tuple[str, str], ...] = ()  # (contact id, "ただいま受付時間外です…") for offices closed right now
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for words read as a slip: ジェトル → ジェトロ

    def closed_note(self, contact_id: str) -> str:
        return next((note for cid, note in self.closed if cid == contact_id), "")

    @property
    def category(self) -> str:
        return self.contacts[0].category if self.contacts else ""

    @property
    def prefecture(self) -> str:
        return self.place.prefecture_names[0] if self.place.prefecture_names else ""

    @property
    def is_clarify(self) -> bool:
        return self.kind == CLARIFY
