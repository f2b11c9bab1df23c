"""Input readers: every format, and every kind of bad input yields an error, not a crash."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from litmine.sources.readers import InputError, RecordError, detect_format, read_documents
from litmine.types import Document


def read(path: Path, fmt: str = "auto") -> tuple[list[Document], list[RecordError]]:
    items = list(read_documents(str(path), fmt))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, RecordError)],
    )


def test_text_file_is_one_document_named_by_stem(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text("T315I confers resistance to imatinib.\nSecond line.", encoding="utf-8")
    docs, errors = read(path)
    assert [d.doc_id for d in docs] == ["paper"] and not errors
    assert docs[0].text == path.read_text(encoding="utf-8")


def test_lines_with_a_bad_line_keeps_the_good_ones(tmp_path):
    path = tmp_path / "docs.tsv"
    path.write_text("1\tFirst text.\nno tab here\n2\tSecond text.\n", encoding="utf-8")
    docs, errors = read(path, "lines")
    assert [d.doc_id for d in docs] == ["1", "2"]
    assert len(errors) == 1 and "line 2" in errors[0].record


def test_pubtator_text_is_title_space_abstract_and_bad_offsets_reported(tmp_path):
    path = tmp_path / "x.pubtator"
    path.write_text(
        "11|t|Title here.\n11|a|Abstract here.\n11\t0\t5\tTitle\tGene\t1\n"
        "11\t0\t999\tTitle\tGene\t1\n\n22|t|Second.\n22|a|Body.\n",
        encoding="utf-8",
    )
    docs, errors = read(path)
    assert [(d.doc_id, d.text) for d in docs] == [
        ("11", "Title here. Abstract here."),
        ("22", "Second. Body."),
    ]
    assert len(errors) == 1 and "outside the text" in errors[0].message


def test_auto_detects_formats():
    assert detect_format("a.xml.gz", b"\x1f\x8b....") == "medline"
    assert detect_format("a.txt", b"<?xml version='1.0'?><PubmedArticleSet>") == "medline"
    assert detect_format("a.txt", b"123|t|Title\n123|a|Abs\n") == "pubtator"
    assert detect_format("a.txt", b"1\tfoo\n2\tbar\n3\tbaz\n") == "lines"
    assert detect_format("a.txt", b"Plain prose about imatinib.\n") == "text"


def test_missing_file_and_directory_raise_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read(tmp_path)


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read(empty)
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary"):
        read(binary)


def test_latin1_and_utf16_are_read_and_reported(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Résistance à l'imatinib in Köln.".encode("latin-1"))
    docs, errors = read(latin)
    assert docs[0].text == "Résistance à l'imatinib in Köln." and "UTF-8" in errors[0].message
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("T315I resistance.".encode("utf-16"))
    docs, errors = read(utf16)
    assert docs[0].text == "T315I resistance." and not errors


def test_nul_bytes_are_replaced_keeping_offsets(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"T315I\x00confers resistance to imatinib. " * 3)
    docs, errors = read(path)
    assert "\x00" not in docs[0].text and len(docs[0].text) == len(path.read_bytes())
    assert errors and "NUL" in errors[0].message


def test_gzipped_lines_and_truncated_gzip(tmp_path):
    good = tmp_path / "docs.lines.gz"
    payload = "".join(f"{i}\tText number {i}.\n" for i in range(2000)).encode()
    good.write_bytes(gzip.compress(payload))
    docs, errors = read(good, "lines")
    assert len(docs) == 2000 and not errors
    truncated = tmp_path / "cut.lines.gz"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    docs, errors = read(truncated, "lines")
    assert 0 < len(docs) < 2000 and errors and "ends early" in errors[-1].message


@pytest.mark.parametrize("fmt", ["text", "lines", "pubtator"])
def test_a_gzip_cut_inside_its_header_is_one_clear_error(tmp_path, fmt):
    cut = tmp_path / "cut.gz"
    cut.write_bytes(b"\x1f\x8b")  # the magic bytes and nothing more
    with pytest.raises(
        InputError, match=r"cut.gz: a gzip file that cannot be opened .*re-download"
    ):
        list(read_documents(str(cut), fmt))


def test_medline_xml_is_streamed(tmp_path):
    xml = tmp_path / "a.xml"
    xml.write_text(
        "<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCitation>"
        "<PMID>42</PMID><Article><ArticleTitle>T315I and ponatinib.</ArticleTitle>"
        "<Abstract><AbstractText>Ponatinib overcomes T315I.</AbstractText></Abstract>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    docs, errors = read(xml)
    assert [(d.doc_id, d.text) for d in docs] == [
        ("42", "T315I and ponatinib. Ponatinib overcomes T315I.")
    ]
    assert not errors
