"""The entity pipeline: sentences, abbreviations, lexicons, variants (and a model).

Order of work for one document:
1. rule sentence split (``sentences.py``);
2. lexicon longest match over the whole text (``lexicon.py``; GENE, CHEMICAL incl. drug
   classes, DISEASE), then span rules: a gene grows to its member number ("TIM-3"), its
   receptor ("NMDA receptor") or the drugs named after it ("COX-2 inhibitors"); codons
   and karyotype bands that look like genes are dropped; drugs by INN stem, compound
   codes and formulas come from ``chemistry.py``;
3. sequence variants from ``variants.py`` (non-gene lexicon hits inside them yield);
4. optionally the statistical recognizer (``model.py``) on the sentences the caller's
   filter selects, adding spans the lexicons missed;
5. abbreviation definitions (``abbreviations.py``): a defined short form takes the
   concept of its long form everywhere in the document; a short form defined as
   something the lexicons do not know loses its lexicon hits (traps like "CT");
6. the caller's extra phrases (e.g. MECHANISM triggers), which may overlap the above.

Everything but step 4 is plain Python over the text; spaCy is imported only when a
trained model is present and wanted, which keeps ``litmine extract`` start-up short.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from litmine.config import Settings
from litmine.nlp.abbreviations import Abbreviation, find_abbreviations, short_form_occurrences
from litmine.nlp.chemistry import code_names, formulas, inn_drugs
from litmine.nlp.drug_classes import load_drug_classes
from litmine.nlp.lexicon import LEXICON_FILE, Lexicon, tokenize
from litmine.nlp.sentences import split_sentences
from litmine.types import Analysis, Document, Mention, Sentence

log = logging.getLogger(__name__)

Phrase = tuple[str, str, str, str]  # (surface text, label, normalized, id)
SentenceFilter = Callable[[str], bool]

MODEL_DIR = "ner"  # trained spaCy NER under models/, optional
_PROPAGATED = frozenset({"GENE", "CHEMICAL", "DISEASE"})


@lru_cache(maxsize=2)
def _base_lexicon(path: Path) -> Lexicon:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: build it with scripts/build_resources.py (see models/README.md)"
        )
    return Lexicon.load(path)


class EntityPipeline:
    """Finds GENE, VARIANT, CHEMICAL, DISEASE (and caller-supplied) mentions."""

    def __init__(
        self,
        settings: Settings,
        *,
        extra_phrases: Iterable[Phrase] = (),
        use_model: bool = True,
    ) -> None:
        self.settings = settings
        self._extra_phrases = tuple(extra_phrases)
        self._use_model = use_model
        base = _base_lexicon(settings.models_dir / LEXICON_FILE)
        self.lexicon = base.copy()
        for cls in load_drug_classes(settings).values():
            for surface in (cls.name, *cls.patterns):
                self.lexicon.add(surface, "CHEMICAL", cls.name, cls.id, exact=False)
        self.extras = Lexicon.from_terms([], {})
        for surface, label, normalized, id_ in self._extra_phrases:
            self.extras.add(surface, label, normalized, id_, exact=False)
        self._model = _load_model(settings.models_dir) if use_model else None

    # --- public API ------------------------------------------------------------------

    def analyze(
        self, document: Document, *, sentence_filter: SentenceFilter | None = None
    ) -> Analysis:
        """Mentions of one document; ``sentence_filter`` limits only the expensive model."""
        text = document.text
        sentences = split_sentences(text)
        tokens = tokenize(text)
        found = [
            (m.start, m.end, m.label, m.normalized, m.id, "lexicon")
            for m in self.lexicon.match(text, tokens)
        ]
        found = [
            f
            for f in _extend_gene_tails(text, found)
            if not _is_cytoband(text, f) and not _is_codon(text, f)
        ]
        found.extend(_chemical_spans(text, found))
        variants = _variant_spans(text)
        if variants:
            found = [f for f in found if f[2] == "GENE" or not _overlaps_any(f, variants)]
            found.extend(variants)
        if self._model is not None:
            selected = [
                s
                for s in sentences
                if sentence_filter is None or sentence_filter(text[s.start : s.end])
            ]
            found.extend(self._model_spans(text, selected, found))
        abbreviations = find_abbreviations(text)
        if abbreviations:  # after the model, so a long form it found labels its short form
            found = self._propagate(text, found, abbreviations)
        found.extend(
            (m.start, m.end, m.label, m.normalized, m.id, "lexicon")
            for m in self.extras.match(text, tokens)
        )
        found.sort(key=lambda f: (f[0], -f[1], f[2]))
        mentions = tuple(
            Mention(document.doc_id, a, b, text[a:b], label, norm, id_, source)
            for a, b, label, norm, id_, source in _dedupe(found)
        )
        return Analysis(
            document=document,
            sentences=sentences,
            mentions=mentions,
            abbreviations=tuple((a.short, a.long) for a in abbreviations),
        )

    def analyze_many(
        self,
        documents: Iterable[Document],
        *,
        sentence_filter: SentenceFilter | None = None,
        n_process: int = 1,
        batch_size: int = 64,
    ) -> Iterator[Analysis]:
        """Analyses in input order; ``n_process > 1`` forks workers that each build a pipeline."""
        if n_process <= 1:
            for document in documents:
                yield self.analyze(document, sentence_filter=sentence_filter)
            return
        init_args = (self.settings, self._extra_phrases, self._use_model, sentence_filter)
        with ProcessPoolExecutor(
            n_process, mp_context=get_context("fork"), initializer=_init_worker, initargs=init_args
        ) as pool:
            iterator = iter(documents)
            while batch := list(islice(iterator, batch_size * n_process)):
                chunks = [batch[i : i + batch_size] for i in range(0, len(batch), batch_size)]
                for analyses in pool.map(_analyze_chunk, chunks):
                    yield from analyses

    # --- steps -----------------------------------------------------------------------

    def _propagate(
        self, text: str, found: list[_Span], abbreviations: list[Abbreviation]
    ) -> list[_Span]:
        """Give every use of a defined short form its long form's concept (or none)."""
        for abbr in abbreviations:
            concept = self._long_form_concept(abbr, found)
            forms = [abbr.short]
            if abbr.short.endswith("s") and len(abbr.short) >= 4:
                forms.append(abbr.short[:-1])  # "NETs" defines "NET" too
            occurrences = [  # a use inside a longer mention ("NMDA receptor") stays in it
                occ
                for form in forms
                for occ in short_form_occurrences(text, form)
                if not _inside_longer(occ, found)
            ]
            if concept is None:
                short_hit = next(
                    (f for f in found if (f[0], f[1]) == (abbr.short_start, abbr.short_end)), None
                )
                if short_hit is None or short_hit[2] not in _PROPAGATED:
                    continue
                if _is_trap(abbr.short, short_hit):
                    # defined as something the lexicons do not know ("computed tomography
                    # (CT)"): the short form's lexicon hits are word collisions
                    spans = set(occurrences)
                    found = [f for f in found if (f[0], f[1]) not in spans or f[5] != "lexicon"]
                elif not any(_overlap(f, (abbr.long_start, abbr.long_end)) for f in found):
                    # a name of a known entity that the lexicons lack: "Delta-like 4 (Dll4)"
                    found.append((abbr.long_start, abbr.long_end, *short_hit[2:5], "abbreviation"))
                continue
            label, normalized, id_ = concept
            spans = set(occurrences)
            found = [
                f for f in found if f[2] == "VARIANT" or not any(_overlap(f, s) for s in spans)
            ]
            found.extend((a, b, label, normalized, id_, "abbreviation") for a, b in occurrences)
        return found

    def _long_form_concept(
        self, abbr: Abbreviation, found: list[_Span]
    ) -> tuple[str, str, str] | None:
        """The concept of the long form: an exact lexicon entry, else the mention that
        ends the long form (its head, as in "human ABL1 kinase")."""
        for f in found:
            if (f[0], f[1]) == (abbr.long_start, abbr.long_end) and f[2] in _PROPAGATED:
                return f[2], f[3], f[4]
        hit = self.lexicon.lookup(abbr.long)
        if hit is not None and hit[0] in _PROPAGATED:
            return hit
        heads = [f for f in found if f[1] == abbr.long_end and f[0] >= abbr.long_start]
        if heads and heads[0][2] in _PROPAGATED:
            return heads[0][2], heads[0][3], heads[0][4]
        return None

    def _model_spans(self, text: str, sentences: list[Sentence], found: list[_Span]) -> list[_Span]:
        """Model spans the lexicons missed, normalized through the lexicon where possible."""
        if not sentences or self._model is None:
            return []
        out: list[_Span] = []
        for start, end, label in self._model.predict(text, sentences):
            if any(_overlap(f, (start, end)) for f in found):
                continue
            surface = text[start:end]
            concept = self.lexicon.lookup(surface)
            if concept is not None and concept[0] == label:
                out.append((start, end, label, concept[1], concept[2], "model"))
            else:
                normalized = surface if label == "GENE" else surface.lower()
                out.append((start, end, label, normalized, "", "model"))
        return out


_Span = tuple[int, int, str, str, str, str]  # start, end, label, normalized, id, source


_NUMBER_TAIL = re.compile(r"-?\d{1,3}[A-Za-z]?(?![^\W_])")
_CODE_TAIL = re.compile(r"-?\d{4,}[A-Za-z]?(?![^\W_])")
_RECEPTOR_TAIL = re.compile(r"\s+(?:receptors?|transporters?|synthases?)\b")
_DRUG_TAIL = re.compile(r"\s+(?:inhibitors?|antagonists?|agonists?|blockers?)\b")


def _extend_gene_tails(text: str, found: list[_Span]) -> list[_Span]:
    """Grow a gene to its member number ("TIM" + "-3", "FGFR" + "-4"), a gene or chemical
    to the receptor it names ("NMDA receptor", "glycine transporter"), and a gene to the
    drugs named after it ("COX-2 inhibitors": a CHEMICAL)."""
    out: list[_Span] = []
    skip_until = -1
    for f in sorted(found):
        if f[0] < skip_until:
            continue
        start, end, label, normalized, id_, source = f
        surface = text[start:end]
        alias = surface.isalpha() and surface.isupper() and surface != normalized.upper()
        code = _CODE_TAIL.match(text, end) if alias else None
        if label == "GENE" and code:  # "GDC-0941", "AZD6244": drug code names
            out.append((start, code.end(), "CHEMICAL", text[start : code.end()], "", source))
            skip_until = code.end()
            continue
        if (
            label == "GENE"
            and text[end - 1].isalpha()
            and (number := _NUMBER_TAIL.match(text, end))
        ):
            end = number.end()
            normalized, id_ = text[start:end], ""
        if label in ("GENE", "CHEMICAL") and (receptor := _RECEPTOR_TAIL.match(text, end)):
            end = receptor.end()
            if label == "CHEMICAL":
                label, normalized, id_ = "GENE", text[start:end], ""
        if label == "GENE" and (drug := _DRUG_TAIL.match(text, end)):
            end = drug.end()
            label, normalized, id_ = "CHEMICAL", text[start:end].lower(), ""
        f = (start, end, label, normalized, id_, source)
        out.append(f)
        skip_until = end
    return out


def _chemical_spans(text: str, found: list[_Span]) -> list[_Span]:
    """INN-stem drug names, compound codes and formulas no lexicon entry already covers."""
    out: list[_Span] = []
    for start, end in (*inn_drugs(text), *code_names(text), *formulas(text)):
        if not any(_overlap(f, (start, end)) for f in (*found, *out)):
            surface = text[start:end]
            normalized = surface if any(ch.isdigit() for ch in surface) else surface.lower()
            out.append((start, end, "CHEMICAL", normalized, "", "regex"))
    return out


_CYTOBAND = re.compile(r"[pq]\d{1,2}(?:\.\d{1,2})?")


def _is_cytoband(text: str, span: _Span) -> bool:
    """Chromosome bands in karyotypes ("t(7;21)(p22;q22)") look like protein names (p22)."""
    if span[2] != "GENE" or not _CYTOBAND.fullmatch(text[span[0] : span[1]]):
        return False
    return ";" in text[max(0, span[0] - 6) : span[1] + 6]


_CODON = re.compile(r"[ACGTU]{3}")
_CODON_CONTEXT = re.compile(r"(?<![^\W_])(?:[ACGTU]{3}|codons?|triplets?)(?![^\W_])", re.IGNORECASE)


def _is_codon(text: str, span: _Span) -> bool:
    """Codons ("a GCG to GCA change") collide with gene symbols (GCG: glucagon)."""
    if span[2] != "GENE" or not _CODON.fullmatch(text[span[0] : span[1]]):
        return False
    window = text[max(0, span[0] - 20) : span[0]] + " " + text[span[1] : span[1] + 20]
    return _CODON_CONTEXT.search(window) is not None


def _is_trap(short: str, hit: _Span) -> bool:
    """A short all-capital lexicon hit that is an alias, not the entity's own symbol."""
    return (
        hit[5] == "lexicon"
        and len(short) <= 4
        and short.isalpha()
        and short.isupper()
        and hit[3].upper() != short
    )


def _inside_longer(span: tuple[int, int], found: list[_Span]) -> bool:
    return any(
        f[0] <= span[0] and span[1] <= f[1] and f[1] - f[0] > span[1] - span[0] for f in found
    )


def _overlap(span: tuple[int, ...], other: tuple[int, ...]) -> bool:
    return span[0] < other[1] and other[0] < span[1]


def _overlaps_any(span: _Span, others: list[_Span]) -> bool:
    return any(_overlap(span, o) for o in others)


def _dedupe(spans: list[_Span]) -> list[_Span]:
    """One mention per (start, end, label); input is sorted."""
    seen: set[tuple[int, int, str]] = set()
    out = []
    for s in spans:
        key = (s[0], s[1], s[2])
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _variant_spans(text: str) -> list[_Span]:
    from litmine.nlp.variants import find_variants

    return [(v.start, v.end, "VARIANT", v.normalized, "", "regex") for v in find_variants(text)]


def _load_model(models_dir: Path):  # noqa: ANN202 - litmine.nlp.model.NerModel | None
    path = models_dir / MODEL_DIR
    if not path.is_dir():
        return None
    from litmine.nlp.model import NerModel  # spaCy: only when a trained model is shipped

    log.info("loading the statistical NER model from %s", path)
    return NerModel.load(path)


_worker: tuple[EntityPipeline, SentenceFilter | None] | None = None


def _init_worker(
    settings: Settings,
    extra_phrases: tuple[Phrase, ...],
    use_model: bool,
    sentence_filter: SentenceFilter | None,
) -> None:
    global _worker
    _worker = (
        EntityPipeline(settings, extra_phrases=extra_phrases, use_model=use_model),
        sentence_filter,
    )


def _analyze_chunk(documents: list[Document]) -> list[Analysis]:
    assert _worker is not None, "worker not initialised"
    pipeline, sentence_filter = _worker
    return [pipeline.analyze(d, sentence_filter=sentence_filter) for d in documents]
