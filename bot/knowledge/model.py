"""Immutable objects the knowledge files are loaded into: one type per thing the files describe, kept in one module
so that the whole data model reads in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Mapping

NATIONWIDE = "全国"
_NAME_PART = re.compile(r"[／/\s]+")  # 産業技術課／特許室, 中小機構 関東本部: several names in one field


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: a knowledge file and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Phone:
    """One phone number of a contact, as printed in the source."""

    number: str  # e.g. "022-722-3858"
    label: str = ""  # e.g. "本社", "事業資金相談ダイヤル"
    kind: str = ""  # "代表" or "直通" when the source marks (代)/(直)

    @property
    def digits(self) -> str:
        return self.number.replace("-", "")

    @property
    def free_dial(self) -> bool:
        return self.number.startswith(("0120", "0800"))

    @property
    def navi_dial(self) -> bool:
        return self.number.startswith("0570")

    @property
    def mobile(self) -> bool:
        return self.number.startswith(("090", "080", "070"))

    def describe(self) -> str:
        """Short Japanese description of the kind of number, or ''."""
        if self.kind:
            return {"代表": "代表", "直通": "直通"}.get(self.kind, self.kind)
        if self.free_dial:
            return "フリーダイヤル"
        if self.navi_dial:
            return "ナビダイヤル"
        if self.mobile:
            return "携帯電話"
        return ""


class Reach(StrEnum):
    """How far an office's service reaches: the kinds of its `serves` cell (全国 is NATIONWIDE; the word 全国 in a
    question is a conversation cue, bot.core.domain.Cue.ALL_JAPAN)."""

    NATIONWIDE = "national"
    AREA = "area"  # the area of a regional office (経済産業局:東北)
    PREFECTURE = "prefecture"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class Serves:
    """Whom a contact serves: the whole country, a prefecture, a city or an area."""

    kind: Reach
    value: str  # "全国" | prefecture short name | city name | area id

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Contact:
    """One row of the source document: an office with its phone numbers."""

    id: str
    category: str
    organization: str
    department: str
    division: str
    serves: Serves
    phones: tuple[Phone, ...]
    url: str
    operator: str
    merged_with: str
    notes: str
    source_line: int | None
    origin: Origin
    inherited_phones: bool = False  # phones/operator come from merged_with
    name: str = field(init=False, compare=False)  # organization, department and division, as a person says it

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", " ".join(p for p in (self.organization, self.department, self.division) if p))

    @property
    def name_parts(self) -> frozenset[str]:
        """Each field of its name whole, and each name a field holds (「産業技術課／特許室」: 産業技術課, 特許室)."""
        fields_ = [f for f in (self.organization, self.department, self.division) if f]
        return frozenset([*fields_, *(part for f in fields_ for part in _NAME_PART.split(f) if part)])


@dataclass(frozen=True, slots=True)
class Category:
    """A table of the source document (all contacts of one kind)."""

    id: str
    title: str
    label: str
    description: str
    note: str
    choice: bool
    order: int
    origin: Origin
    operator_label: str = "運営"
    label_en: str = ""  # the label in an English reply
    label_in_place: str = ""  # the label after a place (宮城県の「中小企業担当課」, not 「都道府県の中小企業担当課」)


@dataclass(frozen=True, slots=True)
class Prefecture:
    code: str
    name: str  # 宮城県
    short: str  # 宮城
    kana: str  # みやぎ
    romaji: str  # Miyagi
    region: str  # 東北: the 地方 it belongs to (a Region name)
    aliases: tuple[str, ...]  # other spellings people use (大坂, いばらぎ)
    origin: Origin


@dataclass(frozen=True, slots=True)
class City:
    name: str  # 仙台市
    kana: str
    prefecture: str  # short name
    kind: str
    aliases: tuple[str, ...]
    origin: Origin

    @property
    def bare(self) -> str:
        """The name without 市/区/町 (仙台市 → 仙台)."""
        return self.name[:-1] if self.name[-1:] in ("市", "区", "町", "村") else self.name


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality (市町村), a ward of a 政令指定都市, or one of Tokyo's special wards (reference/municipalities.csv,
    generated from Japan Post's data)."""

    code: str  # JIS X 0402, five digits: 01459
    name: str  # 美瑛町; a ward's own name: 中央区
    kana: str  # びえいちょう
    prefecture: str  # short name
    district: str  # the 郡 of a town or village: 上川郡
    city: str  # the 政令指定都市 of a ward: 札幌市
    kind: str  # 市, 町, 村, 区 (a ward of a city), 特別区 (Tokyo)
    origin: Origin

    @property
    def full_name(self) -> str:
        """As written without the prefecture: 美瑛町, 札幌市中央区."""
        return f"{self.city}{self.name}"

    @property
    def bare(self) -> str:
        """The name without 市/町/村/区: 美瑛, 遠野."""
        return self.name[:-1]


@dataclass(frozen=True, slots=True)
class PostalCodes:
    """Postal codes as ranges of consecutive codes of one municipality (reference/postal_codes.csv)."""

    firsts: tuple[int, ...] = ()
    lasts: tuple[int, ...] = ()
    codes: tuple[str, ...] = ()  # the municipality's JIS code

    def municipality(self, digits: str) -> str | None:
        """The JIS code of the municipality of a seven-digit postal code, or None."""
        from bisect import bisect_right

        n = int(digits)
        i = bisect_right(self.firsts, n) - 1
        return self.codes[i] if i >= 0 and n <= self.lasts[i] else None


@dataclass(frozen=True, slots=True)
class Region:
    """A 地方 such as 東北 or 九州, as users name it."""

    name: str
    names: tuple[str, ...]
    weak_names: tuple[str, ...]
    prefectures: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Area:
    """The jurisdiction of a regional office (経済産業局, 中小機構 地域本部)."""

    kind: str
    short: str
    name: str
    prefectures: tuple[str, ...]
    origin: Origin
    word: str = "担当地域"  # 宮城県は東北経済産業局の「管轄」です

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.short}"


@dataclass(frozen=True, slots=True)
class Target:
    """A category an intent leads to, optionally narrowed to the offices `match` names: a whole field of their name
    (organization, department, division) or one name such a field holds (特許室 in 「産業技術課／特許室」)."""

    category: str
    match: tuple[str, ...] = ()
    line: int = 0  # where match is written in intents.toml

    def leads_to(self, contact: Contact) -> bool:
        return contact.category == self.category and (not self.match or not contact.name_parts.isdisjoint(self.match))


@dataclass(frozen=True, slots=True)
class Intent:
    """A kind of question (事業承継, 特許 …) with the words that signal it."""

    id: str
    label: str
    keywords: tuple[str, ...]
    weak_keywords: tuple[str, ...]
    targets: tuple[Target, ...]
    examples: tuple[str, ...]
    origin: Origin
    label_en: str = ""  # the label in an English reply
    # a kind of office that is also a level (都道府県, 地方, 国, 全国団体): a follow-up naming it after a topic asks for
    # that topic at this level — its offices of this reach ("prefecture", "area", "national"), else this kind's office
    # in charge of it (division_topics.toml); "office": straight to the office in charge (本庁 → 中小企業庁 財務課)
    level: str = ""
    level_words: tuple[str, ...] = ()  # words that name the level only in such a follow-up (「都道府県の窓口だと？」)
    money: bool = False  # a money matter (融資, 返済): with a personal word and no business word, not this list's


LEVEL_OFFICE = "office"  # Intent.level: no reach of its own, only the office in charge


class ChangeKind(StrEnum):
    """What happened since the source document (changes.toml's kind)."""

    RENAMED = "renamed"  # the body has another name now (事業引継ぎ支援センター → 事業承継・引継ぎ支援センター)
    ENDED = "ended"  # a function or a programme ended (産業復興機構への債権買取りの申込み)
    SUCCESSOR = "successor"  # another body took over
    NOT_LISTED = "not_listed"  # a body that exists now but is not in the list (よろず支援拠点)


@dataclass(frozen=True, slots=True)
class Change:
    """Something that changed after the source document (changes.toml), with its date and its official source; it
    applies to the offices of an organization, tables, single offices or topics."""

    id: str
    kind: ChangeKind
    date: str  # 2021-04 or 2021-03-31
    text: str  # one short sentence for the answers that involve it
    source: str  # who says so, short (中小企業庁)
    source_title: str
    source_url: str
    origin: Origin
    text_en: str = ""
    organization: str = ""  # a part of the organization's name as the source prints it (事業引継ぎ相談窓口)
    categories: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # NOT_LISTED: the names people ask for it by (よろず支援拠点)
    source_en: str = ""  # the source's publisher in English (SME Agency)


@dataclass(frozen=True, slots=True)
class Alias:
    """Other names for an organization, including today's name of a renamed body (the change itself, with its date and
    source, is in changes.toml)."""

    official: str
    also: tuple[str, ...]
    origin: Origin
    name_en: str = ""  # its English name, shown beside the printed one in English replies (Japan Finance Corporation)
    # how people describe it without naming it: each a set of words that together mean it (組合 金融機関 → 商工中金)
    described: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class DivisionTopic:
    """Words that point to the divisions whose name contains `name` (商店街 → 商業課)."""

    name: str
    words: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class Hours:
    """When a contact takes calls (Japan time): on weekdays that are not national holidays, open–close."""

    contact: str
    days: str  # "weekdays"
    open: str  # "09:00"
    close: str  # "17:00"
    text: str  # as the source writes it: 平日午前9時～午後5時
    origin: Origin
    text_en: str = ""  # the same in an English reply: weekdays 9:00–17:00


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Conversation words: greetings, thanks, help, 代表, and filler."""

    greetings: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()
    help: tuple[str, ...] = ()
    representative: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()
    honorifics: tuple[str, ...] = ()  # さん, 様 …: the name before them is a person's, not a place
    details: tuple[str, ...] = ()  # 電話番号は？ URLは？: the last answer's contact details again
    address: tuple[str, ...] = ()  # 住所: the list has no addresses
    url: tuple[str, ...] = ()  # URL, ホームページ: most offices have none in the list
    address_suffixes: tuple[str, ...] = ()  # 区, 町, 郡 …: the word before is part of an address (港区)
    business_suffixes: tuple[str, ...] = ()  # 業, 店, 屋 …: the word before names the user's line of business
    business_verbs: tuple[str, ...] = ()  # を経営, を営む …: the words before name the business the user runs
    more: tuple[str, ...] = ()  # ほかには？ 続きは？: the offices the last answer had no room for
    not_names: tuple[str, ...] = ()  # 担当, ところ …: say what kind of office is asked for, never part of its name
    nationwide: tuple[str, ...] = ()  # 全国: the nationwide offices are meant; a place, never a word of a name
    negations: tuple[str, ...] = ()  # じゃなくて, ではなく: the place, topic or office just before is taken back
    additions: tuple[str, ...] = ()  # も, それと: what is asked now is added to the last answer
    asking: tuple[str, ...] = ()  # どこ, 教えて, ありますか: a sentence that asks, not background (bot.core.asking)
    wanting: tuple[str, ...] = ()  # したい, 困っている: a sentence that says what is wanted (bot.core.asking)
    personal: tuple[str, ...] = ()  # 個人, 車, 奨学金: a money matter with one of these and no business word is personal
    bot_names: tuple[str, ...] = ()  # 窓口ナビ: the bot spoken to by name in a thread people share
    other_places: tuple[str, ...] = ()  # ほかの県は？: the same topic somewhere else (asked which), not a level
    not_places: tuple[str, ...] = ()  # どうしたら, なんとか: everyday kana that sound like a place name, never one
    curator_report: tuple[str, ...] = ()  # a curator's DM: the week's report (bot.slack.curating)
    curator_export: tuple[str, ...] = ()  # … today's workbook
    curator_audit: tuple[str, ...] = ()  # … the freshness audit
    curator_restore: tuple[str, ...] = ()  # … undo the last applied version
    curator_history: tuple[str, ...] = ()  # … the versions: who applied what, when
    curator_polite: tuple[str, ...] = ()  # ください: said after one of those, changes nothing

    def words(self, group: str) -> tuple[str, ...]:
        """The words of one group, by its key in conversation.toml (bot.core.domain.Cue names the groups)."""
        return getattr(self, group)


@dataclass(frozen=True, slots=True)
class Source:
    """The document the knowledge comes from, and what it does not cover (source.toml): shown on the App Home tab."""

    title: str = ""
    publisher: str = ""
    as_of: str = ""  # the document's date, or 日付不明; estimated from evidence when `estimated`
    reviewed: str = ""  # when staff last checked the data against it
    not_covered: tuple[str, ...] = ()
    as_of_en: str = ""  # the date in an English reply
    estimated: bool = False  # as_of is estimated from evidence (as_of_reasons), the document carrying no date
    as_of_reasons: tuple[str, ...] = ()  # why that date, each with its official source


def _freeze(d: dict) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, slots=True)
class LocalName:
    """A name people use for a place instead of its prefecture: an old province (信州, 讃岐) or an everyday regional
    name (湘南, 北摂). One prefecture: read as that prefecture; several (丹波, 阪神): a region, so the bot asks which."""

    name: str
    kana: str
    prefectures: tuple[str, ...]  # short names
    kind: str  # 旧国名 / 地域名
    origin: Origin


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Everything the bot knows, validated and immutable."""

    root: str
    categories: tuple[Category, ...]
    contacts: tuple[Contact, ...]
    prefectures: tuple[Prefecture, ...]
    cities: tuple[City, ...]
    regions: tuple[Region, ...]
    areas: tuple[Area, ...]
    intents: tuple[Intent, ...]
    aliases: tuple[Alias, ...]
    legal_forms: tuple[str, ...]
    vocabulary: Vocabulary
    hours: tuple[Hours, ...] = ()
    division_topics: tuple[DivisionTopic, ...] = ()
    changes: tuple[Change, ...] = ()  # what changed since the source (changes.toml)
    source_path: str = ""
    source: Source = Source()
    notes: tuple = ()  # Problems worth a look that do not stop loading (a file saved in Shift_JIS, say)
    local_names: tuple[LocalName, ...] = ()  # old province and regional names (reference/local_names.csv)
    municipalities: tuple[Municipality, ...] = ()  # every municipality and ward (reference/municipalities.csv)
    postal_codes: PostalCodes = PostalCodes()
    variant_characters: Mapping[str, str] = field(default_factory=dict)  # 靜 → 静 (reference/variant_characters.csv)
    contact_by_id: Mapping[str, Contact] = field(default_factory=dict, repr=False)
    category_by_id: Mapping[str, Category] = field(default_factory=dict, repr=False)
    prefecture_by_short: Mapping[str, Prefecture] = field(default_factory=dict, repr=False)
    area_by_id: Mapping[str, Area] = field(default_factory=dict, repr=False)
    city_by_name: Mapping[str, City] = field(default_factory=dict, repr=False)
    intent_by_id: Mapping[str, Intent] = field(default_factory=dict, repr=False)
    municipality_by_code: Mapping[str, Municipality] = field(default_factory=dict, repr=False)
    _by_category: Mapping[str, tuple[Contact, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "contact_by_id", _freeze({c.id: c for c in self.contacts}))
        object.__setattr__(self, "category_by_id", _freeze({c.id: c for c in self.categories}))
        object.__setattr__(self, "prefecture_by_short", _freeze({p.short: p for p in self.prefectures}))
        object.__setattr__(self, "area_by_id", _freeze({a.id: a for a in self.areas}))
        object.__setattr__(self, "city_by_name", _freeze({c.name: c for c in self.cities}))
        object.__setattr__(self, "intent_by_id", _freeze({i.id: i for i in self.intents}))
        object.__setattr__(self, "municipality_by_code", _freeze({m.code: m for m in self.municipalities}))
        grouped: dict[str, list[Contact]] = {c.id: [] for c in self.categories}
        for contact in self.contacts:
            grouped.setdefault(contact.category, []).append(contact)
        object.__setattr__(self, "_by_category", _freeze({k: tuple(v) for k, v in grouped.items()}))

    def contacts_in(self, category: str) -> tuple[Contact, ...]:
        return self._by_category.get(category, ())

    def area_covering(self, kind: str, prefecture: str) -> Area | None:
        for area in self.areas:
            if area.kind == kind and prefecture in area.prefectures:
                return area
        return None

    def prefecture_of(self, contact: Contact) -> str | None:
        """The prefecture (short name) a contact is bound to, if any."""
        if contact.serves.kind == Reach.PREFECTURE:
            return contact.serves.value
        if contact.serves.kind == Reach.CITY:
            return self.city_by_name[contact.serves.value].prefecture
        return None

    def prefectures_served(self, contact: Contact) -> tuple[str, ...]:
        """Every prefecture (short name) whose businesses a contact serves."""
        kind = contact.serves.kind
        if kind == Reach.NATIONWIDE:
            return tuple(p.short for p in self.prefectures)
        if kind == Reach.AREA:
            return self.area_by_id[contact.serves.value].prefectures
        pref = self.prefecture_of(contact)
        return (pref,) if pref else ()

    def hotline(self) -> Contact | None:
        """The general hotline (the only contact of the `hotline` category)."""
        found = self.contacts_in("hotline")
        return found[0] if found else None
