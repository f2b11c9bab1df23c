"""Strict span NER evaluation on BioRED Dev and the IOB devel sets, plus their readers.

Scores are exact-match (start, end, label) precision/recall/F1 per label and a micro
"ALL" row. For the token-per-line IOB sets the text is the tokens joined by spaces and
each predicted span is snapped outwards to whole IOB tokens before comparing.

The readers are standard-library only at import: the resource build (another
virtualenv) reuses them to curate the lexicons against the *training* splits.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from litmine.config import Settings
from litmine.evaluation.scoring import ScoreRow, format_table

__all__ = [
    "DATASETS",
    "GoldDoc",
    "GoldSpan",
    "IOB_SETS",
    "evaluate_ner",
    "format_table",
    "read_iob",
    "read_pubtator",
    "score_documents",
]

log = logging.getLogger(__name__)

BIORED_LABELS = {
    "GeneOrGeneProduct": "GENE",
    "ChemicalEntity": "CHEMICAL",
    "DiseaseOrPhenotypicFeature": "DISEASE",
    "SequenceVariant": "VARIANT",
}


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    label: str
    id: str = ""


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """A text with its gold spans; ``labels`` lists what the corpus annotates at all."""

    doc_id: str
    text: str
    spans: tuple[GoldSpan, ...]
    labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class IobSet:
    """One token-per-line IOB corpus and the litmine label of each of its tags."""

    name: str
    folder: str
    tags: dict[str, str]


IOB_SETS = (
    IobSet("BC5CDR", "BC5CDR-IOB", {"Chemical": "CHEMICAL", "Disease": "DISEASE"}),
    IobSet("NCBI-disease", "NCBI-disease-IOB", {"Disease": "DISEASE"}),
    IobSet("BC2GM", "BC2GM-IOB", {"GENE": "GENE"}),
)


def read_pubtator(
    path: Path, labels: Mapping[str, str] | None = BIORED_LABELS
) -> Iterator[GoldDoc]:
    """PubTator blocks; text is title + " " + abstract, offsets from its start.

    ``labels`` maps the corpus's annotation types to the labels kept (others are dropped);
    ``None`` keeps every annotation under its corpus type.
    """
    block: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip():
                block.append(line)
            elif block:
                yield _pubtator_block(block, labels)
                block = []
    if block:
        yield _pubtator_block(block, labels)


def _pubtator_block(lines: list[str], labels: Mapping[str, str] | None) -> GoldDoc:
    doc_id, title, abstract = "", "", ""
    spans: list[GoldSpan] = []
    for line in lines:
        if "|t|" in line[:30] and not title:
            doc_id, _, title = line.split("|", 2)
            title = title[2:] if title.startswith("t|") else title
        elif "|a|" in line[:30] and not abstract:
            doc_id, _, abstract = line.split("|", 2)
            abstract = abstract[2:] if abstract.startswith("a|") else abstract
        else:
            parts = line.split("\t")
            if len(parts) >= 5 and parts[1].isdigit() and parts[2].isdigit():
                label = parts[4] if labels is None else labels.get(parts[4])
                if label:
                    spans.append(
                        GoldSpan(
                            int(parts[1]), int(parts[2]), label, parts[5] if len(parts) > 5 else ""
                        )
                    )
    text = f"{title} {abstract}" if abstract else title
    known = {s.label for s in spans} if labels is None else set(labels.values())
    return GoldDoc(doc_id, text, tuple(spans), frozenset(known))


def read_iob(path: Path, tags: dict[str, str], name: str = "") -> Iterator[GoldDoc]:
    """Token-per-line IOB; each blank-line-separated sentence becomes a document whose text
    joins the tokens with single spaces (so spans fall on token boundaries)."""
    tokens: list[tuple[str, str]] = []
    count = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    count += 1
                    yield _iob_sentence(f"{name}-{count}", tokens, tags)
                    tokens = []
                continue
            word, _, tag = line.partition("\t")
            tokens.append((word, tag.strip() or "O"))
    if tokens:
        yield _iob_sentence(f"{name}-{count + 1}", tokens, tags)


def _iob_sentence(doc_id: str, tokens: list[tuple[str, str]], tags: dict[str, str]) -> GoldDoc:
    parts: list[str] = []
    spans: list[GoldSpan] = []
    pos = 0
    current: list[object] | None = None  # [start, end, label]
    for word, tag in tokens:
        start = pos
        parts.append(word)
        pos += len(word) + 1
        prefix, _, kind = tag.partition("-")
        label = tags.get(kind)
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = start + len(word)
            continue
        if current is not None:
            spans.append(GoldSpan(int(current[0]), int(current[1]), str(current[2])))
            current = None
        if prefix in ("B", "I") and label:
            current = [start, start + len(word), label]
    if current is not None:
        spans.append(GoldSpan(int(current[0]), int(current[1]), str(current[2])))
    return GoldDoc(doc_id, " ".join(parts), tuple(spans), frozenset(tags.values()))


def iob_path(data_dir: Path, iob: IobSet, split: str) -> Path:
    return data_dir / "ner_iob" / iob.folder / f"{split}.tsv"


DATASETS = ("BioRED-dev", *(iob.name for iob in IOB_SETS))


def dev_documents(settings: Settings, dataset: str) -> list[GoldDoc]:
    """The development split of one dataset (never a test split)."""
    if dataset == "BioRED-dev":
        return list(read_pubtator(settings.data_dir / "biored" / "Dev.PubTator"))
    for iob in IOB_SETS:
        if iob.name == dataset:
            return list(read_iob(iob_path(settings.data_dir, iob, "devel"), iob.tags, iob.name))
    raise ValueError(f"unknown NER dataset {dataset!r}; choose from {', '.join(DATASETS)}")


def evaluate_ner(settings: Settings, datasets: Iterable[str] | None = None) -> list[ScoreRow]:
    """Per-label strict span scores of ``EntityPipeline`` on each dataset's dev split."""
    from litmine.nlp import EntityPipeline

    pipeline = EntityPipeline(settings)
    rows: list[ScoreRow] = []
    for name in datasets or DATASETS:
        docs = dev_documents(settings, name)
        started = time.perf_counter()
        rows.extend(score_documents(name, docs, pipeline, snap=name != "BioRED-dev"))
        log.info("%s: %d documents in %.1fs", name, len(docs), time.perf_counter() - started)
    return rows


def score_documents(name: str, docs: list[GoldDoc], pipeline, *, snap: bool) -> list[ScoreRow]:  # noqa: ANN001
    """Counts over ``docs`` for the labels each document's corpus annotates."""
    from litmine.types import Document

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    labels: set[str] = set()
    for doc in docs:
        labels |= doc.labels
        analysis = pipeline.analyze(Document(doc.doc_id, doc.text))
        starts, ends = _token_bounds(doc.text) if snap else ([], [])
        predicted = set()
        for m in analysis.mentions:
            if m.label in doc.labels:
                predicted.add(
                    (*_snap(m.start, m.end, starts, ends), m.label)
                    if snap
                    else (m.start, m.end, m.label)
                )
        gold = {(s.start, s.end, s.label) for s in doc.spans}
        for _, _, label in predicted & gold:
            tp[label] += 1
        for _, _, label in predicted - gold:
            fp[label] += 1
        for _, _, label in gold - predicted:
            fn[label] += 1
    rows = [ScoreRow.from_counts(name, lab, tp[lab], fp[lab], fn[lab]) for lab in sorted(labels)]
    rows.append(
        ScoreRow.from_counts(name, "ALL", sum(tp.values()), sum(fp.values()), sum(fn.values()))
    )
    return rows


def _token_bounds(text: str) -> tuple[list[int], list[int]]:
    starts, ends, pos = [], [], 0
    for word in text.split(" "):
        starts.append(pos)
        ends.append(pos + len(word))
        pos += len(word) + 1
    return starts, ends


def _snap(start: int, end: int, starts: list[int], ends: list[int]) -> tuple[int, int]:
    """Widen a character span to the whitespace tokens it touches."""
    i = bisect.bisect_right(starts, start) - 1
    j = bisect.bisect_left(ends, end)
    return starts[max(i, 0)], ends[min(j, len(ends) - 1)]
