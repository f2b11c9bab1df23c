"""Stream PubMed/MEDLINE XML into ``Document`` records, safely and in constant memory.

Handles ``PubmedArticleSet`` (efetch output, baseline/update files) and the older
``MedlineCitationSet``, plain or gzip (detected by magic bytes, not by file name). Parsing is
hardened against hostile input: no DTD loading, no network, no entity expansion (billion
laughs, XXE) and no ``huge_tree``. Bad data never raises out of the iterator: a bad record
becomes a ``RecordError`` and parsing continues; broken XML or a truncated ``.gz`` yields the
documents parsed so far and then one ``RecordError`` saying where it broke.

Document text follows the contract convention shared with the PubTator reader:
``title + " " + abstract`` (just the title when there is no abstract). Structured abstract
sections are joined with single spaces, each prefixed with its label (``"BACKGROUND: ..."``).
Whitespace inside XML text is collapsed to single spaces, since pretty-printed files put line
breaks inside mixed content that are not part of the text.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from litmine.types import Document

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
MEDLINE_SOURCE = "medline"
ROOT_TAGS = frozenset({"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet"})
_RECORD_TAGS = ("PubmedArticle", "MedlineCitation", "PubmedBookArticle")
_YEAR_RE = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class RecordError:
    """A record (or the rest of a file) that could not be turned into a ``Document``.

    ``source`` names the input (file name, "efetch batch 3"), ``record`` the record
    ("PMID 123", "record #5", "end of file"), ``message`` what went wrong.
    """

    source: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.record}: {self.message}"


class _PrefixedReader(io.RawIOBase):
    """Re-attach bytes already read (the magic-number sniff) to a non-seekable stream."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)


class _GuardedReader(io.RawIOBase):
    """Turn a failing read (truncated/corrupt gzip) into end-of-input and remember why.

    lxml drops events still queued when a read raises; ending the input cleanly instead lets
    every record decoded before the break reach the caller, and the cause is reported after.
    """

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.error is not None:
            return 0
        view = memoryview(buffer).cast("B")
        try:
            # read1: one underlying read, so bytes decoded before a failure are not discarded
            data = self._stream.read1(len(view))
        except (EOFError, OSError, zlib.error) as exc:
            self.error = exc
            return 0
        view[: len(data)] = data
        return len(data)


def _open_stream(stream: BinaryIO) -> _GuardedReader:
    """Return a guarded byte stream of XML, transparently decompressing gzip input."""
    head = stream.read(2)
    if isinstance(head, str):
        raise TypeError("iter_pubmed_xml needs a binary stream, not a text stream")
    rest = io.BufferedReader(_PrefixedReader(head, stream))
    if head == GZIP_MAGIC:
        return _GuardedReader(gzip.GzipFile(fileobj=rest, mode="rb"))
    return _GuardedReader(rest)


def _text(elem: etree._Element | None) -> str:
    """All text under an element (inline markup such as <i>, <sup> kept as plain text)."""
    if elem is None:
        return ""
    return " ".join("".join(elem.itertext()).split())


def _abstract(article: etree._Element | None) -> str:
    if article is None:
        return ""
    parts: list[str] = []
    for node in article.iterfind("Abstract/AbstractText"):
        body = _text(node)
        if not body:
            continue
        label = (node.get("Label") or "").strip()
        parts.append(f"{label}: {body}" if label else body)
    return " ".join(parts)


def _year(citation: etree._Element, article: etree._Element | None) -> int | None:
    """Publication year: PubDate/Year, else the first year in MedlineDate, else ArticleDate."""
    candidates: list[str] = []
    if article is not None:
        candidates += [
            article.findtext("Journal/JournalIssue/PubDate/Year") or "",
            article.findtext("Journal/JournalIssue/PubDate/MedlineDate") or "",
            article.findtext("ArticleDate/Year") or "",
        ]
    candidates += [
        citation.findtext("PubDate/Year") or "",  # BookDocument
        citation.findtext("Book/PubDate/Year") or "",
    ]
    for value in candidates:
        match = _YEAR_RE.search(value)
        if match:
            return int(match.group(1))
    return None


def _authors(article: etree._Element | None) -> list[str]:
    if article is None:
        return []
    names: list[str] = []
    for author in article.iterfind("AuthorList/Author"):
        collective = _text(author.find("CollectiveName"))
        if collective:
            names.append(collective)
            continue
        last = _text(author.find("LastName"))
        initials = _text(author.find("Initials"))
        if last:
            names.append(f"{last} {initials}".strip())
    return names


def _doi(record: etree._Element, article: etree._Element | None) -> str:
    # Only the record's own id list: ReferenceList entries carry ArticleIds of cited papers.
    for node in record.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == "doi" and _text(node):
            return _text(node)
    if article is not None:
        for node in article.iterfind("ELocationID"):
            if node.get("EIdType") == "doi" and _text(node):
                return _text(node)
    return ""


def _record_to_document(record: etree._Element, source: str) -> Document | str:
    """Build a Document from one record element, or return why it cannot be built."""
    if record.tag == "MedlineCitation":
        citation: etree._Element | None = record
    else:
        citation = record.find("MedlineCitation")
        if citation is None:
            citation = record.find("BookDocument")
    if citation is None:
        return "no MedlineCitation/BookDocument element"
    pmid = _text(citation.find("PMID"))
    if not pmid:
        return "missing PMID"
    if not pmid.isdigit():
        return f"PMID {pmid!r} is not numeric"
    article = citation.find("Article")
    title = _text(article.find("ArticleTitle")) if article is not None else ""
    if not title:
        title = _text(citation.find("ArticleTitle")) or _text(citation.find("Book/BookTitle"))
    if not title and article is not None:
        title = _text(article.find("VernacularTitle"))
    abstract = _abstract(article if article is not None else citation)
    if not title and not abstract:
        return "no title and no abstract"
    text = f"{title} {abstract}" if title and abstract else (title or abstract)
    journal = ""
    if article is not None:
        journal = _text(article.find("Journal/Title")) or _text(
            article.find("Journal/ISOAbbreviation")
        )
    meta: dict[str, Any] = {
        "pmid": pmid,
        "journal": journal or _text(citation.find("MedlineJournalInfo/MedlineTA")),
        "authors": _authors(article),
        "mesh": [_text(d) for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")],
        "publication_types": [
            _text(p)
            for p in (article if article is not None else citation).iterfind(
                "PublicationTypeList/PublicationType"
            )
        ],
        "doi": _doi(record, article),
        "language": _text((article if article is not None else citation).find("Language")),
        "has_abstract": bool(abstract),
        "file": source,
    }
    return Document(
        doc_id=pmid,
        text=text,
        title=title,
        year=_year(citation, article),
        source=MEDLINE_SOURCE,
        meta=meta,
    )


def _source_label(path_or_file: str | Path | BinaryIO, source_name: str) -> str:
    if source_name:
        return source_name
    if isinstance(path_or_file, str | Path):
        return Path(path_or_file).name
    return str(getattr(path_or_file, "name", "") or "<stream>")


def iter_pubmed_xml(
    path_or_file: str | Path | BinaryIO, *, source_name: str = ""
) -> Iterator[Document | RecordError]:
    """Yield one ``Document`` per PubMed record, or a ``RecordError`` for what is unusable.

    Never raises for bad data (only for a missing file or a text-mode stream). Memory stays
    constant: each record element is cleared once converted and earlier siblings dropped.
    """
    source = _source_label(path_or_file, source_name)
    if isinstance(path_or_file, str | Path):
        with open(path_or_file, "rb") as handle:
            yield from _iter_stream(handle, source)
    else:
        yield from _iter_stream(path_or_file, source)


def _iter_stream(raw: BinaryIO, source: str) -> Iterator[Document | RecordError]:
    count = 0
    last_pmid = ""
    stream = _open_stream(raw)
    broken: BaseException | None = None
    try:
        context = etree.iterparse(
            io.BufferedReader(stream),
            events=("end",),
            tag=_RECORD_TAGS,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        for _event, elem in context:
            parent = elem.getparent()
            if (
                elem.tag == "MedlineCitation"
                and parent is not None
                and parent.tag != ("MedlineCitationSet")
            ):
                continue  # handled when its enclosing PubmedArticle ends
            count += 1
            result = _record_to_document(elem, source)
            if isinstance(result, Document):
                last_pmid = result.doc_id
                yield result
            else:
                pmid = _text(elem.find(".//PMID"))
                label = f"PMID {pmid}" if pmid else f"record #{count}"
                log.debug("%s: skipping %s: %s", source, label, result)
                yield RecordError(source, label, result)
            elem.clear()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        root = context.root
        if stream.error is None and root is not None and root.tag not in ROOT_TAGS:
            yield RecordError(
                source, "document", f"unsupported root element <{root.tag}>, expected PubMed XML"
            )
    except (etree.XMLSyntaxError, OSError) as exc:
        broken = exc
    if stream.error is not None:
        broken = stream.error  # the real cause: the XML error only echoes the cut-off
    if broken is not None:
        where = f"after record #{count}" + (f" (last PMID {last_pmid})" if last_pmid else "")
        message = (
            f"XML is malformed or cut off {where} ({type(broken).__name__}: {broken}); the "
            "records before it were read — re-download or re-compress the file to get the rest"
        )
        log.debug("%s: %s", source, message)
        yield RecordError(source, "end of input", message)
