"""Everything derived from the knowledge by tokenizing it: the phrase lexicon and the name-word index.

Built with a throwaway tokenizer and cached on disk (see bot.core.index_cache).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.core.descriptions import Descriptions, build_descriptions
from bot.core.domain import PLACE_KINDS, Cue, MatchKind
from bot.knowledge.model import Change, ChangeKind, Contact, Knowledge
from bot.knowledge.phones import without_phones
from bot.language.lexicon import Lexicon, LexiconBuilder
from bot.language.text import english_forms, english_singular, is_kanji, normalize, place_romaji, spaced_brackets
from bot.language.tokenizer import Tokenizer

_UNIT_SPLIT = re.compile(r"[／/\s]+")
_PAREN = re.compile(r"[(（][^)）]*[)）]")
# Division strings such as 商工労働部商工政策課 are split after each 部/局/課/室 to give the parts people say.
_DIVISION_PART = re.compile(r".+?(?:部|局|課|室|グループ|G|担当)(?=.)")
_CASE_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff\u30a0-\u30ff])[をが](?=[\u3040-\u309f\u4e00-\u9fff])")  # 店を開く, 資金が足りない
_SUFFIX_KANA = ("し", "く", "ちょう", "まち")  # readings of 市, 区, 町 at the end of a city's kana
_SUFFIX_SOUNDS = (("ちょう", "まち"), ("まち", "ちょう"), ("そん", "むら"), ("むら", "そん"))  # 町 and 村 read either way


@dataclass(frozen=True)
class KnowledgeIndex:
    lexicon: Lexicon
    unit_contacts: dict[str, frozenset[str]]  # a name (unit) → the contacts it names
    organization_contacts: dict[str, frozenset[str]]  # a unit that is a whole organization's name → its contacts
    name_words: dict[str, frozenset[str]]  # contact id → normalized words of its name, operator and division topics
    note_words: dict[str, frozenset[str]]  # contact id → normalized words of its notes
    idf: dict[str, float]  # word → inverse document frequency over contacts
    intent_words: dict[str, frozenset[str]]  # intent id → words of its examples, keywords and labels (second reading)
    filler_words: frozenset[str]  # the same words of conversation.toml's filler: they weigh nothing
    municipalities: dict[str, tuple[str, ...]]  # a municipality phrase's key → the JIS codes it may mean
    # aliases.toml's described (bot.core.descriptions): the words that together describe an organization, with its
    # contacts, under one of those words — 組合 金融機関 → 商工中金
    descriptions: Descriptions = field(default_factory=dict)


def reading_words(text: str, tokenizer: Tokenizer, lexicon: Lexicon) -> frozenset[str]:
    """The content words of a text for the second reading (bot.core.second_reading), places left out; an English
    word by its spelling without plural (Sudachi spells the English words it knows in katakana, the others not:
    employee → エンプロイー, employees → employees)."""
    tokens = tokenizer.tokenize(spaced_brackets(without_phones(normalize(text))).translate(lexicon.fold))
    places = 0
    for m in lexicon.match(tokens, [], []):
        if m.payload[0] in PLACE_KINDS:
            places |= (1 << m.end) - (1 << m.start)
    return frozenset(english_singular(t.surface.lower()) if t.is_ascii else t.normalized
                     for i, t in enumerate(tokens) if t.is_content and not places >> i & 1)


def strip_legal_form(name: str, legal_forms: tuple[str, ...]) -> str:
    for form in legal_forms:
        name = name.replace(form, "")
    return name.strip()


def unlisted(knowledge: Knowledge) -> list[Change]:
    """The bodies of changes.toml that are not in the list — until staff add an office of that name."""
    names = [f"{c.organization} {c.name}" for c in knowledge.contacts]
    return [x for x in knowledge.changes if x.kind == ChangeKind.NOT_LISTED
            and not any(n in held for n in x.names for held in names)]


class IndexBuilder:
    """Turns the knowledge into lexicon phrases: places, intents, vocabulary and every contact's names."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer):
        self.knowledge = knowledge
        self.tokenizer = tokenizer
        # an old or variant kanji is read as today's (靜岡縣 → 静岡県) unless a name uses it: 鹿嶋市 is not 鹿島市, so
        # 嶋 is not folded; 竜ケ崎 is then added as another spelling of 龍ケ崎市 (see _add_municipalities)
        used = set("".join(n for m in knowledge.municipalities for n in (m.full_name, m.district))) | set(
            "".join(c.name for c in knowledge.contacts))
        variants = knowledge.variant_characters
        self.lexicon = LexiconBuilder(tokenizer, {old: new for old, new in variants.items() if old not in used})
        self.respelled = str.maketrans({old: new for old, new in variants.items() if old in used})
        self.place_names: set[str] = set()
        self.topic_words: set[str] = set()
        self.municipalities: dict[str, list[str]] = defaultdict(list)

    def build(self) -> KnowledgeIndex:
        self._add_places()
        self._add_intents()
        self._add_vocabulary()
        units, organizations = self._add_contact_names()
        names, notes, idf = self._words()
        lexicon = self.lexicon.build()
        k = self.knowledge

        def words(texts) -> frozenset[str]:
            return frozenset().union(*(reading_words(t, self.tokenizer, lexicon) for t in texts if t))

        intent_words = {i.id: words((*i.examples, *i.keywords, i.label, i.label_en)) for i in k.intents}
        return KnowledgeIndex(lexicon, units, organizations, names, notes, idf, intent_words,
                              words(k.vocabulary.filler), {key: tuple(codes) for key, codes in self.municipalities.items()},
                              build_descriptions(k, self.tokenizer, lexicon.fold))

    def _add_places(self) -> None:
        k, add = self.knowledge, self.lexicon.add
        for p in k.prefectures:
            for phrase in {p.name, p.short, p.romaji, f"{p.romaji} prefecture", f"{p.romaji}-ken"}:
                add(phrase, (MatchKind.PREFECTURE, p.short))
            for phrase in p.aliases:  # by sound only as given in kana (いばらぎ): 道南 is not どうなん (dialect: どうなの)
                add(phrase, (MatchKind.PREFECTURE, p.short), by_sound=not any(map(is_kanji, phrase)))
            for phrase in {p.kana, f"{p.kana}けん"}:
                add(phrase, (MatchKind.PREFECTURE, p.short), reading_only=True)
            self.place_names.update({p.name, p.short})
        short_names = {p.short for p in k.prefectures}
        self.romaji_taken = {p.romaji.lower() for p in k.prefectures if p.romaji}
        shared_romaji = Counter(place_romaji(c.kana[:-1]).lower() for c in k.cities if c.kana.endswith("し"))
        for c in k.cities:
            phrases, kana = {c.name, *c.aliases}, {c.kana} - {""}
            bare = c.bare
            if c.kind != "特別区" and bare not in short_names:
                phrases.update([bare] if len(bare) >= 2 else [])  # 堺 alone: too short as written, not as さかい/Sakai
                kana.update(c.kana[: -len(s)] for s in _SUFFIX_KANA if c.kana.endswith(s) and len(c.kana) > len(s) + 1)
                romaji = place_romaji(min(kana, key=len)) if kana else ""  # as typed: Kofu is 甲府 (not 江府町)
                if len(romaji) >= 4 and romaji.lower() not in self.romaji_taken and not self._known_word(romaji.lower()):
                    if shared_romaji[romaji.lower()] == 1:  # Tsushima is 対馬 and 津島: neither, asked rather
                        add(romaji, (MatchKind.CITY, c.name), by_sound=False)
                    self.romaji_taken.add(romaji.lower())
            for phrase in phrases:
                add(phrase, (MatchKind.CITY, c.name))
            for phrase in kana:  # a city's kana is matched from three sounds up (not せき, くれ, いせ)
                add(phrase, (MatchKind.CITY, c.name), reading_only=True, min_reading=3)
            self.place_names.update(phrases)
        self._add_municipalities(short_names)
        for n in k.local_names:  # 信州 → 長野; 丹波 (京都・兵庫) is a region, added below
            payload = (MatchKind.PREFECTURE, n.prefectures[0]) if len(n.prefectures) == 1 else (MatchKind.REGION, n.name)
            if len(n.prefectures) == 1:  # by its sound only where staff gave its kana (道南 is not どうなん)
                add(n.name, payload, by_sound=bool(n.kana))
            if len(n.kana) >= 3:  # from three kana up (ほうき, おうみ: two sounds once long vowels fold); とさ, かい are words
                add(n.kana, payload, reading_only=True, min_reading=2)
            self.place_names.add(n.name)
        for r in k.regions:
            for phrase in r.names:
                add(phrase, (MatchKind.REGION, r.name))
            for phrase in r.weak_names:
                add(phrase, (MatchKind.WEAK_REGION, r.name))
            self.place_names.update(r.names)

    def _add_municipalities(self, short_names: set[str]) -> None:
        """Every municipality (reference/municipalities.csv) not in cities.csv: by its name (美瑛町; a ward with its city,
        札幌市中央区, and alone), with its 郡 (上川郡美瑛町), by its kana (びえいちょう), and bare — 稚内, 遠野 — where
        Sudachi reads the bare name as a proper noun of its own (not 朝日, an ordinary word) and it names no prefecture
        or city: then also in kana (とおの; from two sounds where Sudachi reads the kana as a place too) and romaji of four
        letters or more that is no English word Sudachi knows (Tono, Wakkanai; not date, which is デート to it). A
        phrase's key maps to every municipality it may mean (池田町: four prefectures)."""
        k = self.knowledge
        cities = {(c.name, c.prefecture) for c in k.cities}
        taken = (set(short_names) | {n for c in k.cities for n in (c.name, c.bare, *c.aliases)} | {n.name for n in k.local_names}
                 | {n for r in k.regions for n in (r.name, *r.names, *r.weak_names)})  # 東北 is the region, not 東北町
        own_names = {m.full_name for m in k.municipalities if not m.city}  # 港区 is Tokyo's, not 名古屋市港区 alone
        all_names = {n for m in k.municipalities for n in (m.full_name, m.name, m.bare)}
        for m in k.municipalities:
            if (m.full_name, m.prefecture) in cities:
                continue  # cities.csv names it, with its other names and bare form
            written = {m.full_name, f"{m.district}{m.name}" if m.district else m.name}
            romaji_names: set[str] = set()
            if m.city and m.name in own_names:
                written.discard(m.name)
            self._municipality(m.kana, m.code, min_reading=3)
            for a, b in (x for x in _SUFFIX_SOUNDS if m.kana.endswith(x[0])):  # いけだ町 is いけだまち: 長野's alone
                self._municipality(m.kana[: -len(a)] + b, m.code, min_reading=3)
            if not m.city and len(m.bare) >= 2 and m.bare not in taken and self._proper(m.bare):
                written.add(m.bare)
                for suffix in _SUFFIX_KANA + ("むら", "そん"):
                    bare_kana = m.kana[: -len(suffix)] if m.kana.endswith(suffix) else ""
                    if len(bare_kana) >= 3:
                        self._municipality(bare_kana, m.code, min_reading=2 if self._proper(bare_kana, "地名") else 3)
                        romaji = place_romaji(bare_kana)
                        if len(romaji) >= 4 and romaji.lower() not in self.romaji_taken \
                                and not self._known_word(romaji.lower()):  # Kofu is the city 甲府, not 江府町
                            romaji_names.add(romaji)
            # 竜ケ崎 for 龍ケ崎市, unless today's spelling is another place's name (鹿島市 is Saga's, 鹿嶋市 Ibaraki's)
            written |= {r for r in (p.translate(self.respelled) for p in written) if r not in all_names and r not in taken}
            for phrase in written - {""}:
                self._municipality(phrase, m.code)
            for phrase in romaji_names:  # as typed only: the sound of "to go" is no 東郷 (Togo)
                self._municipality(phrase, m.code, by_sound=False)
            self.place_names.update(written | romaji_names)

    def _municipality(self, phrase: str, code: str, min_reading: int | None = None, by_sound: bool = True) -> None:
        codes = self.municipalities[phrase]
        if code not in codes:
            codes.append(code)
        self.lexicon.add(phrase, (MatchKind.MUNICIPALITY, phrase), reading_only=min_reading is not None,
                         min_reading=min_reading, by_sound=by_sound)

    def _proper(self, name: str, kinds=("地名", "人名")) -> bool:
        """Is the name one word to Sudachi, a proper noun of these kinds?"""
        tokens = self.tokenizer.tokenize(name)
        return len(tokens) == 1 and tokens[0].proper in kinds

    def _known_word(self, word: str) -> bool:
        """Does Sudachi know this Latin word as a word of its own (an English word it spells in katakana: date)?"""
        tokens = self.tokenizer.tokenize(word)
        return len(tokens) != 1 or not tokens[0].normalized.isascii()

    def _add_intents(self) -> None:
        written = {w.lower() for i in self.knowledge.intents for w in (*i.keywords, *i.weak_keywords)}
        for change in unlisted(self.knowledge):  # よろず支援拠点: asked for, said to be missing from the list
            for name in change.names:
                self.lexicon.add(name, (MatchKind.UNLISTED, change.id))
        for intent in self.knowledge.intents:
            for word in intent.level_words:  # 都道府県の窓口: a level only in a follow-up (bot.core.levels)
                self.lexicon.add(word, (MatchKind.LEVEL, intent.id))
            for word in intent.keywords:
                # retire: retiring, retired; bank loan: bank loans — unless a form is a keyword itself (funding is
                # finance's, though fund is the funds')
                for form in english_forms(word) - written:
                    self.lexicon.add(form, (MatchKind.INTENT, intent.id))
                for phrase in self.alias_variants(word):
                    self.lexicon.add(phrase, (MatchKind.INTENT, intent.id))
                    self.topic_words.add(phrase)
                    if _CASE_PARTICLE.search(phrase):  # 会社をたたむ is also said 会社たたむ
                        self.lexicon.add(_CASE_PARTICLE.sub("", phrase), (MatchKind.INTENT, intent.id))
            for word in intent.weak_keywords:
                self.lexicon.add(word, (MatchKind.WEAK_INTENT, intent.id))

    def _add_vocabulary(self) -> None:
        v = self.knowledge.vocabulary
        for cue in Cue:
            for word in v.words(cue):
                self.lexicon.add(word, (MatchKind.CUE, cue))
        for word in v.address_suffixes:
            self.lexicon.add(word, (MatchKind.ADDRESS_SUFFIX, word))
        for word in (*v.business_suffixes, *v.business_verbs):  # both say who is asking (飲食店, 旅館を経営)
            self.lexicon.add(word, (MatchKind.BUSINESS, word))

    def alias_variants(self, phrase: str) -> set[str]:
        """The phrase plus every spelling obtained by replacing an official name with an alias."""
        out = {phrase}
        for alias in self.knowledge.aliases:
            names = (alias.official, *alias.also)
            for current in list(out):
                for name in names:
                    if name in current:
                        out.update(current.replace(name, other) for other in names if other != name)
        return out

    def contact_units(self, contact: Contact) -> set[str]:
        """The names by which a contact can be asked for: organization, its parts, divisions, operator."""
        legal = self.knowledge.legal_forms
        units: set[str] = set()
        org = strip_legal_form(contact.organization, legal)
        whole = org.replace(" ", "")
        units.update(_UNIT_SPLIT.split(org))
        units.update(_PAREN.sub("", u) for u in list(units))  # ジェトロ本部(東京) → ジェトロ本部
        for value in (contact.department, contact.division):
            if not value:
                continue
            value = strip_legal_form(value, legal)
            for part in _UNIT_SPLIT.split(value):
                units.add(part)
                units.update(_DIVISION_PART.findall(part))
                rest = _DIVISION_PART.sub("", part)
                if rest and rest != part:
                    units.add(rest)
        if contact.department and contact.division:  # 商工労働部経営支援課, as other tables print it in one cell
            units.add(strip_legal_form(contact.department + contact.division, legal).replace(" ", ""))
        if contact.operator:
            units.add(strip_legal_form(contact.operator, legal))
        # a place (宮城県) or a topic word (中小機構, 農工商連携ファンド) is not the name of one office, unless it is
        # the whole name of the organization (中小企業庁)
        units = {u for u in units if len(u) >= 2 and u not in self.place_names and u not in self.topic_words}
        if whole not in self.place_names:
            units.add(whole)
        return set().union(*(self.alias_variants(u) for u in units)) if units else set()

    def _add_contact_names(self) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """Every name of every contact into the lexicon; returns unit → contacts, and the same for the units
        that are a whole organization's name (中小企業庁, 東北経済産業局)."""
        units: dict[str, set[str]] = defaultdict(set)
        organizations: dict[str, set[str]] = defaultdict(set)
        legal = self.knowledge.legal_forms
        for contact in self.knowledge.contacts:
            contact_units = self.contact_units(contact)
            for unit in contact_units:
                units[unit].add(contact.id)
            whole = strip_legal_form(contact.organization, legal).replace(" ", "")
            for unit in self.alias_variants(whole) & contact_units:
                organizations[unit].add(contact.id)
        for unit in units:
            self.lexicon.add(unit, (MatchKind.NAME, unit))
        return {u: frozenset(ids) for u, ids in units.items()}, {u: frozenset(ids) for u, ids in organizations.items()}

    def _words(self):
        """Normalized content words of each contact's name (+ operator) and of its notes, with their idf."""
        names: dict[str, frozenset[str]] = {}
        notes: dict[str, frozenset[str]] = {}
        df: dict[str, int] = defaultdict(int)

        def words(text: str) -> frozenset[str]:
            return frozenset(t.normalized for t in self.tokenizer.tokenize(text) if not t.is_function_word) if text else frozenset()

        topics = self.knowledge.division_topics
        for c in self.knowledge.contacts:
            # what a division is asked for (商店街 → 商業課) counts as part of its name
            about = [w for t in topics if t.name in f"{c.department} {c.division}" for w in t.words]
            names[c.id] = words(" ".join(x for x in (c.name, c.operator, *about) if x))
            notes[c.id] = words(c.notes)
            for w in names[c.id] | notes[c.id]:
                df[w] += 1
        n = len(self.knowledge.contacts)
        return names, notes, {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}


def build_index(knowledge: Knowledge, tokenizer: Tokenizer) -> KnowledgeIndex:
    """Build the index with the given tokenizer (no cache)."""
    return IndexBuilder(knowledge, tokenizer).build()
