"""The one place that reads litmine's environment; everything else takes a ``Settings``."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

NCBI_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_models_dir() -> Path:
    return PROJECT_ROOT / "models"


def _default_data_dir() -> Path:
    """The shared evaluation corpora live beside the checkout (``../shared/data``)."""
    return PROJECT_ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class Settings:
    """Run-wide configuration. Build it with ``Settings.from_env()``; override with flags."""

    eutils_url: str = NCBI_EUTILS_URL
    ncbi_email: str = ""
    ncbi_api_key: str = ""
    ncbi_tool: str = "litmine"
    data_dir: Path = _default_data_dir()
    models_dir: Path = _default_models_dir()
    work_dir: Path = Path("litmine-data")
    store_url: str = ""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        work_dir = Path(env.get("LITMINE_HOME", str(base.work_dir)))
        return cls(
            eutils_url=env.get("LITMINE_EUTILS_URL", base.eutils_url),
            ncbi_email=env.get("NCBI_EMAIL", ""),
            ncbi_api_key=env.get("NCBI_API_KEY", ""),
            data_dir=Path(env.get("LITMINE_DATA_DIR", str(base.data_dir))),
            models_dir=Path(env.get("LITMINE_MODELS_DIR", str(base.models_dir))),
            work_dir=work_dir,
            store_url=env.get("LITMINE_STORE_URL", ""),
        )

    @property
    def effective_store_url(self) -> str:
        """SQLite file in the work folder unless a store URL was given."""
        return self.store_url or f"sqlite:///{(self.work_dir / 'litmine.sqlite').as_posix()}"

    def with_overrides(self, **changes: object) -> Settings:
        """Command-line flags win over the environment; ``None`` means 'not given'."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
