"""Abbreviation definitions ("long form (SF)") found with the Schwartz & Hearst algorithm.

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing 8:451-462 (2003).

Same algorithm as scispacy's ``AbbreviationDetector`` but over plain strings, so it
needs no spaCy Doc (the lexicon path runs without spaCy to keep start-up fast).
The pipeline uses the definitions to label every later use of a short form like its
long form, and to drop lexicon hits on short forms the document defines as something
else ("computed tomography (CT)").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,20})\)")
_ALTERNATIVES = re.compile(r"[;,]\s")  # "(SF; ...)", "(SF, ...)": the short form comes first
_CLAUSE_BREAK = re.compile(r"[.;:!?\])]\s|[(\[]")


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """A definition: short form and long form with their character spans."""

    short: str
    short_start: int
    short_end: int
    long: str
    long_start: int
    long_end: int


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Definitions of the form "long form (SF)", first definition of each short form."""
    found: dict[str, Abbreviation] = {}
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        short = _ALTERNATIVES.split(inner, maxsplit=1)[0].strip()
        if short in found:
            continue
        if _valid_short(short):
            window_start = _window_start(text, m.start(), short)
            candidate = text[window_start : m.start()].rstrip()
            long_form = _best_long_form(short, candidate)
        else:  # lower-case clipping of the word before: "dexamethasone (dex)"
            window_start = 0
            candidate = text[: m.start()].rstrip()
            long_form = _clipped_long_form(short, candidate)
        short_start = m.start(1) + inner.index(short)
        if long_form is None:
            continue
        long_end = window_start + len(candidate)
        long_start = long_end - len(long_form)
        found[short] = Abbreviation(
            short, short_start, short_start + len(short), long_form, long_start, long_end
        )
    return list(found.values())


def short_form_occurrences(text: str, short: str) -> Iterator[tuple[int, int]]:
    """Every alphanumeric-bounded occurrence of ``short`` in ``text``."""
    size = len(short)
    start = text.find(short)
    while start != -1:  # str.find, not a regex: no pattern to compile per short form
        end = start + size
        if not (start and text[start - 1].isalnum()) and not (
            end < len(text) and text[end].isalnum()
        ):
            yield start, end
        start = text.find(short, start + 1)


def _valid_short(short: str) -> bool:
    if not 2 <= len(short) <= 10 or len(short.split()) > 2:
        return False
    if not short[0].isalnum() or not any(ch.isalpha() for ch in short):
        return False
    return not short.islower() or len(short) <= 4 and any(ch.isdigit() for ch in short)


_CLIPPED = re.compile(r"[a-z]{3,6}")


def _clipped_long_form(short: str, before: str) -> str | None:
    """The word before the bracket when the short form is its lower-case beginning."""
    if not _CLIPPED.fullmatch(short):
        return None
    word = before.rsplit(None, 1)[-1] if before.split() else ""
    if len(word) >= len(short) + 3 and word.isalpha() and word.lower().startswith(short):
        return word
    return None


def _window_start(text: str, paren: int, short: str) -> int:
    """Start of the at most min(|SF|+5, 2|SF|) words before the bracket, in-clause."""
    max_words = min(len(short) + 5, len(short) * 2)
    start = paren
    words = 0
    i = paren
    while i > 0 and words < max_words:
        j = text.rfind(" ", 0, i - 1)
        segment = text[j + 1 : i]
        if _CLAUSE_BREAK.search(segment):
            break
        start = j + 1
        words += 1
        i = j + 1
        if j < 0:
            break
    return start


def _best_long_form(short: str, long: str) -> str | None:
    """Schwartz–Hearst: match SF characters right to left inside the candidate long form;
    the first SF character must start a word."""
    s_idx = len(short) - 1
    l_idx = len(long) - 1
    while s_idx >= 0:
        ch = short[s_idx].lower()
        if not ch.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            long[l_idx].lower() != ch or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    result = long[start:].strip()
    if len(result) <= len(short) or short.lower() in result.lower().split():
        return None
    return result
