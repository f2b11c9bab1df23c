"""Misspelt drug names resolve to the one drug meant, and nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litmine.nlp import EntityPipeline
from litmine.nlp.spelling import DrugSpellings, edit_distance
from litmine.types import Document

DRUGS = [
    ("CHEMICAL", name, f"DrugBank:{i}")
    for i, name in enumerate(["bosutinib", "gefitinib", "rociletinib", "roblitinib", "lapatinib"])
]


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("bosutanib", "bosutinib"),  # a misspelt stem
        ("Gefinitib", "gefitinib"),
        ("labatinib", "lapatinib"),
        ("rocelitinib", "rociletinib"),  # two names two edits away: the anagram wins
        ("gefitinib", "gefitinib"),
    ],
)
def test_a_misspelling_resolves_to_the_drug_meant(word: str, meant: str) -> None:
    concept = DrugSpellings(DRUGS).resolve(word)
    assert concept is not None and concept[1] == meant


@pytest.mark.parametrize(
    "word",
    [
        "olverembatinib",  # a new drug, not a misspelling
        "bosutanab",  # the ending differs
        "xosutinib",  # the first letter differs
        "lopetanib",  # three edits from lapatinib: too far
    ],
)
def test_other_words_stay_unresolved(word: str) -> None:
    assert DrugSpellings(DRUGS).resolve(word) is None


def test_a_tie_without_an_anagram_stays_unresolved() -> None:
    spellings = DrugSpellings([("CHEMICAL", "abcdefnib", ""), ("CHEMICAL", "abcdghnib", "")])
    assert spellings.resolve("abcdxynib") is None


words = st.text(alphabet="abcdef", max_size=8)


@given(words, words)
def test_edit_distance_is_symmetric_and_bounded(a: str, b: str) -> None:
    distance = edit_distance(a, b, 99)
    assert distance == edit_distance(b, a, 99)
    assert abs(len(a) - len(b)) <= distance <= max(len(a), len(b))
    assert edit_distance(a, b, 2) == min(distance, 2)


def test_adjacent_swaps_count_once() -> None:
    assert edit_distance("gefitnib", "gefitinib", 9) == 1  # a deletion
    assert edit_distance("gefiitnib", "gefitinib", 9) == 1  # a swap


def test_the_pipeline_names_a_misspelt_drug_by_the_drug_meant(settings) -> None:  # noqa: ANN001
    pipeline = EntityPipeline(settings, use_model=False)
    text = "Patients were treated with bosutanib and olverembatinib."
    chemicals = {
        (m.text, m.normalized, m.id)
        for m in pipeline.analyze(Document("t", text)).mentions
        if m.label == "CHEMICAL"
    }
    assert ("bosutanib", "bosutinib", "DrugBank:DB06616") in chemicals
    assert ("olverembatinib", "olverembatinib", "DrugBank:DB16185") in chemicals
