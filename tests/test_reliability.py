"""Bad input, for every input format: one clear line naming the file, a non-zero exit, and the
good documents of the same run still processed; output files never half-written."""

from __future__ import annotations

import csv
import gzip
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from litmine.cli import EXIT_INPUT_PROBLEM, EXIT_OK, main

GOOD = "T315I confers resistance to imatinib in chronic myeloid leukemia.\n"
XML_RECORD = (
    "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}"
    "</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
)


def _xml(*titles: str) -> str:
    records = "".join(XML_RECORD.format(pmid=i + 1, title=t) for i, t in enumerate(titles))
    return f"<?xml version='1.0'?><PubmedArticleSet>{records}</PubmedArticleSet>"


def _write(name: str, payload: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(payload.encode("utf-8") if isinstance(payload, str) else payload)
        return path

    return make


BAD_INPUTS = {
    "missing": (lambda d: d / "missing.txt", "no such file", 0),
    "directory": (lambda d: (d / "adir").mkdir() or d / "adir", "is a directory", 0),
    "empty": (_write("empty.txt", b""), "empty", 0),
    "binary": (_write("blob.bin", bytes(range(256)) * 64), "binary", 0),
    "latin-1": (_write("latin1.txt", ("Résistance: " + GOOD).encode("latin-1")), "utf-8", 1),
    "nul bytes": (_write("nul.txt", GOOD.replace(" ", "\x00", 1)), "nul", 1),
    "malformed xml": (_write("bad.xml", "<PubmedArticleSet><oops>"), "malformed", 0),
    "truncated xml": (_write("cut.xml", _xml(GOOD.strip(), "x")[:-60]), "cut off", 1),
    "truncated gz": (
        lambda d: _write("cut.xml.gz", gzip.compress(_xml(*[GOOD.strip()] * 300).encode())[:900])(
            d
        ),
        "cut off",
        None,  # the records before the cut are kept, however many
    ),
    "pubtator offsets": (
        _write("x.pubtator", f"7|t|{GOOD.strip()}\n7|a|More.\n7\t3\t999\tX\tGene\t1\n"),
        "outside the text",
        1,
    ),
    "lines without tab": (_write("docs.tsv", f"a\t{GOOD}no tab here\n"), "missing tab", 1),
}


def extract(capsys, *args: str) -> tuple[int, list[dict], list[str]]:
    code = main(["extract", *args])
    out, err = capsys.readouterr()
    return code, list(csv.DictReader(io.StringIO(out))), [x for x in err.splitlines() if x]


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_alone(capsys, tmp_path, case):
    make, message, good_docs = BAD_INPUTS[case]
    path = make(tmp_path)
    code, rows, errors = extract(capsys, str(path))
    assert code == EXIT_INPUT_PROBLEM
    assert len(errors) == 1, errors
    assert path.name in errors[0] and message in errors[0].lower()
    if good_docs is not None:
        assert len({r["doc_id"] for r in rows}) == good_docs
    else:
        assert rows


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_mixed_with_good_files(capsys, tmp_path, case):
    make, _, _ = BAD_INPUTS[case]
    first = _write("first.txt", GOOD)(tmp_path)
    bad = make(tmp_path)
    last = _write("last.txt", GOOD.replace("imatinib", "nilotinib"))(tmp_path)
    code, rows, errors = extract(capsys, str(first), str(bad), str(last))
    assert code == EXIT_INPUT_PROBLEM and len(errors) == 1
    assert {"first", "last"} <= {r["doc_id"] for r in rows}


def test_utf16_with_bom_is_simply_read(capsys, tmp_path):
    path = _write("u16.txt", GOOD.encode("utf-16"))(tmp_path)
    code, rows, errors = extract(capsys, str(path))
    assert code == EXIT_OK and not errors and rows


def test_good_input_exits_zero(capsys, tmp_path):
    code, rows, errors = extract(capsys, str(_write("ok.txt", GOOD)(tmp_path)))
    assert code == EXIT_OK and not errors and rows[0]["relation"] == "resistance"


def test_stdin_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "litmine.cli", "extract", "-"],
        input=GOOD,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "imatinib" in result.stdout


def test_interrupted_run_leaves_no_partial_output(tmp_path):
    """Killed while writing: the target file never appears half-written."""
    big = tmp_path / "big.tsv"
    big.write_text("".join(f"{i}\t{GOOD}" for i in range(200_000)), encoding="utf-8")
    out = tmp_path / "triples.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "litmine.cli", "extract", str(big), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".triples.csv.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # let it write part of the file
    assert process.poll() is None, "the run ended before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists()
    small = _write("small.txt", GOOD)(tmp_path)
    assert main(["extract", str(small), "-o", str(out)]) == EXIT_OK  # the next run cleans up
    assert out.exists() and not list(tmp_path.glob(".triples.csv.*"))


@pytest.mark.slow
def test_50_mb_single_line(capsys, tmp_path):
    path = tmp_path / "huge.txt"
    sentence = "The cells were cultured in medium with serum for several days. "
    path.write_text(sentence * (50_000_000 // len(sentence)) + GOOD, encoding="utf-8")
    code, rows, errors = extract(capsys, str(path))
    assert code == EXIT_OK and not errors
    assert any(r["drug"] == "imatinib" for r in rows)
