"""Learned scoring of rule candidates: is the (gene, drug) pair a claim, and which direction.

The rules find every factor–drug pair a cue could govern; many are bystanders (a second gene
named in passing, a drug given to everyone). Two logistic regressions, trained on curated
CIViC statements by ``scripts/train_relations.py``, turn the rules' evidence and document-level
context into calibrated probabilities: ``pair`` (the text states a predictive relation between
this gene and this drug) and ``polarity`` (the relation is resistance rather than sensitivity).
Weights live in ``models/relation_model.json``; scoring is a dot product, so no learning library
is loaded at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from litmine.relations.rules import RESISTANCE, Candidate
from litmine.types import Analysis

MODEL_FILE = "relation_model.json"
_WORD = re.compile(r"[a-z][a-z0-9-]+")
_RULE_NAMES = (
    "cue before drug",
    "cue after drug",
    "reversal cue",
    "cue in clause",
    "cue in sentence",
)


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A logistic regression over named (sparse) features."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class RelationModel:
    pair: LinearModel
    polarity: LinearModel
    threshold: float
    provenance: Mapping[str, object]

    @classmethod
    def load(cls, path: Path) -> RelationModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            pair=LinearModel(data["pair"]["weights"], data["pair"]["bias"]),
            polarity=LinearModel(data["polarity"]["weights"], data["polarity"]["bias"]),
            threshold=data["threshold"],
            provenance=data.get("provenance", {}),
        )

    def save(self, path: Path) -> None:
        data = {
            "provenance": dict(self.provenance),
            "threshold": self.threshold,
            "pair": {"bias": self.pair.bias, "weights": _rounded(self.pair.weights)},
            "polarity": {"bias": self.polarity.bias, "weights": _rounded(self.polarity.weights)},
        }
        path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def _rounded(weights: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in weights.items() if abs(v) >= 1e-4}


def is_scorable(candidate: Candidate) -> bool:
    """The model judges gene–drug pairs; factors, classes and combinations keep rule scores."""
    triple = candidate.triple
    return bool(triple.gene) and not triple.combination and not triple.drug_id.startswith("class:")


class DocumentContext:
    """Document-level counts the pair features need, computed once per document."""

    def __init__(self, analysis: Analysis, candidates: Sequence[Candidate]) -> None:
        chemicals = [m for m in analysis.mentions if m.label == "CHEMICAL"]
        genes = [m for m in analysis.mentions if m.label == "GENE"]
        self.gene_counts = Counter(m.normalized or m.text for m in genes)
        self.drug_counts = Counter((m.normalized or m.text).lower() for m in chemicals)
        self.in_drug_name = Counter(
            m.normalized or m.text
            for m in genes
            if any(c.start <= m.start and m.end <= c.end for c in chemicals)
        )
        self.with_variant = {c.triple.gene for c in candidates if c.anchor_kind == "variant"}
        self.pair_counts = Counter((c.triple.gene, c.triple.drug) for c in candidates)
        self.n_variants = sum(1 for m in analysis.mentions if m.label == "VARIANT")
        self.first_gene = genes[0].normalized or genes[0].text if genes else ""

    def pair_features(self, candidate: Candidate) -> dict[str, float]:
        triple = candidate.triple
        gene_total = sum(self.gene_counts.values()) or 1
        drug_total = sum(self.drug_counts.values()) or 1
        gene_n = self.gene_counts.get(triple.gene, 0)
        drug_n = self.drug_counts.get(triple.drug, 0)
        top_gene = max(self.gene_counts.values(), default=0)
        top_drug = max(self.drug_counts.values(), default=0)
        return {
            f"rule={_rule_name(candidate.rule)}": 1.0,
            f"kind={candidate.anchor_kind}": 1.0,
            "carried": float(candidate.carried),
            "hedged": float(candidate.hedged),
            "weak": float(candidate.weak),
            "negated": float(triple.negated),
            "gene_share": gene_n / gene_total,
            "gene_top": float(gene_n == top_gene),
            "gene_mentions_log": math.log1p(gene_n),
            "gene_in_drug_name": self.in_drug_name.get(triple.gene, 0) / max(gene_n, 1),
            "gene_has_variant": float(triple.gene in self.with_variant),
            "doc_has_variants": float(self.n_variants > 0),
            "drug_share": drug_n / drug_total,
            "drug_top": float(drug_n == top_drug),
            "n_genes_log": math.log1p(len(self.gene_counts)),
            "n_drugs_log": math.log1p(len(self.drug_counts)),
            "pair_sentences_log": math.log1p(self.pair_counts[(triple.gene, triple.drug)]),
            f"relation={triple.relation}": 1.0,
            "gene_first": float(triple.gene == self.first_gene),
            "gene_wild_type": float(_near_wild_type(triple.sentence, triple.gene_text)),
            **_between_features(triple.sentence, triple.variant_text or triple.gene_text,
                                triple.drug_text),
        }


def _between_features(sentence: str, factor_text: str, drug_text: str) -> dict[str, float]:
    """The words between factor and drug, and how far apart they are (a classic relation
    signal: 'T315I confers resistance to imatinib' vs 'T315I ... and, separately, imatinib')."""
    at_factor = sentence.find(factor_text) if factor_text else -1
    at_drug = sentence.find(drug_text.split(" + ")[0]) if drug_text else -1
    if at_factor < 0 or at_drug < 0:
        return {"between=none": 1.0}
    left, right = sorted(((at_factor, len(factor_text)), (at_drug, len(drug_text))))
    words = _WORD.findall(sentence[left[0] + left[1] : right[0]].lower())
    features = {f"bt={word}": 1.0 for word in words[:12]}
    features["between_words_log"] = math.log1p(len(words))
    features["drug_first"] = float(at_drug < at_factor)
    return features


_WILD_TYPE = re.compile(r"wild[- ]?type|\bwt\b|-negative|\bnegative\b|non-?mutant", re.I)


def _near_wild_type(sentence: str, gene_text: str) -> bool:
    """'KRAS wild-type', 'BRAF-negative': the gene is named as the comparison, not the cause."""
    if not gene_text:
        return False
    at = sentence.find(gene_text)
    if at < 0:
        return False
    window = sentence[max(0, at - 15) : at + len(gene_text) + 15]
    return _WILD_TYPE.search(window) is not None


def polarity_features(candidate: Candidate) -> dict[str, float]:
    """The rule's decision plus the words and word pairs of the evidence sentence."""
    triple = candidate.triple
    words = _WORD.findall(triple.sentence.lower())
    features = {
        f"rule={triple.relation}|{_rule_name(candidate.rule)}": 1.0,
        f"rule={triple.relation}": 1.0,
    }
    for word in words:
        features[f"w={word}"] = 1.0
    for first, second in zip(words, words[1:], strict=False):
        features[f"b={first}_{second}"] = 1.0
    return features


def score(
    model: RelationModel, candidate: Candidate, context: DocumentContext
) -> tuple[float, str, float]:
    """(probability the pair is a claim, relation, probability of that relation)."""
    pair = model.pair.probability(context.pair_features(candidate))
    resistance = model.polarity.probability(polarity_features(candidate))
    relation = RESISTANCE if resistance >= 0.5 else "sensitivity"
    return pair, relation, max(resistance, 1.0 - resistance)


def _rule_name(rule: str) -> str:
    return next((name for name in _RULE_NAMES if rule.startswith(name)), "other")
