"""EntityPipeline on hand-written sentences: offsets, traps, fusions, abbreviations, classes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from litmine.nlp import EntityPipeline
from litmine.types import Document, Mention

TEXT = (
    "Resistance to imatinib (STI571) in chronic myeloid leukaemia (CML) is caused by BCR-ABL1 "
    "kinase domain mutations such as T315I, whereas FLT3-ITD and NPM1-mutated AML respond to "
    "quizartinib (AC220). ALL patients CAN NOT tolerate it; this WAS an IMPACT study "
    "with CT scans. "
    "Second-generation TKIs and FLT3 inhibitors were tested. Bcr-Abl, BCR::ABL1 and BCR/ABL "
    "are one fusion. CML cells lost p53."
)


@pytest.fixture(scope="module")
def pipeline(settings) -> EntityPipeline:  # noqa: ANN001
    return EntityPipeline(
        settings,
        extra_phrases=[("DNA methylation", "MECHANISM", "dna methylation", "mech:epigenetic")],
        use_model=False,
    )


@pytest.fixture(scope="module")
def mentions(pipeline: EntityPipeline) -> list[Mention]:
    return list(pipeline.analyze(Document("d1", TEXT)).mentions)


def _find(mentions: list[Mention], text: str, label: str | None = None) -> list[Mention]:
    return [m for m in mentions if m.text == text and (label is None or m.label == label)]


def test_every_mention_points_at_its_text(mentions: list[Mention]) -> None:
    assert mentions
    for m in mentions:
        assert TEXT[m.start : m.end] == m.text
        assert m.doc_id == "d1"
        assert m.label in {"GENE", "VARIANT", "CHEMICAL", "DISEASE", "MECHANISM"}


def test_drugs_and_code_names_normalize_to_generic(mentions: list[Mention]) -> None:
    (sti,) = _find(mentions, "STI571", "CHEMICAL")
    assert (sti.normalized, sti.id) == ("imatinib", "DrugBank:DB00619")
    assert _find(mentions, "AC220", "CHEMICAL")[0].normalized == "quizartinib"


def test_trap_words_are_not_genes(mentions: list[Mention]) -> None:
    for word in ("ALL", "CAN", "NOT", "WAS", "IMPACT", "CT", "CML", "AML"):
        assert not _find(mentions, word, "GENE"), word
    assert _find(mentions, "ALL", "DISEASE")[0].normalized == "acute lymphoblastic leukemia"


def test_gene_suffixes_leave_the_gene_span(mentions: list[Mention]) -> None:
    assert _find(mentions, "FLT3", "GENE")[0].id == "HGNC:3765"
    assert _find(mentions, "NPM1", "GENE")
    assert _find(mentions, "T315I", "VARIANT")[0].normalized == "p.T315I"


def test_fusions_normalize_in_every_spelling(mentions: list[Mention]) -> None:
    for spelling in ("BCR-ABL1", "Bcr-Abl", "BCR::ABL1", "BCR/ABL"):
        (fusion,) = _find(mentions, spelling, "GENE")
        assert (fusion.normalized, fusion.id) == ("BCR::ABL1", "HGNC:76"), spelling


def test_defined_abbreviation_takes_long_form_concept(
    pipeline: EntityPipeline, mentions: list[Mention]
) -> None:
    cml = _find(mentions, "CML", "DISEASE")
    assert len(cml) == 2
    assert {m.normalized for m in cml} == {"chronic myeloid leukemia"}
    text = "Internal tandem duplication (ITD) of FLT3. Computed tomography (CT) was done."
    analysis = pipeline.analyze(Document("d2", text))
    assert ("CT", "Computed tomography") in analysis.abbreviations
    assert not [m for m in analysis.mentions if m.text == "CT"]


def test_short_form_of_unknown_long_form_gets_its_label(pipeline: EntityPipeline) -> None:
    text = "Patients with refractory acute myeloid leukaemia (RAML) relapsed. RAML is rare."
    found = [m for m in pipeline.analyze(Document("d3", text)).mentions if m.text == "RAML"]
    assert [m.label for m in found] == ["DISEASE", "DISEASE"]
    assert {m.normalized for m in found} == {"acute myeloid leukemia"}


def test_drug_class_mentions(mentions: list[Mention]) -> None:
    (tki,) = _find(mentions, "Second-generation TKIs", "CHEMICAL")
    assert (tki.normalized, tki.id) == ("second-generation tki", "class:second-generation-tki")
    assert _find(mentions, "FLT3 inhibitors", "CHEMICAL")[0].id == "class:flt3-inhibitors"


def test_extra_phrases_are_labelled(pipeline: EntityPipeline) -> None:
    text = "Aberrant DNA methylation silences genes."
    (m,) = [m for m in pipeline.analyze(Document("d4", text)).mentions if m.label == "MECHANISM"]
    assert (m.text, m.normalized, m.id) == ("DNA methylation", "dna methylation", "mech:epigenetic")


def test_focus_recognizes_only_the_selected_sentences(pipeline: EntityPipeline) -> None:
    text = "Imatinib is used in CML. Cells grew. Dasatinib resistance emerged in T315I cells."
    doc = Document("d5", text)
    analysis = pipeline.analyze(doc, focus=lambda text, sentences: [2])
    assert len(analysis.sentences) == 3  # every sentence is still reported
    assert {m.text for m in analysis.mentions} == {"Dasatinib", "T315I"}
    full = {(m.start, m.end, m.label, m.normalized) for m in pipeline.analyze(doc).mentions}
    for m in analysis.mentions:  # offsets map back onto the whole document
        assert text[m.start : m.end] == m.text
        assert (m.start, m.end, m.label, m.normalized) in full


def test_focus_pulls_in_the_definition_of_a_short_form_it_uses(pipeline: EntityPipeline) -> None:
    text = (
        "We studied Bruton tyrosine kinase (BRTK) in leukemia. Nothing else. "
        "BRTK mutants were resistant to ibrutinib."
    )
    focused = pipeline.analyze(Document("d5b", text), focus=lambda text, sentences: [2])
    late = text.rindex("BRTK")
    (short,) = [m for m in focused.mentions if m.start == late]
    assert (short.label, short.normalized) == ("GENE", "BTK")  # defined outside the focus
    assert focused.mentions == pipeline.analyze(Document("d5b", text)).mentions


def test_chemotherapy_abbreviations_name_their_drugs(pipeline: EntityPipeline) -> None:
    text = "Patients received TMZ, VCR or DTX; cells resisted DOX, CDDP and cytarabin."
    found = {m.text: m.normalized for m in pipeline.analyze(Document("d7", text)).mentions}
    assert found == {
        "TMZ": "temozolomide",
        "VCR": "vincristine",
        "DTX": "docetaxel",
        "DOX": "doxorubicin",
        "CDDP": "cisplatin",
        "cytarabin": "cytarabine",
    }


def test_chemotherapy_naming_no_drug_is_a_treatment_for_triples(pipeline: EntityPipeline) -> None:
    from litmine.types import UNNAMED_CHEMOTHERAPY_ID

    text = (
        "TP53 mutations predicted resistance to chemotherapy, but not to cisplatin-based "
        "chemotherapy or FOLFOX chemotherapy."
    )
    document = Document("d8", text)
    for_triples = pipeline.analyze(document, drugs_required=True).mentions
    unnamed = [(m.start, m.normalized) for m in for_triples if m.id == UNNAMED_CHEMOTHERAPY_ID]
    assert unnamed == [(text.index("chemotherapy"), "chemotherapy")]
    # entity output keeps to what the corpora annotate: chemotherapy is a procedure there
    assert all(m.id != UNNAMED_CHEMOTHERAPY_ID for m in pipeline.analyze(document).mentions)


def test_unknown_drugs_by_inn_stem_and_formulas(pipeline: EntityPipeline) -> None:
    text = "Olverembatinib overcame T315I; cells were kept in CaCl(2) and H2O2, not SW480 or HCC."
    found = {m.text: m for m in pipeline.analyze(Document("d6", text)).mentions}
    assert found["Olverembatinib"].label == "CHEMICAL"
    assert found["Olverembatinib"].normalized == "olverembatinib"
    assert found["CaCl(2)"].label == "CHEMICAL"
    assert found["H2O2"].label == "CHEMICAL"
    assert "SW480" not in found or found["SW480"].label != "CHEMICAL"


def test_gene_tails_extend_the_span(pipeline: EntityPipeline) -> None:
    text = "COX-2 inhibitors block NMDA receptor signalling."
    found = {(m.text, m.label) for m in pipeline.analyze(Document("d7", text)).mentions}
    assert ("COX-2 inhibitors", "CHEMICAL") in found
    assert ("NMDA receptor", "GENE") in found


def test_cytogenetic_bands_are_not_proteins(pipeline: EntityPipeline) -> None:
    text = "AML with t(7;21)(p22;q22) and loss of p53."
    found = [(m.text, m.label) for m in pipeline.analyze(Document("d8", text)).mentions]
    assert ("p22", "GENE") not in found
    assert ("p53", "GENE") in found


def test_compound_codes_are_chemicals_not_genes(pipeline: EntityPipeline) -> None:
    text = "GDC-0941 and AZD6244 were combined; HCT116 and SW480 cells were used."
    found = {m.text: m.label for m in pipeline.analyze(Document("d9", text)).mentions}
    assert found.get("GDC-0941") == "CHEMICAL"
    assert found.get("AZD6244") == "CHEMICAL"
    assert "GDC" not in found
    assert found.get("HCT116") != "CHEMICAL"
    assert found.get("SW480") != "CHEMICAL"


@pytest.mark.parametrize("text", ["", "   ", "(", "-", "α-β ∆ (CML", "AML (", "x" * 5000])
def test_odd_texts_do_not_break_offsets(pipeline: EntityPipeline, text: str) -> None:
    analysis = pipeline.analyze(Document("odd", text))
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
    for s in analysis.sentences:
        assert 0 <= s.start < s.end <= len(text)


_PIECES = [
    "imatinib",
    "BCR-ABL1",
    "(",
    ")",
    "CML",
    "-",
    "FLT3",
    "ITD",
    "T315I",
    ".",
    "TKIs",
    ";",
    "p53",
    "α",
    "ALL",
    "Fe",
    "AZD6244",
] + [
    " ",
    "  ",
    "\n",
    "chronic myeloid leukemia",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_offsets_hold_for_any_combination(pipeline: EntityPipeline, pieces: list[str]) -> None:
    text = "".join(pieces)
    for m in pipeline.analyze(Document("h", text)).mentions:
        assert text[m.start : m.end] == m.text
        assert m.start < m.end


def test_lower_case_words_are_not_gene_symbols(pipeline: EntityPipeline) -> None:
    text = "We can set a kit that was not bad; the ace ran and met the rest of all cells."
    assert not [m for m in pipeline.analyze(Document("d10", text)).mentions if m.label == "GENE"]


@pytest.mark.parametrize(
    ("text", "normalized", "id_"),
    [
        ("leukemia", "leukemia", "MESH:D007938"),
        ("cancer", "neoplasms", "MESH:D009369"),  # the vocabulary's own id (D009362) is wrong
        ("CML", "chronic myeloid leukemia", "MESH:D015464"),
        (
            "Ph+ ALL",
            "philadelphia chromosome-positive acute lymphoblastic leukemia",
            "MESH:D054198",
        ),
        ("MPN", "myeloproliferative neoplasms", "MESH:D009196"),
    ],
)
def test_disease_ids(pipeline: EntityPipeline, text: str, normalized: str, id_: str) -> None:
    (m,) = pipeline.analyze(Document("ids", f"Patients with {text} relapsed.")).mentions
    assert (m.text, m.label, m.normalized, m.id) == (text, "DISEASE", normalized, id_)


def test_a_gene_range_names_each_member(pipeline: EntityPipeline) -> None:
    text = "Patients with BRCA1/2 germline mutations or HER2/neu amplification received olaparib."
    genes = [
        (m.text, m.normalized)
        for m in pipeline.analyze(Document("r", text)).mentions
        if m.label == "GENE"
    ]
    assert genes == [("BRCA1/2", "BRCA1"), ("BRCA1/2", "BRCA2"), ("HER2/neu", "ERBB2")]


@pytest.mark.parametrize(
    ("text", "span", "members"),
    [
        ("tumors harboring NTRK1/2/3 fusions", "NTRK1/2/3", ["NTRK1", "NTRK2", "NTRK3"]),
        ("with CDKN2A/B loss", "CDKN2A/B", ["CDKN2A", "CDKN2B"]),
        ("PAK1-3 kinases", "PAK1-3", ["PAK1", "PAK2", "PAK3"]),
        ("MLH1/B cells", "MLH1", ["MLH1"]),  # a letter after a number is no member
    ],
)
def test_gene_lists_name_each_member(
    pipeline: EntityPipeline, text: str, span: str, members: list[str]
) -> None:
    genes = [m for m in pipeline.analyze(Document("r", text)).mentions if m.label == "GENE"]
    assert [(m.text, m.normalized) for m in genes] == [(span, member) for member in members]
