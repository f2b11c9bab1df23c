"""The composition root: wires nlp → relations → taxonomy into one ``Extractor``.

The CLI, the Prefect flows, the evaluation and the benchmarks all build their extractor here,
so every entry point runs the same stages with the same resources.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path

from litmine import __version__
from litmine.config import Settings
from litmine.types import Analysis, Document, Mention, Sentence, Triple

# spaCy's default limit; longer texts are analysed in windows of this size.
MAX_WINDOW_CHARS = 200_000


class Extractor:
    """Entities and triples for documents, with the taxonomy's mechanism on every triple."""

    def __init__(self, settings: Settings, *, use_model: bool = True) -> None:
        self.settings = settings
        self._use_model = use_model

    @cached_property
    def taxonomy(self):  # noqa: ANN201 - litmine.taxonomy.Taxonomy, imported lazily
        from litmine.taxonomy import load_taxonomy

        return load_taxonomy()

    @cached_property
    def entity_pipeline(self):  # noqa: ANN201 - litmine.nlp.EntityPipeline
        from litmine.nlp import EntityPipeline

        return EntityPipeline(
            self.settings,
            extra_phrases=self.taxonomy.trigger_phrases(),
            use_model=self._use_model,
        )

    @cached_property
    def relation_extractor(self):  # noqa: ANN201 - litmine.relations.RelationExtractor
        from litmine.nlp.drug_classes import load_drug_classes, load_regimens
        from litmine.relations import DrugClassInfo, RelationExtractor

        classes = {
            name: DrugClassInfo(
                name=cls.name,
                members=tuple(cls.members),
                targets=cls.targets,
                umbrella=cls.umbrella,
                target_ids=tuple(self._hgnc_id(t.split("::")[-1]) for t in cls.targets),
            )
            for name, cls in load_drug_classes(self.settings).items()
        }
        regimens = {r.name: r.components for r in load_regimens(self.settings).values()}
        return RelationExtractor.from_models_dir(
            self.settings.models_dir, classes, regimens=regimens, version=self.version
        )

    @property
    def class_members(self) -> dict[str, tuple[str, ...]]:
        """Drug class name → member drugs, for reconciliation to match class-level claims
        (read from the class file: no lexicon or relation model is loaded for it)."""
        from litmine.nlp.drug_classes import load_drug_classes

        return {cls.name: cls.members for cls in load_drug_classes(self.settings).values()}

    def _hgnc_id(self, symbol: str) -> str:
        """The HGNC id the gene lexicon gives ``symbol`` ("" for a disease or an unknown)."""
        concept = self.entity_pipeline.lexicon.lookup_gene(symbol)
        if concept is None or concept[1] != symbol:
            return ""
        return concept[2] if concept[2].startswith("HGNC:") else ""

    @cached_property
    def version(self) -> str:
        """A digest of the code and the model resources that decide the output, so a store
        re-processes its documents whenever either changes (and only then)."""
        digest = hashlib.sha256(__version__.encode())
        code = sorted(Path(__file__).parent.rglob("*.py"))
        models = self.settings.models_dir
        resources = sorted(p for p in models.rglob("*") if p.is_file() and p.suffix != ".md")
        for path in (*code, *resources):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        mode = "" if self._use_model else "+rules"  # switching the NER mode re-processes
        return f"{__version__}+{digest.hexdigest()[:10]}{mode}"

    def analyses(
        self, documents: Iterable[Document], *, for_triples: bool = False
    ) -> Iterator[Analysis]:
        """Analyse documents. With ``for_triples``, recognition runs only where a triple can
        be (see :func:`triple_focus`): not at all in the half of abstracts that hold no
        direction cue, and no further than the chemical step where the focus names no drug."""
        pipeline = self.entity_pipeline
        focus = triple_focus if for_triples else None

        def analysed() -> Iterator[Analysis]:
            for window in _windowed(documents):
                yield pipeline.analyze(window, focus=focus, drugs_required=for_triples)

        yield from _merge_windows(analysed())

    def entities(self, documents: Iterable[Document], *, n_process: int = 1) -> Iterator[Mention]:
        if n_process > 1:
            yield from _in_workers(self, documents, n_process, "entities")
            return
        for analysis in self.analyses(documents):
            yield from analysis.mentions

    def triples(self, documents: Iterable[Document], *, n_process: int = 1) -> Iterator[Triple]:
        if n_process > 1:
            yield from _in_workers(self, documents, n_process, "triples")
            return
        for analysis in self.analyses(documents, for_triples=True):
            yield from self.triples_for(analysis)

    def triples_for(self, analysis: Analysis) -> list[Triple]:
        from litmine.taxonomy import assign_mechanism

        result = []
        for triple in self.relation_extractor.extract(_without_back_matter(analysis)):
            mechanism, rule = assign_mechanism(triple, self.taxonomy)
            gene_id = triple.gene_id
            if triple.gene and not gene_id:
                # a gene named only as a drug's target ("FLT3 inhibitor") has no id of its
                # own: its symbol's (a fusion's, its 3' partner's, as elsewhere)
                gene_id = self._hgnc_id(triple.gene.split("::")[-1])
            result.append(
                dataclasses.replace(
                    triple, gene_id=gene_id, mechanism=mechanism, mechanism_rule=rule
                )
            )
        return _most_specific_factors(result)


def _most_specific_factors(triples: list[Triple]) -> list[Triple]:
    """Of the factors one sentence pairs with a drug, the most specific mechanism: in
    "hypoxia in the bone marrow niche promoted resistance to cytarabine" the claim is
    hypoxia's (microenvironment.hypoxia), and the niche's (microenvironment) adds nothing.
    Nor does a factor whose mechanism a gene's named alteration in the same claim carries:
    "MGMT promoter methylation conferred sensitivity to carmustine" is MGMT's methylation,
    not also DNA methylation in general. A gene whose mechanism only the sentence's words
    gave ("soluble factors ... attenuated sensitivity to sorafenib in FLT3-ITD AML") carries
    nothing of its own."""

    from litmine.taxonomy import IN_SENTENCE

    def claim(t: Triple) -> tuple:
        return (t.drug, t.relation, t.negated, t.sentence_start)

    factors: dict[tuple, set[str]] = {}
    altered_genes: dict[tuple, set[str]] = {}
    for t in triples:
        if t.factor and not t.gene and t.mechanism:
            factors.setdefault(claim(t), set()).add(t.mechanism)
        elif t.gene and t.variant and t.mechanism and not t.mechanism_rule.endswith(IN_SENTENCE):
            altered_genes.setdefault(claim(t), set()).add(t.mechanism)

    def said_better(t: Triple) -> bool:
        if not t.factor or t.gene:
            return False
        key, below = claim(t), t.mechanism + "."
        return any(m.startswith(below) for m in factors.get(key, ())) or any(
            m == t.mechanism or m.startswith(below) for m in altered_genes.get(key, ())
        )

    return [t for t in triples if not said_better(t)]


# A text this short is analysed whole once it has a cue: a curated summary names its gene
# once, often sentences away from the outcome, and the saving would be small anyway.
SHORT_TEXT_SENTENCES = 6


def triple_focus(text: str, sentences: tuple[Sentence, ...]) -> list[int]:
    """The sentences a triple can draw on: each sentence with a direction cue and its two
    neighbours (a variant named in one sentence, the drug in the next), plus the first
    sentence (an abstract's title names its gene and disease). None without a cue."""
    from litmine.relations.rules import cue_sentences

    cues = cue_sentences(text, sentences)
    if cues and len(sentences) <= SHORT_TEXT_SENTENCES:
        return list(range(len(sentences)))
    selected: set[int] = set()
    for index in cues:
        selected.update(range(max(0, index - 1), min(len(sentences), index + 2)), (0,))
    return sorted(selected)


# headings of a reference list, misspelt ones too (the seed article has "RERERENCES"), and
# not "Differences" or "Preferences"
_BACK_MATTER = re.compile(
    r"^[ \t#*]*(?:\d+\.?\s*)?(?:RE\w{0,3}RENCES?(?: CITED| LIST)?|BIBLIOGRAPHY|"
    r"LITERATURE CITED|WORKS CITED)"
    r"[ \t*:]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _without_back_matter(analysis: Analysis) -> Analysis:
    """Drop a full text's reference list: it cites titles, it states no findings."""
    text = analysis.document.text
    # one line (an abstract) can only start with the heading: no scan of every position
    match = _BACK_MATTER.search(text) if "\n" in text else _BACK_MATTER.match(text)
    if match is None:
        return analysis
    end = match.start()
    return dataclasses.replace(
        analysis,
        sentences=tuple(s for s in analysis.sentences if s.start < end),
        mentions=tuple(m for m in analysis.mentions if m.start < end),
    )


_worker_extractor: Extractor | None = None
# Two workers on the benchmark corpus finish their last batches 0.001-0.005 s apart
# (0.02-0.04 s with batches of 128 documents): less idle time at the end of a run.
WORKER_BATCH = 64


def _in_workers(
    extractor: Extractor, documents: Iterable[Document], n_process: int, what: str
) -> Iterator:
    """Run whole documents through ``n_process`` worker processes, keeping input order.

    The parent loads its resources once and forks: workers share the loaded lexicons
    copy-on-write instead of each loading them again. Documents travel in batches, so the NLP,
    the relations and the mechanism assignment all scale with the cores.
    """
    global _worker_extractor
    extractor.relation_extractor  # noqa: B018 - load before forking, so children inherit
    extractor.entity_pipeline  # noqa: B018
    _worker_extractor = extractor
    batches = _batched(documents, WORKER_BATCH)
    # Frozen objects are left out of garbage collection: a worker's collections then do not
    # write to (and so copy) the memory pages of the lexicons it shares with the parent. No
    # collection before it (as the gc docs advise): walking the lexicons takes the parent
    # 20 ms before any worker starts.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            for results in pool.imap(_work, ((what, batch) for batch in batches)):
                yield from results
    finally:
        gc.unfreeze()


def _work(task: tuple[str, list[Document]]) -> list:
    what, batch = task
    assert _worker_extractor is not None
    if what == "entities":
        return list(_worker_extractor.entities(batch))
    return list(_worker_extractor.triples(batch))


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _windowed(documents: Iterable[Document]) -> Iterator[Document]:
    """Split very long documents into windows so one huge file never exhausts memory."""
    for document in documents:
        if len(document.text) <= MAX_WINDOW_CHARS:
            yield document
            continue
        start = 0
        while start < len(document.text):
            end = _window_end(document.text, start)
            yield dataclasses.replace(
                document,
                text=document.text[start:end],
                meta={
                    **document.meta,
                    "_window_of": document.doc_id,
                    "_window_start": start,
                    "_window_last": end >= len(document.text),
                    "_full_text": document.text,
                },
            )
            start = end


def _window_end(text: str, start: int) -> int:
    end = min(len(text), start + MAX_WINDOW_CHARS)
    if end == len(text):
        return end
    for separator in ("\n\n", "\n", ". ", " "):
        cut = text.rfind(separator, start + MAX_WINDOW_CHARS // 2, end)
        if cut > 0:
            return cut + len(separator)
    return end


def _merge_windows(analyses: Iterable[Analysis]) -> Iterator[Analysis]:
    """Shift the offsets of windowed analyses back onto the whole document."""
    pending: list[Analysis] = []
    for analysis in analyses:
        meta = analysis.document.meta
        if "_window_of" not in meta:
            yield analysis
            continue
        pending.append(analysis)
        if not meta["_window_last"]:
            continue
        original = dataclasses.replace(
            analysis.document,
            text=meta["_full_text"],
            meta={k: v for k, v in meta.items() if not k.startswith("_")},
        )
        sentences, mentions, abbreviations = [], [], []
        for part in pending:
            shift = part.document.meta["_window_start"]
            sentences += [
                dataclasses.replace(s, start=s.start + shift, end=s.end + shift)
                for s in part.sentences
            ]
            mentions += [
                dataclasses.replace(m, start=m.start + shift, end=m.end + shift)
                for m in part.mentions
            ]
            abbreviations += part.abbreviations
        pending = []
        yield Analysis(original, tuple(sentences), tuple(mentions), tuple(abbreviations))
