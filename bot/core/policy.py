"""The turn policy: (conversation state, parsed message) → (answer, next state).

Follow-ups (「福島は？」「電話番号は？」「ほかには？」「全国」), numbered choices and clicks, small talk. Stateless: the
caller loads the state before and saves the one returned after.
"""

from __future__ import annotations

from bot.core.answer import CLARIFY, CONTACTS, MAX_NUMBERED_CHOICES, Answer, Ask, Gap, Missing, Place
from bot.core.conversation import ConversationState
from bot.core.domain import ABOUT_LAST, FOR_THE_BOT, SMALL_TALK, AnswerKind, ChoiceKind, Cue, Pending, read_choice
from bot.core.describe import Describer
from bot.core.levels import LevelFollowUp
from bot.core.memory import Memory
from bot.core.reverse import ReverseLookup
from bot.core.routing import Routing
from bot.core.selection import Selector, Turn
from bot.core.coverage import Coverage
from bot.core.ranking import MAX_CONTACTS
from bot.core.understanding import Query
from bot.knowledge.model import Knowledge

_SMALL_TALK_SET = frozenset(SMALL_TALK)  # the cues


class TurnPolicy:
    def __init__(self, knowledge: Knowledge, coverage: Coverage, routing: Routing, selector: Selector,
                 describer: Describer, memory: Memory, reverse: ReverseLookup, levels: LevelFollowUp):
        self.knowledge, self.coverage, self.routing, self.selector = knowledge, coverage, routing, selector
        self.describer, self.memory, self.reverse = describer, memory, reverse
        self.levels = levels
        self.changes = {x.id: x for x in knowledge.changes}

    def answer(self, q: Query, state: ConversationState) -> Turn:
        if _picked(q, state):
            return self.choose(state.choices[q.number - 1].value, state)
        if q.phones:  # whose number: the offices found become what the conversation is about (「福島は？」 next)
            answer = self.reverse.answer(q)
            return answer, (self.memory.remember([], Place(), list(answer.contacts)) if answer.contacts else state)
        small_talk = q.vocabulary & _SMALL_TALK_SET
        if Cue.OTHER_PLACE in q.vocabulary and not q.has_place:
            # 「ほかの県は？」「他県のジェトロは？」: not the place just said — which one, for the same topic
            state = state.with_(prefectures=(), city="", region="", area="")
            # the topic is the state's (an office asked for by name left its table's: ジェトロ仙台 → 輸出, bot.core.memory)
            if q.is_empty and not q.unknown_words and state.intents:
                # only the place is asked anew: 「ほか」 inside 「ほかの県」 is not 「ほかには？」 (more offices)
                return self.selector.select(Query(text=q.text), state, intents=state.intents, place=Place())
        if not q.is_empty:
            if small_talk and not (q.intents or q.names or q.has_place or q.levels):
                return self._small_talk(q), state
            turn = self._understood(q, state)
            return self._said_unlisted(q, turn) if q.unlisted else turn
        if not q.vocabulary.isdisjoint(ABOUT_LAST) and not (small_talk or q.unknown_words) \
                and state.shown and not state.pending:
            # 「電話番号は？」「住所は？」 right after an answer: the same offices again (or what the list lacks);
            # 「代表番号は？」: their organization's own row (東北経済産業局 特許室 → 東北経済産業局)
            shown = state.shown
            if Cue.REPRESENTATIVE in q.vocabulary:
                main_of = self.selector.ranker.main_of
                shown = tuple(cid for org in self.memory.organizations_shown(state) for cid in main_of.get(org, ())) or shown
            return self.selector.select(q, state, intents=state.intents, place=self.memory.place(state), offices=shown)
        if Cue.MORE in q.vocabulary and not (small_talk or q.unknown_words) and not state.pending:
            return self._more(q, state)  # 「ほかには？」 after 「ほかに10件あります」
        if Cue.ALL_JAPAN in q.vocabulary and not (small_talk or q.unknown_words) \
                and not self.routing.with_nationwide.isdisjoint(state.intents):
            # 「全国」 in answer to 「どちらの都道府県ですか？」, or 「全国の窓口も教えて」 after an answer (added to it
            # with も), when the topic has a nationwide office
            if state.pending:
                return self.selector.select(q, state.with_(pending="", choices=()), intents=state.intents, place=Place())
            turn = self.selector.select(q, state, intents=state.intents, place=Place())
            return self._added(turn, state) if q.adds and state.shown else turn
        if Cue.ALL_JAPAN in q.vocabulary and not (small_talk or q.unknown_words or state.pending) \
                and self.levels.national and self.levels.topic(state.intents):
            # 「全国だと？」 after a topic with no nationwide office of its own (事業承継): the national level
            return self.levels.answer(q, state, self.levels.national, Place(), carried=False)
        if not small_talk and state.pending and state.choices:
            return self._ask_again(q, state)  # 「わからない」 in answer to 「どちらの都道府県ですか？」
        return self._small_talk(q, following=bool(state.shown or state.intents)), state

    def for_the_bot(self, q: Query, state: ConversationState) -> bool:
        """Is a message in a thread people share a follow-up for the bot? It names a place, a topic, an office, a
        level or a number, picks one of the bot's choices, or says a follow-up word or the bot's name
        (conversation.toml); 「了解です」「明日の会議は何時？」 do not, and get nothing."""
        intent_by_id = self.knowledge.intent_by_id
        if q.phones or q.has_place or q.towns or q.names or q.levels or q.unlisted or q.place_options \
                or any(intent_by_id[i].targets for i in q.intents):
            return True
        if _picked(q, state):
            return True
        return not q.vocabulary.isdisjoint(FOR_THE_BOT)

    def choose(self, value: str, state: ConversationState) -> Turn:
        """A clarifying choice (a Choice's value: a prefecture, an area or a topic), or 「ほかのN件を見る」."""
        k, cov = self.knowledge, self.coverage
        kind, target = read_choice(value)
        intents = list(state.intents)
        if kind == ChoiceKind.PREFECTURE and target in k.prefecture_by_short:
            place = cov.prefecture_place((target,))
        elif kind == ChoiceKind.AREA and target in k.area_by_id:
            place = cov.area_place(target)
        elif kind == ChoiceKind.INTENT and target in k.intent_by_id:
            intents = [target]
            place = self.memory.place(state)
        elif kind == ChoiceKind.MORE:  # the 「ほかのN件を見る」 button
            return self._more(Query(text=k.vocabulary.more[0]), state)
        else:
            return self.describer.fallback(Query(text=value), Place()), state
        q = Query(text=self.choice_label(value))
        if not intents:
            return self.selector.ask_category(q, place, state)
        return self.selector.select(q, state.with_(pending=""), intents=intents, place=place)

    def choice_label(self, value: str) -> str:
        """What a choice value says, in words from the knowledge (for echoing a click)."""
        k = self.knowledge
        kind, target = read_choice(value)
        if kind == ChoiceKind.PREFECTURE and target in k.prefecture_by_short:
            return k.prefecture_by_short[target].name
        if kind == ChoiceKind.AREA and target in k.area_by_id:
            return k.area_by_id[target].name
        if kind == ChoiceKind.INTENT and target in k.intent_by_id:
            return k.intent_by_id[target].label
        return target

    # ------------------------------------------------------------------ kinds of turn
    def _understood(self, q: Query, state: ConversationState) -> Turn:
        """A message that names a place, a topic, an office or a division: choose the contacts (or ask)."""
        place = self.coverage.place_of(q)
        if q.place_options and not place.given:  # 池田町: four prefectures have one — which?
            topic = [i for i in q.intents if self.knowledge.intent_by_id[i].targets] or list(state.intents)
            return self.selector.ask_place(q, state, topic)
        level = self.levels.applies(q, state)
        if level:  # 「本庁は？」「都道府県の窓口だと？」 after a topic: the same topic at that level
            carried = not place.given and state.has_place
            return self.levels.answer(q, state, level, self.memory.place(state) if carried else place, carried)
        names = self.selector.named(q, state, place)
        carried = False
        nationwide = Cue.ALL_JAPAN in q.vocabulary  # 「中央会 全国」 after an answer about 宮城: everywhere, not 宮城 again
        if not place.given and not names and state.pending != Pending.CATEGORY and state.has_place and not nationwide:
            place, carried = self.memory.place(state), True
        if not place.given and state.pending == Pending.CATEGORY and state.has_place:
            place, carried = self.memory.place(state), True

        intent_by_id = self.knowledge.intent_by_id
        intents = [i for i in q.intents if intent_by_id[i].targets]
        if q.unlisted and not intents and not names:  # よろず支援拠点: what the list offers for the same need
            intents = list(dict.fromkeys(i for cid in q.unlisted for i in self.changes[cid].intents))
        if q.intents and not intents and not names:  # only words marked as not ours (確定申告, 海外旅行)
            return self.describer.not_ours(q, self.coverage.place_of(q), Gap.OUT_OF_SCOPE, q.out_of_scope), state
        if q.personal and intents and not names and all(intent_by_id[i].money for i in intents):
            # 「車のローンが払えない」「個人の借金」: a personal money matter, no business word — not the lenders
            return self.describer.not_ours(q, self.coverage.place_of(q), Gap.PERSONAL, q.personal), state
        if not intents and q.weak_intents and not q.unknown_words:
            # 「宮城で相談したい」 is a vague consultation; 「奈良のランチを相談したい」 is not ours to answer
            intents = list(q.weak_intents)
        if not intents and not names and state.intents and (q.has_place or state.pending == Pending.PREFECTURE
                                                            or (nationwide and q.adds)):
            intents = list(state.intents)  # 「福島は？」「全国の窓口も」: the topic of the conversation

        if q.levels and intents and not names and place.given:  # 「札幌市が自分でやっている支援センター」: the city's own
            own = self.levels.own(q.levels[0], self.levels.topic(intents), place)
            if own:
                return self.selector.select(q, state, intents=intents, place=place, offices=own, carried=carried)
        if not intents and not names and q.topic_choices:
            return self.selector.ask_topic(q, place, state, q.topic_choices)
        if not intents and not names and q.unknown_places and not place.given:  # 小佐々町で相談したい
            return self.selector.ask_place(q, state, [])
        if not intents and not names:
            if q.has_place and not q.unknown_words:
                return self.selector.ask_category(q, place, state)
            if state.pending and state.choices and not q.has_place:
                return self._ask_again(q, state)
            return self.describer.fallback(q, place), state
        turn = self.selector.select(q, state, intents=intents, place=place, named=names, carried=carried)
        return self._added(turn, state) if q.adds and state.shown and not state.pending else turn

    def _said_unlisted(self, q: Query, turn: Turn) -> Turn:
        """A body the list does not contain (よろず支援拠点, opened after it): said first, the list's offices for the same
        need follow, and the nationwide hotline — never a number that is not in the knowledge."""
        answer, state = turn
        if answer.kind not in (CONTACTS, CLARIFY) or answer.named:
            return turn
        unlisted = tuple(self.changes[cid] for cid in q.unlisted)
        hotline = self.knowledge.hotline() if answer.kind == CONTACTS else None
        return answer._replace(unlisted=unlisted, hotline=hotline or answer.hotline), state

    def _added(self, turn: Turn, before: ConversationState) -> Turn:
        """「福島も」「特許も」「全国の窓口も」: the offices shown before and the new ones, in one answer about both
        places and both topics."""
        answer, state = turn
        if answer.kind != CONTACTS:
            return turn
        k = self.knowledge
        shown = [k.contact_by_id[c] for c in before.shown if c in k.contact_by_id]
        new = [c for c in answer.contacts if c.id not in before.shown]
        contacts = tuple((shown + new)[:MAX_CONTACTS])
        intents = tuple(dict.fromkeys((*before.intents, *state.intents)))
        prefectures = tuple(dict.fromkeys((*before.prefectures, *answer.place.prefectures)))
        place = self.coverage.prefecture_place(prefectures) if prefectures and not answer.place.area else answer.place
        topic = self.describer.topic(list(intents), ()) if intents else answer.topic
        added = answer._replace(contacts=contacts, place=place, topic=topic, named=False, more=0, nearby=False,
                                carried_place=False)
        return added, state.with_(intents=intents, prefectures=prefectures, shown=tuple(c.id for c in contacts), rest=())

    def _more(self, q: Query, state: ConversationState) -> Turn:
        """The next offices the last answer had no room for, or a word that there are none."""
        if not state.shown:
            return self._small_talk(q), state  # nothing was asked before
        if not state.rest:  # nothing more to show: say so, and what can be asked
            return self.describer.fallback(q, Place())._replace(missing=Missing(Gap.NO_MORE)), state
        page, rest = state.rest[:MAX_CONTACTS], state.rest[MAX_CONTACTS:]
        answer, new_state = self.selector.select(q, state, intents=state.intents, place=self.memory.place(state),
                                                 offices=page)
        return answer._replace(more=len(rest)), new_state._replace(rest=rest)

    def _ask_again(self, q: Query, state: ConversationState) -> Turn:
        """The reply to a clarifying question was not understood: say so and ask again, with the same choices."""
        if state.pending == Pending.CATEGORY:
            place, missing, asks = self.memory.place(state), Missing(Gap.TOPIC_NOT_READ), Ask.CATEGORY
        else:
            place, missing = Place(), Missing(Gap.PLACE_NOT_READ)
            asks = Ask.PREFECTURE_OR_AREA if state.pending == Pending.AREA else Ask.PREFECTURE
        intents = [i for i in state.intents if i in self.knowledge.intent_by_id]
        answer = Answer(kind=CLARIFY, question=q.text, topic=self.describer.topic(intents, ()),
                        intent=intents[0] if intents else "", place=place, missing=missing, asks=asks,
                        choices=state.choices)
        return answer, state

    def _small_talk(self, q: Query, following: bool = False) -> Answer:
        """Greetings, thanks and help; following: the conversation has a topic, so a message of polite words is a
        follow-up not understood (「県は？」), never greeted."""
        d = self.describer
        for cue, kind in SMALL_TALK.items():
            if cue in q.vocabulary:
                return Answer(kind=kind, question=q.text, examples=d.examples, topics=d.topics)
        if q.content_words and not (q.vocabulary or q.unknown_words or following) and q.number is None:
            # nothing asked yet, only polite words (「すみません、ちょっと聞きたいんですが」): say what the bot does and
            # how to ask, rather than that nothing was found
            return Answer(kind=AnswerKind.GREETING, question=q.text, examples=d.examples, topics=d.topics)
        return d.fallback(q, Place())


def _picked(q: Query, state: ConversationState) -> bool:
    """A bare number picks a choice only from a list that was shown numbered (a longer one is a menu: 「2」 there
    is not 青森県, the second of 47)."""
    return q.number is not None and 0 < len(state.choices) <= MAX_NUMBERED_CHOICES and 1 <= q.number <= len(state.choices)
