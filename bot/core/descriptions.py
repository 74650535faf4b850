"""Organizations described rather than named (aliases.toml's described): 「組合向けの政府系の金融機関」 is 商工中金,
"the national association of credit guarantee corporations" 全国信用保証協会連合会. A description is a set of words;
a question holding all of them describes that organization, the more words the more surely."""

from __future__ import annotations

from typing import Mapping, Sequence

from bot.knowledge.model import Knowledge
from bot.language.text import normalize
from bot.language.tokenizer import Token, Tokenizer

Description = tuple[frozenset[str], frozenset[str]]  # (the words, the organization's contacts)
Descriptions = dict[str, tuple[Description, ...]]  # each description under one of its words: looked up by the question's
DESCRIBED = 100.0  # a described organization's name score per word of its description: above any name typed in part


def description_keys(tokens: Sequence[Token]) -> frozenset[str]:
    """The words descriptions are matched on: every word that is not a particle or an ending, in its normalized form
    (English without plural)."""
    return frozenset(t.form_key for t in tokens if not t.is_function_word)


def build_descriptions(knowledge: Knowledge, tokenizer: Tokenizer, fold: Mapping[int, str]) -> Descriptions:
    """Each description of aliases.toml as the words a question must hold, read as questions are (old kanji folded),
    with the contacts of the organization it describes."""
    out: dict[str, list[Description]] = {}
    for alias in knowledge.aliases:
        ids = frozenset(c.id for c in knowledge.contacts if alias.official in c.organization)
        for words in alias.described:
            keys = description_keys(tokenizer.tokenize(" ".join(normalize(w) for w in words).translate(fold)))
            if keys and ids:
                out.setdefault(min(keys), []).append((keys, ids))
    return {word: tuple(found) for word, found in out.items()}


def described(tokens: Sequence[Token], descriptions: Descriptions) -> dict[str, float]:
    """The contacts of the organizations the question describes, each scored by its longest description held."""
    found = [d for t in tokens if t.form_key in descriptions for d in descriptions[t.form_key]]
    if not found:
        return {}
    said = description_keys(tokens)
    out: dict[str, float] = {}
    for keys, ids in found:
        if keys <= said:
            for cid in ids:
                out[cid] = max(out.get(cid, 0.0), DESCRIBED * len(keys))
    return out
