"""The litmine pipeline as one Prefect flow: references → related → topic search → fetch →
extract → save → reconcile → export/report/changelog.

Every task is a one-line call into ``litmine.orchestration`` (plain, separately tested
functions); this module only says what runs where, what is retried, what is cached.

- Network tasks (E-utilities) retry on top of the client's own per-request retries. They always
  run on this flow's thread pool, in one process, so one rate limiter keeps the whole run under
  NCBI's limit.
- Extraction batches run on threads or on Dask (``task_runner="dask"``, a ``LocalCluster``
  unless ``dask_address`` names a scheduler). They get documents, return triples and never
  touch the store, so workers need no database access. Their results are persisted and cached
  by extractor version + document contents: a batch whose triples were computed but not saved
  (the run died in between) is not analysed again. Once saved, a batch's cached result is
  deleted, and results past their expiry are pruned when a run starts: the cache stays small.
- Saving happens here, in the flow's process, batch by batch as results arrive; the store marks
  each document processed with the extractor version, so a re-run (after a crash, or next week)
  only analyses new, changed or re-versioned documents, and no triple is stored twice.
"""

import time
from collections import deque
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from litmine import orchestration as steps
from litmine.config import Settings
from litmine.types import Document, Triple

NETWORK = {"retries": 2, "retry_delay_seconds": [10, 60], "cache_policy": NO_CACHE}
LOCAL = {"cache_policy": NO_CACHE}
# Batches in flight per extraction worker: enough to keep workers busy, few enough that only
# a handful of batches of documents are in memory at once.
IN_FLIGHT_PER_WORKER = 2
CACHE_EXPIRATION = timedelta(days=30)


@task(name="resolve-references", **NETWORK)
def resolve_references(settings: Settings, references: Path | None) -> dict[int, str]:
    return steps.resolve_reference_pmids(settings, references)


@task(name="expand-related", **NETWORK)
def expand_related(settings: Settings, pmids: list[str], top_n: int) -> list[str]:
    return steps.related_pmids(settings, pmids, top_n)


@task(name="topic-search", task_run_name="topic-search: {query}", **NETWORK)
def topic_search(
    settings: Settings,
    query: str,
    mindate: str | None,
    maxdate: str | None,
    reldate: int | None,
    max_results: int,
) -> list[str]:
    return steps.search_pmids(
        settings, query, mindate=mindate, maxdate=maxdate, reldate=reldate, max_results=max_results
    )


@task(name="plan-fetch", **LOCAL)
def plan_fetch(
    settings: Settings, found: dict[str, list[str]], batch_size: int
) -> list[tuple[str, list[str]]]:
    return steps.fetch_plan(found, settings, batch_size)


@task(name="fetch", task_run_name="fetch {source} batch", **NETWORK)
def fetch(settings: Settings, pmids: list[str], source: str) -> steps.FetchStats:
    return steps.fetch_into_store(settings, pmids, source)


@task(name="plan-extraction", **LOCAL)
def plan_extraction(settings: Settings, version: str, batch_size: int) -> list[list[str]]:
    return steps.plan_batches(settings, version, batch_size)


def _extract_key(_context: Any, parameters: dict[str, Any]) -> str:
    settings = parameters["settings"]
    return steps.batch_cache_key(
        settings.effective_store_url, parameters["version"], parameters["documents"]
    )


@task(
    name="extract",
    retries=1,
    retry_delay_seconds=5,
    cache_key_fn=_extract_key,
    cache_expiration=CACHE_EXPIRATION,
    persist_result=True,
)
def extract(
    settings: Settings, documents: list[Document], version: str, use_model: bool
) -> steps.BatchResult:
    return steps.extract_batch(settings, documents, version, use_model)


@task(name="save-results", **LOCAL)
def save_results(settings: Settings, batch: steps.BatchResult) -> int:
    return steps.save_batch(settings, batch)


@task(name="reconcile", **LOCAL)
def reconcile(settings: Settings, triples: list[Triple], cited_pmids: dict[int, str]) -> Any:
    return steps.reconcile_triples(settings, triples, cited_pmids)


@task(name="export", **LOCAL)
def export(
    settings: Settings,
    out: Path,
    triples: list[Triple],
    reconciliation: Any,
    previous: list[Triple] | None,
    run_info: dict[str, Any],
) -> dict[str, Path]:
    return steps.write_outputs(settings, out, triples, reconciliation, previous, run_info)


def _extraction_runner(kind: str, dask_address: str | None) -> TaskRunner:
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # Worker processes, one thread each: spaCy work holds the GIL. Dashboard on any port.
        cluster = {"n_workers": 2, "threads_per_worker": 1, "dashboard_address": ":0"}
        return DaskTaskRunner(cluster_kwargs=cluster)
    return ThreadPoolTaskRunner(max_workers=1)


def _workers(runner: TaskRunner) -> int:
    """Parallel slots of a started runner: its Dask worker threads, else the one thread."""
    client = getattr(runner, "client", None)  # DaskTaskRunner's distributed.Client
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return 1


def _run_extraction(
    settings: Settings,
    version: str,
    batch_size: int,
    use_model: bool,
    runner: TaskRunner,
) -> dict[str, int]:
    """Extract every batch the store says is due, saving each as it completes.

    A failed batch does not stop the others; the run fails afterwards, and the next run
    redoes only that batch."""
    logger = get_run_logger()
    cache = steps.result_storage()
    if pruned := steps.prune_batch_cache(cache, CACHE_EXPIRATION):
        logger.info("removed %d expired cached batch results", pruned)
    batches = plan_extraction(settings, version, batch_size)
    logger.info("%d documents to analyse in %d batches", sum(map(len, batches)), len(batches))
    counts = {"batches": len(batches), "processed": 0, "new_triples": 0, "failed_batches": 0}
    pending: deque[tuple[PrefectFuture[steps.BatchResult], str]] = deque()

    def settle(future: PrefectFuture[steps.BatchResult], key: str) -> None:
        try:
            result = future.result()
        except Exception as exc:  # the task's own log has the traceback
            counts["failed_batches"] += 1
            logger.error("extraction batch failed: %s", exc)
            return
        counts["processed"] += save_results(settings, result)
        counts["new_triples"] += result.n_triples
        steps.forget_batch(cache, key)

    with runner:
        window = IN_FLIGHT_PER_WORKER * _workers(runner)
        for doc_ids in batches:
            documents = steps.load_documents(settings, doc_ids)
            parameters = {
                "settings": settings,
                "documents": documents,
                "version": version,
                "use_model": use_model,
            }
            key = _extract_key(None, parameters)
            pending.append((runner.submit(extract, parameters), key))
            while len(pending) >= window:
                settle(*pending.popleft())
        while pending:
            settle(*pending.popleft())
    return counts


@flow(name=steps.FLOW_NAME, task_runner=ThreadPoolTaskRunner(max_workers=3), log_prints=False)
def pipeline(
    out: Path = Path("litmine-out"),
    queries: list[str] | None = None,
    max_results: int = 200,
    neighbours: int = 20,
    mindate: str | None = None,
    maxdate: str | None = None,
    reldate: int | None = None,
    store_url: str | None = None,
    references: Path | None = None,
    batch_size: int = 200,
    task_runner: Literal["threads", "dask"] = "threads",
    dask_address: str | None = None,
    use_model: bool = True,
) -> Path:
    """Fetch → extract → reconcile → export; returns the output folder.

    Dates are PubMed's (YYYY, YYYY/MM or YYYY/MM/DD on the Entrez date); ``reldate`` keeps
    the last N days. Without ``queries`` the topic queries cross leukemia subtypes with
    resistance and sensitivity terms. ``use_model=False`` runs lexicons and rules only.
    """
    logger = get_run_logger()
    started = time.perf_counter()
    settings = steps.run_settings(store_url)
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    store = steps.store_for(settings.effective_store_url)
    topics = queries or steps.default_queries()
    params = dict(
        out=str(out), queries=topics, max_results=max_results, neighbours=neighbours,
        mindate=mindate, maxdate=maxdate, reldate=reldate, batch_size=batch_size,
        task_runner=task_runner, use_model=use_model,
    )  # fmt: skip
    run_id = store.start_run(params)
    counts: dict[str, Any] = {}
    try:
        cited = resolve_references(settings, references)
        searches = [
            topic_search.submit(settings, q, mindate, maxdate, reldate, max_results) for q in topics
        ]
        related = expand_related(settings, sorted(set(cited.values())), neighbours)
        found = {
            "reference": list(cited.values()),
            "neighbour": related,
            "query": [pmid for search in searches for pmid in search.result()],
        }
        counts["found"] = {source: len(ids) for source, ids in found.items()}
        plan = plan_fetch(settings, found, batch_size)
        fetches = [fetch.submit(settings, ids, source) for source, ids in plan]
        counts["fetch"] = sum((f.result() for f in fetches), steps.FetchStats()).asdict()
        logger.info("fetch: %s", counts["fetch"])

        version = steps.processing_version(settings, use_model)
        runner = _extraction_runner(task_runner, dask_address)
        counts["extract"] = _run_extraction(settings, version, batch_size, use_model, runner)
        logger.info("extraction: %s", counts["extract"])
        if counts["extract"]["failed_batches"]:
            raise RuntimeError(
                f"{counts['extract']['failed_batches']} extraction batches failed; outputs were "
                "not replaced. Run again: finished batches are not redone."
            )

        triples = steps.all_triples(settings)
        reconciliation = reconcile(settings, triples, cited)
        previous = steps.load_baseline(settings)
        run_info = {
            **params,
            "run_id": run_id,
            "extractor_version": version,
            "documents": store.count_documents(),
            "triples": len(triples),
        }
        export(settings, out, triples, reconciliation, previous, run_info)
        steps.save_baseline(settings, triples)
        counts["triples"] = len(triples)
        counts["seconds"] = round(time.perf_counter() - started, 2)
        store.finish_run(run_id, "completed", counts)
        logger.info("wrote %d triples to %s in %.1fs", len(triples), out, counts["seconds"])
        return out
    except BaseException:
        counts["seconds"] = round(time.perf_counter() - started, 2)
        store.finish_run(run_id, "failed", counts)
        raise
