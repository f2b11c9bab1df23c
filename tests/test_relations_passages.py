"""Long documents are read paragraph by paragraph: the claims of a review are the claims its
paragraphs make alone, and the evidence offsets still point into the whole text."""

from __future__ import annotations

from litmine.nlp.sentences import split_sentences
from litmine.relations.passages import MAX_PASSAGE_SENTENCES, passages
from litmine.types import Analysis, Document, Mention

# Findings of the kind a review strings together, one per paragraph.
PARAGRAPHS = [
    "Patients with KIT exon 11 mutations had longer progression-free survival on imatinib "
    "than patients with exon 9 mutations.",
    "In colorectal cancer, KRAS G12D was associated with resistance to cetuximab. Patients "
    "with wild-type tumours benefited.",
    "EGFR T790M conferred resistance to gefitinib in lung adenocarcinoma cell lines.",
    "BRAF V600E melanoma cells were sensitive to vemurafenib, and tumour regression was seen "
    "in xenografts.",
    "High MGMT expression was associated with poor response to temozolomide in glioblastoma.",
    "ALK-rearranged tumours responded to crizotinib, with a response rate of 61%.",
    "FLT3-ITD positive AML blasts were sensitive to gilteritinib in vitro.",
    "PIK3CA H1047R mutant breast cancer cells showed reduced sensitivity to trastuzumab.",
    "Loss of PTEN was associated with resistance to lapatinib in HER2-positive breast cancer.",
    "ERBB2 amplified gastric tumours benefited from trastuzumab.",
]


def _claims(extractor, text: str) -> tuple[set[tuple[str, str, str]], list]:  # noqa: ANN001
    (analysis,) = extractor.analyses([Document("review", text)], for_triples=True)
    triples = extractor.triples_for(analysis)
    stated = {(t.gene, t.drug, t.relation) for t in triples if not t.inferred_from_class}
    return stated, triples


def test_a_review_states_what_its_paragraphs_state_alone(extractor) -> None:  # noqa: ANN001
    alone = [_claims(extractor, paragraph)[0] for paragraph in PARAGRAPHS]
    assert all(alone), "every paragraph states a claim on its own"
    for separator in ("\n\n", "\n"):  # blank lines, or one paragraph per line
        text = separator.join(PARAGRAPHS)
        found, triples = _claims(extractor, text)
        assert found == set().union(*alone)
        assert all(text[t.sentence_start : t.sentence_end] == t.sentence for t in triples)


def _analysis(text: str) -> Analysis:
    sentences = tuple(split_sentences(text))
    at = text.index("FLT3")
    gene = Mention("d", at, at + 4, "FLT3", "GENE", "FLT3", "HGNC:3765")
    drugs = [
        Mention("d", i, i + 12, "gilteritinib", "CHEMICAL", "gilteritinib")
        for i in range(len(text))
        if text.startswith("gilteritinib", i)
    ]
    return Analysis(Document("d", text), sentences, (gene, *drugs))


def test_passages_shift_offsets_onto_each_paragraph() -> None:
    text = "FLT3 was sequenced.\n\nBlasts were resistant to gilteritinib. Then relapsed."
    parts = list(passages(_analysis(text)))
    assert [offset for offset, _ in parts] == [0, text.index("Blasts")]
    for offset, passage in parts:
        assert passage.document.text == text[offset : offset + len(passage.document.text)]
        for mention in passage.mentions:
            assert passage.document.text[mention.start : mention.end] == mention.text
    assert [m.text for m in parts[1][1].mentions] == ["gilteritinib"]


def test_an_abstract_is_one_passage_and_a_long_paragraph_is_cut_in_runs() -> None:
    abstract = "FLT3 was sequenced. Blasts were resistant to gilteritinib. Then relapsed."
    analysis = _analysis(abstract)
    assert list(passages(analysis)) == [(0, analysis)]
    wrapped = "FLT3 was sequenced and\nblasts were resistant to gilteritinib.\nThen relapsed."
    assert [o for o, _ in passages(_analysis(wrapped))] == [0, wrapped.index("Then")]
    long = "FLT3 was sequenced. " + "Blasts grew on gilteritinib. " * 45
    runs = list(passages(_analysis(long)))
    assert [len(p.sentences) for _, p in runs] == [MAX_PASSAGE_SENTENCES] * 2 + [6]


def test_a_long_paragraph_is_cut_where_a_new_gene_or_variant_comes_in(extractor) -> None:  # noqa: ANN001
    # (the last paragraph's ERBB2 is the HER2 of the one before: it would not be cut there)
    stated = PARAGRAPHS[:-1]
    filler = "The cohort was followed for two years. " * 3
    findings = [paragraph + " " + filler for paragraph in stated]
    text = " ".join(findings)  # one unbroken paragraph of about 40 sentences
    (analysis,) = extractor.analyses([Document("review", text)])
    assert len(analysis.sentences) > MAX_PASSAGE_SENTENCES
    offsets = [offset for offset, _ in passages(analysis)]
    assert offsets == [text.index(finding) for finding in findings]
    alone = set().union(*(_claims(extractor, paragraph)[0] for paragraph in stated))
    assert _claims(extractor, text)[0] == alone


def test_a_reference_list_states_no_findings_whatever_its_heading(extractor) -> None:  # noqa: ANN001
    body = PARAGRAPHS[2]
    cited = "1. Smith A, et al. KRAS G12D confers resistance to cetuximab. J Clin Oncol. 2020;1:1."
    for heading in ("References", "REFERENCES", "RERERENCES"):  # the seed article's typo
        found, _ = _claims(extractor, f"{body}\n\n{heading}\n\n{cited}")
        assert found == {("EGFR", "gefitinib", "resistance")}, heading
    found, _ = _claims(extractor, f"{body}\n\nDifferences\n\n{cited}")
    assert ("KRAS", "cetuximab", "resistance") in found  # any other heading is text
