"""The outside contract (docs/contract.md): commands, columns, labels, offsets, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from litmine.cli import EXIT_INPUT_PROBLEM, EXIT_OK, main
from litmine.types import CONTRACT_TRIPLE_COLUMNS

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed_article.txt"
CONTRACT_COLUMNS = [
    "doc_id",
    "gene",
    "gene_id",
    "variant",
    "drug",
    "relation",
    "negated",
    "disease",
    "mechanism",
    "confidence",
    "sentence",
]
LABELS = {"GENE", "VARIANT", "CHEMICAL", "DISEASE", "MECHANISM", "CELL_LINE", "SPECIES"}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_contract_columns_are_the_first_triple_fields():
    assert list(CONTRACT_TRIPLE_COLUMNS) == CONTRACT_COLUMNS


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("litmine ")


def test_extract_seed_article_csv(capsys):
    code, out, err = run_cli(capsys, "extract", str(SEED))
    assert code == EXIT_OK, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(CONTRACT_COLUMNS) <= set(rows[0])
    assert {r["doc_id"] for r in rows} == {"seed_article"}
    assert all(r["relation"] in {"resistance", "sensitivity"} for r in rows)
    assert all(r["negated"] in {"true", "false"} for r in rows)
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)
    t315i = [(r["variant"], r["drug"], r["relation"]) for r in rows if r["variant"] == "p.T315I"]
    assert ("p.T315I", "ponatinib", "sensitivity") in t315i
    assert ("p.T315I", "ponatinib", "resistance") not in t315i
    assert any(
        r["drug"] == "imatinib" and r["relation"] == "resistance"
        for r in rows
        if r["variant"] == "p.T315I"
    )
    text = SEED.read_text(encoding="utf-8")
    assert all(r["sentence"] in text for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
def test_extract_other_formats(capsys, fmt):
    code, out, _ = run_cli(capsys, "extract", str(SEED), "--format", fmt)
    assert code == EXIT_OK
    if fmt == "jsonl":
        first = json.loads(out.splitlines()[0])
        assert set(CONTRACT_COLUMNS) <= set(first) and isinstance(first["negated"], bool)
    else:
        assert out.splitlines()[0].split("\t")[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS


def test_entities_offsets_and_labels(capsys, tmp_path):
    path = tmp_path / "docs.pubtator"
    path.write_text(
        "1|t|BCR-ABL1 T315I confers resistance to imatinib in CML.\n"
        "1|a|Chronic myeloid leukemia (CML) patients with FLT3-ITD respond to quizartinib.\n\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "entities", str(path), "--input-format", "pubtator")
    assert code == EXIT_OK
    records = [json.loads(line) for line in out.splitlines()]
    text = (
        "BCR-ABL1 T315I confers resistance to imatinib in CML. Chronic myeloid leukemia (CML)"
        " patients with FLT3-ITD respond to quizartinib."
    )
    assert records and all(text[r["start"] : r["end"]] == r["text"] for r in records)
    assert {r["label"] for r in records} <= LABELS
    for field in ("doc_id", "start", "end", "text", "label", "normalized", "id"):
        assert all(field in r for r in records)
    by_text = {r["text"]: r for r in records}
    assert by_text["BCR-ABL1"]["normalized"] == "BCR::ABL1"
    assert by_text["T315I"]["normalized"] == "p.T315I"
    assert by_text["imatinib"]["label"] == "CHEMICAL"


def test_entities_on_biored_dev_offsets_hold(capsys, data_dir):
    code, out, _ = run_cli(
        capsys,
        "entities",
        str(data_dir / "biored" / "Dev.PubTator"),
        "--input-format",
        "pubtator",
        "--format",
        "jsonl",
    )
    assert code == EXIT_OK
    from litmine.evaluation.ner import read_pubtator  # the corpus reader, not the product's

    texts = {doc.doc_id: doc.text for doc in read_pubtator(data_dir / "biored" / "Dev.PubTator")}
    records = [json.loads(line) for line in out.splitlines()]
    assert len({r["doc_id"] for r in records}) > 90
    assert all(texts[r["doc_id"]][r["start"] : r["end"]] == r["text"] for r in records)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "b.bin").write_bytes(bytes(range(256)) * 64) and d / "b.bin", "binary"),
        (
            lambda d: (
                (d / "bad.xml").write_text("<PubmedArticleSet><PubmedArticle><Medline")
                and d / "bad.xml"
            ),
            "xml",
        ),
    ],
)
def test_bad_input_one_clear_line_and_nonzero_exit(capsys, tmp_path, make, message):
    path = make(tmp_path)
    code, out, err = run_cli(capsys, "extract", str(path))
    assert code == EXIT_INPUT_PROBLEM
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0].lower() and str(path.name) in lines[0]


def test_bad_line_in_lines_file_keeps_good_lines(capsys, tmp_path):
    path = tmp_path / "docs.tsv"
    path.write_text(
        "a\tT315I confers resistance to imatinib.\nbroken line\n"
        "b\tE255K confers resistance to nilotinib.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "extract", str(path), "--input-format", "lines")
    assert code == EXIT_INPUT_PROBLEM and "line 2" in err
    assert {r["doc_id"] for r in csv.DictReader(io.StringIO(out))} == {"a", "b"}


def test_output_file_written_atomically(capsys, tmp_path):
    out = tmp_path / "t.csv"
    code, _, _ = run_cli(capsys, "extract", str(SEED), "-o", str(out))
    assert code == EXIT_OK and out.read_text(encoding="utf-8").startswith("doc_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_extract_imports_neither_prefect_nor_spacy_nor_pandas(tmp_path):
    """Each costs start-up time a one-line ``extract`` must not pay."""
    path = tmp_path / "one.txt"
    path.write_text("T315I confers resistance to imatinib.\n", encoding="utf-8")
    code = (
        "import sys\nfrom litmine.cli import main\n"
        f"rc = main(['extract', {str(path)!r}])\n"
        "for heavy in ('prefect', 'spacy', 'pandas'):\n"
        "    assert heavy not in sys.modules, heavy + ' imported'\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "imatinib" in result.stdout


def test_run_subcommand_has_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--help"])
    assert exc.value.code == 0 and "Prefect" in capsys.readouterr().out


def test_two_processes_give_the_same_triples_in_the_same_order(capsys, tmp_path):
    path = tmp_path / "docs.tsv"
    lines = [
        f"d{i}\tT315I confers resistance to imatinib but not to ponatinib in CML.\n"
        for i in range(300)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["extract", str(path)]) == EXIT_OK
    single = capsys.readouterr().out
    assert main(["extract", str(path), "--processes", "2"]) == EXIT_OK
    assert capsys.readouterr().out == single


@pytest.mark.parametrize("option", ["--mindate", "--maxdate"])
def test_a_bad_date_limit_fails_before_any_request(capsys, option):
    with pytest.raises(SystemExit) as exc:
        main(["run", option, "2020/13", "--out", "never-written"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "not a PubMed date (YYYY, YYYY/MM or YYYY/MM/DD): '2020/13'" in err
    assert not Path("never-written").exists()
