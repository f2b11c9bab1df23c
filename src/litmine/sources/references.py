"""Resolve the seed article's reference list (``corpus/references.csv``) to PMIDs.

ECitMatch first (journal, year, volume, first page, first author: exact and cheap, 50
references a request); references it cannot place are searched with ESearch on distinctive
title words, first author and year, then on title words alone. Every reference comes back
with a ``Resolution``: unresolved ones say why, none is dropped silently.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from litmine.sources.eutils import Citation, EutilsClient, EutilsError

log = logging.getLogger(__name__)

REFERENCE_COLUMNS = (
    "ref",
    "first_author",
    "authors",
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "first_page",
    "last_page",
)
_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "in", "into"),
        *("is", "its", "new", "of", "on", "or", "role", "study", "than", "that", "the", "their"),
        *("these", "this", "those", "to", "via", "was", "were", "with", "without"),
    }
)
_TITLE_WORDS = 8


@dataclass(frozen=True)
class Reference:
    """One row of ``references.csv``."""

    ref: str
    first_author: str
    authors: str
    title: str
    journal: str
    year: str
    volume: str
    issue: str
    first_page: str
    last_page: str


@dataclass(frozen=True)
class Resolution:
    """Outcome for one reference: ``pmid`` with the ``method`` that found it, or a ``reason``."""

    reference: Reference
    pmid: str | None
    method: str  # "ecitmatch" | "esearch" | "" when unresolved
    reason: str = ""


def load_references(path: str | Path) -> list[Reference]:
    """Read the reference table; a missing column is an error, blank cells are ''."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REFERENCE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        return [
            Reference(**{c: (row.get(c) or "").strip() for c in REFERENCE_COLUMNS})
            for row in reader
        ]


def title_words(title: str) -> list[str]:
    """The most distinctive words of a title (longest first, stopwords and short words out)."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if len(w) > 2]
    unique = list(dict.fromkeys(w.lower() for w in words if w.lower() not in _STOPWORDS))
    return sorted(unique, key=lambda w: (-len(w), unique.index(w)))[:_TITLE_WORDS]


def reference_query(ref: Reference, *, with_author_year: bool = True) -> str:
    """ESearch query for a reference: title words, plus first author and year if asked."""
    terms = [f"{w}[ti]" for w in title_words(ref.title)]
    if with_author_year:
        last_name = ref.first_author.split(" ")[0] if ref.first_author else ""
        if last_name:
            terms.append(f"{last_name}[au]")
        if ref.year:
            terms.append(f"{ref.year}[dp]")
    return " AND ".join(terms)


def resolve_references(client: EutilsClient, refs: Sequence[Reference]) -> list[Resolution]:
    """PMIDs for ``refs`` in input order; see the module docstring for the strategy."""
    citations = [
        Citation(
            key=r.ref,
            journal_title=r.journal,
            year=r.year,
            volume=r.volume,
            first_page=r.first_page,
            author_name=r.first_author,
        )
        for r in refs
    ]
    try:
        matched = client.ecitmatch(citations)
    except EutilsError as exc:
        log.warning("ECitMatch failed, falling back to ESearch for every reference: %s", exc)
        matched = {}
    resolutions = []
    for ref in refs:
        pmid = matched.get(ref.ref)
        if pmid:
            resolutions.append(Resolution(ref, pmid, "ecitmatch"))
        else:
            resolutions.append(_search(client, ref))
    unresolved = [r for r in resolutions if r.pmid is None]
    log.info("resolved %d of %d references", len(refs) - len(unresolved), len(refs))
    for r in unresolved:
        log.warning("reference %s unresolved: %s", r.reference.ref, r.reason)
    return resolutions


def _search(client: EutilsClient, ref: Reference) -> Resolution:
    if not title_words(ref.title):
        return Resolution(ref, None, "", "not found by ECitMatch and no title to search")
    reasons = []
    for with_author_year in (True, False):
        query = reference_query(ref, with_author_year=with_author_year)
        try:
            hits = client.esearch(query, max_results=5)
        except EutilsError as exc:
            return Resolution(ref, None, "", f"ESearch failed: {exc}")
        if len(hits) == 1:
            return Resolution(ref, hits[0], "esearch")
        reasons.append(f"{len(hits)} hits for {query!r}")
        if len(hits) > 1:
            break  # broadening the query cannot make it less ambiguous
    return Resolution(ref, None, "", "not found by ECitMatch; ESearch: " + "; ".join(reasons))
