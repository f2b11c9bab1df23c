"""The entity pipeline: sentences, abbreviations, lexicons, variants (and a model).

Order of work for one document:
1. rule sentence split (``sentences.py``);
2. lexicon longest match over the whole text (``lexicon.py``; GENE, CHEMICAL incl. drug
   classes, DISEASE), then span rules that follow BioRED's span conventions: a gene grows
   to its member number, isoform or range ("TIM-3", "NRG-1 beta", "interleukin (IL)-6",
   "Smad1/5", "c-Fos"), its receptor ("NMDA receptor", "5-HT(2C)") or the drugs named
   after it ("COX-2 inhibitors"); codons, karyotype bands and cell lines that look like
   genes are dropped; receptor families named by an adjective ("glucocorticoid
   receptor") are added; ions ("Ca(2+)"), drugs by INN stem, compound codes (by sponsor
   prefix or by context: "the MEK inhibitor X") and formulas come from ``chemistry.py``;
3. sequence variants from ``variants.py`` (non-gene lexicon hits inside them yield), then
   unknown symbols the text calls genes ("Pum gene", "TIEG1 mRNA");
4. optionally the statistical recognizer (``model.py``) on the sentences the caller's
   filter selects, adding spans the lexicons missed;
5. abbreviation definitions (``abbreviations.py``): a defined short form takes the
   concept of its long form everywhere in the document; a long form shaped like a
   chemical name ("salidroside (Sal)") makes both CHEMICAL; a short form defined as
   something the lexicons do not know loses its lexicon hits (traps like "CT");
6. the caller's extra phrases (e.g. MECHANISM triggers), which may overlap the above.

Everything but step 4 is plain Python over the text; spaCy is imported only when a
trained model is present and wanted, which keeps ``litmine extract`` start-up short.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from litmine.config import Settings
from litmine.nlp.abbreviations import Abbreviation, find_abbreviations, short_form_occurrences
from litmine.nlp.chemistry import (
    code_names,
    contextual_codes,
    formulas,
    inn_drugs,
    ions,
    looks_chemical,
)
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
            if not _is_cytoband(text, f) and not _is_codon(text, f) and not _is_cell_line(text, f)
        ]
        found.extend(_receptor_families(text, found))
        found = _ion_spans(text, found)
        found.extend(_chemical_spans(text, found))
        variants = _variant_spans(text)
        if variants:
            found = [f for f in found if f[2] == "GENE" or not _overlaps_any(f, variants)]
            found.extend(variants)
        abbreviations = find_abbreviations(text)
        defined = {a.short for a in abbreviations}
        found.extend(g for g in _context_genes(text, found) if g[3] not in defined)
        if self._model is not None:
            selected = [
                s
                for s in sentences
                if sentence_filter is None or sentence_filter(text[s.start : s.end])
            ]
            found.extend(self._model_spans(text, selected, found))
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
            if (
                concept is None
                and looks_chemical(abbr.long)
                and not any(_overlap(f, (abbr.long_start, abbr.long_end)) for f in found)
            ):  # "salidroside (Sal)": a chemical the vocabularies lack, vouched for by shape
                concept = ("CHEMICAL", abbr.long.lower(), "")
                found.append((abbr.long_start, abbr.long_end, *concept, "regex"))
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


_NUMBER_TAIL = re.compile(r"-?\d{1,3}[A-Za-z]?(?![^\W_]|/[ACGTU](?![^\W_])|>)")  # not "-31T/C"
_CODE_TAIL = re.compile(r"-?\d{4,}[A-Za-z]?(?![^\W_])")
_NOT_A_UNIT = (
    r"(?![^\W_]|[.,]\d|\s?[-/>+]|\s*(?:%|mg|g|kg|ml|mM|nM|\u00b5M|\u03bcM|h|min|days?|weeks?|"
    r"months?|years?|patients?|cells?|mice|rats|times|fold)\b)"
)
# an isoform in Greek: "NRG-1 beta", "GR alpha", "GSK-3 beta"
_GREEK_TAIL = re.compile(
    r"[\s-]?(?:alpha|beta|gamma|delta|epsilon|kappa|[\u03b1-\u03ba])\d?(?![^\W_]|[-/])"
)
# a family member after a space or hyphen: "arylsulfatase B", "interferon regulatory
# factor 6", "thyroid hormone receptor a1", "plasminogen activator inhibitor type-1"
_MEMBER_TAIL = re.compile(
    r"(?:\s|-)(?:types?[\s-]?)?(?:[IVX]{1,4}[a-z]?|[A-Z]\d?[a-z]?|[a-z]\d|\d{1,2}[A-Za-z]?)"
    + _NOT_A_UNIT
)
# the member after an inserted abbreviation: "interleukin (IL)-6", "toll-like receptor (TLR)4"
_PAREN_MEMBER = re.compile(
    r"\s?\([A-Z][A-Za-z0-9-]{0,9}\)[\s-]?(?:\d{1,2}[A-Za-z]?(?:/\d{1,2})?|[A-Z]\d?|"
    r"alpha|beta|gamma|delta|kappa|[a-g])" + _NOT_A_UNIT
)
# an isoform written before the name: "beta(1)-integrin", "a-actinin", "gamma-sarcoglycan"
_GREEK_PREFIX = re.compile(
    r"(?<![\w-])(?:alpha|beta|gamma|delta|kappa|[\u03b1-\u03ba]|[abgd])(?:\(?\d\)?)?-"
)
# words that belong to the enzyme's name: "inducible NO synthase", "matrix metalloproteinase-2"
_NAME_PREFIX = re.compile(
    r"(?<![^\W_])(?:[Ii]nducible|[Nn]euronal|[Ee]ndothelial|[Cc]onstitutive|[Cc]ardiac|[Mm]atrix|"
    r"[Mm]anganese|[Mm]icrosomal)\s"
)
_PREFIXED_NAME = re.compile(
    r"(?:NO|nitric oxide|troponin|metalloproteinase|superoxide|prostaglandin E)\b", re.IGNORECASE
)
_COORDINATED = re.compile(r"\s(?:and|or)\s(\d{1,2}|[A-Z]\d?)" + _NOT_A_UNIT)
_RANGE_TAIL = re.compile(r"(?:/|-)\d{1,2}(?![^\W_]|[/.,]\d|-)")  # "Smad1/5", "PAK1-3"
# a receptor subtype named after its ligand: "5-HT(2C)", "dopamine D2 receptor"
_SUBTYPE_RECEPTOR = re.compile(
    r"[\s-]?(?:\(?[A-Z]?\(?\d[A-Z]?\)?)[\s-]?(?:\(?[A-Z]?\(?\d[A-Z]?\)?[\s-])?receptors?\b"
)
_SEROTONIN_SUBTYPE = re.compile(r"\(?\d[A-Z]\)?(?![^\W_])")
_RECEPTOR_TAIL = re.compile(r"\s+(?:receptors?|transporters?|synthases?)\b")
_DRUG_TAIL = re.compile(r"\s+(?:inhibitors?|antagonists?|agonists?|blockers?)\b")


def _extend_gene_tails(text: str, found: list[_Span]) -> list[_Span]:
    """Grow a gene to its member number ("TIM" + "-3", "FGFR" + "-4"), isoform ("NRG-1
    beta"), range ("PAK1-3") or "c-" prefix ("c-Fos"); a gene or chemical to the receptor
    it names ("NMDA receptor", "5-HT(2C)", "dopamine D2 receptor"); and a gene to the
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
        if label == "GENE":
            new_start, new_end = _grow_gene(text, start, end)
            if (new_start, new_end) != (start, end):
                start, end = new_start, new_end
                normalized, id_ = text[start:end], ""
        elif label == "CHEMICAL" and (
            (subtype := _SUBTYPE_RECEPTOR.match(text, end))
            or (
                surface in ("5-HT", "serotonin")
                and (subtype := _SEROTONIN_SUBTYPE.match(text, end))
            )
        ):
            end = subtype.end()
            label, normalized, id_ = "GENE", text[start:end], ""
        if label in ("GENE", "CHEMICAL") and (receptor := _RECEPTOR_TAIL.match(text, end)):
            end = receptor.end()
            member = _MEMBER_TAIL.match(text, end)  # "melanocortin receptor type 4"
            if member:
                end = member.end()
            if label == "CHEMICAL" or member:
                label, normalized, id_ = "GENE", text[start:end], ""
        if label == "GENE" and (drug := _DRUG_TAIL.match(text, end)):
            end = drug.end()
            label, normalized, id_ = "CHEMICAL", text[start:end].lower(), ""
        f = (start, end, label, normalized, id_, source)
        out.append(f)
        skip_until = end
    return out


def _ion_spans(text: str, found: list[_Span]) -> list[_Span]:
    """Ions with their charge ("Ca(2+)") replace the bare element hit ("Ca") inside them."""
    for start, end in ions(text):
        inside = [f for f in found if _overlap(f, (start, end))]
        if all(f[2] == "CHEMICAL" and start <= f[0] and f[1] <= end for f in inside):
            found = [f for f in found if f not in inside]
            found.append((start, end, "CHEMICAL", text[start:end], "", "regex"))
    return found


def _grow_gene(text: str, start: int, end: int) -> tuple[int, int]:
    """The gene span with its number, range, isoform or member tail and "c-" prefix."""
    if text[end - 1].isalpha() and (number := _NUMBER_TAIL.match(text, end)):
        end = number.end()
    elif text[end - 1].isdigit() and (span := _RANGE_TAIL.match(text, end)):
        end = span.end()
    coordinated = _COORDINATED.match(text, end)  # one span in BioRED: "TIM-1 and 3"
    if coordinated and coordinated.group(1)[0].isdigit() == text[end - 1].isdigit():
        end = coordinated.end()
    if greek := _GREEK_TAIL.match(text, end):
        end = greek.end()
    elif text[end - 1].isalpha() and (member := _MEMBER_TAIL.match(text, end)):
        end = member.end()
    elif (paren := _PAREN_MEMBER.match(text, end)) and paren.end() > end:
        end = paren.end()
    if (prefix := _GREEK_PREFIX.search(text, max(0, start - 12), start)) and prefix.end() == start:
        start = prefix.start()
    elif (
        (word := _NAME_PREFIX.search(text, max(0, start - 14), start))
        and word.end() == start
        and _PREFIXED_NAME.match(text, start)
    ):
        start = word.start()
    elif (
        start >= 2
        and text[start - 2 : start] in ("c-", "v-")
        and (start == 2 or not text[start - 3].isalnum())
    ):
        start -= 2
    return start, end


def _chemical_spans(text: str, found: list[_Span]) -> list[_Span]:
    """INN-stem drug names, compound codes and formulas no lexicon entry already covers."""
    out: list[_Span] = []
    spans = (*inn_drugs(text), *code_names(text), *formulas(text), *contextual_codes(text))
    for start, end in spans:
        surface = text[start:end]
        if surface not in _CELL_LINES and not any(
            _overlap(f, (start, end)) for f in (*found, *out)
        ):
            normalized = surface if any(ch.isdigit() for ch in surface) else surface.lower()
            out.append((start, end, "CHEMICAL", normalized, "", "regex"))
    return out


# An unknown symbol-shaped word that the text calls a gene ("Pum gene", "TIEG1 mRNA",
# "hTERT expression", "anti-OSX antibody"): HGNC lacks many mouse, fly and old names.
_GENE_CONTEXT = re.compile(
    r"(?<![^\W_])(?P<anti>anti-)?(?P<sym>(?:[A-Z][a-z]{0,3}|[a-z]{1,2}[A-Z])[A-Za-z]*\d*[A-Za-z]?"
    r"(?:-\d{1,3}[a-z]?)?)(?P<ctx>\s+(?:genes?|proteins?|mRNAs?|transcripts?|expression|promoters?|"
    r"knock-?outs?|knock-?downs?|deficiency|alleles?|polymorphisms?|mutations?|mutants?|"
    r"overexpression|antibod(?:y|ies)|siRNAs?|shRNAs?|null|-/-)|-(?:deficient|null|knockout)\b)(?![^\W_])"
)
_NOT_GENE_WORDS = (
    "DNA RNA cDNA mRNA miRNA siRNA shRNA lncRNA PCR SNP SNPs CpG ATP GTP GFP EGFP YFP RFP "
    "HIV HBV HCV EBV HPV CMV WT KO HA FLAG Myc-tag GST His The This These Their Our Its A An "
    "Both Each Fusion Human Mouse Rat Mutant Wild Gene Protein Novel Candidate Reporter "
    "Viral Host Target Several Many Some Other Such No"
)
_NOT_GENES = frozenset(_NOT_GENE_WORDS.split())


# amino-acid changes ("V600E"), restriction enzymes ("MspI"), Roman numerals
_NOT_SYMBOL = re.compile(
    r"[a-z]?[A-Z]\d+[A-Z]|[ACGTU]+|UTR|[A-Z][a-z]{1,3}[A-Z]?I{1,3}|[IVX]+|[A-Z]{2,3}F"
)


def _context_genes(text: str, found: list[_Span]) -> list[_Span]:
    """Symbol-shaped words the text itself calls genes, proteins or transcripts."""
    out: list[_Span] = []
    for m in _GENE_CONTEXT.finditer(text):
        start, end = m.span("sym")
        symbol = m.group("sym")
        letters = sum(ch.isalpha() for ch in symbol)
        upper = sum(ch.isupper() for ch in symbol)
        if (
            symbol in _NOT_GENES
            or letters < 2
            or _NOT_SYMBOL.fullmatch(symbol)
            or not (upper >= 2 or (upper and any(ch.isdigit() for ch in symbol)))
            or any(_overlap(f, (start, end)) for f in found)
        ):
            continue
        out.append((start, end, "GENE", symbol, "", "context"))
    return out


# cell lines whose names are gene aliases ("PC-3", "HK-2", "HEK")
_CELL_LINE_NAMES = (
    "HEK HEK293 HEK-293 HeLa PC-3 PC3 HK-2 MCF-7 MCF7 A549 HCT116 K562 U937 HL-60 HL60 "
    "Jurkat SH-SY5Y HepG2 Huh7 Huh-7 COS-7 COS7 CHO NIH3T3 Caco-2 LNCaP DU145 SW480 HT-29 "
    "U2OS Vero THP-1 RAW264.7 MV4-11 MOLM-13 KG-1 H1975 PC12 PC-12 T47D BT474 A431 "
    "SK-N-SH U87 U251 HT1080 LoVo KU7"
)
_CELL_LINES = frozenset(_CELL_LINE_NAMES.split())
_CELL_CONTEXT = re.compile(r"\s+(?:cells?|cell\s+lines?)\b")
_CELL_LINE_SHAPE = re.compile(r"[A-Z]{2,4}-?\d{1,4}[A-Z]?")


def _is_cell_line(text: str, span: _Span) -> bool:
    """A gene alias that names a cell line here ("PC-3 cells", "HEK293")."""
    if span[2] != "GENE":
        return False
    surface = text[span[0] : span[1]]
    if surface in _CELL_LINES:
        return True
    return (
        _CELL_LINE_SHAPE.fullmatch(surface) is not None
        and not surface.startswith(("CD", "TH", "IL"))
        and _CELL_CONTEXT.match(text, span[1]) is not None
    )


# receptors named by an adjective: "glucocorticoid receptor", "muscarinic receptors"
_RECEPTOR_FAMILY = re.compile(r"(?<![^\W_])[A-Za-z]?[a-z]+(?:oid|ergic|inic)\s+receptors?\b")


def _receptor_families(text: str, found: list[_Span]) -> list[_Span]:
    """Receptor family names the gene vocabularies lack, when no other span covers them."""
    return [
        (m.start(), m.end(), "GENE", m.group(), "", "regex")
        for m in _RECEPTOR_FAMILY.finditer(text)
        if not any(_overlap(f, m.span()) for f in found)
    ]


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
