"""Getting PubMed records into the store: MEDLINE files in bulk, or missing PMIDs via efetch.

Files are streamed record by record and upserted in batches, so memory stays constant however
large the folder. Files are taken in name order, which for NLM's ``pubmed25n0001.xml.gz``
naming is release order: a later update of a PMID replaces the earlier version. Bad records
and broken files are logged and counted; ingestion goes on with the next record or file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from litmine.sources.eutils import EutilsClient
from litmine.sources.pubmed_xml import RecordError, iter_pubmed_xml
from litmine.store import Store
from litmine.types import Document, UpsertStats

log = logging.getLogger(__name__)


@dataclass
class IngestStats:
    """Totals of one ingestion; ``errors`` keeps the first messages for the report."""

    files: int = 0
    bad_files: int = 0
    documents: int = 0
    bad_records: int = 0
    saved: UpsertStats = UpsertStats()  # what the store did with the documents
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        """One line for the CLI (the kept error messages are logged, not repeated here)."""
        saved = self.saved
        return (
            f"{self.documents} documents from {self.files} files: {saved.inserted} new, "
            f"{saved.updated} changed, {saved.unchanged} unchanged; {self.bad_records} bad "
            f"records, {self.bad_files} bad files"
        )

    def add(self, upsert: UpsertStats) -> None:
        self.saved += upsert


_MAX_KEPT_ERRORS = 100


def medline_files(path: Path) -> list[Path]:
    """Every ``*.xml`` / ``*.xml.gz`` under ``path`` (or ``path`` itself), in name order."""
    if path.is_file():
        return [path]
    found = [p for p in path.rglob("*") if p.is_file() and p.name.endswith((".xml", ".xml.gz"))]
    return sorted(found, key=lambda p: (p.name, str(p)))


def ingest_directory(
    store: Store,
    path: str | Path,
    *,
    source: str = "ingest",
    progress: bool = True,
) -> IngestStats:
    """Stream every MEDLINE XML file under ``path`` into ``store``; never stops at bad data.

    Raises only when ``path`` does not exist.
    """
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no such file or folder: {root}")
    stats = IngestStats()
    files = medline_files(root)
    if not files:
        log.warning("no *.xml or *.xml.gz files under %s", root)
    with tqdm(total=len(files), unit="file", disable=not progress, desc="ingest") as bar:
        for file in files:
            stats.files += 1
            bar.set_postfix_str(file.name)
            try:
                stats.add(store.upsert_documents(_documents(file, stats), source=source))
            except OSError as exc:
                stats.bad_files += 1
                _note(stats, f"{file}: {exc}")
            bar.update(1)
    log.info(
        "ingested %d documents from %d files (%d new, %d changed, %d unchanged, "
        "%d bad records, %d bad files)",
        stats.documents,
        stats.files,
        stats.saved.inserted,
        stats.saved.updated,
        stats.saved.unchanged,
        stats.bad_records,
        stats.bad_files,
    )
    return stats


def _documents(file: Path, stats: IngestStats) -> Iterator[Document]:
    """Documents of one file; errors are counted (a broken end of file marks it bad).

    The store commits every 500 documents, so a file that breaks midway keeps what came
    before the break.
    """
    for item in iter_pubmed_xml(file):
        if isinstance(item, RecordError):
            if item.record in ("end of input", "document"):
                stats.bad_files += 1
            else:
                stats.bad_records += 1
            _note(stats, str(item))
            continue
        stats.documents += 1
        yield item


def _note(stats: IngestStats, message: str) -> None:
    log.warning("%s", message)
    if len(stats.errors) < _MAX_KEPT_ERRORS:
        stats.errors.append(message)


def fetch_missing(
    client: EutilsClient, store: Store, pmids: Iterable[str], *, source: str
) -> IngestStats:
    """Efetch the PMIDs the store does not hold yet and upsert them as ``source``.

    Re-running with the same PMIDs fetches nothing (except records that failed before), so
    an interrupted run resumes where it stopped.
    """
    wanted = list(dict.fromkeys(str(p) for p in pmids))
    missing = [p for p in wanted if p not in store.known_ids(wanted)]
    stats = IngestStats()
    log.info(
        "%d of %d PMIDs to fetch (%d already stored)",
        len(missing),
        len(wanted),
        len(wanted) - len(missing),
    )
    if not missing:
        return stats

    def documents() -> Iterator[Document]:
        for item in client.efetch_documents(missing):
            if isinstance(item, RecordError):
                stats.bad_records += 1
                _note(stats, str(item))
            else:
                stats.documents += 1
                yield item

    stats.add(store.upsert_documents(documents(), source=source))
    return stats
