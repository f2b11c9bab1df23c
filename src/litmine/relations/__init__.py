"""Relation extraction: an ``Analysis`` → gene/variant–drug–resistance|sensitivity triples.

Three steps: the rules (``rules``) find candidate triples with a direction; the learned scorer
(``scoring``) keeps the pairs a text really states and sets a calibrated confidence and the
direction; drug classes are kept and expanded to the member drugs they denote in context.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from litmine.relations.hotspots import load_hotspots
from litmine.relations.passages import passages, placed
from litmine.relations.rules import (
    DENIED_SENSITIVITY,
    EXCEPTED,
    HEDGED_CONFIDENCE,
    NO_ALTERATION,
    RESISTANCE,
    REVERSAL_RULE,
    SENSITIVITY,
    WILD_TYPE,
    Candidate,
    document_disease,
    find_candidates,
    sentence_may_hold_triple,
    variant_genes,
)
from litmine.relations.scoring import (
    DOCUMENT_RULES,
    MODEL_FILE,
    DocumentContext,
    RelationModel,
    direction,
    is_scorable,
    pair_probability,
)
from litmine.types import UNNAMED_CHEMOTHERAPY_ID, Analysis, Triple

# A gene scored below this share of the best-scored gene for the drug in its sentence (and
# under the same cue) is a bystander: a sentence names many genes, its claim about a drug
# usually concerns one (or a few equally likely).
RIVAL_SHARE = 0.8

__all__ = [
    "RESISTANCE",
    "RIVAL_SHARE",
    "SENSITIVITY",
    "MODEL_FILE",
    "Candidate",
    "DrugClassInfo",
    "RelationExtractor",
    "RelationModel",
    "sentence_may_hold_triple",
    "variant_genes",
]


@dataclass(frozen=True, slots=True)
class DrugClassInfo:
    """What relations needs to know of a drug class.

    ``members`` are lower-case generic names. An ``umbrella`` class ("TKIs") denotes different
    drugs in different contexts, so its members come from the class whose ``targets`` hold
    the triple's gene (or disease): "TKIs" next to BCR-ABL1 means the ABL inhibitors.
    """

    name: str
    members: tuple[str, ...]
    targets: tuple[str, ...] = ()
    umbrella: bool = False
    target_ids: tuple[str, ...] = ()  # per target: the HGNC id of its (3') gene, or ""


class RelationExtractor:
    """Triples of a document: rule candidates, scored, deduplicated, classes expanded."""

    def __init__(
        self,
        drug_classes: Mapping[str, DrugClassInfo] | None = None,
        *,
        regimens: Mapping[str, Sequence[str]] | None = None,
        hotspots: Mapping[str, str] | None = None,
        model: RelationModel | None = None,
        extractor_version: str = "",
    ) -> None:
        self._regimens = {k.lower(): tuple(v) for k, v in (regimens or {}).items()}
        self._gene_of_change = dict(hotspots or {})
        self._classes = {k.lower(): v for k, v in (drug_classes or {}).items()}
        self._class_by_target: dict[str, DrugClassInfo] = {}
        for info in self._classes.values():
            for target in info.targets if not info.umbrella else ():
                known = self._class_by_target.get(target.lower())
                if known is None or len(info.members) < len(known.members):
                    self._class_by_target[target.lower()] = info  # the most specific class
        self._gene_of_drug = _single_gene_targets(self._classes.values())
        self._model = model
        self._version = extractor_version

    @classmethod
    def from_models_dir(
        cls,
        models_dir: Path,
        drug_classes: Mapping[str, DrugClassInfo],
        *,
        regimens: Mapping[str, Sequence[str]] | None = None,
        version: str = "",
    ) -> RelationExtractor:
        """With the trained scorer and the hotspot table when ``models_dir`` has them, else
        rules alone. ``regimens``: regimen name ("folfiri") → the drugs it gives together."""
        path = models_dir / MODEL_FILE
        model = RelationModel.load(path) if path.is_file() else None
        return cls(
            drug_classes,
            regimens=regimens,
            hotspots=load_hotspots(models_dir),
            model=model,
            extractor_version=version,
        )

    sentence_may_hold_triple = staticmethod(sentence_may_hold_triple)

    def extract(self, analysis: Analysis, *, model: RelationModel | None = None) -> list[Triple]:
        """All triples of one analysed document, deduplicated, in text order. A long
        document is read passage by passage (see :mod:`litmine.relations.passages`)."""
        disease = document_disease(analysis.mentions)
        triples: list[Triple] = []
        for offset, passage in passages(analysis):  # a long text, paragraph by paragraph
            candidates = find_candidates(passage, default_disease=disease)
            if candidates:
                context = DocumentContext(passage, candidates)
                selected = self.select(candidates, context, model=model)
                triples += [placed(t, offset) for t in selected]
        return triples

    def select(
        self,
        candidates: list[Candidate],
        context: DocumentContext,
        *,
        model: RelationModel | None = None,
    ) -> list[Triple]:
        """Score candidates (with ``model``, default the loaded one) and expand classes."""
        model = model or self._model
        pairs = {
            i: pair_probability(model, c, context)
            for i, c in enumerate(candidates)
            if model is not None and is_scorable(c)
        }
        floors = _rival_floors({i: (candidates[i], pair) for i, pair in pairs.items()})
        explicit = {i for i, c in enumerate(candidates) if _is_explicit(c)}
        failing = {i for i, pair in pairs.items() if pair < max(model.threshold, floors[i])}
        stated = _claims_their_sentence_makes(candidates, failing, context, model) if model else {}
        bound = {candidates[i].triple.drug for i in explicit}
        claiming_genes, claimed_drugs = _claimants(candidates)
        cache: dict[tuple[str, str, int], float] = {}
        triples: list[Triple] = []
        for i, candidate in enumerate(candidates):
            triple = candidate.triple
            if candidate.anchor_kind == "factor" and candidate.shadowed:
                # a variant stands between the factor and the drug, and the claim is its:
                # "resistant clones harbored D835 mutations, which remained sensitive to X"
                continue
            if candidate.rule in DOCUMENT_RULES and (
                i not in pairs
                or triple.drug in bound
                or (triple.gene in claiming_genes and triple.drug in claimed_drugs)
            ):
                # cross-sentence pairs stand only on the scorer's word, and never for a drug
                # its own sentence binds to a factor outright ("T315I ... retaining
                # sensitivity to ponatinib" is no claim about the FLT3 of the next sentence),
                # nor between a gene and a drug that each state a claim of their own ("FLT3
                # D835Y confers resistance to quizartinib. KIT mutations did not respond to
                # imatinib": no FLT3-imatinib claim)
                continue
            if model is not None and i in pairs:
                pair, reading = pairs[i], context
                if i in failing:
                    if i in stated:  # its sentence states it: read it as the sentence does
                        pair, reading = stated[i]
                    elif i not in explicit:
                        continue
                # the direction is scored only for the pairs that are kept
                relation, certainty = direction(
                    model, candidate, reading, cache if reading is context else None
                )
                if certainty < UNSURE and reading is context:
                    relation, certainty = _sentence_direction(
                        model, candidate, context, relation, certainty
                    )
                if i in explicit:
                    relation, pair = triple.relation, max(pair, triple.confidence)
                elif candidate.paired:  # "response to X and resistance to Y, respectively"
                    relation = triple.relation
                elif candidate.rule.endswith((DENIED_SENSITIVITY, EXCEPTED)) or (
                    candidate.rule == REVERSAL_RULE  # "reversed by the ABCG2 inhibitor Ko143"
                ):
                    # "no response to X", "active against all but X": word counts miss them
                    relation = triple.relation
                hedge = HEDGED_CONFIDENCE if candidate.hedged else 1.0
                confidence = model.calibrated(pair * certainty * hedge)
                triple = dataclasses.replace(
                    triple, relation=relation, confidence=round(confidence, 3)
                )
            if triple.variant and not triple.factor and not triple.gene_id.startswith("HGNC:"):
                triple = self._given_a_gene(triple)
            triples.append(
                dataclasses.replace(
                    triple,
                    combination=self._components(triple),
                    extractor_version=self._version,
                )
            )
        claims = {(t.gene, t.drug.lower(), t.relation) for t in triples if not t.negated}
        named = context.drug_counts  # the text's drugs, lower-cased
        triples = [m for t in triples for m in self._with_class_members(t, named, claims)]
        triples = _specific_over_generic(_distinct(_lone_variants_given_their_gene(triples)))
        return _one_direction_per_claim(_without_contradicted_inferences(triples))

    def _given_a_gene(self, triple: Triple) -> Triple:
        """A variant the rules attach to no gene, or to a gene family: the gene a well-known
        change names on its own ("the T315I mutation": ABL1; "RAF V600E": BRAF), else, with
        no gene at all, the one gene the drug's classes target ("patients with T790M
        responded to osimertinib")."""
        # every change of a compound or alternative ("p.E255K/p.E255V") must name one gene
        named = {self._gene_of_change.get(change) for change in triple.variant.split("/")}
        if len(named) == 1 and (symbol := named.pop()):
            # the pipeline adds the symbol's HGNC id
            return dataclasses.replace(triple, gene=symbol, gene_id="")
        if not triple.gene and (target := self._gene_of_drug.get(triple.drug)):
            return dataclasses.replace(triple, gene=target[0], gene_id=target[1])
        return triple

    def _components(self, triple: Triple) -> str:
        """The drugs a triple's drug gives together: a combination's, with each regimen
        ("FOLFIRI plus bevacizumab") spelled out into its components."""
        parts = triple.drug.split(" + ")
        if not any(part in self._regimens for part in parts):
            return triple.combination
        return " + ".join(drug for part in parts for drug in self._regimens.get(part, (part,)))

    def _with_class_members(
        self, triple: Triple, named: Collection[str], claims: Collection[tuple[str, str, str]]
    ) -> list[Triple]:
        """The class triple and one inferred triple per member drug it denotes here: the
        members the text names ("patients treated with gefitinib ... resistance to EGFR
        TKIs"), else all its members. A member the text claims the other way for the same
        gene is the exception, not the class ("resistance to TKIs ... ponatinib retains
        activity"), whether or not other members are named. ``named``: the lower-cased drugs
        of the text; ``claims``: its (gene, drug, relation) claims."""
        drug_class = self._classes.get(triple.drug.lower())
        if drug_class is None:
            return [triple]
        triple = dataclasses.replace(triple, drug_class=drug_class.name)
        members = self._members_in_context(drug_class, triple.gene, triple.disease)
        other = RESISTANCE if triple.relation == SENSITIVITY else SENSITIVITY
        members = tuple(m for m in members if (triple.gene, m.lower(), other) not in claims)
        members = tuple(m for m in members if m.lower() in named) or members
        return [triple] + [
            dataclasses.replace(
                triple,
                drug=member,
                drug_id="",
                inferred_from_class=True,
                confidence=round(triple.confidence * 0.8, 3),
            )
            for member in members
        ]

    def _members_in_context(self, drug_class: DrugClassInfo, gene: str, disease: str) -> tuple:
        """The drugs a class mention denotes here; an umbrella class needs a gene or disease."""
        if not drug_class.umbrella:
            return drug_class.members
        for key in (*gene.split("::")[::-1], gene, disease):
            specific = self._class_by_target.get(key.lower()) if key else None
            if specific is not None:
                return specific.members
        return ()


_GENE_SYMBOL = re.compile(r"[A-Z][A-Z0-9-]*(?:::[A-Z][A-Z0-9-]*)?")


def _single_gene_targets(classes: Iterable[DrugClassInfo]) -> dict[str, tuple[str, str]]:
    """Member drug → (symbol, HGNC id or "") of the gene its classes target, for drugs whose
    classes target exactly one (a fusion counts as its 3' partner, "BCR::ABL1" as ABL1)."""
    genes: dict[str, set[str]] = {}
    ids: dict[str, str] = {}
    for info in classes:
        if info.umbrella:
            continue
        symbols = set()
        for target, id_ in zip(
            info.targets, info.target_ids or ("",) * len(info.targets), strict=True
        ):
            if _GENE_SYMBOL.fullmatch(target):
                symbol = target.split("::")[-1]
                symbols.add(symbol)
                ids[symbol] = ids.get(symbol) or id_
        for member in info.members:
            genes.setdefault(member, set()).update(symbols)
    return {
        drug: (symbol, ids[symbol])
        for drug, found in genes.items()
        if len(found) == 1
        for symbol in found
    }


def _rival_floors(pairs: Mapping[int, tuple[Candidate, float]]) -> dict[int, float]:
    """Per candidate, the pair score its gene needs to beat its rivals: ``RIVAL_SHARE`` of
    the best score of a gene for the same drug in the same sentence, under the same cue
    (for a pair across sentences, in the whole text). Genes an abstract claims for one drug
    in sentences or clauses of their own ("BAX mutations conferred resistance to
    venetoclax. NPM1-mutated AML remained sensitive to venetoclax") are findings side by
    side, not rivals; nor is a gene whose own sentence says it makes no difference
    ("responses were comparable for patients with ABL1 mutation versus without"): that
    negated pair across sentences has no floor, and stands on the threshold alone. Nor are
    altered genes listed side by side ("NRAS and KRAS mutations were less sensitive")."""

    def scope(candidate: Candidate) -> tuple[str, int, int]:
        if candidate.rule in DOCUMENT_RULES:
            return candidate.triple.drug, -1, -1
        return candidate.triple.drug, candidate.triple.sentence_start, candidate.cue_start

    by_scope: dict[tuple[str, int, int], list[tuple[Candidate, float]]] = {}
    for candidate, pair in pairs.values():
        for key in {scope(candidate), (candidate.triple.drug, -1, -1)}:
            by_scope.setdefault(key, []).append((candidate, pair))

    best = {key: max(p for _, p in members) for key, members in by_scope.items()}

    def floor(c: Candidate) -> float:
        if c.rule in DOCUMENT_RULES and c.triple.negated:
            return 0.0
        if c.anchor_kind != "alteration":  # only altered genes are listed as one subject
            return RIVAL_SHARE * best[scope(c)]
        rivals = [p for other, p in by_scope[scope(c)] if not _coordinated(c, other)]
        return RIVAL_SHARE * max(rivals, default=0.0)

    return {i: floor(c) for i, (c, _) in pairs.items()}


_GENE_LIST_GLUE = r"\s*(?:,|/|,?\s*(?:and|or|and/or)\b)\s*"
# the words of an alteration around a gene of such a list: "TP53 mutations and loss of BAX"
_ALTERATION_WORD = (
    r"(?:mutations?|mutant|mutated|amplifications?|amplified|deletions?|deleted|loss|"
    r"overexpression|overexpressed|expression|rearrangements?|fusions?|alterations?|of|in)"
)
_LISTED_NEXT = re.compile(
    rf"(?:\s+{_ALTERATION_WORD})*{_GENE_LIST_GLUE}(?:{_ALTERATION_WORD}\s+)*", re.IGNORECASE
)


def _coordinated(one: Candidate, other: Candidate) -> bool:
    """'NRAS and KRAS mutations', 'IDH1/IDH2 mutations', 'TP53 mutations and loss of BAX':
    altered genes listed side by side are one subject, and share the claim."""
    a, b = one.triple, other.triple
    if a.gene == b.gene or a.sentence != b.sentence or not a.gene_text or not b.gene_text:
        return False
    if one.anchor_kind != "alteration" or other.anchor_kind != "alteration":
        return False
    text = a.sentence
    for first, second in ((a.gene_text, b.gene_text), (b.gene_text, a.gene_text)):
        at = text.find(first)
        while at >= 0:
            glue = _LISTED_NEXT.match(text, at + len(first))
            if glue and text.startswith(second, glue.end()):
                return True
            at = text.find(first, at + 1)
    return False


_EXPLICIT_RULES = ("cue before drug", "cue after drug", REVERSAL_RULE)
# a pair the scorer gives this much when its sentence is read alone is that sentence's claim
SENTENCE_CLAIM = 0.7


def _claims_their_sentence_makes(
    candidates: Sequence[Candidate],
    failing: set[int],
    context: DocumentContext,
    model: RelationModel,
) -> dict[int, tuple[float, DocumentContext]]:
    """Candidates a sentence of a longer text states outright: the scorer, reading the
    sentence alone, keeps the pair with ``SENTENCE_CLAIM`` or more. An abstract states
    several findings; the document's features (which gene is named most, which drug first)
    crush all but its main one ("Relapse-specific mutations in NT5C2 confer resistance to
    6-mercaptopurine" in an abstract that names IKZF1 twice). Only the sentences of the
    ``failing`` candidates, those the whole text's reading drops, are read alone."""
    sentences = context.analysis.sentences
    if len(sentences) < 2 or not failing:
        return {}
    by_sentence: dict[int, list[int]] = {}
    for i, candidate in enumerate(candidates):
        if candidate.rule.startswith(_CLAUSE_RULES) and not candidate.carried:
            by_sentence.setdefault(candidate.triple.sentence_start, []).append(i)
    found: dict[int, tuple[float, DocumentContext]] = {}
    for sentence in sentences:
        indices = [i for i in by_sentence.get(sentence.start, ()) if is_scorable(candidates[i])]
        if failing.isdisjoint(indices):
            continue
        alone = DocumentContext.of_sentence(
            context.analysis, sentence, [candidates[i] for i in indices]
        )
        pairs = {i: pair_probability(model, candidates[i], alone) for i in indices}
        floors = _rival_floors({i: (candidates[i], pair) for i, pair in pairs.items()})
        stated = {i for i, pair in pairs.items() if pair >= max(SENTENCE_CLAIM, floors[i])}
        # a drug listed after one the sentence states the claim of, by the same cue, is
        # stated with it: "NT5C2 ... resistance to 6-mercaptopurine and thioguanine"
        heads = {_cue_claim(candidates[i]): pairs[i] for i in stated}
        for i in set(indices) & failing:
            head = heads.get(_cue_claim(candidates[i])) if candidates[i].listed else None
            if i in stated or head is not None:
                found[i] = (max(pairs[i], head or 0.0), alone)
    return found


def _cue_claim(candidate: Candidate) -> tuple[str, int]:
    """The gene a cue makes a claim of, and the cue."""
    return candidate.triple.gene, candidate.cue_start


_CLAUSE_RULES = (*_EXPLICIT_RULES, "cue in clause")
# the whole text's reading of a direction this unsure yields to its sentence's sure one
UNSURE, SURE = 0.6, 0.9


def _sentence_direction(
    model: RelationModel,
    candidate: Candidate,
    context: DocumentContext,
    relation: str,
    certainty: float,
) -> tuple[str, float]:
    """The direction of a pair its own sentence states, where the whole text's cue balance
    leaves it unsure: "IDH1 and IDH2 mutations were associated with higher response rates to
    venetoclax" in an abstract about resistance to venetoclax."""
    if candidate.carried or not candidate.rule.startswith(_CLAUSE_RULES):
        return relation, certainty
    triple = candidate.triple
    sentence = next(
        (s for s in context.analysis.sentences if s.start == triple.sentence_start), None
    )
    if sentence is None or len(context.analysis.sentences) < 2:
        return relation, certainty
    alone = DocumentContext.of_sentence(context.analysis, sentence, [candidate])
    own, sure = direction(model, candidate, alone)
    return (own, sure) if sure >= SURE else (relation, certainty)


def _is_explicit(candidate: Candidate) -> bool:
    """A variant whose cue binds the drug in the same sentence ("T315I confers resistance to
    imatinib") is stated outright: the rules' direction stands whatever the context. So is a
    drug class with a variant or alteration in its own clause ("FLT3 kinase domain mutations
    emerge during therapy with FLT3 inhibitors"): curated statements name single drugs, so
    the scorer has never seen a class claim it should keep. Chemotherapy that names no drug
    is not such a class: curated statements give it as their backbone, so the scorer knows
    its pairs."""
    if candidate.carried or candidate.shadowed or _named_as_known(candidate.triple):
        return False
    if candidate.triple.drug_id == UNNAMED_CHEMOTHERAPY_ID:
        return False
    if candidate.triple.drug_id.startswith("class:"):
        return candidate.anchor_kind in ("variant", "alteration") and candidate.rule.startswith(
            (*_EXPLICIT_RULES, "cue in clause")
        )
    return candidate.anchor_kind == "variant" and candidate.rule.startswith(_EXPLICIT_RULES)


def _claimants(candidates: Iterable[Candidate]) -> tuple[set[str], set[str]]:
    """The genes and the drugs that a sentence binds to each other (a cue governs the drug,
    or the gene and the drug share the cue's clause; the gene is the sentence's own)."""
    own = [
        c.triple
        for c in candidates
        if c.rule.startswith(_CLAUSE_RULES) and not c.carried and c.anchor_kind != "factor"
    ]
    return {t.gene for t in own}, {t.drug for t in own}


_KNOWN_BEFORE = re.compile(
    r"\b(?:known|well-known|established)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)


def _named_as_known(triple: Triple) -> bool:
    """Whether the drug is named as background the text recalls to describe its subject
    ("BRAF V600E (a known vemurafenib-sensitizing mutation)"), not as its finding: the
    scorer then judges the pair like any other."""
    at = triple.sentence.find(triple.drug_text.split(" + ")[0]) if triple.drug_text else -1
    return at > 0 and _KNOWN_BEFORE.search(triple.sentence, max(0, at - 40), at) is not None


def _lone_variants_given_their_gene(triples: list[Triple]) -> list[Triple]:
    """A variant named without its gene takes the one gene the document's other triples give
    it: in "T315I confers resistance to imatinib; ponatinib overcomes it", the ponatinib
    triple knows ABL1 (ponatinib targets only ABL1), so the imatinib triple is ABL1's too."""
    genes: dict[str, set[tuple[str, str]]] = {}
    for t in triples:
        if t.variant and t.gene and not t.factor:
            genes.setdefault(t.variant, set()).add((t.gene, t.gene_id))
    result: list[Triple] = []
    for t in triples:
        found = genes.get(t.variant, set()) if not (t.gene or t.factor) else set()
        if len(found) == 1:
            gene, gene_id = next(iter(found))
            t = dataclasses.replace(t, gene=gene, gene_id=gene_id)
        result.append(t)
    return result


def _distinct(triples: list[Triple]) -> list[Triple]:
    """The first of the triples that state the same claim from the same sentence."""
    seen: set[tuple] = set()
    result: list[Triple] = []
    for t in triples:
        key = (t.gene, t.variant, t.drug, t.relation, t.negated, t.sentence_start)
        if key not in seen:
            seen.add(key)
            result.append(t)
    return result


# what a gene's mention alone says of it: less than a named variant or alteration
_GENERIC_ALTERATIONS = frozenset({"", "mutation", "mutations", "mutated", "mutant"})
# ... and what says the gene is not altered at all
_NOT_SPECIFIC = _GENERIC_ALTERATIONS | {WILD_TYPE}


def _specific_over_generic(triples: list[Triple]) -> list[Triple]:
    """A gene's generic triple gives way to its specific one from the same sentence, for
    the same drug and direction: "FLT3-mutated AML ... mutations in the FLT3 kinase domain
    ... resistance to FLT3 inhibitors" is a claim about kinase domain mutations."""

    def claim(t: Triple) -> tuple:
        return (t.gene, t.drug, t.relation, t.negated, t.sentence_start)

    specific = {claim(t) for t in triples if t.gene and t.variant not in _NOT_SPECIFIC}
    return [
        t
        for t in triples
        if not (t.gene and t.variant in _GENERIC_ALTERATIONS and claim(t) in specific)
    ]


def _one_direction_per_claim(triples: list[Triple]) -> list[Triple]:
    """Where a document states both directions for one factor and drug, only the better
    supported direction stays: a summary that reads as both "resistant" and "sensitive" has
    one finding, and the weaker reading is the rules or the scorer mistaking a comparison or
    a study population ("trastuzumab-resistant cells"). A gene named bare, against its own
    variant's opposite direction, is the comparison group ("cell lines with unaltered TP53
    are sensitive to X; TP53 R249S cells are insensitive"): the variant's claim stays.
    Members inferred from a class follow their class triple."""
    best: dict[tuple, tuple[float, str]] = {}
    with_variant: set[tuple[str, str, str]] = set()
    for t in triples:
        if t.negated or t.inferred_from_class:
            continue
        key = (t.gene, t.variant, t.factor, t.drug)
        if key not in best or t.confidence > best[key][0]:
            best[key] = (t.confidence, t.relation)
        if t.variant not in NO_ALTERATION and t.gene:
            with_variant.add((t.gene, t.drug, t.relation))
    kept = []
    for t in triples:
        if t.negated:
            kept.append(t)
            continue
        # a member inferred from a class goes with its class triple
        claim = (t.gene, t.variant, t.factor, t.drug_class if t.inferred_from_class else t.drug)
        if best.get(claim, (0.0, t.relation))[1] != t.relation:
            continue
        if t.variant in NO_ALTERATION and t.gene and not t.inferred_from_class:
            opposite = RESISTANCE if t.relation == SENSITIVITY else SENSITIVITY
            mine = (t.gene, t.drug, t.relation) in with_variant
            if (t.gene, t.drug, opposite) in with_variant and not mine:
                continue
        kept.append(t)
    return kept


def _without_contradicted_inferences(triples: list[Triple]) -> list[Triple]:
    """A class member inferred as resistant is dropped where the same sentence names that drug
    as working ("resistance to TKIs but sensitivity to ponatinib")."""
    stated = {
        (t.gene, t.variant, t.drug, t.sentence_start): t.relation
        for t in triples
        if not t.inferred_from_class
    }
    return [
        t
        for t in triples
        if not t.inferred_from_class
        or stated.get((t.gene, t.variant, t.drug, t.sentence_start), t.relation) == t.relation
    ]
