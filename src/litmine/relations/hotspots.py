"""Well-known protein changes and the gene they name on their own (``models/hotspots.yaml``).

"The T315I mutation confers resistance to imatinib" names no gene, yet every reader knows it
is ABL1's: a variant that the relation rules cannot attach to a gene takes it from this table.
"""

from __future__ import annotations

from pathlib import Path

HOTSPOTS_FILE = "hotspots.yaml"


def load_hotspots(models_dir: Path) -> dict[str, str]:
    """Normalized protein change ("p.T315I", as variant recognition writes it) → HGNC
    symbol; empty when ``models_dir`` has no table. A change listed under two genes names
    neither."""
    path = models_dir / HOTSPOTS_FILE
    if not path.is_file():
        return {}
    import yaml  # deferred: only needed when the table is actually read

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    genes: dict[str, set[str]] = {}
    for gene, changes in (data.get("genes") or {}).items():
        for change in changes:
            genes.setdefault(f"p.{change}", set()).add(str(gene))
    return {change: next(iter(found)) for change, found in genes.items() if len(found) == 1}
