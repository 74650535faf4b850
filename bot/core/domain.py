"""The domain, declared once (as Rasa declares its domain): what the understanding finds in a message, the groups of
conversation words and what they ask, the choices a clarifying question offers (with the one encoding of a choice's
value), what a clarifying question waits for, and what an answer is, asks and lacks.

Every module that builds or reads one of these uses the names here; none writes the strings itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AnswerKind(StrEnum):
    CONTACTS = "contacts"  # here are the offices
    REVERSE = "reverse"  # the number you asked about belongs to …
    UNKNOWN_NUMBER = "unknown_number"  # that number is not in the list
    CLARIFY = "clarify"  # one short question with choices
    FALLBACK = "fallback"  # 分かりませんでした + the general hotline
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"


class Ask(StrEnum):
    """What a clarifying question asks."""

    PREFECTURE = "prefecture"  # which prefecture?
    PREFECTURE_OR_AREA = "prefecture_or_area"  # which prefecture (or region)?
    PREFECTURE_IN_REGION = "prefecture_in_region"  # which prefecture of the region named (the answer's place)?
    CATEGORY = "category"  # which kind of office, in the answer's place?
    TOPIC = "topic"  # which of these topics (two or three read from the question)?
    PREFECTURE_OF_NAME = "prefecture_of_name"  # a municipality's name several prefectures share (池田町): which one?


class Gap(StrEnum):
    """Something the list does not have, said before (or instead of) what it has."""

    NO_MORE = "no_more"  # 「ほかには？」 with nothing more to show
    NAME_NOT_HERE = "name_not_here"  # no office of the name asked about in the place
    REPRESENTATIVE = "representative"  # no main number of the organization in the list
    ADDRESS = "address"  # the list has no addresses
    URL = "url"  # no URL for the offices shown
    NUMBERS = "numbers"  # these numbers (Missing.where) are not in the list
    TOPIC_NOT_READ = "topic_not_read"  # the reply to 「どの窓口？」 was not understood
    PLACE_NOT_READ = "place_not_read"  # the reply to 「どちらの都道府県？」 was not understood
    NO_REGIONAL_OFFICE = "no_regional_office"  # the topic's regional office for the place is not listed: nationwide one
    NOT_IN_PREFECTURE = "not_in_prefecture"  # the table has no office in the place (Missing.where: where it has)
    NONE_HERE = "none_here"  # no office of this kind serves the place (Missing.region: nearby ones offered)
    PLACE_UNKNOWN = "place_unknown"  # a place name the knowledge does not know (Missing.subject: the name as typed)
    OUT_OF_SCOPE = "out_of_scope"  # a matter the list does not cover (確定申告; Missing.subject: the words as found)
    PERSONAL = "personal"  # a personal money matter (車のローン; Missing.subject: the personal words): the list is for firms


class MatchKind(StrEnum):
    """What a phrase of the knowledge index stands for: the first item of a match's payload (the second says which)."""

    PREFECTURE = "pref"  # a prefecture's short name
    CITY = "city"  # a city's name (reference/cities.csv: with its other names, and offices of its own)
    MUNICIPALITY = "municipality"  # a name of one or more municipalities: the key of KnowledgeIndex.municipalities
    REGION = "region"  # a region's name (東北, or a local name spanning several prefectures)
    WEAK_REGION = "weak_region"  # a region's name that may mean something else (中国)
    INTENT = "intent"  # an intent's id, from one of its keywords
    WEAK_INTENT = "weak_intent"  # the same, from a weak keyword
    NAME = "unit"  # a name of one or more offices (a unit of their names)
    LEVEL = "level"  # a word naming a level of office in a follow-up (都道府県の窓口): the second item is the intent id
    UNLISTED = "unlisted"  # a name of a body the list does not contain (changes.toml's not_listed): the change id
    CUE = "vocab"  # a conversation word: the second item is its Cue
    ADDRESS_SUFFIX = "address_suffix"  # 区, 町, 丁目: the word before is part of an address
    BUSINESS = "business"  # 店, を経営: the words before name the user's line of business


PLACE_KINDS = frozenset({MatchKind.PREFECTURE, MatchKind.CITY, MatchKind.MUNICIPALITY, MatchKind.REGION,
                         MatchKind.WEAK_REGION})
TOPIC_KINDS = frozenset({MatchKind.INTENT, MatchKind.WEAK_INTENT})


class Cue(StrEnum):
    """The groups of conversation words; each value is the group's key in conversation.toml."""

    GREETING = "greetings"
    THANKS = "thanks"
    HELP = "help"
    DETAILS = "details"  # 電話番号は？: the offices just shown, again
    REPRESENTATIVE = "representative"  # 代表番号は？: their organization's own row
    ADDRESS = "address"  # 住所は？: the list has none
    URL = "url"  # ホームページは？
    MORE = "more"  # ほかには？: the offices the last answer had no room for
    ALL_JAPAN = "nationwide"  # 全国: the nationwide offices are meant (where an office serves is Reach, not this)
    NEGATION = "negations"  # じゃなくて: takes back the place, topic or office just before
    ADDITION = "additions"  # も, それと: adds what is asked to the last answer
    FILLER = "filler"  # words that carry no meaning in a question
    HONORIFIC = "honorifics"  # さん, 社長: the name before is a person's
    NOT_NAME = "not_names"  # 担当, ところ: say what kind of office, never part of its name
    ASKING = "asking"  # どこ, 教えて, ありますか: the sentence asks (bot.core.asking)
    WANTING = "wanting"  # したい, 困っている: the sentence says what is wanted (bot.core.asking)
    PERSONAL = "personal"  # 個人, 車, 奨学金: a money matter with one and no business word is a personal one
    BOT_NAME = "bot_names"  # 窓口ナビ: the bot is spoken to by name (in a thread people share)
    OTHER_PLACE = "other_places"  # ほかの県は？: the same topic, somewhere else — which place (not the prefecture level)
    NOT_PLACE = "not_places"  # どうしたら, なんとか: kana that sound like a place (設楽, 南砺) but are everyday words


SMALL_TALK = {Cue.HELP: AnswerKind.HELP, Cue.THANKS: AnswerKind.THANKS,  # in this order: help wins over a greeting
              Cue.GREETING: AnswerKind.GREETING}
ABOUT_LAST = frozenset({Cue.DETAILS, Cue.REPRESENTATIVE})  # ask again about the offices just shown
SAY_NOTHING_ASKED = frozenset({Cue.FILLER, Cue.HONORIFIC, Cue.NOT_NAME, Cue.NOT_PLACE, Cue.NEGATION, Cue.ADDITION, Cue.ASKING,
                               Cue.WANTING, Cue.PERSONAL})
# in a thread people share, the words that make a message a follow-up for the bot (「電話番号は？」「ほかには？」「全国は？」)
FOR_THE_BOT = frozenset({Cue.DETAILS, Cue.REPRESENTATIVE, Cue.ADDRESS, Cue.URL, Cue.MORE, Cue.ALL_JAPAN, Cue.HELP,
                         Cue.BOT_NAME, Cue.OTHER_PLACE})
CORRECTIONS = frozenset({Cue.NEGATION, Cue.ADDITION})  # change what the last answer said rather than ask anew


class ChoiceKind(StrEnum):
    PREFECTURE = "prefecture"  # target: a prefecture's short name
    AREA = "area"  # target: an area's id (経済産業局:東北)
    INTENT = "intent"  # target: an intent's id
    MORE = "more"  # 「ほかのN件を見る」: no target


class Pending(StrEnum):
    """What an open clarifying question waits for (kept in the conversation state)."""

    PREFECTURE = "prefecture"
    AREA = "area"  # a prefecture or a region
    CATEGORY = "category"  # a topic or kind of office


PENDING_FOR = {ChoiceKind.PREFECTURE: Pending.PREFECTURE, ChoiceKind.AREA: Pending.AREA,
               ChoiceKind.INTENT: Pending.CATEGORY}


@dataclass(frozen=True)
class Choice:
    """One option of a clarifying question. `value` is what answering it means, encoded as 'kind:target'
    ('prefecture:宮城', 'intent:succession'): made by `of`, read by `kind` and `target`, nowhere else."""

    label: str
    value: str

    @classmethod
    def of(cls, kind: ChoiceKind, target: str, label: str = "") -> Choice:
        return cls(label, f"{kind}:{target}")

    @property
    def kind(self) -> ChoiceKind | None:
        return read_choice(self.value)[0]

    @property
    def target(self) -> str:
        return read_choice(self.value)[1]


_CHOICE_KINDS = {k.value: k for k in ChoiceKind}


def read_choice(value: str) -> tuple[ChoiceKind | None, str]:
    """A choice value's kind (None for a value no choice was made with) and target."""
    kind, _, target = value.partition(":")
    return _CHOICE_KINDS.get(kind), target
