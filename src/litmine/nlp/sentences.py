"""Rule sentence splitter for abstracts.

A statistical or dependency-based splitter costs far more than the rest of the lexicon
path; abstracts are edited prose, so splitting after ``.``/``?``/``!`` before an
upper-case letter, digit or opening bracket is right almost always. The exceptions
handled are the usual ones: abbreviations ("e.g.", "et al.", "Fig."), initials
("J. Smith"), decimals and species names ("E. coli").
"""

from __future__ import annotations

import re

from litmine.types import Sentence

_BOUNDARY = re.compile(r"[.!?](?:[\"')\]]*)(?=\s+[\"'(\[]?[A-Z0-9\u0391-\u03a9])")
# Words whose full stop ends no sentence, matched as whole words right before the stop.
# The pattern can match only where one of them (or a line break, before which "$" also
# matches) ends at the stop: a far cheaper ``str.endswith`` test is made first.
_NO_SPLIT_WORDS = (
    "e.g", "i.e", "et al", "vs", "Fig", "Figs", "Ref", "Refs", "approx", "ca", "cf", "Dr", "Drs",
    "Mr", "Mrs", "Ms", "No", "Nos", "Vol", "Eq", "Eqs", "Tab", "Suppl", "resp", "al", "St", "Jr",
    "Inc", "Ltd", "Co", "min", "max", "incl", "etc",
)  # fmt: skip
_NO_SPLIT_ENDINGS = (*_NO_SPLIT_WORDS, "\n")
_NO_SPLIT_BEFORE = re.compile(r"(?:\b(?:" + "|".join(map(re.escape, _NO_SPLIT_WORDS)) + r"))$")


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentence spans covering the non-space text, leading/trailing whitespace trimmed."""
    sentences: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        stop = m.start()
        if text.endswith(_NO_SPLIT_ENDINGS, 0, stop) and _NO_SPLIT_BEFORE.search(
            text, max(0, stop - 10), stop
        ):
            continue
        end = m.end()
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end))
