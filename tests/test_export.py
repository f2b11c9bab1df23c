"""Exports: atomic writes, contract columns, collation, the full export folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from litmine import export
from litmine.export import collate, read_triples, write_exports, write_records
from litmine.taxonomy import load_seed_claims, load_taxonomy, reconcile
from litmine.types import CONTRACT_TRIPLE_COLUMNS, TRIPLE_COLUMNS, Triple


def triple(**kw: object) -> Triple:
    base: dict[str, object] = {
        "doc_id": "100",
        "gene": "BCR::ABL1",
        "gene_id": "HGNC:76",
        "variant": "p.T315I",
        "drug": "imatinib",
        "relation": "resistance",
        "negated": False,
        "disease": "chronic myeloid leukemia",
        "mechanism": "genetic.kinase_domain_mutation.gatekeeper",
        "confidence": 0.8,
        "sentence": 'T315I, a "gatekeeper", confers resistance to imatinib, nilotinib.',
        "year": 2012,
    }
    base.update(kw)
    return Triple(**base)  # type: ignore[arg-type]


TRIPLES = [
    triple(),
    triple(doc_id="101", confidence=0.95, year=2015),
    triple(doc_id="102", negated=True, year=2009),
    triple(doc_id="103", drug="ponatinib", relation="sensitivity", year=2013),
    triple(doc_id="104", drug="ponatinib", relation="resistance", year=2020),
]


def test_write_records_csv_columns_and_booleans(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    assert write_records(TRIPLES, path, "csv") == len(TRIPLES)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == TRIPLE_COLUMNS
    assert tuple(rows[0][:11]) == CONTRACT_TRIPLE_COLUMNS
    negated = rows[0].index("negated")
    assert [r[negated] for r in rows[1:]] == ["false", "false", "true", "false", "false"]
    assert rows[1][rows[0].index("sentence")] == TRIPLES[0].sentence  # quotes round-trip
    assert read_triples(path) == TRIPLES


def test_write_records_tsv_jsonl_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_records(TRIPLES[:1], tmp_path / "t.tsv", "tsv")
    header = (tmp_path / "t.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split("\t") == list(TRIPLE_COLUMNS)
    buf = io.StringIO()
    write_records(TRIPLES[:2], buf, "jsonl")
    objs = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert objs[0]["negated"] is False and objs[1]["doc_id"] == "101"
    write_records(TRIPLES[:1], "-", "csv")
    assert capsys.readouterr().out.startswith("doc_id,gene,gene_id,")
    with pytest.raises(ValueError, match="unknown format"):
        write_records(TRIPLES, tmp_path / "x", "xml")


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    """A record that breaks mid-write must leave neither a half file nor a temp file."""
    target = tmp_path / "out.csv"

    def records():
        yield export._as_dict(TRIPLES[0])
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        export._emit(records(), TRIPLE_COLUMNS, target, "csv")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_records(TRIPLES, target, "csv")
    before = target.read_bytes()

    class Boom:
        def __getattr__(self, name: str) -> object:
            raise RuntimeError("broken record")

    with pytest.raises(RuntimeError, match="broken record"):
        write_records([TRIPLES[0], Boom()], target, "csv")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_collate_counts_and_stable_ids() -> None:
    frame = collate(TRIPLES)
    assert list(frame.columns) == list(export.COLLATED_COLUMNS)
    assert len(frame) == 3
    imatinib = frame[frame["drug"] == "imatinib"].iloc[0]
    assert imatinib["citation_count"] == 3
    assert imatinib["pmids"] == "100;101;102"
    assert imatinib["negated_count"] == 1
    assert (imatinib["first_year"], imatinib["last_year"]) == (2009, 2015)
    assert imatinib["best_confidence"] == pytest.approx(0.95)
    assert collate(list(reversed(TRIPLES)))["collated_id"].tolist() == frame["collated_id"].tolist()
    assert frame["collated_id"].is_unique


def test_write_exports_full_folder(tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    rec = reconcile(TRIPLES, load_seed_claims(), taxonomy)
    first = write_exports(tmp_path / "run1", TRIPLES[:3], rec)
    names = {
        f"{n}.{ext}"
        for n in ("triples", "triples_collated", "sentences", "reconciliation", "new_findings")
        + ("conflicts", "changelog")
        for ext in ("csv", "parquet")
    }
    assert set(first) == names | {"summary.txt"}
    assert all(p.exists() for p in first.values())
    recon = pd.read_csv(first["reconciliation.csv"], dtype=str, keep_default_na=False)
    assert recon.loc[recon["claim_id"] == "S02", "status"].item() == "corroborated"
    conflicts = pd.read_parquet(first["conflicts.parquet"])
    assert conflicts[["gene", "drug"]].values.tolist() == [["BCR::ABL1", "ponatinib"]]
    parquet = pd.read_parquet(first["triples.parquet"])
    assert parquet["negated"].dtype == bool and len(parquet) == 3

    second = write_exports(tmp_path / "run2", TRIPLES, rec, previous=tmp_path / "run1")
    changes = pd.read_csv(second["changelog.csv"], dtype=str)
    assert sorted(changes["doc_id"]) == ["103", "104"]
    assert set(changes["change"]) == {"added"}
    summary = second["summary.txt"].read_text(encoding="utf-8")
    assert "Seed claims: 16" in summary and "2 triples added" in summary
