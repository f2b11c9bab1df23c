"""Shared fixtures: settings pointing at the shared corpora and a session-wide extractor."""

from __future__ import annotations

import pytest

from litmine.config import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def extractor(settings):  # noqa: ANN001, ANN201 - litmine.pipeline.Extractor
    from litmine.pipeline import Extractor

    return Extractor(settings)


@pytest.fixture(scope="session")
def data_dir(settings):  # noqa: ANN001, ANN201
    if not settings.data_dir.is_dir():
        pytest.skip(f"shared data not found at {settings.data_dir}; set LITMINE_DATA_DIR")
    return settings.data_dir
