"""The document store: idempotent upserts, reprocessing rules, atomic results, runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from litmine.store import Store
from litmine.types import Document, Mention, Triple, UpsertStats


def _doc(doc_id: str, text: str = "Imatinib resistance.", **meta: object) -> Document:
    return Document(doc_id, text, title=text.split(".")[0], year=2020, source="medline", meta=meta)


def _triple(doc_id: str, drug: str = "imatinib") -> Triple:
    return Triple(
        doc_id=doc_id,
        gene="ABL1",
        gene_id="25",
        variant="T315I",
        drug=drug,
        relation="resistance",
        negated=False,
        disease="CML",
        mechanism="on-target mutation",
        confidence=0.9,
        sentence="T315I confers resistance to imatinib.",
        inferred_from_class=True,
        year=None,
        extractor_version="v1",
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'db' / 'litmine.sqlite'}")


def test_upsert_is_idempotent_and_hash_decides_changed(store: Store) -> None:
    docs = [_doc(str(i), journal="J") for i in range(1, 1201)]
    assert store.upsert_documents(docs, source="query") == UpsertStats(inserted=1200)
    assert store.upsert_documents(docs, source="query") == UpsertStats(unchanged=1200)
    changed = [_doc("5", "New text."), _doc("6", journal="other journal only")]
    assert store.upsert_documents(changed, source="neighbour") == UpsertStats(
        updated=1, unchanged=1
    )
    assert store.count_documents() == 1200
    doc = store.get_document("5")
    assert doc is not None and doc.text == "New text." and doc.source == "query"
    assert store.known_ids(["1", "5", "99999", "1"]) == {"1", "5"}
    assert [d.doc_id for d in store.documents()][:3] == ["1", "10", "100"]
    with pytest.raises(ValueError):
        store.upsert_documents(docs[:1], source="bogus")


def test_documents_to_process_follows_version_and_content(store: Store) -> None:
    store.upsert_documents([_doc("1"), _doc("2"), _doc("3")], source="reference")
    assert [d.doc_id for d in store.documents_to_process("v1")] == ["1", "2", "3"]
    for doc in store.documents_to_process("v1", limit=2):
        store.save_results(doc.doc_id, [_triple(doc.doc_id)], "v1")
    assert [d.doc_id for d in store.documents_to_process("v1")] == ["3"]
    store.save_results("3", [], "v1")
    assert list(store.documents_to_process("v1")) == []
    store.upsert_documents([_doc("2", "Changed abstract.")], source="query")
    assert [d.doc_id for d in store.documents_to_process("v1")] == ["2"]
    assert len(list(store.documents_to_process("v2"))) == 3


def test_save_results_replaces_triples_and_round_trips_fields(store: Store) -> None:
    store.upsert_documents([_doc("1"), _doc("2")], source="query")
    store.save_results("1", [_triple("1"), _triple("1", "dasatinib")], "v1")
    store.save_results("2", [_triple("2")], "v1")
    store.save_results("1", [_triple("1", "nilotinib")], "v1")
    triples = list(store.triples())
    assert sorted((t.doc_id, t.drug) for t in triples) == [("1", "nilotinib"), ("2", "imatinib")]
    assert triples[0] == _triple("2") or triples[1] == _triple("2")
    assert list(store.triples(doc_id="1")) == [_triple("1", "nilotinib")]


def test_save_results_is_atomic(store: Store) -> None:
    store.upsert_documents([_doc("1")], source="query")
    store.save_results("1", [_triple("1")], "v1")
    with pytest.raises(ValueError):
        store.save_results("1", [_triple("1", "ponatinib"), _triple("other")], "v2")
    assert [t.drug for t in store.triples()] == ["imatinib"]
    assert list(store.documents_to_process("v1")) == []
    with pytest.raises(KeyError):
        store.save_results("missing", [], "v1")


def test_mentions_are_optional_and_replaced(store: Store) -> None:
    store.upsert_documents([_doc("1")], source="file")
    mention = Mention("1", 0, 8, "Imatinib", "CHEMICAL", "imatinib", "CHEBI:45783", "lexicon")
    store.save_results("1", [], "v1", mentions=[mention])
    assert store.mentions("1") == [mention]
    store.save_results("1", [], "v1")  # mentions not given: left alone
    assert store.mentions("1") == [mention]
    store.save_results("1", [], "v1", mentions=[])
    assert store.mentions("1") == []


def test_runs(store: Store) -> None:
    assert store.last_run() is None
    first = store.start_run({"queries": ["imatinib resistance"]})
    store.finish_run(first, "succeeded", {"documents": 3})
    second = store.start_run({"queries": []})
    assert store.last_run().id == second  # type: ignore[union-attr]
    done = store.last_run(status="succeeded")
    assert done is not None and done.id == first and done.counts == {"documents": 3}
    assert done.finished is not None and done.finished >= done.started
    assert done.params == {"queries": ["imatinib resistance"]}


def test_concurrent_writers_do_not_duplicate(store: Store) -> None:
    docs = [_doc(str(i)) for i in range(1200)]
    failures: list[BaseException] = []
    stats: list[UpsertStats] = []

    def work() -> None:
        try:
            stats.append(store.upsert_documents(docs, source="query"))
            for doc in store.documents_to_process("v1", limit=50):
                store.save_results(doc.doc_id, [_triple(doc.doc_id)], "v1")
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assert below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert store.count_documents() == 1200
    assert sum(s.inserted for s in stats) == 1200
    assert len({t.doc_id for t in store.triples()}) == len(list(store.triples()))


def test_in_memory_sqlite_works() -> None:
    with Store("sqlite://") as store:
        store.upsert_documents([_doc("1")], source="file")
        assert store.known_ids(["1"]) == {"1"}


def test_kill_9_mid_run_then_rerun_has_no_duplicates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    script = textwrap.dedent(
        f"""
        import os, signal
        from litmine.store import Store
        from litmine.types import Document
        store = Store({url!r})
        docs = [Document(str(i), f"text {{i}}") for i in range(2000)]
        store.upsert_documents(docs[:1000], source="ingest")
        def gen():
            for i, d in enumerate(docs):
                if i == 1700:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield d
        store.upsert_documents(gen(), source="ingest")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert proc.returncode == -9
    store = Store(url)
    assert store.count_documents() == 1500  # three committed batches of 500
    docs = [Document(str(i), f"text {i}") for i in range(2000)]
    stats = store.upsert_documents(docs, source="ingest")
    assert stats == UpsertStats(inserted=500, unchanged=1500)
    assert store.count_documents() == 2000
