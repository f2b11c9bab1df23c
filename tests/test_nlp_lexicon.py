"""The lexicon matcher (key normalization, longest match, case rules, hyphen handling), the
build's vocabulary rules, and what the shipped lexicon resolves code and protein names to."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from litmine.config import Settings
from litmine.nlp.lexicon import LEXICON_FILE, Lexicon, case_form, term_key, tokenize

BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_resources.py"


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
    lex.shadowed_genes["VHL"] = "HGNC:12687"
    lex.save(tmp_path / "lex.pkl.gz")
    loaded = Lexicon.load(tmp_path / "lex.pkl.gz")
    assert loaded.terms.keys() == lex.terms.keys()
    assert loaded.prefixes == lex.prefixes
    assert loaded.lookup_gene("VHL") == ("GENE", "VHL", "HGNC:12687")
    assert loaded.lookup("Acute Myeloid Leukemia") == (
        "DISEASE",
        "acute myeloid leukemia",
        "MESH:D015470",
    )


# --- the build's vocabulary rules and the shipped lexicon ------------------------------


def _build_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_resources", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_code_names_are_spelled_with_and_without_the_hyphen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build = _build_module(monkeypatch)
    assert build._code_forms("MK2206") == {"MK2206", "MK-2206"}
    assert build._code_forms("GDC-0941") == {"GDC-0941", "GDC0941"}
    assert "NVP-BEZ235" in build._code_forms("NVP-BEZ-235")
    assert build._is_code_name("CH5424802") and build._is_code_name("NVP-BEZ-235")
    assert not build._is_code_name("IL-2")  # too few digits: protein and gene names
    assert not build._is_code_name("PICTILISIB")
    assert build.UNII_SALT.sub("", "IMATINIB MESYLATE") == "IMATINIB"
    assert build.UNII_SALT.sub("", "MK-2206 FREE BASE") == "MK-2206"
    assert build.UNII_SALT.sub("", "MK-2206 DIHYDROCHLORIDE") == "MK-2206"


def test_unii_substances_link_to_drugs_and_genes(monkeypatch: pytest.MonkeyPatch) -> None:
    build = _build_module(monkeypatch)
    builder = build.Builder(Path("."))
    builder.drug_variants = {"imatinib": "imatinib", "gleevec": "imatinib"}
    # a salt by its display name with the salt word stripped, or by its brand names
    assert builder._unii_drug("IMATINIB MESYLATE", [("cd", "STI571")]) == "imatinib"
    assert builder._unii_drug("X", [("bn", "GLEEVEC"), ("bn", "GLEEVEC")]) == "imatinib"
    assert builder._unii_drug("MK-2206", [("cd", "MK2206")]) is None
    builder.symbol_ids = {"STMN1": "HGNC:6510", "ALK": "HGNC:427"}
    builder.unique_alias = {"OP18": "STMN1", "PP19": "STMN1", "CD246": "ALK"}
    stathmin = [("cn", "STATHMIN"), ("cn", "OP18"), ("cn", "PP19")]
    assert builder._unii_gene(stathmin) == "STMN1"
    assert builder._unii_gene([("cn", "STATHMIN"), ("cn", "OP18")]) is None  # one alias
    assert builder._unii_gene([("cn", "OP18"), ("cn", "CD246")]) is None  # two genes
    assert builder._unii_gene([("cn", "STMN1 EXPRESSED PROTEIN")]) == "STMN1"


@pytest.fixture(scope="module")
def shipped() -> Lexicon:
    return Lexicon.load(Settings.from_env().models_dir / LEXICON_FILE)


@pytest.mark.parametrize(
    ("code", "generic"),
    [
        ("GDC-0941", "pictilisib"),
        ("CH5424802", "alectinib"),
        ("MEK162", "binimetinib"),
        ("NVP-BEZ235", "dactolisib"),
        ("BEZ235", "dactolisib"),
        ("BYL719", "alpelisib"),
        ("LEE011", "ribociclib"),
        ("AZD6244", "selumetinib"),
        ("GSK1120212", "trametinib"),
        ("LOXO-101", "larotrectinib"),
        ("MPDL3280A", "atezolizumab"),
        ("otilonium bromide", "otilonium"),
    ],
)
def test_code_and_salt_names_normalize_to_the_generic_name(
    shipped: Lexicon, code: str, generic: str
) -> None:
    concept = shipped.lookup(code)
    assert concept is not None and concept[:2] == ("CHEMICAL", generic)


def test_codes_without_a_generic_name_share_one_name(shipped: Lexicon) -> None:
    assert shipped.lookup("MK2206") == shipped.lookup("MK-2206")
    assert shipped.lookup("MK2206")[:2] == ("CHEMICAL", "mk-2206")


def test_code_shaped_gene_names_and_words_stay_out_of_the_drugs(shipped: Lexicon) -> None:
    assert shipped.lookup("CD105")[0] == "GENE"  # UNII also lists it as a code
    assert shipped.lookup("CYP3A4")[0] == "GENE"  # an enzyme UNII lists as a substance
    assert shipped.lookup("VEGF165") is None or shipped.lookup("VEGF165")[0] != "CHEMICAL"
    assert shipped.lookup("at 100") is None  # code AT-100 vs "captopril at 100 mg"


def test_brand_names_that_are_words_stay_out_of_the_drugs(shipped: Lexicon) -> None:
    # "Luminal" is a phenobarbital brand; "luminal A breast cancer" names no drug
    assert shipped.lookup("luminal") is None
    assert shipped.lookup("phenobarbital")[:2] == ("CHEMICAL", "phenobarbital")


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("β-catenin", "CTNNB1"),
        ("Stathmin", "STMN1"),
        ("anaplastic lymphoma kinase", "ALK"),
        ("CD166", "ALCAM"),
        ("CD117", "KIT"),
    ],
)
def test_protein_names_normalize_to_the_hgnc_symbol(
    shipped: Lexicon, name: str, symbol: str
) -> None:
    concept = shipped.lookup(name)
    assert concept is not None and concept[:2] == ("GENE", symbol)


def test_word_number_aliases_keep_their_case(shipped: Lexicon) -> None:
    # ADRM1's alias ARM-1 and HNRNPA1's UP-1 must not match "arm 1" of a trial or "up 1"
    for text in ("arm 1", "Arm 1", "up 1"):
        concept = shipped.lookup(text)
        assert concept is None or concept[1] not in ("ADRM1", "HNRNPA1")


def test_a_labels_vote_counts_papers_not_mentions(shipped: Lexicon) -> None:
    # one BioRED Train paper abbreviates scleroderma renal crisis as SRC three times; two
    # others name the kinase
    concept = shipped.lookup("SRC")
    assert concept is not None and concept[:2] == ("GENE", "SRC")


def test_bc2gm_only_spans_with_bioreds_outside_words_are_not_added(
    monkeypatch: pytest.MonkeyPatch, shipped: Lexicon
) -> None:
    build = _build_module(monkeypatch)
    assert build.RESTRICTION_ENZYME.fullmatch("BamHI") and build.RESTRICTION_ENZYME.fullmatch(
        "HindIII"
    )
    assert not build.RESTRICTION_ENZYME.fullmatch("TnI")  # troponin I
    assert shipped.lookup("BamHI") is None
    assert "mutations" in build.GENE_NOUNS and "human" in build.GENE_MODIFIERS


def test_closing_isoforms_get_bioreds_latin_letter(
    monkeypatch: pytest.MonkeyPatch, shipped: Lexicon
) -> None:
    build = _build_module(monkeypatch)
    assert build._latin_isoform("gsk 3beta") == ["gsk 3b"]
    assert build._latin_isoform("ppar gamma") == ["ppar g"]
    assert build._latin_isoform("er alpha") == []  # "ER a novel ..." is no gene
    assert build._latin_isoform("tnfalpha") == []
    concept = shipped.lookup("GSK-3b")  # beside the case-bound symbol spelling "GSK-3B"
    assert concept is not None and concept[0] == "GENE"


def test_hand_written_fusions_name_the_partners_they_are_spelled_with(shipped: Lexicon) -> None:
    # "KIF5B-RET" once normalized to CCDC6::RET: a fusion spelled with two approved symbols
    # must normalize to exactly those two partners
    supplement = Settings.from_env().models_dir / "supplement" / "terms.tsv"
    checked = 0
    for line in supplement.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        surface, label, normalized, *_ = line.split("\t")
        parts = [p for p in re.split(r"::|[-/–]", surface) if p]
        if label != "GENE" or "::" not in normalized or len(parts) != 2:
            continue
        if all(shipped.lookup_gene(p) == ("GENE", p, _hgnc(shipped, p)) for p in parts):
            assert normalized.split("::") == parts, surface
            assert shipped.lookup(surface)[1] == normalized, "rebuild models/ (see its README)"
            checked += 1
    assert checked >= 20


def _hgnc(lexicon: Lexicon, symbol: str) -> str | None:
    concept = lexicon.lookup_gene(symbol)
    return concept[2] if concept and concept[2].startswith("HGNC:") else None
