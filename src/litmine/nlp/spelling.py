"""Misspelt drug names: "bosutanib", "Gefinitib", "rocelitinib" → the drug the writer meant.

Curated summaries and abstracts misspell drug names often enough to cost claims (one
misspelling of bosutinib recurs in nine CIViC statements). Only a word that ends like a
WHO INN name and that no vocabulary lists is looked at; it is compared with the
vocabulary's drug names of the same ending and resolved only to a single closest name
within a small edit distance (an anagram wins a tie: "rocelitinib" is rociletinib, not
roblitinib), so a new drug ("olverembatinib") is left as the new name it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from litmine.nlp.chemistry import INN_STEMS
from litmine.nlp.lexicon import Concept

_SHORT_WORD = 8  # up to this length one edit is allowed, beyond it two


class DrugSpellings:
    """The vocabulary's INN-stem drug names, grouped by stem, for near-miss lookups."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._by_ending: dict[str, dict[str, Concept]] = {}
        for concept in concepts:
            label, name, _ = concept
            if label == "CHEMICAL" and name.isalpha() and name.endswith(INN_STEMS):
                self._by_ending.setdefault(name[-2:], {}).setdefault(name, concept)

    def resolve(self, word: str) -> Concept | None:
        """The one known drug ``word`` is a misspelling of, or None."""
        word = word.lower()
        names = self._by_ending.get(word[-2:], {})
        if word in names:
            return names[word]
        limit = 1 if len(word) <= _SHORT_WORD else 2
        best: list[str] = []  # the names at the smallest distance so far
        best_distance = limit
        for name in names:
            if name[0] != word[0] or abs(len(name) - len(word)) > limit:
                continue
            distance = edit_distance(word, name, best_distance + 1)
            if distance < best_distance:
                best, best_distance = [name], distance
            elif distance == best_distance:
                best.append(name)
        if len(best) > 1:
            best = [name for name in best if sorted(name) == sorted(word)]
        return names[best[0]] if len(best) == 1 else None


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent
    swaps), or ``bound`` as soon as it is certain to reach it."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) >= bound and min(previous) >= bound:  # a swap reaches back a row
            return bound
        previous2, previous = previous, current
    return min(previous[-1], bound)
