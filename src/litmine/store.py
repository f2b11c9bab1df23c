"""The document store: documents and results by PMID plus run bookkeeping (SQLAlchemy 2).

SQLite (WAL) by default, any SQLAlchemy URL (e.g. PostgreSQL) otherwise. Every write is one
transaction, and all writes are idempotent by ``doc_id``, so a run killed at any point
(even ``kill -9``) and started again leaves no duplicates and redoes only unfinished work:
a document is (re)processed when it was never processed, its content hash changed since, or
it was processed by a different extractor version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.pool import StaticPool

from litmine.types import Document, Mention, Triple, UpsertStats

log = logging.getLogger(__name__)

SOURCES = frozenset({"reference", "neighbour", "query", "ingest", "file"})
_CHUNK = 500  # rows per transaction / ids per IN (...) query; well under SQLite's limits

metadata = MetaData()

documents_table = Table(
    "documents",
    metadata,
    Column("doc_id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("year", Integer),
    Column("journal", Text, nullable=False, default=""),
    Column("meta", JSON, nullable=False),
    Column("source", String(16), nullable=False, index=True),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("processed_version", String(64), index=True),
    Column("processed_hash", String(64)),
    Column("processed_at", DateTime(timezone=True)),
)

_TYPE_MAP: dict[str, Any] = {"str": Text, "bool": Boolean, "float": Float, "int": Integer}


def _triple_columns() -> list[Column[Any]]:
    """One column per ``Triple`` field, so the table follows types.py automatically."""
    columns: list[Column[Any]] = []
    for f in fields(Triple):
        type_name = str(f.type).replace(" ", "")
        nullable = type_name.endswith("|None")
        sql_type = _TYPE_MAP[type_name.removesuffix("|None")]
        if f.name == "doc_id":
            continue
        columns.append(Column(f.name, sql_type, nullable=nullable))
    return columns


def _row_key_columns() -> tuple[Column, Column]:
    """Each result row: its own id, and the document it belongs to (deleted with it)."""
    return (
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "doc_id",
            String(64),
            ForeignKey("documents.doc_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )


triples_table = Table(
    "triples",
    metadata,
    *_row_key_columns(),
    *_triple_columns(),
)

mentions_table = Table(
    "mentions",
    metadata,
    *_row_key_columns(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("normalized", Text, nullable=False, default=""),
    Column("entity_id", Text, nullable=False, default=""),
    Column("recognizer", String(32), nullable=False, default=""),
)

runs_table = Table(
    "runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("params", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("counts", JSON, nullable=False),
)

_TRIPLE_FIELDS = tuple(f.name for f in fields(Triple))


@dataclass(frozen=True)
class RunInfo:
    """One row of run bookkeeping."""

    id: str
    started: datetime
    finished: datetime | None
    params: dict[str, Any]
    status: str
    counts: dict[str, Any]


def content_hash(doc: Document) -> str:
    """Hash of what the NLP stage reads; a change means the document must be reprocessed."""
    payload = json.dumps([doc.title, doc.text, doc.year], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        # One shared connection, or every thread would see its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        if database not in ("", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:
        # Writers take the write lock up front (BEGIN IMMEDIATE): a deferred transaction that
        # reads, then writes after another writer committed, fails at once with SQLITE_BUSY
        # instead of waiting on busy_timeout.
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}")

    return engine


def _insert_new(engine: Engine) -> Any:
    """INSERT that skips rows whose doc_id appeared meanwhile (concurrent writers)."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return sqlite_insert(documents_table).on_conflict_do_nothing(index_elements=["doc_id"])
    if dialect == "postgresql":
        return pg_insert(documents_table).on_conflict_do_nothing(index_elements=["doc_id"])
    return insert(documents_table)


class Store:
    """Documents, their triples/mentions and run records in one SQL database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        metadata.create_all(self.engine)
        self._insert_new = _insert_new(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite, plain BEGIN elsewhere)."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ documents
    def upsert_documents(self, docs: Iterable[Document], *, source: str) -> UpsertStats:
        """Insert new documents, update changed ones; one transaction per 500 documents.

        ``source`` is the provenance (reference, neighbour, query, ingest, file). A document
        keeps the provenance it was first stored with: a cited reference that later shows up
        as someone's neighbour is still a reference.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}; expected one of {sorted(SOURCES)}")
        stats = UpsertStats()
        batch: dict[str, Document] = {}
        for doc in docs:
            batch[doc.doc_id] = doc  # the last version of a duplicate id wins
            if len(batch) >= _CHUNK:
                stats += self._upsert_batch(list(batch.values()), source)
                batch.clear()
        if batch:
            stats += self._upsert_batch(list(batch.values()), source)
        return stats

    def _upsert_batch(self, docs: list[Document], source: str) -> UpsertStats:
        now = _now()
        with self._write() as conn:
            existing = dict(
                conn.execute(
                    select(documents_table.c.doc_id, documents_table.c.content_hash).where(
                        documents_table.c.doc_id.in_([d.doc_id for d in docs])
                    )
                ).all()
            )
            new_rows, changed_rows = [], []
            for doc in docs:
                digest = content_hash(doc)
                row = {
                    "title": doc.title,
                    "text": doc.text,
                    "year": doc.year,
                    "journal": str(doc.meta.get("journal", "") or ""),
                    "meta": doc.meta,
                    "fetched_at": now,
                    "content_hash": digest,
                }
                if doc.doc_id not in existing:
                    new_rows.append({"doc_id": doc.doc_id, "source": source, **row})
                elif existing[doc.doc_id] != digest:
                    changed_rows.append({"b_doc_id": doc.doc_id, **row})
            if new_rows:
                conn.execute(self._insert_new, new_rows)
            if changed_rows:
                conn.execute(
                    update(documents_table).where(
                        documents_table.c.doc_id == bindparam("b_doc_id")
                    ),
                    changed_rows,
                )
        return UpsertStats(
            len(new_rows), len(changed_rows), len(docs) - len(new_rows) - len(changed_rows)
        )

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored (to skip fetching them again)."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                found.update(
                    conn.scalars(
                        select(documents_table.c.doc_id).where(documents_table.c.doc_id.in_(chunk))
                    )
                )
        return found

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(documents_table)) or 0)

    def get_document(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents_table).where(documents_table.c.doc_id == doc_id)
            ).first()
        return self._to_document(row) if row is not None else None

    @staticmethod
    def _to_document(row: Any) -> Document:
        return Document(
            doc_id=row.doc_id,
            text=row.text,
            title=row.title,
            year=row.year,
            source=row.source,
            meta=dict(row.meta or {}),
        )

    def _iter_documents(self, condition: Any, limit: int | None) -> Iterator[Document]:
        """Keyset-paged so no cursor stays open while the caller writes to the store."""
        last = ""
        produced = 0
        while limit is None or produced < limit:
            page = _CHUNK if limit is None else min(_CHUNK, limit - produced)
            query = (
                select(documents_table)
                .where(and_(documents_table.c.doc_id > last, condition))
                .order_by(documents_table.c.doc_id)
                .limit(page)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield self._to_document(row)
            produced += len(rows)
            last = rows[-1].doc_id

    def documents(self, *, source: str | None = None) -> Iterator[Document]:
        """Every stored document (optionally of one provenance), ordered by doc_id."""
        condition = documents_table.c.source == source if source else true()
        return self._iter_documents(condition, None)

    def documents_to_process(
        self, extractor_version: str, *, limit: int | None = None
    ) -> Iterator[Document]:
        """Documents never processed, changed since, or processed by another version."""
        c = documents_table.c
        condition = or_(
            c.processed_version.is_(None),
            c.processed_version != extractor_version,
            c.processed_hash.is_(None),
            c.processed_hash != c.content_hash,
        )
        return self._iter_documents(condition, limit)

    # ------------------------------------------------------------------ results
    def save_results(
        self,
        doc_id: str,
        triples: Sequence[Triple],
        extractor_version: str,
        *,
        mentions: Sequence[Mention] | None = None,
    ) -> None:
        """Replace the document's triples (and mentions, if given) and mark it processed.

        One transaction: after a crash either the old results stand or the new ones do.
        """
        with self._write() as conn:
            self._save(conn, doc_id, triples, extractor_version, mentions)

    def save_many(
        self,
        results: Iterable[tuple[str, Sequence[Triple]]],
        extractor_version: str,
    ) -> int:
        """``save_results`` for many documents, one transaction per 500; returns the count."""
        done = 0
        pending = list(results)
        for chunk in _chunks(pending):
            with self._write() as conn:
                for doc_id, triples in chunk:
                    self._save(conn, doc_id, triples, extractor_version, None)
            done += len(chunk)
        return done

    def _save(
        self,
        conn: Connection,
        doc_id: str,
        triples: Sequence[Triple],
        extractor_version: str,
        mentions: Sequence[Mention] | None,
    ) -> None:
        c = documents_table.c
        marked = conn.execute(
            update(documents_table)
            .where(c.doc_id == doc_id)
            .values(
                processed_version=extractor_version,
                processed_hash=c.content_hash,
                processed_at=_now(),
            )
        )
        if marked.rowcount == 0:
            raise KeyError(f"document {doc_id!r} is not in the store")
        stray = [t.doc_id for t in triples if t.doc_id != doc_id]
        if stray:
            raise ValueError(f"triples for {stray[0]!r} passed with document {doc_id!r}")
        conn.execute(delete(triples_table).where(triples_table.c.doc_id == doc_id))
        if triples:
            conn.execute(
                insert(triples_table),
                [{name: getattr(t, name) for name in _TRIPLE_FIELDS} for t in triples],
            )
        if mentions is not None:
            conn.execute(delete(mentions_table).where(mentions_table.c.doc_id == doc_id))
            if mentions:
                conn.execute(
                    insert(mentions_table),
                    [
                        {
                            "doc_id": doc_id,
                            "start": m.start,
                            "end": m.end,
                            "text": m.text,
                            "label": m.label,
                            "normalized": m.normalized,
                            "entity_id": m.id,
                            "recognizer": m.source,
                        }
                        for m in mentions
                    ],
                )

    def triples(self, *, doc_id: str | None = None) -> Iterator[Triple]:
        """Stored triples in (doc_id, insertion) order, paged by row id."""
        last = 0
        columns = [triples_table.c[name] for name in _TRIPLE_FIELDS]
        while True:
            query = (
                select(triples_table.c.id, *columns)
                .where(triples_table.c.id > last)
                .order_by(triples_table.c.id)
                .limit(_CHUNK)
            )
            if doc_id is not None:
                query = query.where(triples_table.c.doc_id == doc_id)
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield Triple(**{name: getattr(row, name) for name in _TRIPLE_FIELDS})
            last = rows[-1].id

    def mentions(self, doc_id: str) -> list[Mention]:
        m = mentions_table.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(mentions_table).where(m.doc_id == doc_id).order_by(m.start, m.end, m.id)
            ).all()
        return [
            Mention(
                doc_id=r.doc_id,
                start=r.start,
                end=r.end,
                text=r.text,
                label=r.label,
                normalized=r.normalized,
                id=r.entity_id,
                source=r.recognizer,
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ runs
    def start_run(self, params: dict[str, Any]) -> str:
        run_id = uuid.uuid4().hex
        with self._write() as conn:
            conn.execute(
                insert(runs_table).values(
                    id=run_id, started=_now(), params=params, status="running", counts={}
                )
            )
        return run_id

    def finish_run(self, run_id: str, status: str, counts: dict[str, Any]) -> None:
        with self._write() as conn:
            result = conn.execute(
                update(runs_table)
                .where(runs_table.c.id == run_id)
                .values(finished=_now(), status=status, counts=counts)
            )
        if result.rowcount == 0:
            raise KeyError(f"no run {run_id!r}")

    def last_run(self, *, status: str | None = None) -> RunInfo | None:
        """The most recently started run (optionally only those with ``status``)."""
        query = select(runs_table).order_by(runs_table.c.started.desc()).limit(1)
        if status is not None:
            query = query.where(runs_table.c.status == status)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return RunInfo(
            id=row.id,
            started=_utc(row.started) or _now(),
            finished=_utc(row.finished),
            params=dict(row.params or {}),
            status=row.status,
            counts=dict(row.counts or {}),
        )
