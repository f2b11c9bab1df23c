"""Score the variant recognizer against the public mutation corpora.

Span scoring is strict (exact character offsets). Mentions of kinds a corpus does not
annotate at all (ITD/TKD, exon indels, gene-bound positions such as "D835 mutations")
are left out of span scoring for that corpus, since counting them would measure the
annotation scheme rather than the recognizer. Compounds ("C60S/L244F") are scored as
their parts, as the corpora annotate each change separately.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from litmine.config import Settings
from litmine.evaluation.ner import read_pubtator as read_gold_pubtator
from litmine.evaluation.scoring import ScoreRow
from litmine.nlp.variants import VariantMatch, expand_compounds, find_variants

UNSCORED_KINDS = frozenset({"itd", "tkd", "exon", "position"})
# tmVar and SETH annotate notations, not prose ("C to T transition", "30 nucleotide
# deletion"), alleles at a position ("-1021T allele") or repeat counts ("(CCTTT)10").
PROSE_KINDS = frozenset({"prose", "allele", "repeat"})
_TMVAR_TYPES = {
    "protein": "ProteinMutation",
    "stop": "ProteinMutation",
    "frameshift": "ProteinMutation",
    "compound": "ProteinMutation",
    "dna": "DNAMutation",
    "rsid": "SNP",
}
_POINT = re.compile(r"p\.([A-Z])(\d+)([A-Z])")


@dataclass(frozen=True, slots=True)
class SpanDoc:
    """A gold document: its text and (start, end, label) spans."""

    doc_id: str
    text: str
    spans: frozenset[tuple[int, int, str]]


def read_pubtator(path: Path, labels: Iterable[str] | None = None) -> Iterator[SpanDoc]:
    """PubTator documents (title + " " + abstract); keep only annotations of ``labels``."""
    keep = None if labels is None else {label: label for label in labels}
    for doc in read_gold_pubtator(path, keep):
        yield SpanDoc(doc.doc_id, doc.text, frozenset((s.start, s.end, s.label) for s in doc.spans))


def predicted_spans(
    text: str,
    label_of: dict[str, str] | None = None,
    unscored: frozenset[str] = UNSCORED_KINDS,
) -> set[tuple[int, int, str]]:
    """Scored predictions: compounds split, unscored kinds dropped, kinds mapped to labels."""
    out = set()
    for m in expand_compounds(text, find_variants(text)):
        if m.kind in unscored:
            continue
        label = label_of.get(m.kind, m.kind) if label_of else "VARIANT"
        out.add((m.start, m.end, label))
    return out


def score_spans(
    dataset: str,
    docs: Iterable[SpanDoc],
    label_of: dict[str, str] | None,
    unscored: frozenset[str] = UNSCORED_KINDS,
) -> list[ScoreRow]:
    """Strict span P/R/F1: "ALL" ignores labels, "ALL+type" and per-label rows need them."""
    untyped = Counter[str]()
    typed = Counter[tuple[str, str]]()
    for doc in docs:
        pred = predicted_spans(doc.text, label_of, unscored)
        gold = set(doc.spans) if label_of else {(s, e, "VARIANT") for s, e, _ in doc.spans}
        pred_u, gold_u = {(s, e) for s, e, _ in pred}, {(s, e) for s, e, _ in gold}
        untyped["tp"] += len(pred_u & gold_u)
        untyped["fp"] += len(pred_u - gold_u)
        untyped["fn"] += len(gold_u - pred_u)
        for s, e, label in pred:
            typed[(label, "tp" if (s, e, label) in gold else "fp")] += 1
        for _, _, label in gold - pred:
            typed[(label, "fn")] += 1
    rows = [ScoreRow.from_counts(dataset, "ALL", untyped["tp"], untyped["fp"], untyped["fn"])]
    labels = sorted({label for label, _ in typed})
    if label_of:
        total = {k: sum(typed[(label, k)] for label in labels) for k in ("tp", "fp", "fn")}
        rows.append(ScoreRow.from_counts(dataset, "ALL+type", **total))
    for label in labels:
        counts = {k: typed[(label, k)] for k in ("tp", "fp", "fn")}
        rows.append(ScoreRow.from_counts(dataset, label, **counts))
    return rows


def tmvar_docs(settings: Settings) -> list[SpanDoc]:
    return list(read_pubtator(settings.data_dir / "mutations" / "tmvar" / "train.txt"))


def evaluate_tmvar(settings: Settings) -> list[ScoreRow]:
    """tmVar train: strict spans, overall and per DNAMutation/ProteinMutation/SNP."""
    return score_spans(
        "tmvar-train", tmvar_docs(settings), _TMVAR_TYPES, UNSCORED_KINDS | PROSE_KINDS
    )


def biored_variant_docs(settings: Settings, split: str = "Train") -> list[SpanDoc]:
    path = settings.data_dir / "biored" / f"{split}.PubTator"
    return list(read_pubtator(path, labels={"SequenceVariant"}))


def evaluate_biored(settings: Settings, split: str = "Train") -> list[ScoreRow]:
    """BioRED SequenceVariant spans (held-out check: never tuned on)."""
    return score_spans(f"biored-{split.lower()}", biored_variant_docs(settings, split), None)


def seth_texts(root: Path) -> dict[str, str]:
    """SETH's abstracts by PMID (``corpus.txt``: "PMID<TAB>text" per line); the brat
    offsets of ``annotations/`` count from the start of the text."""
    texts = {}
    with (root / "corpus.txt").open(encoding="utf-8") as fh:
        for line in fh:
            pmid, _, body = line.rstrip("\n").partition("\t")
            texts[pmid] = body
    return texts


def seth_docs(settings: Settings) -> list[SpanDoc]:
    """SETH brat annotations; offsets are relative to the text after "PMID<TAB>"."""
    root = settings.data_dir / "mutations" / "seth"
    texts = seth_texts(root)
    docs = []
    for ann in sorted((root / "annotations").glob("*.ann")):
        text = texts.get(ann.stem)
        if text is None:
            continue
        spans = set()
        for line in ann.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 3 or not cols[0].startswith("T"):
                continue
            label, *offsets = cols[1].split()
            if label in ("SNP", "RS") and len(offsets) == 2:
                spans.add((int(offsets[0]), int(offsets[1]), "VARIANT"))
        docs.append(SpanDoc(ann.stem, text, frozenset(spans)))
    return docs


def evaluate_seth(settings: Settings) -> list[ScoreRow]:
    """SETH mutation spans (held-out check: never tuned on)."""
    return score_spans("seth", seth_docs(settings), None, UNSCORED_KINDS | PROSE_KINDS)


def point_mutations(matches: Iterable[VariantMatch]) -> set[str]:
    """Protein point substitutions in MutationFinder's wNm form ("T315I")."""
    out = set()
    for m in matches:
        if m.kind not in ("protein", "compound"):
            continue
        for norm in m.parts or (m.normalized,):
            point = _POINT.fullmatch(norm)
            if point:
                out.add("".join(point.groups()))
    return out


def mutationfinder_docs(settings: Settings) -> list[tuple[str, str, set[str]]]:
    """(pmid, title + " " + abstract, gold wNm set) for the MutationFinder devo set."""
    root = settings.data_dir / "mutations" / "mutationfinder"
    gold: dict[str, set[str]] = {}
    for line in (root / "devo_gold_std.txt").read_text(encoding="utf-8").splitlines():
        pmid, *muts = line.split("\t")
        if pmid.strip():
            gold[pmid.strip()] = {m.strip() for m in muts if m.strip()}
    docs = []
    for line in (root / "devo_text.txt").read_text(encoding="utf-8").splitlines():
        pmid, title, abstract = (line.split("\t") + ["", ""])[:3]
        docs.append((pmid, f"{title} {abstract}", gold.get(pmid, set())))
    return docs


def evaluate_mutationfinder(settings: Settings) -> list[ScoreRow]:
    """Document-level normalized point mutations, as MutationFinder's own evaluation."""
    tp = fp = fn = 0
    for _, text, gold in mutationfinder_docs(settings):
        pred = point_mutations(find_variants(text))
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return [ScoreRow.from_counts("mutationfinder-devo", "point-mutation", tp, fp, fn)]


def evaluate_all(settings: Settings) -> list[ScoreRow]:
    """Every variant evaluation in one table (tuned sets first, held-out checks after)."""
    return (
        evaluate_tmvar(settings)
        + evaluate_mutationfinder(settings)
        + evaluate_seth(settings)
        + evaluate_biored(settings)
    )
