"""Relation extraction: entity mentions in a document → resistance/sensitivity triples.

Rules over the sentence text and the mention offsets (no parse is needed, which keeps
``extract`` fast). For every drug mention in a sentence that also names a resistance factor
(a gene, a variant or a non-genetic MECHANISM factor), the direction comes from the nearest
cue that governs that drug, in this order:

1. a cue bound to the drug by the surface pattern ("resistance to X", "X-resistant",
   "sensitivity to X", "X overcomes", "responded to X");
2. cues in the drug's own clause (clauses split at "but", "whereas", ";", ...);
3. the nearest cue in the sentence;
4. with no cue at all, nothing is claimed.

Cues that reverse resistance ("overcome", "active against", "retains sensitivity") make the
drug they govern a *sensitivity* drug even though the word "resistance" is close by. Negation
("did not confer resistance", "no significant impact on response") sets ``negated``; hedging
("may contribute") lowers the confidence. Drug classes add inferred member triples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from litmine.types import Analysis, Mention, Sentence, Triple

RESISTANCE = "resistance"
SENSITIVITY = "sensitivity"

_RESISTANCE_CUE = (
    r"resist\w*|refractor\w*|insensitiv\w*|unresponsiv\w*|non-?respon\w*|escape[sd]?|"
    r"reduced (?:drug )?(?:sensitivity|susceptibility|efficacy|response)|"
    r"decreased (?:sensitivity|susceptibility|efficacy|response)|"
    r"less (?:sensitive|responsive|effective)|loss of (?:response|sensitivity|efficacy)|"
    r"lower (?:sensitivity|response rates?)|impair\w* (?:drug )?binding|"
    r"(?:treatment|therapy|therapeutic) failure|relapse[sd]?|progress(?:ed|ion) (?:on|during)|"
    r"poor(?:er)? (?:response|outcome|prognosis|survival)|shorter (?:progression|survival|pfs|os)"
)
_SENSITIVITY_CUE = (
    r"sensitiv\w*|susceptib\w*|respon(?:se|ses|sive|siveness|ded|ding|der|ders)|"
    r"benefit\w*|efficac\w*|effective\w*|potent\w*|activity against|active against|"
    r"remission\w*|improved (?:survival|outcome|response|progression|pfs|os)|"
    r"longer (?:progression|survival|pfs|os)|prolonged (?:survival|progression|pfs)|"
    r"inhibit(?:s|ed|ing)?|suppress(?:es|ed)?|block(?:s|ed)?|"
    r"overc[oa]m\w*|circumvent\w*|revers\w*|restor\w* (?:the )?(?:sensitivity|response)|"
    r"re-?sensiti[sz]\w*|retain\w*|maintain\w*|(?:tumou?r |disease )?regression|"
    r"shrinkage|durable|favou?rable"
)
# A reversal cue makes the drug it governs work *despite* resistance (sensitivity).
_REVERSAL_CUE = re.compile(
    r"\b(?:overc[oa]m\w*|circumvent\w*|revers\w*|re-?sensiti[sz]\w*|restor\w*|retain\w*|"
    r"maintain\w*|active against|activity against|effective against|effective in)\b",
    re.IGNORECASE,
)
_CUE = re.compile(rf"\b(?:(?P<res>{_RESISTANCE_CUE})|(?P<sen>{_SENSITIVITY_CUE}))\b", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|without|absence of|lack(?:s|ed)? of|failed to|fail to|"
    r"did not|does not|do not|was not|were not|is not|are not|cannot|unaffected|"
    r"irrespective of|regardless of|independent(?:ly)? of|similar|comparable|"
    r"no significant|not significantly|no difference|no association|no correlation|"
    r"no impact|no effect|not associated|not predictive)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|possible|potential(?:ly)?|suggest\w*|likely|"
    r"hypothes\w*|presumabl\w*|appear(?:s|ed)? to|implicated)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r";|,?\s\b(?:but|whereas|while|although|though|however|yet|in contrast|unlike)\b|"
    r"\.\s",
    re.IGNORECASE,
)
_COMBINATION = re.compile(
    r"^\s*(?:\+|plus|with|and|in combination with|combined with|together with|/)\s*$",
    re.IGNORECASE,
)
# A drug-bound pattern: cue words glued to or directly in front of / behind the drug.
_BOUND_BEFORE = re.compile(  # text between cue and drug
    r"^\s*(?:to|against|of|with|for|toward|towards)?\s*(?:the\s+|a\s+|an\s+)?"
    r"(?:\w+[- ]generation\s+|\w+\s+)?$",
    re.IGNORECASE,
)
_BOUND_AFTER = re.compile(r"^\s*[- ]?\s*$")  # "imatinib-resistant", "imatinib resistance"
_FACTOR_LABELS = ("MECHANISM",)
_ANCHOR_LABELS = ("GENE", "VARIANT", *_FACTOR_LABELS)
_NON_DRUG_CHEMICALS = frozenset(
    {
        "atp",
        "adenosine triphosphate",
        "oxygen",
        "water",
        "glucose",
        "dna",
        "rna",
        "amino acids",
        "sodium",
        "potassium",
        "calcium",
        "hydrogen peroxide",
        "reactive oxygen species",
        "nitrogen",
        "protein",
        "phosphate",
        "tyrosine",
        "serine",
        "threonine",
        "gtp",
        "camp",
        "nad",
        "nadph",
    }
)
# Alteration words after a gene name give the variant when no VARIANT mention is there.
_ALTERATION = re.compile(
    r"\b(?P<alt>kinase[- ]domain (?:point )?mutations?|activation[- ]loop mutations?|"
    r"point mutations?|secondary mutations?|mutations?|mutated|mutant|amplifi\w+|"
    r"overexpress\w*|(?:high |low |increased |decreased |loss of )?expression|deletions?|"
    r"fusions?|rearrange\w*|translocations?|loss|deficien\w*|alterations?|variants?|"
    r"polymorphisms?|methylation|hypermethylation|knock-?down|positive|negative|"
    r"internal tandem duplications?)\b",
    re.IGNORECASE,
)
_ALTERATION_NORMAL = {
    "kinase domain": "kinase domain mutation",
    "activation loop": "activation loop mutation",
    "point mutation": "point mutation",
    "secondary mutation": "secondary mutation",
    "amplifi": "amplification",
    "overexpress": "overexpression",
    "expression": "expression",
    "deletion": "deletion",
    "fusion": "fusion",
    "rearrange": "rearrangement",
    "translocation": "translocation",
    "loss": "loss",
    "deficien": "loss",
    "methylation": "methylation",
    "knock": "knockdown",
    "positive": "positive",
    "negative": "negative",
    "internal tandem": "ITD",
    "polymorphism": "polymorphism",
}


@dataclass(frozen=True, slots=True)
class DrugClassInfo:
    """What relations needs to know of a drug class: its members (lower-case generic names)."""

    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A resistance factor in a sentence: gene (maybe with variant) or a non-gene factor."""

    gene: Mention | None
    variant: Mention | None
    factor: Mention | None
    alteration: str = ""

    @property
    def start(self) -> int:
        spans = [m.start for m in (self.gene, self.variant, self.factor) if m is not None]
        return min(spans)

    @property
    def end(self) -> int:
        spans = [m.end for m in (self.gene, self.variant, self.factor) if m is not None]
        return max(spans)


@dataclass(frozen=True, slots=True)
class _Decision:
    relation: str
    confidence: float
    rule: str


class RelationExtractor:
    """Turns ``Analysis`` records into ``Triple`` records (see the module docstring)."""

    def __init__(
        self,
        drug_classes: Mapping[str, DrugClassInfo] | None = None,
        *,
        extractor_version: str = "",
        cross_sentence: bool = True,
    ) -> None:
        self._classes = {k.lower(): v for k, v in (drug_classes or {}).items()}
        self._version = extractor_version
        self._cross_sentence = cross_sentence

    @property
    def class_members(self) -> dict[str, tuple[str, ...]]:
        """Drug class name → member drugs, for reconciliation to match class-level claims."""
        return {info.name: info.members for info in self._classes.values()}

    @staticmethod
    def sentence_may_hold_triple(sentence: str) -> bool:
        """Cheap filter: only sentences with a direction cue can yield a triple."""
        return _CUE.search(sentence) is not None

    def extract(self, analysis: Analysis) -> list[Triple]:
        """All triples of one analysed document, deduplicated, in text order."""
        doc = analysis.document
        by_sentence = _mentions_by_sentence(analysis.sentences, analysis.mentions)
        doc_disease = _document_disease(analysis.mentions)
        doc_gene = _document_gene(analysis.mentions)
        triples: list[Triple] = []
        seen: set[tuple] = set()
        previous_anchors: list[_Anchor] = []
        for sentence, mentions in by_sentence:
            text = doc.text[sentence.start : sentence.end]
            anchors = _anchors(doc.text, sentence, mentions, doc_gene)
            drugs = [m for m in mentions if _is_drug(m)]
            carried = False
            if not anchors and self._cross_sentence and previous_anchors and drugs:
                anchors, carried = previous_anchors, True
            if anchors and not carried:
                previous_anchors = anchors
            if not anchors or not drugs or not _CUE.search(text):
                continue
            disease = _sentence_disease(mentions) or doc_disease
            for drug_group in _drug_groups(doc.text, drugs):
                decision = _decide(doc.text, sentence, drug_group, anchors)
                if decision is None:
                    continue
                for anchor in _anchors_for(drug_group, anchors):
                    negated = _negated(doc.text, sentence, anchor, drug_group)
                    confidence = decision.confidence * (0.75 if carried else 1.0)
                    confidence *= 0.8 if _HEDGE.search(text) else 1.0
                    for triple in self._triples(
                        analysis,
                        sentence,
                        anchor,
                        drug_group,
                        decision,
                        negated,
                        disease,
                        round(confidence, 3),
                    ):
                        key = (
                            triple.gene,
                            triple.variant,
                            triple.drug,
                            triple.relation,
                            triple.negated,
                            triple.sentence_start,
                        )
                        if key not in seen:
                            seen.add(key)
                            triples.append(triple)
        return triples

    def extract_many(self, analyses: Iterable[Analysis]) -> Iterator[Triple]:
        for analysis in analyses:
            yield from self.extract(analysis)

    def _triples(
        self,
        analysis: Analysis,
        sentence: Sentence,
        anchor: _Anchor,
        drugs: Sequence[Mention],
        decision: _Decision,
        negated: bool,
        disease: str,
        confidence: float,
    ) -> Iterator[Triple]:
        doc = analysis.document
        gene, gene_id = _gene_fields(anchor)
        variant = anchor.variant.normalized if anchor.variant else anchor.alteration
        factor = anchor.factor.normalized if anchor.factor else ""
        if anchor.factor and not variant:
            variant = factor
        base = dict(
            doc_id=doc.doc_id,
            gene=gene,
            gene_id=gene_id,
            variant=variant,
            relation=decision.relation,
            negated=negated,
            disease=disease,
            mechanism="",
            sentence=doc.text[sentence.start : sentence.end],
            factor=factor,
            mechanism_rule="",
            gene_text=anchor.gene.text if anchor.gene else "",
            variant_text=(anchor.variant or anchor.factor).text
            if (anchor.variant or anchor.factor)
            else "",
            sentence_start=sentence.start,
            sentence_end=sentence.end,
            year=doc.year,
            extractor_version=self._version,
        )
        if len(drugs) > 1:
            names = " + ".join(d.normalized or d.text.lower() for d in drugs)
            yield Triple(
                **base,
                drug=names,
                confidence=confidence,
                drug_id="",
                combination=names,
                drug_text=" + ".join(d.text for d in drugs),
            )
            return
        drug = drugs[0]
        name = drug.normalized or drug.text.lower()
        drug_class = self._classes.get(name.lower())
        yield Triple(
            **base,
            drug=name,
            confidence=confidence,
            drug_id=drug.id,
            drug_class=drug_class.name if drug_class else "",
            drug_text=drug.text,
        )
        if drug_class:
            for member in drug_class.members:
                yield Triple(
                    **base,
                    drug=member,
                    confidence=round(confidence * 0.8, 3),
                    drug_class=drug_class.name,
                    inferred_from_class=True,
                    drug_text=drug.text,
                )


def _mentions_by_sentence(
    sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[tuple[Sentence, list[Mention]]]:
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    result: list[tuple[Sentence, list[Mention]]] = []
    index = 0
    for sentence in sentences:
        inside: list[Mention] = []
        while index < len(ordered) and ordered[index].start < sentence.end:
            if ordered[index].start >= sentence.start:
                inside.append(ordered[index])
            index += 1
        result.append((sentence, inside))
    return result


def _is_drug(mention: Mention) -> bool:
    if mention.label != "CHEMICAL":
        return False
    name = (mention.normalized or mention.text).lower()
    return name not in _NON_DRUG_CHEMICALS and len(mention.text) > 2


def _document_disease(mentions: Sequence[Mention]) -> str:
    counts = Counter(m.normalized or m.text for m in mentions if m.label == "DISEASE")
    return counts.most_common(1)[0][0] if counts else ""


def _document_gene(mentions: Sequence[Mention]) -> Mention | None:
    genes = [m for m in mentions if m.label == "GENE"]
    if not genes:
        return None
    top, _ = Counter(m.normalized or m.text for m in genes).most_common(1)[0]
    return next(m for m in genes if (m.normalized or m.text) == top)


def _sentence_disease(mentions: Sequence[Mention]) -> str:
    for mention in mentions:
        if mention.label == "DISEASE":
            return mention.normalized or mention.text
    return ""


def _anchors(
    text: str, sentence: Sentence, mentions: Sequence[Mention], doc_gene: Mention | None
) -> list[_Anchor]:
    """Resistance factors of one sentence; variants attached to their gene."""
    genes = [m for m in mentions if m.label == "GENE"]
    variants = [m for m in mentions if m.label == "VARIANT"]
    anchors: list[_Anchor] = []
    used_genes: set[int] = set()
    for variant in variants:
        gene = (
            _gene_for_variant(text, variant, genes)
            or (genes[0] if len(genes) == 1 else None)
            or doc_gene
        )
        if gene is not None and gene in genes:
            used_genes.add(genes.index(gene))
        anchors.append(_Anchor(gene=gene, variant=variant, factor=None))
    for i, gene in enumerate(genes):
        if i in used_genes or _inside_other(gene, variants):
            continue
        anchors.append(
            _Anchor(
                gene=gene,
                variant=None,
                factor=None,
                alteration=_alteration_after(text, gene, sentence),
            )
        )
    anchors.extend(
        _Anchor(gene=None, variant=None, factor=m) for m in mentions if m.label in _FACTOR_LABELS
    )
    return anchors


def _inside_other(mention: Mention, others: Sequence[Mention]) -> bool:
    return any(o.start <= mention.start and mention.end <= o.end for o in others)


def _gene_for_variant(text: str, variant: Mention, genes: Sequence[Mention]) -> Mention | None:
    """'FLT3 D835Y', 'FLT3-ITD', 'BCR-ABL1 T315I' (gene before) or 'D835 in FLT3' (after)."""
    best: Mention | None = None
    for gene in genes:
        if gene.end <= variant.start:
            between = text[gene.end : variant.start]
            if len(between) <= 25 and re.fullmatch(
                r"[\s\-:/(]*(?:(?:gene|kinase|kinase domain|protein|mutation|mutations|"
                r"mutant|p\.|c\.|exon \d+)[\s\-:/(]*)*",
                between,
                re.IGNORECASE,
            ):
                best = gene
        elif gene.start >= variant.end and best is None:
            between = text[variant.end : gene.start]
            if (
                len(between) <= 40
                and re.fullmatch(
                    r"[\s\w\-]*\b(?:in|of|within|at|on)\b(?:\s+the)?\s*", between, re.IGNORECASE
                )
                and len(between.split()) <= 5
            ):
                best = gene
    return best


def _alteration_after(text: str, gene: Mention, sentence: Sentence) -> str:
    """'FLT3 kinase domain mutations', 'EGFR amplification', 'mutations in the FLT3 kinase'."""
    window = text[gene.end : min(sentence.end, gene.end + 40)]
    match = _ALTERATION.match(window.lstrip(" -"))
    if not match:
        before = text[max(sentence.start, gene.start - 40) : gene.start]
        back = re.search(
            r"\b(?P<alt>(?:kinase[- ]domain |activation[- ]loop |secondary |point )?"
            r"(?:mutations?|amplification|overexpression|expression|loss|deletion)) "
            r"(?:in|of)(?: the)?\s*$",
            before,
            re.IGNORECASE,
        )
        if not back:
            return ""
        return _normalize_alteration(back.group("alt"))
    return _normalize_alteration(match.group("alt"))


def _normalize_alteration(phrase: str) -> str:
    lower = phrase.lower().replace("-", " ")
    for key, value in _ALTERATION_NORMAL.items():
        if key in lower:
            return value
    return "mutation"


def _drug_groups(text: str, drugs: Sequence[Mention]) -> list[list[Mention]]:
    """Adjacent drugs joined by 'plus', '+', 'in combination with' form one combination."""
    groups: list[list[Mention]] = []
    for drug in sorted(drugs, key=lambda m: m.start):
        if groups:
            last = groups[-1][-1]
            if (
                last.end <= drug.start
                and _COMBINATION.match(text[last.end : drug.start])
                and not re.search(r"\band\b", text[last.end : drug.start])
            ):
                groups[-1].append(drug)
                continue
            if last.start == drug.start:
                continue  # overlapping duplicate
        groups.append([drug])
    return groups


def _decide(
    text: str, sentence: Sentence, drugs: Sequence[Mention], anchors: Sequence[_Anchor]
) -> _Decision | None:
    """Direction for a drug (group) in a sentence, or None when no cue governs it."""
    first, last = drugs[0], drugs[-1]
    sent_text = text[sentence.start : sentence.end]
    cues = [
        (
            sentence.start + m.start(),
            sentence.start + m.end(),
            RESISTANCE if m.group("res") else SENSITIVITY,
        )
        for m in _CUE.finditer(sent_text)
    ]
    cues = [c for c in cues if not (first.start <= c[0] < last.end)]  # not inside the drug
    if not cues:
        return None
    # 1. bound to the drug
    for start, end, relation in cues:
        if (
            end <= first.start
            and _BOUND_BEFORE.match(text[end : first.start])
            and (first.start - end <= 30)
        ):
            return _Decision(relation, 0.9, "cue before drug")
        if start >= last.end and _BOUND_AFTER.match(text[last.end : start]):
            return _Decision(relation, 0.9, "cue after drug")
    reversal = _governing_reversal(text, sentence, first, last)
    if reversal:
        return _Decision(SENSITIVITY, 0.85, "reversal cue")
    # 2. the drug's clause
    clause = _clause(text, sentence, first.start)
    in_clause = [c for c in cues if clause[0] <= c[0] < clause[1]]
    if in_clause:
        return _nearest(text, in_clause, first, last, 0.75, "cue in clause")
    # 3. the sentence
    return _nearest(text, cues, first, last, 0.6, "cue in sentence")


def _governing_reversal(text: str, sentence: Sentence, first: Mention, last: Mention) -> bool:
    """'ponatinib overcomes ...', 'ponatinib, which is active against T315I' (drug is subject)."""
    after = text[last.end : min(sentence.end, last.end + 60)]
    match = _REVERSAL_CUE.search(after)
    if (
        match
        and not re.search(r"\b(?:to|against)\s*$", after[: match.start()])
        and len(after[: match.start()].split()) <= 4
    ):
        return True
    before = text[max(sentence.start, first.start - 40) : first.start]
    return bool(
        re.search(
            r"\b(?:sensitivity|sensitive|responsive|response)\s+to\s*(?:the\s+)?"
            r"(?:\w+\s+)?$",
            before,
            re.IGNORECASE,
        )
    )


def _clause(text: str, sentence: Sentence, position: int) -> tuple[int, int]:
    sent_text = text[sentence.start : sentence.end]
    bounds = [sentence.start]
    bounds += [sentence.start + m.start() for m in _CLAUSE_BREAK.finditer(sent_text)]
    bounds.append(sentence.end)
    for left, right in zip(bounds, bounds[1:], strict=False):
        if left <= position < right:
            return left, right
    return sentence.start, sentence.end


def _nearest(
    text: str,
    cues: Sequence[tuple[int, int, str]],
    first: Mention,
    last: Mention,
    confidence: float,
    rule: str,
) -> _Decision:
    def distance(cue: tuple[int, int, str]) -> int:
        start, end, _ = cue
        return first.start - end if end <= first.start else start - last.end + 5

    start, end, relation = min(cues, key=distance)
    if relation == RESISTANCE and _REVERSAL_CUE.search(text[max(0, start - 40) : start]):
        return _Decision(SENSITIVITY, confidence, rule + " (resistance overcome)")
    return _Decision(relation, confidence, rule)


def _anchors_for(drugs: Sequence[Mention], anchors: Sequence[_Anchor]) -> list[_Anchor]:
    """Anchors that are not part of the drug itself (e.g. 'FLT3 inhibitor' holds 'FLT3')."""
    first, last = drugs[0], drugs[-1]
    return [a for a in anchors if not (first.start <= a.start and a.end <= last.end)]


def _negated(text: str, sentence: Sentence, anchor: _Anchor, drugs: Sequence[Mention]) -> bool:
    """A negation cue in the clause that holds the drug, before or between factor and drug."""
    left, right = _clause(text, sentence, drugs[0].start)
    span_start = min(left, anchor.start) if anchor.start >= sentence.start else left
    span = text[max(span_start, sentence.start) : right]
    return bool(_NEGATION.search(span))


def _gene_fields(anchor: _Anchor) -> tuple[str, str]:
    if anchor.gene is None:
        return "", ""
    return anchor.gene.normalized or anchor.gene.text, anchor.gene.id
