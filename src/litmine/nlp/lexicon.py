"""Longest-match dictionary lookup over fine-grained tokens.

spaCy's PhraseMatcher needs every one of the ~300k patterns tokenized at start-up
(seconds); here a term is just a normalized string, so loading is one ``pickle.load``.
Matching slices the text at token boundaries and looks each candidate span up in a
dict, longest first. Tokens are alphanumeric runs and single punctuation marks, so
"FLT3-ITD" or "NPM1-mutated" expose "FLT3"/"NPM1" as candidates on their own: the
gene-suffix gluing the scispacy tokenizer performs is undone without special rules.

This module is standard-library only on purpose: the resource build
(``scripts/build_resources.py``, run in a separate virtualenv) uses the same key
normalization and matcher to curate the vocabularies against annotated corpora.
"""

from __future__ import annotations

import gc
import gzip
import os
import pickle
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LEXICON_FILE = "lexicon.pkl.gz"
LEXICON_FORMAT = 4

# Markdown emphasis ("*FLT3* inhibitors", "_BCR-ABL1_") is not a token: terms match through it.
TOKEN_RE = re.compile(r"[^\W_]+|[^\s*_]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")

# A term's entry: (index into ``Lexicon.concepts``, case form). An empty case form means
# "any case"; otherwise the span, with separators normalized, must equal it exactly.
# A key's value is its entries, or, for the common single any-case entry, just the index
# (a third fewer objects to unpickle at start-up).
Entry = tuple[int, str]
Entries = tuple[Entry, ...] | int
Concept = tuple[str, str, str]  # (label, normalized, id)


def term_key(text: str) -> str:
    """Case-folded lookup key: hyphens, dashes and whitespace runs become one space."""
    return _SEPARATORS.sub(" ", text.lower()).strip()


def case_form(text: str) -> str:
    """Case-preserving form compared against case-sensitive entries."""
    return _SEPARATORS.sub(" ", text).strip()


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character spans of alphanumeric runs and single non-space symbols."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def lower_tokens(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The tokens in lower case (one ``lower()`` for the whole text where lengths allow)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ")
        return [text[a:b].lower() for a, b in spans]
    return [lowered[a:b] for a, b in spans]


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """A lexicon hit: character span plus the concept it resolved to."""

    start: int
    end: int
    label: str
    normalized: str
    id: str


@dataclass
class Lexicon:
    """Terms → concepts, plus the key prefixes that tell the matcher when to stop."""

    concepts: list[Concept]
    terms: dict[str, Entries]
    prefixes: set[str]  # every key cut after one of its tokens, short of the whole key
    meta: dict[str, object]
    # HGNC symbol -> id, for the symbols a disease's abbreviation takes in matching ("VHL":
    # von Hippel-Lindau disease): the gene, where the text says it speaks of the gene
    shadowed_genes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_terms(
        cls,
        concepts: list[Concept],
        terms: Mapping[str, Entries],
        meta: dict[str, object] | None = None,
        shadowed_genes: Mapping[str, str] | None = None,
    ) -> Lexicon:
        """Derive the prefix index from the term keys (used by the build and by tests)."""
        prefixes: set[str] = set()
        for key in terms:
            prefixes.update(_proper_prefixes(key))
        return cls(concepts, dict(terms), prefixes, dict(meta or {}), dict(shadowed_genes or {}))

    def save(self, path: Path) -> None:
        """Write the compact runtime form (gzip pickle of plain builtins)."""
        payload = {
            "format": LEXICON_FORMAT,
            "concepts": self.concepts,
            "terms": {
                k: v[0][0] if isinstance(v, tuple) and len(v) == 1 and not v[0][1] else v
                for k, v in self.terms.items()
            },
            "prefixes": sorted(self.prefixes),  # sorted: a byte-identical file
            "meta": self.meta,
            "shadowed_genes": dict(sorted(self.shadowed_genes.items())),
        }
        partial = path.with_name(f".{path.name}.partial")  # readers never see half a file
        with (
            partial.open("wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as fh,
        ):  # mtime=0: identical inputs give a byte-identical file
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Load a file written by :meth:`save` (our own build output, never user data)."""
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
        enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of new containers: collection passes are waste
        try:
            payload = pickle.loads(raw)  # noqa: S301 - trusted, built by scripts/build_resources.py
        finally:
            if enabled:
                gc.enable()
        if payload.get("format") != LEXICON_FORMAT:
            raise ValueError(f"{path}: unsupported lexicon format {payload.get('format')!r}")
        return cls(
            payload["concepts"],
            payload["terms"],
            set(payload["prefixes"]),
            payload["meta"],
            payload["shadowed_genes"],
        )

    def copy(self) -> Lexicon:
        """An independent copy that :meth:`add` can extend without touching this one."""
        return Lexicon(
            list(self.concepts),
            dict(self.terms),
            set(self.prefixes),
            dict(self.meta),
            dict(self.shadowed_genes),
        )

    def add(self, surface: str, label: str, normalized: str, id_: str, *, exact: bool) -> None:
        """Add one term in front of existing entries for its key (callers' terms win)."""
        self.concepts.append((label, normalized, id_))
        entry = (len(self.concepts) - 1, case_form(surface) if exact else "")
        key = term_key(surface)
        old = self.terms.get(key, ())
        self.terms[key] = (entry, *(((old, ""),) if isinstance(old, int) else old))
        self.prefixes.update(_proper_prefixes(key))

    def lookup(self, surface: str) -> Concept | None:
        """The concept a surface string resolves to, honouring case-sensitive entries."""
        entries = self.terms.get(term_key(surface))
        return None if entries is None else _resolve(entries, self.concepts, surface)

    def lookup_gene(self, symbol: str) -> Concept | None:
        """The gene a symbol names, also where matching gives the symbol to a disease."""
        concept = self.lookup(symbol)
        if concept is not None and concept[0] == "GENE":
            return concept
        hgnc = self.shadowed_genes.get(symbol)
        return ("GENE", symbol, hgnc) if hgnc else None

    def match(
        self,
        text: str,
        tokens: list[tuple[int, int]] | None = None,
        lows: list[str] | None = None,
    ) -> Iterator[LexiconMatch]:
        """Greedy left-to-right longest matches in ``text``.

        Keys are built token by token exactly as :func:`term_key` would build them (a
        space wherever whitespace or hyphens separate tokens), so no regex runs per
        candidate; a key grows only while it is a prefix of some longer key. Callers that
        match several lexicons over one text pass its ``tokens`` and their ``lows``.
        """
        spans = tokens if tokens is not None else tokenize(text)
        n = len(spans)
        if lows is None:
            lows = lower_tokens(text, spans)
        prefixes = self.prefixes
        terms = self.terms
        concepts = self.concepts
        i = 0
        while i < n:
            key = lows[i]
            entries = terms.get(key)
            if entries is None and key not in prefixes:
                i += 1
                continue
            j = i
            hit: tuple[int, Concept] | None = None
            while True:
                if entries is not None:
                    concept = _resolve(entries, concepts, text[spans[i][0] : spans[j][1]])
                    if concept is not None:
                        hit = (j, concept)
                if key not in prefixes:
                    break
                j += 1
                spaced = False
                while j < n and lows[j] in _DASHES:
                    spaced = True
                    j += 1
                if j >= n:
                    break
                if spaced or spans[j][0] > spans[j - 1][1]:
                    key = f"{key} {lows[j]}"
                else:
                    key += lows[j]
                entries = terms.get(key)
            if hit is None:
                i += 1
                continue
            j, (label, normalized, id_) = hit
            yield LexiconMatch(spans[i][0], spans[j][1], label, normalized, id_)
            i = j + 1


def _proper_prefixes(key: str) -> list[str]:
    """The key cut after each of its tokens but the last, as the matcher builds them."""
    return [key[:end] for _, end in tokenize(key)[:-1]]


def _resolve(entries: Entries, concepts: list[Concept], surface: str) -> Concept | None:
    """First entry whose case requirement the surface meets."""
    if isinstance(entries, int):
        return concepts[entries]
    form = ""
    for index, required in entries:
        if required:
            form = form or case_form(surface)
            if required != form:
                continue
        return concepts[index]
    return None
