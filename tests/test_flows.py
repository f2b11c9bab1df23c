"""The pipeline flow against a fake PubMed: complete runs, interrupted runs, incremental runs.

The step functions are tested without Prefect; the flow runs use Prefect's test harness (a
temporary server started once per session, about 15 s) and lexicon-and-rules NER to stay
quick. The slow CLI test runs with no server at all, as a user's first ``litmine run`` does.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flow_support import (  # noqa: F401 (fixtures)
    QUERY,
    FlowWorld,
    prefect_server_fixture,
    run_args,
    world_fixture,
)

from litmine import orchestration as steps
from litmine.config import Settings
from litmine.sources.pubmed_xml import iter_pubmed_xml
from litmine.store import Store
from litmine.types import CONTRACT_TRIPLE_COLUMNS, Document, Triple

# Files about the run rather than the data: the changelog (a first run's lists everything),
# the summary and the report (timestamps, "since the previous run").
RUN_DESCRIPTIONS = {"changelog.csv", "changelog.parquet", "summary.txt", "report.html"}


def _triples_csv(out: Path) -> list[dict[str, str]]:
    """Exported triples; the extractor version is left out, as it follows models/ and other
    work may rebuild those while the tests run."""
    with (out / "triples.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        del row["extractor_version"]
    return rows


def _data_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name not in RUN_DESCRIPTIONS}


def _store(settings: Settings) -> Store:
    return steps.store_for(settings.effective_store_url)


def _spare_papers(world: FlowWorld, settings: Settings) -> tuple[list[str], list[str]]:
    """Recorded papers no query returns yet, split by whether they yield triples."""
    body = b"<PubmedArticleSet>" + b"".join(world.fake.articles[p] for p in world.spare)
    parsed = iter_pubmed_xml(io.BytesIO(body + b"</PubmedArticleSet>"), source_name="spare")
    documents = [d for d in parsed if isinstance(d, Document)]
    result = steps.extract_batch(settings, documents, "test", use_model=False)
    with_triples = sorted(p for p, triples in result.triples.items() if triples)
    return with_triples, sorted(p for p, triples in result.triples.items() if not triples)


class ExtractSpy:
    """Counts the documents that really went through NLP (cache hits never get here)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_on: str | None = None) -> None:
        self.documents: list[str] = []
        self.fail_on = fail_on
        self._real = steps.extract_batch
        monkeypatch.setattr(steps, "extract_batch", self)

    def __call__(self, settings, documents, version, use_model):  # noqa: ANN001, ANN204
        ids = [d.doc_id for d in documents]
        if self.fail_on in ids:
            raise RuntimeError(f"injected failure in the batch holding {self.fail_on}")
        self.documents += ids
        return self._real(settings, documents, version, use_model)


# ------------------------------------------------------------------ steps, without Prefect


def test_default_queries_cross_subtypes_with_resistance_terms() -> None:
    queries = steps.default_queries()
    assert len(queries) == len(steps.LEUKEMIA_SUBTYPES) * len(steps.RESISTANCE_TERMS)
    assert len(set(queries)) == len(queries)
    for subtype in steps.LEUKEMIA_SUBTYPES:
        assert sum(f'"{subtype}"' in q for q in queries) == len(steps.RESISTANCE_TERMS)


def test_fetch_plan_keeps_each_pmid_once_under_its_best_source_and_skips_stored(
    tmp_path: Path,
) -> None:
    settings = Settings(work_dir=tmp_path)
    _store(settings).upsert_documents([Document("5", "stored already")], source="query")
    found = {"query": ["1", "2", "5", "6"], "reference": ["2", "3"], "neighbour": ["3", "4", "1"]}
    plan = steps.fetch_plan(found, settings, batch_size=2)
    assert plan == [("reference", ["2", "3"]), ("neighbour", ["4", "1"]), ("query", ["6"])]


def test_batch_cache_key_follows_store_version_and_content_only() -> None:
    docs = [Document("1", "FLT3-ITD confers resistance to sorafenib."), Document("2", "x")]
    key = steps.batch_cache_key("sqlite://", "v1", docs)
    same = [Document("1", docs[0].text, meta={"fetched": "later"}), Document("2", "x")]
    assert steps.batch_cache_key("sqlite://", "v1", same) == key
    assert steps.batch_cache_key("sqlite://", "v2", docs) != key
    assert steps.batch_cache_key("sqlite://", "v1", [docs[0], Document("2", "changed")]) != key
    assert steps.batch_cache_key("sqlite://", "v1", docs[:1]) != key
    assert steps.batch_cache_key("sqlite:///other.db", "v1", docs) != key


def test_prefect_environment_is_quiet_local_and_respects_what_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "PREFECT_HOME",
        "PREFECT_SERVER_ANALYTICS_ENABLED",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY",
    ):
        monkeypatch.delenv(name, raising=False)  # an earlier run in this process set them
    monkeypatch.setenv("DO_NOT_TRACK", "0")
    env = steps.prefect_environment(Settings(work_dir=tmp_path))
    assert env["PREFECT_HOME"] == str((tmp_path / "prefect").resolve())
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert env["PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY"] == "false"
    assert "DO_NOT_TRACK" not in env  # the user's own choice stands


def test_baseline_round_trips_triples_exactly(tmp_path: Path) -> None:
    settings = Settings(work_dir=tmp_path)
    assert steps.load_baseline(settings) is None
    triples = [
        Triple("1", "FLT3", "HGNC:3765", "ITD", "sorafenib", "resistance", False, "aml", "",
               0.8, "FLT3-ITD confers resistance to sorafenib.", year=2020),
        Triple("2", "", "", "", "azacitidine", "sensitivity", True, "", "m", 0.5, "s", year=None),
    ]  # fmt: skip
    steps.save_baseline(settings, triples)
    assert steps.load_baseline(settings) == triples


def test_extract_and_the_orchestration_bridge_do_not_import_prefect() -> None:
    code = (
        "import sys, litmine.cli, litmine.orchestration, litmine.pipeline, litmine.store\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('prefect', 'flows')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# ------------------------------------------------------------------ flow runs


@pytest.mark.usefixtures("prefect_server")
def test_run_fetches_extracts_and_exports_despite_faults_and_a_bad_record(
    world: FlowWorld, tmp_path: Path
) -> None:
    world.fake.fail("esearch", "429", retry_after="1")
    world.fake.fail("efetch", "503", times=2)
    settings = world.settings(tmp_path / "work")
    out = steps.run_pipeline_flow(settings, run_args(tmp_path / "out", world))

    rows = _triples_csv(out)
    assert rows, "no triples exported"
    assert set(CONTRACT_TRIPLE_COLUMNS) <= set(rows[0])
    stored = {d.doc_id: d.source for d in _store(settings).documents()}
    expected = set(world.topic) - {world.malformed}
    assert expected | set(world.references.values()) | set(world.neighbours) == set(stored)
    assert {r["doc_id"] for r in rows} <= set(stored)  # doc_id is the PMID
    assert all(r["doc_id"].isdigit() for r in rows)
    assert {stored[p] for p in world.references.values()} == {"reference"}
    assert {stored[p] for p in world.neighbours} == {"neighbour"}
    run = _store(settings).last_run()
    assert run is not None and run.status == "completed"
    assert run.counts["extract"]["processed"] == len(stored)
    assert run.counts["fetch"]["record_errors"] >= 1  # the malformed record, reported
    assert len(world.fake.requests("efetch")) >= 3 + 2  # 3 batches (2 small) + 2 retried 503s
    assert all(r.get("email") == "dev@example.org" for r in world.fake.requests())


@pytest.mark.usefixtures("prefect_server")
def test_second_run_on_unchanged_data_does_no_nlp_and_exports_the_same(
    world: FlowWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = world.settings(tmp_path / "work")
    with_triples, without = _spare_papers(world, settings)
    next_weeks_papers = with_triples[:5] + without[:1]
    first = steps.run_pipeline_flow(settings, run_args(tmp_path / "out1", world))
    before = _data_files(first)
    efetches = len(world.fake.requests("efetch"))

    spy = ExtractSpy(monkeypatch)
    second = steps.run_pipeline_flow(settings, run_args(tmp_path / "out2", world))
    assert spy.documents == []
    again = world.fake.requests("efetch")[efetches:]
    # Only the malformed record, never stored, is asked for again.
    assert [r.get("id") for r in again] == [world.malformed]
    run = _store(settings).last_run()
    assert run is not None and run.status == "completed"
    assert run.counts["extract"] == {
        "batches": 0, "processed": 0, "new_triples": 0, "failed_batches": 0,
    }  # fmt: skip
    assert _data_files(second) == before
    assert "0 triples added, 0 removed" in (second / "summary.txt").read_text()
    assert list(csv.DictReader((second / "changelog.csv").open(encoding="utf-8"))) == []

    # Next week: new papers match the query (five with triples, one without); only they are
    # analysed, and the changelog lists their triples.
    new = next_weeks_papers
    world.fake.searches[QUERY] = world.topic + new
    third = steps.run_pipeline_flow(
        settings, run_args(tmp_path / "out3", world, "--max-results", "406")
    )
    assert sorted(spy.documents) == sorted(new)
    changes = list(csv.DictReader((third / "changelog.csv").open(encoding="utf-8")))
    assert changes, "the new papers' triples are not in the changelog"
    assert {c["change"] for c in changes} == {"added"}
    assert {c["doc_id"] for c in changes} == {
        r["doc_id"] for r in _triples_csv(third) if r["doc_id"] in new
    }


@pytest.mark.usefixtures("prefect_server")
def test_interrupted_run_resumes_without_redoing_or_duplicating_work(
    world: FlowWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = steps.run_pipeline_flow(
        world.settings(tmp_path / "clean"), run_args(tmp_path / "clean-out", world)
    )
    settings = world.settings(tmp_path / "work")
    out = tmp_path / "out"
    victim = world.topic[250]  # in the third of four extraction batches
    spy = ExtractSpy(monkeypatch, fail_on=victim)
    with pytest.raises(Exception, match="extraction batches failed"):
        steps.run_pipeline_flow(settings, run_args(out, world))
    assert not out.exists(), "a failed run must not publish outputs"
    run = _store(settings).last_run()
    assert run is not None and run.status == "failed"
    assert run.counts["extract"]["failed_batches"] == 1
    done_first = set(spy.documents)

    spy.fail_on = None
    spy.documents = []
    steps.run_pipeline_flow(settings, run_args(out, world))
    assert victim in spy.documents
    assert not set(spy.documents) & done_first, "finished batches were analysed again"
    assert len(spy.documents) <= 100
    assert _triples_csv(out) == _triples_csv(reference)


def test_batch_cache_pruning_deletes_only_expired_litmine_results(tmp_path: Path) -> None:
    old, fresh = (tmp_path / f"{steps.BATCH_CACHE_PREFIX}{n}" for n in ("a", "b"))
    other = tmp_path / "some-other-task-result"
    for path in (old, fresh, other):
        path.write_bytes(b"{}")
    month_ago = time.time() - 31 * 86_400
    os.utime(old, (month_ago, month_ago))
    os.utime(other, (month_ago, month_ago))
    assert steps.prune_batch_cache(tmp_path, timedelta(days=30)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, other.name])
    steps.forget_batch(tmp_path, fresh.name)
    steps.forget_batch(tmp_path, "never-cached")
    assert [p.name for p in tmp_path.iterdir()] == [other.name]


@pytest.mark.usefixtures("prefect_server")
def test_batches_computed_but_not_saved_come_from_the_cache(
    world: FlowWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = world.settings(tmp_path / "work")
    real_save = steps.save_batch

    def save_fails_once(settings_, batch):  # noqa: ANN001, ANN202
        if world.topic[0] in batch.triples:
            raise OSError("disk full")  # the run dies after NLP, before the save
        return real_save(settings_, batch)

    monkeypatch.setattr(steps, "save_batch", save_fails_once)
    with pytest.raises(Exception, match="disk full"):
        steps.run_pipeline_flow(settings, run_args(tmp_path / "out", world))
    monkeypatch.setattr(steps, "save_batch", real_save)
    cached = list(steps.result_storage().glob(f"{steps.BATCH_CACHE_PREFIX}*"))
    assert cached, "the batch computed but not saved left no cached result"
    version = steps.processing_version(settings, False)
    first_batch = [d.doc_id for d in _store(settings).documents_to_process(version)][:100]
    assert world.topic[0] in first_batch

    spy = ExtractSpy(monkeypatch)
    out = steps.run_pipeline_flow(settings, run_args(tmp_path / "out", world))
    assert spy.documents, "nothing was left to analyse: the test lost its point"
    assert not set(spy.documents) & set(first_batch), "the cached batch was analysed again"
    assert not list(_store(settings).documents_to_process(version))
    assert {r["doc_id"] for r in _triples_csv(out)} & set(first_batch)
    # saved batches need no cached result: the cache does not grow run after run
    assert not list(steps.result_storage().glob(f"{steps.BATCH_CACHE_PREFIX}*"))


@pytest.mark.slow
def test_litmine_run_command_with_the_model_and_no_prefect_server(
    world: FlowWorld, tmp_path: Path
) -> None:
    world.fake.fail("efetch", "503")
    env = {
        **{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
        "LITMINE_EUTILS_URL": world.fake.url,
        "LITMINE_HOME": str(tmp_path / "work"),
        "NCBI_EMAIL": "dev@example.org",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "litmine.cli", "run", "--query", QUERY, "--max-results", "400",
         "--neighbours", "0", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = _triples_csv(out)
    assert rows and set(CONTRACT_TRIPLE_COLUMNS) <= set(rows[0])
    assert {r["doc_id"] for r in rows} <= set(world.topic) - {world.malformed}
    assert (tmp_path / "prefect").is_dir(), "Prefect wrote outside the given PREFECT_HOME"
    assert not (tmp_path / "work" / "prefect").exists()


@pytest.mark.slow
def test_litmine_run_killed_with_sigkill_then_rerun_matches_an_uninterrupted_run(
    world: FlowWorld, tmp_path: Path
) -> None:
    """kill -9 in the middle of a run, run again: no duplicates, no loss, the same exports."""
    import signal
    import sqlite3
    import time

    def command(home: Path, out: Path) -> tuple[list[str], dict[str, str]]:
        env = {
            **{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
            "LITMINE_EUTILS_URL": world.fake.url,
            "LITMINE_HOME": str(home),
            "NCBI_EMAIL": "dev@example.org",
            "PREFECT_HOME": str(home / "prefect"),
        }
        argv = [
            sys.executable,
            "-m",
            "litmine.cli",
            "run",
            "--query",
            QUERY,
            "--max-results",
            "400",
            "--neighbours",
            "0",
            "--batch-size",
            "20",
            "--out",
            str(out),
        ]
        return argv, env

    argv, env = command(tmp_path / "reference", tmp_path / "reference-out")
    assert subprocess.run(argv, env=env, capture_output=True, timeout=1800).returncode == 0

    home, out = tmp_path / "killed", tmp_path / "out"
    argv, env = command(home, out)
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    store = home / "litmine.sqlite"
    deadline = time.monotonic() + 600
    processed = 0
    while time.monotonic() < deadline and process.poll() is None:
        if store.exists():
            with contextlib.suppress(sqlite3.Error), sqlite3.connect(store) as db:
                processed = db.execute(
                    "select count(*) from documents where processed_version is not null"
                ).fetchone()[0]
        if processed:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)  # the run and its temporary Prefect server
    process.wait()
    assert not (out / "triples.csv").exists()

    assert subprocess.run(argv, env=env, capture_output=True, timeout=1800).returncode == 0
    killed_then_rerun = _triples_csv(out)
    reference = _triples_csv(tmp_path / "reference-out")
    key = list(CONTRACT_TRIPLE_COLUMNS)
    rows = [tuple(r[c] for c in key) for r in killed_then_rerun]
    assert len(rows) == len(set(rows)), "duplicate triples after the re-run"
    assert sorted(rows) == sorted(tuple(r[c] for c in key) for r in reference)
