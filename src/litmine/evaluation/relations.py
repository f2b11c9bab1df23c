"""Relation-extraction quality on CIViC statements and CIViCmine sentences.

CIViC (``civic/civic_predictive_dev.tsv``): each curated statement is one document, as if run
through ``litmine extract --input-format lines``. On ``Supports`` items we score
(gene, drug, relation) triples, the polarity where gene and drug match, and, on
``Does Not Support`` items, the share reported as negated. CIViCmine (``civicmine/training``):
gene–drug pairs of the ``Predictive`` relations, matched by surface text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from litmine.config import Settings
from litmine.evaluation.ner import read_pubtator
from litmine.evaluation.scoring import ScoreRow, format_table
from litmine.evaluation.variants import seth_texts
from litmine.nlp.lexicon import Lexicon
from litmine.pipeline import Extractor
from litmine.relations import variant_genes
from litmine.relations.scoring import RelationModel
from litmine.relations.training import (
    LabelledDocument,
    claims_of,
    is_scored,
    out_of_fold_models,
    out_of_fold_triples,
)
from litmine.types import Document, Mention, Triple

CIVIC_RELATIONS = {"Resistance": "resistance", "Sensitivity/Response": "sensitivity"}
OTHER_FOLD_SEEDS = (29, 47)  # beside the default draw: how much one split moves the figures
JOINED_STATEMENTS = 8  # statements per document (one paragraph each) in the long-text figure
_SALTS = re.compile(
    r"\b(?:mesylate|hydrochloride|maleate|tosylate|citrate|sulfate|phosphate|sodium|"
    r"dimaleate|ditosylate|besylate|malate|acetate|hcl)\b"
)


@dataclass(frozen=True, slots=True)
class CivicItem:
    evidence_id: str
    pubmed_id: str
    gene: str
    drugs: tuple[str, ...]
    relation: str  # resistance | sensitivity
    supports: bool
    statement: str
    disease: str = ""


@dataclass(frozen=True, slots=True)
class AbstractPairs:
    """The distinct gene–drug pairs ``extract`` finds in one split of BioRED's abstracts:
    those BioRED relates (any relation type), those it does not, and those whose gene or drug
    is no BioRED entity. BioRED annotates every relation an abstract states between its
    entities, so a pair it does not relate is a pair the text does not link: the share is a
    precision on real PubMed abstracts. Recall has no meaning here (most of BioRED's
    gene–chemical relations are no resistance or sensitivity claims)."""

    split: str
    documents: int
    related: int
    unrelated: int
    unmatched: int

    @property
    def precision(self) -> float:
        return self.related / (self.related + self.unrelated) if self.related else 0.0

    def line(self) -> str:
        return (
            f"BioRED {self.split} abstracts ({self.documents}): {self.related} of "
            f"{self.related + self.unrelated} gene-drug pairs found are related by BioRED "
            f"(precision {self.precision:.3f}; {self.unmatched} more not BioRED entities)"
        )


@dataclass(frozen=True, slots=True)
class DiseaseAgreement:
    """The disease of the correct stated triples against the disease CIViC curated for
    their statement, where that is specific (not "Cancer"): how many triples name a disease,
    and how many of those name CIViC's (by their specific words: see :func:`same_disease`).
    A statement that names no disease leaves the triple's disease empty, rightly."""

    triples: int
    named: int
    agreeing: int

    def line(self) -> str:
        named = self.named / self.triples if self.triples else 0.0
        agreeing = self.agreeing / self.named if self.named else 0.0
        return (
            f"CIViC disease of the correct triples: named for {named:.3f} of {self.triples}; "
            f"CIViC's disease for {agreeing:.3f} of those {self.named}"
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """SETH's gene–mutation relations against the gene the relation rules attach each
    mutation to: of the related mutations litmine recognizes, how many it gives a gene and
    how many SETH's gene (the same mention, or one litmine normalizes the same way)."""

    variants: int
    attached: int
    correct: int

    def line(self) -> str:
        share = self.correct / self.variants if self.variants else 0.0
        return (
            f"SETH variants attached to their gene: {share:.3f} of {self.variants} "
            f"({self.attached} given a gene)"
        )


@dataclass(frozen=True, slots=True)
class RelationScores:
    """Every relation figure of one evaluation run."""

    triples: ScoreRow
    polarity_accuracy: float
    polarity_pairs: int
    negated_share: float
    negated_items: int
    civicmine_pairs: ScoreRow
    civicmine_exact: ScoreRow
    calibration_error: float
    # (fold seed, triple F1, polarity accuracy) of further fold draws: the split's noise
    other_seeds: tuple[tuple[int, float, float], ...] = ()
    joined: ScoreRow | None = None  # statements joined as paragraphs of long documents
    joined_unbroken: ScoreRow | None = None  # the same statements run together, one paragraph
    # two statements run together: an abstract that states two findings
    abstracts: ScoreRow | None = None
    # every affirmed row with a gene, class rows and members inferred from a class included
    every_row: ScoreRow | None = None
    # real abstracts that state several findings: how many of the gene–drug pairs found
    # BioRED's annotators relate, per split
    biored: tuple[AbstractPairs, ...] = ()
    disease: DiseaseAgreement | None = None
    attachment: Attachment | None = None

    def table(self) -> str:
        rows = [
            r
            for r in (
                self.triples,
                self.every_row,
                self.joined,
                self.joined_unbroken,
                self.abstracts,
            )
            if r is not None
        ]
        lines = [format_table([*rows, self.civicmine_pairs, self.civicmine_exact]), ""]
        lines.append(
            f"CIViC polarity accuracy (gene+drug matched): {self.polarity_accuracy:.3f}"
            f" over {self.polarity_pairs} pairs"
        )
        lines.append(
            f"CIViC 'Does Not Support' items reported negated: {self.negated_share:.3f}"
            f" of {self.negated_items}"
        )
        lines.append(
            f"CIViC confidence calibration (expected calibration error, 5 bins): "
            f"{self.calibration_error:.3f}"
        )
        if self.disease is not None:
            lines.append(self.disease.line())
        if self.attachment is not None:
            lines.append(self.attachment.line())
        for split in self.biored:
            lines.append(split.line())
        if self.other_seeds:
            draws = "; ".join(
                f"seed {s}: F1 {f:.3f}, polarity {p:.3f}" for s, f, p in self.other_seeds
            )
            lines.append(f"CIViC with other fold draws (the split's noise): {draws}")
        return "\n".join(lines)


def load_civic(path: Path) -> list[CivicItem]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            relation = CIVIC_RELATIONS.get(row["clinical_significance"])
            if relation is None:
                continue
            items.append(
                CivicItem(
                    evidence_id=row["evidence_id"],
                    pubmed_id=row["pubmed_id"],
                    gene=row["gene"],
                    drugs=tuple(d.strip() for d in row["drugs"].split(",") if d.strip()),
                    relation=relation,
                    supports=row["evidence_direction"] == "Supports",
                    statement=" ".join(row["evidence_statement"].split()),
                    disease=row["disease"],
                )
            )
    return items


def evaluate_relations(settings: Settings, extractor: Extractor | None = None) -> RelationScores:
    """CIViC figures are 5-fold cross-validated (the scorer is trained on these statements);
    CIViCmine sentences are never trained on, so they are scored with the shipped model."""
    extractor = extractor or Extractor(settings)
    civic = load_civic(settings.data_dir / "civic" / "civic_predictive_dev.tsv")
    labelled = labelled_civic(extractor, civic)
    predicted = out_of_fold_triples(labelled, extractor=extractor.relation_extractor)
    triple_row, accuracy, pairs, negated_share, dns, ece = score_civic(labelled, predicted)
    every_row, *_ = score_civic(labelled, predicted, _affirmed, "CIViC dev, every row")
    disease = score_civic_diseases(labelled, predicted, {i.evidence_id: i.disease for i in civic})
    others = []
    for seed in OTHER_FOLD_SEEDS:
        drawn = out_of_fold_triples(labelled, extractor=extractor.relation_extractor, seed=seed)
        row, seed_accuracy, *_ = score_civic(labelled, drawn)
        others.append((seed, row.f1, seed_accuracy))
    models = list(out_of_fold_models(labelled))
    joined = score_civic_joined(extractor, labelled, models)
    unbroken = score_civic_joined(extractor, labelled, models, separator=" ")
    abstracts = score_civic_joined(extractor, labelled, models, group=2, separator=" ")
    overlap, exact = score_civicmine(extractor, settings.data_dir / "civicmine" / "training")
    biored = tuple(
        score_biored_pairs(extractor, settings.data_dir / "biored" / f"{split}.PubTator", split)
        for split in BIORED_SPLITS
    )
    attachment = score_seth_attachment(extractor, settings.data_dir / "mutations" / "seth")
    return RelationScores(
        triple_row,
        accuracy,
        pairs,
        negated_share,
        dns,
        overlap,
        exact,
        ece,
        tuple(others),
        joined,
        unbroken,
        abstracts,
        every_row,
        biored,
        disease,
        attachment,
    )


def labelled_civic(extractor: Extractor, items: list[CivicItem]) -> list[LabelledDocument]:
    """CIViC statements analysed once, with gold drugs named the way litmine names them."""
    documents = [Document(doc_id=i.evidence_id, text=i.statement, source="civic") for i in items]
    drug_names = _normalizer(extractor, {d for i in items for d in i.drugs})
    analyses = {a.document.doc_id: a for a in extractor.analyses(documents, for_triples=True)}
    return [
        LabelledDocument.build(
            analyses[item.evidence_id],
            item.gene,
            {drug_names[d] for d in item.drugs},
            item.relation,
            item.supports,
            source=f"PMID:{item.pubmed_id}",
        )
        for item in items
    ]


def score_civic(
    documents: list[LabelledDocument],
    predicted: dict[str, list[Triple]],
    counted: Callable[[Triple], bool] = is_scored,
    name: str = "CIViC dev (Supports, 5-fold CV)",
) -> tuple[ScoreRow, float, int, float, int, float]:
    """Triple, polarity, negation and calibration figures of the ``counted`` triples (by
    default the stated ones: see :func:`is_scored`)."""
    tp = fp = fn = 0
    calibration: list[tuple[float, bool]] = []
    polarity_hits = polarity_total = 0
    negated_hits = negated_total = 0
    for doc in documents:
        gene, gold_drugs = doc.gold_gene, doc.gold_drugs
        triples = predicted.get(doc.analysis.document.doc_id, [])
        if not doc.supports:
            negated_total += 1
            negated_hits += any(
                t.negated and _gene_matches(t, gene) and gold_drugs & _drugs_of(t) for t in triples
            )
            continue
        gold = doc.gold_claims
        scored = [t for t in triples if counted(t)]
        found = {claim for t in scored for claim in doc.claims_of(t)}
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        calibration += [(t.confidence, bool(doc.claims_of(t) & gold)) for t in scored]
        for drug in gold_drugs:
            votes = Counter(  # the triples scored above
                t.relation for t in scored if _gene_matches(t, gene) and drug in _drugs_of(t)
            )
            if votes:
                polarity_total += 1
                polarity_hits += votes.most_common(1)[0][0] == doc.relation
    row = ScoreRow.from_counts(name, "gene-drug-relation", tp, fp, fn)
    accuracy = polarity_hits / polarity_total if polarity_total else 0.0
    share = negated_hits / negated_total if negated_total else 0.0
    return (
        row,
        accuracy,
        polarity_total,
        share,
        negated_total,
        expected_calibration_error(calibration),
    )


def score_civic_diseases(
    documents: list[LabelledDocument],
    predicted: dict[str, list[Triple]],
    diseases: dict[str, str],
) -> DiseaseAgreement:
    """:class:`DiseaseAgreement` of the correct stated triples (``diseases``: CIViC's
    disease per statement id)."""
    triples = named = agreeing = 0
    for doc in documents:
        curated = diseases.get(doc.analysis.document.doc_id, "")
        if not doc.supports or not _disease_words(curated):
            continue
        for triple in predicted.get(doc.analysis.document.doc_id, []):
            if is_scored(triple) and doc.claims_of(triple) & doc.gold_claims:
                triples += 1
                named += bool(triple.disease)
                agreeing += bool(triple.disease) and same_disease(triple.disease, curated)
    return DiseaseAgreement(triples, named, agreeing)


def same_disease(found: str, curated: str) -> bool:
    """Whether two disease names name one disease: at least half of their specific words
    (without "cancer", "carcinoma", "neoplasms", ...; "prostatic" is "prostate") are
    shared. "carcinoma, non-small-cell lung" is "Non-small Cell Lung Carcinoma";
    "neoplasms" is no disease in particular; "adenocarcinoma of lung" is narrower than
    non-small cell lung carcinoma and does not count."""
    a, b = _disease_words(found), _disease_words(curated)
    return bool(a and b) and len(a & b) >= 0.5 * len(a | b)


_BROAD_DISEASE_WORDS = frozenset(
    ("cancer", "carcinoma", "tumor", "tumour", "neoplasm", "malignant", "malignancy")
    + ("leukemia", "lymphoma", "disease", "of", "and", "the", "with", "positive", "receptor")
)
_ORGAN_ADJECTIVES = {
    "prostatic": "prostate",
    "colonic": "colon",
    "gastric": "stomach",
    "hepatic": "liver",
    "renal": "kidney",
    "pulmonary": "lung",
    "ovarian": "ovary",
    "pancreatic": "pancreas",
    "leukaemia": "leukemia",
}


def _disease_words(name: str) -> set[str]:
    words = {
        w[:-1] if len(w) > 4 and w.endswith("s") else w
        for w in re.findall(r"[a-z0-9]+", name.lower())
    }
    return {_ORGAN_ADJECTIVES.get(w, w) for w in words} - _BROAD_DISEASE_WORDS


def score_civic_joined(
    extractor: Extractor,
    documents: list[LabelledDocument],
    models: Iterable[tuple[RelationModel, list[int]]] | None = None,
    group: int = JOINED_STATEMENTS,
    separator: str = "\n\n",
) -> ScoreRow:
    """Long texts: the ``Supports`` statements of each fold joined ``group`` to a document,
    one paragraph each (or, with ``separator=" "``, all in one unbroken paragraph), run
    through ``extract`` with the fold's model, and scored against the union of their
    curated claims. A review strings findings together like this; the figure shows whether
    the scorer's document-level features survive the length (and, two statements in one
    paragraph, an abstract with two findings). ``models``: each fold's model and held-out
    indices (default: :func:`out_of_fold_models`)."""
    tp = fp = fn = 0
    for model, held_out in models if models is not None else out_of_fold_models(documents):
        statements = [documents[i] for i in held_out if documents[i].supports]
        groups = [statements[i : i + group] for i in range(0, len(statements), group)]
        texts = [
            Document(f"joined-{n}", separator.join(d.analysis.document.text for d in members))
            for n, members in enumerate(groups)
        ]
        analyses = extractor.analyses(texts, for_triples=True)
        for members, analysis in zip(groups, analyses, strict=True):
            gold = set().union(*(d.gold_claims for d in members))
            genes = {d.gold_gene for d in members}
            triples = extractor.relation_extractor.extract(analysis, model=model)
            found = {claim for t in triples if is_scored(t) for claim in claims_of(t, genes)}
            tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    name = f"CIViC dev joined x{group}" + ("" if "\n" in separator else ", one paragraph")
    return ScoreRow.from_counts(name, "gene-drug-relation", tp, fp, fn)


def expected_calibration_error(scored: list[tuple[float, bool]], bins: int = 5) -> float:
    """Mean |share correct − mean confidence| over equal-width confidence bins, weighted by
    size: 0 means a triple with confidence 0.7 is right 70% of the time."""
    if not scored:
        return 0.0
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in scored if low <= c < high or (b == bins - 1 and c == 1.0)]
        if inside:
            confidence = sum(c for c, _ in inside) / len(inside)
            accuracy = sum(ok for _, ok in inside) / len(inside)
            total += len(inside) / len(scored) * abs(accuracy - confidence)
    return total


def score_civicmine(extractor: Extractor, folder: Path) -> tuple[ScoreRow, ScoreRow]:
    """Gene–drug pairs of the Predictive relations: (overlapping spans, exact spans)."""
    documents, gold = [], {}
    for meta_path in sorted(folder.glob("*.json")):
        stem = meta_path.stem
        text = (folder / f"{stem}.txt").read_text(encoding="utf-8")
        entities = _brat_entities(folder / f"{stem}.a1")
        pairs = set()
        a2 = folder / f"{stem}.a2"
        for line in a2.read_text(encoding="utf-8").splitlines() if a2.exists() else []:
            parts = line.split("\t")
            if len(parts) > 1 and parts[1].startswith("Predictive"):
                args = dict(arg.split(":") for arg in parts[1].split()[1:])
                if "gene" in args and "drug" in args:
                    pairs.add((entities[args["gene"]].lower(), entities[args["drug"]].lower()))
        gold[stem] = pairs
        documents.append(Document(doc_id=stem, text=text, source="civicmine"))
    predicted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for triple in extractor.triples(documents):
        if triple.gene_text and not triple.inferred_from_class:
            for drug_text in triple.drug_text.split(" + "):
                predicted[triple.doc_id].add((triple.gene_text.lower(), drug_text.lower()))
    return _pair_scores(gold, predicted, _same_pair, "gene-drug pair (overlap)"), _pair_scores(
        gold, predicted, tuple.__eq__, "gene-drug pair (exact)"
    )


def score_seth_attachment(extractor: Extractor, root: Path) -> Attachment:
    """:class:`Attachment` on the SETH corpus (``corpus.txt`` and brat ``annotations/``:
    ``SNP`` and ``Gene`` spans, ``AssociatedTo`` relations between them). A gold gene
    litmine does not recognize there counts by the name the lexicon gives its surface."""
    texts = seth_texts(root)
    gold: dict[str, dict[tuple[int, int], list[tuple[int, int]]]] = {}
    for path in sorted((root / "annotations").glob("*.ann")):
        if path.stem in texts:
            gold[path.stem] = _seth_relations(path)
    documents = [Document(pmid, texts[pmid], source="seth") for pmid in gold if gold[pmid]]
    variants = attached = correct = 0
    lexicon = extractor.entity_pipeline.lexicon  # for the gold genes litmine does not find
    for analysis in extractor.analyses(documents):
        related = gold[analysis.document.doc_id]
        genes = [m for m in analysis.mentions if m.label == "GENE"]
        for variant, gene in variant_genes(analysis):
            spans = next((g for v, g in related.items() if _overlaps(variant, v)), None)
            if spans is None:
                continue  # not a mutation SETH relates to a gene
            variants += 1
            attached += gene is not None
            correct += gene is not None and _names_gene(
                gene, spans, genes, analysis.document.text, lexicon
            )
    return Attachment(variants, attached, correct)


def _seth_relations(path: Path) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Mutation span → the spans of the genes SETH relates it to."""
    spans: dict[str, tuple[str, int, int]] = {}
    related: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[0].startswith("T") and len(cols[1].split()) == 3:
            label, start, end = cols[1].split()
            spans[cols[0]] = (label, int(start), int(end))
    for line in lines:
        cols = line.split("\t")
        if len(cols) < 2 or not cols[1].startswith("AssociatedTo"):
            continue
        args = [spans.get(arg.split(":")[1]) for arg in cols[1].split()[1:3]]
        if None in args:
            continue
        mutation = next((a for a in args if a[0] in ("SNP", "RS")), None)
        gene = next((a for a in args if a[0] == "Gene"), None)
        if mutation and gene:
            related[mutation[1:]].append(gene[1:])
    return related


def _overlaps(mention: Mention, span: tuple[int, int]) -> bool:
    return mention.start < span[1] and span[0] < mention.end


def _names_gene(
    gene: Mention, spans: list[tuple[int, int]], genes: list[Mention], text: str, lexicon: Lexicon
) -> bool:
    """Whether ``gene`` is one of the gold gene ``spans``: the same mention, the same
    surface, a gene litmine recognizes there normalized the same way, or the gene the
    lexicon names a gold surface it does not recognize in place."""
    if any(_overlaps(gene, span) for span in spans):
        return True
    surfaces = {text[a:b] for a, b in spans}
    there = {g.normalized for g in genes if any(_overlaps(g, span) for span in spans)}
    there |= {c[1] for s in surfaces if (c := lexicon.lookup(s)) and c[0] == "GENE"}
    return gene.text.lower() in {s.lower() for s in surfaces} or bool(
        gene.normalized and gene.normalized in there
    )


# Dev first: the NER's statistical model was trained on BioRED Train (never its relations),
# so the entities, and with them the pairs, are a little better there
BIORED_SPLITS = ("Dev", "Train")


def score_biored_pairs(extractor: Extractor, path: Path, split: str) -> AbstractPairs:
    """The gene–drug pairs ``extract`` finds in BioRED's abstracts against BioRED's
    relations, matched through the entity ids of the mentions each pair names (a variant's
    or its gene's: BioRED relates either to a chemical)."""
    gold = list(read_pubtator(path, labels=None))
    relations = _pubtator_relations(path)
    # per document, (gene, drug) as written -> the factor's surfaces (gene, variant)
    found: dict[str, dict[Pair, set[str]]] = defaultdict(lambda: defaultdict(set))
    for triple in extractor.triples(Document(d.doc_id, d.text, source="biored") for d in gold):
        if triple.gene and not triple.inferred_from_class:
            surfaces = {t.lower() for t in (triple.gene_text, triple.variant_text) if t}
            for drug_text in triple.drug_text.split(" + "):
                pair = (triple.gene_text.lower(), drug_text.lower())
                found[triple.doc_id][pair] |= surfaces
    related = unrelated = unmatched = 0
    for doc in gold:
        ids: dict[str, set[str]] = defaultdict(set)
        for span in doc.spans:
            ids[doc.text[span.start : span.end].lower()].update(span.id.split(","))
        for (_, drug), surfaces in found.get(doc.doc_id, {}).items():
            factor_ids = set().union(*(ids.get(surface, set()) for surface in surfaces))
            drug_ids = ids.get(drug, set())
            if not factor_ids or not drug_ids:
                unmatched += 1
            elif any(
                frozenset((a, b)) in relations[doc.doc_id] for a in factor_ids for b in drug_ids
            ):
                related += 1
            else:
                unrelated += 1
    return AbstractPairs(split, len(gold), related, unrelated, unmatched)


def _pubtator_relations(path: Path) -> dict[str, set[frozenset[str]]]:
    """Per document, the id pairs of its relation lines (``PMID<TAB>type<TAB>id<TAB>id``)."""
    relations: dict[str, set[frozenset[str]]] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and not parts[1].isdigit() and parts[0].isdigit():
                relations[parts[0]].add(frozenset(parts[2:4]))
    return relations


Pair = tuple[str, str]


def _pair_scores(
    gold: dict[str, set[Pair]],
    predicted: dict[str, set[Pair]],
    same: Callable[[Pair, Pair], bool],
    label: str,
) -> ScoreRow:
    tp = fp = fn = 0
    for doc_id, gold_pairs in gold.items():
        found = predicted[doc_id]
        matched = {p for p in found if any(same(p, g) for g in gold_pairs)}
        tp += len({g for g in gold_pairs if any(same(p, g) for p in found)})
        fp += len(found - matched)
        fn += len({g for g in gold_pairs if not any(same(p, g) for p in found)})
    return ScoreRow.from_counts("CIViCmine training", label, tp, fp, fn)


def _same_pair(found: tuple[str, str], gold: tuple[str, str]) -> bool:
    """Overlapping mentions match: 'cisplatin' ~ 'cisplatin (cddp)', 'egfr' ~ 'egfr gene'.

    Each corpus draws span edges its own way; the pair, not the edge, is what is scored.
    """
    return all(a in b or b in a for a, b in zip(found, gold, strict=True))


def _brat_entities(path: Path) -> dict[str, str]:
    entities = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("T"):
            entities[parts[0]] = parts[2]
    return entities


def _normalizer(extractor: Extractor, names: Iterable[str]) -> dict[str, str]:
    """Gold drug names through litmine's own drug lexicon, so naming differences don't count."""
    names = sorted(names)
    docs = [Document(doc_id=str(i), text=_clean_drug(n)) for i, n in enumerate(names)]
    result = {n: _clean_drug(n) for n in names}
    for analysis in extractor.analyses(docs):
        chemicals = [m for m in analysis.mentions if m.label == "CHEMICAL"]
        if chemicals:
            result[names[int(analysis.document.doc_id)]] = chemicals[0].normalized.lower()
    return result


def _clean_drug(name: str) -> str:
    """A curated drug name without salt, parenthesis or CIViC's regimen suffix
    ("FolfoxProtocol", "EAP Protocol": the regimen)."""
    name = re.sub(r"\(.*?\)|\s*protocol$", "", name.lower())
    return " ".join(_SALTS.sub("", name).split())


def _affirmed(triple: Triple) -> bool:
    """Every row ``extract`` writes that claims something of a gene: class rows and members
    inferred from a class count too (CIViC curates member drugs, so a class row is false)."""
    return not triple.negated and bool(triple.gene)


def _gene_matches(triple: Triple, gene: str) -> bool:
    return gene in triple.gene.split("::")


def _drugs_of(triple: Triple) -> set[str]:
    return {d.strip().lower() for d in triple.drug.split(" + ")}
