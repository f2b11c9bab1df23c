"""report.html: one self-contained page a clinician or curator opens first.

The page carries its own CSS, JavaScript and data (JSON in a ``<script type=
"application/json">`` block), loads nothing from the network (a Content-Security-Policy forbids
it), and draws its charts as inline SVG. Python gathers and shapes the data; the template and
script live in ``report_assets/``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from litmine.export import atomic_writer, read_table
from litmine.export import changelog as changelog_frame
from litmine.taxonomy import Reconciliation, Taxonomy, assign_mechanism
from litmine.types import TRIPLE_COLUMNS, Triple

__all__ = ["build_report_data", "embed_json", "render_report", "write_report"]

log = logging.getLogger(__name__)

TITLE = "litmine — resistance evidence in leukemia"
EVIDENCE_PER_CLAIM = 6
CHANGELOG_ROWS = 500  # the page lists at most this many changes; the CSV has them all


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return resources.files("litmine").joinpath("report_assets", name).read_text(encoding="utf-8")


def _with_mechanisms(triples: Sequence[Triple], taxonomy: Taxonomy) -> list[Triple]:
    """Fill in the mechanism where an earlier stage left it empty, so counts are complete."""
    out = []
    for t in triples:
        if not t.mechanism:
            node, rule = assign_mechanism(t, taxonomy)
            if node:
                t = replace(t, mechanism=node, mechanism_rule=rule)
        out.append(t)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _node_rows(triples: Sequence[Triple], taxonomy: Taxonomy) -> list[dict[str, Any]]:
    rows = []
    for node in taxonomy.nodes.values():
        under = [t for t in triples if taxonomy.is_within(t.mechanism, node.id)]
        rows.append(
            {
                "id": node.id,
                "label": node.label,
                "description": node.description,
                "in_seed": node.in_seed,
                "depth": node.depth,
                "parent": node.parent,
                "n": len(under),
                "docs": len({t.doc_id for t in under}),
                "strategies": [s.label for s in taxonomy.strategies_for(node.id)],
            }
        )
    return rows


def _claim_rows(reconciliation: Reconciliation) -> list[dict[str, Any]]:
    rows = []
    for r in reconciliation.claims:
        c = r.claim
        best_for = sorted(r.supporting, key=lambda t: -t.confidence)
        best_against = sorted(r.contradicting, key=lambda t: -t.confidence)
        evidence = [
            {"side": side, "doc_id": t.doc_id, "relation": t.relation, "sentence": t.sentence}
            for side, picked in (("for", best_for), ("against", best_against))
            for t in _distinct_docs(picked)[: EVIDENCE_PER_CLAIM // 2]
        ]
        rows.append(
            {
                "id": c.claim_id,
                "kind": c.kind,
                "status": r.status,
                "subject": c.subject,
                "drug": c.drug,
                "relation": c.relation,
                "disease": c.disease,
                "mechanism": c.mechanism,
                "statement": c.statement,
                "sentence": c.sentence,
                "refs": c.refs_text,
                "support": list(r.supporting_pmids),
                "against": list(r.contradicting_pmids),
                "cited": list(r.cited_pmids),
                "cited_support": r.cited_support,
                "cited_with_triples": list(r.cited_with_triples),
                "evidence": evidence,
            }
        )
    return rows


def _distinct_docs(triples: Sequence[Triple]) -> list[Triple]:
    seen: set[str] = set()
    out = []
    for t in triples:
        if t.doc_id not in seen:
            seen.add(t.doc_id)
            out.append(t)
    return out


def _changelog_data(changes: pd.DataFrame | None) -> dict[str, Any]:
    if changes is None:
        return {"available": False, "columns": [], "rows": [], "added": 0, "removed": 0}
    frame = changes.head(CHANGELOG_ROWS).astype(object)
    frame = frame.where(frame.notna(), None)
    return {
        "available": True,
        "columns": list(frame.columns),
        "rows": [[_jsonable(v) for v in row] for row in frame.itertuples(index=False)],
        "added": int((changes["change"] == "added").sum()),
        "removed": int((changes["change"] == "removed").sum()),
    }


def build_report_data(
    triples: Sequence[Triple],
    reconciliation: Reconciliation,
    taxonomy: Taxonomy,
    *,
    changelog: pd.DataFrame | Sequence[Triple] | str | Path | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data.

    ``changelog`` is the frame ``export.changelog`` makes, the ``changelog.csv``/``.parquet``
    ``write_exports`` wrote, or the previous run's triples.
    """
    items = _with_mechanisms(list(triples), taxonomy)
    if isinstance(changelog, (str, Path)):
        changelog = read_table(changelog)
    elif changelog is not None and not isinstance(changelog, pd.DataFrame):
        changelog = changelog_frame(items, list(changelog))
    pairs = {(t.gene, t.variant or t.factor, t.drug, t.relation) for t in items if not t.negated}
    new_groups = [
        {
            "mechanism": mechanism,
            "findings": [
                {
                    "gene": f.gene,
                    "variant": f.variant,
                    "drug": f.drug,
                    "relation": f.relation,
                    "pmids": list(f.pmids),
                    "example_sentence": f.example_sentence,
                }
                for f in findings
            ],
        }
        for mechanism, findings in reconciliation.new_by_mechanism().items()
    ]
    info = {str(k): str(v) for k, v in (run_info or {}).items()}
    return {
        "meta": {
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "run_label": info.get("run_id", ""),
            "run_info": info,
            "source": dict(taxonomy.source),
            "n_triples": len(items),
            "n_docs": len({t.doc_id for t in items}),
            "n_pairs": len(pairs),
            "n_new": len(reconciliation.new_findings),
            "status_counts": reconciliation.status_counts(),
            "mechanism_counts": dict(Counter(t.mechanism for t in items)),
        },
        "nodes": _node_rows(items, taxonomy),
        "strategies": [
            {
                "id": s.id,
                "label": s.label,
                "description": s.description,
                "in_seed": s.in_seed,
                "addresses": list(s.addresses),
                "classes": list(s.drug_classes),
            }
            for s in taxonomy.strategies.values()
        ],
        "claims": _claim_rows(reconciliation),
        "conflicts": [
            {
                "gene": c.gene,
                "variant": c.variant,
                "drug": c.drug,
                "mechanism": c.mechanism,
                "resistance_pmids": list(c.resistance_pmids),
                "sensitivity_pmids": list(c.sensitivity_pmids),
                "resistance_example": c.resistance_example,
                "sensitivity_example": c.sensitivity_example,
            }
            for c in reconciliation.conflicts
        ],
        "new": new_groups,
        "columns": list(TRIPLE_COLUMNS),
        "triples": [[getattr(t, c) for c in TRIPLE_COLUMNS] for t in items],
        "changelog": _changelog_data(changelog),
    }


def render_report(data: Mapping[str, Any], title: str = TITLE) -> str:
    """The complete HTML text for ``data`` (see ``build_report_data``)."""
    page = _asset("report.html")
    for marker, value in (
        ("__CSS__", _asset("report.css")),
        ("__JS__", _asset("report.js")),
        ("__TITLE__", escape(title)),
        ("__DATA__", embed_json(data)),
    ):
        page = page.replace(marker, value)
    return page


def write_report(
    out_dir: str | Path,
    triples: Sequence[Triple],
    reconciliation: Reconciliation,
    taxonomy: Taxonomy,
    *,
    changelog: pd.DataFrame | Sequence[Triple] | str | Path | None = None,
    run_info: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``out_dir/report.html`` atomically and return its path."""
    data = build_report_data(
        triples, reconciliation, taxonomy, changelog=changelog, run_info=run_info
    )
    path = Path(out_dir) / "report.html"
    with atomic_writer(path, newline=None) as fh:
        fh.write(render_report(data))
    log.info("wrote %s (%d triples)", path, len(triples))
    return path
