"""The bridge between litmine's library and its Prefect flows (``flows/pipeline.py``).

Two halves, both importable without Prefect:

- the pipeline's steps as plain functions over ``Settings`` and plain records (resolve
  references, find related and topic PMIDs, fetch into the store, plan and run extraction
  batches, save, reconcile, export). Each Prefect task is a one-line call to one of them, so
  the logic is tested without an orchestrator and the flow stays thin;
- ``run_pipeline_flow`` and ``serve_weekly``, which the CLI calls. They prepare a quiet,
  offline Prefect environment *before* Prefect is imported (Prefect reads its settings once,
  at import), then import and run the flow.

Why steps take ``Settings`` rather than live clients: task arguments must be picklable (Dask
ships them to worker processes) and hashable (Prefect's cache keys), and each process keeps
its own store engine and extractor in the caches below.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litmine.config import PROJECT_ROOT, Settings
from litmine.types import Document, Triple, UpsertStats

if TYPE_CHECKING:
    from litmine.pipeline import Extractor
    from litmine.store import Store
    from litmine.taxonomy import Reconciliation

log = logging.getLogger(__name__)

FLOW_NAME = "litmine-pipeline"
DEFAULT_REFERENCES = PROJECT_ROOT / "corpus" / "references.csv"
DEFAULT_CRON = "0 6 * * 1"  # Mondays 06:00, as `litmine serve` and prefect.yaml
# Weekly runs search the last two weeks of PubMed (overlapping, so nothing falls in a gap).
WEEKLY_PARAMETERS = {"reldate": 14}
# Provenance order: a PMID found in several ways is stored as the first of these.
SOURCE_PRIORITY = ("reference", "neighbour", "query")
LEUKEMIA_SUBTYPES = (
    "acute myeloid leukemia",
    "acute lymphoblastic leukemia",
    "chronic myeloid leukemia",
    "chronic lymphocytic leukemia",
)
RESISTANCE_TERMS = (
    "(drug resistance[mh] OR resistance[tiab] OR resistant[tiab] OR refractory[tiab])",
    "(sensitivity[tiab] OR sensitive[tiab] OR sensitizes[tiab] OR overcomes[tiab])",
)
_PREFECT_QUIET = {
    # Prefect 3.9 names: no anonymous usage data from server or client, no Cloud telemetry.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    # Without PREFECT_API_URL runs go to a temporary local server (``_prefect_api``); a busy
    # 2-core machine needs longer than the default 20 s to start it.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Library logs (E-utilities retries, store, extraction) go into the flow-run logs.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "litmine",
}


# ---------------------------------------------------------------------------- run records


@dataclass(frozen=True)
class FetchStats:
    """What one fetch batch did; summed over batches for the run record."""

    requested: int = 0
    already_stored: int = 0
    record_errors: int = 0
    saved: UpsertStats = UpsertStats()  # what the store did with the fetched records

    def __add__(self, other: FetchStats) -> FetchStats:
        return FetchStats(
            self.requested + other.requested,
            self.already_stored + other.already_stored,
            self.record_errors + other.record_errors,
            self.saved + other.saved,
        )

    def asdict(self) -> dict[str, int]:
        """One flat record: requested, already_stored, record_errors, inserted, updated,
        unchanged."""
        counts = {
            "requested": self.requested,
            "already_stored": self.already_stored,
            "record_errors": self.record_errors,
        }
        return counts | dataclasses.asdict(self.saved)


@dataclass(frozen=True)
class BatchResult:
    """Triples of one extraction batch, per document (documents without triples included)."""

    version: str
    triples: dict[str, list[Triple]] = field(default_factory=dict)

    @property
    def n_triples(self) -> int:
        return sum(len(t) for t in self.triples.values())


# ---------------------------------------------------------------------------- per-process caches

# Settings handed to ``run_pipeline_flow`` for the flow run it starts in this process. Flow
# parameters are stored on the Prefect server, so Settings (with the NCBI API key) are not
# passed as one; deployment runs, started elsewhere, read the environment instead.
_RUN_SETTINGS: ContextVar[Settings | None] = ContextVar("litmine_run_settings", default=None)


def run_settings(store_url: str | None = None) -> Settings:
    """Settings for the current flow run: those given to ``run_pipeline_flow``, else the
    environment's; ``store_url`` (a flow parameter) wins."""
    base = _RUN_SETTINGS.get() or Settings.from_env()
    return base.with_overrides(store_url=store_url)


@lru_cache(maxsize=8)
def store_for(url: str) -> Store:
    """One store (engine and connection pool) per URL and process, shared by its threads."""
    from litmine.store import Store

    return Store(url)


@lru_cache(maxsize=4)
def extractor_for(settings: Settings, use_model: bool) -> Extractor:
    """One extractor per process: models load once per Dask worker or per CLI run."""
    from litmine.pipeline import Extractor

    return Extractor(settings, use_model=use_model)


# spaCy pipelines are not documented as thread-safe, and under the GIL threads would not speed
# up NLP anyway; parallel NLP comes from Dask worker processes.
_NLP_LOCK = threading.Lock()


def processing_version(settings: Settings, use_model: bool) -> str:
    """The version the store records per document (code, resources and NER mode)."""
    return extractor_for(settings, use_model).version


def eutils_client(settings: Settings) -> Any:
    """An E-utilities client; all clients of a process share one rate limiter."""
    from litmine.sources.eutils import EutilsClient

    return EutilsClient(settings)


# ---------------------------------------------------------------------------- steps: sources


def default_queries() -> list[str]:
    """Topic queries: every leukemia subtype crossed with resistance and sensitivity terms."""
    return [
        f'"{subtype}"[tiab] AND {terms} AND hasabstract'
        for subtype, terms in itertools.product(LEUKEMIA_SUBTYPES, RESISTANCE_TERMS)
    ]


def resolve_reference_pmids(settings: Settings, references: Path | None) -> dict[int, str]:
    """Seed-article reference number → PMID for every reference E-utilities could place."""
    from litmine.sources.references import load_references, resolve_references

    path = references or DEFAULT_REFERENCES
    if not path.is_file():
        log.warning("no reference list at %s; skipping the seed references", path)
        return {}
    resolutions = resolve_references(eutils_client(settings), load_references(path))
    return {
        int(r.reference.ref): r.pmid
        for r in resolutions
        if r.pmid and r.reference.ref.strip().isdigit()
    }


def related_pmids(settings: Settings, pmids: Sequence[str], top_n: int) -> list[str]:
    """PubMed's ``top_n`` most similar articles of each PMID, best first, without repeats."""
    if not pmids or top_n <= 0:
        return []
    neighbours = eutils_client(settings).elink_neighbors(pmids, top_n=top_n)
    return list(
        dict.fromkeys(hit for source in pmids for hit, _score in neighbours.get(source, []))
    )


def search_pmids(
    settings: Settings,
    query: str,
    *,
    mindate: str | None = None,
    maxdate: str | None = None,
    reldate: int | None = None,
    max_results: int | None = None,
) -> list[str]:
    """PMIDs of one topic query within the date window (ESearch)."""
    return eutils_client(settings).esearch(
        query, mindate=mindate, maxdate=maxdate, reldate=reldate, max_results=max_results
    )


def fetch_plan(
    found: Mapping[str, Iterable[str]], settings: Settings, batch_size: int
) -> list[tuple[str, list[str]]]:
    """(source, PMIDs) batches still to fetch: each PMID once, under its highest-priority
    source, stored ones left out so re-runs send no EFetch for them."""
    seen: set[str] = set()
    ordered: dict[str, list[str]] = {}
    for source in SOURCE_PRIORITY:
        ids = [p for p in dict.fromkeys(found.get(source, ())) if p not in seen]
        seen.update(ids)
        ordered[source] = ids
    known = store_for(settings.effective_store_url).known_ids(seen)
    size = max(1, batch_size)
    plan = []
    for source, ids in ordered.items():
        missing = [p for p in ids if p not in known]
        plan += [(source, missing[i : i + size]) for i in range(0, len(missing), size)]
    log.info(
        "%d PMIDs found, %d already stored, %d to fetch in %d batches",
        len(seen),
        len(known),
        len(seen) - len(known),
        len(plan),
    )
    return plan


def fetch_into_store(settings: Settings, pmids: Sequence[str], source: str) -> FetchStats:
    """EFetch the ``pmids`` the store lacks and upsert them; bad records are logged and counted."""
    from litmine.sources.ingest import fetch_missing

    store = store_for(settings.effective_store_url)
    known = store.known_ids(pmids)
    stats = fetch_missing(eutils_client(settings), store, pmids, source=source)
    return FetchStats(len(pmids), len(known), stats.bad_records, stats.saved)


# ---------------------------------------------------------------------------- steps: extraction


def plan_batches(settings: Settings, version: str, batch_size: int) -> list[list[str]]:
    """Doc ids the store says need processing (new, changed, or older version), batched."""
    store = store_for(settings.effective_store_url)
    ids = [d.doc_id for d in store.documents_to_process(version)]
    size = max(1, batch_size)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def load_documents(settings: Settings, doc_ids: Sequence[str]) -> list[Document]:
    """The stored documents of one batch (ids that vanished meanwhile are skipped)."""
    store = store_for(settings.effective_store_url)
    return [doc for doc in map(store.get_document, doc_ids) if doc is not None]


BATCH_CACHE_PREFIX = "litmine-extract-"  # cached batch results: Prefect storage files


def batch_cache_key(store_url: str, version: str, documents: Sequence[Document]) -> str:
    """Same extractor version and same document contents → same triples: the cache key.

    The store is part of it so that each store's runs resume from their own results."""
    from litmine.store import content_hash

    digest = hashlib.sha256(f"{store_url}\0{version}".encode())
    for doc in documents:
        digest.update(f"\0{doc.doc_id}\0{content_hash(doc)}".encode())
    return f"{BATCH_CACHE_PREFIX}{digest.hexdigest()}"


def result_storage() -> Path:
    """Where Prefect persists task results (the extraction cache) in this process."""
    from prefect.settings import get_current_settings

    return Path(get_current_settings().results.local_storage_path)


def forget_batch(storage_dir: Path, key: str) -> None:
    """Delete a saved batch's cached result: the store holds its triples now, and only a
    batch computed but not saved needs the cache."""
    (storage_dir / key).unlink(missing_ok=True)


def prune_batch_cache(storage_dir: Path, max_age: timedelta) -> int:
    """Delete cached batch results older than ``max_age`` (expired: no run reads them
    again); returns how many went."""
    cutoff = time.time() - max_age.total_seconds()
    stale = [
        p
        for p in storage_dir.glob(f"{BATCH_CACHE_PREFIX}*")
        if p.is_file() and p.stat().st_mtime < cutoff
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def extract_batch(
    settings: Settings, documents: Sequence[Document], version: str, use_model: bool
) -> BatchResult:
    """Triples of every document in the batch: pure NLP, no store access, so it can run on
    any Dask worker and its result can be cached by content."""
    extractor = extractor_for(settings, use_model)
    result: dict[str, list[Triple]] = {doc.doc_id: [] for doc in documents}
    with _NLP_LOCK:
        for analysis in extractor.analyses(documents, for_triples=True):
            result[analysis.document.doc_id] += extractor.triples_for(analysis)
    return BatchResult(version, result)


def process_pending(
    settings: Settings, *, use_model: bool = True, batch_size: int = 500
) -> Iterator[int]:
    """Extract every stored document this extractor version has not processed, batch by batch
    (constant memory); yields the size of each saved batch, for progress reporting."""
    store = store_for(settings.effective_store_url)
    extractor = extractor_for(settings, use_model)
    while batch := list(store.documents_to_process(extractor.version, limit=batch_size)):
        triples: dict[str, list[Triple]] = {doc.doc_id: [] for doc in batch}
        for analysis in extractor.analyses(batch, for_triples=True):
            triples[analysis.document.doc_id] += extractor.triples_for(analysis)
        store.save_many(triples.items(), extractor.version)
        yield len(batch)


def save_batch(settings: Settings, batch: BatchResult) -> int:
    """Store the batch's triples and mark its documents processed; returns documents saved."""
    return store_for(settings.effective_store_url).save_many(batch.triples.items(), batch.version)


# ---------------------------------------------------------------------------- steps: outputs


def all_triples(settings: Settings) -> list[Triple]:
    """Every stored triple by doc_id (each document's in extraction order), so the exports do
    not depend on the order batches were saved in (resumed runs, Dask)."""
    return sorted(store_for(settings.effective_store_url).triples(), key=lambda t: t.doc_id)


def reconcile_triples(
    settings: Settings, triples: Sequence[Triple], cited_pmids: Mapping[int, str]
) -> Reconciliation:
    """Seed claims against the stored triples (drug classes from the NER's class lexicon)."""
    from litmine.taxonomy import load_seed_claims, reconcile

    extractor = extractor_for(settings, False)
    return reconcile(
        triples,
        load_seed_claims(),
        extractor.taxonomy,
        cited_pmids=cited_pmids,
        class_members=extractor.class_members,
    )


def baseline_path(settings: Settings) -> Path:
    """Where the triples of the last completed run on this store are kept (the changelog's
    'before'); one file per store URL."""
    key = hashlib.sha256(settings.effective_store_url.encode()).hexdigest()[:12]
    return settings.work_dir / "baselines" / f"triples-{key}.jsonl.gz"


def load_baseline(settings: Settings) -> list[Triple] | None:
    """Triples exported by the previous completed run, ``None`` on the first run."""
    path = baseline_path(settings)
    if not path.is_file():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [Triple(**json.loads(line)) for line in handle]


def save_baseline(settings: Settings, triples: Sequence[Triple]) -> Path:
    """Write the baseline atomically: a run killed here keeps the previous one."""
    path = baseline_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        for triple in triples:
            handle.write(json.dumps(dataclasses.asdict(triple), ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def write_outputs(
    settings: Settings,
    out_dir: Path,
    triples: Sequence[Triple],
    reconciliation: Reconciliation,
    previous: Sequence[Triple] | None,
    run_info: Mapping[str, Any],
) -> dict[str, Path]:
    """Exports (with the changelog against ``previous``) and report.html into ``out_dir``."""
    from litmine.export import write_exports
    from litmine.report import write_report

    paths = dict(write_exports(out_dir, triples, reconciliation, previous=previous))
    changelog = paths.get("changelog.csv")
    paths["report.html"] = write_report(
        out_dir,
        triples,
        reconciliation,
        extractor_for(settings, False).taxonomy,
        changelog=changelog,
        run_info=dict(run_info),
    )
    return paths


# ---------------------------------------------------------------------------- Prefect bridge


class ServeError(RuntimeError):
    """``serve_weekly`` cannot start (no Prefect server configured)."""


def prefect_environment(settings: Settings) -> dict[str, str]:
    """Environment that makes Prefect quiet, offline and local to the work folder.

    Values already set win (a team's PREFECT_API_URL or PREFECT_HOME stays as it is)."""
    env = dict(_PREFECT_QUIET)
    env["PREFECT_HOME"] = str((settings.work_dir / "prefect").resolve())
    return {k: v for k, v in env.items() if k not in os.environ}


def configure_prefect(settings: Settings) -> None:
    """Apply ``prefect_environment``; call before the first ``import prefect``."""
    os.environ.update(prefect_environment(settings))


def flow_parameters(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """The pipeline flow's parameters from the ``litmine run`` arguments."""
    return {
        "out": Path(args.out).resolve(),
        "queries": list(args.queries) if args.queries else None,
        "max_results": args.max_results,
        "neighbours": args.neighbours,
        "mindate": args.mindate,
        "maxdate": args.maxdate,
        "reldate": args.reldate,
        "store_url": settings.effective_store_url,
        "batch_size": args.batch_size,
        "task_runner": args.task_runner,
        "dask_address": args.dask_address,
        "use_model": not args.no_model,
        "references": args.references,
    }


def run_pipeline_flow(settings: Settings, args: argparse.Namespace) -> Path:
    """Run the whole pipeline as a Prefect flow run; returns the output folder.

    Without PREFECT_API_URL the run goes to a temporary local Prefect server that stops
    with this process."""
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    configure_prefect(settings)
    from flows.pipeline import pipeline

    token = _RUN_SETTINGS.set(settings)
    try:
        with _prefect_api():
            return pipeline(**flow_parameters(settings, args))
    finally:
        _RUN_SETTINGS.reset(token)


@contextmanager
def _prefect_api() -> Iterator[None]:
    """The Prefect API for this run: PREFECT_API_URL if set, else a temporary local server
    (stopped at exit). Its URL also goes into the environment for child processes, or every
    Dask worker would start a temporary server of its own."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()
        url = server.api_url
    saved = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            yield
    finally:
        if saved is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = saved


def serve_weekly(settings: Settings, *, cron: str = DEFAULT_CRON, name: str = "weekly") -> None:
    """Register the pipeline deployment with a cron schedule and run its flow runs here
    until interrupted (needs a Prefect server at PREFECT_API_URL)."""
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    configure_prefect(settings)
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise ServeError(
            "litmine serve needs a running Prefect server: start one with `prefect server "
            "start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    from flows.pipeline import pipeline

    pipeline.serve(
        name=name,
        cron=cron,
        parameters={"out": str((settings.work_dir / "out").resolve()), **WEEKLY_PARAMETERS},
        description="Weekly PubMed refresh: fetch new abstracts, extract, reconcile, export.",
        tags=["litmine"],
    )
