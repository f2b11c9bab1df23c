"""Writing results: triples and reconciliation tables as CSV/TSV/JSONL/Parquet, atomically.

Every file is written to a temporary file in the destination folder and moved into place with
``os.replace``, so a crash or a full disk never leaves a half-written table for a reader (or
the next run's changelog) to trust. CSV booleans are ``true``/``false`` as the contract says.
"""

from __future__ import annotations

import csv
import dataclasses
import glob
import hashlib
import itertools
import json
import logging
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from litmine.taxonomy import Reconciliation
from litmine.types import TRIPLE_COLUMNS, Triple

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLLATED_COLUMNS",
    "FORMATS",
    "atomic_path",
    "atomic_writer",
    "changelog",
    "collate",
    "collated_id",
    "conflicts_frame",
    "new_findings_frame",
    "read_table",
    "read_triples",
    "reconciliation_frame",
    "sentences_frame",
    "summary_text",
    "triples_frame",
    "write_exports",
    "write_frame",
    "write_records",
]

log = logging.getLogger(__name__)

FORMATS = ("csv", "tsv", "jsonl")
LIST_SEP = ";"
COLLATE_KEY = ("gene", "variant", "factor", "drug", "relation", "disease")
COLLATED_COLUMNS = (
    "collated_id",
    *COLLATE_KEY,
    "mechanism",
    "gene_id",
    "drug_id",
    "drug_class",
    "citation_count",
    "pmids",
    "n_triples",
    "negated_count",
    "first_year",
    "last_year",
    "best_confidence",
    "example_sentence",
)
CHANGE_KEY = ("doc_id", *COLLATE_KEY, "negated")


# --------------------------------------------------------------------------- atomic files


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``; it replaces ``path`` only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of writers that were killed (their process is gone) are removed."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = stale.name[len(target.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            with suppress(FileNotFoundError):
                stale.unlink()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_writer(path: str | Path, *, newline: str | None = "") -> Iterator[TextIO]:
    """A UTF-8 text handle whose content appears at ``path`` only once fully written."""
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline=newline) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


# --------------------------------------------------------------------------- records


def _columns_of(first: Any) -> tuple[str, ...]:
    if isinstance(first, Triple):
        return TRIPLE_COLUMNS
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        return tuple(f.name for f in dataclasses.fields(first))
    if isinstance(first, Mapping):
        return tuple(first)
    raise TypeError(f"cannot export records of type {type(first).__name__}")


def _as_dict(record: Any) -> dict[str, Any]:
    if isinstance(record, Mapping):
        return dict(record)
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def _cell(value: Any) -> str:
    """Text for one CSV cell: booleans as true/false, missing as empty, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(str(v) for v in value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def _write_rows(
    fh: IO[str], rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str
) -> int:
    count = 0
    if fmt == "jsonl":
        for row in rows:
            obj = {c: _json_value(row.get(c)) for c in columns}
            fh.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    writer = csv.writer(fh, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        count += 1
    return count


def _emit(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    destination: str | Path | TextIO | None,
    fmt: str,
) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if destination is None or destination == "-":
        return _write_rows(sys.stdout, rows, columns, fmt)
    if hasattr(destination, "write"):
        return _write_rows(destination, rows, columns, fmt)  # type: ignore[arg-type]
    with atomic_writer(destination) as fh:  # type: ignore[arg-type]
        return _write_rows(fh, rows, columns, fmt)


def write_records(
    records: Iterable[Any],
    path_or_stdout: str | Path | TextIO | None,
    fmt: str = "csv",
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """Write dataclass records (``Triple``, ``Mention``, …) or mappings; returns the count.

    ``path_or_stdout`` is a path (written atomically), ``"-"``/``None`` for standard output, or
    an open text handle. Records stream through (a generator is never held in memory).
    Triples keep the ``TRIPLE_COLUMNS`` order; an empty input writes just the header.
    """
    iterator = iter(records)
    first = next(iterator, None)
    if columns:
        cols = tuple(columns)
    else:
        cols = _columns_of(first) if first is not None else TRIPLE_COLUMNS
    rows = (_as_dict(r) for r in itertools.chain([first] if first is not None else [], iterator))
    return _emit(rows, cols, path_or_stdout, fmt)


def write_frame(frame: pd.DataFrame, path: str | Path, fmt: str = "csv") -> Path:
    """Write a table as csv/tsv/jsonl (our cell rules) or parquet, atomically."""
    target = Path(path)
    if fmt == "parquet":
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)
        return target
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    _emit(rows, list(frame.columns), target, fmt)
    return target


def read_triples(path: str | Path) -> list[Triple]:
    """Read triples back from an export folder (its ``triples.csv``) or a csv/tsv/jsonl/parquet."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    source = Path(path)
    if source.is_dir():
        source = source / "triples.csv"
    suffix = source.suffix.lower()
    if suffix == ".parquet":
        rows = pd.read_parquet(source).to_dict(orient="records")
    elif suffix == ".jsonl":
        with source.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    else:
        with source.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ","))
    return [_triple_from_row(row) for row in rows]


def _triple_from_row(row: Mapping[str, Any]) -> Triple:
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(Triple):
        if f.name not in row:
            continue
        value = row[f.name]
        if isinstance(value, float) and value != value:
            value = None
        if f.name in ("negated", "inferred_from_class"):
            value = value if isinstance(value, bool) else str(value).strip().lower() == "true"
        elif f.name == "confidence":
            value = float(value) if value not in (None, "") else 0.0
        elif f.name in ("sentence_start", "sentence_end"):
            value = int(value) if value not in (None, "") else -1
        elif f.name == "year":
            value = int(value) if value not in (None, "") else None
        else:
            value = "" if value is None else str(value)
        kwargs[f.name] = value
    return Triple(**kwargs)


# --------------------------------------------------------------------------- tables


def collated_id(
    gene: str, variant: str, factor: str, drug: str, relation: str, disease: str
) -> str:
    """Stable id of a collated row: a hash of its case-folded key."""
    key = "\x1f".join(v.strip().lower() for v in (gene, variant, factor, drug, relation, disease))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _key(triple: Triple) -> tuple[str, ...]:
    return tuple(getattr(triple, k) for k in COLLATE_KEY)


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def triples_frame(triples: Iterable[Triple]) -> pd.DataFrame:
    """All triples, one row each, in ``TRIPLE_COLUMNS`` order."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    rows = [_as_dict(t) for t in triples]
    frame = pd.DataFrame(rows, columns=list(TRIPLE_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["negated"] = frame["negated"].astype(bool)
    frame["inferred_from_class"] = frame["inferred_from_class"].astype(bool)
    frame["confidence"] = frame["confidence"].astype(float)
    return frame


def collate(triples: Iterable[Triple]) -> pd.DataFrame:
    """One row per gene–variant(–factor)–drug–relation–disease with its citation summary."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    groups: dict[tuple[str, ...], list[Triple]] = {}
    for triple in triples:
        groups.setdefault(_key(triple), []).append(triple)
    rows = []
    for key, members in groups.items():
        years = [t.year for t in members if t.year is not None]
        best = max(members, key=lambda t: t.confidence)
        pmids = list(dict.fromkeys(t.doc_id for t in members))
        rows.append(
            {
                "collated_id": collated_id(*key),
                **dict(zip(COLLATE_KEY, key, strict=True)),
                "mechanism": _most_common(t.mechanism for t in members),
                "gene_id": _most_common(t.gene_id for t in members),
                "drug_id": _most_common(t.drug_id for t in members),
                "drug_class": _most_common(t.drug_class for t in members),
                "citation_count": len(pmids),
                "pmids": LIST_SEP.join(pmids),
                "n_triples": len(members),
                "negated_count": sum(t.negated for t in members),
                "first_year": min(years) if years else None,
                "last_year": max(years) if years else None,
                "best_confidence": best.confidence,
                "example_sentence": best.sentence,
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLLATED_COLUMNS))
    frame["first_year"] = frame["first_year"].astype("Int64")
    frame["last_year"] = frame["last_year"].astype("Int64")
    frame["best_confidence"] = frame["best_confidence"].astype(float)
    return frame.sort_values(
        ["citation_count", "best_confidence", "collated_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def sentences_frame(triples: Iterable[Triple]) -> pd.DataFrame:
    """Each distinct evidence sentence once, with the collated rows it supports."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    groups: dict[tuple[str, int, int, str], list[Triple]] = {}
    for t in triples:
        groups.setdefault((t.doc_id, t.sentence_start, t.sentence_end, t.sentence), []).append(t)
    rows = [
        {
            "doc_id": doc_id,
            "sentence_start": start,
            "sentence_end": end,
            "year": members[0].year,
            "n_triples": len(members),
            "collated_ids": LIST_SEP.join(dict.fromkeys(collated_id(*_key(t)) for t in members)),
            "sentence": sentence,
        }
        for (doc_id, start, end, sentence), members in groups.items()
    ]
    columns = ["doc_id", "sentence_start", "sentence_end", "year", "n_triples", "collated_ids"]
    frame = pd.DataFrame(rows, columns=[*columns, "sentence"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


def reconciliation_frame(reconciliation: Reconciliation) -> pd.DataFrame:
    """One row per seed claim with its status and the PMIDs behind it."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    rows = []
    for r in reconciliation.claims:
        c = r.claim
        rows.append(
            {
                "claim_id": c.claim_id,
                "kind": c.kind,
                "status": r.status,
                "gene": c.gene,
                "variant": c.variant,
                "factor": c.factor,
                "drug": c.drug,
                "relation": c.relation,
                "disease": c.disease,
                "mechanism": c.mechanism,
                "statement": c.statement,
                "n_supporting_pmids": len(r.supporting_pmids),
                "supporting_pmids": LIST_SEP.join(r.supporting_pmids),
                "n_contradicting_pmids": len(r.contradicting_pmids),
                "contradicting_pmids": LIST_SEP.join(r.contradicting_pmids),
                "refs": c.refs_text,
                "cited_pmids": LIST_SEP.join(r.cited_pmids),
                "cited_support": r.cited_support,
                "cited_supporting_pmids": LIST_SEP.join(r.cited_supporting_pmids),
                "cited_with_triples": LIST_SEP.join(r.cited_with_triples),
                "seed_sentence": c.sentence,
            }
        )
    return pd.DataFrame(rows, columns=_RECON_COLUMNS)


_RECON_COLUMNS = [
    "claim_id", "kind", "status", "gene", "variant", "factor", "drug", "relation", "disease",
    "mechanism", "statement", "n_supporting_pmids", "supporting_pmids", "n_contradicting_pmids",
    "contradicting_pmids", "refs", "cited_pmids", "cited_support", "cited_supporting_pmids",
    "cited_with_triples", "seed_sentence",
]  # fmt: skip


def new_findings_frame(reconciliation: Reconciliation) -> pd.DataFrame:
    """Literature evidence outside the seed claims, grouped by mechanism."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    rows = [
        {
            "mechanism": f.mechanism,
            "gene": f.gene,
            "variant": f.variant,
            "drug": f.drug,
            "relation": f.relation,
            "n_pmids": len(f.pmids),
            "pmids": LIST_SEP.join(f.pmids),
            "n_triples": f.n_triples,
            "best_confidence": f.best_confidence,
            "mechanism_rule": f.mechanism_rule,
            "example_sentence": f.example_sentence,
        }
        for group in reconciliation.new_by_mechanism().values()
        for f in group
    ]
    columns = ["mechanism", "gene", "variant", "drug", "relation", "n_pmids", "pmids"]
    columns += ["n_triples", "best_confidence", "mechanism_rule", "example_sentence"]
    return pd.DataFrame(rows, columns=columns)


def conflicts_frame(reconciliation: Reconciliation) -> pd.DataFrame:
    """Pairs for which some papers report resistance and others sensitivity."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    rows = [
        {
            "gene": c.gene,
            "variant": c.variant,
            "drug": c.drug,
            "mechanism": c.mechanism,
            "n_resistance_pmids": len(c.resistance_pmids),
            "resistance_pmids": LIST_SEP.join(c.resistance_pmids),
            "n_sensitivity_pmids": len(c.sensitivity_pmids),
            "sensitivity_pmids": LIST_SEP.join(c.sensitivity_pmids),
            "resistance_example": c.resistance_example,
            "sensitivity_example": c.sensitivity_example,
        }
        for c in reconciliation.conflicts
    ]
    columns = ["gene", "variant", "drug", "mechanism", "n_resistance_pmids", "resistance_pmids"]
    columns += ["n_sensitivity_pmids", "sensitivity_pmids"]
    columns += ["resistance_example", "sensitivity_example"]
    return pd.DataFrame(rows, columns=columns)


def _change_key(triple: Triple) -> tuple[Any, ...]:
    return tuple(
        getattr(triple, k).strip().lower()
        if isinstance(getattr(triple, k), str)
        else getattr(triple, k)
        for k in CHANGE_KEY
    )


CHANGELOG_COLUMNS = [
    "change", "collated_id", "doc_id", "gene", "variant", "factor", "drug", "relation",
    "negated", "disease", "mechanism", "confidence", "year", "sentence",
]  # fmt: skip


def changelog(triples: Sequence[Triple], previous: Sequence[Triple] | None) -> pd.DataFrame:
    """Triples added since ``previous`` (and ones no longer found), by paper and claim key.

    Without a previous run every triple is new.
    """
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    before = {_change_key(t) for t in previous or ()}
    now = {_change_key(t) for t in triples}
    rows: list[dict[str, Any]] = []
    for change, items, other in (("added", triples, before), ("removed", previous or (), now)):
        seen: set[tuple[Any, ...]] = set()
        for t in items:
            key = _change_key(t)
            if key in other or key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "change": change,
                    "collated_id": collated_id(*_key(t)),
                    **{c: getattr(t, c) for c in CHANGELOG_COLUMNS[2:]},
                }
            )
    frame = pd.DataFrame(rows, columns=CHANGELOG_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    frame["negated"] = frame["negated"].astype(bool)
    return frame


def read_table(path: str | Path) -> pd.DataFrame:
    """A table this module wrote (csv or parquet), with ``true``/``false`` read as booleans."""
    import pandas as pd  # lazily: `litmine extract` writing CSV never needs it

    source = Path(path)
    if source.suffix.lower() == ".parquet":
        return pd.read_parquet(source)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    for column in frame.columns:
        values = set(frame[column])
        if values and values <= {"true", "false"}:
            frame[column] = frame[column] == "true"
    return frame


def summary_text(
    triples: Sequence[Triple], reconciliation: Reconciliation, changes: pd.DataFrame | None = None
) -> str:
    """A short plain-text reading of the reconciliation for people who open one file."""
    counts = reconciliation.status_counts()
    pmids = {t.doc_id for t in triples}
    lines = [
        "litmine reconciliation summary",
        "",
        f"Triples: {len(triples)} from {len(pmids)} documents "
        f"({sum(t.negated for t in triples)} negated).",
        f"Seed claims: {len(reconciliation.claims)} — "
        + ", ".join(f"{counts[s]} {s}" for s in counts),
        "",
        "Per claim:",
    ]
    for r in reconciliation.claims:
        c = r.claim
        cited = ""
        if c.refs_text:
            cited = f"; cited refs [{c.refs_text}]: {r.cited_support}"
            if r.cited_pmids:
                n_cited = len(r.cited_pmids)
                cited += (
                    f" ({len(r.cited_supporting_pmids)} of {n_cited} cited PMIDs support,"
                    f" {len(r.cited_with_triples)} yielded any triple)"
                )
        lines.append(
            f"  {c.claim_id} {r.status:<12} {c.subject or '-'} → {c.drug} {c.relation}: "
            f"{len(r.supporting_pmids)} supporting, {len(r.contradicting_pmids)} contradicting"
            f" PMIDs{cited}"
        )
    groups = reconciliation.new_by_mechanism()
    lines += ["", f"New findings not in the seed: {len(reconciliation.new_findings)}"]
    for mechanism, findings in list(groups.items())[:8]:
        top = max(findings, key=lambda f: len(f.pmids))
        lines.append(
            f"  {mechanism or '(no mechanism)'}: {len(findings)} "
            f"(top: {top.gene or '-'} {top.variant} → {top.drug} {top.relation}, "
            f"{len(top.pmids)} PMIDs)"
        )
    lines += ["", f"Conflicts between papers: {len(reconciliation.conflicts)}"]
    for c in reconciliation.conflicts[:5]:
        lines.append(
            f"  {c.gene or '-'} {c.variant} → {c.drug}: resistance in {len(c.resistance_pmids)}, "
            f"sensitivity in {len(c.sensitivity_pmids)} PMIDs"
        )
    if changes is not None:
        added = int((changes["change"] == "added").sum())
        removed = int((changes["change"] == "removed").sum())
        lines += ["", f"Since the previous run: {added} triples added, {removed} removed."]
    else:
        lines += ["", f"First run (no previous export): all {len(triples)} triples are new."]
    return "\n".join(lines) + "\n"


def write_exports(
    out_dir: str | Path,
    triples: Sequence[Triple],
    reconciliation: Reconciliation,
    *,
    previous: Sequence[Triple] | str | Path | None = None,
) -> dict[str, Path]:
    """Write every table as CSV and Parquet, plus ``summary.txt``; returns name → path.

    ``previous`` is the last run's triples or its export folder/file; without it every
    triple counts as added in the changelog.
    """
    out = Path(out_dir)
    items = list(triples)
    if isinstance(previous, (str, Path)):
        prior = read_triples(previous) if Path(previous).exists() else None
        if prior is None:
            log.warning("previous export %s not found; changelog left empty", previous)
    else:
        prior = list(previous) if previous is not None else None
    changes = changelog(items, prior)
    tables = {
        "triples": triples_frame(items),
        "triples_collated": collate(items),
        "sentences": sentences_frame(items),
        "reconciliation": reconciliation_frame(reconciliation),
        "new_findings": new_findings_frame(reconciliation),
        "conflicts": conflicts_frame(reconciliation),
        "changelog": changes,
    }
    written: dict[str, Path] = {}
    for name, frame in tables.items():
        for fmt in ("csv", "parquet"):
            path = write_frame(frame, out / f"{name}.{fmt}", fmt)
            written[path.name] = path
    summary = out / "summary.txt"
    with atomic_writer(summary, newline=None) as fh:
        fh.write(summary_text(items, reconciliation, changes if prior is not None else None))
    written[summary.name] = summary
    log.info("wrote %d export files to %s", len(written), out)
    return written
