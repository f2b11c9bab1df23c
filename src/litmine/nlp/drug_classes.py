"""Hand-curated drug classes (``models/drug_classes.yaml``).

A class mention ("FLT3 inhibitors", "second-generation TKIs") is a CHEMICAL whose
``normalized`` is the class name and whose ``id`` is ``class:<slug>``; the relation
stage expands class-level triples to the member drugs listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from litmine.config import Settings

DRUG_CLASSES_FILE = "drug_classes.yaml"


@dataclass(frozen=True, slots=True)
class DrugClass:
    """One class: its normalized name, the surface forms naming it, its member drugs."""

    name: str
    members: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    generation: str = ""
    note: str = ""
    targets: tuple[str, ...] = ()  # genes or diseases the class is aimed at
    umbrella: bool = False  # "TKIs": members depend on the gene or disease in context

    @property
    def id(self) -> str:
        return class_id(self.name)


def class_id(name: str) -> str:
    """``class:`` + slug of the class name ("flt3 inhibitors" → ``class:flt3-inhibitors``)."""
    return "class:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_drug_classes(settings: Settings) -> dict[str, DrugClass]:
    """Classes by normalized name, read from ``settings.models_dir``."""
    return dict(_load(settings.models_dir / DRUG_CLASSES_FILE))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[tuple[str, DrugClass], ...]:
    import yaml  # deferred: only needed when classes are actually used

    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out: list[tuple[str, DrugClass]] = []
    for item in data.get("classes", []):
        name = str(item["name"]).strip().lower()
        cls = DrugClass(
            name=name,
            members=tuple(str(m).strip().lower() for m in item.get("members", [])),
            patterns=tuple(str(p) for p in item.get("patterns", [])),
            generation=str(item.get("generation", "") or ""),
            note=str(item.get("note", "") or ""),
            targets=tuple(str(t) for t in item.get("targets", [])),
            umbrella=bool(item.get("umbrella", False)),
        )
        out.append((name, cls))
    return tuple(out)
