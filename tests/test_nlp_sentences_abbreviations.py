"""Rule sentence splitting and Schwartz–Hearst abbreviation definitions."""

from __future__ import annotations

from litmine.nlp.abbreviations import find_abbreviations, short_form_occurrences
from litmine.nlp.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_splits_on_sentence_punctuation() -> None:
    assert _sentences("Imatinib works. 5 patients relapsed! Why? (A) test.") == [
        "Imatinib works.",
        "5 patients relapsed!",
        "Why?",
        "(A) test.",
    ]


def test_does_not_split_after_abbreviations_or_decimals() -> None:
    text = "As shown by Smith et al. The IC50 was 0.5 uM (Fig. 2) vs. 1.5 uM in E. coli cells."
    assert _sentences(text) == [text]


def test_abbreviation_before_a_line_break_still_ends_no_sentence() -> None:
    text = "Cytokines (IL-6, TNF, etc\n. Treated cells died) rose. Later, clinical. Yes."
    assert _sentences(text) == [
        "Cytokines (IL-6, TNF, etc\n. Treated cells died) rose.",
        "Later, clinical.",
        "Yes.",
    ]


def test_sentence_spans_trim_whitespace() -> None:
    text = "  One.   Two.  "
    assert [(s.start, s.end) for s in split_sentences(text)] == [(2, 6), (9, 13)]


def test_finds_long_and_short_forms_with_offsets() -> None:
    text = (
        "Patients with chronic myeloid leukemia (CML) received tyrosine kinase inhibitors (TKIs)."
    )
    found = {a.short: a for a in find_abbreviations(text)}
    assert found["CML"].long == "chronic myeloid leukemia"
    assert text[found["CML"].long_start : found["CML"].long_end] == "chronic myeloid leukemia"
    assert text[found["TKIs"].short_start : found["TKIs"].short_end] == "TKIs"
    assert found["TKIs"].long == "tyrosine kinase inhibitors"


def test_ignores_parentheses_that_are_not_definitions() -> None:
    text = "The response was durable (p < 0.05) in most cases (n = 12) (Fig. 3)."
    assert find_abbreviations(text) == []


def test_short_form_occurrences_respect_word_boundaries() -> None:
    text = "AML, AML-like and tAML or AML1"
    assert [text[a:b] for a, b in short_form_occurrences(text, "AML")] == ["AML", "AML"]
