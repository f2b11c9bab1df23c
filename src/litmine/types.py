"""Plain records that pass between litmine's stages.

Every stage takes and returns these frozen dataclasses, so no stage needs to know
another's internals (spaCy docs, SQL rows, XML elements stay inside their module).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# The id of a CHEMICAL mention that is chemotherapy naming no drug ("resistance to
# chemotherapy"): the NER writes it only for triples, and the relations leave it out of a
# combination whose named drugs it is the backbone of ("chemotherapy plus trastuzumab").
UNNAMED_CHEMOTHERAPY_ID = "class:chemotherapy"


@dataclass(frozen=True, slots=True)
class Document:
    """One unit of text to analyse: a PubMed abstract (title + " " + abstract) or a file."""

    doc_id: str
    text: str
    title: str = ""
    year: int | None = None
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention; ``text == document.text[start:end]`` always holds."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    normalized: str = ""
    id: str = ""
    source: str = ""  # which recognizer found it (lexicon, model, regex, abbreviation)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span of a document, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP stage knows about one document: sentences and entity mentions."""

    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    abbreviations: tuple[tuple[str, str], ...] = ()  # (short form, long form)


@dataclass(frozen=True, slots=True)
class Triple:
    """A gene/variant–drug–relation claim with its evidence sentence.

    The field order is the column order of the exported CSV (see ``TRIPLE_COLUMNS``);
    the first eleven fields are the outside contract.
    """

    doc_id: str
    gene: str
    gene_id: str
    variant: str
    drug: str
    relation: str  # "resistance" | "sensitivity"
    negated: bool
    disease: str
    mechanism: str
    confidence: float
    sentence: str
    drug_id: str = ""
    drug_class: str = ""
    inferred_from_class: bool = False
    combination: str = ""
    factor: str = ""
    mechanism_rule: str = ""
    gene_text: str = ""
    variant_text: str = ""
    drug_text: str = ""
    sentence_start: int = -1
    sentence_end: int = -1
    year: int | None = None
    extractor_version: str = ""


@dataclass(frozen=True)
class UpsertStats:
    """What an upsert did: new documents, changed (content hash differs), unchanged."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertStats) -> UpsertStats:
        return UpsertStats(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


TRIPLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Triple))
CONTRACT_TRIPLE_COLUMNS: tuple[str, ...] = TRIPLE_COLUMNS[:11]
MENTION_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Mention))
