"""NCBI E-utilities client: Biopython ``Bio.Entrez`` behind one base URL and one rate limiter.

Why not call ``Entrez.esearch()`` & co. directly? Each of those hard-codes
``https://eutils.ncbi.nlm.nih.gov/entrez/eutils/<util>`` and sends through ``Entrez._open``,
whose rate limiter is an unlocked function attribute (not thread-safe), which retries with a
fixed 15 s sleep, ignores ``Retry-After``, has no timeout and never checks the body. So this
module keeps Biopython for what it does well, building requests
(``Entrez._build_request``: parameter encoding, id joining, POST choice, ECitMatch's ``|``
handling) and parsing E-utility XML (``Entrez.read``), and owns the transport in ONE place,
``EutilsClient._call``: the URL comes from ``Settings.eutils_url`` (env ``LITMINE_EUTILS_URL``,
so tests point it at a local fake server), every attempt passes the process-wide
``RateLimiter`` for that rate, and retries use exponential backoff with jitter.

The NCBI API key is sent but never logged: every message built here goes through ``_scrub``.
"""

from __future__ import annotations

import http.client
import io
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from Bio import Entrez

from litmine.config import Settings
from litmine.sources.pubmed_xml import RecordError, iter_pubmed_xml
from litmine.types import Document

log = logging.getLogger(__name__)

T = TypeVar("T")

RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0
EFETCH_MAX_BATCH = 200
ESEARCH_PAGE = 9_999
ESEARCH_LIMIT = 9_999  # PubMed ESearch returns only the first 9,999 records of a search
# the date a search window opens when none is given: older than any PubMed record
EARLIEST_DATE = date(1700, 1, 1)
ELINK_BATCH = 100
ECITMATCH_BATCH = 50
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_API_KEY_RE = re.compile(r"(api_key=)[^&\s'\"]+")


class EutilsError(RuntimeError):
    """An E-utilities request that still failed after every retry (or cannot succeed)."""


class _Retryable(Exception):
    """A failure worth another attempt; ``retry_after`` is the server's wish in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, backoff (base * 2**n with jitter, capped) and timeout."""

    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    timeout: float = 60.0
    max_retry_after: float = 120.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based)."""
        backoff = min(self.backoff_max, self.backoff_base * 2**attempt)
        backoff *= 0.5 + random.random() / 2  # jitter so parallel workers do not align
        if retry_after is not None:
            return max(backoff, min(retry_after, self.max_retry_after))
        return backoff


class RateLimiter:
    """Thread-safe minimum-interval limiter: callers reserve the next free slot and sleep.

    Slots are reserved under a lock but slept outside it, so many threads queue fairly. The
    interval is padded by 5 % so that no 1-second window ever holds more than ``rate`` starts.
    """

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = 1.05 / rate
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)

    def defer(self, seconds: float) -> None:
        """Push every caller back (server said Retry-After / 429): nobody starts before then."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)


_LIMITERS: dict[float, RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def shared_rate_limiter(rate: float) -> RateLimiter:
    """The one limiter for this process at ``rate``; every client and thread shares it."""
    with _LIMITERS_LOCK:
        if rate not in _LIMITERS:
            _LIMITERS[rate] = RateLimiter(rate)
        return _LIMITERS[rate]


@dataclass(frozen=True)
class Citation:
    """One ECitMatch query; ``key`` is the caller's label echoed back by NCBI."""

    key: str
    journal_title: str = ""
    year: str = ""
    volume: str = ""
    first_page: str = ""
    author_name: str = ""


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))  # delta-seconds (NCBI sends integers)
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def date_window(
    mindate: str | None, maxdate: str | None, reldate: int | None, today: date | None = None
) -> tuple[date, date]:
    """The first and last day of a search's date limits (PubMed's YYYY, YYYY/MM or
    YYYY/MM/DD; ``reldate`` days back from today), open ends closed at the oldest record and
    today."""
    today = today or date.today()
    if reldate is not None and not (mindate or maxdate):
        return today - timedelta(days=reldate), today
    low = _parse_pubmed_date(mindate, last=False) if mindate else EARLIEST_DATE
    high = _parse_pubmed_date(maxdate, last=True) if maxdate else today
    return low, high


def _parse_pubmed_date(text: str, *, last: bool) -> date:
    """The first (or ``last``) day a PubMed date limit covers."""
    try:
        parts = [int(p) for p in re.split(r"[/.-]", text.strip())]
        if not 1 <= len(parts) <= 3:
            raise ValueError(text)
        year, month, day = (*parts, *([None] * (3 - len(parts))))
        if month is None:
            month = 12 if last else 1
        if day is None:
            following = date(year + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1) if last else date(year, month, 1)
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"not a PubMed date (YYYY, YYYY/MM or YYYY/MM/DD): {text!r}") from None


def _pubmed_date(day: date) -> str:
    return f"{day.year:04d}/{day.month:02d}/{day.day:02d}"


def _unique(ids: Iterable[str | int]) -> list[str]:
    """Ids as strings, blanks dropped, first occurrence order kept."""
    return list(dict.fromkeys(s for s in (str(i).strip() for i in ids) if s))


class EutilsClient:
    """E-utilities for PubMed: search, links, citation matching and abstract fetching."""

    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        esearch_page_size: int = ESEARCH_PAGE,
    ) -> None:
        self.base_url = settings.eutils_url.rstrip("/") + "/"
        self.tool = settings.ncbi_tool
        self.email = settings.ncbi_email
        self._api_key = settings.ncbi_api_key
        self.retry = retry or RetryPolicy()
        rate = RATE_WITH_KEY if self._api_key else RATE_WITHOUT_KEY
        self.limiter = limiter or shared_rate_limiter(rate)
        self.esearch_page_size = esearch_page_size
        if not self.email:
            log.warning("NCBI_EMAIL is not set; NCBI asks for a contact email on every request")

    # ----------------------------------------------------------------- transport
    def _scrub(self, text: str) -> str:
        text = _API_KEY_RE.sub(r"\1***", text)
        return text.replace(self._api_key, "***") if self._api_key else text

    def _build(self, util: str, params: dict[str, Any], *, post: bool, ecitmatch: bool) -> Request:
        params = {"tool": self.tool, "email": self.email, **params}
        if self._api_key:
            params["api_key"] = self._api_key
        # Biopython builds the request; only the base URL is ours (see module docstring).
        return Entrez._build_request(
            self.base_url + util, params, post=post, ecitmatch=ecitmatch, join_ids=False
        )

    def _call(
        self,
        util: str,
        params: dict[str, Any],
        what: str,
        parse: Callable[[bytes], T],
        *,
        post: bool = False,
        ecitmatch: bool = False,
    ) -> T:
        """Send one E-utility request with retries; ``parse`` may raise ``_Retryable``.

        ``what`` names the payload for the final error ("efetch of 200 PMIDs 1..9").
        """
        last = "no attempt made"
        for attempt in range(self.retry.max_attempts):
            request = self._build(util, params, post=post, ecitmatch=ecitmatch)
            self.limiter.acquire()
            retry_after: float | None = None
            try:
                with urlopen(request, timeout=self.retry.timeout) as response:
                    body = response.read()
                    content_type = response.headers.get("Content-Type", "")
                if "html" in content_type.lower() or _looks_like_html(body):
                    raise _Retryable("HTML page instead of an E-utilities answer")
                return parse(body)
            except HTTPError as exc:
                retry_after = _retry_after(exc.headers)
                last = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in _RETRY_STATUS:
                    raise EutilsError(self._scrub(f"{util} failed for {what}: {last}")) from None
                if exc.code == 429:
                    self.limiter.defer(retry_after if retry_after is not None else 1.0)
            except _Retryable as exc:
                last, retry_after = str(exc), exc.retry_after
            except TimeoutError as exc:
                last = f"timed out after {self.retry.timeout:g}s ({exc})"
            except (http.client.IncompleteRead, http.client.HTTPException) as exc:
                last = f"broken response: {type(exc).__name__}"
            except (URLError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = f"connection error: {reason}"
            if attempt + 1 < self.retry.max_attempts:
                delay = self.retry.delay(attempt, retry_after)
                log.info(
                    "%s attempt %d/%d for %s failed (%s); retrying in %.2fs",
                    util,
                    attempt + 1,
                    self.retry.max_attempts,
                    what,
                    self._scrub(last),
                    delay,
                )
                time.sleep(delay)
        raise EutilsError(
            self._scrub(
                f"{util} failed for {what} after {self.retry.max_attempts} attempts: {last}"
            )
        )

    @staticmethod
    def _read_xml(body: bytes) -> Any:
        """Parse an E-utility XML answer with Biopython; unparsable bodies are retried."""
        try:
            record = Entrez.read(io.BytesIO(body))
        except Exception as exc:  # Biopython raises several parser-specific types
            raise _Retryable(f"unparsable XML answer ({type(exc).__name__}: {exc})") from None
        if isinstance(record, dict) and record.get("ERROR"):
            raise _Retryable(f"E-utilities error: {record['ERROR']}")
        return record

    # ----------------------------------------------------------------- esearch
    def esearch(
        self,
        query: str,
        *,
        mindate: str | None = None,
        maxdate: str | None = None,
        reldate: int | None = None,
        datetype: str = "edat",
        max_results: int | None = None,
    ) -> list[str]:
        """All PMIDs matching ``query`` (up to ``max_results``), paging via the history server.

        PubMed's ESearch hands out only the first 9,999 records of a search. A query with
        more hits is split into date windows (on ``datetype``), halved until each window
        holds at most that many, and the windows' PMIDs are joined. A malformed date limit
        raises ``ValueError`` before any request, whatever the number of hits.
        """
        low, high = date_window(mindate, maxdate, reldate)
        params: dict[str, Any] = {"db": "pubmed", "term": query, "usehistory": "y"}
        if mindate or maxdate or reldate is not None:
            params.update(datetype=datetype, mindate=mindate, maxdate=maxdate, reldate=reldate)
        total, ids = self._search_window(params, max_results)
        wanted = total if max_results is None else min(total, max_results)
        if len(ids) < wanted:  # past ESearch's reach: search date window by date window
            plain = {k: v for k, v in params.items() if k not in ("mindate", "maxdate", "reldate")}
            ids = self._search_by_dates({**plain, "datetype": datetype}, low, high, wanted)
        log.info("esearch %r: %d hits, %d ids fetched", query, total, len(ids[:wanted]))
        return _unique(ids[:wanted])

    def _search_window(
        self, params: dict[str, Any], max_results: int | None
    ) -> tuple[int, list[str]]:
        """A search's hit count and its PMIDs, all pages of them when ESearch's 9,999-record
        reach covers all that is wanted; else only the first page (the caller splits)."""
        what = f"query {params['term']!r}" + (
            f" dated {params['mindate']}-{params['maxdate']}" if params.get("mindate") else ""
        )
        page = self.esearch_page_size
        if max_results is not None:
            page = min(page, max_results)
        first = self._call("esearch.fcgi", {**params, "retmax": page}, what, self._read_xml)
        total = int(first["Count"])
        ids = list(first["IdList"])
        wanted = total if max_results is None else min(total, max_results)
        if wanted > ESEARCH_LIMIT:
            return total, ids
        web_env, query_key = first.get("WebEnv"), first.get("QueryKey")
        while len(ids) < wanted:
            if not web_env or not query_key:
                raise EutilsError(f"esearch for {what} returned no WebEnv; cannot page")
            start = len(ids)
            chunk = self._call(
                "esearch.fcgi",
                {
                    **params,
                    "WebEnv": web_env,
                    "query_key": query_key,
                    "retstart": start,
                    "retmax": min(page, wanted - start),
                },
                f"{what} results {start}+",
                self._read_xml,
            )
            got = list(chunk["IdList"])
            if not got:
                log.warning("esearch %s stopped at %d of %d hits", what, start, wanted)
                break
            ids.extend(got)
        return total, ids

    def _search_by_dates(
        self, params: dict[str, Any], low: date, high: date, wanted: int
    ) -> list[str]:
        """PMIDs of the search in [low, high], the window halved while it holds more hits
        than ESearch hands out; stops once ``wanted`` are in."""
        ids: list[str] = []
        windows = [(low, high)]
        while windows and len(ids) < wanted:
            low, high = windows.pop()
            window = {**params, "mindate": _pubmed_date(low), "maxdate": _pubmed_date(high)}
            count, found = self._search_window(window, None)
            if count > ESEARCH_LIMIT and low < high:
                middle = low + (high - low) // 2
                # popped last-in first: the newer half is searched first, as PubMed sorts
                windows += [(low, middle), (middle + timedelta(days=1), high)]
                continue
            if count > ESEARCH_LIMIT:
                log.warning(
                    "esearch %r: %d hits dated %s alone; only the first %d are reachable",
                    params["term"],
                    count,
                    _pubmed_date(low),
                    ESEARCH_LIMIT,
                )
                _, found = self._search_window(window, ESEARCH_LIMIT)
            ids.extend(found)
        return ids

    # ----------------------------------------------------------------- elink
    def _elink(
        self, pmids: Iterable[str | int], linkname: str, cmd: str
    ) -> dict[str, list[dict[str, Any]]]:
        """Links per input PMID (one ``id=`` parameter each so NCBI keeps them apart)."""
        ids = _unique(pmids)
        out: dict[str, list[dict[str, Any]]] = {pmid: [] for pmid in ids}
        for batch in _batches(ids, ELINK_BATCH):
            params = {
                "dbfrom": "pubmed",
                "db": "pubmed",
                "linkname": linkname,
                "cmd": cmd,
                "id": list(batch),
            }
            what = f"{linkname} of {len(batch)} PMIDs ({batch[0]}..{batch[-1]})"
            record = self._call("elink.fcgi", params, what, self._read_xml, post=True)
            for linkset in record:
                source_ids = [str(i) for i in linkset.get("IdList", [])]
                for db in linkset.get("LinkSetDb", []):
                    if db.get("LinkName") != linkname:
                        continue
                    for src in source_ids:
                        out.setdefault(src, []).extend(db.get("Link", []))
        return out

    def elink_neighbors(
        self, pmids: Iterable[str | int], *, top_n: int = 20
    ) -> dict[str, list[tuple[str, int]]]:
        """PubMed "similar articles" per PMID: the ``top_n`` best (pmid, score), self excluded."""
        result: dict[str, list[tuple[str, int]]] = {}
        for pmid, links in self._elink(pmids, "pubmed_pubmed", "neighbor_score").items():
            scored = {
                str(link["Id"]): int(link.get("Score", 0))
                for link in links
                if str(link["Id"]) != pmid
            }
            ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
            result[pmid] = ranked[:top_n]
        return result

    def elink_citedin(self, pmids: Iterable[str | int]) -> dict[str, list[str]]:
        """PMIDs of PubMed articles citing each PMID (PMC-derived citation links)."""
        return self._plain_links(pmids, "pubmed_pubmed_citedin")

    def elink_refs(self, pmids: Iterable[str | int]) -> dict[str, list[str]]:
        """PMIDs of the references each PMID cites, where NCBI knows them."""
        return self._plain_links(pmids, "pubmed_pubmed_refs")

    def _plain_links(self, pmids: Iterable[str | int], linkname: str) -> dict[str, list[str]]:
        return {
            pmid: _unique(str(link["Id"]) for link in links)
            for pmid, links in self._elink(pmids, linkname, "neighbor").items()
        }

    # ----------------------------------------------------------------- ecitmatch
    def ecitmatch(self, citations: Iterable[Citation]) -> dict[str, str | None]:
        """PMID for each citation ``key`` (``None`` when NCBI finds none or several)."""
        cites = list(citations)
        result: dict[str, str | None] = {c.key: None for c in cites}
        for batch in _batches(cites, ECITMATCH_BATCH):
            bdata = "\r".join(
                "|".join(
                    _bdata_field(v)
                    for v in (c.journal_title, c.year, c.volume, c.first_page, c.author_name, c.key)
                )
                + "|"
                for c in batch
            )
            params = {"db": "pubmed", "retmode": "xml", "bdata": bdata}
            what = f"ecitmatch of {len(batch)} citations ({batch[0].key}..{batch[-1].key})"
            result.update(
                self._call("ecitmatch.cgi", params, what, _parse_ecitmatch, ecitmatch=True)
            )
        return result

    # ----------------------------------------------------------------- efetch
    def efetch_documents(
        self, pmids: Iterable[str | int], *, batch_size: int = EFETCH_MAX_BATCH
    ) -> Iterator[Document | RecordError]:
        """Abstracts for ``pmids`` by POST, at most 200 ids a request.

        A batch that fails after every retry becomes one ``RecordError`` and the next batch
        goes on; PMIDs that NCBI silently leaves out are reported as ``RecordError`` too.
        """
        size = max(1, min(batch_size, EFETCH_MAX_BATCH))
        ids = _unique(pmids)
        for number, batch in enumerate(_batches(ids, size), start=1):
            label = f"efetch batch {number}"
            what = f"{label} ({len(batch)} PMIDs {batch[0]}..{batch[-1]})"
            params = {"db": "pubmed", "retmode": "xml", "id": ",".join(batch)}
            try:
                items = self._call(
                    "efetch.fcgi", params, what, lambda b, s=label: _parse_efetch(b, s), post=True
                )
            except EutilsError as exc:
                log.error("%s", exc)
                yield RecordError(label, f"PMIDs {batch[0]}..{batch[-1]}", str(exc))
                continue
            returned: set[str] = set()
            for item in items:
                if isinstance(item, Document):
                    returned.add(item.doc_id)
                elif item.record.startswith("PMID "):
                    returned.add(item.record.removeprefix("PMID "))
                yield item
            for pmid in batch:
                if pmid not in returned:
                    yield RecordError(label, f"PMID {pmid}", "not returned by efetch")


def _bdata_field(value: str) -> str:
    """ECitMatch fields may not contain its separators."""
    return " ".join(value.replace("|", " ").split())


def _parse_ecitmatch(body: bytes) -> dict[str, str | None]:
    """``journal|year|volume|page|author|key|PMID-or-NOT_FOUND`` lines to {key: pmid}."""
    text = body.decode("utf-8", errors="replace")
    result: dict[str, str | None] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        fields = line.split("|")
        if len(fields) < 7:
            raise _Retryable(f"unexpected ECitMatch line {line[:80]!r}")
        value = fields[6].strip()
        result[fields[5]] = value if value.isdigit() else None
    return result


def _parse_efetch(body: bytes, source: str) -> list[Document | RecordError]:
    """Parse a whole efetch batch; a body that broke off mid-way is retried, not half-kept."""
    items = list(iter_pubmed_xml(io.BytesIO(body), source_name=source))
    if (
        items
        and isinstance(items[-1], RecordError)
        and items[-1].record
        in (
            "end of input",
            "document",
        )
    ):
        raise _Retryable(f"broken efetch XML: {items[-1].message}")
    return items
