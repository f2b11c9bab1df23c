"""Unit and property tests for the regex variant recognizer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litmine.nlp.variants import (
    VariantMatch,
    expand_compounds,
    find_variants,
    normalize_protein_change,
)


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.normalized, m.kind) for m in find_variants(text)]


def _one(text: str) -> VariantMatch:
    matches = find_variants(text)
    assert len(matches) == 1, matches
    return matches[0]


@pytest.mark.parametrize(
    ("text", "span", "normalized", "kind"),
    [
        ("the T315I mutation", "T315I", "p.T315I", "protein"),
        ("the Thr315Ile mutation", "Thr315Ile", "p.T315I", "protein"),
        ("carrying p.T315I in ABL1", "p.T315I", "p.T315I", "protein"),
        ("carrying p.(Thr315Ile) in ABL1", "p.(Thr315Ile)", "p.T315I", "protein"),
        ("a p. K237N change", "p. K237N", "p.K237N", "protein"),
        ("an Arg 1306 Trp substitution", "Arg 1306 Trp", "p.R1306W", "protein"),
        ("Gly(388)Arg carriers", "Gly(388)Arg", "p.G388R", "protein"),
        (
            "threonine 315 to isoleucine was seen",
            "threonine 315 to isoleucine",
            "p.T315I",
            "protein",
        ),
        ("the Thr-315→Ile change", "Thr-315→Ile", "p.T315I", "protein"),
        ("glycine-594-valine in 2 patients", "glycine-594-valine", "p.G594V", "protein"),
        ("the F508del allele", "F508del", "p.F508del", "protein"),
        ("Val624-Val625del was found", "Val624-Val625del", "p.V624_V625del", "protein"),
        ("the L858fs frameshift", "L858fs", "p.L858fs", "frameshift"),
        ("a p.Leu858fs*10 change", "p.Leu858fs*10", "p.L858fs", "frameshift"),
        ("p.G204VfsX17 was found", "p.G204VfsX17", "p.G204fs", "frameshift"),
        ("the R882* variant", "R882*", "p.R882*", "stop"),
        ("the R882X variant", "R882X", "p.R882*", "stop"),
        ("the Arg882Ter variant", "Arg882Ter", "p.R882*", "stop"),
        ("Glu 272 to stop in exon 4", "Glu 272 to stop", "p.E272*", "stop"),
        ("the c.944C>T change", "c.944C>T", "c.944C>T", "dna"),
        ("the 944C>T change", "944C>T", "944C>T", "dna"),
        ("the c.2153_2155delinsTCC change", "c.2153_2155delinsTCC", "c.2153_2155delinsTCC", "dna"),
        ("a c.1285-1301dup duplication", "c.1285-1301dup", "c.1285-1301dup", "dna"),
        ("g.2885G>C was found", "g.2885G>C", "g.2885G>C", "dna"),
        ("the 1009delA allele", "1009delA", "1009delA", "dna"),
        ("the 677 C-->T polymorphism", "677 C-->T", "677C>T", "dna"),
        ("the A3243G mutation in mtDNA", "A3243G", "3243A>G", "dna"),
        ("the G-395A promoter polymorphism", "G-395A", "-395G>A", "dna"),
        ("a splice mutation (IVS10-1G>A) here", "IVS10-1G>A", "IVS10-1G>A", "dna"),
        ("the dup24bp mutation", "dup24bp", "dup24bp", "dna"),
        ("the CCR5 Delta32 polymorphism", "Delta32", "del32", "dna"),
        ("a G>A substitution was found", "G>A", "G>A", "dna"),
        ("variant rs121913459 was typed", "rs121913459", "rs121913459", "rsid"),
        ("FLT3-ITD positive AML", "ITD", "ITD", "itd"),
        ("an internal tandem duplication of FLT3", "internal tandem duplication", "ITD", "itd"),
        ("FLT3-TKD positive AML", "TKD", "TKD", "tkd"),
        ("EGFR exon 19 deletion confers", "exon 19 deletion", "exon 19 deletion", "exon"),
        ("EGFR exon 20 insertions", "exon 20 insertions", "exon 20 insertion", "exon"),
        ("deletions in exon 19 of EGFR", "deletions in exon 19", "exon 19 deletion", "exon"),
        ("FLT3 D835 mutations were rare", "D835", "p.D835", "position"),
        ("Mutations at D835 in FLT3 confer resistance", "D835", "p.D835", "position"),
        ("substitutions at residue Tyr253 of ABL1", "Tyr253", "p.Y253", "position"),
        ("BCR-ABL1 mutants at Y253 and E255", "Y253", "p.Y253", "position"),
        ("KRAS codon 12 was mutated", "codon 12", "codon 12", "position"),
    ],
)
def test_forms(text: str, span: str, normalized: str, kind: str) -> None:
    m = _one(text)
    assert (m.text, m.normalized, m.kind) == (span, normalized, kind)
    assert text[m.start : m.end] == m.text


def test_compound_slash_is_one_match_with_parts() -> None:
    m = _one("resistance through T315I/E255K compound mutations")
    assert m.kind == "compound"
    assert m.text == "T315I/E255K"
    assert m.parts == ("p.T315I", "p.E255K")


def test_compound_alternative_residues() -> None:
    m = _one("FLT3 D835Y/H/V mutations")
    assert m.parts == ("p.D835Y", "p.D835H", "p.D835V")


def test_conjoined_changes_stay_separate() -> None:
    assert [m.normalized for m in find_variants("T315I and E255K")] == ["p.T315I", "p.E255K"]


def test_expand_compounds_gives_part_spans() -> None:
    text = "a C60S/L244F mutation"
    parts = expand_compounds(text, find_variants(text))
    assert [(p.text, p.normalized, text[p.start : p.end]) for p in parts] == [
        ("C60S", "p.C60S", "C60S"),
        ("L244F", "p.L244F", "L244F"),
    ]
    whole = expand_compounds("D835Y/H", find_variants("D835Y/H"))
    assert [p.kind for p in whole] == ["compound"]


def test_replaced_by_lists_every_substitute() -> None:
    m = _one("Six mutants (Ala16 > Cys, Thr and Tyr) were made")
    assert m.parts == ("p.A16C", "p.A16T", "p.A16Y")


def test_chain_prefixed_changes() -> None:
    assert [m.normalized for m in find_variants("mutants VHY32A and alphaD60N")] == [
        "p.Y32A",
        "p.D60N",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "CD34+ cells and IL6 levels",
        "HL60, K562 and MV4-11 cells",
        "ABT199 and ABT-199 (venetoclax)",
        "see Fig. S1A and Table S10A",
        "arrest in G2M and G1S phases",
        "loss of p53 function",
        "A549 and H1299 lung cancer cells",
        "T47D and T98G cell lines",
        "the S100B protein",
        "P2X7 and P2Y12 receptors",
        "patients with T2D and T1D",
        "published 2012-03-04, n = 12",
        "Cys2-His2 zinc fingers",
        "the Lys116-Pro117 peptide bond",
        "the His 207-Asp 205 diad",
        "from Glu-361 to Ser-699",
        "the Cys9-Cys24 disulfide",
        "genotype G1359G (wild type)",
        "Delta9-THC exposure",
        "the C4A gene",
        "the mutations in T47D cells",
    ],
)
def test_traps_are_not_variants(text: str) -> None:
    assert _found(text) == []


def test_low_position_needs_mutation_context() -> None:
    assert _found("the E6 and E1A genes") == []
    assert _one("the M1I start-loss mutation").normalized == "p.M1I"


def test_nucleotide_letters_follow_context() -> None:
    assert _one("the C677T polymorphism of MTHFR").kind == "dna"
    assert _one("site-directed mutagenesis of the active site residue C677T").kind == "protein"


def test_a_known_protein_hotspot_in_nucleotide_letters_is_a_protein_change() -> None:
    assert _one("KRAS G12A was the only variant noted.").normalized == "p.G12A"
    assert _one("ALK G1202A was found at relapse.").normalized == "p.G1202A"
    assert _one("MTHFR C677T was genotyped.").kind == "dna"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T315I", "p.T315I"),
        ("Thr315Ile", "p.T315I"),
        ("p.(Thr315Ile)", "p.T315I"),
        ("p.T315I", "p.T315I"),
        ("threonine 315 to isoleucine", "p.T315I"),
        ("R882X", "p.R882*"),
        ("Leu858fs", "p.L858fs"),
        ("CD34", None),
        ("T315I and E255K", None),
    ],
)
def test_normalize_protein_change(text: str, expected: str | None) -> None:
    assert normalize_protein_change(text) == expected


def test_matches_are_sorted_and_disjoint() -> None:
    text = "T315I, c.944C>T (p.Thr315Ile), rs121913459 and FLT3-ITD in exon 14"
    matches = find_variants(text)
    assert [m.text for m in matches] == ["T315I", "c.944C>T", "p.Thr315Ile", "rs121913459", "ITD"]
    for a, b in zip(matches, matches[1:], strict=False):
        assert a.end <= b.start


_ALPHABET = st.sampled_from(
    list("ACDEFGHIKLMNPQRSTVWYXacgtpsdelinfu0123456789 .,;:()[]/-+*>_→Δ\n")
    + ["Thr", "Ile", "del", "ins", "fs", "p.", "c.", "rs", "ITD", "exon", "codon", "-->", " to "]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_never_crashes_and_spans_are_exact(text: str) -> None:
    for m in find_variants(text):
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)
        assert m.normalized


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_text(text: str) -> None:
    for m in find_variants(text):
        assert text[m.start : m.end] == m.text


def test_markdown_emphasis_does_not_hide_a_variant():
    found = [(m.text, m.normalized) for m in find_variants('The *T315I* "gatekeeper" mutation')]
    assert found == [("T315I", "p.T315I")]


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        (
            "a previously described 30 nucleotide deletion (Delta30)",
            "30 nucleotide deletion",
            "prose",
        ),
        ("a four-basepair deletion in exon 3", "four-basepair deletion", "prose"),
        (
            "the 12-nucleotide insertion/deletion (indel) polymorphism",
            "12-nucleotide insertion/deletion (indel)",
            "prose",
        ),
        ("a heterozygous cytosine insertion in exon 10", "cytosine insertion", "prose"),
        ("a homozygous deletion (TGAG) of GPIbalpha", "deletion (TGAG)", "prose"),
        (
            "a homozygous deletion of C at nucleotide 888 within exon 5",
            "deletion of C at nucleotide 888",
            "prose",
        ),
        ("A heterozygous T to C transition in exon 10", "T to C", "prose"),
        (
            "a C-to-G transition was identified at nucleotide 857 in exon 8",
            "C-to-G transition was identified at nucleotide 857",
            "prose",
        ),
        ("a glycine to glutamine substitution in the protein", "glycine to glutamine", "prose"),
        ("substitution of an arginine by a tryptophan (R47W)", "arginine by a tryptophan", "prose"),
        ("the DBH -1021T allele", "-1021T", "allele"),
        ("patients with IL1B-31TT (or IL1B-511CC)", "-31TT", "allele"),
        ("the PON1 192RR homozygotes", "192RR", "allele"),
        ("association of FCGR2B-232Thr/Thr with SLE", "232Thr", "allele"),
        ("the GSTP1 Ile/Val genotype", "Ile/Val", "allele"),
        ("between the T allele at -511 and", "T allele at -511", "allele"),
        ("while (CCTTT)10 was less common", "(CCTTT)10", "repeat"),
        ("one with del642T, one with G196S", "del642T", "dna"),
        ("the CASP8 -652 6N del variant", "-652 6N del", "dna"),
        ("Impact of CCR5delta32 host genetic background", "delta32", "dna"),
        ("synonymous variants (g.3395C>T [p.Thr26])", "p.Thr26", "position"),
        (
            "a deletion (g.3455_3460del [p.Asp46_Gln48delinsGlu])",
            "p.Asp46_Gln48delinsGlu",
            "protein",
        ),
        ("HBV strains with sG145R and rtM204I", "sG145R", None),
    ],
)
def test_prose_and_allele_forms(text: str, span: str, kind: str | None) -> None:
    found = {m.text: m.kind for m in find_variants(text)}
    if kind is None:  # a glued prefix: the change alone is the mention
        assert set(found) == {"G145R", "M204I"}
        return
    assert found.get(span) == kind, found


@pytest.mark.parametrize(
    "text",
    [
        "IL-17A and IL-17C levels rose",
        "glycine to valine ratios in plasma",
        "from A to B in two steps",
        "the ABCB1 gene deletion was large",
        "about 12 A cells per field",
        "Ser-232 phosphorylation",
        "two deletions were found",
    ],
)
def test_prose_traps_are_not_variants(text: str) -> None:
    assert _found(text) == []


# --- BioRED conventions (issue #3) ------------------------------------------------------


def _spans(text: str) -> dict[str, tuple[str, str]]:
    return {m.text: (m.normalized, m.kind) for m in find_variants(text)}


@pytest.mark.parametrize(
    ("text", "span", "normalized", "kind"),
    [
        ("the minor (W) allele at codon 620 was", "(W) allele at codon 620", None, "allele"),
        ("polymorphisms at codon 787 CAG/CAA (Gln/Gln)", "codon 787 CAG/CAA", None, "dna"),
        ("found in codon 435 (Thr), was reported", "codon 435 (Thr)", "p.T435", "position"),
        (
            "a missense mutation at codon 358, tyrosine to histidine (p.Y358H)",
            "codon 358, tyrosine to histidine",
            "p.Y358H",
            "prose",
        ),
        ("a D418D polymorphism (GAC/GAT) was found", "GAC/GAT", "GAC>GAT", "dna"),
        ("links between -1082(G/A) polymorphism and", "-1082(G/A)", "-1082G>A", "dna"),
        ("four SNPs (-3279, A/C; -924, A/G) in", "-924, A/G", "-924A>G", "dna"),
        ("the FOXP3-3279 AC+AA genotype was", "-3279 AC+AA", None, "allele"),
        ("the FOXP3 IVS9+459 GA+GG genotype", "IVS9+459 GA+GG", "IVS9+459 GA+GG", "dna"),
        ("haplotype SLCO1B1*15+C1007G is common", "C1007G", "1007C>G", "dna"),
        ("Rs702553 at the PDE4D gene", "Rs702553", "rs702553", "rsid"),
        ("the CCR5 DD32 deletion status", "DD32 deletion", "del32", "dna"),
        ("controls (CCR5/DD32, DD32/DD32)", "DD32", "del32", "dna"),
        ("two coding polymorphisms of PON1, 55M/L and 192Q/R", "192Q/R", None, "allele"),
        ("a small deletion (46delS) in exon 2", "46delS", "p.S46del", "protein"),
        (
            "the deletion variant (157delMTTTVP) of TIM-1",
            "157delMTTTVP",
            "p.M157_P162del",
            "protein",
        ),
        (
            "substitution of a conserved arginine at amino acid position 229 by glycine",
            "arginine at amino acid position 229 by glycine",
            "p.R229G",
            "prose",
        ),
        (
            "amino acid substitution of the proline residue for arginine residue at position 150",
            "proline residue for arginine residue at position 150",
            "p.R150P",
            "prose",
        ),
        (
            "replacing an arginine (CGA) by a stop (TGA) at amino-acid 469 in",
            "arginine (CGA) by a stop (TGA) at amino-acid 469",
            "p.R469*",
            "prose",
        ),
        (
            "the replacement of the amino acid glutamate by glycine.",
            "glutamate by glycine",
            None,
            "prose",
        ),
        (
            "a novel nine-nucleotide deletion starting at position 1952 of the gene",
            "nine-nucleotide deletion starting at position 1952",
            None,
            "prose",
        ),
        (
            "a 105-bp deletion encompassing bases 1078-1182 in VLCAD",
            "105-bp deletion encompassing bases 1078-1182",
            None,
            "prose",
        ),
        (
            "is a single base pair deletion of a cytosine nucleotide in exon 26",
            "single base pair deletion of a cytosine nucleotide",
            None,
            "prose",
        ),
        (
            "A 32 base-pair (DD32) deletion in the CCR5 gene",
            "32 base-pair (DD32) deletion",
            None,
            "prose",
        ),
        (
            "a cytosine to guanine transversion at nucleotide 1451 in exon five",
            "cytosine to guanine transversion at nucleotide 1451",
            "C>G",
            "prose",
        ),
        (
            "associated with a G to A or G to C substitution at nucleotide position 1138",
            "G to A or G to C substitution at nucleotide position 1138",
            None,
            "prose",
        ),
        ("the nonsense mutation p.R469[R,X] reported", "p.R469[R,X]", "p.R469*", "stop"),
        ("mutations at codon 272 and 273 (272gly----stop and", "272gly----stop", "p.G272*", "stop"),
        ("(272gly----stop and 273ser----phe, respectively)", "273ser----phe", "p.S273F", "protein"),
        (
            "followed by PCR of the polymorphic CAG repeat of the AR gene",
            "CAG repeat",
            None,
            "repeat",
        ),
        ("AR/CAG and GGC repeat length was", "CAG and GGC repeat", None, "repeat"),
        ("a short glutamine repeat in conjunction", "glutamine repeat", None, "repeat"),
    ],
)
def test_biored_forms(text: str, span: str, normalized: str | None, kind: str) -> None:
    found = _spans(text)
    assert span in found, found
    assert found[span][1] == kind
    if normalized is not None:
        assert found[span][0] == normalized


def test_itd_defined_as_another_term_is_not_a_duplication() -> None:
    text = "Iodide transport defect (ITD) is rare. The diagnosis of ITD was suspected."
    assert _found(text) == []
    kept = "internal tandem duplication (ITD) of FLT3; ITD-positive AML"
    assert [m.text for m in find_variants(kept)] == ["internal tandem duplication", "ITD", "ITD"]


def test_prose_indel_named_by_an_apposed_notation_yields_to_it() -> None:
    assert list(_spans("revealed a 2-bp deletion, c.461_462delAG, that")) == ["c.461_462delAG"]
    assert list(_spans("we found a single nucleotide deletion c.342delA in")) == ["c.342delA"]
    both = _spans("and a 1-bp insertion (c.14_15insC) that")
    assert set(both) == {"1-bp insertion", "c.14_15insC"}


def test_wild_type_genotype_needs_a_change_at_its_position() -> None:
    found = _spans("patients with G1359A or A1359A, and wild type G1359G, of CNR1")
    assert found["G1359G"] == ("1359G=", "allele")
    assert found["A1359A"] == ("1359A=", "allele")
    assert "G1359A" in found
    assert _found("genotype C35322C was protective") == []


def test_changes_after_a_slash_are_kept() -> None:
    found = _spans("the C311A/C314A/L351A mutation and the genotype E873stop/A467T")
    assert {"C311A", "C314A", "L351A", "E873stop", "A467T"} <= {
        p for span in found for p in span.split("/")
    }


@pytest.mark.parametrize(
    "text",
    [
        "the Gln/Gln or Arg/Arg genotypes were compared",  # genotype classes, no gene named
        "the DD32 cohort was small",  # no CCR5 in the text
        "two bases AGC/TTA differ",  # codons two bases apart
        "in 1999, A/G was typed",  # an unsigned number is no promoter position
        "the PON1 192Q/Q result",  # the same residue twice
        "mixing lysine with arginine in the medium",  # no change word or position
        "the adenine to guanine ratio",  # no change word or position
        "CD34+C1007G cells",  # '+' glues a change only to a star allele
        "pH rose from 7.4 --> 8.0",
        "the CAGE repeat element",
    ],
)
def test_biored_near_misses(text: str) -> None:
    assert _found(text) == []
