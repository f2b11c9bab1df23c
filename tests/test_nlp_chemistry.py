"""The chemistry recognizers' fast forms find exactly what their plain patterns define."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from litmine.nlp.chemistry import INN_STEM, inn_drugs

# words and glue that put drug-name stems at, inside and around word boundaries
_PIECES = st.sampled_from(
    ["gefitinib", "Osimertinib", "tinib", "abctinib", "xaban", "mycin", "statin", "Ab", "e",
     "é", "ß", "_", "-", " ", ".", "1", "(", "olol", "pril", "s", "TINIB"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_inn_drugs_are_the_inn_stem_matches(text: str) -> None:
    assert list(inn_drugs(text)) == [m.span() for m in INN_STEM.finditer(text)]


def test_inn_drugs_in_text_order() -> None:
    text = "Gefitinib, *erlotinib* and osimertinib; not tinib or Xtinibs."
    assert [text[a:b] for a, b in inn_drugs(text)] == ["Gefitinib", "erlotinib", "osimertinib"]
