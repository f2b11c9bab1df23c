"""Training the relation scorer on CIViC statements, and cross-validating it.

Used by ``scripts/train_relations.py`` (which writes ``models/relation_model.json``) and by
``litmine eval relations`` (which reports out-of-fold figures, never in-sample ones).
scikit-learn is needed here only; it comes with scispacy.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from litmine.relations import RelationExtractor
from litmine.relations.rules import RESISTANCE, Candidate, find_candidates
from litmine.relations.scoring import (
    DocumentContext,
    LinearModel,
    RelationModel,
    is_scorable,
    log_odds,
    polarity_features,
)
from litmine.types import Analysis, Triple

FOLDS = 5
FOLD_SEED = 13
THRESHOLDS = tuple(t / 100 for t in range(5, 95, 5))
# a flat top: F1 within about two triples of the 1,050 curated claims (one triple moves the
# F1 by about 0.0009). 0.001 let a difference of 0.0001 between 0.15 and 0.20 decide, and
# the higher pick cost a sixth of the pairs found in real abstracts (BioRED Train: 61 to 51
# related); 0.003 let the choice slide down the curve's low side, where the smoothing
# averages in a worse neighbour
FLAT_TOP = 0.002


@dataclass(frozen=True)
class LabelledDocument:
    """One curated statement: its analysis, rule candidates and the gold pairs it states."""

    analysis: Analysis
    candidates: list[Candidate]
    context: DocumentContext
    gold_gene: str
    gold_drugs: frozenset[str]
    relation: str  # gold relation
    supports: bool
    source: str  # the paper the statement summarizes: statements of one paper share a fold

    @classmethod
    def build(
        cls,
        analysis: Analysis,
        gene: str,
        drugs: Iterable[str],
        relation: str,
        supports: bool,
        source: str = "",
    ) -> LabelledDocument:
        candidates = find_candidates(analysis)
        return cls(
            analysis,
            candidates,
            DocumentContext(analysis, candidates),
            gene,
            frozenset(drugs),
            relation,
            supports,
            source or analysis.document.doc_id,
        )

    def is_gold_pair(self, candidate: Candidate) -> bool:
        triple = candidate.triple
        return self.gold_gene in triple.gene.split("::") and triple.drug in self.gold_drugs

    @property
    def gold_claims(self) -> set[tuple[str, str, str]]:
        """The (gene, drug, relation) claims the curated statement makes."""
        return {(self.gold_gene, drug, self.relation) for drug in self.gold_drugs}

    def claims_of(self, triple: Triple) -> set[tuple[str, str, str]]:
        """The (gene, drug, relation) claims a triple counts as against this statement."""
        return claims_of(triple, (self.gold_gene,))


def claims_of(triple: Triple, curated_genes: Iterable[str]) -> set[tuple[str, str, str]]:
    """The (gene, drug, relation) claims a triple counts as: one per drug of a combination;
    a fusion ("EML4::ALK") is one finding, credited to a curated gene when that is a
    partner, else counted once as itself."""
    partners = triple.gene.split("::")
    gene = next((g for g in sorted(curated_genes) if g in partners), triple.gene)
    return {(gene, d.strip().lower(), triple.relation) for d in triple.drug.split(" + ")}


def is_scored(triple: Triple) -> bool:
    """The triples the CIViC figures count: stated (not inferred from a class), affirmed and
    with a gene."""
    return not triple.negated and not triple.inferred_from_class and bool(triple.gene)


def fit(
    documents: Sequence[LabelledDocument],
    *,
    threshold: float | None = None,
    provenance: dict | None = None,
) -> RelationModel:
    """Fit both logistic regressions; choose the threshold by inner cross-validation."""
    pair_x, pair_y, pol_x, pol_y = [], [], [], []
    for doc in documents:
        for candidate in doc.candidates:
            if not is_scorable(candidate):
                continue
            gold = doc.is_gold_pair(candidate)
            pair_x.append(doc.context.pair_features(candidate))
            pair_y.append(int(gold))
            if gold and doc.supports:
                pol_x.append(polarity_features(candidate, doc.context))
                pol_y.append(int(doc.relation == RESISTANCE))
    pair = _logistic(pair_x, pair_y, c=0.3)
    polarity = _logistic(pol_x, pol_y, c=0.5)
    info = {"pair_examples": len(pair_y), "polarity_examples": len(pol_y), **(provenance or {})}
    if threshold is not None:
        return RelationModel(pair, polarity, threshold, info)
    inner = _inner_folds(documents)
    threshold = best_threshold(inner)
    calibration = _calibration(inner, threshold)
    return RelationModel(pair, polarity, threshold, info, calibration)


def _logistic(rows: list[dict[str, float]], labels: list[int], *, c: float) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    model.fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    return LinearModel(
        dict(zip(names, model.coef_[0].tolist(), strict=True)), float(model.intercept_[0])
    )


def folds(
    documents: Sequence[LabelledDocument], k: int = FOLDS, seed: int = FOLD_SEED
) -> list[list[int]]:
    """``k`` folds of document indices, whole papers at a time: CIViC summarizes one paper in
    several statements (often word for word), and a model must not be tested on a paper it
    was trained on. Papers go, in random order, to the fold with the fewest documents."""
    by_source: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        by_source.setdefault(doc.source, []).append(i)
    sources = sorted(by_source)
    random.Random(seed).shuffle(sources)
    result: list[list[int]] = [[] for _ in range(k)]
    for source in sources:
        min(result, key=len).extend(by_source[source])
    return result


def out_of_fold_models(
    documents: Sequence[LabelledDocument],
    *,
    k: int = FOLDS,
    threshold: float | None = None,
    seed: int = FOLD_SEED,
) -> Iterator[tuple[RelationModel, list[int]]]:
    """Per fold, a model fitted on the other folds and the indices of the documents it never
    saw."""
    for held_out in folds(documents, k, seed=seed):
        held = set(held_out)
        model = fit([d for i, d in enumerate(documents) if i not in held], threshold=threshold)
        yield model, held_out


def out_of_fold_triples(
    documents: Sequence[LabelledDocument],
    *,
    k: int = FOLDS,
    threshold: float | None = None,
    extractor: RelationExtractor | None = None,
    seed: int = FOLD_SEED,
) -> dict[str, list[Triple]]:
    """Each document's triples from a model that never saw it, selected by ``extractor``
    (give the shipped one, with its drug classes, to score what ``extract`` outputs)."""
    extractor = extractor or RelationExtractor()
    result: dict[str, list[Triple]] = {}
    for model, held_out in out_of_fold_models(documents, k=k, threshold=threshold, seed=seed):
        for i in held_out:
            doc = documents[i]
            result[doc.analysis.document.doc_id] = extractor.select(
                doc.candidates, doc.context, model=model
            )
    return result


def _inner_folds(
    documents: Sequence[LabelledDocument],
) -> list[tuple[RelationModel, list[LabelledDocument]]]:
    """Inner 3-fold models (threshold 0.5, uncalibrated), each with its held-out statements."""
    result = []
    for held_out in folds(documents, 3, seed=7):
        held = set(held_out)
        model = fit([d for i, d in enumerate(documents) if i not in held], threshold=0.5)
        result.append((model, [documents[i] for i in held_out]))
    return result


def best_threshold(inner: Sequence[tuple[RelationModel, list[LabelledDocument]]]) -> float:
    """The pair threshold (see :func:`flat_top_threshold`) for the out-of-fold triple F1
    (inner folds) of the triples ``extract`` would output at each of ``THRESHOLDS``."""
    curve = []
    for threshold in THRESHOLDS:
        tp = fp = fn = 0
        for doc, triples in _stated_triples(inner, threshold):
            found = {claim for t in triples for claim in doc.claims_of(t)}
            gold = doc.gold_claims
            tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
        curve.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return flat_top_threshold(curve)


def flat_top_threshold(curve: Sequence[float]) -> float:
    """The lowest of ``THRESHOLDS`` whose F1 on ``curve``, averaged with its neighbours,
    comes within ``FLAT_TOP`` of the best: the curve is flat near its top, and a lone peak
    there is noise. Within the flat top the lowest wins because curated statements state
    one finding each, while an abstract states several and the scorer, which learned from
    the statements, underrates all but its main one."""
    smoothed = [
        sum(curve[max(0, i - 1) : i + 2]) / len(curve[max(0, i - 1) : i + 2])
        for i in range(len(curve))
    ]
    top = max(smoothed) - FLAT_TOP
    return next(t for t, f1 in zip(THRESHOLDS, smoothed, strict=True) if f1 >= top)


def _calibration(
    inner: Sequence[tuple[RelationModel, list[LabelledDocument]]], threshold: float
) -> tuple[float, float]:
    """Platt scaling fitted on the inner folds' stated triples at ``threshold``: their raw
    confidence against whether the curated statement holds them."""
    from sklearn.linear_model import LogisticRegression

    logits, labels = [], []
    for doc, triples in _stated_triples(inner, threshold):
        for t in triples:
            logits.append([log_odds(t.confidence)])
            labels.append(int(bool(doc.claims_of(t) & doc.gold_claims)))
    if len(set(labels)) < 2:
        return 1.0, 0.0
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(logits, labels)
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def _stated_triples(
    inner: Sequence[tuple[RelationModel, list[LabelledDocument]]], threshold: float
) -> Iterator[tuple[LabelledDocument, list[Triple]]]:
    """Each supported held-out statement of the inner folds with the scored triples
    ``extract`` outputs for it at ``threshold``."""
    selector = RelationExtractor()
    for model, held_out in inner:
        model = dataclasses.replace(model, threshold=threshold)
        for doc in held_out:
            if doc.supports:
                triples = selector.select(doc.candidates, doc.context, model=model)
                yield doc, [t for t in triples if is_scored(t)]
