"""Optional statistical NER (spaCy, small CNN) that adds names no lexicon has.

Documents are tokenized with the lexicon's fine tokenizer (alphanumeric runs and single
symbols), not spaCy's, so "FLT3" in "FLT3-ITD" is a token of its own exactly as in the
annotated corpora; a ``Doc`` is built straight from those words, so the pipeline needs
no spaCy tokenizer (building scispacy's costs ~0.25 s at start-up).

Trained by ``scripts/train_ner.py``; stored under ``models/ner/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from litmine.nlp.lexicon import tokenize
from litmine.types import Sentence

LABELS = ("GENE", "CHEMICAL", "DISEASE")


def sentence_words(
    text: str, sentence: Sentence
) -> tuple[list[str], list[bool], list[tuple[int, int]]]:
    """Words, trailing-space flags and absolute character spans of one sentence."""
    spans = [
        (a + sentence.start, b + sentence.start)
        for a, b in tokenize(text[sentence.start : sentence.end])
    ]
    words = [text[a:b] for a, b in spans]
    spaces = [i + 1 < len(spans) and spans[i + 1][0] > b for i, (_, b) in enumerate(spans)]
    return words, spaces, spans


class NerModel:
    """A trained spaCy ``ner`` pipeline applied to pre-split sentences."""

    def __init__(self, nlp) -> None:  # noqa: ANN001 - spacy.Language, imported lazily
        self.nlp = nlp

    @classmethod
    def load(cls, path: Path) -> NerModel:
        import spacy

        return cls(spacy.load(path))

    def predict(self, text: str, sentences: list[Sentence]) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) character spans of the entities in ``sentences``."""
        from spacy.tokens import Doc

        prepared = [sentence_words(text, s) for s in sentences]
        docs = (Doc(self.nlp.vocab, words=w, spaces=sp) for w, sp, _ in prepared if w)
        spans_of = [sp for w, _, sp in prepared if w]
        for doc, spans in zip(self.nlp.pipe(docs, batch_size=64), spans_of, strict=True):
            for ent in doc.ents:
                yield spans[ent.start][0], spans[ent.end - 1][1], ent.label_
