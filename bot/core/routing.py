"""Which offices a topic leads to, in order: intents.toml's targets over the contact tables. Built once."""

from __future__ import annotations

from typing import Sequence

from bot.core.coverage import Coverage
from bot.knowledge.model import Contact, Intent, Knowledge, Reach

INTENT_STRIDE = 1_000_000  # ranks of contacts from the k-th intent start at k * INTENT_STRIDE


class Routing:
    def __init__(self, knowledge: Knowledge, coverage: Coverage):
        k = self.knowledge = knowledge
        self.order = {c.id: i for i, c in enumerate(k.contacts)}  # source order
        self.targets = {i.id: self._targets_of(i) for i in k.intents}  # intent → contact id → rank
        self.target_sets = {iid: frozenset(ids) for iid, ids in self.targets.items()}
        self.ordered = {iid: tuple(k.contact_by_id[c] for c in sorted(ranks, key=ranks.__getitem__))
                        for iid, ranks in self.targets.items()}
        # intent → prefecture → its offices serving that prefecture (other than a city's own), in order
        self.serving_by_intent = {iid: {p: tuple(c for c in ordered if c.id in ids) for p, ids in coverage.serving.items()}
                                  for iid, ordered in self.ordered.items()}
        # intents whose first offices serve a region (経済産業局's 産業技術課), not the whole country (下請 → 取引課)
        self.regional_first = {i.id: bool(self.ordered[i.id]) and self.ordered[i.id][0].serves.kind == Reach.AREA
                               for i in k.intents}
        # intents with a nationwide office among theirs (中央会 → 全国中小企業団体中央会): 「全国」 can answer them
        self.with_nationwide = frozenset(iid for iid, ordered in self.ordered.items()
                                         if any(c.serves.kind == Reach.NATIONWIDE for c in ordered))
        # topics whose offices are all nationwide (the hotline): asked for as such when no place is said
        self.nationwide_only = frozenset(iid for iid, ordered in self.ordered.items()
                                         if ordered and all(c.serves.kind == Reach.NATIONWIDE for c in ordered))
        self.intent_of_category = self._first_intent_per_category()

    def intent_contacts(self, intents: Sequence[str]) -> dict[str, int]:
        """Contacts the intents lead to, with their order (earlier intent and target first)."""
        per_intent = [self.targets[iid] for iid in intents]
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

    def ordered_candidates(self, intents: Sequence[str], target_order: dict[str, int]) -> Sequence[Contact]:
        if len(intents) == 1:
            return self.ordered[intents[0]]
        k = self.knowledge
        return sorted((k.contact_by_id[i] for i in target_order), key=lambda c: target_order[c.id])

    @staticmethod
    def intents_shown(intents: Sequence[str], shown, target_order: dict[str, int]) -> Sequence[str]:
        """The intents that contributed at least one of the contacts shown."""
        if len(intents) < 2:
            return intents
        used = {target_order[c.id] // INTENT_STRIDE for c in shown if c.id in target_order}
        return [iid for i, iid in enumerate(intents) if i in used] or intents[:1]

    def _targets_of(self, intent: Intent) -> dict[str, int]:
        """The contacts an intent leads to, ranked by target (earlier target first), then source order."""
        ids: dict[str, int] = {}
        for t_index, target in enumerate(intent.targets):
            for c in self.knowledge.contacts_in(target.category):
                if not target.leads_to(c):
                    continue
                ids.setdefault(c.id, t_index * 10_000 + self.order[c.id])
        return ids

    def _first_intent_per_category(self) -> dict[str, str]:
        """Category → the topic it stands for in a conversation (「参事官室」 then 「福島は？」): the first intent that
        leads to the whole table, else the first that leads to part of it."""
        whole: dict[str, str] = {}
        part: dict[str, str] = {}
        for intent in self.knowledge.intents:
            for target in intent.targets:
                (part if target.match else whole).setdefault(target.category, intent.id)
        return {**part, **whole}
