"""Patterns written for speed (atomic groups) find exactly what their plain forms find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from litmine.nlp.pipeline import _GENE_CONTEXT

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
