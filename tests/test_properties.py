"""Property-based tests: no input crashes a reader or the extractor; offsets and evidence hold."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litmine.sources.readers import INPUT_FORMATS, InputError, RecordError, read_documents
from litmine.types import Document

_tmp = Path(tempfile.mkdtemp(prefix="litmine-prop-"))

text_like = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8")),
    st.lists(
        st.tuples(st.text(alphabet="0123456789abc", max_size=6), st.text(max_size=80)), max_size=20
    ).map(lambda rows: "\n".join(f"{a}\t{b}" for a, b in rows).encode()),
    st.lists(
        st.tuples(st.integers(0, 99), st.text(max_size=40), st.integers(-5, 300)), max_size=10
    ).map(
        lambda rows: "".join(
            f"{p}|t|{t}\n{p}|a|{t}\n{p}\t{o}\t{o + 3}\tx\tGene\t1\n\n" for p, t, o in rows
        ).encode()
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=text_like, fmt=st.sampled_from(INPUT_FORMATS))
def test_readers_never_crash(payload: bytes, fmt: str) -> None:
    path = _tmp / "input.dat"
    path.write_bytes(payload)
    try:
        items = list(read_documents(str(path), fmt))
    except InputError as exc:
        assert str(exc).startswith(str(path))
        return
    for item in items:
        assert isinstance(item, Document | RecordError)
        if isinstance(item, Document):
            assert isinstance(item.text, str) and item.doc_id


biomedical_text = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "BCR-ABL1 ",
                "T315I ",
                "*FLT3*-ITD ",
                "imatinib",
                " resistance to ",
                "(CML) ",
                "p.(Thr315Ile)",
                "did not ",
                "sensitive to ponatinib",
                ". ",
                "\n\n",
                "TKIs",
                "DNA methylation",
                "References\n1. Smith J. ",
                "\u00a0",
                "β-catenin",
                "Ca(2+)",
            ]
        ),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=biomedical_text)
def test_any_text_gives_valid_offsets_and_verbatim_evidence(extractor, text: str) -> None:
    document = Document(doc_id="p", text=text)
    [analysis] = list(extractor.analyses([document]))
    for mention in analysis.mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
    for triple in extractor.triples([document]):
        assert text[triple.sentence_start : triple.sentence_end] == triple.sentence
        assert 0.0 <= triple.confidence <= 1.0
