"""Learned scoring of rule candidates: is the (gene, drug) pair a claim, and which direction.

The rules find every factor–drug pair a cue could govern; many are bystanders (a second gene
named in passing, a drug given to everyone). Two logistic regressions, trained on curated
CIViC statements by ``scripts/train_relations.py``, turn the rules' evidence and document-level
context into calibrated probabilities: ``pair`` (the text states a predictive relation between
this gene and this drug) and ``polarity`` (the relation is resistance rather than sensitivity).
Pair features describe the pair in its document (does the gene carry a variant, is the drug the
treatment given, is the gene the drug's named target, how many rival genes the drug has, how
far apart they are); polarity features are the evidence sentence's words (the whole document's
for a cross-sentence pair) and the document's balance of resistance and sensitivity cues.
Weights live in ``models/relation_model.json``; scoring is a dot product, so no learning library
is loaded at run time.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from litmine.relations.rules import RESISTANCE, Candidate, text_cues
from litmine.types import Analysis, Mention, Sentence

MODEL_FILE = "relation_model.json"
DOCUMENT_RULES = ("document", "pair")  # candidates paired across sentences
_WORD = re.compile(r"[a-z][a-z0-9-]+")
_RULE_NAMES = (
    "cue before drug",
    "cue after drug",
    "reversal cue",
    "cue in clause",
    "cue in sentence",
    "document",
    "pair",
)


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A logistic regression over named (sparse) features."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, features: Mapping[str, float]) -> float:
        weight = self.weights.get
        z = self.bias + sum([weight(name, 0.0) * value for name, value in features.items()])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class RelationModel:
    pair: LinearModel
    polarity: LinearModel
    threshold: float
    provenance: Mapping[str, object]
    # Platt scaling of a triple's raw confidence (pair x direction probability): the product
    # of two probabilities is not itself one; (slope, intercept) on its log-odds
    calibration: tuple[float, float] = (1.0, 0.0)

    @classmethod
    def load(cls, path: Path) -> RelationModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        calibration = data.get("calibration", {"slope": 1.0, "intercept": 0.0})
        return cls(
            pair=LinearModel(data["pair"]["weights"], data["pair"]["bias"]),
            polarity=LinearModel(data["polarity"]["weights"], data["polarity"]["bias"]),
            threshold=data["threshold"],
            provenance=data.get("provenance", {}),
            calibration=(calibration["slope"], calibration["intercept"]),
        )

    def calibrated(self, confidence: float) -> float:
        """The share of triples with this raw confidence that are right."""
        slope, intercept = self.calibration
        if (slope, intercept) == (1.0, 0.0):
            return confidence
        z = slope * log_odds(confidence) + intercept
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, path: Path) -> None:
        slope, intercept = self.calibration
        data = {
            "provenance": dict(self.provenance),
            "threshold": self.threshold,
            "calibration": {"slope": round(slope, 4), "intercept": round(intercept, 4)},
            "pair": {"bias": self.pair.bias, "weights": _rounded(self.pair.weights)},
            "polarity": {"bias": self.polarity.bias, "weights": _rounded(self.polarity.weights)},
        }
        path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def log_odds(probability: float) -> float:
    """The log-odds of a probability, kept finite at 0 and 1: what Platt scaling works on."""
    p = min(max(probability, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def _rounded(weights: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in weights.items() if abs(v) >= 1e-4}


def is_scorable(candidate: Candidate) -> bool:
    """The model judges gene–drug pairs (a drug class too); factors and combinations keep
    rule scores."""
    triple = candidate.triple
    return bool(triple.gene) and not triple.combination


class DocumentContext:
    """Document-level counts the pair features need, computed once per document."""

    def __init__(
        self,
        analysis: Analysis,
        candidates: Sequence[Candidate],
        cue_span: tuple[int, int] | None = None,
    ) -> None:
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
        self.with_alteration = {
            c.triple.gene for c in candidates if c.anchor_kind in ("variant", "alteration")
        }
        self.variants = Counter(
            c.triple.gene
            for c in {(c.triple.gene, c.triple.variant): c for c in candidates}.values()
            if c.anchor_kind == "variant"
        )
        # 'BCR-ABL1', 'EML4-ALK': the 5' partner of a fusion is rarely the gene a claim is about
        self.fusion_partner = {
            a.normalized or a.text
            for a, b in zip(genes, genes[1:], strict=False)
            if 0 <= b.start - a.end <= 2
            and analysis.document.text[a.end : b.start] in ("-", "::", "/", "–")
        }
        self.pair_counts = Counter((c.triple.gene, c.triple.drug) for c in candidates)
        # competition: how many genes a drug is paired with, and how many drugs a gene
        self.genes_of_drug: dict[str, set[str]] = {}
        self.drugs_of_gene: dict[str, set[str]] = {}
        for gene, drug in self.pair_counts:
            self.genes_of_drug.setdefault(drug, set()).add(gene)
            self.drugs_of_gene.setdefault(gene, set()).add(drug)
        self.gene_total = sum(self.gene_counts.values()) or 1
        self.drug_total = sum(self.drug_counts.values()) or 1
        self.top_gene = max(self.gene_counts.values(), default=0)
        self.top_drug = max(self.drug_counts.values(), default=0)
        self.n_variants = sum(1 for m in analysis.mentions if m.label == "VARIANT")
        self.first_gene = genes[0].normalized or genes[0].text if genes else ""
        self.analysis = analysis
        text = self.text = analysis.document.text
        # where the cues that weigh on a direction are: the whole text unless one sentence
        # is read alone
        self.cue_span = cue_span or (0, len(text))
        starts = [s.start for s in analysis.sentences]
        self.gene_sentences: dict[str, set[int]] = {}
        for m in genes:
            index = bisect_right(starts, m.start) - 1
            self.gene_sentences.setdefault(m.normalized or m.text, set()).add(index)
        self.drug_sentences: dict[str, set[int]] = {}
        self.treated: set[str] = set()
        drug_order: list[str] = []
        for m in chemicals:
            name = (m.normalized or m.text).lower()
            self.drug_sentences.setdefault(name, set()).add(bisect_right(starts, m.start) - 1)
            if name not in drug_order:
                drug_order.append(name)
            if _TREATED_BEFORE.search(text[max(0, m.start - 40) : m.start]) or _TREATED_AFTER.match(
                text[m.end : m.end + 25]
            ):
                self.treated.add(name)
        self.first_drug = drug_order[0] if drug_order else ""
        self.targets = _named_targets(text, genes, chemicals)

    @classmethod
    def of_sentence(
        cls, analysis: Analysis, sentence: Sentence, candidates: Sequence[Candidate]
    ) -> DocumentContext:
        """The context of one sentence read alone, as if it were the whole text."""
        mentions = tuple(m for m in analysis.mentions if sentence.start <= m.start < sentence.end)
        alone = Analysis(analysis.document, (sentence,), mentions, analysis.abbreviations)
        return cls(alone, candidates, (sentence.start, sentence.end))

    def pair_features(self, candidate: Candidate) -> dict[str, float]:
        triple = candidate.triple
        drug = triple.drug.lower()  # mentions are counted by their lower-cased name
        gene_n = self.gene_counts.get(triple.gene, 0)
        drug_n = self.drug_counts.get(drug, 0)
        top_gene, top_drug = self.top_gene, self.top_drug
        return {
            f"rule={_rule_name(candidate.rule)}": 1.0,
            f"kind={candidate.anchor_kind}": 1.0,
            "carried": float(candidate.carried),
            "hedged": float(candidate.hedged),
            "weak": float(candidate.weak),
            "shadowed": float(candidate.shadowed),
            "negated": float(triple.negated),
            "gene_share": gene_n / self.gene_total,
            "gene_top": float(gene_n == top_gene),
            "gene_mentions_log": math.log1p(gene_n),
            "gene_no_symbol": float(not triple.gene_id.startswith("HGNC:")),
            "gene_in_drug_name": self.in_drug_name.get(triple.gene, 0) / max(gene_n, 1),
            "gene_has_variant": float(triple.gene in self.with_variant),
            "gene_only_variant": float(self.with_variant == {triple.gene}),
            "gene_has_alteration": float(triple.gene in self.with_alteration),
            "gene_variants_log": math.log1p(self.variants.get(triple.gene, 0)),
            "gene_fusion_partner": float(triple.gene in self.fusion_partner),
            "drug_mentions_log": math.log1p(drug_n),
            "gene_is_target": float((triple.gene, drug) in self.targets),
            "gene_targeted": float(any(g == triple.gene for g, _ in self.targets)),
            "drug_class": float(triple.drug_id.startswith("class:")),
            # a chemical only MeSH knows is mostly a reagent ("agar", "GTP"), not a treatment
            f"drug_vocabulary={triple.drug_id.partition(':')[0] or 'none'}": 1.0,
            **self._competition_features(triple.gene, triple.drug),
            "top_gene_treated_drug": float(gene_n == top_gene and drug in self.treated),
            "doc_has_variants": float(self.n_variants > 0),
            "drug_share": drug_n / self.drug_total,
            "drug_top": float(drug_n == top_drug),
            "n_genes_log": math.log1p(len(self.gene_counts)),
            "n_drugs_log": math.log1p(len(self.drug_counts)),
            "pair_sentences_log": math.log1p(self.pair_counts[(triple.gene, triple.drug)]),
            f"relation={triple.relation}": 1.0,
            "gene_first": float(triple.gene == self.first_gene),
            "drug_first": float(drug == self.first_drug),
            "drug_treated": float(drug in self.treated),
            **self._distance_features(triple.gene, drug),
            "gene_wild_type": float(_near_wild_type(triple.sentence, triple.gene_text)),
            **_between_features(
                triple.sentence, triple.variant_text or triple.gene_text, triple.drug_text
            ),
            **_window_features(triple.sentence, triple.drug_text.split(" + ")[0], "d"),
            **_window_features(triple.sentence, triple.gene_text or triple.variant_text, "g"),
        }

    def _competition_features(self, gene: str, drug: str) -> dict[str, float]:
        """Is this the gene the drug is most often named with (and the drug the gene is)?"""
        rivals = self.genes_of_drug.get(drug, set())
        drugs = self.drugs_of_gene.get(gene, set())
        gene_n = self.gene_counts.get(gene, 0)
        drug_n = self.drug_counts.get(drug.lower(), 0)
        best_gene = max((self.gene_counts.get(g, 0) for g in rivals), default=0)
        best_drug = max((self.drug_counts.get(d.lower(), 0) for d in drugs), default=0)
        variant_rivals = sum(1 for g in rivals if g in self.with_variant)
        return {
            "rival_genes_log": math.log1p(len(rivals) - 1) if rivals else 0.0,
            "rival_drugs_log": math.log1p(len(drugs) - 1) if drugs else 0.0,
            "gene_best_for_drug": float(gene_n >= best_gene),
            "drug_best_for_gene": float(drug_n >= best_drug),
            "variant_gene_alone": float(gene in self.with_variant and variant_rivals == 1),
            "variant_gene_rivalled": float(gene not in self.with_variant and variant_rivals > 0),
        }

    def _distance_features(self, gene: str, drug: str) -> dict[str, float]:
        """How close gene and drug come in the document, in sentences."""
        genes = self.gene_sentences.get(gene) or set()
        drugs = self.drug_sentences.get(drug) or set()
        if not genes or not drugs:
            return {"distance=unknown": 1.0}
        gap = min(abs(g - d) for g in genes for d in drugs)
        return {f"distance={min(gap, 3)}": 1.0}

    @cached_property
    def polarity_context(self) -> dict[str, float]:
        """The document's cue balance and cue words: a summary states one outcome, often far
        from the pair. Read only when a candidate's direction is scored."""
        start, end = self.cue_span
        cues = [cue for cue in text_cues(self.text) if start <= cue.start < end]
        res = sum(1 for cue in cues if cue.relation == RESISTANCE)
        sen = len(cues) - res
        return {
            "doc_res_log": math.log1p(res),
            "doc_sen_log": math.log1p(sen),
            "doc_more_res": float(res > sen),
            **{f"dc={cue.words}": 1.0 for cue in cues},
        }


_TARGETING = re.compile(r"inhibit|antibod|\btki|blocker|antagonist|\banti-|target", re.IGNORECASE)


def _named_targets(
    text: str, genes: Sequence[Mention], chemicals: Sequence[Mention]
) -> set[tuple[str, str]]:
    """(gene, drug) where the text names the gene as the drug's target: "the BRAF inhibitor
    vemurafenib", "cetuximab (an anti-EGFR antibody)"."""
    found: set[tuple[str, str]] = set()
    for drug in chemicals:
        name = (drug.normalized or drug.text).lower()
        for gene in genes:
            if drug.start - 45 <= gene.start and gene.end <= drug.start:
                named = _TARGETING.search(text, gene.end, drug.start)
            elif drug.end <= gene.start <= drug.end + 30:  # inside the apposition
                named = (
                    _APPOSED.match(text, drug.end)
                    and ")" not in text[drug.end : gene.start]
                    and _TARGETING.search(text, drug.end, gene.end + 15)
                )
            else:
                continue
            if named:
                found.add((gene.normalized or gene.text, name))
    return found


_APPOSED = re.compile(r"\s*[(,]")
_TREATED_BEFORE = re.compile(
    r"\b(?:treat(?:ed|ment)|therap(?:y|ies)|given|receiv(?:ed|ing)|respon(?:se|ded|sive)|"
    r"sensitiv(?:e|ity)|resistan(?:t|ce)|exposure|exposed|dose[sd]?|with|to)\s+"
    r"(?:with\s+|to\s+)?(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_TREATED_AFTER = re.compile(
    r"[- ](?:treat\w*|therapy|monotherapy|based|resistan\w*|sensitiv\w*|respon\w*|"
    r"exposure|naive|refractory)\b",
    re.IGNORECASE,
)


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
    features["drug_before_factor"] = float(at_drug < at_factor)
    return features


@lru_cache(maxsize=256)
def _window_features(sentence: str, surface: str, name: str) -> dict[str, float]:
    """The two words before (``{name}pre=``) and after (``{name}post=``) a mention: "versus
    X", "prior X", "resistant to X" tell a comparator or a past treatment from the drug a
    claim is about; "HER2-negative", "KRAS wild-type", "expression of p16" a context gene
    from a stated factor. Cached, as every gene of a sentence is paired with its drug:
    callers only read the result."""
    at = sentence.find(surface) if surface else -1
    if at < 0:
        return {}
    before = _WORD.findall(sentence[max(0, at - 30) : at].lower())[-2:]
    after = _WORD.findall(sentence[at + len(surface) : at + len(surface) + 30].lower())[:2]
    return {**{f"{name}pre={w}": 1.0 for w in before}, **{f"{name}post={w}": 1.0 for w in after}}


_WILD_TYPE = re.compile(
    r"wild[- ]?type|\bwt\b|-negative|\bnegative\b|non-?mutant|non-?mutated|unmutated|unaltered",
    re.IGNORECASE,
)


def _near_wild_type(sentence: str, gene_text: str) -> bool:
    """'KRAS wild-type', 'BRAF-negative': the gene is named as the comparison, not the cause."""
    if not gene_text:
        return False
    at = sentence.find(gene_text)
    if at < 0:
        return False
    window = sentence[max(0, at - 15) : at + len(gene_text) + 15]
    return _WILD_TYPE.search(window) is not None


def polarity_features(candidate: Candidate, context: DocumentContext) -> dict[str, float]:
    """The rule's decision, the document's cue balance and the words and word pairs of the
    evidence sentence."""
    triple = candidate.triple
    # a cross-sentence pair has no sentence of its own: the document states its outcome
    evidence = context.text if candidate.rule in DOCUMENT_RULES else triple.sentence
    words = _WORD.findall(evidence.lower())
    features = {
        f"rule={triple.relation}|{_rule_name(candidate.rule)}": 1.0,
        f"rule={triple.relation}": 1.0,
        f"rule={triple.relation}|{candidate.rule}": 1.0,
        **context.polarity_context,
    }
    for word in words:
        features[f"w={word}"] = 1.0
    for first, second in zip(words, words[1:], strict=False):
        features[f"b={first}_{second}"] = 1.0
    return features


def pair_probability(model: RelationModel, candidate: Candidate, context: DocumentContext) -> float:
    """The probability that the text states this gene–drug relation."""
    return model.pair.probability(context.pair_features(candidate))


def direction(
    model: RelationModel,
    candidate: Candidate,
    context: DocumentContext,
    polarity_cache: dict[tuple[str, str, int], float] | None = None,
) -> tuple[str, float]:
    """The relation and its probability. Candidates that share their rule, direction and
    evidence share the polarity: pass one ``polarity_cache`` for all candidates of a
    document and one model, and it is computed once."""
    triple = candidate.triple
    at = -1 if candidate.rule in DOCUMENT_RULES else triple.sentence_start
    key = (triple.relation, candidate.rule, at)
    resistance = polarity_cache.get(key) if polarity_cache is not None else None
    if resistance is None:
        resistance = model.polarity.probability(polarity_features(candidate, context))
        if polarity_cache is not None:
            polarity_cache[key] = resistance
    relation = RESISTANCE if resistance >= 0.5 else "sensitivity"
    return relation, max(resistance, 1.0 - resistance)


def _rule_name(rule: str) -> str:
    return next((name for name in _RULE_NAMES if rule.startswith(name)), "other")
