"""E-utilities client against a real local HTTP fake: paging, links, batching, faults, rate."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from fake_eutils import FakeEutils, fake_eutils_fixture, max_rate  # noqa: F401  (fixture)

from litmine.config import PROJECT_ROOT
from litmine.sources.eutils import (
    EARLIEST_DATE,
    Citation,
    EutilsClient,
    EutilsError,
    RateLimiter,
    RetryPolicy,
    date_window,
    shared_rate_limiter,
)
from litmine.sources.ingest import IngestStats, fetch_missing
from litmine.sources.pubmed_xml import RecordError
from litmine.sources.references import load_references, reference_query, resolve_references
from litmine.store import Store
from litmine.types import Document

KEY = "SECRET-API-KEY-123"
FAST = RetryPolicy(max_attempts=4, backoff_base=0.01, backoff_max=0.05, timeout=2.0)


def _client(
    fake: FakeEutils, *, key: str = "", retry: RetryPolicy = FAST, **kw: int
) -> EutilsClient:
    """A client with a private fast limiter: fault tests should not wait on NCBI's rate."""
    settings = fake.settings(ncbi_api_key=key)
    return EutilsClient(settings, retry=retry, limiter=RateLimiter(200), **kw)


def _split(items: list[Document | RecordError]) -> tuple[list[Document], list[RecordError]]:
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, RecordError)],
    )


def test_esearch_pages_through_the_history_server(fake_eutils: FakeEutils) -> None:
    hits = [str(30_000_000 + i) for i in range(9_050)]
    fake_eutils.searches["imatinib resistance"] = hits
    client = _client(fake_eutils, esearch_page_size=1000)
    assert client.esearch("imatinib resistance") == hits
    requests = fake_eutils.requests("esearch")
    assert len(requests) == 10
    assert requests[0].get("usehistory") == "y" and requests[0].get("retstart") == ""
    assert [int(r.get("retstart")) for r in requests[1:]] == list(range(1000, 9_001, 1000))
    assert all(r.get("WebEnv") and r.get("query_key") == "1" for r in requests[1:])
    assert requests[-1].get("retmax") == "50"

    assert client.esearch("imatinib resistance", max_results=2500) == hits[:2500]
    assert client.esearch("nothing matches") == []


def test_esearch_splits_a_search_past_pubmeds_reach_into_date_windows(
    fake_eutils: FakeEutils,
) -> None:
    """PubMed pages only through a search's first 9,999 records: more hits are fetched
    date window by date window, every one of them once."""
    hits = [str(30_000_000 + i) for i in range(25_000)]
    fake_eutils.searches["leukemia"] = hits
    start = date(2019, 1, 1)
    fake_eutils.dates.update(
        {
            pmid: (start + timedelta(days=i // 20)).strftime("%Y/%m/%d")
            for i, pmid in enumerate(hits)
        }
    )
    client = _client(fake_eutils)
    found = client.esearch("leukemia", mindate="2019", maxdate="2022/06")
    assert sorted(found) == hits and len(found) == len(set(found))
    requests = fake_eutils.requests("esearch")
    assert all(int(r.get("retstart") or 0) < 9_999 for r in requests)
    windows = [(r.get("mindate"), r.get("maxdate")) for r in requests[1:]]
    assert windows[0] == ("2019/01/01", "2022/06/30")  # the whole window, then its halves
    assert all(r.get("datetype") == "edat" for r in requests[1:])

    assert len(client.esearch("leukemia", mindate="2019", max_results=12_000)) == 12_000


def test_esearch_takes_what_it_can_of_one_day_past_the_reach(
    fake_eutils: FakeEutils, caplog: pytest.LogCaptureFixture
) -> None:
    hits = [str(30_000_000 + i) for i in range(10_500)]
    fake_eutils.searches["bulk"] = hits
    fake_eutils.dates.update(dict.fromkeys(hits, "2020/03/02"))
    with caplog.at_level(logging.WARNING):
        found = _client(fake_eutils).esearch("bulk", mindate="2020/03/01", maxdate="2020/03/03")
    assert found == hits[:9_999]
    assert "only the first 9999 are reachable" in caplog.text


@pytest.mark.parametrize(
    ("limits", "window"),
    [
        (("2019", "2020/02", None), (date(2019, 1, 1), date(2020, 2, 29))),
        ((None, "2001/12", None), (EARLIEST_DATE, date(2001, 12, 31))),
        (("2024/05/06", None, None), (date(2024, 5, 6), date(2026, 11, 27))),
        ((None, None, 14), (date(2026, 11, 13), date(2026, 11, 27))),
    ],
)
def test_date_window_reads_pubmed_date_limits(limits: tuple, window: tuple) -> None:
    assert date_window(*limits, today=date(2026, 11, 27)) == window


@pytest.mark.parametrize("bad", ["2020/13", "20x0", "2021/02/30", "2020/1/2/3", ""])
def test_a_bad_date_limit_says_what_a_pubmed_date_is(bad: str) -> None:
    with pytest.raises(ValueError, match=r"not a PubMed date \(YYYY, YYYY/MM or YYYY/MM/DD\)"):
        date_window(bad or " ", None, None)


def test_esearch_passes_date_limits(fake_eutils: FakeEutils) -> None:
    fake_eutils.searches["q"] = ["1", "2"]
    _client(fake_eutils).esearch("q", mindate="2020/01/01", maxdate="2024/12/31")
    [request] = fake_eutils.requests("esearch")
    assert (request.get("datetype"), request.get("mindate"), request.get("maxdate")) == (
        "edat",
        "2020/01/01",
        "2024/12/31",
    )


def test_esearch_refuses_a_malformed_date_before_any_request(fake_eutils: FakeEutils) -> None:
    # a deployment's parameters bypass the CLI's check: a small search must fail too, not
    # only one large enough to be split by date
    fake_eutils.searches["q"] = ["1", "2"]
    with pytest.raises(ValueError, match="not a PubMed date"):
        _client(fake_eutils).esearch("q", mindate="2020/13")
    assert fake_eutils.requests("esearch") == []


def test_neighbours_citedin_and_refs(fake_eutils: FakeEutils) -> None:
    fake_eutils.neighbors["100"] = [("5", 10), ("6", 90), ("7", 50)]
    fake_eutils.neighbors["200"] = [("8", 1)]
    fake_eutils.citedin["100"] = ["11", "12"]
    fake_eutils.refs["200"] = ["21"]
    client = _client(fake_eutils)
    assert client.elink_neighbors(["100", "200", "300"], top_n=2) == {
        "100": [("6", 90), ("7", 50)],
        "200": [("8", 1)],
        "300": [],
    }
    [request] = fake_eutils.requests("elink")
    assert request.method == "POST" and request.params["id"] == ["100", "200", "300"]
    assert request.get("cmd") == "neighbor_score" and request.get("linkname") == "pubmed_pubmed"
    assert client.elink_citedin(["100", "200"]) == {"100": ["11", "12"], "200": []}
    assert client.elink_refs(["200"]) == {"200": ["21"]}


def test_reference_resolution(fake_eutils: FakeEutils) -> None:
    refs = load_references(PROJECT_ROOT / "corpus" / "references.csv")
    assert len(refs) >= 3
    first, second, third = refs[:3]
    fake_eutils.citations[(first.journal.lower(), first.year, first.volume, first.first_page)] = (
        "16633365"
    )
    fake_eutils.searches[reference_query(second)] = ["18418375"]
    fake_eutils.searches[reference_query(third, with_author_year=False)] = ["1", "2"]
    resolutions = resolve_references(_client(fake_eutils), refs)
    assert [r.reference for r in resolutions] == refs
    by_ref = {r.reference.ref: r for r in resolutions}
    assert (by_ref[first.ref].pmid, by_ref[first.ref].method) == ("16633365", "ecitmatch")
    assert (by_ref[second.ref].pmid, by_ref[second.ref].method) == ("18418375", "esearch")
    assert by_ref[third.ref].pmid is None and "2 hits" in by_ref[third.ref].reason
    unresolved = [r for r in resolutions if r.pmid is None]
    assert all(r.reason for r in unresolved)
    [ecit] = fake_eutils.requests("ecitmatch")
    assert ecit.get("bdata").count("\r") == len(refs) - 1


def test_ecitmatch_not_found_is_none(fake_eutils: FakeEutils) -> None:
    result = _client(fake_eutils).ecitmatch([Citation("a", "Blood", "1999", "1", "1", "Doe J")])
    assert result == {"a": None}


def test_efetch_posts_at_most_200_ids_and_returns_each_document_once(
    fake_eutils: FakeEutils,
) -> None:
    pmids = sorted(fake_eutils.articles)
    docs, errors = _split(list(_client(fake_eutils).efetch_documents(pmids, batch_size=1000)))
    assert errors == []
    assert sorted(d.doc_id for d in docs) == pmids
    requests = fake_eutils.requests("efetch")
    assert len(requests) == -(-len(pmids) // 200)
    assert all(r.method == "POST" for r in requests)
    assert all(len(r.get("id").split(",")) <= 200 for r in requests)


def test_tool_email_on_every_request_and_api_key_never_leaks(
    fake_eutils: FakeEutils, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_eutils.searches["q"] = ["1"]
    client = _client(fake_eutils, key=KEY, retry=RetryPolicy(max_attempts=2, backoff_base=0.01))
    client.esearch("q")
    client.elink_neighbors(["1"])
    fake_eutils.fail("efetch", "503", times=2)
    with pytest.raises(EutilsError) as raised:
        list(client._call("efetch.fcgi", {"db": "pubmed", "id": "1"}, "PMID 1", bytes))
    assert "PMID 1" in str(raised.value) and "after 2 attempts" in str(raised.value)
    assert KEY not in str(raised.value)
    assert KEY not in caplog.text and "503" in caplog.text
    assert fake_eutils.requests()
    for request in fake_eutils.requests():
        assert request.get("tool") == "litmine"
        assert request.get("email") == "dev@example.org"
        assert request.get("api_key") == KEY


def test_retries_through_429_and_503_honouring_retry_after(fake_eutils: FakeEutils) -> None:
    pmids = sorted(fake_eutils.articles)[:50]
    fake_eutils.fail("efetch", "429", times=2, retry_after="0.3")
    fake_eutils.fail("efetch", "503", times=1, retry_after="0")
    docs, errors = _split(list(_client(fake_eutils).efetch_documents(pmids)))
    assert errors == [] and len(docs) == 50
    times = [r.at for r in fake_eutils.requests("efetch")]
    assert len(times) == 4
    assert times[1] - times[0] >= 0.3 and times[2] - times[1] >= 0.3


def test_truncated_body_and_html_error_page_are_retried(fake_eutils: FakeEutils) -> None:
    pmids = sorted(fake_eutils.articles)[:30]
    fake_eutils.fail("efetch", "truncated")
    fake_eutils.fail("efetch", "html")
    docs, errors = _split(list(_client(fake_eutils).efetch_documents(pmids)))
    assert errors == [] and sorted(d.doc_id for d in docs) == pmids
    assert len(fake_eutils.requests("efetch")) == 3


def test_timeout_is_retried(fake_eutils: FakeEutils) -> None:
    fake_eutils.searches["slow"] = ["7"]
    fake_eutils.slow_seconds = 1.0
    fake_eutils.fail("esearch", "slow")
    retry = RetryPolicy(max_attempts=3, backoff_base=0.01, timeout=0.3)
    started = time.monotonic()
    assert _client(fake_eutils, retry=retry).esearch("slow") == ["7"]
    assert 0.3 <= time.monotonic() - started < 1.0
    assert len(fake_eutils.requests("esearch")) == 2


def test_malformed_record_is_reported_and_the_rest_kept(fake_eutils: FakeEutils) -> None:
    pmids = sorted(fake_eutils.articles)[:20]
    fake_eutils.malformed.add(pmids[3])
    docs, errors = _split(list(_client(fake_eutils).efetch_documents(pmids)))
    assert sorted(d.doc_id for d in docs) == sorted(set(pmids) - {pmids[3]})
    assert any(e.message == "missing PMID" for e in errors)
    assert any(e.record == f"PMID {pmids[3]}" for e in errors)


def test_a_failed_batch_does_not_lose_the_others(fake_eutils: FakeEutils) -> None:
    pmids = sorted(fake_eutils.articles)[:30]
    fake_eutils.fail("efetch", "503", times=FAST.max_attempts)
    docs, errors = _split(list(_client(fake_eutils).efetch_documents(pmids, batch_size=10)))
    assert sorted(d.doc_id for d in docs) == pmids[10:]
    [error] = errors
    assert error.source == "efetch batch 1" and "after 4 attempts" in error.message


def test_client_error_is_not_retried(fake_eutils: FakeEutils) -> None:
    with pytest.raises(EutilsError, match="HTTP 404"):
        _client(fake_eutils)._call("nosuch.fcgi", {}, "nothing", bytes)
    assert len(fake_eutils.requests("nosuch")) == 1


def test_default_limiter_is_shared_and_follows_the_key(fake_eutils: FakeEutils) -> None:
    plain = EutilsClient(fake_eutils.settings())
    assert plain.limiter is EutilsClient(fake_eutils.settings()).limiter
    assert plain.limiter is shared_rate_limiter(3.0)
    assert EutilsClient(fake_eutils.settings(ncbi_api_key=KEY)).limiter.rate == 10.0


@pytest.mark.parametrize(("key", "rate", "per_thread"), [("", 3, 2), (KEY, 10, 6)])
def test_rate_limit_holds_across_threads(
    fake_eutils: FakeEutils, key: str, rate: int, per_thread: int
) -> None:
    fake_eutils.searches["q"] = ["1"]

    def work() -> None:
        client = EutilsClient(fake_eutils.settings(ncbi_api_key=key), retry=FAST)
        for _ in range(per_thread):
            client.esearch("q")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = [r.at for r in fake_eutils.requests("esearch")]
    assert len(times) == 4 * per_thread
    assert max_rate(times) <= rate
    # and the limiter does not throttle far below the allowance
    assert (max(times) - min(times)) < (len(times) / rate) * 1.3


def test_full_fetch_into_store_twice(fake_eutils: FakeEutils, tmp_path: Path) -> None:
    """Everything at once: faults everywhere, yet every document lands exactly once."""
    pmids = sorted(fake_eutils.articles)
    fake_eutils.searches["leukemia resistance"] = pmids[:400]
    fake_eutils.neighbors[pmids[0]] = [(p, 100 - i) for i, p in enumerate(pmids[400:])]
    fake_eutils.malformed.add(pmids[10])
    fake_eutils.fail("esearch", "503", retry_after="0")
    fake_eutils.fail("efetch", "429", times=2, retry_after="0")
    fake_eutils.fail("efetch", "truncated")
    fake_eutils.fail("elink", "html")
    store = Store(f"sqlite:///{tmp_path}/store.sqlite")
    client = _client(fake_eutils)

    def run() -> IngestStats:
        found = client.esearch("leukemia resistance")
        neighbours = client.elink_neighbors(found[:1], top_n=1000)
        fetched = fetch_missing(client, store, found, source="query")
        more = fetch_missing(
            client, store, [p for p, _ in neighbours[found[0]]], source="neighbour"
        )
        return IngestStats(
            documents=fetched.documents + more.documents,
            saved=fetched.saved + more.saved,
            bad_records=fetched.bad_records + more.bad_records,
        )

    first = run()
    assert first.documents == first.saved.inserted == len(pmids) - 1
    assert first.bad_records == 2  # the record without PMID, and its PMID not returned
    stored = [d.doc_id for d in store.documents()]
    assert sorted(stored) == sorted(set(pmids) - {pmids[10]})
    assert len(list(store.documents(source="neighbour"))) == len(pmids) - 400
    efetches = len(fake_eutils.requests("efetch"))
    second = run()
    assert (second.documents, second.saved.inserted) == (0, 0)
    assert len(fake_eutils.requests("efetch")) == efetches + 1  # only the malformed one again
    assert store.count_documents() == len(pmids) - 1
