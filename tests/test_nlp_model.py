"""The optional statistical NER: offsets map back through the fine tokens, and the
pipeline adds model spans only where the lexicons found nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from litmine.config import Settings
from litmine.nlp import EntityPipeline
from litmine.nlp.model import NerModel, sentence_words
from litmine.types import Document, Sentence

spacy = pytest.importorskip("spacy")

TEXT = "Cells lacking zorblin protein resisted imatinib."


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model that has memorised one sentence: 'zorblin' is a GENE."""
    from spacy.tokens import Doc
    from spacy.training import Example

    words, spaces, _ = sentence_words(TEXT, Sentence(0, len(TEXT)))
    tags = ["U-GENE" if w == "zorblin" else "O" for w in words]
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("GENE")
    example = Example.from_dict(Doc(nlp.vocab, words=words, spaces=spaces), {"entities": tags})
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: [example])
    for _ in range(30):
        nlp.update([example], sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("models") / "ner"
    nlp.to_disk(path)
    return path


def test_sentence_words_keep_absolute_offsets() -> None:
    text = "Intro. FLT3-ITD  cells"
    words, spaces, spans = sentence_words(text, Sentence(7, len(text)))
    assert words == ["FLT3", "-", "ITD", "cells"]
    assert spaces == [False, False, True, False]
    assert [text[a:b] for a, b in spans] == words


def test_model_spans_map_to_characters(tiny_model: Path) -> None:
    model = NerModel.load(tiny_model)
    found = list(model.predict(TEXT, [Sentence(0, len(TEXT))]))
    assert [(TEXT[a:b], label) for a, b, label in found] == [("zorblin", "GENE")]


def test_pipeline_uses_a_shipped_model_only_where_filtered(
    tiny_model: Path, settings: Settings, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    for name in ("lexicon.pkl.gz", "drug_classes.yaml"):
        (models / name).symlink_to(settings.models_dir / name)
    (models / "ner").symlink_to(tiny_model)
    pipeline = EntityPipeline(settings.with_overrides(models_dir=models))
    doc = Document("m", TEXT)
    mentions = pipeline.analyze(doc).mentions
    (zorblin,) = [m for m in mentions if m.source == "model"]
    assert (zorblin.text, zorblin.label) == ("zorblin", "GENE")
    assert [m.normalized for m in mentions if m.label == "CHEMICAL"] == ["imatinib"]
    skipped = pipeline.analyze(doc, focus=lambda text, sentences: []).mentions
    assert not [m for m in skipped if m.source == "model"]
    without = EntityPipeline(settings.with_overrides(models_dir=models), use_model=False)
    assert not [m for m in without.analyze(doc).mentions if m.source == "model"]
