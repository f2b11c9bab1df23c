"""Hand-curated drug classes and chemotherapy regimens (``models/drug_classes.yaml``).

A class mention ("FLT3 inhibitors", "second-generation TKIs") is a CHEMICAL whose
``normalized`` is the class name and whose ``id`` is ``class:<slug>``; the relation
stage expands class-level triples to the member drugs listed here. A regimen mention
("FOLFIRI", "R-CHOP", "7+3 induction") is a CHEMICAL with id ``regimen:<slug>``: a
combination, whose triples list its components.
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


@dataclass(frozen=True, slots=True)
class Regimen:
    """A chemotherapy regimen: drugs given together under one acronym.

    ``context`` forms are also words or gene symbols ("CHOP" is DDIT3, "FLAG" an epitope
    tag) and name the regimen only where the text says it is one ("CHOP chemotherapy")."""

    name: str
    components: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return "regimen:" + _slug(self.name)


def class_id(name: str) -> str:
    """``class:`` + slug of the class name ("flt3 inhibitors" → ``class:flt3-inhibitors``)."""
    return "class:" + _slug(name)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_drug_classes(settings: Settings) -> dict[str, DrugClass]:
    """Classes by normalized name, read from ``settings.models_dir``."""
    return dict(_load(settings.models_dir / DRUG_CLASSES_FILE)[0])


def load_regimens(settings: Settings) -> dict[str, Regimen]:
    """Regimens by normalized name, read from ``settings.models_dir``."""
    return dict(_load(settings.models_dir / DRUG_CLASSES_FILE)[1])


def _names(item: dict, key: str) -> tuple[str, ...]:
    return tuple(str(value).strip() for value in item.get(key, []))


@lru_cache(maxsize=4)
def _load(
    path: Path,
) -> tuple[tuple[tuple[str, DrugClass], ...], tuple[tuple[str, Regimen], ...]]:
    import yaml  # deferred: only needed when classes are actually used

    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    regimens = tuple(
        (
            name,
            Regimen(
                name=name,
                components=tuple(c.lower() for c in _names(item, "components")),
                patterns=_names(item, "patterns"),
                context=_names(item, "context"),
            ),
        )
        for item in data.get("regimens", [])
        for name in [str(item["name"]).strip().lower()]
    )
    out: list[tuple[str, DrugClass]] = []
    for item in data.get("classes", []):
        name = str(item["name"]).strip().lower()
        cls = DrugClass(
            name=name,
            members=tuple(m.lower() for m in _names(item, "members")),
            patterns=_names(item, "patterns"),
            generation=str(item.get("generation", "") or ""),
            note=str(item.get("note", "") or ""),
            targets=_names(item, "targets"),
            umbrella=bool(item.get("umbrella", False)),
        )
        out.append((name, cls))
    return tuple(out), regimens
