"""The seed article's own claims, found by ``litmine extract`` with their taxonomy mechanism."""

from __future__ import annotations

import pytest

from litmine.sources.readers import read_documents
from litmine.types import Document

SEED = "corpus/seed_article.txt"


@pytest.fixture(scope="module")
def triples(extractor):
    from litmine.config import PROJECT_ROOT

    documents = [d for d in read_documents(str(PROJECT_ROOT / SEED)) if isinstance(d, Document)]
    return list(extractor.triples(documents))


def has(triples, *, relation, mechanism_prefix="", **fields) -> bool:
    return any(
        t.relation == relation
        and t.mechanism.startswith(mechanism_prefix)
        and not t.negated
        and all(getattr(t, k) == v for k, v in fields.items())
        for t in triples
    )


def test_kinase_domain_mutations_resist_tkis(triples):
    assert has(
        triples,
        relation="resistance",
        gene="BCR::ABL1",
        gene_id="HGNC:76",
        drug="tyrosine kinase inhibitors",
        mechanism_prefix="genetic.kinase_domain_mutation",
    )


def test_t315i_resists_first_and_second_generation_tkis(triples):
    for drug in ("imatinib", "dasatinib", "nilotinib", "bosutinib"):
        assert has(
            triples,
            relation="resistance",
            variant="p.T315I",
            drug=drug,
            mechanism_prefix="genetic.kinase_domain_mutation.gatekeeper",
        ), drug


def test_t315i_stays_sensitive_to_ponatinib(triples):
    assert has(
        triples,
        relation="sensitivity",
        variant="p.T315I",
        drug="ponatinib",
        mechanism_prefix="genetic.kinase_domain_mutation.gatekeeper",
    )
    assert not has(triples, relation="resistance", variant="p.T315I", drug="ponatinib")
    # nor is ponatinib inferred resistant from "kinase domain mutations ... resistance to
    # TKIs" in the paragraph that says it overcomes T315I
    assert not has(triples, relation="resistance", gene="BCR::ABL1", drug="ponatinib")


def test_secondary_flt3_mutations_resist_flt3_inhibitors(triples):
    assert has(
        triples,
        relation="resistance",
        gene="FLT3",
        drug="flt3 inhibitors",
        mechanism_prefix="genetic.kinase_domain_mutation",
    )


def test_dna_methylation_resists_cytarabine(triples):
    assert has(
        triples,
        relation="resistance",
        gene="",
        factor="DNA methylation",
        drug="cytarabine",
        mechanism_prefix="epigenetic.dna_methylation",
    )


def test_reference_list_yields_no_triples(triples):
    assert all("Int J Biol Macromol" not in t.sentence for t in triples)


def test_the_articles_strategies_are_its_own_claims(triples):
    """Hypomethylating agents, HDAC inhibitors and CXCR4 antagonists, which the article offers
    against epigenetic and niche resistance, reconcile with its strategy claims S11, S12, S16."""
    from litmine.taxonomy import load_seed_claims, load_taxonomy, reconcile

    reconciliation = reconcile(triples, load_seed_claims(), load_taxonomy())
    for claim in ("S11", "S12", "S16"):
        assert reconciliation.result(claim).status == "corroborated", claim


def test_chemoresistance_papers_bear_on_the_niche_claims(extractor):
    """ "Various agents" claims (hypoxia, S15) are matched by chemotherapy that names no drug."""
    from litmine.taxonomy import load_seed_claims, load_taxonomy, reconcile

    paper = Document("12345", "Hypoxia promoted resistance to chemotherapy in AML cells.")
    triples = list(extractor.triples([paper]))
    assert {(t.factor, t.drug, t.relation) for t in triples} == {
        ("hypoxia", "chemotherapy", "resistance")
    }
    reconciliation = reconcile(triples, load_seed_claims(), load_taxonomy())
    assert reconciliation.result("S15").supporting_pmids == ("12345",)


def test_the_article_does_not_contradict_itself(triples):
    """The T315I–ponatinib exception and the members inferred from "TKIs" and "FLT3
    inhibitors" are no evidence against the article's own class-wide claims."""
    from litmine.config import Settings
    from litmine.pipeline import Extractor
    from litmine.taxonomy import load_seed_claims, reconcile

    extractor = Extractor(Settings.from_env())
    reconciliation = reconcile(
        triples, load_seed_claims(), extractor.taxonomy, class_members=extractor.class_members
    )
    assert all(not result.contradicting for result in reconciliation.claims)
