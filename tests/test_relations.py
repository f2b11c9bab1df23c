"""Direction, negation, attachment and class expansion of the rule-based relation extractor."""

from __future__ import annotations

import dataclasses

import pytest

from litmine.relations import DrugClassInfo, RelationExtractor
from litmine.types import Analysis, Document, Mention, Sentence, Triple

TKI = DrugClassInfo("first- and second-generation tkis", ("imatinib", "dasatinib", "nilotinib"))


def analyse(text: str, *entities: tuple[str, str, str, str], doc_id: str = "d1") -> Analysis:
    """Build an Analysis by locating each (surface, label, normalized, id) in the text."""
    mentions, cursor = [], {}
    for surface, label, normalized, ident in entities:
        start = text.index(surface, cursor.get(surface, 0))
        cursor[surface] = start + len(surface)
        mentions.append(
            Mention(doc_id, start, start + len(surface), surface, label, normalized, ident)
        )
    sentences, start = [], 0
    for part in text.split(". "):
        end = min(len(text), start + len(part) + 1)
        sentences.append(Sentence(start, end))
        start = end + 1
    return Analysis(Document(doc_id, text), tuple(sentences), tuple(mentions))


@pytest.fixture
def extractor() -> RelationExtractor:
    return RelationExtractor({TKI.name: TKI})


@pytest.fixture(scope="module")
def full_extractor(settings):  # noqa: ANN001, ANN201 - litmine.pipeline.Extractor
    """NER, the shipped relation scorer and the drug classes, as ``litmine extract`` runs."""
    from litmine.pipeline import Extractor

    return Extractor(settings)


def triples_as_set(triples) -> set[tuple[str, str, str, str, bool]]:
    return {(t.gene, t.variant, t.drug, t.relation, t.negated) for t in triples}


def fields_found(extractor, text: str, *fields: str, affirmed: bool = True) -> set[tuple]:
    """The named fields of the triples ``extract`` writes for ``text`` (the affirmed ones
    unless ``affirmed`` is False)."""
    return {
        tuple(getattr(t, name) for name in fields)
        for t in extractor.triples([Document(doc_id="d1", text=text)])
        if not (affirmed and t.negated)
    }


def test_seed_t315i_resistance_to_tkis_and_sensitivity_to_ponatinib(extractor):
    text = (
        'The T315I "gatekeeper" mutation exemplifies this phenomenon, conferring resistance '
        "to first- and second-generation TKIs but retaining sensitivity to ponatinib."
    )
    analysis = analyse(
        text,
        ("T315I", "VARIANT", "p.T315I", ""),
        ("first- and second-generation TKIs", "CHEMICAL", TKI.name, "class:tki"),
        ("ponatinib", "CHEMICAL", "ponatinib", "DrugBank:DB08901"),
    )
    found = triples_as_set(extractor.extract(analysis))
    assert ("", "p.T315I", TKI.name, "resistance", False) in found
    assert ("", "p.T315I", "ponatinib", "sensitivity", False) in found
    assert ("", "p.T315I", "ponatinib", "resistance", False) not in found
    inferred = {t.drug for t in extractor.extract(analysis) if t.inferred_from_class}
    assert inferred == {"imatinib", "dasatinib", "nilotinib"}


def test_a_class_denotes_the_members_its_text_names(extractor):
    text = "Patients received imatinib or nilotinib. T315I conferred resistance to TKIs in CML."
    analysis = analyse(
        text,
        ("imatinib", "CHEMICAL", "imatinib", "DrugBank:DB00619"),
        ("nilotinib", "CHEMICAL", "nilotinib", "DrugBank:DB04868"),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("TKIs", "CHEMICAL", TKI.name, "class:tki"),
    )
    triples = extractor.extract(analysis)
    assert TKI.name in {t.drug for t in triples if not t.inferred_from_class}
    assert {t.drug for t in triples if t.inferred_from_class} == {"imatinib", "nilotinib"}


def test_a_member_claimed_the_other_way_is_the_exception_not_the_class(extractor):
    text = "BCR-ABL1 mutations confer resistance to TKIs. Nilotinib overcomes BCR-ABL1 mutations."
    analysis = analyse(
        text,
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("TKIs", "CHEMICAL", TKI.name, "class:tki"),
        ("Nilotinib", "CHEMICAL", "nilotinib", "DrugBank:DB04868"),
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
    )
    triples = extractor.extract(analysis)
    assert ("BCR::ABL1", "nilotinib", "sensitivity") in {
        (t.gene, t.drug, t.relation) for t in triples if not t.inferred_from_class
    }
    inferred = {t.drug for t in triples if t.inferred_from_class and t.relation == "resistance"}
    assert {"imatinib", "dasatinib"} <= inferred


def test_variant_attaches_to_gene_before_and_after(extractor):
    text = "Mutations at D835 in FLT3 conferred resistance to quizartinib."
    analysis = analyse(
        text,
        ("D835", "VARIANT", "p.D835", ""),
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("quizartinib", "CHEMICAL", "quizartinib", ""),
    )
    assert triples_as_set(extractor.extract(analysis)) == {
        ("FLT3", "p.D835", "quizartinib", "resistance", False)
    }


def test_fusion_keeps_fusion_symbol_and_kinase_id(extractor):
    text = "BCR-ABL1 T315I is resistant to imatinib."
    analysis = analyse(
        text,
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("imatinib", "CHEMICAL", "imatinib", "DrugBank:DB00619"),
    )
    [triple] = extractor.extract(analysis)
    assert (triple.gene, triple.gene_id, triple.variant) == ("BCR::ABL1", "HGNC:76", "p.T315I")
    assert triple.relation == "resistance"


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Ponatinib overcomes T315I in CML.", "sensitivity"),
        ("Cells with T315I remained responsive to ponatinib.", "sensitivity"),
        ("T315I confers resistance to ponatinib.", "resistance"),
        ("Ponatinib-resistant cells carried T315I.", "resistance"),
        ("Ponatinib induced apoptosis in cells with T315I.", "sensitivity"),
        ("T315I patients showed poor responses to ponatinib.", "resistance"),
        ("In T315I patients, ponatinib led to clinical improvements.", "sensitivity"),
        ("Ponatinib was active in patients carrying T315I.", "sensitivity"),
        # "approved" names which drugs here, not an outcome
        ("T315I conferred resistance to all approved TKIs including ponatinib.", "resistance"),
    ],
)
def test_direction(extractor, text, relation):
    analysis = analyse(
        text, ("T315I", "VARIANT", "p.T315I", ""), ("onatinib", "CHEMICAL", "ponatinib", "")
    )
    assert {t.relation for t in extractor.extract(analysis)} == {relation}


@pytest.mark.parametrize(
    "text",
    [
        "Resistance of T315I cells was overcome by the third-generation TKI ponatinib.",
        "T315I resistance was reversed by ponatinib.",
        "Resistance in the niche, seen with T315I, was overcome by adding ponatinib.",
    ],
)
def test_a_drug_that_overcomes_resistance_in_the_passive_is_a_sensitivity(extractor, text):
    analysis = analyse(
        text, ("T315I", "VARIANT", "p.T315I", ""), ("ponatinib", "CHEMICAL", "ponatinib", "")
    )
    assert {t.relation for t in extractor.extract(analysis)} == {"sensitivity"}


@pytest.mark.parametrize(
    "text",
    [
        "T315I confers resistance to dasatinib, and ponatinib overcomes it.",
        "T315I mediates resistance to dasatinib in CML, and ponatinib restores sensitivity.",
    ],
)
def test_a_drug_that_overcomes_what_the_cue_before_it_names_is_a_sensitivity(extractor, text):
    analysis = analyse(
        text,
        ("T315I", "VARIANT", "p.T315I", ""),
        ("dasatinib", "CHEMICAL", "dasatinib", ""),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
    )
    found = {(t.drug, t.relation) for t in extractor.extract(analysis)}
    assert found == {("dasatinib", "resistance"), ("ponatinib", "sensitivity")}


@pytest.mark.parametrize(
    "text",
    [
        "The E255K mutation did not confer resistance to dasatinib.",
        "E255K had no significant impact on response to dasatinib.",
        "E255K was not associated with outcome in patients treated with dasatinib.",
        "Patients with E255K did not show a difference in outcome after dasatinib.",
        # the "not" denies the effect on the response, not the response
        "E255K altered ERK signalling, but not dasatinib responsiveness.",
        "E255K affects BCR-ABL1 autophosphorylation but not sensitivity to dasatinib.",
    ],
)
def test_negation(extractor, text):
    analysis = analyse(
        text, ("E255K", "VARIANT", "p.E255K", ""), ("dasatinib", "CHEMICAL", "dasatinib", "")
    )
    triples = extractor.extract(analysis)
    assert triples and all(t.negated for t in triples)


def test_hedging_lowers_confidence_but_keeps_triple(extractor):
    plain = analyse(
        "E255K confers resistance to dasatinib.",
        ("E255K", "VARIANT", "p.E255K", ""),
        ("dasatinib", "CHEMICAL", "dasatinib", ""),
    )
    hedged = analyse(
        "E255K may confer resistance to dasatinib.",
        ("E255K", "VARIANT", "p.E255K", ""),
        ("dasatinib", "CHEMICAL", "dasatinib", ""),
    )
    [a], [b] = extractor.extract(plain), extractor.extract(hedged)
    assert b.relation == "resistance" and b.confidence < a.confidence


def test_factor_without_gene(extractor):
    text = (
        "Alterations in DNA methylation patterns were implicated in resistance to cytarabine "
        "in AML."
    )
    analysis = analyse(
        text,
        ("DNA methylation", "MECHANISM", "DNA methylation", "epigenetic.dna_methylation"),
        ("cytarabine", "CHEMICAL", "cytarabine", ""),
        ("AML", "DISEASE", "acute myeloid leukemia", "MESH:D015470"),
    )
    [triple] = extractor.extract(analysis)
    assert (triple.gene, triple.factor, triple.relation) == ("", "DNA methylation", "resistance")
    assert triple.disease == "acute myeloid leukemia"


def test_combination_kept_together(extractor):
    text = "FLT3-ITD cells were sensitive to dasatinib plus venetoclax."
    analysis = analyse(
        text,
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("ITD", "VARIANT", "ITD", ""),
        ("dasatinib", "CHEMICAL", "dasatinib", ""),
        ("venetoclax", "CHEMICAL", "venetoclax", ""),
    )
    [triple] = extractor.extract(analysis)
    assert triple.drug == "dasatinib + venetoclax" and triple.combination == triple.drug
    assert (triple.gene, triple.variant, triple.relation) == ("FLT3", "ITD", "sensitivity")


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        # a broad word of the sentence yields to the specific disease named before it
        (
            "We studied patients with colorectal cancer. KRAS G12D tumours were resistant to "
            "cetuximab.",
            "colorectal neoplasms",
        ),
        # ... or after it
        (
            "KRAS G12D tumours were resistant to cetuximab. All patients had colorectal cancer.",
            "colorectal neoplasms",
        ),
        # an outcome filed as a disease is no disease of the claim
        ("KRAS G12D predicted resistance to cetuximab and toxicity.", ""),
        # a broad one stands where nothing specific is named
        ("KRAS G12D tumours were resistant to cetuximab.", "neoplasms"),
        # a drug response filed as a disease is none; the body's own resistance is one
        (
            "We studied colorectal cancer. Glucocorticoid resistance was common. KRAS G12D "
            "tumours were resistant to cetuximab.",
            "colorectal neoplasms",
        ),
        (
            "We studied insulin resistance. KRAS G12D tumours were resistant to cetuximab.",
            "insulin resistance",
        ),
    ],
)
def test_the_disease_is_the_most_specific_one_in_context(extractor, text, disease):
    entities = [
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
        ("cetuximab", "CHEMICAL", "cetuximab", "DrugBank:DB00002"),
    ]
    named = {
        "colorectal cancer": ("colorectal neoplasms", "MESH:D015179"),
        "tumours": ("neoplasms", "MESH:D009369"),
        "toxicity": ("toxicity", "MESH:D064420"),
        "Glucocorticoid resistance": ("glucocorticoid resistance", "MESH:C564221"),
        "insulin resistance": ("insulin resistance", "MESH:D007333"),
    }
    entities += [(w, "DISEASE", *named[w]) for w in named if w in text]
    entities.sort(key=lambda e: text.index(e[0]))
    [triple] = extractor.extract(analyse(text, *entities))
    assert triple.disease == disease


def test_a_variant_listed_in_parentheses_takes_the_gene_that_opens_the_list():
    from litmine.relations import variant_genes

    text = (
        "Carriers of MSH6 variants were studied. "
        "We found nine in MLH1(c.632_633insT, c.845C>G, c.1730+1delG, c.1907T>C), two in "
        "MSH2 (c.1886A>G) and one in MSH6 (c.3488A>T). Pan-RAF inhibitors (sorafenib with "
        "CRAF T421N) were tested."
    )
    entities = [
        ("MSH6", "GENE", "MSH6", "HGNC:7329"),
        ("MLH1", "GENE", "MLH1", "HGNC:7127"),
        ("c.632_633insT", "VARIANT", "c.632_633insT", ""),
        ("c.845C>G", "VARIANT", "c.845C>G", ""),
        ("c.1730+1delG", "VARIANT", "c.1730+1delG", ""),
        ("c.1907T>C", "VARIANT", "c.1907T>C", ""),
        ("MSH2", "GENE", "MSH2", "HGNC:7325"),
        ("c.1886A>G", "VARIANT", "c.1886A>G", ""),
        ("MSH6", "GENE", "MSH6", "HGNC:7329"),
        ("c.3488A>T", "VARIANT", "c.3488A>T", ""),
        ("RAF", "GENE", "RAF", "FPLX:RAF"),
        ("sorafenib", "CHEMICAL", "sorafenib", ""),
        ("CRAF", "GENE", "RAF1", "HGNC:9829"),
        ("T421N", "VARIANT", "p.T421N", ""),
    ]
    attached = {v.text: g.normalized for v, g in variant_genes(analyse(text, *entities)) if g}
    assert attached == {
        "c.632_633insT": "MLH1",
        "c.845C>G": "MLH1",
        "c.1730+1delG": "MLH1",
        "c.1907T>C": "MLH1",
        "c.1886A>G": "MSH2",
        "c.3488A>T": "MSH6",
        "T421N": "RAF1",  # the gene inside the parenthesis, not the one that opens it
    }


def test_a_variant_takes_the_gene_that_closes_its_list():
    from litmine.relations import variant_genes

    text = (
        "Missense changes (c.2993G>A (p.Arg998Lys) in USH2A, c.592G>A (p.Ala198Thr), "
        "c.5944G>A in MYO7A), and c.653T>A (USH2A); no CHRND mutations, but a RAPSN "
        "frameshift mutation, c.1177delAA."
    )
    entities = [
        ("c.2993G>A", "VARIANT", "c.2993G>A", ""),
        ("p.Arg998Lys", "VARIANT", "p.R998K", ""),
        ("USH2A", "GENE", "USH2A", "HGNC:12601"),
        ("c.592G>A", "VARIANT", "c.592G>A", ""),
        ("p.Ala198Thr", "VARIANT", "p.A198T", ""),
        ("c.5944G>A", "VARIANT", "c.5944G>A", ""),
        ("MYO7A", "GENE", "MYO7A", "HGNC:7606"),
        ("c.653T>A", "VARIANT", "c.653T>A", ""),
        ("USH2A", "GENE", "USH2A", "HGNC:12601"),
        ("CHRND", "GENE", "CHRND", "HGNC:1965"),
        ("RAPSN", "GENE", "RAPSN", "HGNC:9863"),
        ("c.1177delAA", "VARIANT", "c.1177delAA", ""),
    ]
    attached = {v.text: g.normalized for v, g in variant_genes(analyse(text, *entities)) if g}
    assert attached == {
        "c.2993G>A": "USH2A",
        "p.Arg998Lys": "USH2A",
        "c.592G>A": "MYO7A",  # "in USH2A," opens no list of its own
        "p.Ala198Thr": "MYO7A",
        "c.5944G>A": "MYO7A",
        "c.653T>A": "USH2A",  # the gene in brackets after it
        "c.1177delAA": "RAPSN",  # not the CHRND named mutant before
    }
    text = (
        "KRAS G12D in BRAF wild-type tumours; mutations in TP53, V600E in BRAF; the UTR "
        "of RAD51, 135G>C, modifies risk."
    )
    entities = [
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("TP53", "GENE", "TP53", "HGNC:11998"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("RAD51", "GENE", "RAD51", "HGNC:9817"),
        ("135G>C", "VARIANT", "c.135G>C", ""),
    ]
    attached = {v.text: g.normalized for v, g in variant_genes(analyse(text, *entities)) if g}
    # no list, no bracket: the gene before it; after a comma, a gene that claims it after
    assert attached == {"G12D": "KRAS", "V600E": "BRAF", "135G>C": "RAD51"}


def test_a_regimen_lists_its_components():
    extractor = RelationExtractor(
        regimens={"folfiri": ("fluorouracil", "leucovorin", "irinotecan")}
    )
    text = "KRAS mutations predicted resistance to FOLFIRI plus cetuximab."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("FOLFIRI", "CHEMICAL", "folfiri", "regimen:folfiri"),
        ("cetuximab", "CHEMICAL", "cetuximab", ""),
    )
    [triple] = extractor.extract(analysis)
    assert (triple.drug, triple.relation) == ("folfiri + cetuximab", "resistance")
    assert triple.combination == "fluorouracil + leucovorin + irinotecan + cetuximab"


def test_drug_in_next_sentence_uses_previous_factor(extractor):
    text = "We found the E255K mutation in 4 patients. These patients were resistant to imatinib."
    analysis = analyse(
        text, ("E255K", "VARIANT", "p.E255K", ""), ("imatinib", "CHEMICAL", "imatinib", "")
    )
    [triple] = extractor.extract(analysis)
    assert triple.relation == "resistance" and triple.confidence < 0.9


def test_no_cue_no_triple(extractor):
    analysis = analyse(
        "T315I and imatinib were studied.",
        ("T315I", "VARIANT", "p.T315I", ""),
        ("imatinib", "CHEMICAL", "imatinib", ""),
    )
    assert extractor.extract(analysis) == []


def test_apposed_class_yields_to_the_named_drug(extractor):
    text = "BRAF V600E cells were sensitive to the MEK inhibitor trametinib."
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("MEK inhibitor", "CHEMICAL", "mek inhibitors", "class:mek-inhibitors"),
        ("trametinib", "CHEMICAL", "trametinib", ""),
    )
    assert {t.drug for t in extractor.extract(analysis)} == {"trametinib"}


@pytest.mark.parametrize(
    "phrase",
    [
        "tyrosine kinase inhibitors (i.e., erlotinib)",
        "tyrosine kinase inhibitors such as erlotinib",
        "tyrosine kinase inhibitor drugs erlotinib",
    ],
)
def test_a_class_introducing_its_example_yields_to_it(extractor, phrase):
    text = f"The EGFR L858R mutation is sensitive to {phrase}."
    class_name = phrase.split(" (")[0].split(" such")[0].split(" drugs")[0]
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("L858R", "VARIANT", "p.L858R", ""),
        (class_name, "CHEMICAL", "tyrosine kinase inhibitors", "class:tyrosine-kinase-inhibitors"),
        ("erlotinib", "CHEMICAL", "erlotinib", ""),
    )
    assert {t.drug for t in extractor.extract(analysis)} == {"erlotinib"}


def test_similar_survival_with_or_without_the_variant_is_a_negated_claim(extractor):
    text = "Patients with or without the KIT D816V mutation had similar survival with imatinib."
    analysis = analyse(
        text,
        ("KIT", "GENE", "KIT", "HGNC:6342"),
        ("D816V", "VARIANT", "p.D816V", ""),
        ("imatinib", "CHEMICAL", "imatinib", ""),
    )
    assert triples_as_set(extractor.extract(analysis)) == {
        ("KIT", "p.D816V", "imatinib", "sensitivity", True)
    }


def test_a_target_named_class_yields_to_the_named_drug_too(extractor):
    text = "PIK3CA E545K increased sensitivity to AKT inhibitor MK-2206 in breast cancer cells."
    analysis = analyse(
        text,
        ("PIK3CA", "GENE", "PIK3CA", "HGNC:8975"),
        ("E545K", "VARIANT", "p.E545K", ""),
        ("AKT inhibitor", "CHEMICAL", "akt inhibitor", ""),
        ("MK-2206", "CHEMICAL", "mk-2206", "UNII:4HA45S22ZZ"),
    )
    assert {t.drug for t in extractor.extract(analysis)} == {"mk-2206"}


def test_gene_and_drug_in_different_sentences_become_a_document_candidate():
    from litmine.relations.rules import find_candidates

    text = "Patients carried EGFR T790M. Tumours progressed on erlotinib and became resistant."
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("T790M", "VARIANT", "p.T790M", ""),
        ("erlotinib", "CHEMICAL", "erlotinib", ""),
    )
    [candidate] = find_candidates(analysis)
    assert (candidate.triple.gene, candidate.triple.variant, candidate.triple.drug) == (
        "EGFR",
        "p.T790M",
        "erlotinib",
    )
    assert candidate.triple.relation == "resistance" and candidate.carried


def test_inferred_member_never_contradicts_a_stated_drug():
    umbrella = DrugClassInfo("tyrosine kinase inhibitors", ("imatinib", "ponatinib"), umbrella=True)
    abl = DrugClassInfo("bcr-abl inhibitors", ("imatinib", "ponatinib"), targets=("ABL1",))
    extractor = RelationExtractor({umbrella.name: umbrella, abl.name: abl})
    text = "BCR-ABL1 T315I confers resistance to TKIs but retains sensitivity to ponatinib."
    analysis = analyse(
        text,
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("TKIs", "CHEMICAL", umbrella.name, "class:tki"),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
    )
    found = triples_as_set(extractor.extract(analysis))
    assert ("BCR::ABL1", "p.T315I", "imatinib", "resistance", False) in found
    assert ("BCR::ABL1", "p.T315I", "ponatinib", "sensitivity", False) in found
    assert ("BCR::ABL1", "p.T315I", "ponatinib", "resistance", False) not in found


def test_a_member_claimed_the_other_way_is_not_inferred_even_when_no_member_is_named():
    umbrella = DrugClassInfo("tyrosine kinase inhibitors", ("imatinib", "ponatinib"), umbrella=True)
    abl = DrugClassInfo("bcr-abl inhibitors", ("imatinib", "ponatinib"), targets=("ABL1",))
    extractor = RelationExtractor({umbrella.name: umbrella, abl.name: abl})
    text = (
        "BCR-ABL1 mutations confer resistance to TKIs. "
        "BCR-ABL1 T315I retains sensitivity to ponatinib."
    )
    analysis = analyse(
        text,
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("TKIs", "CHEMICAL", umbrella.name, "class:tki"),
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
    )
    inferred = {(t.drug, t.relation) for t in extractor.extract(analysis) if t.inferred_from_class}
    assert inferred == {("imatinib", "resistance")}


def test_a_genes_named_variant_stands_for_its_generic_mention_in_the_sentence(extractor):
    text = "In FLT3-mutated AML, FLT3 D835Y conferred resistance to sorafenib."
    analysis = analyse(
        text,
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("D835Y", "VARIANT", "p.D835Y", ""),
        ("sorafenib", "CHEMICAL", "sorafenib", ""),
    )
    assert [(t.gene, t.variant) for t in extractor.extract(analysis)] == [("FLT3", "p.D835Y")]


def test_umbrella_class_without_context_is_not_expanded():
    umbrella = DrugClassInfo("tyrosine kinase inhibitors", ("imatinib", "gefitinib"), umbrella=True)
    extractor = RelationExtractor({umbrella.name: umbrella})
    analysis = analyse(
        "T315I confers resistance to TKIs.",
        ("T315I", "VARIANT", "p.T315I", ""),
        ("TKIs", "CHEMICAL", umbrella.name, "class:tki"),
    )
    assert [t.drug for t in extractor.extract(analysis)] == [umbrella.name]


def test_model_roundtrip_and_scoring(tmp_path):
    from litmine.relations.scoring import LinearModel, RelationModel

    model = RelationModel(
        LinearModel({"gene_top": 2.0}, -1.0),
        LinearModel({"w=resistant": 3.0}, -0.5),
        0.5,
        {"trained_on": "test"},
    )
    path = tmp_path / "model.json"
    model.save(path)
    loaded = RelationModel.load(path)
    assert loaded.threshold == 0.5 and loaded.provenance == {"trained_on": "test"}
    assert loaded.pair.probability({"gene_top": 1.0}) == pytest.approx(1 / (1 + 2.718281828**-1))
    assert loaded.polarity.probability({}) < 0.5 < loaded.polarity.probability({"w=resistant": 1})


def test_scorer_drops_bystander_gene_but_keeps_explicit_variant():
    from litmine.relations.scoring import LinearModel, RelationModel

    # a scorer that rejects every pair: only explicitly stated variant triples survive
    reject_all = RelationModel(LinearModel({}, -10.0), LinearModel({}, 0.0), 0.5, {})
    extractor = RelationExtractor(model=reject_all)
    text = "KRAS was sequenced; EGFR T790M confers resistance to erlotinib."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("T790M", "VARIANT", "p.T790M", ""),
        ("erlotinib", "CHEMICAL", "erlotinib", ""),
    )
    assert triples_as_set(extractor.extract(analysis)) == {
        ("EGFR", "p.T790M", "erlotinib", "resistance", False)
    }


def test_every_gene_drug_pair_of_a_document_with_a_cue_is_a_candidate():
    from litmine.relations.rules import find_candidates

    # the outcome sentence names neither gene nor drug: only a document-level pair holds it
    text = "Patients with KRAS G12C were treated with sotorasib. Four had partial responses."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12C", "VARIANT", "p.G12C", ""),
        ("sotorasib", "CHEMICAL", "sotorasib", ""),
    )
    [candidate] = find_candidates(analysis)
    assert candidate.rule == "pair" and candidate.carried
    assert (candidate.triple.gene, candidate.triple.variant, candidate.triple.drug) == (
        "KRAS",
        "p.G12C",
        "sotorasib",
    )
    assert candidate.triple.relation == "sensitivity"
    # without a scorer, a cross-sentence pair is never reported
    assert RelationExtractor().extract(analysis) == []


def test_document_without_cue_has_no_pair_candidate():
    from litmine.relations.rules import find_candidates

    analysis = analyse(
        "Patients with KRAS G12C were treated with sotorasib. Tumours were sequenced.",
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12C", "VARIANT", "p.G12C", ""),
        ("sotorasib", "CHEMICAL", "sotorasib", ""),
    )
    assert find_candidates(analysis) == []


@pytest.mark.parametrize(
    "text",
    [
        "The L576P mutation is not sensitive to imatinib.",
        "The L576P mutation was associated with lack of imatinib or nilotinib response.",
    ],
)
def test_denied_sensitivity_is_resistance(extractor, text):
    entities = [("L576P", "VARIANT", "p.L576P", ""), ("imatinib", "CHEMICAL", "imatinib", "")]
    found = triples_as_set(extractor.extract(analyse(text, *entities)))
    assert ("", "p.L576P", "imatinib", "resistance", False) in found


def test_null_finding_stays_a_negated_sensitivity(extractor):
    text = "The L576P mutation was not associated with response to imatinib."
    entities = [("L576P", "VARIANT", "p.L576P", ""), ("imatinib", "CHEMICAL", "imatinib", "")]
    assert triples_as_set(extractor.extract(analyse(text, *entities))) == {
        ("", "p.L576P", "imatinib", "sensitivity", True)
    }


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Never smokers with EGFR L858R responded to gefitinib.", False),
        ("Cells with EGFR L858R were more resistant to gefitinib than cells without it.", False),
        ("Regardless of KRAS status, EGFR L858R predicted response to gefitinib.", False),
        ("EGFR L858R did not predict response to gefitinib.", True),
        ("EGFR L858R with no detected KRAS mutation responded to gefitinib.", False),
        ("EGFR L858R patients with no further options responded to gefitinib.", False),
        # an aside that holds neither factor nor drug denies something else
        ("EGFR L858R tumours (not all of them biopsied) responded to gefitinib.", False),
        # "comparable to" / "similar to" introduce what the finding is compared with
        ("EGFR L858R cells resisted gefitinib, comparable to cells with T790M.", False),
        ("EGFR L858R cells responded to gefitinib, similar to exon 19 deletions.", False),
    ],
)
def test_negation_scope(extractor, text, negated):
    entities = [
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("L858R", "VARIANT", "p.L858R", ""),
        ("gefitinib", "CHEMICAL", "gefitinib", ""),
    ]
    if "KRAS" in text:
        entities.insert(0, ("KRAS", "GENE", "KRAS", "HGNC:6407"))
    egfr = [t for t in extractor.extract(analyse(text, *entities)) if t.gene == "EGFR"]
    assert egfr and all(t.negated is negated for t in egfr)


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        # "independent of" governs the factor that stands for the status it names
        (
            "Response to cetuximab was independent of HPV-status, represented by expression "
            "of p16.",
            True,
        ),
        (
            "Response to cetuximab was independent of HPV-status and higher with expression "
            "of p16.",
            False,
        ),
    ],
)
def test_independent_of_a_status_the_factor_stands_for(extractor, text, negated):
    analysis = analyse(
        text, ("cetuximab", "CHEMICAL", "cetuximab", ""), ("p16", "GENE", "CDKN2A", "HGNC:1787")
    )
    p16 = [t for t in extractor.extract(analysis) if t.gene == "CDKN2A"]
    assert p16 and all(t.negated is negated for t in p16)


def test_an_aside_denies_the_drug_it_holds_not_the_one_before_it(extractor):
    text = "NF1-mutant cells responded to PD0325901 (but not vemurafenib)."
    analysis = analyse(
        text,
        ("NF1", "GENE", "NF1", "HGNC:7765"),
        ("PD0325901", "CHEMICAL", "mirdametinib", ""),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
    )
    found = {t.drug: (t.relation, t.negated) for t in extractor.extract(analysis)}
    assert found["mirdametinib"] == ("sensitivity", False)
    # the aside denies vemurafenib's response: resistance, as "but not to vemurafenib" is
    assert found.get("vemurafenib") == ("resistance", False)


def test_a_reporter_is_no_factor_and_a_response_element_no_outcome(extractor):
    from litmine.relations.rules import text_cues

    text = "An ERE-luciferase reporter with ESR1 Y537S remained responsive to fulvestrant."
    analysis = analyse(
        text,
        ("luciferase", "GENE", "luciferase", ""),
        ("ESR1", "GENE", "ESR1", "HGNC:3467"),
        ("Y537S", "VARIANT", "p.Y537S", ""),
        ("fulvestrant", "CHEMICAL", "fulvestrant", ""),
    )
    found = {(t.gene, t.variant, t.drug) for t in extractor.extract(analysis)}
    assert found == {("ESR1", "p.Y537S", "fulvestrant")}
    assert text_cues("an estrogen response element and a hypoxia-responsive element") == ()


def test_scorer_keeps_only_the_drugs_best_gene_and_its_rivals_within_reach():
    from litmine.relations.scoring import LinearModel, RelationModel

    # pair score 0.95 for a gene with a variant, 0.27 for one without: both clear the
    # threshold, but the second is a bystander next to the first
    model = RelationModel(LinearModel({"gene_has_variant": 4.0}, -1.0), LinearModel({}, 0), 0.1, {})
    text = "BRAF V600E and KRAS were sequenced. Patients responded to vemurafenib."
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
    )
    found = RelationExtractor(model=model).extract(analysis)
    assert {(t.gene, t.drug) for t in found} == {("BRAF", "vemurafenib")}


@pytest.mark.parametrize(
    "text",
    [
        "NRAS and KRAS mutations are less sensitive to melphalan.",
        # each with an alteration of its own
        "Resistance to melphalan was associated with KRAS mutations and loss of NRAS.",
    ],
)
def test_altered_genes_listed_side_by_side_are_not_rivals(text):
    from litmine.relations.scoring import LinearModel, RelationModel

    # the first gene scores 0.27, the second 0.73: apart, the first would fall under the
    # second's rival floor
    model = RelationModel(LinearModel({"gene_first": -2.0}, 1.0), LinearModel({}, 0), 0.1, {})
    analysis = analyse(
        text,
        *sorted(
            [("NRAS", "GENE", "NRAS", "HGNC:7989"), ("KRAS", "GENE", "KRAS", "HGNC:6407")],
            key=lambda entity: text.index(entity[0]),
        ),
        ("melphalan", "CHEMICAL", "melphalan", ""),
    )
    found = {(t.gene, t.drug) for t in RelationExtractor(model=model).extract(analysis)}
    assert found == {("NRAS", "melphalan"), ("KRAS", "melphalan")}


def test_a_drug_its_sentence_binds_to_a_variant_is_not_paired_across_sentences():
    from litmine.relations.scoring import LinearModel, RelationModel

    # a scorer that would keep every pair: only the selection rule stands in the way
    model = RelationModel(LinearModel({}, 5.0), LinearModel({}, -5.0), 0.3, {})
    text = (
        "BCR-ABL1 T315I retains sensitivity to ponatinib. FLT3 mutations emerge in AML. "
        "Patients with KIT mutations were treated. Responses to imatinib were durable."
    )
    analysis = analyse(
        text,
        ("BCR-ABL1", "GENE", "BCR::ABL1", "HGNC:76"),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("KIT", "GENE", "KIT", "HGNC:6342"),
        ("imatinib", "CHEMICAL", "imatinib", ""),
    )
    found = {(t.gene, t.drug) for t in RelationExtractor(model=model).extract(analysis)}
    assert ("FLT3", "ponatinib") not in found
    assert ("BCR::ABL1", "ponatinib") in found
    assert ("KIT", "imatinib") in found  # an unbound drug still pairs across sentences


@pytest.mark.parametrize(
    ("factor", "alteration"),
    [
        ("amplified FGFR1", "amplification"),
        ("mutant FGFR1", "mutation"),
        ("deleted FGFR1", "deletion"),
        ("upregulation of FGFR1", "overexpression"),
        ("down-regulation of FGFR1", "loss"),
        # "downregulation of ZEB1 expression ... enhanced sensitivity" is not a claim about
        # ZEB1 expression: the level's change is the factor
        ("downregulation of FGFR1 expression", "loss"),
        ("silencing of FGFR1 expression", "knockdown"),
        ("loss of FGFR1 expression", "loss"),
        ("low FGFR1 expression", "low expression"),
        ("FGFR1 loss of expression", "loss"),
        ("elevated FGFR1 expression", "high expression"),
        ("FGFR1 expression", "expression"),
        ("FGFR1 promoter hypermethylation", "methylation"),
    ],
)
def test_the_alteration_named_with_a_gene_is_its_variant(extractor, factor, alteration):
    text = f"In cells with {factor}, ponatinib potently inhibited cell growth."
    analysis = analyse(
        text,
        ("FGFR1", "GENE", "FGFR1", "HGNC:3688"),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
    )
    found = {(t.gene, t.variant, t.drug, t.relation) for t in extractor.extract(analysis)}
    assert found == {("FGFR1", alteration, "ponatinib", "sensitivity")}


@pytest.mark.parametrize(
    ("surface", "normalized"),
    [
        ("MDA", "mda"),
        ("ATP", "adenosine triphosphate"),
        ("N-ethyl-N-nitrosourea", "ethylnitrosourea"),
        ("paraffin", "paraffin"),
    ],
)
def test_reagents_and_cell_line_names_are_no_drugs(extractor, surface, normalized):
    text = f"KIT D816V cells treated with {surface} were resistant to imatinib."
    analysis = analyse(
        text,
        ("KIT", "GENE", "KIT", "HGNC:6342"),
        ("D816V", "VARIANT", "p.D816V", ""),
        (surface, "CHEMICAL", normalized, ""),
        ("imatinib", "CHEMICAL", "imatinib", ""),
    )
    assert {t.drug for t in extractor.extract(analysis)} == {"imatinib"}


def test_named_drug_targets_and_treatment_subjects():
    from litmine.relations.rules import find_candidates
    from litmine.relations.scoring import DocumentContext

    text = "Patients treated with the BRAF inhibitor vemurafenib had KRAS G12D. Response was poor."
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
    )
    context = DocumentContext(analysis, find_candidates(analysis))
    assert context.targets == {("BRAF", "vemurafenib")}
    assert context.treated == {"vemurafenib"}
    text = "Cetuximab (an anti-EGFR antibody) failed in KRAS G12D tumours."
    analysis = analyse(
        text,
        ("Cetuximab", "CHEMICAL", "cetuximab", ""),
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
    )
    assert DocumentContext(analysis, find_candidates(analysis)).targets == {("EGFR", "cetuximab")}


def test_polarity_cache_gives_the_same_verdicts():
    from litmine.relations.rules import find_candidates
    from litmine.relations.scoring import DocumentContext, LinearModel, RelationModel, direction

    model = RelationModel(
        LinearModel({"gene_has_variant": 1.0}, 0.0),
        LinearModel({"w=resistant": 2.0, "w=sensitive": -2.0}, 0.0),
        0.5,
        {},
    )
    text = "EGFR T790M cells were resistant to gefitinib but sensitive to osimertinib."
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("T790M", "VARIANT", "p.T790M", ""),
        ("gefitinib", "CHEMICAL", "gefitinib", ""),
        ("osimertinib", "CHEMICAL", "osimertinib", ""),
    )
    candidates = find_candidates(analysis)
    context = DocumentContext(analysis, candidates)
    cache: dict = {}
    assert len(candidates) == 2
    for candidate in candidates:
        assert direction(model, candidate, context, cache) == direction(model, candidate, context)
    assert cache


def test_a_parenthesis_speaks_of_what_stands_before_it(extractor):
    text = (
        "Cells with BRAF V600E (a known vemurafenib sensitizing mutation) and PTEN knockdown "
        "were more resistant to vemurafenib."
    )
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
        ("PTEN", "GENE", "PTEN", "HGNC:9588"),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
    )
    found = {(t.gene, t.drug, t.relation) for t in extractor.extract(analysis)}
    assert ("BRAF", "vemurafenib", "sensitivity") in found
    assert ("PTEN", "vemurafenib", "resistance") in found
    assert ("PTEN", "vemurafenib", "sensitivity") not in found


def test_an_altered_gene_family_stands_for_its_altered_members(extractor):
    text = "Patients with BRCA mutations responded to olaparib, unlike BRCA wild-type patients."
    analysis = analyse(
        text,
        ("BRCA", "GENE", "BRCA", "FPLX:BRCA"),
        ("olaparib", "CHEMICAL", "olaparib", ""),
    )
    found = {(t.gene, t.gene_id, t.drug, t.relation) for t in extractor.extract(analysis)}
    assert ("BRCA1", "HGNC:1100", "olaparib", "sensitivity") in found
    assert ("BRCA2", "HGNC:1101", "olaparib", "sensitivity") in found
    assert not [f for f in found if f[0] == "BRCA"]


def test_a_variant_without_gene_takes_the_one_gene_its_drug_targets():
    egfr = DrugClassInfo(
        "egfr inhibitors", ("osimertinib",), targets=("EGFR",), target_ids=("HGNC:3236",)
    )
    abl = DrugClassInfo("abl inhibitors", ("imatinib",), targets=("BCR::ABL1",))
    kit = DrugClassInfo("kit inhibitors", ("imatinib",), targets=("KIT",))
    extractor = RelationExtractor({c.name: c for c in (egfr, abl, kit)})
    text = "Patients with T790M responded to osimertinib; those with T315I resisted imatinib."
    analysis = analyse(
        text,
        ("T790M", "VARIANT", "p.T790M", ""),
        ("osimertinib", "CHEMICAL", "osimertinib", ""),
        ("T315I", "VARIANT", "p.T315I", ""),
        ("imatinib", "CHEMICAL", "imatinib", ""),
    )
    genes = {(t.variant, t.drug): (t.gene, t.gene_id) for t in extractor.extract(analysis)}
    assert genes[("p.T790M", "osimertinib")] == ("EGFR", "HGNC:3236")
    assert genes[("p.T315I", "imatinib")] == ("", "")  # ABL1 or KIT: the drug does not say


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "AML with TP53 mutations responded poorly to venetoclax-based therapy.",
            {("TP53", "venetoclax", "resistance")},
        ),
        (  # the drug that reverses a resistance, whatever the sentence's other words say
            "Upregulation of ABCG2 caused resistance to imatinib, which was reversed by the "
            "ABCG2 inhibitor Ko143.",
            {("ABCG2", "imatinib", "resistance"), ("ABCG2", "ko143", "sensitivity")},
        ),
        (  # what a contrast after the cue names is denied the claim
            "Asciminib retained activity against most ABL1 kinase domain mutations but not "
            "against myristoyl pocket mutations.",
            {("ABL1", "asciminib", "sensitivity"), ("", "asciminib", "resistance")},
        ),
    ],
)
def test_directions_a_rule_states_outright(full_extractor, text, expected):
    found = {
        (t.gene, t.drug, t.relation)
        for t in full_extractor.triples([Document(doc_id="d1", text=text)])
        if not t.negated
    }
    assert found == expected


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "High expression of the drug efflux pump ABCB1 predicted resistance to imatinib.",
            ("ABCB1", "expression"),
        ),
        (
            "Overexpression of the anti-apoptotic protein MCL1 conferred resistance to imatinib.",
            ("MCL1", "overexpression"),
        ),
    ],
)
def test_an_alteration_named_before_what_its_gene_is(full_extractor, text, claim):
    found = fields_found(full_extractor, text, "gene", "variant", affirmed=False)
    assert {(gene, variant) for gene, variant in found if gene} == {claim}


@pytest.mark.parametrize(
    ("reference", "drugs"),
    [
        ("all four inhibitors", {"imatinib", "dasatinib", "nilotinib", "bosutinib"}),
        ("all three inhibitors", set()),  # the count names another list
        ("these drugs", {"imatinib", "dasatinib", "nilotinib", "bosutinib"}),
    ],
)
def test_a_reference_to_a_list_of_drugs_names_each(full_extractor, reference, drugs):
    text = (
        "We tested imatinib, dasatinib, nilotinib and bosutinib in Ba/F3 cells. "
        f"The T315I mutant was resistant to {reference}."
    )
    found = fields_found(full_extractor, text, "variant", "drug", "relation", affirmed=False)
    assert {
        drug
        for variant, drug, relation in found
        if variant == "p.T315I" and relation == "resistance"
    } == drugs


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("We assessed the in vitro sensitivity of BCR-ABL1 mutants to imatinib.", set()),
        ("Cells with T315I tested sensitive to ponatinib.", {("ponatinib", "sensitivity")}),
    ],
)
def test_what_a_study_set_out_to_measure_is_no_outcome_for_a_gene(full_extractor, text, claims):
    # (for a named variant it may be: a curated summary often says no more than "a trial
    # evaluating the efficacy of erlotinib" before the variant's outcome)
    assert fields_found(full_extractor, text, "drug", "relation", affirmed=False) == claims


def test_a_drug_listed_after_another_shares_its_decision(full_extractor):
    # "inhibition" (a weak sensitivity cue) is nearer dabrafenib than "resistant" is
    text = (
        "Melanoma cells with RAC1 P29S were resistant to BRAF inhibition with vemurafenib or "
        "dabrafenib."
    )
    found = fields_found(full_extractor, text, "drug", "relation", affirmed=False)
    assert found == {("vemurafenib", "resistance"), ("dabrafenib", "resistance")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the outcome and the variant in the sentence after the drug
            "A patient with CML was treated with imatinib and achieved a major molecular "
            "response. After 3 years he lost the response, and the E255K mutation was found.",
            {("p.E255K", "imatinib", "resistance")},
        ),
        (  # a sentence whose cues point both ways says nothing of the drug before
            "A patient with CML was treated with imatinib. E255K cells were resistant, but "
            "Y253H cells responded.",
            set(),
        ),
    ],
)
def test_a_sentence_with_an_outcome_and_no_drug_speaks_of_the_drug_before(
    full_extractor, text, expected
):
    found = fields_found(full_extractor, text, "variant", "drug", "relation")
    assert {claim for claim in found if claim[0].startswith("p.")} == expected


def test_alternatives_at_a_hotspot_name_its_gene(full_extractor):
    document = Document(doc_id="d1", text="Cells with E255K/V were resistant to imatinib.")
    found = [(t.gene, t.variant, t.drug) for t in full_extractor.triples([document])]
    assert found == [("ABL1", "p.E255K/p.E255V", "imatinib")]


def test_the_extractor_gives_class_targets_their_hgnc_ids(full_extractor):
    document = Document(doc_id="d1", text="Patients with T790M responded to osimertinib.")
    found = [(t.gene, t.gene_id, t.drug) for t in full_extractor.triples([document])]
    assert found == [("EGFR", "HGNC:3236", "osimertinib")]


def test_a_gene_named_only_as_a_drugs_target_gets_its_hgnc_id(full_extractor):
    document = Document(
        "d",
        "Gilteritinib is a FLT3 inhibitor. The F691L mutation conferred resistance to it."
        " F691L cells were resistant to gilteritinib.",
    )
    found = {(t.gene, t.gene_id, t.variant) for t in full_extractor.triples([document])}
    assert ("FLT3", "HGNC:3765", "p.F691L") in found
    assert all(gene_id for gene, gene_id, _ in found if gene)


def test_a_gene_denied_an_effect_on_its_own_drug_is_not_paired_across_sentences(
    full_extractor,
):
    text = (
        "Hypoxia in the bone marrow niche promoted resistance to cytarabine. "
        "NRAS mutations did not affect response to venetoclax plus azacitidine."
    )
    triples = full_extractor.triples([Document("d", text)])
    nras = {(t.drug, t.negated) for t in triples if t.gene == "NRAS"}
    assert nras == {("venetoclax + azacitidine", True)}


def test_a_factor_a_genes_named_alteration_states_is_written_once(full_extractor):
    text = "MGMT promoter methylation conferred sensitivity to carmustine in glioblastoma."
    found = {
        (t.gene, t.variant, t.drug, t.mechanism)
        for t in full_extractor.triples([Document("d", text)])
    }
    assert found == {("MGMT", "methylation", "carmustine", "epigenetic.dna_methylation")}


def test_a_factor_stays_when_a_gene_takes_its_mechanism_only_from_the_sentence(
    full_extractor,
):
    # FLT3-ITD names the disease here; its mechanism comes from the factor's words alone
    text = (
        "Stromal cell-derived soluble factors attenuated sensitivity to sorafenib in FLT3-ITD AML."
    )
    factors = {
        (t.factor, t.mechanism) for t in full_extractor.triples([Document("d", text)]) if not t.gene
    }
    assert ("soluble factors", "microenvironment.soluble_factors") in factors


def test_an_aml_paragraph_yields_its_claims_once_each(full_extractor):
    """Each claim once, at its most specific: the gene of a listed alteration, the narrower
    of two mechanisms one sentence names, a drug that reverses resistance as a sensitivity,
    a phrase describing one variant not given to another."""
    text = (
        "Gilteritinib is a potent FLT3 inhibitor. In relapsed AML, FLT3-ITD and FLT3 D835Y "
        "mutations responded to gilteritinib, whereas the F691L gatekeeper mutation conferred "
        "resistance to gilteritinib and quizartinib. In FLT3-mutated AML, secondary mutations "
        "in the FLT3 kinase domain or activation loop emerge during treatment with sorafenib."
        "\n\nHypoxia in the bone marrow niche promoted resistance to cytarabine, which was "
        "reversed by the CXCR4 antagonist plerixafor."
    )
    found = {
        (t.gene, t.variant, t.drug, t.relation, t.mechanism.rpartition(".")[2])
        for t in full_extractor.triples([Document("d", text)])
    }
    assert found == {
        ("FLT3", "ITD", "gilteritinib", "sensitivity", "kinase_domain_mutation"),
        ("FLT3", "p.D835Y", "gilteritinib", "sensitivity", "activation_loop"),
        ("FLT3", "p.F691L", "gilteritinib", "resistance", "gatekeeper"),
        ("FLT3", "p.F691L", "quizartinib", "resistance", "gatekeeper"),
        ("FLT3", "kinase domain mutation", "sorafenib", "resistance", "kinase_domain_mutation"),
        ("FLT3", "activation loop mutation", "sorafenib", "resistance", "activation_loop"),
        ("", "hypoxia", "cytarabine", "resistance", "hypoxia"),
        ("", "hypoxia", "plerixafor", "sensitivity", "hypoxia"),
    }


def test_genes_claimed_for_one_drug_in_sentences_of_their_own_are_not_rivals(full_extractor):
    text = (
        "Venetoclax combined with azacitidine is the standard of care for older patients with "
        "AML unfit for intensive chemotherapy. However, TP53-mutated AML showed poor responses "
        "to venetoclax and azacitidine, and loss-of-function mutations in BAX conferred "
        "resistance to venetoclax in vitro. Upregulation of MCL1 was associated with venetoclax "
        "resistance, which could be overcome by MCL1 inhibitors. IDH1 and IDH2 mutations were "
        "associated with higher response rates to venetoclax-based therapy. NPM1-mutated AML "
        "remained sensitive to venetoclax."
    )
    found = {(t.gene, t.drug, t.relation) for t in full_extractor.triples([Document("d", text)])}
    assert {
        ("TP53", "venetoclax", "resistance"),
        ("BAX", "venetoclax", "resistance"),  # the subject of its own clause
        ("MCL1", "venetoclax", "resistance"),  # 'upregulation of' is an alteration
        ("NPM1", "venetoclax", "sensitivity"),
        # the whole text's cues (resistance) leave these unsure; their sentence is sure
        ("IDH1", "venetoclax", "sensitivity"),
        ("IDH2", "venetoclax", "sensitivity"),
    } <= found


def test_each_sentence_of_an_abstract_may_state_its_own_finding(full_extractor):
    """The document's features favour IKZF1 (named twice) over NT5C2 for every drug; read
    alone, the first sentence states NT5C2's claims outright."""
    text = (
        "Relapse-specific mutations in NT5C2 confer resistance to 6-mercaptopurine and "
        "thioguanine in acute lymphoblastic leukemia (ALL). IKZF1 deletions were associated "
        "with poor response to induction chemotherapy and inferior event-free survival in "
        "BCR-ABL1-positive ALL treated with imatinib. In contrast, dasatinib maintained "
        "activity in IKZF1-deleted cells."
    )
    found = {(t.gene, t.drug, t.relation) for t in full_extractor.triples([Document("d", text)])}
    assert {
        ("NT5C2", "mercaptopurine", "resistance"),
        ("NT5C2", "thioguanine", "resistance"),
    } <= found


def test_glucocorticoid_resistance_is_a_claim_about_glucocorticoids(full_extractor):
    text = (
        "Glucocorticoid resistance was linked to loss of NR3C1 and mutations in CREBBP in "
        "acute lymphoblastic leukemia."
    )
    found = {
        (t.gene, t.drug, t.relation, t.disease)
        for t in full_extractor.triples([Document("d", text)])
        if not t.inferred_from_class
    }
    assert found == {
        ("NR3C1", "glucocorticoids", "resistance", "acute lymphoblastic leukemia"),
        ("CREBBP", "glucocorticoids", "resistance", "acute lymphoblastic leukemia"),
    }


def test_a_gene_that_makes_no_difference_is_no_bystander_of_another_gene(full_extractor):
    """BCR-ABL1 scores far higher for bosutinib; ABL1's own sentence still says it makes no
    difference, and that negated claim is kept (CIViC: a 'Does Not Support' statement)."""
    text = (
        "In this retrospective study, imatinib-resistant or -intolerant patients, with chronic "
        "phase CML and BCR-ABL fusions, were treated with bosutinib monotherapy. Complete "
        "hematologic response (CHR) and major cytogenetic response (MCyR) were comparable for "
        "patients with Abl1 mutation versus without. The authors conclude that bosutinib is "
        "effective across all BCR-ABL mutations observed except T315I."
    )
    found = {(t.gene, t.drug, t.negated) for t in full_extractor.triples([Document("d", text)])}
    assert ("ABL1", "bosutinib", True) in found
    assert ("BCR::ABL1", "bosutinib", False) in found


def test_hedging_lowers_the_scored_confidence(full_extractor):
    documents = [
        Document(doc_id="plain", text="FLT3-ITD contributes to resistance to sorafenib."),
        Document(doc_id="hedged", text="FLT3-ITD may contribute to resistance to sorafenib."),
    ]
    found = {t.doc_id: t for t in full_extractor.triples(documents)}
    assert found["hedged"].relation == found["plain"].relation == "resistance"
    assert found["hedged"].confidence < 0.85 * found["plain"].confidence


def test_a_lone_variant_takes_the_gene_its_other_triples_give_it():
    abl = DrugClassInfo(
        "abl inhibitors", ("imatinib", "ponatinib"), targets=("ABL1",), target_ids=("HGNC:76",)
    )
    kit = DrugClassInfo("kit inhibitors", ("imatinib",), targets=("KIT",))
    extractor = RelationExtractor({c.name: c for c in (abl, kit)})
    text = "T315I confers resistance to imatinib but stays sensitive to ponatinib."
    analysis = analyse(
        text,
        ("T315I", "VARIANT", "p.T315I", ""),
        ("imatinib", "CHEMICAL", "imatinib", ""),
        ("ponatinib", "CHEMICAL", "ponatinib", ""),
    )
    found = {(t.drug, t.gene, t.gene_id) for t in extractor.extract(analysis)}
    # ponatinib targets ABL1 alone, so T315I is ABL1's, for imatinib (ABL1 or KIT) too
    assert found == {("imatinib", "ABL1", "HGNC:76"), ("ponatinib", "ABL1", "HGNC:76")}


def test_a_factor_is_not_also_the_disease(extractor):
    text = "Hypoxia confers resistance to imatinib in chronic myeloid leukemia."
    analysis = analyse(
        text,
        ("Hypoxia", "MECHANISM", "hypoxia", "microenvironment.hypoxia"),
        ("imatinib", "CHEMICAL", "imatinib", ""),
        ("chronic myeloid leukemia", "DISEASE", "chronic myeloid leukemia", "MESH:D015464"),
    )
    as_disease = Mention("d1", 0, 7, "Hypoxia", "DISEASE", "hypoxia", "MESH:D000860")
    analysis = dataclasses.replace(analysis, mentions=(as_disease, *analysis.mentions))
    [triple] = extractor.extract(analysis)
    assert (triple.variant, triple.disease) == ("hypoxia", "chronic myeloid leukemia")


@pytest.mark.parametrize(
    ("phrase", "relation"),
    [
        ("have a low response rate to", "resistance"),
        ("had an inferior response to", "resistance"),
        ("showed a decrease in sensitivity to", "resistance"),
        ("showed reduced sensitivity to", "resistance"),
        ("showed an improved response rate to", "sensitivity"),
        # outcomes that name no response word
        ("regressed under", "sensitivity"),
        ("had stable disease on", "sensitivity"),
        ("showed a tumor size reduction with", "sensitivity"),
        ("should not be treated with", "resistance"),
        ("correlated with poor OS and PFS when treated with", "resistance"),
        ("showed improved PFS and OS on", "sensitivity"),
        ("were inversely correlated with the sensitivity to", "resistance"),
        ("were less likely to have a positive response to", "resistance"),
        ("had shorter progression free and overall survival following", "resistance"),
        ("had an increased risk of progression on", "resistance"),
        ("had a higher ORR on", "sensitivity"),
        ("showed an antitumour effect of", "sensitivity"),
        ("had a lower frequency of partial response to", "resistance"),
        ("had a higher rate of progressive disease on", "resistance"),
        ("had a higher proportion of complete response to", "sensitivity"),
        ("showed reduced cell growth under", "sensitivity"),
        ("were protected from apoptosis induced by", "resistance"),
        ("reduce the binding affinity of", "resistance"),
        ("showed antiproliferative effects of", "sensitivity"),
        ("enhanced the cytotoxic effect of", "sensitivity"),
        ("attenuated pERK inhibition by", "resistance"),
        ("showed reduced inhibition of proliferation with", "resistance"),
        ("were found in patients relapsing on", "resistance"),
        ("emerged under", "resistance"),
        ("emerged 4 weeks upon starting", "resistance"),
        ("had worse outcomes with", "resistance"),
        ("had an unfavorable outcome on", "resistance"),
        ("had a better treatment outcome with", "sensitivity"),
    ],
)
def test_outcome_phrases_set_the_direction(extractor, phrase, relation):
    text = f"Tumours with KRAS G12D {phrase} cetuximab."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
        ("cetuximab", "CHEMICAL", "cetuximab", ""),
    )
    assert {(t.relation, t.negated) for t in extractor.extract(analysis)} == {(relation, False)}


@pytest.mark.parametrize(
    "text",
    [
        "After 8 months of erlotinib, the EGFR T790M mutation emerged in the rebiopsy.",
        "Patients were treated with erlotinib. EGFR T790M was detected at progression.",
        "EGFR T790M was found in post-progression biopsies of erlotinib-treated patients.",
    ],
)
def test_a_mutation_found_when_the_disease_came_back_is_resistance(full_extractor, text):
    found = {
        (t.gene, t.variant, t.drug, t.relation)
        for t in full_extractor.triples([Document(doc_id="d1", text=text)])
    }
    assert found == {("EGFR", "p.T790M", "erlotinib", "resistance")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The patient responded to crizotinib and then relapsed; ALK L1196M was found in "
            "the relapse biopsy.",
            ("ALK", "p.L1196M", "crizotinib", "resistance"),
        ),
        (  # the driver named before the response keeps its sensitivity
            "Patients with ALK L1196M responded to crizotinib but eventually relapsed.",
            ("ALK", "p.L1196M", "crizotinib", "sensitivity"),
        ),
    ],
)
def test_what_is_found_after_a_response_gave_way_to_relapse_is_resistance(
    full_extractor, text, expected
):
    found = {
        (t.gene, t.variant, t.drug, t.relation)
        for t in full_extractor.triples([Document(doc_id="d1", text=text)])
    }
    assert found == {expected}


@pytest.mark.parametrize(
    ("text", "driver", "escape"),
    [
        (
            "Ivosidenib induced durable remissions in patients with IDH1-mutated AML, but "
            "resistance emerged through IDH2 mutations.",
            ("IDH1", "mutation", "ivosidenib", "sensitivity"),
            ("IDH2", "mutation", "ivosidenib", "resistance"),
        ),
        (
            "BRAF V600E melanoma responded to vemurafenib, but resistance developed through "
            "NRAS Q61K mutations.",
            ("BRAF", "p.V600E", "vemurafenib", "sensitivity"),
            ("NRAS", "p.Q61K", "vemurafenib", "resistance"),
        ),
        (  # after a contrast, the subject of a resistance no other drug takes
            "Cells with EGFR L858R were sensitive to erlotinib, but cells with T790M were "
            "resistant.",
            ("EGFR", "p.L858R", "erlotinib", "sensitivity"),
            ("EGFR", "p.T790M", "erlotinib", "resistance"),
        ),
        (  # a resistance with a drug of its own is that drug's
            "EGFR L858R cells were sensitive to erlotinib, but KRAS G12D cells were resistant "
            "to cetuximab.",
            ("EGFR", "p.L858R", "erlotinib", "sensitivity"),
            ("KRAS", "p.G12D", "cetuximab", "resistance"),
        ),
        (  # a relapsed disease is the population treated, not a relapse after the response
            "Gilteritinib improved survival compared with salvage chemotherapy in relapsed "
            "FLT3 D835Y AML.",
            ("FLT3", "p.D835Y", "gilteritinib", "sensitivity"),
            None,
        ),
    ],
)
def test_the_escape_a_clause_of_its_own_names_after_a_response_is_resistance(
    full_extractor, text, driver, escape
):
    found = fields_found(full_extractor, text, "gene", "variant", "drug", "relation")
    assert found == {driver, escape} - {None}


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (  # the variants take BCR-ABL1, and "kinase domain" right after it is still its
            # alteration
            "Mutations in the BCR-ABL1 kinase domain confer resistance to imatinib"
            " (for example T315I, E255K and Y253H).",
            ("BCR::ABL1", "kinase domain mutation", "imatinib", "resistance"),
        ),
        (  # a factor another gene's variant stands between it and the drug claims nothing
            "Quizartinib-resistant clones harbored D835 mutations in FLT3, which remained "
            "sensitive to crenolanib.",
            ("FLT3", "p.D835", "crenolanib", "sensitivity"),
        ),
    ],
)
def test_a_gene_claim_leaves_no_gene_less_row_beside_it(full_extractor, text, claim):
    found = fields_found(
        full_extractor, text, "gene", "variant", "drug", "relation", affirmed=False
    )
    assert claim in found
    assert not any(not gene and drug == claim[2] for gene, _, drug, _ in found)


def test_the_gene_that_leads_a_disease_subtype_is_a_factor(full_extractor):
    # "FLT3-mutated AML" is a leukemia subtype the lexicon files as a disease
    text = "Midostaurin plus chemotherapy improved survival in patients with FLT3-mutated AML."
    found = fields_found(full_extractor, text, "gene", "drug", "relation", "disease")
    assert found == {("FLT3", "midostaurin", "sensitivity", "acute myeloid leukemia")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the drug the claim excepts
            "The T315I mutation is resistant to all approved TKIs except ponatinib.",
            {("ponatinib", "sensitivity")},
        ),
        (  # the variants the claim excepts
            "Dasatinib was effective against most mutants except T315I and F317L.",
            {("dasatinib", "resistance")},
        ),
        (  # a denied reversal is resistance, as a denied response is
            "Nilotinib is not active against T315I and F317L mutants.",
            {("nilotinib", "resistance")},
        ),
        (  # the cue right after a drug binds it before a cue that reaches it from afar
            "Ponatinib showed activity against imatinib-resistant T315I and F317L cells.",
            {("ponatinib", "sensitivity"), ("imatinib", "resistance")},
        ),
    ],
)
def test_what_a_claim_excepts_or_denies_goes_the_other_way(full_extractor, text, expected):
    triples = [
        t
        for t in full_extractor.triples([Document(doc_id="d1", text=text)])
        if not t.inferred_from_class and not t.drug_id.startswith("class:")
    ]
    assert {(t.drug, t.relation) for t in triples} == expected
    assert not any(t.negated for t in triples)


def test_a_residue_attaches_to_the_gene_named_after_it(full_extractor):
    text = "Mutations at D835 in FLT3 confer resistance to quizartinib."
    [triple] = full_extractor.triples([Document(doc_id="d1", text=text)])
    assert (triple.gene, triple.variant, triple.drug, triple.relation) == (
        "FLT3",
        "p.D835",
        "quizartinib",
        "resistance",
    )


def test_a_variant_between_another_and_the_drug_shadows_it(extractor):
    from litmine.relations.rules import find_candidates

    text = (
        "Cells expressing BRAF V600E and over-expressing AKT1 Q79K were resistant to vemurafenib."
    )
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("AKT1", "GENE", "AKT1", "HGNC:391"),
        ("Q79K", "VARIANT", "p.Q79K", ""),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
    )
    shadowed = {c.triple.gene: c.shadowed for c in find_candidates(analysis)}
    assert shadowed == {"BRAF": True, "AKT1": False}


def test_a_denied_response_keeps_its_direction_under_the_scorer(full_extractor):
    text = (
        "A biopsy showed an IDH1 mutation, R132H. The patient received a mutant IDH1 "
        "inhibitor (AG-120), but with no response."
    )
    found = {(t.gene, t.drug, t.relation) for t in full_extractor.triples([Document("d1", text)])}
    assert ("IDH1", "ivosidenib", "resistance") in found
    assert ("IDH1", "ivosidenib", "sensitivity") not in found


@pytest.mark.parametrize(
    ("group", "relation"),
    [
        ("None of the 7 patients with HER2 amplified tumours", "resistance"),
        ("None of the seven patients with HER2-negative tumours", "sensitivity"),
    ],
)
def test_none_of_the_patients_denies_their_response(extractor, group, relation):
    text = f"{group} responded to trastuzumab."
    analysis = analyse(
        text, ("HER2", "GENE", "ERBB2", "HGNC:3430"), ("trastuzumab", "CHEMICAL", "trastuzumab", "")
    )
    assert {t.relation for t in extractor.extract(analysis)} == {relation}


@pytest.mark.parametrize(
    ("finding", "negated"),
    [
        ("Responses were comparable for patients with ABL1 mutation versus without.", True),
        ("There was no difference between ABL1-mutant and wild-type patients.", True),
        ("Responses were similar in patients with ABL1 mutation.", False),  # no comparison
        ("Responses were longer for patients with ABL1 mutation than without.", False),
        ("PFS was alike in ABL1 mutation-positive and -negative patients.", False),
        ("There was no difference between ABL1 mutation-positive and -negative patients.", True),
        ("ABL1 mutation had no impact on PFS or OS.", True),
        ("No predictive biomarkers were identified, including ABL1 mutations.", True),
        ("There was no correlation between ABL1 status and response.", True),
        ("There was a correlation between ABL1 status and response.", False),
    ],
)
def test_a_factor_that_makes_no_difference_negates_the_pair_across_sentences(
    extractor, finding, negated
):
    from litmine.relations.rules import find_candidates

    text = f"Imatinib-resistant patients were treated with bosutinib. {finding}"
    analysis = analyse(
        text,
        ("bosutinib", "CHEMICAL", "bosutinib", ""),
        ("ABL1", "GENE", "ABL1", "HGNC:76"),
    )
    pairs = [c.triple for c in find_candidates(analysis) if c.triple.drug == "bosutinib"]
    assert pairs and all(t.negated is negated for t in pairs)


def test_a_regression_analysis_is_no_outcome():
    from litmine.relations.rules import text_cues

    assert text_cues("A logistic regression model of KRAS and cetuximab.") == ()


def test_a_cue_that_describes_the_population_is_marked():
    from litmine.relations.rules import POPULATION_DESCRIPTOR, find_candidates

    text = "In trastuzumab-resistant HER2 cell lines, lapatinib restored sensitivity."
    analysis = analyse(
        text,
        ("trastuzumab", "CHEMICAL", "trastuzumab", ""),
        ("HER2", "GENE", "ERBB2", "HGNC:3430"),
        ("lapatinib", "CHEMICAL", "lapatinib", ""),
    )
    rules = {c.triple.drug: c.rule for c in find_candidates(analysis)}
    assert rules["trastuzumab"].endswith(POPULATION_DESCRIPTOR)
    assert not rules["lapatinib"].endswith(POPULATION_DESCRIPTOR)


@pytest.mark.parametrize(
    ("text", "fusion", "gene_id"),
    [
        # a known driver at either end gives its id; otherwise the 3' partner does
        ("Cells with the FGFR2-AHCYL1 fusion were sensitive to erdafitinib.", "FGFR2::AHCYL1", 1),
        ("A patient with an ETV6-NTRK3 rearrangement responded to erdafitinib.", "ETV6::NTRK3", 2),
        ("A patient with a GENEA-GENEB fusion responded to erdafitinib.", "GENEA::GENEB", 2),
    ],
)
def test_two_genes_joined_as_a_fusion_are_one_gene_with_the_drivers_id(
    extractor, text, fusion, gene_id
):
    first, second = fusion.split("::")
    analysis = analyse(
        text,
        (first, "GENE", first, "HGNC:1"),
        (second, "GENE", second, "HGNC:2"),
        ("erdafitinib", "CHEMICAL", "erdafitinib", ""),
    )
    assert {(t.gene, t.gene_id) for t in extractor.extract(analysis)} == {
        (fusion, f"HGNC:{gene_id}")
    }


def test_two_genes_merely_hyphenated_stay_two(extractor):
    text = "EGFR-KRAS co-mutations were resistant to erlotinib."
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("erlotinib", "CHEMICAL", "erlotinib", ""),
    )
    assert {t.gene for t in extractor.extract(analysis)} == {"EGFR", "KRAS"}


def test_a_denied_outcome_in_another_sentence_sets_the_pairs_direction():
    from litmine.relations.rules import find_candidates

    text = "Patients with KRAS G13D were treated with cetuximab. None of 12 patients responded."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G13D", "VARIANT", "p.G13D", ""),
        ("cetuximab", "CHEMICAL", "cetuximab", ""),
    )
    assert {(c.rule, c.triple.relation) for c in find_candidates(analysis)} == {
        ("pair", "resistance")
    }


def pair_features_of(analysis):
    """(gene, drug) → the scorer's pair features of that candidate in ``analysis``."""
    from litmine.relations.rules import find_candidates
    from litmine.relations.scoring import DocumentContext

    candidates = find_candidates(analysis)
    context = DocumentContext(analysis, candidates)
    return {(c.triple.gene, c.triple.drug): context.pair_features(c) for c in candidates}


def test_pair_features_name_the_genes_and_drugs_vocabularies():
    text = "KRAS G12D and Tryptase cells were resistant to imatinib in methylcellulose."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
        ("Tryptase", "GENE", "Tryptase", ""),
        ("imatinib", "CHEMICAL", "imatinib", "DrugBank:DB00619"),
        ("methylcellulose", "CHEMICAL", "methylcellulose", "MESH:D008747"),
    )
    features = pair_features_of(analysis)
    assert features["KRAS", "imatinib"]["drug_vocabulary=DrugBank"] == 1.0
    assert features["KRAS", "methylcellulose"]["drug_vocabulary=MESH"] == 1.0
    assert features["KRAS", "imatinib"]["gene_no_symbol"] == 0.0
    assert features["Tryptase", "imatinib"]["gene_no_symbol"] == 1.0
    assert features["KRAS", "imatinib"]["gpost=g12d"] == 1.0  # the words around the gene
    assert features["Tryptase", "imatinib"]["gpre=and"] == 1.0


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("Clozapine lowered insulin sensitivity in carriers of the TCF7L2 variant.", []),
        ("Olanzapine users with the FTO allele had more insulin resistance.", []),
        ("The assay detected EGFR T790M with a sensitivity and specificity of 90%.", []),
        ("Mice were given morphine before the thermal sensitivity test.", []),
        ("A sensitivity analysis confirmed the benefit of erlotinib.", ["benefit"]),
        ("Clozapine-treated groups had impaired glucose effectiveness.", []),
        ("EGFR T790M confers resistance to gefitinib.", ["resistance"]),
        ("Natalizumab in relapsing-remitting multiple sclerosis.", []),
        ("Patients relapsing on ibrutinib carried BTK C481S.", ["relapsing on"]),
        # a failure is a drug's only: "imatinib failure", "failure of TKIs", not the heart's
        ("In CML with imatinib failure, T315I was frequent.", ["failure"]),
        ("After failure of TKIs, T315I was frequent.", ["failure"]),
        ("Patients with heart failure responded to carvedilol.", ["responded"]),
    ],
)
def test_resistance_and_sensitivity_of_the_body_or_of_a_test_are_no_cues(text, cues):
    from litmine.relations.rules import text_cues

    assert [cue.words for cue in text_cues(text)] == cues


@pytest.mark.parametrize(
    ("surface", "name", "id_"),
    [
        ("lactate", "lactic acid", "DrugBank:DB14475"),
        ("carbohydrate", "carbohydrate", "MESH:D002241"),
        ("Ca2+", "Ca2+", ""),
        ("phosphatidylcholine", "phosphatidylcholines", "MESH:D010713"),
    ],
)
def test_a_metabolite_the_body_makes_is_not_a_drug(extractor, surface, name, id_):
    text = f"KRAS G12D cells showed increased {surface} uptake and resistance to cisplatin."
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("G12D", "VARIANT", "p.G12D", ""),
        (surface, "CHEMICAL", name, id_),
        ("cisplatin", "CHEMICAL", "cisplatin", "DrugBank:DB00515"),
    )
    assert {t.drug for t in extractor.extract(analysis)} == {"cisplatin"}


@pytest.mark.parametrize(
    ("harm", "kept"),
    [
        ("cisplatin-induced nephrotoxicity", False),
        ("cisplatin nephrotoxicity", False),
        ("cisplatin-induced acute kidney injury", False),
        ("cisplatin-induced neutropenia", False),
        ("cisplatin-induced apoptosis", True),
        ("cisplatin-induced DNA damage", True),
    ],
)
def test_a_drug_named_as_the_cause_of_a_harm_is_no_treatment(extractor, harm, kept):
    text = f"Loss of GSTP1 sensitized mice to {harm}."
    analysis = analyse(
        text,
        ("GSTP1", "GENE", "GSTP1", "HGNC:4638"),
        ("cisplatin", "CHEMICAL", "cisplatin", "DrugBank:DB00515"),
    )
    triples = extractor.extract(analysis)
    assert bool(triples) is kept
    assert all(t.relation == "sensitivity" for t in triples)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Loss of SGK1 sensitized rats to doxorubicin-induced nephrotic syndrome.", False),
        ("Loss of SGK1 sensitized rats to doxorubicin in the nephrotic syndrome.", True),
        ("Loss of SGK1 sensitized rats in the doxorubicin rat model.", False),
        ("SGK1 loss sensitized doxorubicin-resistant model tumours to doxorubicin.", True),
    ],
)
def test_a_drug_that_makes_a_disease_or_its_model_is_no_treatment(extractor, text, kept):
    entities = [
        ("SGK1", "GENE", "SGK1", "HGNC:10810"),
        ("doxorubicin", "CHEMICAL", "doxorubicin", "DrugBank:DB00997"),
    ]
    if "nephrotic syndrome" in text:
        entities.append(("nephrotic syndrome", "DISEASE", "nephrotic syndrome", "MESH:D009404"))
    if text.count("doxorubicin") == 2:
        entities.append(("doxorubicin", "CHEMICAL", "doxorubicin", "DrugBank:DB00997"))
    entities.sort(key=lambda e: text.index(e[0]))
    assert bool(extractor.extract(analyse(text, *entities))) is kept


@pytest.mark.parametrize(
    ("text", "drugs"),
    [
        (
            "TP53 knockdown with a doxycycline-inducible shRNA conferred resistance to cisplatin.",
            {"cisplatin"},
        ),
        (
            "TP53 loss conferred resistance to doxycycline and cisplatin.",
            {"doxycycline", "cisplatin"},
        ),
        (
            "TP53 loss abolished cisplatin-induced expression of p21 and conferred resistance "
            "after doxycycline-induced knockdown.",
            {"cisplatin"},
        ),
        ("Cre recombination with doxycycline deleted TP53, conferring resistance.", set()),
        # "recombination" alone is no recombinase: homologous recombination is biology
        (
            "TP53 loss impaired homologous recombination and conferred resistance to cisplatin.",
            {"cisplatin"},
        ),
        ("TP53 G245S cells were selected with puromycin and were resistant.", set()),
    ],
)
def test_a_drug_that_switches_an_engineered_gene_is_no_treatment(extractor, text, drugs):
    entities = [("TP53", "GENE", "TP53", "HGNC:11998")]
    entities += [
        (name, "CHEMICAL", name, id_)
        for name, id_ in (
            ("doxycycline", "DrugBank:DB00254"),
            ("cisplatin", "DrugBank:DB00515"),
            ("puromycin", "DrugBank:DB08437"),
        )
        if name in text
    ]
    entities.sort(key=lambda e: text.index(e[0]))
    assert {t.drug for t in extractor.extract(analyse(text, *entities))} == drugs


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        # what is lost is the cue's subject
        ("Loss of GSTP1 sensitized cells to cisplatin.", "sensitivity"),
        ("Tumours with absence of wild-type EGFR are sensitive to gefitinib.", "sensitivity"),
        # what is lost is the sensitivity
        ("EGFR T790M caused loss of sensitivity to gefitinib.", "resistance"),
        ("EGFR T790M showed lack of clinical response to gefitinib.", "resistance"),
    ],
)
def test_a_lost_subject_does_not_deny_the_cue(text, relation):
    from litmine.relations.rules import find_candidates

    entities = [("gefitinib", "CHEMICAL", "gefitinib", "")]
    if "GSTP1" in text:
        entities = [
            ("GSTP1", "GENE", "GSTP1", "HGNC:4638"),
            ("cisplatin", "CHEMICAL", "cisplatin", ""),
        ]
    else:
        entities.insert(0, ("EGFR", "GENE", "EGFR", "HGNC:3236"))
    candidates = find_candidates(analyse(text, *entities))
    assert candidates and {c.triple.relation for c in candidates} == {relation}


def test_a_sentence_read_alone_weighs_only_its_own_cues_for_the_direction():
    """The document's cue balance (two resistance findings) must not decide the direction of
    a sentence read alone for its own claim (one sensitivity cue)."""
    import math

    from litmine.relations.rules import find_candidates
    from litmine.relations.scoring import DocumentContext

    text = (
        "FLT3 D835Y conferred resistance to gilteritinib. Resistance to sorafenib was common. "
        "IDH1 mutations were associated with higher response rates to venetoclax."
    )
    analysis = analyse(
        text,
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("D835Y", "VARIANT", "p.D835Y", ""),
        ("gilteritinib", "CHEMICAL", "gilteritinib", ""),
        ("sorafenib", "CHEMICAL", "sorafenib", ""),
        ("IDH1", "GENE", "IDH1", "HGNC:5382"),
        ("venetoclax", "CHEMICAL", "venetoclax", ""),
    )
    candidates = find_candidates(analysis)
    whole = DocumentContext(analysis, candidates)
    assert whole.polarity_context["doc_res_log"] == math.log1p(2)
    last = analysis.sentences[-1]
    alone = DocumentContext.of_sentence(analysis, last, candidates)
    assert alone.polarity_context["doc_res_log"] == 0.0
    assert alone.polarity_context["doc_sen_log"] == math.log1p(1)
    assert "dc=resistance" not in alone.polarity_context


def test_the_documents_first_drug_and_the_sentences_word_order_are_separate_features():
    """Both were once named "drug_first": the word order silently overwrote the document's."""
    text = "Patients received erlotinib. Imatinib resistance was seen in KIT D816V cells."
    analysis = analyse(
        text,
        ("erlotinib", "CHEMICAL", "erlotinib", "DrugBank:DB00530"),
        ("Imatinib", "CHEMICAL", "imatinib", "DrugBank:DB00619"),
        ("KIT", "GENE", "KIT", "HGNC:6342"),
        ("D816V", "VARIANT", "p.D816V", ""),
    )
    features = pair_features_of(analysis)["KIT", "imatinib"]
    assert features["drug_first"] == 0.0  # erlotinib is the document's first drug
    assert features["drug_before_factor"] == 1.0  # imatinib precedes KIT in its sentence


@pytest.mark.parametrize(
    ("phrase", "alteration"),
    [
        ("EGFR gene copy number", "copy number gain"),
        ("EGFR copy-number gain", "copy number gain"),
        ("EGFR amplification", "amplification"),
    ],
)
def test_a_copy_number_gain_is_the_genes_alteration(extractor, phrase, alteration):
    text = f"{phrase} predicted response to cetuximab."
    analysis = analyse(
        text, ("EGFR", "GENE", "EGFR", "HGNC:3236"), ("cetuximab", "CHEMICAL", "cetuximab", "")
    )
    assert {t.variant for t in extractor.extract(analysis)} == {alteration}


def test_calibration_rescales_the_confidence_and_survives_a_round_trip(tmp_path):
    from litmine.relations.scoring import LinearModel, RelationModel

    plain = RelationModel(LinearModel({}, 0.0), LinearModel({}, 0.0), 0.5, {})
    assert plain.calibrated(0.83) == 0.83  # no calibration fitted: the raw confidence
    model = RelationModel(
        LinearModel({}, 0.0), LinearModel({}, 0.0), 0.5, {}, calibration=(0.5, -0.2)
    )
    values = [model.calibrated(c) for c in (0.1, 0.5, 0.9, 0.99)]
    assert values == sorted(values)  # monotone: the ranking of triples stays
    assert model.calibrated(0.9) < 0.9  # a slope under 1 pulls confidence toward the middle
    path = tmp_path / "model.json"
    model.save(path)
    assert RelationModel.load(path).calibration == (0.5, -0.2)


def test_an_umbrella_class_takes_the_most_specific_class_of_its_target():
    umbrella = DrugClassInfo("tyrosine kinase inhibitors", ("gefitinib",), umbrella=True)
    broad = DrugClassInfo("egfr inhibitors", ("gefitinib", "cetuximab"), targets=("EGFR",))
    tkis = DrugClassInfo("egfr tkis", ("gefitinib",), targets=("EGFR",))
    for order in ((broad, tkis), (tkis, broad)):
        extractor = RelationExtractor({c.name: c for c in (umbrella, *order)})
        text = "EGFR L858R predicted response to TKIs."
        analysis = analyse(
            text,
            ("EGFR", "GENE", "EGFR", "HGNC:3236"),
            ("L858R", "VARIANT", "p.L858R", ""),
            ("TKIs", "CHEMICAL", umbrella.name, "class:tki"),
        )
        inferred = {t.drug for t in extractor.extract(analysis) if t.inferred_from_class}
        assert inferred == {"gefitinib"}  # not the antibody of the broader class


def test_the_shipped_classes_keep_antibodies_out_of_the_egfr_tkis(full_extractor):
    members = full_extractor.class_members
    assert "cetuximab" not in members["egfr tkis"]
    assert {"cetuximab", "panitumumab"} <= set(members["anti-egfr antibodies"])


def test_an_akt_mutation_is_an_akt1_mutation(extractor):
    text = "A cell line with AKT E17K mutation was sensitive to capivasertib."
    analysis = analyse(
        text,
        ("AKT", "GENE", "AKT", "FPLX:AKT"),
        ("E17K", "VARIANT", "p.E17K", ""),
        ("capivasertib", "CHEMICAL", "capivasertib", ""),
    )
    assert {(t.gene, t.gene_id) for t in extractor.extract(analysis)} == {("AKT1", "HGNC:391")}


@pytest.mark.parametrize(
    ("cue", "other", "relation"),
    [("resistance", "sensitivity", "resistance"), ("sensitivity", "resistance", "sensitivity")],
)
def test_a_cue_governs_its_drug_across_the_factor(extractor, cue, other, relation):
    text = f"Data show {cue} of exon 4 mutations, such as A146T, to cetuximab and {other} to X-1."
    analysis = analyse(
        text, ("A146T", "VARIANT", "p.A146T", ""), ("cetuximab", "CHEMICAL", "cetuximab", "")
    )
    assert {t.relation for t in extractor.extract(analysis)} == {relation}


def test_a_gene_pair_the_text_calls_a_fusion_elsewhere_is_that_fusion(extractor):
    text = "A tumour had the CD74-ROS1 fusion. CD74-ROS1 G2032R cells resisted crizotinib."
    analysis = analyse(
        text,
        ("CD74", "GENE", "CD74", "HGNC:1697"),
        ("ROS1", "GENE", "ROS1", "HGNC:10261"),
        ("CD74", "GENE", "CD74", "HGNC:1697"),
        ("ROS1", "GENE", "ROS1", "HGNC:10261"),
        ("G2032R", "VARIANT", "p.G2032R", ""),
        ("crizotinib", "CHEMICAL", "crizotinib", ""),
    )
    genes = {t.gene for t in extractor.extract(analysis) if t.variant == "p.G2032R"}
    assert genes == {"CD74::ROS1"}


def test_a_document_keeps_one_direction_per_factor_and_drug() -> None:
    from litmine.relations import _one_direction_per_claim

    def triple(relation: str, confidence: float, **kw: object) -> Triple:
        base = dict(doc_id="d", gene="KRAS", gene_id="HGNC:6407", variant="p.G12D")
        base |= dict(drug="cetuximab", relation=relation, negated=False, disease="")
        base |= dict(mechanism="", confidence=confidence, sentence="s")
        return Triple(**(base | kw))  # type: ignore[arg-type]

    resistant = triple("resistance", 0.8)
    weaker = triple("sensitivity", 0.4)
    other_variant = triple("sensitivity", 0.5, variant="p.G13D")
    denied = triple("sensitivity", 0.3, negated=True)
    assert _one_direction_per_claim([resistant, weaker, other_variant, denied]) == [
        resistant,
        other_variant,
        denied,
    ]
    # a bare gene against its own variant's opposite direction is the comparison group
    bare = triple("sensitivity", 0.9, variant="")
    assert _one_direction_per_claim([bare, resistant]) == [resistant]
    # members inferred from a class follow their class triple
    cls = triple("sensitivity", 0.3, drug="egfr inhibitors", drug_class="egfr inhibitors")
    member = triple("sensitivity", 0.24, drug="panitumumab", drug_class="egfr inhibitors")
    member = dataclasses.replace(member, inferred_from_class=True)
    stronger = triple("resistance", 0.9, drug="egfr inhibitors", drug_class="egfr inhibitors")
    assert _one_direction_per_claim([cls, member, stronger]) == [stronger]


def test_a_variant_recalled_as_known_is_not_the_finding(full_extractor):
    from litmine.types import Document

    text = (
        "A cell line expressing BRAF V600E mutation (a known vemurafenib sensitizing "
        "mutation) and overexpressing AKT1 E17K mutation was associated with resistance to "
        "vemurafenib."
    )
    found = {(t.gene, t.drug, t.relation) for t in full_extractor.triples([Document("k", text)])}
    assert ("AKT1", "vemurafenib", "resistance") in found
    assert ("BRAF", "vemurafenib", "sensitivity") not in found


def test_the_variant_named_as_the_comparison_is_not_the_subject(extractor):
    text = (
        "Cells with EGFR S768I showed reduced sensitivity to erlotinib, compared to cells "
        "with EGFR L858R."
    )
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("S768I", "VARIANT", "p.S768I", ""),
        ("erlotinib", "CHEMICAL", "erlotinib", ""),
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("L858R", "VARIANT", "p.L858R", ""),
    )
    found = {(t.variant, t.relation) for t in extractor.extract(analysis)}
    assert found == {("p.S768I", "resistance")}


def test_a_variant_the_fusion_contains_belongs_to_the_fusion(full_extractor):
    from litmine.types import Document

    text = (
        "Ba/F3 cells expressing the RANBP2-ALK fusion containing an F1174L mutation were more "
        "resistant to crizotinib than cells expressing RANBP2-ALK without this mutation."
    )
    found = {(t.gene, t.gene_id, t.variant) for t in full_extractor.triples([Document("f", text)])}
    assert ("RANBP2::ALK", "HGNC:427", "p.F1174L") in found


def test_a_variant_after_several_genes_takes_the_mutant_one(extractor):
    text = (
        "HER2 overexpressing cell lines with PIK3CA mutation BT474c (K111N) were sensitive "
        "to AZD5363."
    )
    analysis = analyse(
        text,
        ("HER2", "GENE", "ERBB2", "HGNC:3430"),
        ("PIK3CA", "GENE", "PIK3CA", "HGNC:8975"),
        ("K111N", "VARIANT", "p.K111N", ""),
        ("AZD5363", "CHEMICAL", "capivasertib", ""),
    )
    found = {(t.gene, t.variant) for t in extractor.extract(analysis) if t.variant.startswith("p.")}
    assert found == {("PIK3CA", "p.K111N")}


@pytest.mark.parametrize(
    ("text", "altered"),
    [
        ("IDH1 and IDH2 mutations predicted response to venetoclax.", {"IDH1", "IDH2"}),
        ("IDH1/2 mutations predicted response to venetoclax.", {"IDH1"}),
        (
            "KRAS, NRAS or BRAF mutations predicted resistance to venetoclax.",
            {"KRAS", "NRAS", "BRAF"},
        ),
        # a list the text denies is no list of alterations
        ("Tumours without KRAS or BRAF mutations responded to venetoclax.", {"BRAF"}),
        ("IKZF1-deleted cells remained sensitive to venetoclax.", {"IKZF1"}),
    ],
)
def test_genes_listed_before_an_alteration_share_it(text, altered):
    from litmine.relations.rules import find_candidates

    genes = [g for g in ("IDH1", "IDH2", "KRAS", "NRAS", "BRAF", "IKZF1") if g in text]
    entities = [(g, "GENE", g, "") for g in genes]
    analysis = analyse(text, *entities, ("venetoclax", "CHEMICAL", "venetoclax", ""))
    kinds = {c.triple.gene: c.anchor_kind for c in find_candidates(analysis)}
    assert {gene for gene, kind in kinds.items() if kind == "alteration"} == altered


@pytest.mark.parametrize(
    "text",
    [
        # a panel of tests the case was negative for rules every listed gene out
        "The tumour tested negative for EGFR, KRAS and PIK3CA mutations and ALK and ROS1 "
        "rearrangements. MET amplification was found. Crizotinib led to a partial response.",
        "A patient with EGFR, KRAS, PIK3CA, ALK and ROS1 negative adenocarcinoma. MET "
        "amplification was found. Crizotinib led to a partial response.",
    ],
)
def test_genes_a_case_was_negative_for_are_not_its_alterations(text):
    from litmine.relations.rules import find_candidates

    genes = ("EGFR", "KRAS", "PIK3CA", "ALK", "ROS1", "MET")
    analysis = analyse(
        text, *[(g, "GENE", g, "") for g in genes], ("Crizotinib", "CHEMICAL", "crizotinib", "")
    )
    kinds = {c.triple.gene: c.anchor_kind for c in find_candidates(analysis)}
    assert {gene for gene, kind in kinds.items() if kind == "alteration"} == {"MET"}


def test_a_denied_list_in_a_sentence_with_an_outcome_reverses_the_outcome():
    from litmine.relations.rules import find_candidates

    text = "Patients without KRAS mutations benefited from cetuximab."
    analysis = analyse(
        text, ("KRAS", "GENE", "KRAS", ""), ("cetuximab", "CHEMICAL", "cetuximab", "")
    )
    found = {(c.triple.variant, c.triple.relation) for c in find_candidates(analysis)}
    assert found == {("mutation", "resistance")}


def test_a_denied_factor_does_not_turn_the_others_response_into_resistance(extractor):
    text = "BRAF V600E melanoma with no NRAS mutation responded to vemurafenib."
    analysis = analyse(
        text,
        ("BRAF", "GENE", "BRAF", "HGNC:1097"),
        ("V600E", "VARIANT", "p.V600E", ""),
        ("NRAS", "GENE", "NRAS", "HGNC:7989"),
        ("vemurafenib", "CHEMICAL", "vemurafenib", ""),
    )
    found = {(t.gene, t.relation, t.negated) for t in extractor.extract(analysis)}
    assert ("BRAF", "sensitivity", False) in found
    assert ("BRAF", "resistance", False) not in found
    assert ("NRAS", "resistance", False) in found  # its absence went with the response


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Cells lacking PTEN were resistant to gefitinib.", "resistance"),
        ("Cells without PTEN were resistant to gefitinib.", "resistance"),
        ("Cells lacking PTEN expression were resistant to gefitinib.", "resistance"),
        # the denial nearest the cue decides: "not" denies the response
        ("Cells without PTEN did not respond to gefitinib.", "resistance"),
        ("Cells lacking PTEN remained sensitive to gefitinib.", "sensitivity"),
    ],
)
def test_a_gene_the_cells_lack_is_its_loss(extractor, text, relation):
    analysis = analyse(
        text, ("PTEN", "GENE", "PTEN", "HGNC:9588"), ("gefitinib", "CHEMICAL", "gefitinib", "")
    )
    found = {(t.variant, t.relation, t.negated) for t in extractor.extract(analysis)}
    assert found == {("loss", relation, False)}


def test_chemotherapy_is_the_backbone_of_the_drugs_it_is_given_with(extractor):
    from litmine.types import UNNAMED_CHEMOTHERAPY_ID

    text = (
        "HER2-amplified tumours responded to chemotherapy plus trastuzumab. "
        "TP53 mutations conferred resistance to chemotherapy."
    )
    analysis = analyse(
        text,
        ("HER2", "GENE", "ERBB2", "HGNC:3430"),
        ("chemotherapy", "CHEMICAL", "chemotherapy", UNNAMED_CHEMOTHERAPY_ID),
        ("trastuzumab", "CHEMICAL", "trastuzumab", ""),
        ("TP53", "GENE", "TP53", "HGNC:11998"),
        ("chemotherapy", "CHEMICAL", "chemotherapy", UNNAMED_CHEMOTHERAPY_ID),
    )
    found = {(t.gene, t.drug, t.relation) for t in extractor.extract(analysis) if not t.negated}
    assert ("ERBB2", "trastuzumab", "sensitivity") in found
    assert not any("chemotherapy" in drug for gene, drug, _ in found if gene == "ERBB2")
    assert ("TP53", "chemotherapy", "resistance") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Cells with T315I responded to ponatinib but not to dasatinib or nilotinib.",
            {
                ("ponatinib", "sensitivity", False),
                ("dasatinib", "resistance", False),
                ("nilotinib", "resistance", False),
            },
        ),
        (
            "Cells with T315I were resistant to dasatinib but not to ponatinib.",
            {("dasatinib", "resistance", False), ("ponatinib", "resistance", True)},
        ),
    ],
)
def test_a_contrast_denies_the_cue_for_the_drugs_after_it(extractor, text, expected):
    analysis = analyse(
        text,
        ("T315I", "VARIANT", "p.T315I", ""),
        *[(d, "CHEMICAL", d, "") for d in ("ponatinib", "dasatinib", "nilotinib") if d in text],
    )
    assert {(t.drug, t.relation, t.negated) for t in extractor.extract(analysis)} == expected


def test_a_change_acquired_on_the_drug_is_a_subject_of_the_resistance(extractor):
    text = "Patients with FLT3-ITD AML relapsing on sorafenib acquired D835Y mutations."
    analysis = analyse(
        text,
        ("FLT3", "GENE", "FLT3", "HGNC:3765"),
        ("ITD", "VARIANT", "ITD", ""),
        ("sorafenib", "CHEMICAL", "sorafenib", ""),
        ("D835Y", "VARIANT", "p.D835Y", ""),
    )
    found = {(t.variant, t.relation) for t in extractor.extract(analysis) if not t.negated}
    assert ("p.D835Y", "resistance") in found


def test_a_drug_named_twice_in_a_sentence_takes_the_subject_of_its_own_cue():
    from litmine.relations.rules import find_candidates

    text = (
        "TP53-mutated AML showed poor responses to venetoclax, and loss-of-function "
        "mutations in BAX conferred resistance to venetoclax in vitro."
    )
    analysis = analyse(
        text,
        ("TP53", "GENE", "TP53", "HGNC:11998"),
        ("venetoclax", "CHEMICAL", "venetoclax", ""),
        ("BAX", "GENE", "BAX", "HGNC:959"),
        ("venetoclax", "CHEMICAL", "venetoclax", ""),
    )
    cues = {(c.triple.gene, c.cue_start) for c in find_candidates(analysis)}
    assert cues == {
        ("TP53", text.index("poor responses")),
        ("BAX", text.index("resistance to venetoclax")),
    }


def test_genes_of_two_cues_on_one_drug_are_not_rivals():
    from litmine.relations import _rival_floors
    from litmine.relations.rules import Candidate

    def candidate(gene: str, cue_start: int) -> Candidate:
        triple = Triple(
            "d",
            gene,
            "",
            "mutation",
            "venetoclax",
            "resistance",
            False,
            "",
            "",
            0.9,
            "s",
            sentence_start=0,
        )
        return Candidate(
            triple, "cue before drug", "alteration", False, False, False, cue_start=cue_start
        )

    floors = _rival_floors(
        {
            0: (candidate("TP53", 10), 0.9),
            1: (candidate("BAX", 60), 0.4),
            2: (candidate("NRAS", 60), 0.2),
        }
    )
    assert floors[1] == pytest.approx(0.8 * 0.4)  # BAX answers to its own cue's best gene
    assert floors[2] == pytest.approx(0.8 * 0.4)  # NRAS is BAX's rival, not TP53's


@pytest.mark.parametrize(
    "no_difference",
    [
        "EGFR expression had no impact on survival.",
        "EGFR expression did not show prognostic significance, in terms of response or survival.",
    ],
)
def test_a_gene_any_of_whose_sentences_says_it_makes_no_difference_is_negated(no_difference):
    from litmine.relations.rules import find_candidates

    text = (
        "Patients treated with cetuximab were analysed for EGFR amplification and AREG "
        "expression. High AREG expression predicted poor response. " + no_difference
    )
    analysis = analyse(
        text,
        ("cetuximab", "CHEMICAL", "cetuximab", ""),
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("AREG", "GENE", "AREG", "HGNC:651"),
        ("AREG", "GENE", "AREG", "HGNC:651"),
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
    )
    negated = {c.triple.gene: c.triple.negated for c in find_candidates(analysis)}
    assert negated == {"EGFR": True, "AREG": False}


def test_a_text_without_outcome_negates_the_genes_it_says_predict_nothing():
    from litmine.relations.rules import find_candidates

    text = (
        "Patients treated with temsirolimus were retrospectively analyzed. No predictive "
        "biomarkers were identified, including PIK3CA mutations. Tumours had KRAS mutations."
    )
    analysis = analyse(
        text,
        ("temsirolimus", "CHEMICAL", "temsirolimus", ""),
        ("PIK3CA", "GENE", "PIK3CA", "HGNC:8975"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
    )
    found = {(c.triple.gene, c.triple.drug, c.triple.negated) for c in find_candidates(analysis)}
    assert found == {("PIK3CA", "temsirolimus", True)}


def test_a_gene_and_a_drug_that_each_state_their_own_claim_are_not_paired(full_extractor):
    text = (
        "FLT3 D835Y confers resistance to quizartinib. KIT mutations did not respond to "
        "imatinib. FLT3-ITD confers resistance to sorafenib."
    )
    found = {(t.gene, t.drug) for t in full_extractor.triples([Document("d", text)])}
    assert {("FLT3", "quizartinib"), ("KIT", "imatinib"), ("FLT3", "sorafenib")} <= found
    assert ("FLT3", "imatinib") not in found


def test_a_drug_whose_clause_states_its_own_claim_is_not_paired_across_sentences(
    full_extractor,
):
    """The BCL2 sentence claims venetoclax in its clause ("In patients treated with
    venetoclax, the BCL2 G101V mutation ... conferred resistance"), not by a cue right
    before the drug: BTK C481S, a claim of its own sentence, is not venetoclax's."""
    text = (
        "Acquired resistance to ibrutinib in chronic lymphocytic leukemia (CLL) is most often "
        "caused by the BTK C481S mutation, which abolishes covalent binding of the drug. "
        "Gain-of-function mutations in PLCG2 (R665W, L845F) were also found in patients "
        "progressing on ibrutinib. Non-covalent BTK inhibitors such as pirtobrutinib retain "
        "activity against C481S-mutant BTK. In patients treated with venetoclax, the BCL2 "
        "G101V mutation reduced the affinity of venetoclax for BCL2 by approximately 180-fold "
        "and conferred resistance. Patients with del(17p) or TP53 mutations had shorter "
        "progression-free survival on chemoimmunotherapy but responded to ibrutinib."
    )
    found = {(t.gene, t.drug) for t in full_extractor.triples([Document("d", text)])}
    assert ("BTK", "ibrutinib") in found
    assert ("BTK", "venetoclax") not in found


def test_a_claim_about_the_drug_is_a_claim_about_the_drug_named_before(full_extractor):
    text = (
        "Imatinib was given to 40 patients with chronic myeloid leukemia. Patients with the "
        "T315I mutation in ABL1 did not respond to the drug."
    )
    found = {
        (t.gene, t.variant, t.drug, t.relation, t.negated)
        for t in full_extractor.triples([Document("d", text)])
    }
    assert found == {("ABL1", "p.T315I", "imatinib", "resistance", False)}


@pytest.mark.parametrize(
    ("text", "gene", "gene_id"),
    [
        ("The T315I mutation confers resistance to imatinib.", "ABL1", "HGNC:76"),
        ("GIST with the D842V mutation is resistant to imatinib.", "PDGFRA", "HGNC:8803"),
        ("RAF V600E conferred resistance to cetuximab.", "BRAF", "HGNC:1097"),
    ],
)
def test_a_well_known_change_names_its_gene_on_its_own(full_extractor, text, gene, gene_id):
    [triple] = full_extractor.triples([Document("d", text)])
    assert (triple.gene, triple.gene_id) == (gene, gene_id)
    assert triple.gene_text in ("", "RAF")  # a gene family names its member


def test_a_change_two_genes_share_names_neither(tmp_path):
    from litmine.relations.hotspots import load_hotspots

    (tmp_path / "hotspots.yaml").write_text(
        "genes:\n  ABL1: [T315I, Q61R]\n  NRAS: [Q61R]\n", encoding="utf-8"
    )
    assert load_hotspots(tmp_path) == {"p.T315I": "ABL1"}
    assert load_hotspots(tmp_path / "missing") == {}


def test_respectively_pairs_each_gene_with_the_drug_in_its_place(extractor):
    from litmine.relations.rules import find_candidates

    text = (
        "EGFR and KRAS mutations predicted response to erlotinib and resistance to "
        "cetuximab, respectively. Response rates were 40% and 10%, respectively."
    )
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("erlotinib", "CHEMICAL", "erlotinib", "DrugBank:DB00530"),
        ("cetuximab", "CHEMICAL", "cetuximab", "DrugBank:DB00002"),
    )
    pairs = {(c.triple.gene, c.triple.drug) for c in find_candidates(analysis)}
    assert pairs == {("EGFR", "erlotinib"), ("KRAS", "cetuximab")}
    # the pairing binds its own sentence only: another sentence may claim KRAS-erlotinib
    text += " In a second cohort, KRAS mutations conferred resistance to erlotinib."
    analysis = analyse(
        text,
        ("EGFR", "GENE", "EGFR", "HGNC:3236"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("erlotinib", "CHEMICAL", "erlotinib", "DrugBank:DB00530"),
        ("cetuximab", "CHEMICAL", "cetuximab", "DrugBank:DB00002"),
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("erlotinib", "CHEMICAL", "erlotinib", "DrugBank:DB00530"),
    )
    later = text.index("In a second")
    assert ("KRAS", "erlotinib") in {
        (c.triple.gene, c.triple.drug)
        for c in find_candidates(analysis)
        if c.triple.sentence_start >= later
    }
    # where the counts differ, "respectively" pairs nothing
    text = (
        "KRAS and NRAS mutant patients had response rates to cetuximab of 10% and 40%, "
        "respectively."
    )
    analysis = analyse(
        text,
        ("KRAS", "GENE", "KRAS", "HGNC:6407"),
        ("NRAS", "GENE", "NRAS", "HGNC:7989"),
        ("cetuximab", "CHEMICAL", "cetuximab", "DrugBank:DB00002"),
    )
    assert {c.triple.gene for c in find_candidates(analysis)} == {"KRAS", "NRAS"}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("KIT(+) cells were resistant to imatinib.", False),
        ("KIT+ CD34+ cells were resistant to imatinib.", False),
        ("Sca-1+ KIT+ cells were resistant to imatinib.", False),
        ("KIT-positive cells were resistant to imatinib.", True),
        ("KIT+ GIST cells were resistant to imatinib.", True),
        ("KIT+ cells were resistant to imatinib.", True),  # one gene's status, like "HER2+"
    ],
)
def test_a_protein_that_names_a_cell_population_is_no_factor(extractor, text, kept):
    surface = "KIT"
    analysis = analyse(
        text,
        (surface, "GENE", "KIT", "HGNC:6342"),
        ("imatinib", "CHEMICAL", "imatinib", "DrugBank:DB00619"),
    )
    assert any(t.gene == "KIT" for t in extractor.extract(analysis)) is kept


def test_a_wild_type_gene_keeps_its_status_unless_the_text_names_it_altered(extractor):
    from litmine.relations.rules import find_candidates

    def variants(text: str, *entities: tuple[str, str, str, str]) -> set[tuple[str, str]]:
        return {
            (c.triple.gene, c.triple.variant) for c in find_candidates(analyse(text, *entities))
        }

    kras = ("KRAS", "GENE", "KRAS", "HGNC:6407")
    cetuximab = ("cetuximab", "CHEMICAL", "cetuximab", "DrugBank:DB00002")
    # before or after the gene, the status is the claim's subject, not KRAS itself
    text = "In patients with wild-type KRAS tumours, cetuximab improved overall survival."
    assert variants(text, kras, cetuximab) == {("KRAS", "wild type")}
    text = "Patients with KRAS wt tumours responded to cetuximab."
    assert variants(text, kras, cetuximab) == {("KRAS", "wild type")}
    # a text about the altered gene names its wild type as the comparison: the gene's claim
    egfr = ("EGFR", "GENE", "EGFR", "HGNC:3236")
    text = (
        "PC9 cells carry an activating EGFR mutation. PC9 cells showed increased sensitivity "
        "to gefitinib compared to cells with EGFR wild type."
    )
    found = variants(text, egfr, egfr, ("gefitinib", "CHEMICAL", "gefitinib", "DrugBank:DB00317"))
    assert ("EGFR", "wild type") not in found and ("EGFR", "") in found


def test_respectively_reads_each_drugs_direction_from_its_own_cue(full_extractor):
    from litmine.types import Document

    text = (
        "EGFR and KRAS mutations predicted response to erlotinib and resistance to "
        "cetuximab, respectively."
    )
    found = {(t.gene, t.drug, t.relation) for t in full_extractor.triples([Document("d", text)])}
    assert found == {("EGFR", "erlotinib", "sensitivity"), ("KRAS", "cetuximab", "resistance")}


def test_a_variant_named_as_an_aside_does_not_take_the_claim(extractor):
    from litmine.relations.rules import find_candidates

    nras = ("NRAS", "GENE", "NRAS", "HGNC:7989")
    braf = ("BRAF", "GENE", "BRAF", "HGNC:1097")
    vemurafenib = ("vemurafenib", "CHEMICAL", "vemurafenib", "DrugBank:DB08881")

    def shadowed(text: str, first, second) -> dict[str, bool]:  # noqa: ANN001
        analysis = analyse(
            text,
            first,
            (text.split()[1].rstrip(","), "VARIANT", "", ""),
            second,
            ("V600E", "VARIANT", "p.V600E", ""),
            vemurafenib,
        )
        return {c.triple.gene: c.shadowed for c in find_candidates(analysis)}

    text = (
        "NRAS Q61K, in addition to the BRAF V600E mutation, was associated with resistance "
        "to vemurafenib."
    )
    assert shadowed(text, nras, braf)["NRAS"] is False
    # a variant that stands between without an aside takes the claim
    akt1 = ("AKT1", "GENE", "AKT1", "HGNC:391")
    text = "AKT1 Q79K cells carrying BRAF V600E were resistant to vemurafenib."
    assert shadowed(text, akt1, braf)["AKT1"] is True
