"""The lexicon matcher: key normalization, longest match, case rules, hyphen handling."""

from __future__ import annotations

from pathlib import Path

from litmine.nlp.lexicon import Lexicon, case_form, term_key, tokenize


def _lexicon() -> Lexicon:
    lex = Lexicon.from_terms([], {})
    lex.add("FLT3", "GENE", "FLT3", "HGNC:3765", exact=False)
    lex.add("WAS", "GENE", "WAS", "HGNC:12731", exact=True)
    lex.add(
        "acute myeloid leukemia", "DISEASE", "acute myeloid leukemia", "MESH:D015470", exact=False
    )
    lex.add("myeloid leukemia", "DISEASE", "myeloid leukemia", "MESH:D007951", exact=False)
    lex.add("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76", exact=False)
    lex.add("5-fluorouracil", "CHEMICAL", "fluorouracil", "DrugBank:DB00544", exact=False)
    return lex


def _hits(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.normalized) for m in _lexicon().match(text)]


def test_keys_ignore_case_and_hyphen_spacing() -> None:
    assert term_key("BCR-ABL1") == term_key("bcr abl1") == term_key("BCR – ABL1") == "bcr abl1"
    assert case_form("BCR  -ABL1") == "BCR ABL1"


def test_tokens_split_alphanumerics_from_symbols() -> None:
    text = "FLT3-ITD, p.T315I"
    assert [text[a:b] for a, b in tokenize(text)] == ["FLT3", "-", "ITD", ",", "p", ".", "T315I"]


def test_longest_match_wins() -> None:
    assert _hits("in acute myeloid leukemia cells") == [
        ("acute myeloid leukemia", "acute myeloid leukemia")
    ]


def test_gene_suffix_is_not_glued_and_hyphen_not_swallowed() -> None:
    assert _hits("FLT3-ITD and FLT3-mutated") == [("FLT3", "FLT3"), ("FLT3", "FLT3")]


def test_hyphen_variants_match_one_entry() -> None:
    assert _hits("BCR-ABL1 or bcr - abl1, 5-fluorouracil") == [
        ("BCR-ABL1", "BCR::ABL1"),
        ("bcr - abl1", "BCR::ABL1"),
        ("5-fluorouracil", "fluorouracil"),
    ]


def test_case_sensitive_entries_need_exact_case() -> None:
    assert _hits("It was WAS") == [("WAS", "WAS")]


def test_later_additions_take_precedence() -> None:
    lex = _lexicon()
    lex.add("flt3", "CHEMICAL", "x", "", exact=False)
    assert lex.lookup("FLT3") == ("CHEMICAL", "x", "")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    lex = _lexicon()
    lex.save(tmp_path / "lex.pkl.gz")
    loaded = Lexicon.load(tmp_path / "lex.pkl.gz")
    assert loaded.terms.keys() == lex.terms.keys()
    assert loaded.first_tokens == lex.first_tokens
    assert loaded.lookup("Acute Myeloid Leukemia") == (
        "DISEASE",
        "acute myeloid leukemia",
        "MESH:D015470",
    )
