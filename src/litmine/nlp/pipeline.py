"""The entity pipeline: sentences, abbreviations, lexicons, variants (and a model).

Order of work for one document:
1. rule sentence split (``sentences.py``);
2. lexicon longest match over the whole text (``lexicon.py``; GENE, CHEMICAL incl. drug
   classes, DISEASE), then span rules that follow BioRED's span conventions: a gene grows
   to its member number, isoform or range ("TIM-3", "NRG-1 beta", "interleukin (IL)-6",
   "Smad1/5", "c-Fos", "SOCS-1 and -3"; a range of HGNC symbols such as "BRCA1/2" names
   each member), its receptor ("NMDA receptor", "5-HT(2C)") or the drugs named after it
   ("COX-2 inhibitors", with the target gene inside "the PI3K inhibitor LY294002"), and
   chemotherapy regimens ("FOLFIRI", "R-CHOP"; an acronym that is also a gene or a word,
   "CHOP", only beside a regimen word);
   codons, karyotype bands and cell lines that look like genes are dropped; receptor
   families named by an adjective ("glucocorticoid receptor") are added; ions
   ("Ca(2+)"), drugs by INN stem, compound codes (by sponsor prefix or by context: "the
   MEK inhibitor X") and formulas come from ``chemistry.py``;
3. sequence variants from ``variants.py`` (non-gene lexicon hits inside them yield), then
   unknown symbols the text calls genes ("Pum gene", "TIEG1 mRNA");
4. optionally the statistical recognizer (``model.py``), adding spans the lexicons missed;
5. abbreviation definitions (``abbreviations.py``): a defined short form takes the
   concept of its long form everywhere in the document; a long form shaped like a
   chemical name ("salidroside (Sal)") makes both CHEMICAL; a short form defined as
   something the lexicons do not know loses its lexicon hits (traps like "CT");
6. the caller's extra phrases (e.g. MECHANISM triggers), which may overlap the above.

A caller's ``focus`` (``extract`` uses it) limits all of this to chosen sentences, analysed
as one compact text; a caller that needs drugs (``drugs_required``) also gets a drug class's
response filed as a disease ("glucocorticoid resistance") as the class, and a definite
description ("insensitive to the drug") as the drug named before it. Everything but
step 4 is plain Python over the text; spaCy is imported only when a trained model is present
and wanted, which keeps ``litmine extract`` start-up short.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import re2

from litmine.config import Settings
from litmine.nlp.abbreviations import Abbreviation, find_abbreviations, short_form_occurrences
from litmine.nlp.chemistry import (
    code_names,
    contextual_codes,
    coordinated_code,
    formulas,
    inn_drugs,
    ions,
    looks_chemical,
)
from litmine.nlp.drug_classes import Regimen, load_drug_classes, load_regimens
from litmine.nlp.lexicon import LEXICON_FILE, Concept, Lexicon, lower_tokens, tokenize
from litmine.nlp.sentences import split_sentences
from litmine.nlp.spelling import DrugSpellings
from litmine.types import UNNAMED_CHEMOTHERAPY_ID, Analysis, Document, Mention, Sentence

log = logging.getLogger(__name__)

Phrase = tuple[str, str, str, str]  # (surface text, label, normalized, id)
# Which sentences (by index) are worth recognizing in; the rest of the text is skipped.
Focus = Callable[[str, tuple[Sentence, ...]], Iterable[int]]

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
        regimens = load_regimens(settings).values()
        for regimen in regimens:
            for surface in regimen.patterns:
                self.lexicon.add(surface, "CHEMICAL", regimen.name, regimen.id, exact=True)
        self._regimen_context = _RegimenContext(regimens)
        self._spellings = DrugSpellings(base.concepts)
        self.extras = Lexicon.from_terms([], {})
        for surface, label, normalized, id_ in self._extra_phrases:
            self.extras.add(surface, label, normalized, id_, exact=False)
        self._model = _load_model(settings.models_dir) if use_model else None

    # --- public API ------------------------------------------------------------------

    def analyze(
        self, document: Document, *, focus: Focus | None = None, drugs_required: bool = False
    ) -> Analysis:
        """Mentions of one document. With ``focus``, recognition runs only in the sentences
        it selects (and those defining an abbreviation they use): the selected stretches are
        analysed as one compact text and the offsets mapped back, so a caller that needs only
        some sentences pays only for them. With ``drugs_required`` (a caller that can use
        nothing without a drug), a text in which no drug can be named yields no mentions,
        and recognition stops as soon as that is known."""
        text = document.text
        sentences = split_sentences(text)
        selected = None if focus is None else set(focus(text, sentences))
        if selected is not None and not selected:
            return Analysis(document=document, sentences=sentences, mentions=())
        abbreviations = find_abbreviations(text)
        if selected is None:
            found = self._recognize(text, abbreviations, sentences, drugs_required)
        else:
            runs = _runs(sentences, _with_definitions(text, sentences, selected, abbreviations))
            work = _RUN_SEPARATOR.join(text[a:b] for a, b in runs)
            inside = _into_runs(abbreviations, runs)
            found = _onto_original(self._recognize(work, inside, None, drugs_required), runs)
        mentions = tuple(
            Mention(document.doc_id, a, b, text[a:b], label, norm, id_, source)
            for a, b, label, norm, id_, source in found
        )
        return Analysis(
            document=document,
            sentences=sentences,
            mentions=mentions,
            abbreviations=tuple((a.short, a.long) for a in abbreviations),
        )

    # --- steps -----------------------------------------------------------------------

    def _recognize(
        self,
        text: str,
        abbreviations: list[Abbreviation],
        sentences: tuple[Sentence, ...] | None = None,
        drugs_required: bool = False,
    ) -> list[_Span]:
        """Every mention span of ``text``, sorted and de-duplicated (steps 2-6 above).
        ``sentences`` (split here when not given) are needed only by the statistical model."""
        tokens = tokenize(text)
        lows = lower_tokens(text, tokens)
        found = [
            (m.start, m.end, m.label, m.normalized, m.id, "lexicon")
            for m in self.lexicon.match(text, tokens, lows)
        ]
        found = [
            member
            for f in _extend_gene_tails(text, found)
            if not _is_cytoband(text, f)
            and not _is_codon(text, f)
            and not _is_cell_line(text, f)
            and not _is_confidence_interval(text, f)
            for member in _range_members(self.lexicon, text, f)
        ]
        found = self._regimen_context.replace(text, found)
        found.extend(_receptor_families(text, found))
        found = _ion_spans(text, found)
        codes = list(contextual_codes(text))
        if codes:
            found = _compounds_over_grown_genes(found, codes)
        found.extend(_chemical_spans(text, found, self._spellings, codes, self.lexicon))
        if drugs_required:
            found = self._diseases_that_name_a_factor_or_drug(text, found)
            found.extend(_unnamed_chemotherapy(text, found))
            if not _may_name_drug(found, abbreviations):
                return []
        variants = _variant_spans(text)
        if glued := _glued_gene_variants(text, self.lexicon, found):  # words nothing covers
            variants = [v for v in variants if not _overlaps_any(v, glued)]
            found.extend(g for g in glued if g[2] == "GENE")
            variants.extend(g for g in glued if g[2] == "VARIANT")
        if variants:
            found = [f for f in found if f[2] == "GENE" or not _overlaps_any(f, variants)]
            found.extend(variants)
        defined = {a.short for a in abbreviations}
        found.extend(g for g in _context_genes(text, found) if g[3] not in defined)
        if self._model is not None:
            sentences = split_sentences(text) if sentences is None else sentences
            found.extend(self._model_spans(text, list(sentences), found))
        if abbreviations:  # after the model, so a long form it found labels its short form
            found = self._propagate(text, found, abbreviations)
        found.extend(
            (m.start, m.end, m.label, m.normalized, m.id, "lexicon")
            for m in self.extras.match(text, tokens, lows)
        )
        found.sort(key=lambda f: (f[0], -f[1], f[2]))
        if drugs_required and (references := _definite_drug_references(text, found)):
            found = sorted([*found, *references], key=lambda f: (f[0], -f[1], f[2]))
        return _dedupe(found)

    def _diseases_that_name_a_factor_or_drug(self, text: str, found: list[_Span]) -> list[_Span]:
        """For triples, a disease the vocabularies file that names a drug class's response or
        a gene's loss names the class or the gene: in "glucocorticoid resistance" (BioRED's
        disease), "glucocorticoid" is the drug class and "resistance" the cue; in
        "BRCA1-deficient cells were sensitive to olaparib", BRCA1 is the factor and
        "deficient" its alteration; in "VHL mutations", VHL is the gene (see
        :meth:`_gene_it_names`). Entity output keeps the disease; the body's own resistance
        ("insulin resistance") is no class's."""
        result: list[_Span] = []
        for span in found:
            if span[2] != "DISEASE":
                result.append(span)
            elif named := self._head_it_names(text, span) or self._gene_it_names(text, span):
                result.append(named)
            else:
                result.extend(self._gene_led(text, span) or [span])
        return result

    def _head_it_names(self, text: str, disease: _Span) -> _Span | None:
        """The drug class or gene a disease span's head names (see :data:`_DISEASE_HEADS`)."""
        for pattern, names in _DISEASE_HEADS:
            head = pattern.fullmatch(text, disease[0], disease[1])
            concept = self.lexicon.lookup(head.group(1)) if head else None
            if concept is not None and names(concept):
                return (disease[0], head.end(1), *concept, disease[5])
        return None

    def _gene_led(self, text: str, disease: _Span) -> list[_Span] | None:
        """The gene that leads a disease subtype, and the disease it leads: in "FLT3-mutated
        AML" (a leukemia subtype the supplement files as a disease), FLT3 is a factor."""
        lead = _GENE_LED.fullmatch(text, disease[0], disease[1])
        concept = self.lexicon.lookup_gene(lead.group(1)) if lead else None
        if lead is None or concept is None:
            return None
        return [(disease[0], lead.end(1), *concept, disease[5]), (lead.start(2), *disease[1:])]

    def _gene_it_names(self, text: str, disease: _Span) -> _Span | None:
        """The gene a disease abbreviation is the symbol of, where the text speaks of the
        gene ("VHL mutations": VHL also abbreviates von Hippel-Lindau disease)."""
        start, end, *_, source = disease
        hgnc = self.lexicon.shadowed_genes.get(text[start:end])
        if not hgnc or not _SAID_OF_A_GENE.match(text, end):
            return None
        return (start, end, "GENE", text[start:end], hgnc, source)

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
                and not _overlaps_any((abbr.long_start, abbr.long_end), found)
            ):  # "salidroside (Sal)": a chemical the vocabularies lack, vouched for by shape
                concept = ("CHEMICAL", abbr.long.lower(), "")
                found.append((abbr.long_start, abbr.long_end, *concept, "regex"))
            if concept is None:
                short_hit = next(
                    (f for f in found if (f[0], f[1]) == (abbr.short_start, abbr.short_end)), None
                )
                if short_hit is None or short_hit[2] not in _PROPAGATED:
                    continue
                if _is_trap(abbr.short, short_hit) or (
                    short_hit[2] == "GENE" and not _names_gene(abbr.long)
                ):
                    # defined as something the lexicons do not know ("computed tomography
                    # (CT)", "cerebrospinal fluid (CSF)"): the short form's lexicon hits
                    # are word collisions
                    spans = set(occurrences)
                    found = [f for f in found if (f[0], f[1]) not in spans or f[5] != "lexicon"]
                elif not _overlaps_any((abbr.long_start, abbr.long_end), found):
                    # a name of a known entity that the lexicons lack: "Delta-like 4 (Dll4)",
                    # wherever the text repeats it
                    found.extend(
                        (a, b, *short_hit[2:5], "abbreviation")
                        for a, b in _long_form_occurrences(text, abbr, found)
                    )
                continue
            label, normalized, id_ = concept
            spans = set(occurrences)
            found = [f for f in found if f[2] == "VARIANT" or not _overlaps_any(f, spans)]
            for a, b in occurrences:
                if label == "DISEASE" and _GENE_WORD_AFTER.match(text, b):
                    # "the ALD gene": a disease's short form names its gene too (BioRED
                    # calls it the gene, NCBI-disease the disease)
                    found.append((a, b, "GENE", abbr.short, "", "abbreviation"))
                    found.append((a, b, label, normalized, id_, "abbreviation"))
                elif label == "GENE" and (grown := _grow_tail(text, a, b, found)) > b:
                    # "GR beta", "HIF-1a": the short form takes its isoform or member
                    found.append((a, grown, "GENE", text[a:grown], "", "abbreviation"))
                else:
                    found.append((a, b, label, normalized, id_, "abbreviation"))
            if label == "GENE":  # "ARKO mice": the knockout's gene
                found.extend(
                    (a, b, label, normalized, id_, "abbreviation")
                    for a, b in _knockout_uses(text, abbr.short, found)
                )
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
            if _overlaps_any((start, end), found):
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
_NOT_A_UNIT = (  # nor a unit, nor a 5' or 3' end
    r"(?![^\W_]|[.,]\d|\s?[-/>+]|['\u2019\u2032]|\s*(?:%|mg|g|kg|ml|mM|nM|\u00b5M|\u03bcM|h|min|"
    r"days?|weeks?|months?|years?|patients?|cells?|mice|rats|times|fold)\b)"
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
# "Smad1/5", "Smad1/5/8", "PAK1-3"
_RANGE_TAIL = re.compile(r"(?:(?:/\d{1,2})+|-\d{1,2})(?![^\W_]|[/.,]\d|-)")
# members that repeat only the hyphenated number: "SOCS-1 and -3", "MMP-2/-9",
# "FGF-2, -3, -4, -7, and -18", "TGF-beta1 and -beta2"
_ELIDED_MEMBERS = re.compile(
    r"(?:(?:,\s?(?:and\s|or\s)?|/|\s(?:and|or)\s)-\s?(?:\d{1,2}[A-Za-z]?|"
    r"(?:alpha|beta|gamma|delta|kappa)\d?)(?![^\W_]|[.,]\d))+"
)
_HYPHEN_MEMBER = re.compile(r"-(?:\d{1,2}[A-Za-z]?|(?:alpha|beta|gamma|delta|kappa)\d?)$")
# a receptor subtype named after its ligand: "5-HT(2C)", "dopamine D2 receptor"
_SUBTYPE_RECEPTOR = re.compile(
    r"[\s-]?(?:\(?[A-Z]?\(?\d[A-Z]?\)?)[\s-]?(?:\(?[A-Z]?\(?\d[A-Z]?\)?[\s-])?receptors?\b"
)
_SEROTONIN_SUBTYPE = re.compile(r"\(?\d[A-Z]\)?(?![^\W_])")
_RECEPTOR_TAIL = re.compile(r"\s+(?:receptors?|transporters?|synthases?)\b")
# BioRED calls a symporter, exchanger or binding protein named by what it carries a gene,
# but not a bare "calcium channel" or "glucose transporter" (the ion is the CHEMICAL)
_CARRIER_TAIL = re.compile(
    r"(?:[-/](?:[A-Z][a-z]?|[a-z]{3,})(?:\(\d?[+-]\))?)?(?:\s+|-)(?:co-?transporters?|"
    r"symporters?|exchangers?|antiporters?|binding proteins?|transaminases?|aminotransferases?)\b"
)
_TYPED_CHANNEL = re.compile(r"\s+channels?\b")
_CHANNEL_TYPE = re.compile(r"(?<![^\W_])[A-Z]-type\s+")
# the words that make a target's name a drug class's: "COX-2 inhibitors", "MEK inhibitor"
_CLASS_WORDS = r"\s+(?:inhibitors?|antagonists?|agonists?|blockers?)"
_DRUG_TAIL = re.compile(_CLASS_WORDS + r"\b")


def _extend_gene_tails(text: str, found: list[_Span]) -> list[_Span]:
    """Grow a gene to its member number ("TIM" + "-3", "FGFR" + "-4"), isoform ("NRG-1
    beta"), range ("PAK1-3") or "c-" prefix ("c-Fos"); a gene or chemical to the receptor
    it names ("NMDA receptor", "5-HT(2C)", "dopamine D2 receptor"); a chemical to the
    carrier named after it ("sodium/iodide symporter": a GENE); and a gene to the drugs
    named after it ("COX-2 inhibitors": a CHEMICAL), keeping the gene too where the class
    describes a named drug ("the [PI3K] inhibitor LY294002", BioRED's convention). Also
    drops capitals that name a trial or assay ("STOP-NIDDM trial") and relabels a disease
    abbreviation listed among genes ("TP53, APC, BCOR") as the gene."""
    out: list[_Span] = []
    skip_until = -1
    ordered = sorted(found)
    for i, f in enumerate(ordered):
        if f[0] < skip_until:
            continue
        if f[2] == "DISEASE" and _listed_among_genes(text, ordered, i):
            f = (f[0], f[1], "GENE", text[f[0] : f[1]], "", f[5])
        start, end, label, normalized, id_, source = f
        surface = text[start:end]
        if label == "GENE" and surface.isupper() and _STUDY_AFTER.match(text, end):
            continue  # "the STOP-NIDDM trial", "RIFLE criteria", "ARMS-PCR": not genes
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
        kind = _CHANNEL_TYPE.search(text, max(0, start - 8), start) if label == "CHEMICAL" else None
        if kind and kind.end() != start:
            kind = None
        if label == "CHEMICAL" and (
            (carrier := _CARRIER_TAIL.match(text, end))
            or (kind and (carrier := _TYPED_CHANNEL.match(text, end)))
        ):
            # the protein that carries or converts it: "sodium/iodide symporter", "Na-Cl
            # co-transporter", "L-type Ca(2+) channels", "alanine transaminase"
            start = kind.start() if kind else start
            end = carrier.end()
            label, normalized, id_ = "GENE", text[start:end], ""
        if label in ("GENE", "CHEMICAL") and (receptor := _RECEPTOR_TAIL.match(text, end)):
            end = receptor.end()
            member = _MEMBER_TAIL.match(text, end)  # "melanocortin receptor type 4"
            if member:
                end = member.end()
            if label == "CHEMICAL" or member:
                label, normalized, id_ = "GENE", text[start:end], ""
        if label == "GENE" and (drug := _DRUG_TAIL.match(text, end)):
            if _names_target(text, start, drug.end(), found):  # "the [MEK] inhibitor X"
                out.append((start, end, label, normalized, id_, source))
            end = drug.end()
            label, normalized, id_ = "CHEMICAL", text[start:end].lower(), ""
        f = (start, end, label, normalized, id_, source)
        out.append(f)
        if (
            label == "CHEMICAL"
            and source == "lexicon"
            and (target := _class_target(text, f, found))
        ):
            out.append(target)
        skip_until = end
    return out


# what follows the capitals of a trial, scale or assay name
_STUDY_AFTER = re.compile(
    r"(?:-[A-Z][A-Za-z0-9]*)*(?:-PCR\b|\)?\s+(?:[A-Z][a-z]+\s+)?(?:trials?|study|studies|criteria|"
    r"scales?|scores?|questionnaires?|cohorts?|assays?|method)\b)"
)
_LIST_GLUE = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|/")
_LAST_GLUE = re.compile(r",?\s+(?:and|or)\s+")
_LIST_END = re.compile(r"\s*[.;:)]")
_SYMBOL_SHAPE = re.compile(r"[A-Z][A-Z0-9]{1,6}")


def _listed_among_genes(text: str, ordered: list[_Span], i: int) -> bool:
    """A symbol between two genes of a list ("TP53, RB1, APC, BCOR") is a gene, though
    it also abbreviates a disease (APC: adenomatous polyposis coli)."""
    start, end = ordered[i][:2]
    if i == 0 or not _SYMBOL_SHAPE.fullmatch(text, start, end):
        return False
    before = ordered[i - 1]
    if before[2] != "GENE" or _LIST_GLUE.fullmatch(text, before[1], start) is None:
        return False
    after = ordered[i + 1] if i + 1 < len(ordered) else None
    if after is not None and after[2] == "GENE" and _LIST_GLUE.fullmatch(text, end, after[0]):
        return True
    # the last of three or more: "SPEN, TBC1D12, and VHL."
    first = ordered[i - 2] if i >= 2 else None
    return (
        _LIST_END.match(text, end) is not None
        and _LAST_GLUE.fullmatch(text, before[1], start) is not None
        and first is not None
        and first[2] == "GENE"
        and _LIST_GLUE.fullmatch(text, first[1], before[0]) is not None
    )


# a drug named right after its class ("the MEK inhibitor trametinib", "inhibitors, LY294002")
_DRUG_AFTER = re.compile(r",?\s+(?:[A-Z][A-Za-z]*-?\d|[a-z]{4,}(?:ib|mab|ol|ine|one|ide|ate|in)\b)")
# ... or right before it: "temsirolimus, a mTOR inhibitor"
_DRUG_BEFORE = re.compile(r",\s+(?:an?|the)\s+(?:[a-z]+\s+)?$")
_CLASS_TAIL = re.compile(_CLASS_WORDS + "$")
# a class head that names its target: a symbol ("HDAC", "GlyT1") or a receptor or enzyme
_TARGET_HEAD = re.compile(
    r"(?:[a-z]{0,2}[A-Z][A-Za-z]*\d*[A-Za-z]?(?:-\d{1,2})?|"
    r"(?:[A-Za-z0-9-]+\s){0,3}(?:receptors?|transporter(?:-\d)?|[a-z]{3,}ase))"
)

# an enzyme kind, not a gene: what a "tyrosine kinase inhibitor" targets is not named
_ANY_KINASE = re.compile(
    r"(?:(?:non-?)?receptor\s+|protein\s+)?(?:(?:tyrosine|serine/threonine|serine-threonine)\s+)?"
    r"kinases?|multi-?kinase",
    re.IGNORECASE,
)


def _names_target(text: str, start: int, tail_end: int, found: list[_Span]) -> bool:
    """Whether "X inhibitor" describes a named drug by its target X (BioRED marks the gene
    X): singular ("the MEK inhibitor"), or a drug named next to it; a plural standing
    alone ("COX-2 inhibitors reduce ...") is a drug class (a CHEMICAL)."""
    if text[tail_end - 1] != "s":
        return True
    if _DRUG_AFTER.match(text, tail_end):
        return True
    before = _DRUG_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and any(f[2] == "CHEMICAL" and f[1] == before.start() for f in found)


def _class_target(text: str, span: _Span, found: list[_Span]) -> _Span | None:
    """The target gene inside a drug-class mention ("HDAC" in "the HDAC inhibitor
    depsipeptide"), kept next to the class so relations still see the drug."""
    start, end = span[:2]
    tail = _CLASS_TAIL.search(text, start, end)
    if tail is None or not _names_target(text, start, end, found):
        return None
    head = text[start : tail.start()]
    symbol = sum(ch.isupper() for ch in head) >= 2 or any(ch.isdigit() for ch in head)
    if not _TARGET_HEAD.fullmatch(head) or (" " not in head and not symbol):
        return None
    if _ANY_KINASE.fullmatch(head):  # "the tyrosine kinase inhibitor dasatinib": no target
        return None
    return (start, tail.start(), "GENE", head, "", span[5])


class _RegimenContext:
    """Regimen acronyms that are also words or gene symbols ("CHOP" is DDIT3, "FLAG" an
    epitope tag) name the regimen only where the text says so: before a regimen word ("CHOP
    chemotherapy", "7+3 induction", "FCR-based therapy") or after rituximab ("rituximab plus
    CHOP"). Such a span replaces whatever the lexicons found inside it."""

    _LEAD = r"(?i:rituximab)\s*(?:\+|plus|and|with|-)\s*"
    _REGIMEN_WORD = re.compile(
        r"(?:[\s-]*\(\w+\))?(?:-\d{1,2})?(?:[\s-]+(?:like|based|type))?[\s-]+"
        r"(?:chemo(?:therapy|therapies)?|regimens?|induction|(?:re)?treatment|therapy|"
        r"cycles?|courses?|protocols?|arms?|plus|combined)\b",
        re.IGNORECASE,
    )

    def __init__(self, regimens: Iterable[Regimen]) -> None:
        regimens = tuple(regimens)
        self._by_form = {_form_key(f): r for r in regimens for f in r.context}
        forms = "|".join(
            r"\s*".join(re.escape(part) for part in form.split())
            for form in sorted({f for r in regimens for f in r.context}, key=len, reverse=True)
        )
        self._pattern = (
            re.compile(rf"(?:(?P<lead>{self._LEAD})|(?<![\w+-]))(?P<form>{forms})(?![\w+])")
            if forms
            else None
        )
        # the forms alone: most texts name none, and this search is six times cheaper than
        # the pattern's look-behind tried at every character
        self._gate = re.compile(forms) if forms else None

    def replace(self, text: str, found: list[_Span]) -> list[_Span]:
        if self._pattern is None or not self._gate.search(text):
            return found
        for m in self._pattern.finditer(text):
            start, end = m.span("form")
            if m.group("lead") is None and not self._REGIMEN_WORD.match(text, end):
                continue
            regimen = self._by_form[_form_key(m.group("form"))]
            found = [f for f in found if not _overlap(f, (start, end))]
            found.append((start, end, "CHEMICAL", regimen.name, regimen.id, "regex"))
        return found


def _form_key(form: str) -> str:
    return re.sub(r"\s+", "", form)


# "insensitive to the drug", "this agent was active": a definite description of a drug,
# the head of its noun phrase (not "the drug concentration", "the drug class")
# (RE2 finds the description in one linear pass; what must follow it is checked after)
_DRUG_REFERENCE = re2.compile(r"(?i)\b(?:the|this|that)\s+(?:drug|agent|compound|inhibitor)\b")
_DRUG_REFERENCE_HEAD = re.compile(
    r"\s*(?:[^\w\s-]|$)|\s+(?:was|is|were|are|had|has|have|did|does|could|can|may|might|"
    r"would|will|also|alone|in|at|for|and|or|but|than|with|to|as|on|by|from|when|while|after|"
    r"before|led|induced|inhibited|reduced|showed|significantly|effectively|treatment|therapy)"
    r"\b",
    re.IGNORECASE,
)
# how far back a definite description looks for its drug: about two sentences
_REFERENCE_REACH = 400


def _definite_drug_references(text: str, found: list[_Span]) -> list[_Span]:
    """For triples, "the drug" names the nearest drug named before it: "MDM2 inhibitor
    Nutlin-3a induced senescence ... Cells lacking functional TP53 were insensitive to the
    drug" is a claim about Nutlin-3a. A drug class is no antecedent ("the MEK inhibitor
    trametinib ... this inhibitor" is trametinib). ``found`` is sorted by start."""
    drugs = [f for f in found if f[2] == "CHEMICAL" and not f[4].startswith("class:")]
    references = []
    for match in _DRUG_REFERENCE.finditer(text):
        if not _DRUG_REFERENCE_HEAD.match(text, match.end()):
            continue  # "the drug concentration": not the head of its noun phrase
        before = [d for d in drugs if d[1] <= match.start()]
        if before and match.start() - before[-1][1] <= _REFERENCE_REACH:
            _, _, label, normalized, id_, _ = before[-1]
            references.append((match.start(), match.end(), label, normalized, id_, "reference"))
    chemicals = [f for f in found if f[2] == "CHEMICAL"]
    for match in _DRUG_SET_REFERENCE.finditer(text):
        if _overlaps_any(match.span(), chemicals):
            continue  # "all TKIs" names its class
        listed = _last_drug_list(text, [d for d in drugs if d[1] <= match.start()])
        named = {d[3]: d[4] for d in listed}  # each drug once, in text order
        if (
            len(named) >= 2
            and match.start() - listed[-1][1] <= _REFERENCE_REACH
            and _SENTENCE_END.search(text, listed[-1][1], match.start())  # else named there
            and _counted(match.group(1), match.group("count")) in (0, len(named))
        ):
            references += [
                (match.start(), match.end(), "CHEMICAL", name, id_, "reference")
                for name, id_ in named.items()
            ]
    return references


# "all four inhibitors", "both drugs", "these agents": every drug of the list named before
_DRUG_SET_REFERENCE = re2.compile(
    r"(?i)\b(all|both|each of the|these|those)\s+(?:(?P<count>two|three|four|five|six|[2-9])"
    r"\s+)?(?:(?:tested|other)\s+)?(?:inhibitors|drugs|agents|compounds|TKIs)\b"
)
_COUNTS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    **{str(n): n for n in range(2, 10)},
}
_DRUG_LIST_GLUE = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")


def _counted(quantifier: str, count: str | None) -> int:
    """How many drugs a set reference counts ("all four", "both"); 0 when it does not say."""
    if count:
        return _COUNTS.get(count.lower(), 0)
    return 2 if quantifier.lower() == "both" else 0


_SENTENCE_END = re.compile(r"[.!?]\s")


def _last_drug_list(text: str, drugs: list[_Span]) -> list[_Span]:
    """The drugs of the last list among ``drugs`` (sorted by start): "imatinib, dasatinib,
    nilotinib and bosutinib"."""
    listed = drugs[-1:]
    for drug in reversed(drugs[:-1]):
        if not _DRUG_LIST_GLUE.fullmatch(text, drug[1], listed[0][0]):
            break
        listed.insert(0, drug)
    return listed


# a gene's loss filed as a disease, and the head that may name the gene: "BRCA1-deficient"
_GENE_LOSS = re.compile(r"(.+?)[\s-]+(?:deficien(?:t|cy)|null)", re.IGNORECASE)
# a subtype a gene leads, the gene and the disease: "FLT3-mutated AML"
_GENE_LED = re.compile(
    r"([^\W_][\w]*)-(?:mutated|mutant|positive|rearranged|amplified|driven)\s+(\S.*)",
    re.IGNORECASE | re.DOTALL,
)
# a response filed as a disease, and the head that may name a drug class: "glucocorticoid"
_CLASS_RESPONSE = re.compile(r"(.+?)[\s-]+(?:resistance|insensitivity|sensitivity)", re.IGNORECASE)
# what a text says of a gene, not of a disease: "VHL mutations", "APC status"
_SAID_OF_A_GENE = re.compile(
    r"[\s-](?:genes?|mutations?|mutant|mutated|status|expression|inactivation|"
    r"alterations?|germline|promoter|methylation|loss|deficien\w*|variants?)\b"
)


# (disease shape, which concept its head must name): a response names a drug class, a loss
# names a gene
_DISEASE_HEADS: tuple[tuple[re.Pattern[str], Callable[[Concept], bool]], ...] = (
    (_CLASS_RESPONSE, lambda concept: concept[2].startswith("class:")),
    (_GENE_LOSS, lambda concept: concept[0] == "GENE"),
)


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
    elif _HYPHEN_MEMBER.search(text, max(start, end - 8), end) and (
        elided := _ELIDED_MEMBERS.match(text, end)
    ):
        end = elided.end()
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


# chemotherapy named without its drugs: what CIViCmine annotates as the drug of "KRAS G12D
# predicts benefit from chemotherapy", and what the seed's "various agents" claims mean
_CHEMOTHERAPY = re.compile(
    r"\b(?:chemotherap(?:y|ies)|chemotherapeutic (?:agents?|drugs?))\b", re.IGNORECASE
)
# what ties the word to drugs named before it: "cisplatin-based chemotherapy", "FOLFOX
# chemotherapy", "irinotecan combination chemotherapy"
_NAMED_CHEMOTHERAPY = re.compile(
    r"[\s-]*(?:(?:based|containing|combination|doublet|triplet|induction|adjuvant)[\s-]*)*$",
    re.IGNORECASE,
)


def _unnamed_chemotherapy(text: str, found: list[_Span]) -> list[_Span]:
    """For triples, chemotherapy that names no drug is a treatment of its own; where drugs
    named right before it make it theirs, or another mention covers it, it is not."""
    matches = list(_CHEMOTHERAPY.finditer(text))
    if not matches:  # most texts: nothing to place
        return []
    chemicals = sorted(f[1] for f in found if f[2] == "CHEMICAL")
    out: list[_Span] = []
    for m in matches:
        if _overlaps_any((m.start(), m.end()), found):
            continue
        before = [end for end in chemicals if end <= m.start() and m.start() - end <= 40]
        if before and _NAMED_CHEMOTHERAPY.fullmatch(text, before[-1], m.start()):
            continue
        out.append(
            (m.start(), m.end(), "CHEMICAL", "chemotherapy", UNNAMED_CHEMOTHERAPY_ID, "pattern")
        )
    return out


def _may_name_drug(found: list[_Span], abbreviations: list[Abbreviation]) -> bool:
    """Whether a chemical is found, or may still be: the steps after the chemical ones make
    chemicals only of abbreviations (a long form that looks chemical gives one)."""
    return any(f[2] == "CHEMICAL" for f in found) or any(
        looks_chemical(a.long) for a in abbreviations
    )


def _compounds_over_grown_genes(found: list[_Span], codes: list[tuple[int, int]]) -> list[_Span]:
    """Drop a gene grown from a symbol to a number ("GNE" + "-617") where the text calls
    that word a compound ("the Nampt inhibitor GNE-617")."""
    spans = set(codes)
    return [f for f in found if not (f[2] == "GENE" and not f[4] and (f[0], f[1]) in spans)]


def _chemical_spans(
    text: str,
    found: list[_Span],
    spellings: DrugSpellings,
    codes: list[tuple[int, int]],
    lexicon: Lexicon,
) -> list[_Span]:
    """INN-stem drug names (a misspelt one as the drug meant), compound codes (with those
    listed after a chemical: "imatinib and GW-2580"; a salt's letter dropped to find the
    drug: "GSK2141795B" is uprosertib) and formulas no lexicon entry already covers."""
    out: list[_Span] = []
    spans = [(start, end, True) for start, end in inn_drugs(text)]
    spans += [(start, end, False) for start, end in (*code_names(text), *formulas(text), *codes)]
    spans.sort()
    for start, end, by_stem in spans:
        if _overlaps_any((start, end), found) or _overlaps_any((start, end), out):
            continue  # a lexicon drug ("imatinib") is never looked up as a misspelling
        surface = text[start:end]
        concept = spellings.resolve(surface) if by_stem else _salt_form_drug(lexicon, surface)
        if concept is not None:
            span = (start, end, *concept, "spelling" if by_stem else "lexicon")
        else:
            # drugs are named in lower case, as the lexicon names them ("Ko143": "ko143")
            span = (start, end, "CHEMICAL", surface.lower(), "", "regex")
        if not _is_cell_line(text, span):
            out.append(span)
    chemicals = sorted(f for f in (*found, *out) if f[2] == "CHEMICAL")
    for chemical in chemicals:
        listed = coordinated_code(text, chemical[1])
        while listed and not _overlaps_any(listed, found) and not _overlaps_any(listed, out):
            span = (*listed, "CHEMICAL", text[listed[0] : listed[1]].lower(), "", "regex")
            if _is_cell_line(text, span):
                break
            out.append(span)
            listed = coordinated_code(text, listed[1])
    return out


_SALT_LETTER = re.compile(r"[A-Z]{2,}-?\d{4,}[A-Z]")


def _salt_form_drug(lexicon: Lexicon, code: str) -> Concept | None:
    """The vocabulary drug a code with a salt or batch letter names ("GSK2141795B")."""
    if not _SALT_LETTER.fullmatch(code):
        return None
    concept = lexicon.lookup(code[:-1])
    return concept if concept is not None and concept[0] == "CHEMICAL" else None


# An unknown symbol-shaped word that the text calls a gene ("Pum gene", "TIEG1 mRNA",
# "hTERT expression", "anti-OSX antibody"): HGNC lacks many mouse, fly and old names.
# The symbol's letters and digits are an atomic group: a context word can only follow the
# whole run, so re need not retry every shorter split of each word (40% less time).
_GENE_CONTEXT = re.compile(
    r"(?<![^\W_])(?P<anti>anti-)?(?P<sym>(?>(?:[A-Z][a-z]{0,3}|[a-z]{1,2}[A-Z])[A-Za-z]*\d*[A-Za-z]?)"
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
            or _overlaps_any((start, end), found)
        ):
            continue
        out.append((start, end, "GENE", symbol, "", "context"))
    return out


# cell lines whose names are gene aliases ("PC-3", "HK-2", "HEK") or look like compound codes
# ("BaF3", "BT-474", "H3122")
_CELL_LINE_NAMES = (
    "HEK HEK293 HEK-293 HeLa PC-3 PC3 HK-2 MCF-7 MCF7 A549 HCT116 K562 U937 HL-60 HL60 "
    "Jurkat SH-SY5Y HepG2 Huh7 Huh-7 COS-7 COS7 CHO NIH3T3 Caco-2 LNCaP DU145 SW480 HT-29 "
    "U2OS Vero THP-1 RAW264.7 MV4-11 MOLM-13 KG-1 H1975 PC12 PC-12 T47D BT474 A431 "
    "SK-N-SH U87 U251 HT1080 LoVo KU7 BaF3 Ba/F3 BT-474 PC9 PC-9 H3122 MOLM14 MOLM-14 "
    "SKBR3 SK-BR-3 HCC827 H1650 H358 H460 H1299 H2228 MDA-MB-231 MDA-MB-468 MDA-MB-453 "
    "LS174T AsPC1 AsPC-1 M229 M238 HT29 SW620 DLD-1 DLD1 HCT-116 A375 SK-MEL-28 OVCAR-3 "
    "OVCAR3 A2780 U87MG T98G MV411 MOLM13 EOL-1 HMC-1 KU812 KCL-22 LAMA-84 NCI-H1975 "
    "NCI-H358 NCI-H460 NCI-H2228 SUM149 SUM159 HCC1937 CAPAN-1 Capan-1 MIA PaCa-2 Panc-1 "
    "PANC-1 BxPC-3 SNU-16 KATO-III SW48 LIM1215 HCA-7 Calu-3 Calu-6 HCC1954 ZR-75-1"
)
_CELL_LINES = frozenset(_CELL_LINE_NAMES.split())
_CELL_CONTEXT = re.compile(r"\)?\s+(?:cells?|cell\s+lines?|xenografts?)\b")  # "(HK2) cells"
_CELL_LINE_SHAPE = re.compile(r"[A-Z]{2,4}-?\d{1,4}[A-Z]?")
# a chemical-looking code that the text calls cells ("NCI-H2073 cells"): letters and digits
_CODED_CELL_LINE = re.compile(r"[A-Za-z]{1,5}[-/]?[A-Z]?\d{1,5}[A-Za-z]{0,2}\d?")


def _is_cell_line(text: str, span: _Span) -> bool:
    """A gene alias or a compound-code-shaped chemical that names a cell line here
    ("PC-3 cells", "HEK293", "BaF3")."""
    if span[2] not in ("GENE", "CHEMICAL"):
        return False
    surface = text[span[0] : span[1]]
    if surface in _CELL_LINES:
        return True
    shape = _CELL_LINE_SHAPE if span[2] == "GENE" else _CODED_CELL_LINE
    return (
        shape.fullmatch(surface) is not None
        and not surface.startswith(("CD", "TH", "IL"))
        and _CELL_CONTEXT.match(text, span[1]) is not None
    )


# receptors named by an adjective: "glucocorticoid receptor", "muscarinic receptors"
_RECEPTOR_FAMILY = re.compile(r"(?<![^\W_])[A-Za-z]?[a-z]+(?:oid|ergic|inic)\s+receptors?\b")


def _receptor_families(text: str, found: list[_Span]) -> list[_Span]:
    """Receptor family names the gene vocabularies lack, when no other span covers them."""
    if "receptor" not in text:  # a substring test is far cheaper than the pattern
        return []
    return [
        (m.start(), m.end(), "GENE", m.group(), "", "regex")
        for m in _RECEPTOR_FAMILY.finditer(text)
        if not _overlaps_any(m.span(), found)
    ]


_CYTOBAND = re.compile(r"[pq]\d{1,2}(?:\.\d{1,2})?")


def _is_cytoband(text: str, span: _Span) -> bool:
    """Chromosome bands in karyotypes ("t(7;21)(p22;q22)") look like protein names (p22)."""
    if span[2] != "GENE" or not _CYTOBAND.fullmatch(text[span[0] : span[1]]):
        return False
    return ";" in text[max(0, span[0] - 6) : span[1] + 6]


_CODON = re.compile(r"[ACGTU]{3}")
_BASES = re.compile(r"[ACGT]{1,2}")
_GENOTYPE_AFTER = re.compile(r"/[ACGT]{1,2}(?![^\W_])")
_GENOTYPE_BEFORE = re.compile(r"(?<![^\W_])[ACGT]{1,2}/$")
_CODON_CONTEXT = re.compile(r"(?<![^\W_])(?:[ACGTU]{3}|codons?|triplets?)(?![^\W_])", re.IGNORECASE)


def _is_codon(text: str, span: _Span) -> bool:
    """Codons ("a GCG to GCA change") and genotypes ("the TG/GG variant") collide with gene
    symbols (GCG: glucagon, TG: thyroglobulin)."""
    if span[2] != "GENE":
        return False
    surface = text[span[0] : span[1]]
    if _BASES.fullmatch(surface) and (
        _GENOTYPE_AFTER.match(text, span[1]) or _GENOTYPE_BEFORE.search(text, 0, span[0])
    ):
        return True
    if not _CODON.fullmatch(surface):
        return False
    window = text[max(0, span[0] - 20) : span[0]] + " " + text[span[1] : span[1] + 20]
    return _CODON_CONTEXT.search(window) is not None


# "95% CI 49.3-75.6": a confidence interval, not NDUFS2 (alias "CI-49")
_AFTER_PERCENT = re.compile(r"(?:%|\bconfidence intervals?)\s*[:,(]?\s*$", re.IGNORECASE)


def _is_confidence_interval(text: str, span: _Span) -> bool:
    return (
        span[2] == "GENE"
        and text.startswith("CI", span[0])
        and _AFTER_PERCENT.search(text, max(0, span[0] - 25), span[0]) is not None
    )


def _is_trap(short: str, hit: _Span) -> bool:
    """A short all-capital lexicon hit that is an alias, not the entity's own symbol."""
    return (
        hit[5] == "lexicon"
        and len(short) <= 4
        and short.isalpha()
        and short.isupper()
        and hit[3].upper() != short
    )


# how gene and protein names end ("reductase", "autotaxin", "factor 4alpha", "receptor a",
# "NF-kappaB"); a long form ending otherwise ("Simpson-Angus Scale", "cerebrospinal
# fluid") names no gene, so its short form's gene hits are collisions
_GENE_NAME_END = re.compile(
    r"(?:ases?|ins?|ons?|ors?|ogen|ides?|\d[A-Za-z]?|[^\W\d_]?\d+\w*|\b[A-Za-z]|alpha|beta|gamma|"
    r"delta|kappa[A-Z]?|[\u03b1-\u03ba]|hormones?|enzymes?|homologu?e?s?|antigens?|homeobox|"
    r"genes?|loci|locus|complex(?:es)?|ligands?|subunits?|chains?|domains?|expression|porters?|"
    r"changers?|box(?:es)?|(?<=-)(?:I{1,3}|IV|V))$",
    re.IGNORECASE,
)
_SYMBOL_INSIDE = re.compile(r"(?<![^\W_])(?:[A-Za-z]*[A-Z][A-Za-z]*\d|[A-Z]{2,}(?![^\W_]))")


# "GSK2118436-resistant (GSR) cells", "PLX4720-treated (PT) cells": cells named by the drug
# they met, not a gene, whatever symbol-like code the drug's name holds
_DRUG_STATE_END = re.compile(
    r"[\s-](?:resistant|sensitive|treated|tolerant|refractory|exposed|selected)$", re.IGNORECASE
)


def _names_gene(long: str) -> bool:
    """Whether a long form reads as a gene or protein name: by its last word or a
    symbol inside ("SP7/Osterix", "phospho AKT")."""
    long = long.rstrip("'\" ")
    if _DRUG_STATE_END.search(long):
        return False
    return bool(_GENE_NAME_END.search(long) or _SYMBOL_INSIDE.search(long))


def _long_form_occurrences(
    text: str, abbr: Abbreviation, found: list[_Span]
) -> list[tuple[int, int]]:
    """The defined long form and its repetitions that no other mention overlaps."""
    return [
        span
        for span in short_form_occurrences(text, abbr.long)
        if span[0] == abbr.long_start or not _overlaps_any(span, found)
    ]


_GENE_WORD_AFTER = re.compile(r"\s+(?:genes?|mRNA|transcripts?|locus)\b")


def _grow_tail(text: str, start: int, end: int, found: list[_Span]) -> int:
    """Where a gene span ends with its member or isoform tail, if no other mention is there."""
    grown = _grow_gene(text, start, end)[1]
    if grown > end and _overlaps_any((end, grown), found):
        return end
    return grown


def _knockout_uses(text: str, short: str, found: list[_Span]) -> list[tuple[int, int]]:
    """The short form glued to "KO" ("ARKO", "CB-KO", "CBKOTg"), which no token match sees."""
    if short + "KO" not in text and short + "-KO" not in text:
        return []
    pattern = re.compile(r"(?<![^\W_])" + re.escape(short) + r"(?=-?KO(?:Tg)?(?![a-z0-9]))")
    return [m.span() for m in pattern.finditer(text) if not _overlaps_any(m.span(), found)]


def _inside_longer(span: tuple[int, int], found: list[_Span]) -> bool:
    """Whether a longer mention contains ``span`` (a plain loop, as in ``_overlaps_any``)."""
    start, end = span
    for f in found:  # noqa: SIM110 - a loop, not any(): see _overlaps_any
        if f[0] <= start and end <= f[1] and f[1] - f[0] > end - start:
            return True
    return False


# Joins the selected stretches of a document: a line break, like the breaks between a title
# and its abstract, so no term or pattern runs from one stretch into the next.
_RUN_SEPARATOR = "\n"


def _with_definitions(
    text: str,
    sentences: tuple[Sentence, ...],
    selected: set[int],
    abbreviations: list[Abbreviation],
) -> set[int]:
    """The selected sentences plus each sentence defining a short form they use, so "CML"
    in a selected sentence still takes the concept its definition elsewhere gives it."""
    if not abbreviations or not selected:
        return selected
    chosen = " ".join(text[sentences[i].start : sentences[i].end] for i in selected)
    result = set(selected)
    for abbr in abbreviations:
        if abbr.short in chosen:
            result.update(i for i, s in enumerate(sentences) if s.start <= abbr.short_start < s.end)
    return result


def _runs(sentences: tuple[Sentence, ...], selected: set[int]) -> list[tuple[int, int]]:
    """Character ranges of the maximal runs of consecutive selected sentences."""
    runs: list[tuple[int, int]] = []
    previous = -2
    for index in sorted(selected):
        sentence = sentences[index]
        if index == previous + 1:
            runs[-1] = (runs[-1][0], sentence.end)
        else:
            runs.append((sentence.start, sentence.end))
        previous = index
    return runs


def _run_starts(runs: list[tuple[int, int]]) -> list[int]:
    """Where each run begins in the text that joins them with ``_RUN_SEPARATOR``."""
    starts = []
    position = 0
    for a, b in runs:
        starts.append(position)
        position += b - a + len(_RUN_SEPARATOR)
    return starts


def _into_runs(
    abbreviations: list[Abbreviation], runs: list[tuple[int, int]]
) -> list[Abbreviation]:
    """The definitions that lie inside the runs, with offsets into the joined text."""
    out = []
    for (a, b), position in zip(runs, _run_starts(runs), strict=True):
        shift = position - a
        out += [
            dataclasses.replace(
                abbr,
                short_start=abbr.short_start + shift,
                short_end=abbr.short_end + shift,
                long_start=abbr.long_start + shift,
                long_end=abbr.long_end + shift,
            )
            for abbr in abbreviations
            if a <= min(abbr.long_start, abbr.short_start)
            and max(abbr.long_end, abbr.short_end) <= b
        ]
    return out


def _onto_original(found: list[_Span], runs: list[tuple[int, int]]) -> list[_Span]:
    """Spans of the joined runs, shifted back onto the document (none crosses a join)."""
    starts = _run_starts(runs)
    out = []
    for span in found:
        k = bisect_right(starts, span[0]) - 1
        shift = runs[k][0] - starts[k]
        if span[1] + shift <= runs[k][1]:
            out.append((span[0] + shift, span[1] + shift, *span[2:]))
    return out


def _overlap(span: tuple[int, ...], other: tuple[int, ...]) -> bool:
    return span[0] < other[1] and other[0] < span[1]


def _overlaps_any(span: tuple[int, ...], others: Iterable[tuple[int, ...]]) -> bool:
    """Whether ``span`` shares a character with any of ``others``. A plain loop: it runs for
    every candidate against every mention, where a generator and a call per pair cost more
    than the comparisons."""
    start, end = span[0], span[1]
    for other in others:  # noqa: SIM110 - a loop, not any(): see the docstring
        if other[0] < end and start < other[1]:
            return True
    return False


# "BRCA1/2", "NTRK1/2/3" (a list), "PAK1-3" (a range): one span naming several genes
_GENE_RANGE = re.compile(
    r"([A-Za-z][A-Za-z0-9-]*?[A-Za-z]-?)(\d{1,2})(?:-(\d{1,2})|((?:/\d{1,2})+))"
)
# a symbol ending in a letter, and the other letters it shares its stem with: "CDKN2A/B"
_LETTER_VARIANTS = re.compile(r"(?:/[A-Z](?![^\W_]))+")


def _range_members(lexicon: Lexicon, text: str, span: _Span) -> list[_Span]:
    """A gene range or list ("PAK1-3", "BRCA1/2", "NTRK1/2/3", "CDKN2A/B") as one mention
    per member gene over the same characters (BioRED keeps the one span; relations need
    each gene), where every member is an HGNC symbol."""
    start, end, label = span[:3]
    if label != "GENE":
        return [span]
    if (m := _GENE_RANGE.fullmatch(text, start, end)) is not None:
        stem, first = m.group(1), int(m.group(2))
        if m.group(3) is not None:
            last = int(m.group(3))
            if not first < last <= first + 4:
                return [span]
            names = [f"{stem}{n}" for n in range(first, last + 1)]
        else:
            names = [f"{stem}{first}", *(f"{stem}{n}" for n in m.group(4).split("/")[1:])]
    elif span[4].startswith("HGNC:") and (tail := _LETTER_VARIANTS.match(text, end)):
        symbol = text[start:end]
        if not symbol[-1].isupper() or not symbol[-2:-1].isdigit():
            return [span]
        end = tail.end()
        names = [symbol, *(symbol[:-1] + letter for letter in tail.group().split("/")[1:])]
    else:
        return [span]
    members = []
    for name in names:
        concept = lexicon.lookup(name)
        if concept is None or concept[0] != "GENE" or not concept[2].startswith("HGNC:"):
            return [span]
        members.append((start, end, "GENE", concept[1], concept[2], "range"))
    return members


def _dedupe(spans: list[_Span]) -> list[_Span]:
    """One mention per (start, end, label); a gene range, and a reference to a list of
    drugs ("all four inhibitors"), one per member. Input is sorted."""
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for s in spans:
        key = (s[0], s[1], s[2], s[3] if s[5] in ("range", "reference") else "")
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


# a protein change written onto its gene's symbol: "BRAFV600E", "KRASG12D", "EGFRL858R";
# a residue only before a mutation word ("BRAFV600-mutant", "KRASG12 mutations")
_GLUED_VARIANT = re.compile(
    r"(?=[A-Z])(?<![^\W_])([A-Z][A-Z0-9]{1,6}?)([ACDEFGHIKLMNPQRSTVWY]\d{2,4}"
    r"(?:[ACDEFGHIKLMNPQRSTVWY]|(?=[\s-]*mut)))(?![^\W_])"
)


def _glued_gene_variants(text: str, lexicon: Lexicon, found: list[_Span]) -> list[_Span]:
    """The gene and the variant of each symbol-and-change word whose symbol is HGNC's and
    that no vocabulary names whole ("DNMT3A", "ARID1A", "MPDL3280A" are not split)."""
    out: list[_Span] = []
    for m in _GLUED_VARIANT.finditer(text):
        if _overlaps_any(m.span(), found):
            continue
        concept = lexicon.lookup(m.group(1))
        if concept is None or concept[0] != "GENE" or not concept[2].startswith("HGNC:"):
            continue
        out.append((m.start(1), m.end(1), "GENE", concept[1], concept[2], "lexicon"))
        out.append((m.start(2), m.end(2), "VARIANT", f"p.{m.group(2)}", "", "regex"))
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
