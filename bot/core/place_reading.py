"""Where a question is about: prefectures, cities, other municipalities, regions and postal codes among what the
lexicon matched (bot.core.understanding), with the rules that decide between overlapping place names."""

from __future__ import annotations

import re
from typing import Mapping, NamedTuple, Sequence

from bot.core.domain import Cue, MatchKind
from bot.core.spans import inside_longer, ordered, outside
from bot.knowledge.model import Knowledge
from bot.knowledge.phones import postal_codes_in_text
from bot.language.lexicon import Match
from bot.language.text import is_kana, to_hiragana
from bot.language.tokenizer import Token

_NONE: Sequence[Match] = ()
_DIGIT = re.compile(r"\d")  # a postal code has digits


class Places(NamedTuple):
    prefectures: tuple[str, ...] = ()  # short names, in order of appearance
    cities: tuple[str, ...] = ()  # cities of cities.csv
    towns: tuple[str, ...] = ()  # other municipalities, each of one prefecture
    options: tuple[str, ...] = ()  # a municipality's name shared by these prefectures (池田町)
    ambiguous: str = ""  # …that name
    regions: tuple[str, ...] = ()


_NOWHERE = Places()


class PlaceReader:
    """Reads the places of one question from its lexicon matches."""

    def __init__(self, knowledge: Knowledge, municipalities: Mapping[str, Sequence[str]]):
        self.knowledge = knowledge
        self.municipalities = municipalities  # phrase key → municipality codes (bot.core.index)

    def _exact_kana(self, cities: Sequence[Match], towns: Sequence[Match], tokens: Sequence[Token]) -> tuple[list, list]:
        """Cities and towns read by sound within the span of a town typed exactly in its kana are dropped, unless they
        are that town (こなんし is 湖南市, not 江南市 or 香南市, こうなんし; a longer match is another name: おおいたし)."""
        def where(m: Match) -> tuple:
            return tuple(self.municipalities.get(m.payload[1], ())) or m.payload

        exact = [m for m in towns if m.by == "reading" and is_kana(m.phrase)
                 and to_hiragana(m.phrase) == to_hiragana("".join(t.surface for t in tokens[m.start:m.end]))]
        if not exact:
            return list(cities), list(towns)
        exact = [e for e in exact if not inside_longer(e, exact)]  # おおのし: 大野市, not the おのし (小野市) inside it
        kept = {where(e) for e in exact}

        def stays(m: Match) -> bool:
            return m.by != "reading" or m in exact or where(m) in kept or not any(
                e.start <= m.start and m.end <= e.end for e in exact)

        return [m for m in cities if stays(m)], [m for m in towns if stays(m)]

    def read(self, by_kind: dict[str, list[Match]], text: str, tokens: Sequence[Token] = ()) -> Places:
        """The places found; weak region matches inside a municipality's name are dropped from by_kind."""
        get = by_kind.get
        prefs, cities = get(MatchKind.PREFECTURE, _NONE), get(MatchKind.CITY, _NONE)
        towns = get(MatchKind.MUNICIPALITY, _NONE)
        regions = get(MatchKind.REGION, _NONE)
        if not (prefs or cities or towns or regions or _DIGIT.search(text)):
            return _NOWHERE  # most follow-ups and many questions name no place: nothing to decide
        everyday = [m for m in get(MatchKind.CUE, _NONE) if m.payload[1] == Cue.NOT_PLACE]
        if everyday:  # 「どうしたら」 is no 設楽 (したら) read by its sound; a name written in kanji is still read
            prefs, cities, towns = ([m for m in found if m.by != "reading"
                                     or not any(e.start <= m.start and m.end <= e.end for e in everyday)]
                                    for found in (prefs, cities, towns))  # (したらちょう goes on: still 設楽町)
        if towns and any(m.phrase.isascii() and m.length > 1 for m in towns):
            # a municipality's romaji is one word: "to go" run together is no Togo (東郷町)
            towns = [m for m in towns if not (m.phrase.isascii() and m.length > 1)]
        if towns or len(cities) > 1:  # a place read by its sound yields to one written so (山県市 is not 山形市, though
            # both are やまがたし; Narashino is 習志野, not 奈良市の read with a particle)
            written = {(m.start, m.end) for m in (*prefs, *cities, *towns) if m.by != "reading"}
            prefs, cities, towns = ([m for m in found if m.by != "reading" or (m.start, m.end) not in written]
                                    for found in (prefs, cities, towns))
        if towns:  # a place name inside a longer municipality's is part of it: 福島町 (北海道), 三原村, 東北町
            if tokens:  # とおの is 遠野 as typed, not 東濃 (とうのう) by a loose reading of the same sounds
                prefs, cities, towns, regions = _as_typed((prefs, cities, towns, regions), tokens)
                cities, towns = self._exact_kana(cities, towns, tokens)
            prefs, cities, regions = (outside(found, towns) for found in (prefs, cities, regions))
            if MatchKind.WEAK_REGION in by_kind:
                by_kind[MatchKind.WEAK_REGION] = list(outside(by_kind[MatchKind.WEAK_REGION], towns))
        if (prefs or cities or towns) and MatchKind.CUE in by_kind:  # 松本さん, 宮崎社長: a person, not a place
            person = {m.start for m in by_kind[MatchKind.CUE] if m.payload[1] == Cue.HONORIFIC}
            prefs = [m for m in prefs if m.end not in person]
            cities = [m for m in cities if m.end not in person]
            towns = [m for m in towns if m.end not in person]
        if len(prefs) > 1:  # a name inside a longer one is part of it: 東紀州 (三重) holds 紀州 (和歌山)
            prefs = outside(prefs, prefs)
        if prefs and cities:  # …and inside a city's: Narashino (習志野) holds Nara (奈良) by its sound
            prefs = outside(prefs, cities)
        if regions and (prefs or len(regions) > 1):
            # a name inside a longer region name is part of it: 九州・沖縄 is one region, not 九州 and 沖縄県
            regions = outside(regions, regions)
            prefs = outside(prefs, regions)
        prefecture_names, city_names = self._places(prefs, cities) if prefs or cities else ((), ())
        town_names, options, ambiguous = (), (), ""
        if towns:
            prefecture_names, city_names, town_names, options, ambiguous = self._towns(
                towns, [*prefs, *cities], prefecture_names, city_names)
        postal = postal_codes_in_text(text)
        if postal:  # 〒980-0011: its municipality, as if named
            prefecture_names, city_names, town_names = self._postal(postal, prefecture_names, city_names, town_names)
        region_names = tuple(ordered(m.payload[1] for m in regions)) if regions else ()
        return Places(prefecture_names, city_names, town_names, options, ambiguous, region_names)

    def _places(self, prefs: Sequence[Match], cities: Sequence[Match]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Prefectures and cities in order of appearance; a city also names its prefecture (仙台 → 宮城)."""
        if not cities:
            if len(prefs) == 1:
                return (prefs[0].payload[1],), ()
            return tuple(ordered(m.payload[1] for m in prefs)), ()
        # A prefecture wins over a city read the same way (いばらき is 茨城, not 茨木市) or inside it (とっ/とりで is
        # 鳥取 + で, not 取手市).
        cities = [c for c in cities if not any(p.start <= c.start and c.end <= p.end for p in prefs)]
        # …and a prefecture read inside a longer city name yields to the city (いばらきし is 茨木市 of 大阪).
        prefs = outside(prefs, cities)
        # A city named inside a longer city name yields to the longer one.
        cities = outside(cities, cities)
        city_names = ordered(c.payload[1] for c in cities)
        pref_names = [m.payload[1] for m in prefs]
        pref_names.extend(self.knowledge.city_by_name[name].prefecture for name in city_names)
        return tuple(ordered(pref_names)), tuple(city_names)

    def _towns(self, towns: Sequence[Match], others: Sequence[Match], prefectures: tuple[str, ...],
               cities: tuple[str, ...]):
        """Municipalities named (reference/municipalities.csv): each one of a prefecture named too, or the only one of
        its name, gives its prefecture (a ward its city, for the city's own offices); a name several prefectures share
        (池田町) with none of them named is asked about. Not a name inside a longer place name (札幌市中央区 holds
        中央区), nor one a city of cities.csv spells the same way."""
        by_code = self.knowledge.municipality_by_code
        spans = [*others, *towns]
        named = set(prefectures)
        prefectures, cities, names = list(prefectures), list(cities), []
        options: tuple[str, ...] = ()
        ambiguous = ""
        written = {(t.start, t.end) for t in towns if t.by != "reading"}
        for t in towns:
            if inside_longer(t, spans) or any((o.start, o.end) == (t.start, t.end) for o in others):
                continue
            if t.by == "reading" and (t.start, t.end) in written:
                continue  # 池田町 as written says more than one of its readings (いけだまち is 長野's alone)
            found = [by_code[code] for code in self.municipalities[t.payload[1]]]
            here = [m for m in found if m.prefecture in named] if named else found
            if len({m.prefecture for m in here}) == 1:
                m = here[0]
                prefectures.append(m.prefecture)
                if m.city in self.knowledge.city_by_name:
                    cities.append(m.city)
                else:
                    names.append(m.name)
            elif len(here) > 1 and not ambiguous:
                options = tuple(ordered(m.prefecture for m in sorted(here, key=lambda m: m.code)))
                ambiguous = t.phrase
        if prefectures:
            options, ambiguous = (), ""
        return tuple(ordered(prefectures)), tuple(ordered(cities)), tuple(ordered(names)), options, ambiguous

    def _postal(self, codes: Sequence[str], prefectures, cities, towns):
        """The municipalities of postal codes (reference/postal_codes.csv) added to the places named."""
        k = self.knowledge
        prefectures, cities, towns = list(prefectures), list(cities), list(towns)
        for digits in codes:
            code = k.postal_codes.municipality(digits)
            m = k.municipality_by_code.get(code) if code else None
            if m is None:
                continue
            prefectures.append(m.prefecture)
            if m.city in k.city_by_name:
                cities.append(m.city)
            elif m.name in k.city_by_name and k.city_by_name[m.name].prefecture == m.prefecture:
                cities.append(m.name)
            else:
                towns.append(m.name)
        return tuple(ordered(prefectures)), tuple(ordered(cities)), tuple(ordered(towns))


def _as_typed(groups: Sequence[Sequence[Match]], tokens: Sequence[Token]) -> list[list[Match]]:
    """Of place names given in kana and read by sound on one span, those whose kana is exactly what was typed, when
    there are such (the others sound alike only once long vowels are folded)."""
    readings: dict[tuple[int, int], list[Match]] = {}
    for found in groups:
        for m in found:
            if m.by == "reading":
                readings.setdefault((m.start, m.end), []).append(m)
    drop: set[int] = set()
    for (start, end), found in readings.items():
        if len(found) > 1:
            typed = to_hiragana("".join(t.surface for t in tokens[start:end]))
            kana = [m for m in found if is_kana(m.phrase)]  # names given in kana: their sounds are known exactly
            exact = [m for m in kana if to_hiragana(m.phrase) == typed]
            if exact:
                drop.update(id(m) for m in kana if m not in exact)
    return [[m for m in found if id(m) not in drop] for found in groups]
