"""litmine's recognizer as a spaCy pipeline component, behind scispacy's tokenizer.

    nlp = load_spacy_pipeline(Settings.from_env())
    doc = nlp("BCR-ABL1 T315I confers resistance to imatinib in CML.")
    [(e.text, e.label_, e._.normalized, e._.kb_id) for e in doc.ents]

The command line does not go through spaCy: importing spaCy and building scispacy's tokenizer
costs about 0.7 s, which a one-line ``litmine extract`` cannot afford (budget 1.5 s), and the
lexicon matches on its own finer tokens ("FLT3-ITD" is one scispacy token but two concepts).
This component gives spaCy users the same mentions, aligned to spaCy tokens: ``doc.ents``
holds the non-overlapping ones, ``doc.spans["litmine"]`` all of them (MECHANISM terms may
overlap genes), each with ``._.normalized`` and ``._.kb_id``; scispacy's AbbreviationDetector
runs first, as in scispacy's own pipelines.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from litmine.config import Settings
from litmine.nlp.pipeline import EntityPipeline, Phrase
from litmine.types import Document

COMPONENT = "litmine_entities"
SPAN_KEY = "litmine"

for _attribute in ("normalized", "kb_id"):
    if not Span.has_extension(_attribute):
        Span.set_extension(_attribute, default="")


class LitmineEntities:
    """Sets ``doc.ents`` and ``doc.spans['litmine']`` from litmine's ``EntityPipeline``."""

    def __init__(self, pipeline: EntityPipeline) -> None:
        self._pipeline = pipeline

    def __call__(self, doc: Doc) -> Doc:
        analysis = self._pipeline.analyze(Document(doc_id="spacy", text=doc.text))
        spans = []
        for mention in analysis.mentions:
            span = doc.char_span(
                mention.start, mention.end, label=mention.label, alignment_mode="expand"
            )
            if span is None:
                continue
            span._.normalized = mention.normalized
            span._.kb_id = mention.id
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        doc.ents = filter_spans([s for s in spans if s.label_ != "MECHANISM"])
        for ent, source in _matching(doc.ents, spans):
            ent._.normalized, ent._.kb_id = source._.normalized, source._.kb_id
        return doc


def _matching(ents: tuple[Span, ...], spans: list[Span]) -> list[tuple[Span, Span]]:
    """``doc.ents`` holds copies: carry the normalization over from the original spans."""
    by_key = {(s.start, s.end, s.label_): s for s in spans}
    return [(e, by_key[(e.start, e.end, e.label_)]) for e in ents]


@Language.factory(COMPONENT, default_config={"use_model": False})
def make_litmine_entities(nlp: Language, name: str, use_model: bool) -> LitmineEntities:
    return LitmineEntities(EntityPipeline(Settings.from_env(), use_model=use_model))


def load_spacy_pipeline(settings: Settings, *, extra_phrases: Iterable[Phrase] = ()) -> Language:
    """A blank English pipeline with scispacy's tokenizer, abbreviations and litmine's NER
    (``extra_phrases`` as for ``EntityPipeline``, e.g. the taxonomy's MECHANISM terms)."""
    import spacy
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401 - registers the factory
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    nlp.add_pipe("abbreviation_detector")
    component = nlp.add_pipe(COMPONENT)
    component._pipeline = EntityPipeline(settings, extra_phrases=extra_phrases)
    return nlp
