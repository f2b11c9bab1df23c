"""Entity recognition: ``EntityPipeline`` turns a ``Document`` into an ``Analysis``.

Components, one per module: ``sentences`` (rule splitter), ``abbreviations``
(Schwartz–Hearst), ``lexicon`` (longest-match vocabularies built by
``scripts/build_resources.py``), ``drug_classes``, ``variants`` (regex variants) and
``pipeline`` (the composition).
"""

from litmine.nlp.pipeline import EntityPipeline, Phrase

__all__ = ["EntityPipeline", "Phrase"]
