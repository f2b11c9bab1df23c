"""Seed taxonomy: loading, mechanism assignment and reconciliation on hand-made triples."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from litmine.taxonomy import (
    Taxonomy,
    assign_mechanism,
    load_seed_claims,
    load_taxonomy,
    parse_refs,
    protein_changes,
    reconcile,
)
from litmine.types import Triple


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def triple(**kw: object) -> Triple:
    base: dict[str, object] = {
        "doc_id": "1",
        "gene": "",
        "gene_id": "",
        "variant": "",
        "drug": "",
        "relation": "resistance",
        "negated": False,
        "disease": "",
        "mechanism": "",
        "confidence": 0.9,
        "sentence": "",
    }
    base.update(kw)
    return Triple(**base)  # type: ignore[arg-type]


def test_taxonomy_loads_with_unique_ids_and_known_parents(taxonomy: Taxonomy) -> None:
    ids = list(taxonomy.nodes)
    assert len(ids) == len(set(ids)) >= 15
    for required in (
        "genetic.kinase_domain_mutation.gatekeeper",
        "genetic.kinase_domain_mutation.activation_loop",
        "genetic.clonal_evolution",
        "epigenetic.dna_methylation",
        "epigenetic.histone_modification",
        "epigenetic.chromatin_state",
        "microenvironment.adhesion",
        "microenvironment.soluble_factors",
        "microenvironment.hypoxia",
        "pharmacological",
    ):
        assert required in taxonomy.nodes
    for node in taxonomy.nodes.values():
        assert not node.parent or node.parent in taxonomy.nodes
        assert node.label and node.description
    assert {s.id for s in taxonomy.strategies.values()} >= {
        "next_generation_inhibitors",
        "hypomethylating_agents",
        "hdac_inhibitors",
        "cxcr4_antagonists",
        "combination_therapy",
    }


def test_duplicate_node_id_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("nodes:\n  - {id: a, label: A}\n  - {id: a, label: B}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_taxonomy(path)


def test_trigger_phrases_for_the_ner(taxonomy: Taxonomy) -> None:
    phrases = {p[0]: p for p in taxonomy.trigger_phrases()}
    assert phrases["CAM-DR"] == (
        "CAM-DR",
        "MECHANISM",
        "cell adhesion-mediated drug resistance",
        "microenvironment.adhesion",
    )
    assert phrases["hypermethylation"][3] == "epigenetic.dna_methylation"
    assert phrases["gatekeeper"][3] == "genetic.kinase_domain_mutation.gatekeeper"
    assert len(phrases) == len(taxonomy.trigger_phrases())  # no duplicate surfaces
    # the NER matches whole tokens: plurals are phrases of their own, abbreviations are not
    assert phrases["soluble factors"][3] == "microenvironment.soluble_factors"
    assert phrases["integrins"][3] == "microenvironment.adhesion"
    assert phrases["cytokines"][2] == "soluble factors"
    assert "CAM-DRs" not in phrases and "efflux pumps" in phrases


def test_seed_claims_refer_to_taxonomy_nodes(taxonomy: Taxonomy) -> None:
    claims = load_seed_claims()
    assert len(claims) >= 14
    assert all(c.mechanism in taxonomy.nodes for c in claims)
    by_id = {c.claim_id: c for c in claims}
    assert by_id["S03"].variant == "p.T315I" and by_id["S03"].drugs == ("ponatinib",)
    assert by_id["S01"].refs == (5, 6, 7, 8)
    assert by_id["S13"].refs == (9, 10)


def test_parse_refs_and_protein_changes() -> None:
    assert parse_refs("[5-8]") == (5, 6, 7, 8)
    assert parse_refs("9,10") == (9, 10)
    assert protein_changes("p.Thr315Ile") == [("T", 315, "I")]
    assert protein_changes("T315I/E255K") == [("T", 315, "I"), ("E", 255, "K")]
    assert protein_changes("D835") == [("D", 835, "")]
    assert protein_changes("ITD") == []


@pytest.mark.parametrize(
    ("fields", "node", "rule"),
    [
        (
            {"gene": "BCR::ABL1", "variant": "p.T315I", "drug": "imatinib"},
            "genetic.kinase_domain_mutation.gatekeeper",
            "variant rule: ABL1 T315 gatekeeper",
        ),
        (
            {"gene": "FLT3", "variant": "p.D835Y", "drug": "quizartinib"},
            "genetic.kinase_domain_mutation.activation_loop",
            "variant rule: FLT3 D835",
        ),
        (
            {"gene": "FLT3", "variant": "p.F691L", "drug": "gilteritinib"},
            "genetic.kinase_domain_mutation.gatekeeper",
            "variant rule: FLT3 F691",
        ),
        (  # two residues of one allele: a compound, whatever each alone would be
            {"gene": "ABL1", "variant": "p.T315I/p.E255V", "drug": "ponatinib"},
            "genetic.kinase_domain_mutation.compound",
            "variant rule: ABL1 compound",
        ),
        (  # two changes at one residue are alternatives, not a compound
            {"gene": "ABL1", "variant": "p.E255K/p.E255V", "drug": "imatinib"},
            "genetic.kinase_domain_mutation.p_loop",
            "variant rule: ABL1 G250-Y253/E255 P-loop",
        ),
        (
            {"factor": "compound mutation", "drug": "ponatinib"},
            "genetic.kinase_domain_mutation.compound",
            "trigger 'compound mutation' in factor",
        ),
        (
            {"gene": "ABL1", "variant": "p.Glu255Lys", "drug": "imatinib"},
            "genetic.kinase_domain_mutation.p_loop",
            "variant rule: ABL1 G250",
        ),
        (
            {"gene": "ABL1", "variant": "p.M351T", "drug": "imatinib"},
            "genetic.kinase_domain_mutation",
            "variant rule: ABL1 kinase domain",
        ),
        (  # the kinases targeted in solid tumours escape the same way
            {"gene": "EML4::ALK", "variant": "p.G1202R", "drug": "lorlatinib"},
            "genetic.kinase_domain_mutation.drug_contact",
            "variant rule: ALK G1202 solvent front",
        ),
        (
            {"gene": "CD74::ROS1", "variant": "p.L2026M", "drug": "crizotinib"},
            "genetic.kinase_domain_mutation.gatekeeper",
            "variant rule: ROS1 L2026 gatekeeper",
        ),
        (
            {"gene": "MET", "variant": "p.D1228N", "drug": "capmatinib"},
            "genetic.kinase_domain_mutation",
            "variant rule: MET kinase domain",
        ),
        (
            {
                "factor": "DNA methylation",
                "drug": "cytarabine",
                "sentence": "Altered DNA methylation was linked to cytarabine resistance in AML.",
            },
            "epigenetic.dna_methylation",
            "trigger 'DNA methylation' in factor",
        ),
        (
            {
                "drug": "cytarabine",
                "sentence": "DNA methylation of the promoter predicted resistance to cytarabine.",
            },
            "epigenetic.dna_methylation",
            "trigger 'DNA methylation' in sentence",
        ),
        (
            {"gene": "ABCB1", "drug": "daunorubicin"},
            "pharmacological.drug_efflux",
            "gene rule: ABCB1",
        ),
        (
            {"drug": "cytarabine", "sentence": "Stromal contact caused CAM-DR to cytarabine."},
            "microenvironment.adhesion",
            "trigger 'CAM-DR' in sentence",
        ),
        (
            {"gene": "FLT3", "variant": "ITD", "drug": "azacitidine", "relation": "sensitivity"},
            "epigenetic.dna_methylation",
            "strategy drug: azacitidine",
        ),
        # a general factor narrowed to the mechanism its drug treats
        (
            {"factor": "epigenetic modifications", "drug": "decitabine", "relation": "sensitivity"},
            "epigenetic.dna_methylation",
            "trigger 'epigenetic modifications' in factor, narrowed by strategy drug: decitabine",
        ),
        (
            {
                "factor": "epigenetic modifications",
                "drug": "hdac inhibitors",
                "relation": "sensitivity",
            },
            "epigenetic.histone_modification",
            "trigger 'epigenetic modifications' in factor, narrowed by strategy drug",
        ),
        # ... never moved to another branch
        (
            {"factor": "hypoxia", "drug": "decitabine", "relation": "sensitivity"},
            "microenvironment.hypoxia",
            "trigger 'hypoxia' in factor",
        ),
    ],
)
def test_assign_mechanism(
    taxonomy: Taxonomy, fields: dict[str, object], node: str, rule: str
) -> None:
    got_node, got_rule = assign_mechanism(triple(**fields), taxonomy)
    assert got_node == node
    assert got_rule.startswith(rule)


def test_a_phrase_describing_another_variant_of_the_sentence_does_not_apply(
    taxonomy: Taxonomy,
) -> None:
    sentence = (
        "FLT3-ITD mutations responded to gilteritinib, whereas the F691L gatekeeper "
        "mutation conferred resistance to gilteritinib."
    )
    itd, f691l = (
        triple(gene="FLT3", variant=v, variant_text=t, drug="gilteritinib", sentence=sentence)
        for v, t in (("ITD", "ITD"), ("p.F691L", "F691L"))
    )
    assert assign_mechanism(f691l, taxonomy)[0] == "genetic.kinase_domain_mutation.gatekeeper"
    assert assign_mechanism(itd, taxonomy)[0] != "genetic.kinase_domain_mutation.gatekeeper"


def test_unrelated_triple_gets_no_mechanism(taxonomy: Taxonomy) -> None:
    t = triple(gene="NRAS", drug="trametinib", relation="sensitivity", sentence="NRAS responds.")
    assert assign_mechanism(t, taxonomy) == ("", "no rule matched")


def test_trigger_case_rules(taxonomy: Taxonomy) -> None:
    found = [t.node_id for _, _, t in taxonomy.find_triggers("HDAC activity and subclones")]
    assert found == ["epigenetic.histone_modification", "genetic.clonal_evolution"]
    assert taxonomy.find_triggers("a hdac-like cam-dr word") == []  # abbreviations keep case


def _with_mechanisms(items: list[Triple], taxonomy: Taxonomy) -> list[Triple]:
    return [dataclasses.replace(t, mechanism=assign_mechanism(t, taxonomy)[0]) for t in items]


def test_reconcile_statuses_conflicts_and_new(taxonomy: Taxonomy) -> None:
    claims = load_seed_claims()
    abl = {"gene": "BCR::ABL1", "variant": "p.T315I"}
    items = _with_mechanisms(
        [
            triple(doc_id="11", drug="imatinib", **abl),
            triple(doc_id="12", drug="dasatinib", **abl),
            triple(doc_id="13", drug="tyrosine kinase inhibitors", **abl),  # class-wide
            triple(doc_id="14", drug="ponatinib", relation="resistance", **abl),
            triple(doc_id="15", drug="ponatinib", relation="resistance", **abl),
            triple(doc_id="16", drug="ponatinib", relation="sensitivity", **abl),
            triple(doc_id="17", gene="FLT3", variant="p.D835Y", drug="quizartinib"),
            triple(doc_id="18", gene="FLT3", variant="p.F691L", drug="gilteritinib"),
            triple(doc_id="19", gene="FLT3", variant="ITD", drug="quizartinib"),
            triple(doc_id="20", factor="DNA methylation", drug="cytarabine"),
            triple(doc_id="21", gene="ABCB1", drug="daunorubicin"),
            triple(doc_id="22", gene="KIT", variant="p.D816V", drug="imatinib", negated=True),
        ],
        taxonomy,
    )
    rec = reconcile(items, claims, taxonomy, cited_pmids={5: "11", 6: "999"})

    s02 = rec.result("S02")  # T315I -> first/second-generation TKIs resistance
    assert s02.status == "corroborated"
    assert set(s02.supporting_pmids) == {"11", "12", "13"}
    assert s02.cited_pmids == ("11", "999")
    assert s02.cited_support == "supported" and s02.cited_supporting_pmids == ("11",)
    assert s02.cited_with_triples == ("11",)

    s03 = rec.result("S03")  # T315I -> ponatinib sensitivity: 2 papers against, 1 for
    assert s03.status == "contradicted"
    assert s03.supporting_pmids == ("16",)
    assert set(s03.contradicting_pmids) == {"14", "15"}
    assert s03.cited_support == "not supported"

    s04 = rec.result("S04")  # secondary FLT3 kinase-domain mutations; ITD is not one
    assert s04.status == "corroborated"
    assert set(s04.supporting_pmids) == {"17", "18"}

    assert rec.result("S08").status == "corroborated"
    assert rec.result("S15").status == "unsupported"  # nothing on hypoxia
    assert rec.result("S15").cited_support == "not resolved"  # refs 9, 10 not mapped

    # A class-wide "TKIs" triple never counts against the ponatinib claim.
    assert "13" not in s03.contradicting_pmids

    conflicts = {(c.gene, c.variant, c.drug): c for c in rec.conflicts}
    assert set(conflicts) == {("BCR::ABL1", "p.T315I", "ponatinib")}
    assert conflicts[("BCR::ABL1", "p.T315I", "ponatinib")].sensitivity_pmids == ("16",)

    new = rec.new_by_mechanism()
    assert {(f.gene, f.drug) for f in new["pharmacological.drug_efflux"]} == {
        ("ABCB1", "daunorubicin")
    }
    assert {(f.gene, f.variant) for f in new[""]} == {("FLT3", "ITD")}
    assert all(f.gene != "KIT" for f in rec.new_findings)  # negated triples are not findings
    assert rec.status_counts()["corroborated"] >= 4


def test_reconcile_accepts_external_class_members(taxonomy: Taxonomy) -> None:
    claims = [c for c in load_seed_claims() if c.claim_id == "S04"]
    t = triple(doc_id="31", gene="FLT3", variant="p.D835H", drug="newtinib")
    assert reconcile([t], claims, taxonomy).result("S04").status == "unsupported"
    rec = reconcile([t], claims, taxonomy, class_members={"FLT3 inhibitor": ["newtinib"]})
    assert rec.result("S04").supporting_pmids == ("31",)


def test_negated_same_relation_contradicts(taxonomy: Taxonomy) -> None:
    claims = [c for c in load_seed_claims() if c.claim_id == "S08"]
    t = triple(doc_id="41", factor="DNA methylation", drug="cytarabine", negated=True)
    result = reconcile([t], claims, taxonomy).result("S08")
    assert result.status == "contradicted" and result.contradicting_pmids == ("41",)


def test_blockers_and_other_genes_do_not_trigger(taxonomy: Taxonomy) -> None:
    egfr = triple(gene="KRAS", variant="p.G12C", drug="cetuximab", relation="sensitivity",
                  sentence="Epidermal growth factor receptor blockade with cetuximab.")  # fmt: skip
    assert assign_mechanism(egfr, taxonomy)[0] == ""
    other_gene = triple(
        gene="MYD88",
        variant="p.L265P",
        drug="ibrutinib",
        relation="sensitivity",
        sentence="MYD88 L265P without CXCR4 mutation responds to ibrutinib.",
    )
    assert assign_mechanism(other_gene, taxonomy)[0] == ""
    no_gene = triple(
        drug="cytarabine", sentence="CXCL12 from stroma protected cells from cytarabine."
    )
    assert assign_mechanism(no_gene, taxonomy)[0] == "microenvironment.soluble_factors"


def test_opposite_relation_does_not_contradict_various_agents(taxonomy: Taxonomy) -> None:
    claims = [c for c in load_seed_claims() if c.claim_id == "S09"]  # HDAC activity -> resistance
    targeted = triple(doc_id="51", gene="EZH2", variant="p.Y646F", drug="tazemetostat",
                      relation="sensitivity")  # fmt: skip
    assert reconcile([targeted], claims, taxonomy).result("S09").status == "unsupported"
    denied = dataclasses.replace(targeted, relation="resistance", negated=True)
    assert reconcile([denied], claims, taxonomy).result("S09").status == "contradicted"


def test_an_exception_within_a_class_claim_is_no_contradiction(taxonomy: Taxonomy) -> None:
    claims = [c for c in load_seed_claims() if c.claim_id in ("S01", "S02")]
    t315i = {"gene": "BCR::ABL1", "variant": "p.T315I", "relation": "sensitivity"}
    items = [
        # ponatinib is a third-generation TKI: the exception S01's "TKIs" make room for
        triple(doc_id="1", drug="ponatinib", **t315i),
        # a member inferred from a class is the class's claim, and a class disputes nothing
        triple(doc_id="2", drug="imatinib", inferred_from_class=True, drug_class="TKIs", **t315i),
        # dasatinib is one of S02's own second-generation TKIs: that disputes S02 (and is,
        # for S01's "TKIs", the second generation's exception)
        triple(doc_id="3", drug="dasatinib", **t315i),
    ]
    rec = reconcile(items, claims, taxonomy)
    assert rec.result("S01").contradicting_pmids == ()
    assert rec.result("S02").contradicting_pmids == ("3",)


def test_a_compound_of_the_claimed_change_is_another_genotype(taxonomy: Taxonomy) -> None:
    claims = [c for c in load_seed_claims() if c.claim_id == "S03"]  # T315I -> ponatinib
    compound = triple(doc_id="7", gene="ABL1", variant="p.T315I/p.E255V", drug="ponatinib")
    assert reconcile([compound], claims, taxonomy).result("S03").status == "unsupported"
    alone = dataclasses.replace(compound, variant="p.T315I")
    assert reconcile([alone], claims, taxonomy).result("S03").status == "contradicted"
