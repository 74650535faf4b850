"""A second reading of a question no keyword matched: its words against each intent's examples and keywords in
intents.toml, weighted by how few intents use them (idf). The best intent is taken only when it is clearly ahead;
two or three close ones are offered as choices; otherwise the question stays not understood.

Why this and not a trained model: the examples are few (~10 an intent) and staff add them as text; an idf-weighted
overlap needs no training, explains itself (the words that decided), and changes as soon as staff add an example.
"""

from __future__ import annotations

import math
from bot.core.conversation import ConversationState
from bot.core.domain import Cue
from bot.core.index import KnowledgeIndex, reading_words
from bot.core.understanding import Query, Understander
from bot.knowledge.model import Knowledge

CLEAR_SCORE = 2.5  # the best intent's words must weigh at least this (one word used by a single intent: ln N ≈ 3.2)
CLEAR_LEAD = 1.6  # …and this many times the second intent's
MIN_WORDS = 2  # one shared word is a coincidence (聞きたい, 会社); keywords are for single words
CHOICE_SHARE = 0.5  # intents within this share of the best are offered as choices
MAX_CHOICES = 3
SAYS_WHERE = frozenset({Cue.ALL_JAPAN})  # 「全国どこからでも」 says where, not what: still read the rest


class SecondReading:
    def __init__(self, knowledge: Knowledge, understander: Understander, index: KnowledgeIndex):
        self.understander = understander
        self.filler = index.filler_words
        bags = {iid: words - self.filler for iid, words in index.intent_words.items()}
        df: dict[str, int] = {}
        for words in bags.values():
            for w in words:
                df[w] = df.get(w, 0) + 1
        n = len(bags)
        self.idf = {w: math.log(n / d) for w, d in df.items() if d < n}
        self.bags = bags
        self.answerable = {i.id for i in knowledge.intents if i.targets}

    def words(self, text: str) -> frozenset[str]:
        return reading_words(text, self.understander.tokenizer, self.understander.lexicon)

    def read(self, words: frozenset[str]) -> tuple[str, ...]:
        """One intent: clearly this; two or three: ask which; none: not understood."""
        weights = {w: self.idf[w] for w in words if w in self.idf}
        if not weights:
            return ()
        scores = sorted(((sum(v for w, v in weights.items() if w in bag), iid) for iid, bag in self.bags.items()),
                        reverse=True)
        best, second = scores[0][0], scores[1][0] if len(scores) > 1 else 0.0
        decided = [w for w in weights if w in self.bags[scores[0][1]]]
        if len(decided) >= MIN_WORDS and best >= CLEAR_SCORE and best >= CLEAR_LEAD * second:
            return (scores[0][1],) if scores[0][1] in self.answerable else ()
        close = tuple(iid for score, iid in scores[:MAX_CHOICES]
                      if score >= max(CHOICE_SHARE * best, CLEAR_SCORE / 2) and iid in self.answerable)
        # asking needs as much evidence as answering: two words or more among the topics offered
        shared = {w for w in weights for iid in close if w in self.bags[iid]}
        return close if len(close) > 1 and len(shared) >= MIN_WORDS else ()

    def apply(self, q: Query, state: ConversationState) -> Query:
        """The query with the intent read (or the intents to offer) when no keyword said what is asked. Not for the
        reply to a clarifying question, nor for a place asked about in a conversation that has a topic (福島は？)."""
        if state.pending or (state.intents and q.has_place):
            return q
        if q.intents or q.names or q.phones or q.vocabulary - SAYS_WHERE or q.number is not None or not q.content_words:
            return q
        if q.weak_intents and not q.unknown_words:
            return q  # 「宮城で相談したい」: a vague consultation, answered as such
        intents = self.read(self.words(q.text))
        if len(intents) == 1:
            return q._replace(intents=intents, weak_intents=(), unknown_words=())
        if intents:
            return q._replace(topic_choices=intents)
        return q

