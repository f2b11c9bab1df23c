"""Patterns written for speed (atomic groups, split alternations) find exactly what their
plain forms find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from litmine.nlp.pipeline import _GENE_CONTEXT
from litmine.nlp.variants import _CODON_POSITION, _RESIDUE_POSITION

# symbols, context words and glue, so that symbols end at, before and inside context words
_PIECES = st.sampled_from(
    ["Pum", "TIEG1", "hTERT", "OSX", "anti-", "Il", "ab", "C", "x", "1", "12", "-1", "-", " ",
     "_", "é", "gene", "genes", "mRNA", "expression", "antibody", "-/-", "deficient", "null",
     "knockout", "The"]
)  # fmt: skip


def _plain(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern with its atomic groups made ordinary (backtracking) groups."""
    return re.compile(pattern.pattern.replace("(?>", "(?:"), pattern.flags)


@given(st.lists(_PIECES, max_size=14).map("".join))
def test_gene_context_atomic_group_changes_no_match(text: str) -> None:
    plain = _plain(_GENE_CONTEXT)
    assert [(m.span(), m.groupdict()) for m in _GENE_CONTEXT.finditer(text)] == [
        (m.span(), m.groupdict()) for m in plain.finditer(text)
    ]


# residue and codon positions, with the words that make them mentions
_POSITION_PIECES = st.sampled_from(
    ["R132", "Thr315", "G12", "codon", "codons", "Codon", " ", "12", "(Thr)", "(Gly)", "CAG/CAA",
     ", tyrosine to histidine", "Tyrosine", "mutation", "mutations", " and ", "variants", "c",
     "A", "x", "/", "-"]
)  # fmt: skip


@given(st.lists(_POSITION_PIECES, max_size=14).map("".join))
def test_residue_and_codon_positions_find_what_their_alternation_finds(text: str) -> None:
    alternation = re.compile(f"{_RESIDUE_POSITION.pattern}|{_CODON_POSITION.pattern}")
    separate = [*_RESIDUE_POSITION.finditer(text), *_CODON_POSITION.finditer(text)]
    assert sorted(m.span() for m in separate) == [m.span() for m in alternation.finditer(text)]
