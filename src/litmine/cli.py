"""The ``litmine`` command line: argument parsing, error messages and exit codes only.

Every sub-command imports its stage lazily, so ``litmine extract`` starts without loading
Prefect, SQLAlchemy or pandas.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from litmine import __version__

log = logging.getLogger("litmine")

EXIT_OK = 0
EXIT_INPUT_PROBLEM = 1  # something was skipped or repaired; the good part was processed
EXIT_USAGE = 2
EXIT_FAILURE = 3  # the job could not be done (network, store, missing resources)

DESCRIPTION = """\
litmine mines biomedical text for gene/variant–drug resistance and sensitivity evidence.

Start here:
  litmine extract paper.txt                   triples of one text file, CSV on stdout
  litmine extract abstracts.xml.gz -o t.csv   PubMed XML (plain or gzip) to a CSV file
  litmine extract corpus/seed_article.txt --out-dir out/
                                              triples + reconciliation + report.html
  litmine entities Dev.PubTator --format jsonl
                                              every gene, variant, drug, disease mention
  litmine run --query "leukemia resistance" --out out/   the whole PubMed pipeline (Prefect)
  litmine eval all                            quality figures on ../shared/data
"""

INPUT_HELP = (
    "input files; '-' reads standard input. Formats: text (whole file is one document, id = "
    "file stem), lines (ID<TAB>TEXT per line), pubtator (PMID|t| / PMID|a| blocks), medline "
    "(PubMed XML, plain or .gz)"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, args.quiet)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("litmine: interrupted; outputs were not replaced", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except FatalError as exc:
        print(f"litmine: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE


class FatalError(Exception):
    """A problem that stops the command; the message says what to do next."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="litmine",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"litmine {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    extract = commands.add_parser(
        "extract",
        help="gene/variant–drug resistance/sensitivity triples from text",
        description="Find (gene/variant, drug, resistance|sensitivity) triples with their "
        "evidence sentence in every document of INPUT. CSV on stdout unless -o is given.",
        epilog="Example: litmine extract abstracts.xml.gz --format jsonl -o triples.jsonl\n"
        "Exit status: 0 all good, 1 some input was skipped or repaired (see stderr), "
        "3 the job failed.",
    )
    _input_arguments(extract)
    extract.add_argument("--format", choices=("csv", "jsonl", "tsv"), default="csv")
    extract.add_argument(
        "--out-dir",
        type=Path,
        help="also write the full exports (triples, collated, reconciliation with the seed "
        "taxonomy, summary.txt, report.html) into this folder",
    )
    extract.set_defaults(handler=_cmd_extract)

    entities = commands.add_parser(
        "entities",
        help="every gene, variant, drug and disease mention",
        description="One record per entity mention (doc_id, start, end, text, label, "
        "normalized, id); offsets count from the start of the document text.",
        epilog="Example: litmine entities Dev.PubTator --input-format pubtator --format jsonl",
    )
    _input_arguments(entities)
    entities.add_argument("--format", choices=("jsonl", "csv", "tsv"), default="jsonl")
    entities.set_defaults(handler=_cmd_entities)

    run = commands.add_parser(
        "run",
        help="the whole PubMed pipeline as a Prefect flow (fetch → extract → export)",
        description="Resolve the seed references, fetch related and topic abstracts from NCBI "
        "E-utilities, extract triples, reconcile them with the seed taxonomy and export. "
        "Runs on a temporary local Prefect server unless PREFECT_API_URL points at one.",
    )
    _add_run_arguments(run)
    run.set_defaults(handler=_cmd_run)

    serve = commands.add_parser(
        "serve",
        help="serve the weekly scheduled deployment of the pipeline flow",
        description="Registers the pipeline deployment with a cron schedule on the Prefect "
        "server at PREFECT_API_URL (start one with `prefect server start`) and runs its "
        "scheduled flow runs until stopped.",
    )
    serve.add_argument("--cron", default="0 6 * * 1", help="schedule (default: Mondays 06:00)")
    serve.add_argument("--name", default="weekly", help="deployment name")
    serve.set_defaults(handler=_cmd_serve)

    ingest = commands.add_parser(
        "ingest",
        help="load MEDLINE/PubMed baseline files (*.xml.gz) into the store",
        description="Stream every *.xml / *.xml.gz file under DIR into the document store in "
        "constant memory, then extract triples from every document not yet processed by this "
        "litmine version — the way to process all of PubMed without E-utilities.",
    )
    ingest.add_argument("directory", type=Path, metavar="DIR")
    ingest.add_argument("--store", help="SQLAlchemy URL (default: sqlite file in LITMINE_HOME)")
    ingest.add_argument(
        "--no-extract",
        action="store_true",
        help="only load the documents; extract later with another ingest run",
    )
    ingest.add_argument(
        "--no-model",
        action="store_true",
        help="lexicons and rules only; skip the statistical NER model",
    )
    ingest.set_defaults(handler=_cmd_ingest)

    export = commands.add_parser(
        "export",
        help="re-export triples, reconciliation and report from the store",
        description="Write the exports from the triples already in the store, without "
        "re-running NLP.",
    )
    export.add_argument("--out", type=Path, required=True, help="output folder")
    export.add_argument("--store", help="SQLAlchemy URL (default: sqlite file in LITMINE_HOME)")
    export.set_defaults(handler=_cmd_export)

    evaluate = commands.add_parser(
        "eval",
        help="reproduce the quality figures on the development corpora",
        description="Score litmine on ../shared/data (or LITMINE_DATA_DIR / --data): ner "
        "(BioRED Dev, IOB dev sets), variants (tmVar train, MutationFinder devo), relations "
        "(CIViC dev statements, CIViCmine training sentences), or all.",
    )
    evaluate.add_argument("what", choices=("ner", "variants", "relations", "all"))
    evaluate.add_argument("--data", type=Path, help="data folder (default ../shared/data)")
    evaluate.set_defaults(handler=_cmd_eval)
    return parser


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUT_HELP)
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.add_argument(
        "--input-format",
        default="auto",
        choices=("auto", "text", "lines", "pubtator", "medline"),
        help="how to read INPUT (auto: by extension, then content)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="worker processes for the NLP (default 1)"
    )
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="lexicons and rules only; skip the statistical NER model",
    )


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--query",
        action="append",
        dest="queries",
        help="PubMed query (repeatable; default: queries from the taxonomy)",
    )
    parser.add_argument(
        "--max-results",
        type=int,
        default=200,
        help="at most this many PMIDs per query (default 200)",
    )
    parser.add_argument(
        "--neighbours",
        type=int,
        default=20,
        help="related articles per resolved reference (default 20)",
    )
    parser.add_argument("--reldate", type=int, help="only records from the last N days")
    parser.add_argument(
        "--mindate", type=_pubmed_date, help="only records from this date on (YYYY[/MM[/DD]])"
    )
    parser.add_argument(
        "--maxdate", type=_pubmed_date, help="only records up to this date (YYYY[/MM[/DD]])"
    )
    parser.add_argument(
        "--references", type=Path, help="references CSV to resolve (default corpus/references.csv)"
    )
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="lexicons and rules only; skip the statistical NER model",
    )
    parser.add_argument("--out", type=Path, default=Path("litmine-out"), help="output folder")
    parser.add_argument("--store", help="SQLAlchemy URL (default: sqlite file in LITMINE_HOME)")
    parser.add_argument("--batch-size", type=int, default=200, help="documents per NLP task")
    parser.add_argument("--task-runner", choices=("threads", "dask"), default="threads")
    parser.add_argument("--dask-address", help="existing Dask scheduler (with --task-runner dask)")


def _pubmed_date(text: str) -> str:
    """A ``--mindate``/``--maxdate`` checked at once, so a typo fails before any request."""
    from litmine.sources.eutils import date_window

    try:
        date_window(text, text, None)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _configure_logging(verbose: bool, quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="litmine: %(levelname)s: %(message)s")


def _settings():  # noqa: ANN202 - litmine.config.Settings
    from litmine.config import Settings

    return Settings.from_env()


class _InputReport:
    """Reads every INPUT, printing one line per problem, and remembers whether any occurred."""

    def __init__(self, inputs: Sequence[str], input_format: str) -> None:
        self.inputs = inputs
        self.input_format = input_format
        self.problems = 0

    def documents(self) -> Iterator:
        from litmine.sources.readers import InputError, RecordError, read_documents

        for path in self.inputs:
            try:
                for item in read_documents(path, self.input_format):
                    if isinstance(item, RecordError):
                        self._problem(_describe(item))
                    else:
                        yield item
            except InputError as exc:
                self._problem(str(exc))

    def _problem(self, message: str) -> None:
        self.problems += 1
        print(f"litmine: {message}", file=sys.stderr)

    @property
    def exit_code(self) -> int:
        return EXIT_INPUT_PROBLEM if self.problems else EXIT_OK


def _describe(error) -> str:  # noqa: ANN001 - litmine.sources.pubmed_xml.RecordError
    where = f" ({error.record})" if error.record else ""
    return f"{error.source}{where}: {error.message}"


def _progress(items: Iterable, unit: str) -> Iterable:
    from tqdm import tqdm

    return tqdm(items, unit=unit, disable=None, leave=False, file=sys.stderr)


def _cmd_extract(args: argparse.Namespace) -> int:
    from litmine.export import write_records
    from litmine.pipeline import Extractor
    from litmine.types import TRIPLE_COLUMNS

    report = _InputReport(args.inputs, args.input_format)
    extractor = Extractor(_settings(), use_model=not args.no_model)
    documents = _progress(report.documents(), "doc")
    collected = []

    def triples() -> Iterator:
        for triple in extractor.triples(documents, n_process=args.processes):
            if args.out_dir:
                collected.append(triple)
            yield triple

    target = args.output if args.output else sys.stdout
    write_records(triples(), target, args.format, columns=TRIPLE_COLUMNS)
    if args.out_dir:
        _write_full_exports(args.out_dir, collected, extractor)
    return report.exit_code


def _write_full_exports(out_dir: Path, triples: list, extractor) -> None:  # noqa: ANN001
    from litmine.export import write_exports
    from litmine.report import write_report
    from litmine.taxonomy import load_seed_claims, reconcile

    classes = extractor.class_members
    reconciliation = reconcile(
        triples, load_seed_claims(), extractor.taxonomy, class_members=classes
    )
    paths = write_exports(out_dir, triples, reconciliation)
    report = write_report(out_dir, triples, reconciliation, extractor.taxonomy)
    print(f"litmine: wrote {len(triples)} triples to {paths['triples.csv']}", file=sys.stderr)
    print(
        f"litmine: reconciliation in {paths['reconciliation.csv']}; report {report}",
        file=sys.stderr,
    )
    summary = paths.get("summary.txt")
    if summary:
        print(Path(summary).read_text(encoding="utf-8"), file=sys.stderr)


def _cmd_entities(args: argparse.Namespace) -> int:
    from litmine.export import write_records
    from litmine.pipeline import Extractor
    from litmine.types import MENTION_COLUMNS

    report = _InputReport(args.inputs, args.input_format)
    extractor = Extractor(_settings(), use_model=not args.no_model)
    mentions = extractor.entities(_progress(report.documents(), "doc"), n_process=args.processes)
    target = args.output if args.output else sys.stdout
    write_records(mentions, target, args.format, columns=MENTION_COLUMNS)
    return report.exit_code


def _cmd_run(args: argparse.Namespace) -> int:
    from litmine.orchestration import run_pipeline_flow

    settings = _settings().with_overrides(store_url=args.store)
    try:
        result = run_pipeline_flow(settings, args)
    except Exception as exc:  # the flow already logged the traceback
        raise FatalError(f"the pipeline run failed: {exc}") from exc
    print(f"litmine: wrote {result}", file=sys.stderr)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from litmine.orchestration import ServeError, serve_weekly

    try:
        serve_weekly(_settings(), cron=args.cron, name=args.name)
    except ServeError as exc:
        raise FatalError(str(exc)) from exc
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from litmine.sources.ingest import ingest_directory
    from litmine.store import Store

    if not args.directory.is_dir():
        raise FatalError(f"{args.directory}: not a folder; give the folder holding *.xml.gz")
    settings = _settings().with_overrides(store_url=args.store)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    stats = ingest_directory(Store(settings.effective_store_url), args.directory)
    print(f"litmine: {stats}", file=sys.stderr)
    if not args.no_extract:
        from tqdm import tqdm

        from litmine.orchestration import process_pending

        extracted = 0
        with tqdm(unit="doc", desc="extract", disable=None, file=sys.stderr) as bar:
            for done in process_pending(settings, use_model=not args.no_model):
                bar.update(done)
                extracted += done
        print(
            f"litmine: extracted {extracted} new or changed documents; "
            "`litmine export --out DIR` writes the tables and report",
            file=sys.stderr,
        )
    return EXIT_INPUT_PROBLEM if stats.bad_records or stats.bad_files else EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from litmine.pipeline import Extractor
    from litmine.store import Store

    settings = _settings().with_overrides(store_url=args.store)
    store = Store(settings.effective_store_url)
    triples = list(store.triples())
    if not triples:
        raise FatalError(
            f"no triples in the store {settings.effective_store_url}; "
            "run `litmine run` or `litmine ingest` first"
        )
    _write_full_exports(args.out, triples, Extractor(settings))
    return EXIT_OK


def _cmd_eval(args: argparse.Namespace) -> int:
    from litmine.evaluation.report import run_evaluations

    settings = _settings().with_overrides(data_dir=args.data)
    if not settings.data_dir.is_dir():
        raise FatalError(
            f"data folder {settings.data_dir} not found; pass --data or set "
            "LITMINE_DATA_DIR to the folder holding biored/, civic/, ..."
        )
    print(run_evaluations(settings, args.what))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
