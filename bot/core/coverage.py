"""Who serves where: each office's prefectures, city or region, and the places a question names.

Built once from the knowledge; read-only afterwards.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from bot.core.answer import Place
from bot.core.domain import Choice, ChoiceKind
from bot.core.understanding import Query
from bot.knowledge.model import Contact, Knowledge, Reach

LOCAL, REGIONAL, NATIONWIDE_TIER = 0, 1, 2  # a prefecture or city; a region; the whole country
_TIERS = {Reach.CITY: LOCAL, Reach.PREFECTURE: LOCAL, Reach.AREA: REGIONAL, Reach.NATIONWIDE: NATIONWIDE_TIER}


class Coverage:
    def __init__(self, knowledge: Knowledge):
        k = self.knowledge = knowledge
        self.served = {c.id: frozenset(k.prefectures_served(c)) for c in k.contacts}
        self.tiers = {c.id: _TIERS[c.serves.kind] for c in k.contacts}
        self.pref_of = {c.id: k.prefecture_of(c) or "" for c in k.contacts}  # "": not bound to one
        self.pref_code = {p.short: p.code for p in k.prefectures}
        self.pref_name = {p.short: p.name for p in k.prefectures}
        self.pref_choice = {p.short: Choice.of(ChoiceKind.PREFECTURE, p.short, p.name) for p in k.prefectures}
        self.area_choice = {a.id: Choice.of(ChoiceKind.AREA, a.id, a.name) for a in k.areas}
        # for a question that names only prefectures: the offices (other than a city's own) serving each one
        self.serving = {p.short: frozenset(c.id for c in k.contacts
                                           if c.serves.kind != Reach.CITY and p.short in self.served[c.id])
                        for p in k.prefectures}
        self.city_centres: dict[str, frozenset[str]] = {}
        for c in k.contacts:
            if c.serves.kind == Reach.CITY:
                self.city_centres[c.serves.value] = self.city_centres.get(c.serves.value, frozenset()) | {c.id}
        self.region_areas = self._areas_of_regions()
        self.category_reach = self._reach_of_categories()
        self.all_local = {cat.id: all(self.tiers[c.id] == LOCAL for c in k.contacts_in(cat.id)) for cat in k.categories}

    # ------------------------------------------------------------------ places
    def place_of(self, q: Query) -> Place:
        """The place a question names: its prefectures (and cities), else its first region."""
        if q.prefectures:
            names = self.pref_name
            prefs = q.prefectures
            full = (names[prefs[0]],) if len(prefs) == 1 else tuple(names[p] for p in prefs)
            places = (*q.cities, *q.towns)  # a municipality names where, as a city does (関市（岐阜県）)
            city, others = (places[0], places[1:]) if places else ("", ())
            return Place(prefectures=prefs, prefecture_names=full, city=city, other_cities=others)
        if q.regions:
            return self.region_place(q.regions[0])
        return Place()

    def region_place(self, region_name: str) -> Place:
        region = next(r for r in self.knowledge.regions if r.name == region_name)
        return Place(region=region.name, prefectures=region.prefectures)

    def area_place(self, area_id: str) -> Place:
        area = self.knowledge.area_by_id[area_id]
        return Place(area=area.id, area_name=area.name, prefectures=area.prefectures)

    def prefecture_place(self, prefectures: tuple[str, ...], city: str = "") -> Place:
        names = tuple(self.knowledge.prefecture_by_short[p].name for p in prefectures)
        return Place(prefectures=prefectures, prefecture_names=names, city=city)

    # ------------------------------------------------------------------ offices and places
    def serves(self, c: Contact, place: Place, names: Mapping[str, float]) -> bool:
        """Does this office serve the place asked about?"""
        kind = c.serves.kind
        if kind == Reach.NATIONWIDE:
            return True
        if kind == Reach.PREFECTURE:
            return c.serves.value in place.prefectures
        if place.area:
            return c.serves.value == place.area if kind == Reach.AREA else not self.served[c.id].isdisjoint(place.prefectures)
        if kind == Reach.AREA:
            if place.region and not place.prefecture_names:
                return c.serves.value in self.region_areas[place.region]  # 九州 → its own area (or those covering it)
            return not self.served[c.id].isdisjoint(place.prefectures)
        # a city's own centre: for that city, or when the question named it
        if place.city:
            return c.serves.value in place.cities
        return c.id in names and not self.served[c.id].isdisjoint(place.prefectures)

    def has_office_for(self, ids: frozenset[str], place: Place) -> bool:
        """Does one of these offices serve a prefecture of the place (any place, when none is given)?"""
        return not place.prefectures or any(not ids.isdisjoint(self.serving[p]) for p in place.prefectures)

    def covers(self, contacts: Sequence[Contact], place: Place) -> bool:
        """Do these offices between them serve every prefecture of the place?"""
        served = self.served
        return set(place.prefectures) <= set().union(*(served[c.id] for c in contacts))

    def offers_near(self, category: str, place: Place) -> bool:
        """Whether a table has an office for the place, or at least one in the same region (offered instead)."""
        served, local, city_centres = self.category_reach[category]
        if any(city in city_centres for city in place.cities):
            return True
        prefs = place.prefectures
        if any(p in served for p in prefs):
            return True
        k = self.knowledge
        regions = {k.prefecture_by_short[p].region for p in prefs} if place.prefecture_names else set()
        return any(p in local for r in k.regions if r.name in regions for p in r.prefectures)

    def by_code(self, prefectures) -> list[str]:
        """Prefecture short names in the order of their codes (北海道 first)."""
        return sorted(prefectures, key=self.pref_code.__getitem__)

    # ------------------------------------------------------------------ built once
    def _areas_of_regions(self) -> dict[str, frozenset[str]]:
        """Region name → the areas it selects, for each kind of area (経済産業局, 中小機構)."""
        k = self.knowledge
        out = {}
        for region in k.regions:
            chosen: set[str] = set()
            for kind in {a.kind for a in k.areas}:
                same_kind = [a for a in k.areas if a.kind == kind]
                named = [a for a in same_kind if a.short == region.name]
                chosen.update(a.id for a in (named or [a for a in same_kind if set(a.prefectures) & set(region.prefectures)]))
            out[region.name] = frozenset(chosen)
        return out

    def _reach_of_categories(self) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]:
        """Category → (prefectures its offices serve, prefectures with an office of their own, cities with one)."""
        k, out = self.knowledge, {}
        for cat in k.categories:
            contacts = k.contacts_in(cat.id)
            served = {p for c in contacts if c.serves.kind != Reach.CITY for p in self.served[c.id]}
            local = {self.pref_of[c.id] for c in contacts if self.pref_of[c.id]}
            cities = {c.serves.value for c in contacts if c.serves.kind == Reach.CITY}
            out[cat.id] = (frozenset(served), frozenset(local), frozenset(cities))
        return out
