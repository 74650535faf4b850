"""The main ask of a long message. People paste a paragraph — the earthquake, the bank, the parents retiring, what
the company makes — and then ask. The sentences that ask (an asking word of conversation.toml — どこ, 教えて,
ありますか — or a final question mark; failing those, a wanting word — 相談したい, 困っている) decide the topic when
they name one: topics and offices named
only in the background then narrow nothing and add no offices. Places count wherever they are said
(「…どこに相談すればいいですか。店は岐阜県の関市です。」)."""

from __future__ import annotations

from typing import NamedTuple, Sequence

from bot.core.domain import Cue, MatchKind
from bot.language.lexicon import Match
from bot.language.sentences import split_sentences
from bot.language.tokenizer import Token, Tokenizer

ASKED_KINDS = (MatchKind.INTENT, MatchKind.WEAK_INTENT, MatchKind.NAME)  # what background words may not add
DECIDING_KINDS = (MatchKind.INTENT, MatchKind.NAME)  # what an asking sentence must name to decide (not 相談 alone)


class SentenceSpan(NamedTuple):
    start: int  # first token
    end: int  # one past the last token
    question: bool  # ended with a question mark

    def holds(self, m: Match) -> bool:
        return self.start <= m.start and m.end <= self.end


def tokenize_sentences(tokenizer: Tokenizer, text: str, breaks: list[int], stops: list[int]
                       ) -> tuple[list[Token], list[SentenceSpan]]:
    """The tokens of the text, tokenized sentence by sentence (bot.language.sentences), and where each sentence's
    tokens are; a sentence's first token counts as following punctuation (see Tokenizer.tokenize)."""
    pieces = split_sentences(text)
    if len(pieces) < 2:
        tokens = tokenizer.tokenize(text, breaks, stops)
        return tokens, [SentenceSpan(0, len(tokens), bool(pieces) and pieces[0].question)]
    tokens: list[Token] = []
    spans = []
    for piece in pieces:
        start, here_breaks, here_stops = len(tokens), [], []
        tokens += tokenizer.tokenize(piece.text, here_breaks, here_stops)
        if start:
            breaks.append(start)
            stops.append(start)
        breaks += (start + b for b in here_breaks if b or not start)
        stops += (start + b for b in here_stops if b or not start)
        spans.append(SentenceSpan(start, len(tokens), piece.question))
    return tokens, spans


def keep_what_is_asked(by_kind: dict[str, list[Match]], sentences: Sequence[SentenceSpan]) -> bool:
    """Drop the topics and office names of the background sentences when the asking ones name a topic or an office;
    True if anything was dropped. The sentences that ask outright (a question word, a request, a question mark)
    decide first; failing a topic there, those that say what is wanted too (〜したい, 困っている: conversation.toml's
    wanting). A message of one sentence, or whose every sentence asks, is left as it is."""
    if len(sentences) < 2:
        return False
    cues = by_kind.get(MatchKind.CUE, ())
    asks = [m for m in cues if m.payload[1] == Cue.ASKING]
    wants = [m for m in cues if m.payload[1] == Cue.WANTING]
    outright = [s for s in sentences if s.question or any(s.holds(m) for m in asks)]
    wanting = [s for s in sentences if s in outright or any(s.holds(m) for m in wants)]
    for asking in (outright, wanting):
        if asking and len(asking) < len(sentences) and _decides(by_kind, asking):
            return _keep_within(by_kind, asking)
    return False  # 「借入が残っています。どこに相談すればいいですか？」: the background is all there is


def _inside(m: Match, sentences: Sequence[SentenceSpan]) -> bool:
    return any(s.holds(m) for s in sentences)


def _decides(by_kind: dict[str, list[Match]], sentences: Sequence[SentenceSpan]) -> bool:
    return any(_inside(m, sentences) for kind in DECIDING_KINDS for m in by_kind.get(kind, ()))


def _keep_within(by_kind: dict[str, list[Match]], sentences: Sequence[SentenceSpan]) -> bool:
    dropped = False
    for kind in ASKED_KINDS:
        found = by_kind.get(kind)
        if found:
            kept = [m for m in found if _inside(m, sentences)]
            dropped = dropped or len(kept) < len(found)
            by_kind[kind] = kept
    return dropped
