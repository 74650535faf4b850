"""Selection: for the topics, the office names and the place of a question, the contacts to show, or what to ask.

It is the one decision "which offices for this question", kept whole so that its cases read in order.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from bot.core.answer import CLARIFY, CONTACTS, FALLBACK, Answer, Ask, Choice, Gap, Missing, Place
from bot.core.conversation import ConversationState
from bot.core.domain import PENDING_FOR, ChoiceKind, Cue, Pending
from bot.core.coverage import LOCAL, NATIONWIDE_TIER, Coverage
from bot.core.describe import Describer
from bot.core.memory import Memory
from bot.core.ranking import MAX_CONTACTS, SHORT_LIST, Ranker
from bot.core.routing import INTENT_STRIDE, Routing
from bot.core.understanding import Query
from bot.knowledge.model import Contact, Knowledge, Reach

NAME_TIE = 0.999
Turn = tuple[Answer, ConversationState]


class Selector:
    def __init__(self, knowledge: Knowledge, coverage: Coverage, routing: Routing, ranker: Ranker, describer: Describer,
                 memory: Memory):
        self.knowledge, self.coverage, self.routing = knowledge, coverage, routing
        self.ranker, self.describer, self.memory = ranker, describer, memory

    def select(self, q: Query, state: ConversationState, *, intents: Sequence[str], place: Place,
               named: Mapping[str, float] | None = None, offices: Sequence[str] = (), carried: bool = False) -> Turn:
        """The offices to show for the topics (intents) in the place, or what to ask. named: the offices the question
        names, with how well; offices: exactly these (the last answer's, again or its next page); carried: the place
        comes from earlier in the conversation."""
        k, cov, routing = self.knowledge, self.coverage, self.routing
        names = dict.fromkeys(offices, 1.0) if offices else dict(named or {})
        if len(intents) > 1:
            # a topic whose offices are all among a wider one's is what was meant: ファンドからの出資 is the investment
            # funds, not every fund (起業 asked alongside still counts) — if it has an office for the place asked about
            # (スタートアップ応援ファンド 兵庫: no such fund there, so 兵庫's other fund answers)
            sets = [routing.target_sets[i] for i in intents]
            narrower = [s if cov.has_office_for(s, place) else frozenset() for s in sets]
            intents = [iid for n, iid in enumerate(intents) if not any(other and other < sets[n] for other in narrower)]
            if not place.given and not names:
                # no place said, and one topic is a single nationwide office (the hotline): that one is what was
                # asked for (「中小企業の相談ホットライン」), not a list of prefectural centres to choose among
                intents = [i for i in intents if i in routing.nationwide_only] or intents
        target_order = routing.intent_contacts(intents)
        candidates: Sequence[Contact]
        if names:
            named = sorted((k.contact_by_id[i] for i in names), key=lambda c: routing.order[c.id])
            both = [c for c in named if c.id in target_order]
            if both:  # the same office printed in another table too, with its own number (千葉県 経営支援課)
                same = {c.name for c in both}
                both = [c for c in named if c.id in target_order or c.name in same]
            main = [c for c in named if c.id in self.ranker.main] if Cue.REPRESENTATIVE in q.vocabulary else []
            candidates = main or both or named  # 「…の代表番号」: the organization's own row wherever it is listed
        else:
            candidates = routing.ordered_candidates(intents, target_order)

        if not place.given and q.weak_regions:  # 中国で事業承継: 中国地方 (China is said in a topic phrase: 中国に輸出)
            place = cov.region_place(q.weak_regions[0])

        if place.given and names and not any(cov.serves(c, place, names) for c in candidates):
            # the name found (a generic part of some office's name) is not in the place asked about
            if not intents:  # 「鹿児島県の商工政策課」: no office of that name there; offer what the place has
                answer, new_state = self.ask_category(q, place, state)
                return answer._replace(missing=Missing(Gap.NAME_NOT_HERE)), new_state
            names = {}
            candidates = routing.ordered_candidates(intents, target_order)

        missing = None
        if place.given:
            served = self._served_in(candidates, place, names, intents)
            if not served and place.prefecture_names and not place.city:
                # offices only a city has (政令指定都市の支援センター), asked for by its prefecture: that city's
                served = [c for c in candidates if c.serves.kind == Reach.CITY and cov.pref_of[c.id] in place.prefectures]
            if not served:
                return self._nothing_here(q, intents, candidates, place, carried)
            missing = self._missing_note(intents, served, place) if not names else None
            candidates = self._most_specific(served, target_order)
            if place.region and not place.prefecture_names and not names:
                ask = self._which_prefecture_in(place, candidates, intents, q, carried)
                if ask is not None:
                    return ask, state.with_(intents=tuple(intents), pending=Pending.PREFECTURE, choices=ask.choices,
                                            prefectures=(), city="", region="", area="")
                if len(candidates) < len(served) and not cov.covers(candidates, place) \
                        and not any(c.serves.kind == Reach.AREA and k.area_by_id[c.serves.value].short == place.region
                                    for c in candidates):
                    # 北陸: 近畿's office serves only 福井 there; 富山 and 石川 are left to the national offices
                    # (not when the region is an office's own: 中部 → 中小機構 中部本部)
                    candidates = [c for c in served if c in candidates or cov.tiers[c.id] == NATIONWIDE_TIER]
        else:
            candidates = self.ranker.named_by_words(candidates, q)
            if Cue.ALL_JAPAN in q.vocabulary and any(cov.tiers[c.id] == NATIONWIDE_TIER for c in candidates):
                ask = None  # 「中央会 全国」: the nationwide office, without asking which prefecture
            else:
                ask, candidates = self._where(candidates, intents)
            if ask is not None:
                ask = ask._replace(question=q.text, carried_place=carried)
                if q.unknown_places and not ask.missing:  # 小佐々町で…: a place we do not know is said, not dropped
                    ask = ask._replace(missing=Missing(Gap.PLACE_UNKNOWN, subject=q.unknown_places[:1]))
                return ask, state.with_(intents=tuple(intents), pending=PENDING_FOR[ask.choices[0].kind],
                                        choices=ask.choices, prefectures=(), city="", region="", area="")
            if any(cov.tiers[c.id] == NATIONWIDE_TIER for c in candidates):
                # no place given: offices that serve only some prefectures or regions would be guesses
                candidates = [c for c in candidates if cov.tiers[c.id] == NATIONWIDE_TIER]

        ranked = self.ranker.distinct(self.ranker.rank(candidates, q, names, target_order))
        if len(place.prefecture_names) > 1:  # 「福島と山形は？」: each prefecture's offices in the order asked
            asked, pref_of = place.prefectures, cov.pref_of
            ranked.sort(key=lambda r: asked.index(pref_of[r.contact.id]) if pref_of[r.contact.id] in asked else len(asked))
        elif place.region and not place.prefecture_names and len(ranked) > 1:
            # a region split between offices: the one serving most of it first (東海: 中部経済産業局 before 関東)
            region, served_in = set(place.prefectures), cov.served
            ranked.sort(key=lambda r: -len(served_in[r.contact.id] & region))
        shown, more = self.ranker.cut(ranked, q)
        if Cue.REPRESENTATIVE in q.vocabulary and not any(c.id in self.ranker.main and c.phones for c in shown):
            missing = missing or Missing(Gap.REPRESENTATIVE)
        if Cue.ADDRESS in q.vocabulary:
            missing = missing or Missing(Gap.ADDRESS)
        if Cue.URL in q.vocabulary and not any(c.url for c in shown):
            missing = missing or Missing(Gap.URL)
        rest = tuple(r.contact.id for r in ranked if r.contact not in shown) if more else ()
        notes, changes = self.describer.notes(shown, intents)
        answer = Answer(
            kind=CONTACTS, question=q.text, contacts=tuple(shown), more=more,
            topic=self.describer.topic(routing.intents_shown(intents, shown, target_order), shown), named=bool(names),
            intent=intents[0] if intents else "", place=place, carried_place=carried,
            reasons=self.describer.reasons(shown, place), missing=missing, notes=notes, changes=changes,
            # 熊本で下請の相談: every office for it serves the whole country — said, so that 熊本 is not silently dropped
            nationwide_for_place=bool(place.prefecture_names and not carried and not names and not missing and shown
                                      and all(cov.tiers[c.id] == NATIONWIDE_TIER for c in shown)),
        )
        return answer, self.memory.remember(intents, place, shown, rest)

    def named(self, q: Query, state: ConversationState, place: Place) -> dict[str, float]:
        """Contacts the question names, best score only (ties kept), among those serving the place asked about if
        any do (「青森県 経営支援課」 is 青森's, however well 千葉's longer name matched); earlier organizations
        break ties."""
        if not q.names:
            return {}
        scores = q.names
        if place.given:
            k = self.knowledge
            here = {cid: s for cid, s in scores.items() if self.coverage.serves(k.contact_by_id[cid], place, scores)}
            scores = here or scores
        best = max(scores.values())
        top = {cid: s for cid, s in scores.items() if s >= best * NAME_TIE}
        if len(top) > 1 and state.shown:
            organizations = self.memory.organizations_shown(state)
            same_org = {cid: s for cid, s in top.items() if self.knowledge.contact_by_id[cid].organization in organizations}
            if same_org:
                return same_org
        return top

    def ask_category(self, q: Query, place: Place, state: ConversationState) -> Turn:
        """A place without a topic: which kind of office, among those the place has (or its region has)."""
        choices = []
        for cat in self.knowledge.categories:
            iid = self.routing.intent_of_category.get(cat.id)
            if cat.choice and iid and self.coverage.offers_near(cat.id, place):
                choices.append(Choice.of(ChoiceKind.INTENT, iid, cat.label))
        return self._ask_which(q, place, state, Ask.CATEGORY, tuple(choices))

    def ask_topic(self, q: Query, place: Place, state: ConversationState, intents: Sequence[str]) -> Turn:
        """Two or three topics the question may mean (a second reading found them close): which one."""
        choices = tuple(Choice.of(ChoiceKind.INTENT, i, self.knowledge.intent_by_id[i].label) for i in intents)
        return self._ask_which(q, place, state, Ask.TOPIC, choices)

    def ask_place(self, q: Query, state: ConversationState, intents: Sequence[str]) -> Turn:
        """Which prefecture: a name several prefectures share (池田町: exactly those offered), or a place the knowledge
        does not know (every prefecture; said so, never guessed nor dropped). The topic waits for the reply."""
        cov = self.coverage
        if q.place_options:
            options, asks, missing = q.place_options, Ask.PREFECTURE_OF_NAME, None
        else:
            options = cov.by_code(cov.pref_code)
            asks, missing = Ask.PREFECTURE, Missing(Gap.PLACE_UNKNOWN, subject=q.unknown_places[:1])
        choices = tuple(cov.pref_choice[p] for p in options)
        answer = Answer(kind=CLARIFY, question=q.text, topic=self.describer.topic(intents, ()) if intents else (),
                        intent=intents[0] if intents else "", asks=asks, choices=choices, missing=missing,
                        place_name=q.ambiguous_place)
        return answer, state.with_(intents=tuple(intents), pending=Pending.PREFECTURE, choices=choices,
                                   prefectures=(), city="", region="", area="")

    @staticmethod
    def _ask_which(q: Query, place: Place, state: ConversationState, asks: Ask, choices: tuple[Choice, ...]) -> Turn:
        """Which topic or kind of office: the place is kept for the reply, the choices wait for it."""
        answer = Answer(kind=CLARIFY, question=q.text, place=place, asks=asks, choices=choices)
        new_state = state.with_(intents=(), prefectures=place.prefectures if place.prefecture_names else (),
                                city=place.city, region=place.region, area=place.area, pending=Pending.CATEGORY,
                                choices=choices)
        return answer, new_state

    # ------------------------------------------------------------------ pieces
    def _served_in(self, candidates: Sequence[Contact], place: Place, names: dict[str, float],
                   intents: Sequence[str]) -> list[Contact]:
        """The candidates that serve the place asked about."""
        cov = self.coverage
        if len(place.prefecture_names) == 1 and not (place.area or names):  # the common case, looked up
            if not place.city and len(intents) == 1 and candidates is self.routing.ordered[intents[0]]:
                return list(self.routing.serving_by_intent[intents[0]][place.prefectures[0]])
            serving = cov.serving[place.prefectures[0]]
            for city in place.cities:
                serving = serving | cov.city_centres.get(city, frozenset())
            return [c for c in candidates if c.id in serving]
        return [c for c in candidates if cov.serves(c, place, names)]

    def _most_specific(self, contacts: Sequence[Contact], target_order: dict[str, int]) -> Sequence[Contact]:
        """For each intent asked about, keep its most local offices (宮城's own centre over the national one)."""
        if len(contacts) < 2:
            return contacts
        tiers = self.coverage.tiers
        best: dict[int, int] = {}
        for c in contacts:
            group, tier = target_order.get(c.id, 0) // INTENT_STRIDE, tiers[c.id]
            if tier < best.get(group, 9):
                best[group] = tier
        return [c for c in contacts if tiers[c.id] == best[target_order.get(c.id, 0) // INTENT_STRIDE]]

    def _where(self, candidates: Sequence[Contact], intents: Sequence[str]) -> tuple[Answer | None, Sequence[Contact]]:
        """Without a place: ask where if the offices differ by prefecture or region, or list a short table."""
        cov = self.coverage
        tiers, pref_of = cov.tiers, cov.pref_of
        local = [c for c in candidates if tiers[c.id] == LOCAL]
        prefs = cov.by_code({pref_of[c.id] for c in local})
        if len(prefs) > 1:
            first_category = local[0].category
            group = [c for c in local if c.category == first_category]
            if len(group) <= SHORT_LIST and len({pref_of[c.id] for c in group}) == len(group):
                return None, group
            choices = tuple(cov.pref_choice[p] for p in prefs)
            national = tuple(c for c in candidates if tiers[c.id] == NATIONWIDE_TIER)[:2]
            return Answer(kind=CLARIFY, topic=self.describer.topic(intents, local), intent=intents[0] if intents else "",
                          asks=Ask.PREFECTURE, choices=choices, national=national), candidates
        if local:
            return None, candidates
        areas: list[str] = []
        for c in candidates:
            if c.serves.kind == Reach.AREA and c.serves.value not in areas:
                areas.append(c.serves.value)
        if len(areas) > 1:
            choices = tuple(cov.area_choice[a] for a in areas)
            return Answer(kind=CLARIFY, topic=self.describer.topic(intents, candidates), intent=intents[0] if intents else "",
                          asks=Ask.PREFECTURE_OR_AREA, choices=choices), candidates
        return None, candidates

    def _which_prefecture_in(self, place: Place, candidates: Sequence[Contact], intents: Sequence[str], q: Query,
                             carried: bool) -> Answer | None:
        """A region named for offices that exist per prefecture: ask which of its prefectures (九州 → 7 choices)."""
        cov = self.coverage
        prefs = cov.by_code({cov.pref_of[c.id] for c in candidates if cov.tiers[c.id] == LOCAL})
        if len(prefs) < 2:
            return None
        return Answer(kind=CLARIFY, question=q.text, topic=self.describer.topic(intents, candidates),
                      intent=intents[0] if intents else "", place=place, carried_place=carried,
                      asks=Ask.PREFECTURE_IN_REGION, choices=tuple(cov.pref_choice[p] for p in prefs))

    def _missing_note(self, intents: Sequence[str], served: Sequence[Contact], place: Place) -> Missing | None:
        """Say so when the main office for this question does not exist in the user's prefecture."""
        cov, k = self.coverage, self.knowledge
        if not intents or not place.prefecture_names or any(cov.tiers[c.id] == LOCAL for c in served):
            return None
        first = k.intent_by_id[intents[0]].targets[0].category
        if not cov.all_local[first]:
            if self.routing.regional_first[intents[0]] and all(cov.tiers[c.id] == NATIONWIDE_TIER for c in served):
                # the topic's own offices are regional, and none serves this place (研究開発 広島: 中国経済産業局 has no
                # 産業技術課 in the list); not 下請, whose first office is the nationwide 取引課
                return Missing(Gap.NO_REGIONAL_OFFICE, subject=(k.intent_by_id[intents[0]].label,))
            return None  # only a table of local offices can be missing one (not 政府系金融機関 with one in 沖縄)
        have = cov.by_code({cov.pref_of[c.id] for c in k.contacts_in(first)})
        return Missing(Gap.NOT_IN_PREFECTURE, subject=(k.category_by_id[first].label,), where=tuple(have))

    def _nothing_here(self, q: Query, intents: Sequence[str], candidates: Sequence[Contact], place: Place,
                      carried: bool) -> Turn:
        """No office of this kind serves the place: say so, and offer the ones in the same region."""
        k, cov = self.knowledge, self.coverage
        topic = self.describer.topic(intents, candidates)
        nearby: list[Contact] = []
        region_name = ""
        if place.prefectures and candidates:
            home = k.prefecture_by_short[place.prefectures[0]].region
            region = next((r for r in k.regions if r.name == home), None)
            if region:
                region_name = region.name
                nearby = [c for c in candidates if cov.tiers[c.id] == LOCAL and cov.pref_of[c.id] in region.prefectures]
        kind_of_office = self.describer.topic([], candidates) or topic  # ジェトロ（JETRO）国内事務所, not 輸出・海外展開
        state = self.memory.remember(intents, place, ())
        if nearby:
            notes, changes = self.describer.notes(nearby, intents)
            answer = Answer(kind=CONTACTS, question=q.text, contacts=tuple(nearby[:MAX_CONTACTS]),
                            more=max(0, len(nearby) - MAX_CONTACTS), topic=topic, intent=intents[0] if intents else "",
                            place=place, carried_place=carried, nearby=True, notes=notes, changes=changes,
                            missing=Missing(Gap.NONE_HERE, subject=kind_of_office, region=region_name))
            return answer, state
        answer = Answer(kind=FALLBACK, question=q.text, topic=topic, place=place,
                        missing=Missing(Gap.NONE_HERE, subject=kind_of_office), hotline=k.hotline(),
                        examples=self.describer.examples)
        return answer, state
