"""litmine speed benchmark: every speed figure of the README, reproducible with one command.

    .venv/bin/python benchmarks/bench.py            # full run (~10 minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --quick    # smaller corpus, for a smoke check

The fixed corpus is the BioRED (Train + Dev) and tmVar abstracts of ``LITMINE_DATA_DIR``
(``--corpus all`` adds SETH and MutationFinder), repeated to 5,000 documents. Each stage runs
in its own subprocess so its peak resident memory is its own.
Reported: documents and words per second for the scispacy tokenizer alone (the floor any
spaCy pipeline pays), litmine's recognizer as a spaCy component behind that tokenizer
(``spacy``), ``entities`` and ``extract`` on one and two processes, the ratio to the floor,
peak memory, streaming MEDLINE XML → CSV at 1× and 10× the corpus, and the start-up time of
``litmine extract`` on a one-line file. Beside them, the same pure-Python reference work
(character trigram counts, no litmine) on one and two processes: the speed-up this machine
itself allows. The in-memory stages run in ``--repeats`` rounds (default 5); ratios are taken
within a round and the median round reported, so the drift of a shared machine's speed does
not decide them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
PUBMED_RECORDS = 36_000_000
SERVER_CORES = 16


CORPORA = ("biored-tmvar", "all")


def load_corpus(n_docs: int, corpus: str = "biored-tmvar") -> list[tuple[str, str]]:
    """(doc_id, text) of real abstracts, repeated with fresh ids up to ``n_docs``.

    ``biored-tmvar`` (the default, comparable across versions): BioRED Train + Dev and tmVar,
    723 different abstracts, rich in drugs and variants. ``all`` adds SETH and MutationFinder
    (about 1,650 different abstracts), closer to PubMed at large, where fewer abstracts state
    a drug's effect and so ``extract`` runs faster.
    """
    from litmine.config import Settings
    from litmine.sources.readers import read_documents
    from litmine.types import Document

    data = Settings.from_env().data_dir
    base: list[tuple[str, str]] = []
    for path in (
        data / "biored" / "Train.PubTator",
        data / "biored" / "Dev.PubTator",
        data / "mutations" / "tmvar" / "train.txt",
    ):
        base += [
            (d.doc_id, d.text)
            for d in read_documents(str(path), "pubtator")
            if isinstance(d, Document)
        ]
    if corpus == "all":
        seen = {text for _, text in base}
        for path in (  # PMID <tab> text..., one abstract per line
            data / "mutations" / "seth" / "corpus.txt",
            data / "mutations" / "mutationfinder" / "devo_text.txt",
        ):
            for line in path.read_text(encoding="utf-8").splitlines():
                pmid, _, text = line.partition("\t")
                text = " ".join(text.split("\t")).strip()
                if text and text not in seen:
                    seen.add(text)
                    base.append((pmid, text))
    return [(f"{base[i % len(base)][0]}-{i}", base[i % len(base)][1]) for i in range(n_docs)]


def stage(name: str, n_docs: int, processes: int, corpus_name: str) -> dict:
    """Run one stage in this process and return its figures."""
    corpus = load_corpus(n_docs, corpus_name)
    words = sum(len(text.split()) for _, text in corpus)
    started = time.perf_counter()
    if name == "tokenizer":
        import spacy
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
        started = time.perf_counter()
        for _ in nlp.tokenizer.pipe(text for _, text in corpus):
            pass
        count = 0
    elif name == "reference":
        started = time.perf_counter()
        count = sum(_in_pool(_word_counts, [text for _, text in corpus], processes))
    elif name == "spacy":
        from litmine.config import Settings
        from litmine.nlp.spacy_component import load_spacy_pipeline

        nlp = load_spacy_pipeline(Settings.from_env())
        started = time.perf_counter()
        count = sum(len(doc.ents) for doc in nlp.pipe(text for _, text in corpus))
    else:
        from litmine.config import Settings
        from litmine.pipeline import Extractor
        from litmine.types import Document

        extractor = Extractor(Settings.from_env())
        documents = [Document(doc_id=i, text=t) for i, t in corpus]
        list(extractor.triples(documents[:5]))  # load resources before the clock starts
        started = time.perf_counter()
        items = (extractor.entities if name == "entities" else extractor.triples)(
            documents, n_process=processes
        )
        count = sum(1 for _ in items)
    seconds = time.perf_counter() - started
    return {
        "stage": name,
        "processes": processes,
        "documents": n_docs,
        "words": words,
        "seconds": round(seconds, 2),
        "docs_per_s": round(n_docs / seconds, 1),
        "words_per_s": round(words / seconds),
        "records": count,
        "peak_rss_mb": round(  # worker processes included
            max(
                resource.getrusage(who).ru_maxrss
                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
            )
            / 1024
        ),
    }


def _word_counts(texts: list[str]) -> int:
    """Pure-Python work with no litmine in it: the speed-up the machine itself allows."""
    distinct = 0
    for text in texts:  # trigram counts, four times over: about a millisecond an abstract
        counts: dict[str, int] = {}
        for _ in range(4):
            for start in range(len(text) - 2):
                trigram = text[start : start + 3]
                counts[trigram] = counts.get(trigram, 0) + 1
        distinct += len(counts)
    return distinct


def _in_pool(work, texts: list[str], processes: int) -> list[int]:
    """``work`` over batches of 128 texts, in this process or in a fork pool as litmine does."""
    batches = [texts[i : i + 128] for i in range(0, len(texts), 128)]
    if processes == 1:
        return [work(batch) for batch in batches]
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return list(pool.imap(work, batches))


def run_stage(name: str, n_docs: int, processes: int, corpus: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--stage",
            name,
            "--docs",
            str(n_docs),
            "--processes",
            str(processes),
            "--corpus",
            corpus,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# Round order: the floor, then the stages compared with it right after it.
STAGES = (
    ("tokenizer", 1),
    ("extract", 1),
    ("extract", 2),
    ("entities", 1),
    ("entities", 2),
    ("spacy", 1),
    ("reference", 1),
    ("reference", 2),
)


def measured_rounds(
    n_docs: int, repeats: int, corpus: str
) -> tuple[list[dict], dict[tuple[str, int], list]]:
    """Every in-memory stage, ``repeats`` rounds of all of them back to back.

    This machine's speed drifts by tens of percent between minutes, so a ratio is taken
    within each round (the floor and the stage run minutes apart at most) and the median
    round is reported; each stage's row is its median run. Returns the rows and, per stage,
    its ratio to the floor in every round.
    """
    runs: dict[tuple[str, int], list[dict]] = {key: [] for key in STAGES}
    for _ in range(repeats):
        for name, processes in STAGES:
            runs[name, processes].append(run_stage(name, n_docs, processes, corpus))
    floor = runs["tokenizer", 1]
    ratios = {
        key: [round(f["seconds"] / r["seconds"], 3) for f, r in zip(floor, rows, strict=True)]
        for key, rows in runs.items()
    }
    table = []
    for key, rows in runs.items():
        row = dict(sorted(rows, key=lambda r: r["seconds"])[len(rows) // 2])
        row["runs_s"] = [r["seconds"] for r in rows]
        row["peak_rss_mb"] = max(r["peak_rss_mb"] for r in rows)
        if key[0] not in ("tokenizer", "reference"):
            row["ratio_to_tokenizer"] = round(statistics.median(ratios[key]), 3)
        table.append(row)
    return table, ratios


def _per_round(ratios: dict[tuple[str, int], list], name: str) -> list[float]:
    """1 → 2 process speed-up of a stage in each round."""
    return [round(two / one, 2) for one, two in zip(ratios[name, 1], ratios[name, 2], strict=True)]


def _scaling(ratios: dict[tuple[str, int], list], name: str) -> float:
    return statistics.median(_per_round(ratios, name))


def write_medline(path: Path, corpus: list[tuple[str, str]], repeat: int) -> None:
    """A gzip PubmedArticleSet of the corpus, ``repeat`` times over, with unique PMIDs."""
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("<?xml version='1.0' encoding='utf-8'?>\n<PubmedArticleSet>\n")
        pmid = 1
        for _ in range(repeat):
            for _, text in corpus:
                title, _, abstract = text.partition(". ")
                fh.write(
                    f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>"
                    f"<ArticleTitle>{escape(title)}.</ArticleTitle><Abstract><AbstractText>"
                    f"{escape(abstract)}</AbstractText></Abstract></Article></MedlineCitation>"
                    "</PubmedArticle>\n"
                )
                pmid += 1
        fh.write("</PubmedArticleSet>\n")


def streaming(corpus: list[tuple[str, str]], repeat: int, workdir: Path) -> dict:
    """``litmine extract`` on MEDLINE XML to a CSV: wall time and peak memory of the process."""
    xml = workdir / f"medline_{repeat}x.xml.gz"
    write_medline(xml, corpus, repeat)
    out = workdir / f"triples_{repeat}x.csv"
    started = time.perf_counter()
    code = (
        "import resource, sys, json\nfrom litmine.cli import main\n"
        f"rc = main(['-q', 'extract', {str(xml)!r}, '-o', {str(out)!r}])\n"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\nsys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    documents = len(corpus) * repeat
    return {
        "stage": f"medline→csv {repeat}x",
        "documents": documents,
        "seconds": round(seconds, 1),
        "docs_per_s": round(documents / seconds, 1),
        "peak_rss_mb": round(int(result.stdout.strip().splitlines()[-1]) / 1024),
    }


def cli_startup(workdir: Path, runs: int = 5) -> float:
    one_line = workdir / "one.txt"
    one_line.write_text("The T315I mutation confers resistance to imatinib.\n", encoding="utf-8")
    litmine = Path(sys.executable).with_name("litmine")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(litmine), "extract", str(one_line)], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, default=5000, help="corpus size (default 5000)")
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument(
        "--corpus",
        choices=CORPORA,
        default=CORPORA[0],
        help="biored-tmvar (default: 723 abstracts rich in drugs) or all (about 1,650)",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 documents, no 10x stream")
    parser.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="rounds of the in-memory stages; medians are reported (default 5)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.docs, args.processes, args.corpus)))
        return
    n_docs = 1000 if args.quick else args.docs
    rows, ratios = measured_rounds(n_docs, args.repeats, args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = load_corpus(n_docs, args.corpus)
        for repeat in (1,) if args.quick else (1, 10):
            rows.append(streaming(corpus, repeat, Path(tmp)))
        startup = cli_startup(Path(tmp))
    extract_1 = next(r for r in rows if r["stage"] == "extract" and r["processes"] == 1)
    scaling = _scaling(ratios, "extract")
    ceiling = _scaling(ratios, "reference")
    per_core = extract_1["docs_per_s"] * scaling / 2
    hours = PUBMED_RECORDS / (per_core * SERVER_CORES) / 3600
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"corpus {args.corpus}, {n_docs} documents"
    )
    header = (
        f"{'stage':<22}{'proc':>5}{'docs':>8}{'s':>8}{'docs/s':>9}{'words/s':>10}"
        f"{'x floor':>9}{'RSS MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['stage']:<22}{r.get('processes', 1):>5}{r['documents']:>8}{r['seconds']:>8}"
            f"{r['docs_per_s']:>9}{r.get('words_per_s', ''):>10}"
            f"{r.get('ratio_to_tokenizer', ''):>9}{r['peak_rss_mb']:>8}"
        )
    print(
        f"\nIn-memory stages: median run of {args.repeats} rounds; 'x floor' is the median of the"
        " ratios taken within each round. Every run (s) and ratio:"
    )
    for r in rows[: len(STAGES)]:
        key = (r["stage"], r["processes"])
        print(f"  {key[0]} ({key[1]} proc): {r['runs_s']} s, x floor {ratios[key]}")
    print(f"litmine extract on a one-line file: {startup} s (median of 5, warm disk)")
    print(f"extract scaling 1 → 2 processes: {scaling:.2f}x (median of the rounds)")
    print(
        f"machine ceiling, pure-Python reference work 1 → 2 processes: {ceiling:.2f}x"
        f" (rounds {_per_round(ratios, 'reference')}; extract {_per_round(ratios, 'extract')})"
    )
    print(
        f"all of PubMed ({PUBMED_RECORDS:,} records) on {SERVER_CORES} cores at "
        f"{per_core:.0f} abstracts/s/core: {hours:.1f} hours"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "startup_s": startup,
                    "scaling": scaling,
                    "machine_ceiling": ceiling,
                    "pubmed_hours": hours,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
