"""Readers that turn input files into ``Document`` records.

Formats (``docs/contract.md``): ``text`` (whole file = one document), ``lines`` (``ID<TAB>TEXT``),
``pubtator`` (``PMID|t|``/``PMID|a|`` blocks; text = title + " " + abstract) and ``medline``
(PubMed XML, plain or gzip). Readers never raise on bad data: they yield a ``RecordError`` for
what they had to skip or repair and carry on, so one bad record never costs the good ones.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from litmine.sources.pubmed_xml import RecordError, iter_pubmed_xml
from litmine.types import Document

INPUT_FORMATS = ("auto", "text", "lines", "pubtator", "medline")
GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 65536
_PUBTATOR_TEXT = re.compile(r"^([^|\t]+)\|([ta])\|(.*)$")
_CONTROL_CHARS = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")

ReadItem = Document | RecordError


class InputError(Exception):
    """The input as a whole cannot be read (missing, a directory, binary, empty)."""


def read_documents(path: str, input_format: str = "auto") -> Iterator[ReadItem]:
    """Yield every document of ``path`` (``-`` is standard input) and an error for each bad record.

    Raises ``InputError`` only when nothing in the input can be read at all.
    """
    if input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {INPUT_FORMATS}")
    name = "<stdin>" if path == "-" else path
    stream = _open_input(path)
    try:
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
        if not head:
            raise InputError(f"{name}: the file is empty; give a file with text in it")
        fmt = detect_format(name, head) if input_format == "auto" else input_format
        if fmt == "medline":
            yield from iter_pubmed_xml(stream, source_name=name)
            return
        if head.startswith(GZIP_MAGIC):
            stream = io.BufferedReader(gzip.GzipFile(fileobj=stream))  # type: ignore[arg-type]
            try:
                head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
            except (EOFError, OSError) as exc:  # gzip.BadGzipFile is an OSError
                raise InputError(
                    f"{name}: a gzip file that cannot be opened ({exc}); re-download or "
                    "re-compress it"
                ) from None
        encoding, warning = _guess_encoding(name, head)
        if warning:
            yield RecordError(name, "", warning)
        text_stream = _TextLines(stream, encoding, name)
        if fmt == "text":
            yield from _read_text(text_stream, name)
        elif fmt == "lines":
            yield from _read_lines(text_stream, name)
        else:
            yield from _read_pubtator(text_stream, name)
        yield from text_stream.errors
    finally:
        if path != "-":
            stream.close()


def detect_format(name: str, head: bytes) -> str:
    """Pick a format from the file name, then from the first bytes."""
    lower = name.lower()
    if lower.endswith((".xml", ".xml.gz")) or head.startswith(GZIP_MAGIC):
        return "medline"
    if lower.endswith((".pubtator", ".pubtator.txt")):
        return "pubtator"
    sample = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if sample.startswith(b"<"):
        return "medline"
    first_lines = [ln for ln in sample.split(b"\n")[:20] if ln.strip()]
    if first_lines and _PUBTATOR_TEXT.match(first_lines[0].decode("utf-8", "replace")):
        return "pubtator"
    if lower.endswith((".tsv", ".lines")) or (
        len(first_lines) > 1 and all(b"\t" in ln for ln in first_lines[:-1])
    ):
        return "lines"
    return "text"


def _open_input(path: str) -> BinaryIO:
    if path == "-":
        return io.BufferedReader(sys.stdin.buffer)  # type: ignore[arg-type]
    file = Path(path)
    if not file.exists():
        raise InputError(
            f"{path}: no such file; check the path, or give '-' to read standard input"
        )
    if file.is_dir():
        raise InputError(
            f"{path}: is a directory; give the files inside it instead (e.g. {path}/*)"
        )
    try:
        return open(file, "rb")  # noqa: SIM115 - closed by read_documents
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be opened ({exc.strerror}); check its permissions"
        ) from exc


def _guess_encoding(name: str, head: bytes) -> tuple[str, str]:
    """Return (codec, warning). UTF-8 is expected; other encodings are read but reported."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    nul_share = head.count(b"\x00") / len(head)
    if nul_share > 0.3 and _looks_utf16(head):
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return codec, f"UTF-16 text without a byte-order mark; read as {codec}"
    if nul_share > 0.05 or len(_CONTROL_CHARS.findall(head)) > 0.05 * len(head):
        raise InputError(
            f"{name}: looks like a binary file, not text; give a text, PubTator or PubMed XML file"
        )
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            return "cp1252", (
                f"not valid UTF-8 (byte {exc.start}); read as Latin-1/cp1252 — "
                "convert it with `iconv -t utf-8` to be sure of the characters"
            )
    return "utf-8", ""


def _looks_utf16(head: bytes) -> bool:
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


class _TextLines:
    """Decodes a byte stream line by line; bad bytes are replaced or cut, and reported."""

    def __init__(self, stream: BinaryIO, encoding: str, name: str) -> None:
        self._stream = stream
        self._encoding = encoding
        self._name = name
        self.errors: list[RecordError] = []

    def __iter__(self) -> Iterator[str]:
        if self._encoding.startswith("utf-16"):
            text = self._stream.read().decode(self._encoding, errors="replace")
            yield from self._clean_all(text.splitlines(keepends=True))
            return
        line_no = 0
        try:
            for line_no, raw_line in enumerate(self._stream, start=1):  # noqa: B007
                try:
                    line = raw_line.decode(self._encoding)
                except UnicodeDecodeError:
                    line = raw_line.decode(self._encoding, errors="replace")
                    self._note(f"line {line_no}", "undecodable bytes replaced with U+FFFD")
                yield self._clean(line, f"line {line_no}")
        except (EOFError, OSError, gzip.BadGzipFile) as exc:
            self._note(
                f"after line {line_no}",
                f"input ends early or is corrupt ({exc}); "
                "the rest of the file is missing — re-download or re-compress it",
            )

    def _clean_all(self, lines: list[str]) -> Iterator[str]:
        for line_no, line in enumerate(lines, start=1):
            yield self._clean(line, f"line {line_no}")

    def _clean(self, line: str, where: str) -> str:
        if "\x00" in line:
            self._note(where, "NUL bytes replaced by spaces")
            return line.replace("\x00", " ")
        return line

    def _note(self, where: str, message: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(RecordError(self._name, where, message))


def _read_text(lines: _TextLines, name: str) -> Iterator[ReadItem]:
    text = "".join(lines)
    if not text.strip():
        yield RecordError(name, "", "no text in the file; nothing to analyse")
        return
    stem = Path(name).name.split(".")[0] if name != "<stdin>" else "stdin"
    yield Document(doc_id=stem, text=text, source="text")


def _read_lines(lines: _TextLines, name: str) -> Iterator[ReadItem]:
    for line_no, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        doc_id, tab, text = line.partition("\t")
        if not tab or not doc_id.strip():
            yield RecordError(name, f"line {line_no}", "no ID<TAB>TEXT (missing tab); line skipped")
            continue
        yield Document(doc_id=doc_id.strip(), text=text, source="lines")


def _read_pubtator(lines: _TextLines, name: str) -> Iterator[ReadItem]:
    block = _PubtatorBlock()
    for line_no, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            yield from block.flush(name)
            block = _PubtatorBlock()
            continue
        match = _PUBTATOR_TEXT.match(line)
        if match:
            pmid, part, content = match.groups()
            if block.pmid and pmid != block.pmid:
                yield from block.flush(name)
                block = _PubtatorBlock()
            block.pmid = pmid
            if part == "t":
                block.title = content
            else:
                block.abstract = content
            continue
        fields = line.split("\t")
        if len(fields) >= 4 and fields[1].isdigit() and fields[2].isdigit():
            block.spans.append((int(fields[1]), int(fields[2]), line_no))
        elif not (len(fields) >= 4 and fields[0] == block.pmid):  # relation lines are fine
            yield RecordError(
                name,
                f"line {line_no}",
                "not a PubTator title, abstract or annotation line; ignored",
            )
    yield from block.flush(name)


class _PubtatorBlock:
    def __init__(self) -> None:
        self.pmid = ""
        self.title = ""
        self.abstract = ""
        self.spans: list[tuple[int, int, int]] = []

    def flush(self, name: str) -> Iterator[ReadItem]:
        if not self.pmid:
            return
        text = f"{self.title} {self.abstract}" if self.abstract else self.title
        for start, end, line_no in self.spans:
            if not 0 <= start <= end <= len(text):
                yield RecordError(
                    name,
                    f"PMID {self.pmid} line {line_no}",
                    f"annotation offsets {start}-{end} fall outside the text "
                    f"({len(text)} characters); annotation ignored",
                )
        yield Document(doc_id=self.pmid, text=text, title=self.title, source="pubtator")
