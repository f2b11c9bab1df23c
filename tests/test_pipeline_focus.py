"""``extract`` recognizes only where a triple can be: cue sentences, their neighbours, the title."""

from __future__ import annotations

from litmine.config import Settings
from litmine.nlp.sentences import split_sentences
from litmine.pipeline import Extractor, triple_focus
from litmine.relations.rules import cue_sentences, sentence_may_hold_triple
from litmine.types import Document

TEXT = (
    "Title about FLT3. Background one. Background two. Patients carried FLT3 D835Y. "
    "They were resistant to quizartinib. Methods three. Methods four."
)


def test_cue_sentences_agree_with_the_sentence_filter() -> None:
    sentences = split_sentences(TEXT + " No cue here. Sensitive to X; resistant to Y.")
    text = TEXT + " No cue here. Sensitive to X; resistant to Y."
    expected = [
        i for i, s in enumerate(sentences) if sentence_may_hold_triple(text[s.start : s.end])
    ]
    assert cue_sentences(text, sentences) == expected == [4, 8]


def test_a_sentence_saying_a_factor_predicts_nothing_is_in_focus() -> None:
    text = (
        "Patients were treated with temsirolimus. Samples were sequenced. No predictive "
        "biomarkers were identified, including PIK3CA mutations."
    )
    assert cue_sentences(text, split_sentences(text)) == [2]
    assert triple_focus(text, split_sentences(text)) == [0, 1, 2]


def test_cue_sentences_survive_characters_whose_lower_case_is_longer() -> None:
    text = "\u0130stanbul cohort. RESISTANCE to imatinib."
    assert cue_sentences(text, split_sentences(text)) == [1]


def test_triple_focus_takes_cue_sentences_their_neighbours_and_the_title() -> None:
    assert triple_focus(TEXT, split_sentences(TEXT)) == [0, 3, 4, 5]
    quiet = "A title. Nothing here. Nor here. Not here. Or here. Or there. Nor there."
    assert triple_focus(quiet, split_sentences(quiet)) == []


def test_a_short_text_with_a_cue_is_analysed_whole() -> None:
    short = "FLT3 was sequenced. Nothing here. Patients responded to gilteritinib."
    assert triple_focus(short, split_sentences(short)) == [0, 1, 2]
    quiet = "A title. Nothing here."
    assert triple_focus(quiet, split_sentences(quiet)) == []


def test_extract_finds_the_cross_sentence_triple_without_analysing_the_rest() -> None:
    extractor = Extractor(Settings.from_env())
    (analysis,) = extractor.analyses([Document("f", TEXT)], for_triples=True)
    assert {m.text for m in analysis.mentions} == {"FLT3", "D835Y", "quizartinib"}
    assert not [m for m in analysis.mentions if m.start > TEXT.index("Methods")]
    triples = extractor.triples_for(analysis)
    assert ("FLT3", "quizartinib", "resistance") in {(t.gene, t.drug, t.relation) for t in triples}


def test_a_focus_that_names_no_drug_is_not_analysed_further() -> None:
    extractor = Extractor(Settings.from_env())
    no_drug = Document("n", "KRAS G12D was found in 40% of tumours with a poor response.")
    with_class = Document("c", "KRAS G12D tumours responded poorly to Akt inhibitors.")
    with_code = Document("k", "KRAS G12D cells were resistant to GDC-0941.")
    analysed = {a.document.doc_id: a for a in extractor.analyses([no_drug, with_class, with_code])}
    for_triples = {
        a.document.doc_id: a
        for a in extractor.analyses([no_drug, with_class, with_code], for_triples=True)
    }
    assert {m.text for m in analysed["n"].mentions} >= {"KRAS", "G12D"}
    assert for_triples["n"].mentions == ()
    for doc_id in ("c", "k"):  # drugs made by later steps (class tails, code names) count
        assert for_triples[doc_id].mentions == analysed[doc_id].mentions
