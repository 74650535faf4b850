"""The answering engine: from a message and the conversation so far to a structured Answer.

No Slack here: the console, the Slack app and the tests all drive this same code.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from difflib import SequenceMatcher
from typing import Callable, Mapping, Sequence

from bot.core import answer as A
from bot.core.answer import Answer, Place
from bot.core.conversation import Choice, ConversationState, MemoryStore, StateStore
from bot.core.hours import closed_note, now_in_japan
from bot.core.index import KnowledgeIndex, build_index
from bot.core.understanding import Query, Understander
from bot.knowledge.phones import numbers_as_typed
from bot.knowledge.model import Contact, Knowledge
from bot.language.tokenizer import Tokenizer, get_tokenizer

MAX_CONTACTS = 5
SHORT_LIST = 6  # a whole table this small is listed rather than asking where
NAME_TIE = 0.999
INTENT_STRIDE = 1_000_000  # ranks of contacts from the k-th intent start at k * INTENT_STRIDE
MAX_NUMBERED_CHOICES = 12  # longer choice lists are not numbered, so a bare number does not pick from them
_TIERS = {"city": 0, "prefecture": 0, "area": 1, "nationwide": 2}
_NEW_CONVERSATION = ConversationState()
_ABOUT_LAST = frozenset({"details", "representative"})  # words that ask again about the offices just shown
_SMALL_TALK = frozenset({"help", "greeting", "thanks"})
NATIONWIDE = "nationwide"  # the vocabulary word (全国) that asks for the nationwide offices
ASK_PREFECTURE = "どちらの都道府県ですか？"
_new_tuple = tuple.__new__  # a NamedTuple from all its fields, without the generated __new__'s Python-level call
ASK_PREFECTURE_OR_AREA = "どちらの都道府県ですか？（地方名でもかまいません）"


class _Ranked:
    """A candidate office and what orders it (a plain class: compiled, it is made without a Python-level call)."""

    __slots__ = ("contact", "local", "name", "name_overlap", "order", "overlap")

    def __init__(self, contact: Contact, name: float, overlap: float, order: int, local: float, name_overlap: float):
        self.contact = contact
        self.name = name  # how well the question named it
        self.overlap = overlap  # idf-weighted words shared by the question and the contact's name and notes: orders
        self.order = order  # intent, target and source order
        self.local = local  # the same for place words (北九州 in ジェトロ北九州): orders, never narrows
        self.name_overlap = name_overlap  # words shared with the contact's name alone: may narrow the list


class Engine:
    """Holds the knowledge, the understander and the conversation store; answers messages."""

    def __init__(self, knowledge: Knowledge, tokenizer: Tokenizer | None = None, store: StateStore | None = None,
                 index: KnowledgeIndex | None = None, clock: Callable[[], datetime] = now_in_japan):
        tokenizer = tokenizer or get_tokenizer()
        index = index or build_index(knowledge, tokenizer)
        self.knowledge = knowledge
        self.understander = Understander(knowledge, tokenizer, index)
        self.store: StateStore = store or MemoryStore()
        self.clock = clock
        self._hours = {h.contact: h for h in knowledge.hours}
        self._order = {c.id: i for i, c in enumerate(knowledge.contacts)}
        self._name_words, self._note_words, self._idf = index.name_words, index.note_words, index.idf
        self._intent_of_category = self._first_intent_per_category()
        self._targets = {i.id: self._targets_of(i) for i in knowledge.intents}
        self._target_sets = {iid: frozenset(ids) for iid, ids in self._targets.items()}
        self._ordered = {iid: tuple(knowledge.contact_by_id[c] for c in sorted(ranks, key=ranks.__getitem__))
                         for iid, ranks in self._targets.items()}
        self._served = {c.id: frozenset(knowledge.prefectures_served(c)) for c in knowledge.contacts}
        # intents whose first offices serve a region (経済産業局's 産業技術課), not the whole country (下請 → 取引課)
        self._regional_first = {i.id: bool(self._ordered[i.id]) and self._ordered[i.id][0].serves.kind == "area"
                                for i in knowledge.intents}
        # intents with a nationwide office among theirs (中央会 → 全国中小企業団体中央会): 「全国」 can answer them
        self._with_nationwide = frozenset(iid for iid, ordered in self._ordered.items()
                                          if any(c.serves.kind == "nationwide" for c in ordered))
        self._tiers = {c.id: _TIERS[c.serves.kind] for c in knowledge.contacts}
        self._pref_of = {c.id: knowledge.prefecture_of(c) or "" for c in knowledge.contacts}  # "": not bound to one
        self._pref_code = {p.short: p.code for p in knowledge.prefectures}
        self._pref_name = {p.short: p.name for p in knowledge.prefectures}
        self._pref_choice = {p.short: Choice(p.name, f"prefecture:{p.short}") for p in knowledge.prefectures}
        self._area_choice = {a.id: Choice(a.name, f"area:{a.id}") for a in knowledge.areas}
        # for a question that names only prefectures: the offices (other than a city's own) serving each one
        self._serving = {p.short: frozenset(c.id for c in knowledge.contacts
                                            if c.serves.kind != "city" and p.short in self._served[c.id])
                         for p in knowledge.prefectures}
        # intent → prefecture → its offices serving that prefecture (other than a city's own), in order
        self._serving_by_intent = {iid: {p: tuple(c for c in ordered if c.id in ids) for p, ids in self._serving.items()}
                                   for iid, ordered in self._ordered.items()}
        self._city_centres: dict[str, frozenset[str]] = {}
        for c in knowledge.contacts:
            if c.serves.kind == "city":
                self._city_centres[c.serves.value] = self._city_centres.get(c.serves.value, frozenset()) | {c.id}
        self._region_areas = self._areas_of_regions()
        self._category_reach = self._reach_of_categories()
        same_notes = _same_notes([cat.note for cat in knowledge.categories if cat.note])
        self._notes_of = {c.id: self._contact_notes(c, same_notes) for c in knowledge.contacts}
        # for help and fallbacks: one example per intent, and what can be asked (not the list of what is not ours)
        self._examples = tuple(i.examples[0] for i in knowledge.intents if i.examples)
        self._topics = tuple(i.label for i in knowledge.intents if i.targets)
        self._words = {c.id: self._name_words[c.id] | self._note_words[c.id] for c in knowledge.contacts}
        titles = {cat.id: cat.title for cat in knowledge.categories}
        self._narrowing_words = {c.id: frozenset(w for w in self._name_words[c.id] if w not in titles[c.category])
                                 for c in knowledge.contacts}
        # an organization's own row (no department or division) beside rows for its divisions: its main number
        divided = {c.organization for c in knowledge.contacts if c.department or c.division}
        self._main = {c.id for c in knowledge.contacts if not c.department and not c.division
                      and (c.organization in divided or any(p.kind == "代表" for p in c.phones))}
        self._office_key = {c.id: (c.name.replace(" ", ""), tuple(p.digits for p in c.phones)) for c in knowledge.contacts}
        self._main_of: dict[str, list[str]] = defaultdict(list)  # organization → its own rows
        for c in knowledge.contacts:
            if c.id in self._main:
                self._main_of[c.organization].append(c.id)
        self._all_local = {cat.id: all(self._tier(c) == 0 for c in knowledge.contacts_in(cat.id)) for cat in knowledge.categories}
        self._by_number: dict[str, list[Contact]] = defaultdict(list)
        for c in knowledge.contacts:
            for p in c.phones:
                self._by_number[p.digits].append(c)

    # ------------------------------------------------------------------ public API
    def reply(self, conversation: str, text: str) -> Answer:
        """Answer one message in a conversation, updating its state."""
        state = self._valid(self.store.get(conversation))
        query = self.understander.parse(text)
        answer, new_state = self._answer(query, state)
        self.store.put(conversation, new_state)
        return self._with_hours(answer)

    def choose(self, conversation: str, value: str) -> Answer:
        """Answer a click on a clarifying choice (value such as 'prefecture:宮城' or 'intent:succession') or on
        「ほかのN件を見る」 ('more:')."""
        state = self._valid(self.store.get(conversation))
        answer, new_state = self._apply_choice(value, state)
        self.store.put(conversation, new_state)
        return self._with_hours(answer)

    def _valid(self, state: ConversationState | None) -> ConversationState:
        """State saved before a knowledge reload may name intents or contacts that no longer exist: drop them."""
        if state is None:
            return _NEW_CONVERSATION
        k = self.knowledge
        intents = tuple(i for i in state.intents if i in k.intent_by_id)
        shown = tuple(c for c in state.shown if c in k.contact_by_id)
        rest = tuple(c for c in state.rest if c in k.contact_by_id)
        if (intents, shown, rest) == (state.intents, state.shown, state.rest):
            return state
        return state.with_(intents=intents, shown=shown, rest=rest)

    def _with_hours(self, answer: Answer) -> Answer:
        """Offices with opening hours that are closed right now get a note saying when they open."""
        all_hours = self._hours
        if not (answer.hotline or answer.national or any(c.id in all_hours for c in answer.contacts)):
            return answer
        shown = list(answer.contacts) + ([answer.hotline] if answer.hotline else []) + list(answer.national)
        notes = []
        for contact in shown:
            hours = all_hours.get(contact.id)
            note = closed_note(hours, self.clock()) if hours else ""
            if note:
                notes.append((contact.id, note))
        return answer._replace(closed=tuple(notes)) if notes else answer

    def choice_label(self, value: str) -> str:
        """What a choice value says, in words (for echoing a click)."""
        kind, _, rest = value.partition(":")
        if kind == "prefecture" and rest in self.knowledge.prefecture_by_short:
            return self.knowledge.prefecture_by_short[rest].name
        if kind == "area" and rest in self.knowledge.area_by_id:
            return self.knowledge.area_by_id[rest].name
        if kind == "intent" and rest in self.knowledge.intent_by_id:
            return self.knowledge.intent_by_id[rest].label
        return rest

    # ------------------------------------------------------------------ indexes
    def _first_intent_per_category(self) -> dict[str, str]:
        """Category → the topic it stands for in a conversation (「参事官室」 then 「福島は？」): the first intent that
        leads to the whole table, else the first that leads to part of it."""
        whole: dict[str, str] = {}
        part: dict[str, str] = {}
        for intent in self.knowledge.intents:
            for target in intent.targets:
                (part if target.match else whole).setdefault(target.category, intent.id)
        return {**part, **whole}

    # ------------------------------------------------------------------ the decision
    def _answer(self, q: Query, state: ConversationState) -> tuple[Answer, ConversationState]:
        if q.number is not None and state.choices and 1 <= q.number <= min(len(state.choices), MAX_NUMBERED_CHOICES):
            return self._apply_choice(state.choices[q.number - 1].value, state)
        if q.phones:  # whose number: the offices found become what the conversation is about (「福島は？」 next)
            answer = self._reverse(q)
            return answer, (self._remember([], Place(), list(answer.contacts)) if answer.contacts else state)
        if not q.is_empty:
            small_talk = q.vocabulary & _SMALL_TALK
            if small_talk and not (q.intents or q.names or q.has_place):
                return self._small_talk(q), state
            return self._understood(q, state)
        small_talk = q.vocabulary & _SMALL_TALK
        if not q.vocabulary.isdisjoint(_ABOUT_LAST) and not (small_talk or q.unknown_words) \
                and state.shown and not state.pending:
            # 「電話番号は？」「住所は？」 right after an answer: the same offices again (or what the list lacks);
            # 「代表番号は？」: their organization's own row (東北経済産業局 特許室 → 東北経済産業局)
            shown = state.shown
            if "representative" in q.vocabulary:
                shown = tuple(cid for org in self._organizations_shown(state) for cid in self._main_of.get(org, ())) or shown
            return self._select(q, dict.fromkeys(shown, 1.0), list(state.intents), self._state_place(state), False, state)
        if "more" in q.vocabulary and not (small_talk or q.unknown_words) and not state.pending:
            return self._more(q, state)  # 「ほかには？」 after 「ほかに10件あります」
        if NATIONWIDE in q.vocabulary and not (small_talk or q.unknown_words) and state.pending \
                and not self._with_nationwide.isdisjoint(state.intents):
            # 「全国」 in answer to 「どちらの都道府県ですか？」, when the topic has a nationwide office
            return self._select(q, {}, list(state.intents), Place(), False, state.with_(pending="", choices=()))
        if not small_talk and state.pending and state.choices:
            return self._ask_again(q, state)  # 「わからない」 in answer to 「どちらの都道府県ですか？」
        return self._small_talk(q), state

    def _understood(self, q: Query, state: ConversationState) -> tuple[Answer, ConversationState]:
        """A message that names a place, a topic, an office or a division: choose the contacts (or ask)."""
        place = self._place_of(q)
        names = self._named(q, state, place)
        carried = False
        nationwide = NATIONWIDE in q.vocabulary  # 「中央会 全国」 after an answer about 宮城: everywhere, not 宮城 again
        if not place.given and not names and state.pending != "category" and state.has_place and not nationwide:
            place, carried = self._state_place(state), True
        if not place.given and state.pending == "category" and state.has_place:
            place, carried = self._state_place(state), True

        intents = [i for i in q.intents if self.knowledge.intent_by_id[i].targets]
        if q.intents and not intents and not names:
            return self._fallback(q, self._place_of(q)), state  # only words marked as not ours (海外旅行)
        if not intents and q.weak_intents and not q.unknown_words:
            # 「宮城で相談したい」 is a vague consultation; 「奈良のランチを相談したい」 is not ours to answer
            intents = list(q.weak_intents)
        if not intents and not names and state.intents and (q.has_place or state.pending == "prefecture"):
            intents = list(state.intents)

        if not intents and not names:
            if q.has_place and not q.unknown_words:
                return self._ask_category(q, place, state)
            if state.pending and state.choices and not q.has_place:
                return self._ask_again(q, state)
            return self._fallback(q, place), state
        return self._select(q, names, intents, place, carried, state)

    def _select(self, q: Query, names: dict[str, float], intents: Sequence[str], place: Place, carried: bool,
                state: ConversationState) -> tuple[Answer, ConversationState]:
        k = self.knowledge
        if len(intents) > 1:
            # a topic whose offices are all among a wider one's is what was meant: ファンドからの出資 is the investment
            # funds, not every fund (起業 asked alongside still counts) — if it has an office for the place asked about
            # (スタートアップ応援ファンド 兵庫: no such fund there, so 兵庫's other fund answers)
            sets = [self._target_sets[i] for i in intents]
            narrower = [s if self._has_office_for(s, place) else frozenset() for s in sets]
            intents = [iid for n, iid in enumerate(intents) if not any(other and other < sets[n] for other in narrower)]
        target_order = self._intent_contacts(intents)
        candidates: Sequence[Contact]
        if names:
            named = [c for c in sorted((k.contact_by_id[i] for i in names), key=lambda c: self._order[c.id])]
            both = [c for c in named if c.id in target_order]
            if both:  # the same office printed in another table too, with its own number (千葉県 経営支援課)
                same = {c.name for c in both}
                both = [c for c in named if c.id in target_order or c.name in same]
            main = [c for c in named if c.id in self._main] if "representative" in q.vocabulary else []
            candidates = main or both or named  # 「…の代表番号」: the organization's own row wherever it is listed
        else:
            candidates = self._ordered_candidates(intents, target_order)

        if not place.given and q.weak_regions:  # 中国で事業承継: 中国地方 (China is said in a topic phrase: 中国に輸出)
            place = self._region_place(q.weak_regions[0])

        if place.given and names and not any(self._serves(c, place, names) for c in candidates):
            # the name found (a generic part of some office's name) is not in the place asked about
            if not intents:  # 「鹿児島県の商工政策課」: no office of that name there; offer what the place has
                answer, new_state = self._ask_category(q, place, state)
                return answer._replace(missing=f"{place.label}には、お尋ねの名前の窓口はこの一覧にありません。"), new_state
            names = {}
            candidates = self._ordered_candidates(intents, target_order)

        missing = ""
        if place.given:
            served = self._served_in(candidates, place, names, intents)
            if not served:
                return self._nothing_here(q, intents, candidates, place, carried)
            missing = self._missing_note(intents, served, place) if not names else ""
            candidates = self._most_specific(served, target_order)
            if place.region and not place.prefecture_names and not names:
                ask = self._which_prefecture_in(place, candidates, intents, q, carried)
                if ask is not None:
                    return ask, state.with_(intents=tuple(intents), pending="prefecture", choices=ask.choices,
                                            prefectures=(), city="", region="", area="")
                if len(candidates) < len(served) and not self._covers(candidates, place) \
                        and not any(c.serves.kind == "area" and k.area_by_id[c.serves.value].short == place.region
                                    for c in candidates):
                    # 北陸: 近畿's office serves only 福井 there; 富山 and 石川 are left to the national offices
                    # (not when the region is an office's own: 中部 → 中小機構 中部本部)
                    candidates = [c for c in served if c in candidates or self._tiers[c.id] == 2]

        else:
            candidates = self._named_by_words(candidates, q)
            if NATIONWIDE in q.vocabulary and any(self._tier(c) == 2 for c in candidates):
                ask = None  # 「中央会 全国」: the nationwide office, without asking which prefecture
            else:
                ask, candidates = self._where(candidates, intents)
            if ask is not None:
                ask = ask._replace(question=q.text, truncated=q.truncated, carried_place=carried, corrections=q.corrections)
                return ask, state.with_(intents=tuple(intents), pending=ask.choices[0].value.partition(":")[0],
                                        choices=ask.choices, prefectures=(), city="", region="", area="")
            if any(self._tier(c) == 2 for c in candidates):
                # no place given: offices that serve only some prefectures or regions would be guesses
                candidates = [c for c in candidates if self._tier(c) == 2]

        ranked = self._rank(candidates, q, names, target_order)
        if len(ranked) > 1:  # one office printed in several tables with the same number (中小機構 沖縄事務所) is one
            distinct: dict[tuple, _Ranked] = {}
            for r in ranked:
                distinct.setdefault(self._office_key[r.contact.id], r)
            ranked = list(distinct.values())
        if len(place.prefecture_names) > 1:  # 「福島と山形は？」: each prefecture's offices in the order asked
            asked, pref_of = place.prefectures, self._pref_of
            ranked.sort(key=lambda r: asked.index(pref_of[r.contact.id]) if pref_of[r.contact.id] in asked else len(asked))
        elif place.region and not place.prefecture_names and len(ranked) > 1:
            # a region split between offices: the one serving most of it first (東海: 中部経済産業局 before 関東)
            region, served_in = set(place.prefectures), self._served
            ranked.sort(key=lambda r: -len(served_in[r.contact.id] & region))
        shown, more = self._cut(ranked, q)
        if "representative" in q.vocabulary and not any(c.id in self._main and c.phones for c in shown):
            missing = missing or "代表番号はこの一覧に載っていません。"
        if "address" in q.vocabulary:
            missing = missing or "住所はこの一覧に載っていません。お電話でご確認ください。"
        if "url" in q.vocabulary and not any(c.url for c in shown):
            missing = missing or "ホームページ（URL）はこの一覧に載っていません。お電話でご確認ください。"
        rest = tuple(r.contact.id for r in ranked if r.contact not in shown) if more else ()
        answer = Answer(
            kind=A.CONTACTS, question=q.text, truncated=q.truncated, contacts=tuple(shown), more=more,
            topic=self._topic(self._intents_shown(intents, shown, target_order), shown), named=bool(names),
            intent=intents[0] if intents else "",
            place=place, carried_place=carried, reasons=self._reasons(shown, place), missing=missing,
            notes=self._notes(shown), corrections=q.corrections,
        )
        return answer, self._remember(intents, place, shown, rest)

    # ------------------------------------------------------------------ pieces
    def _named(self, q: Query, state: ConversationState, place: Place) -> dict[str, float]:
        """Contacts the question names, best score only (ties kept), among those serving the place asked about if
        any do (「青森県 経営支援課」 is 青森's, however well 千葉's longer name matched); earlier organizations
        break ties."""
        if not q.names:
            return {}
        scores = q.names
        if place.given:
            k = self.knowledge
            here = {cid: s for cid, s in scores.items() if self._serves(k.contact_by_id[cid], place, scores)}
            scores = here or scores
        best = max(scores.values())
        top = {cid: s for cid, s in scores.items() if s >= best * NAME_TIE}
        if len(top) > 1 and state.shown:
            organizations = self._organizations_shown(state)
            same_org = {cid: s for cid, s in top.items() if self.knowledge.contact_by_id[cid].organization in organizations}
            if same_org:
                return same_org
        return top

    def _targets_of(self, intent) -> dict[str, int]:
        """The contacts an intent leads to, ranked by target (earlier target first), then source order."""
        ids: dict[str, int] = {}
        for t_index, target in enumerate(intent.targets):
            for c in self.knowledge.contacts_in(target.category):
                if target.match and not any(m in c.name for m in target.match):
                    continue
                ids.setdefault(c.id, t_index * 10_000 + self._order[c.id])
        return ids

    def _ordered_candidates(self, intents: Sequence[str], target_order: dict[str, int]) -> Sequence[Contact]:
        if len(intents) == 1:
            return self._ordered[intents[0]]
        k = self.knowledge
        return sorted((k.contact_by_id[i] for i in target_order), key=lambda c: target_order[c.id])

    def _intent_contacts(self, intents: Sequence[str]) -> dict[str, int]:
        """Contacts the intents lead to, with their order (earlier intent and target first)."""
        per_intent = [self._targets[iid] for iid in intents]
        if not per_intent:
            return {}
        if len(per_intent) == 1:
            return per_intent[0]
        common = set(per_intent[0]).intersection(*per_intent[1:])
        if common:  # 農工商連携 + ファンド → only the offices both lead to
            return {cid: per_intent[0][cid] for cid in common}
        out: dict[str, int] = {}
        for i, ids in enumerate(per_intent):
            for cid, rank in ids.items():
                out.setdefault(cid, i * INTENT_STRIDE + rank)
        return out

    def _place_of(self, q: Query) -> Place:
        if q.prefectures:
            names = self._pref_name
            prefs = q.prefectures
            full = (names[prefs[0]],) if len(prefs) == 1 else tuple(names[p] for p in prefs)
            city, others = (q.cities[0], q.cities[1:]) if q.cities else ("", ())
            return _new_tuple(Place, (prefs, full, city, "", "", "", others))  # every field in order, as above
        if q.regions:
            return self._region_place(q.regions[0])
        return Place()

    def _region_place(self, region_name: str) -> Place:
        region = next(r for r in self.knowledge.regions if r.name == region_name)
        return Place(region=region.name, prefectures=region.prefectures)

    def _state_place(self, state: ConversationState) -> Place:
        k = self.knowledge
        if state.area:
            area = k.area_by_id[state.area]
            return Place(area=area.id, area_name=area.name, prefectures=area.prefectures)
        if state.region and not state.prefectures:
            return self._region_place(state.region)
        return Place(prefectures=state.prefectures,
                     prefecture_names=tuple(k.prefecture_by_short[p].name for p in state.prefectures), city=state.city)

    def _served_in(self, candidates: Sequence[Contact], place: Place, names: dict[str, float],
                   intents: Sequence[str]) -> list[Contact]:
        """The candidates that serve the place asked about."""
        if len(place.prefecture_names) == 1 and not (place.area or names):  # the common case, looked up
            if not place.city and len(intents) == 1 and candidates is self._ordered[intents[0]]:
                return list(self._serving_by_intent[intents[0]][place.prefectures[0]])
            serving = self._serving[place.prefectures[0]]
            for city in place.cities:
                serving = serving | self._city_centres.get(city, frozenset())
            return [c for c in candidates if c.id in serving]
        return [c for c in candidates if self._serves(c, place, names)]

    def _has_office_for(self, ids: frozenset[str], place: Place) -> bool:
        """Does one of these offices serve a prefecture of the place (any place, when none is given)?"""
        return not place.prefectures or any(not ids.isdisjoint(self._serving[p]) for p in place.prefectures)

    def _covers(self, contacts: Sequence[Contact], place: Place) -> bool:
        """Do these offices between them serve every prefecture of the place?"""
        served = self._served
        return set(place.prefectures) <= set().union(*(served[c.id] for c in contacts))

    def _serves(self, c: Contact, place: Place, names: Mapping[str, float]) -> bool:
        """Does this office serve the place asked about?"""
        kind = c.serves.kind
        if kind == "nationwide":
            return True
        if kind == "prefecture":
            return c.serves.value in place.prefectures
        if place.area:
            return c.serves.value == place.area if kind == "area" else not self._served[c.id].isdisjoint(place.prefectures)
        if kind == "area":
            if place.region and not place.prefecture_names:
                return c.serves.value in self._region_areas[place.region]  # 九州 → its own area (or those covering it)
            return not self._served[c.id].isdisjoint(place.prefectures)
        # a city's own centre: for that city, or when the question named it
        if place.city:
            return c.serves.value in place.cities
        return c.id in names and not self._served[c.id].isdisjoint(place.prefectures)

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

    def _tier(self, c: Contact) -> int:
        """0: one prefecture or city; 1: a region; 2: the whole country."""
        return self._tiers[c.id]

    def _most_specific(self, contacts: Sequence[Contact], target_order: dict[str, int] | None = None) -> Sequence[Contact]:
        """For each intent asked about, keep its most local offices (宮城's own centre over the national one)."""
        if len(contacts) < 2:
            return contacts
        tiers, order = self._tiers, target_order or {}
        best: dict[int, int] = {}
        for c in contacts:
            group, tier = order.get(c.id, 0) // INTENT_STRIDE, tiers[c.id]
            if tier < best.get(group, 9):
                best[group] = tier
        return [c for c in contacts if tiers[c.id] == best[order.get(c.id, 0) // INTENT_STRIDE]]

    def _named_by_words(self, candidates: Sequence[Contact], q: Query) -> Sequence[Contact]:
        """Words of the question that name some offices (本部 in 「ジェトロの本部」) single them out before asking where."""
        if len(candidates) < 2 or not q.name_words:
            return candidates
        idf, words = self._idf, q.name_words
        scores = {c.id: sum(idf.get(w, 0.0) for w in words & self._name_words[c.id]) for c in candidates}
        best = _singled_out(list(scores.values()))
        return [c for c in candidates if scores[c.id] >= best] if best else candidates

    def _where(self, candidates: Sequence[Contact], intents: Sequence[str]) -> tuple[Answer | None, Sequence[Contact]]:
        """Without a place: ask where if the offices differ by prefecture or region, or list a short table."""
        tiers, pref_of = self._tiers, self._pref_of
        local = [c for c in candidates if tiers[c.id] == 0]
        prefs = sorted({pref_of[c.id] for c in local}, key=self._pref_code.__getitem__)
        if len(prefs) > 1:
            first_category = local[0].category
            group = [c for c in local if c.category == first_category]
            if len(group) <= SHORT_LIST and len({pref_of[c.id] for c in group}) == len(group):
                return None, group
            choices = tuple(self._pref_choice[p] for p in prefs)
            national = tuple(c for c in candidates if tiers[c.id] == 2)[:2]
            return Answer(kind=A.CLARIFY, topic=self._topic(intents, local), intent=intents[0] if intents else "",
                          question_text=ASK_PREFECTURE, choices=choices, national=national), candidates
        if local:
            return None, candidates
        areas = []
        for c in candidates:
            if c.serves.kind == "area" and c.serves.value not in areas:
                areas.append(c.serves.value)
        if len(areas) > 1:
            choices = tuple(self._area_choice[a] for a in areas)
            return Answer(kind=A.CLARIFY, topic=self._topic(intents, candidates), intent=intents[0] if intents else "",
                          question_text=ASK_PREFECTURE_OR_AREA, choices=choices), candidates
        return None, candidates

    def _which_prefecture_in(self, place: Place, candidates: Sequence[Contact], intents: Sequence[str], q: Query,
                             carried: bool) -> Answer | None:
        """A region named for offices that exist per prefecture: ask which of its prefectures (九州 → 7 choices)."""
        prefs = sorted({self._pref_of[c.id] for c in candidates if self._tier(c) == 0}, key=self._pref_code.__getitem__)
        if len(prefs) < 2:
            return None
        choices = tuple(self._pref_choice[p] for p in prefs)
        return Answer(kind=A.CLARIFY, question=q.text, truncated=q.truncated, topic=self._topic(intents, candidates),
                      intent=intents[0] if intents else "", place=place, carried_place=carried,
                      question_text=f"{place.label}のどちらの都道府県ですか？", choices=choices)

    def _missing_note(self, intents: Sequence[str], served: Sequence[Contact], place: Place) -> str:
        """Say so when the main office for this question does not exist in the user's prefecture."""
        if not intents or not place.prefecture_names or any(self._tiers[c.id] == 0 for c in served):
            return ""
        k = self.knowledge
        first = k.intent_by_id[intents[0]].targets[0].category
        if not self._all_local[first]:
            if self._regional_first[intents[0]] and all(self._tiers[c.id] == 2 for c in served):
                # the topic's own offices are regional, and none serves this place (研究開発 広島: 中国経済産業局 has no
                # 産業技術課 in the list); not 下請, whose first office is the nationwide 取引課
                return f"{place.label}を担当する{k.intent_by_id[intents[0]].label}の窓口はこの一覧にありません。全国の窓口をご案内します。"
            return ""  # only a table of local offices can be missing one (not 政府系金融機関 with one in 沖縄)
        have = sorted({self._pref_of[c.id] for c in k.contacts_in(first)}, key=self._pref_code.__getitem__)
        where = "・".join(have) if len(have) <= 8 else f"{len(have)}都道府県"
        return f"{place.label}の{k.category_by_id[first].label}はこの一覧にありません（掲載は{where}）。"

    def _nothing_here(self, q, intents, candidates, place, carried):
        """No office of this kind serves the place: say so, and offer the ones in the same region."""
        k = self.knowledge
        topic = self._topic(intents, candidates)
        nearby: list[Contact] = []
        region_label = ""
        if place.prefectures and candidates:
            home = k.prefecture_by_short[place.prefectures[0]].region
            region = next((r for r in k.regions if r.name == home), None)
            if region:
                region_label = f"{region.name}地方"
                nearby = [c for c in candidates if self._tier(c) == 0 and self._pref_of[c.id] in region.prefectures]
        kind_of_office = self._topic([], candidates) or topic or "お尋ねの窓口"  # ジェトロ（JETRO）国内事務所, not 輸出・海外展開
        missing = f"{place.label}の{kind_of_office}はこの一覧にありません。"
        if nearby:
            missing += f"同じ{region_label}の窓口をご案内します。"
            answer = Answer(kind=A.CONTACTS, question=q.text, truncated=q.truncated, contacts=tuple(nearby[:MAX_CONTACTS]),
                            more=max(0, len(nearby) - MAX_CONTACTS), topic=topic, intent=intents[0] if intents else "",
                            place=place, carried_place=carried, missing=missing, nearby=True, notes=self._notes(nearby))
            return answer, self._remember(intents, place, ())
        answer = Answer(kind=A.FALLBACK, question=q.text, truncated=q.truncated, topic=topic, place=place,
                        missing=missing, hotline=k.hotline(), examples=self._examples)
        return answer, self._remember(intents, place, ())

    def _rank(self, candidates, q: Query, names, target_order) -> list[_Ranked]:
        """Candidates in the order to show them: named first, then by the words they share with the question."""
        order = self._order
        if len(candidates) == 1:  # nothing to order
            c = candidates[0]
            return [_Ranked(c, names.get(c.id, 0.0), 0.0, target_order.get(c.id, 10**9) + order[c.id], 0.0, 0.0)]
        ranked = []
        idf, content, place_words = self._idf, q.content_words, q.place_words
        # among several organizations the words of their table's title describe them all (金融 in 政府系金融機関);
        # among one organization's divisions every word of the names may tell them apart (地域資源, 農商工)
        name_words = self._narrowing_words if len({c.organization for c in candidates}) > 1 else self._name_words
        for c in candidates:
            cid = c.id
            words = self._words[cid]
            overlap = sum(idf.get(w, 0.0) for w in content & words) if content else 0.0
            local = sum(idf.get(w, 0.0) for w in place_words & words) if place_words else 0.0
            by_name = sum(idf.get(w, 0.0) for w in content & name_words[cid]) if overlap else 0.0
            ranked.append(_Ranked(c, names.get(cid, 0.0), overlap, target_order.get(cid, 10**9) + order[cid], local, by_name))
        wants_main = "representative" in q.vocabulary
        cities = q.cities  # a city's own office first (仙台市 → 仙台市産業振興事業団)
        # with several topics asked about, the first one's offices come first (事業承継と資金繰り → 事業承継 first)
        ranked.sort(key=lambda r: (-r.name, -(wants_main and r.contact.id in self._main), -(r.contact.serves.value in cities),
                                   r.order // INTENT_STRIDE, -round(r.overlap, 6), -round(r.local, 6), r.order))
        return ranked

    def _cut(self, ranked: list[_Ranked], q: Query) -> tuple[list[Contact], int]:
        """At most five; narrow a long list to what the question's words single out."""
        contacts = [r.contact for r in ranked]
        if len(contacts) == 1:
            return contacts, 0
        if "representative" in q.vocabulary:
            main = [c for c in contacts if c.id in self._main]
            if main:
                return main[:MAX_CONTACTS], len(contacts) - len(main[:MAX_CONTACTS])
        # narrow only among offices of one table serving the same place (divisions of one bureau, say), and only by
        # words of their names (a note mentioning 資金繰り does not make the others wrong); see _rank for the table's
        # own title words
        alike = len({(c.category, c.serves.kind, c.serves.value) for c in contacts}) == 1
        best = _singled_out([r.name_overlap for r in ranked]) if alike else 0.0
        chosen = [r.contact for r in ranked if r.name_overlap >= best] if best else []
        if chosen and len(chosen) <= MAX_CONTACTS:
            return chosen, 0
        if len(ranked) > MAX_CONTACTS:
            main = [c for c in contacts if c.id in self._main]
            if len(main) == 1 and len({c.organization for c in contacts}) == 1:
                if main[0].phones:
                    return main, len(contacts) - 1
                # the organization's own row has no number in the list (九州経済産業局): its first divisions too
                shown = (main + [c for c in contacts if c is not main[0]])[:MAX_CONTACTS]
                return shown, len(contacts) - len(shown)
        limit = SHORT_LIST if len(contacts) == SHORT_LIST and len({c.category for c in contacts}) == 1 else MAX_CONTACTS
        return contacts[:limit], max(0, len(contacts) - limit)

    @staticmethod
    def _intents_shown(intents: Sequence[str], shown, target_order: dict[str, int]) -> Sequence[str]:
        """The intents that contributed at least one of the contacts shown."""
        if len(intents) < 2:
            return intents
        used = {target_order[c.id] // INTENT_STRIDE for c in shown if c.id in target_order}
        return [iid for i, iid in enumerate(intents) if i in used] or intents[:1]

    def _topic(self, intents: Sequence[str], contacts) -> str:
        """What the answer is about: the question's intents, else the one table the contacts come from."""
        k = self.knowledge
        if len(intents) == 1:
            return k.intent_by_id[intents[0]].label
        if intents:
            return "、".join(k.intent_by_id[i].label for i in intents)  # labels hold ・ themselves (融資・資金繰り)
        categories = list(dict.fromkeys(c.category for c in contacts))
        return k.category_by_id[categories[0]].label if len(categories) == 1 else ""

    def _reasons(self, contacts, place: Place) -> tuple[str, ...]:
        k = self.knowledge
        out = []
        for c in contacts:
            if c.serves.kind != "area":
                continue
            area = k.area_by_id[c.serves.value]
            if place.region and not place.prefecture_names:
                part = [p for p in place.prefectures if p in self._served[c.id]]
                if len(part) == len(place.prefectures):
                    continue  # the office serves the whole region asked about: nothing to explain
                who = "・".join(self._pref_name[p] for p in part)  # 北陸 → 福井県 only
            elif not place.prefecture_names:
                continue  # the office's own name was given: nothing to explain
            else:
                who = place.prefecture_names[0] if not place.city else f"{place.city}（{place.prefecture_names[0]}）"
            line = f"{who}は{area.name}の{area.word}です。"
            if line not in out:
                out.append(line)
        return tuple(out)

    def _notes(self, contacts) -> tuple[str, ...]:
        """Table notes (※…), then today's names of renamed bodies, for the contacts shown."""
        if len(contacts) == 1:
            table, renamed = self._notes_of[contacts[0].id]
            return table + renamed
        notes: list[str] = []
        for part in (0, 1):
            for c in contacts:
                notes.extend(n for n in self._notes_of[c.id][part] if n not in notes)
        return tuple(notes)

    def _contact_notes(self, c: Contact, same_notes: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        k = self.knowledge
        note = same_notes.get(k.category_by_id[c.category].note, "")
        renamed = tuple(f"「{a.official}」は{a.renamed_in}から「{a.renamed_to}」になっています。" if a.renamed_in
                        else f"「{a.official}」は現在「{a.renamed_to}」です。"
                        for a in k.aliases if a.renamed_to and a.official in c.organization)
        return ((note,) if note else ()), renamed

    def _more(self, q: Query, state: ConversationState) -> tuple[Answer, ConversationState]:
        """The next offices the last answer had no room for, or a word that there are none."""
        if not state.shown:
            return self._small_talk(q), state  # nothing was asked before
        if not state.rest:  # nothing more to show: say so, and what can be asked
            return self._fallback(q, Place())._replace(missing="直前のお答えのほかに、お示しできる窓口はありません。"), state
        page, rest = state.rest[:MAX_CONTACTS], state.rest[MAX_CONTACTS:]
        answer, new_state = self._select(q, dict.fromkeys(page, 1.0), list(state.intents), self._state_place(state), False, state)
        return answer._replace(more=len(rest)), new_state._replace(rest=rest)

    def _organizations_shown(self, state: ConversationState) -> tuple[str, ...]:
        """The organizations of the offices the last answer showed, in order."""
        by_id = self.knowledge.contact_by_id
        return tuple(dict.fromkeys(by_id[cid].organization for cid in state.shown))

    def _remember(self, intents, place: Place, shown, rest: tuple[str, ...] = ()) -> ConversationState:
        """The state after an answer: what was asked about and where, and the offices shown."""
        if not intents and shown:
            cats = {c.category for c in shown}
            if len(cats) == 1 and next(iter(cats)) in self._intent_of_category:
                intents = [self._intent_of_category[next(iter(cats))]]
        prefs = place.prefectures if place.prefecture_names else ()
        if not prefs and shown:
            bound = {self._pref_of[c.id] for c in shown} - {""}
            if len(bound) == 1:
                prefs = tuple(bound)
        return _new_tuple(ConversationState, (  # every field in order: made on every answer, without a Python call
            tuple(intents), tuple(prefs), place.city, place.region if not prefs else "", place.area,
            "", (), tuple(c.id for c in shown), rest))

    # ------------------------------------------------------------------ other kinds of answer
    def _apply_choice(self, value: str, state: ConversationState) -> tuple[Answer, ConversationState]:
        k = self.knowledge
        kind, _, rest = value.partition(":")
        intents = list(state.intents)
        if kind == "prefecture" and rest in k.prefecture_by_short:
            place = Place(prefectures=(rest,), prefecture_names=(k.prefecture_by_short[rest].name,))
        elif kind == "area" and rest in k.area_by_id:
            area = k.area_by_id[rest]
            place = Place(area=area.id, area_name=area.name, prefectures=area.prefectures)
        elif kind == "intent" and rest in k.intent_by_id:
            intents = [rest]
            place = self._state_place(state)
        elif kind == "more":  # the 「ほかのN件を見る」 button
            return self._more(Query(text="ほかには"), state)
        else:
            return self._fallback(Query(text=value), Place()), state
        q = Query(text=self.choice_label(value))
        if not intents:
            return self._ask_category(q, place, state)
        return self._select(q, {}, intents, place, False, state.with_(pending=""))

    def _ask_category(self, q: Query, place: Place, state: ConversationState) -> tuple[Answer, ConversationState]:
        k = self.knowledge
        choices = []
        for cat in k.categories:
            iid = self._intent_of_category.get(cat.id)
            if cat.choice and iid and self._offers_near(cat.id, place):
                choices.append(Choice(cat.label, f"intent:{iid}"))
        answer = Answer(kind=A.CLARIFY, question=q.text, place=place, question_text=f"{place.label}のどの窓口をお探しですか？",
                        choices=tuple(choices))
        new_state = state.with_(intents=(), prefectures=place.prefectures if place.prefecture_names else (),
                                city=place.city, region=place.region, area=place.area, pending="category",
                                choices=tuple(choices))
        return answer, new_state

    def _ask_again(self, q: Query, state: ConversationState) -> tuple[Answer, ConversationState]:
        """The reply to a clarifying question was not understood: say so and ask again, with the same choices."""
        k = self.knowledge
        if state.pending == "category":
            place = self._state_place(state)
            missing, text = "ご用件が読み取れませんでした。", f"{place.label}のどの窓口をお探しですか？"
        else:
            place = Place()
            missing = "都道府県名が読み取れませんでした。"
            text = ASK_PREFECTURE_OR_AREA if state.pending == "area" else ASK_PREFECTURE
        intents = [i for i in state.intents if i in k.intent_by_id]
        answer = Answer(kind=A.CLARIFY, question=q.text, truncated=q.truncated, topic=self._topic(intents, ()),
                        intent=intents[0] if intents else "", place=place, missing=missing, question_text=text,
                        choices=state.choices)
        return answer, state

    def _offers_near(self, category: str, place: Place) -> bool:
        """Whether a table has an office for the place, or at least one in the same region (offered instead)."""
        served, local, city_centres = self._category_reach[category]
        if any(city in city_centres for city in place.cities):
            return True
        prefs = place.prefectures
        if any(p in served for p in prefs):
            return True
        k = self.knowledge
        regions = {k.prefecture_by_short[p].region for p in prefs} if place.prefecture_names else set()
        return any(p in local for r in k.regions if r.name in regions for p in r.prefectures)

    def _reach_of_categories(self) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]:
        """Category → (prefectures its offices serve, prefectures with an office of their own, cities with one)."""
        k, out = self.knowledge, {}
        for cat in k.categories:
            contacts = k.contacts_in(cat.id)
            served = {p for c in contacts if c.serves.kind != "city" for p in self._served[c.id]}
            local = {self._pref_of[c.id] for c in contacts if self._pref_of[c.id]}
            cities = {c.serves.value for c in contacts if c.serves.kind == "city"}
            out[cat.id] = (frozenset(served), frozenset(local), frozenset(cities))
        return out

    def _reverse(self, q: Query) -> Answer:
        """Whose numbers these are. One known number is named in the answer's first line; with several, each
        office shows its own; numbers not in the list are said so."""
        k = self.knowledge
        found: list[Contact] = []
        known, unknown = [], []
        for digits in dict.fromkeys(q.phones):
            holders = sorted(self._by_number.get(digits, ()), key=lambda c: c.inherited_phones)
            if holders:
                known.append(next(p.number for p in holders[0].phones if p.digits == digits))
                found.extend(c for c in holders if c not in found)
            else:
                unknown.append(digits)
        if unknown:  # as the user wrote them
            typed = numbers_as_typed(q.text)
            unknown = [typed.get(digits, digits) for digits in unknown]
        if not found:
            return Answer(kind=A.UNKNOWN_NUMBER, question=q.text, number=unknown[0], hotline=k.hotline(), examples=self._examples)
        missing = "、".join(unknown) + " はこの一覧に載っていない番号です。" if unknown else ""
        return Answer(kind=A.REVERSE, question=q.text, contacts=tuple(found[:MAX_CONTACTS]), missing=missing,
                      more=max(0, len(found) - MAX_CONTACTS), number=known[0] if len(known) == 1 else "",
                      notes=self._notes(found[:MAX_CONTACTS]))

    def _small_talk(self, q: Query) -> Answer:
        for kind in (A.HELP, A.THANKS, A.GREETING):
            word = {A.HELP: "help", A.THANKS: "thanks", A.GREETING: "greeting"}[kind]
            if word in q.vocabulary:
                return Answer(kind=kind, question=q.text, examples=self._examples, topics=self._topics)
        if q.content_words and not (q.vocabulary or q.unknown_words) and q.number is None:
            # nothing asked yet, only polite words (「すみません、ちょっと聞きたいんですが」): say what the bot does and
            # how to ask, rather than that nothing was found
            return Answer(kind=A.GREETING, question=q.text, examples=self._examples, topics=self._topics)
        return self._fallback(q, Place())

    def _fallback(self, q: Query, place: Place) -> Answer:
        return Answer(kind=A.FALLBACK, question=q.text, truncated=q.truncated, place=place,
                      hotline=self.knowledge.hotline(), examples=self._examples)


def _same_notes(notes: Sequence[str]) -> dict[str, str]:
    """Each table note → the first note that says the same: tables may print it in slightly different words
    (※…行っていません / ※…行っておりません), and a reply says it once."""
    out: dict[str, str] = {}
    for note in notes:
        out[note] = next((first for first in dict.fromkeys(out.values())
                          if first[:1] == note[:1] == "※" and SequenceMatcher(None, first, note).ratio() >= 0.9), note)
    return out


def _singled_out(scores: Sequence[float]) -> float:
    """The lowest score that still clearly beats all the others (by more than one idf unit), or 0.0 if no
    score does: the items scoring at least this much are singled out."""
    if len(scores) < 2:
        return 0.0
    top = max(scores)
    second = max((s for s in scores if s < top - 1e-9), default=0.0)
    if top <= 0 or top - second <= 1.0:
        return 0.0
    return top - 1e-9
