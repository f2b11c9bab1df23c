"""litmine's recognizer inside a spaCy pipeline with scispacy's tokenizer."""

from __future__ import annotations

import pytest

from litmine.nlp.spacy_component import SPAN_KEY, load_spacy_pipeline


@pytest.fixture(scope="module")
def nlp(settings):
    from litmine.taxonomy import load_taxonomy

    return load_spacy_pipeline(settings, extra_phrases=load_taxonomy().trigger_phrases())


def test_entities_on_spacy_tokens(nlp):
    doc = nlp("Chronic myeloid leukemia (CML) with BCR-ABL1 T315I resists imatinib.")
    found = {(e.text, e.label_, e._.normalized) for e in doc.ents}
    assert ("BCR-ABL1", "GENE", "BCR::ABL1") in found
    assert ("T315I", "VARIANT", "p.T315I") in found
    assert ("imatinib", "CHEMICAL", "imatinib") in found
    assert any(e.label_ == "DISEASE" and e._.kb_id.startswith("MESH:") for e in doc.ents)
    assert all(doc.text[e.start_char : e.end_char] == e.text for e in doc.ents)


def test_abbreviations_and_overlapping_spans(nlp):
    doc = nlp("DNA methylation in acute myeloid leukemia (AML) confers cytarabine resistance.")
    assert [(a.text, a._.long_form.text) for a in doc._.abbreviations][0] == (
        "AML",
        "acute myeloid leukemia",
    )
    mechanisms = [s for s in doc.spans[SPAN_KEY] if s.label_ == "MECHANISM"]
    assert [s.text for s in mechanisms] == ["DNA methylation"]
    assert mechanisms[0]._.kb_id == "epigenetic.dna_methylation"
    assert all(e.label_ != "MECHANISM" for e in doc.ents)
