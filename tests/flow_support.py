"""Shared set-up of the flow tests: a fake PubMed with faults, a small reference list, and
``litmine run`` arguments parsed by the real CLI parser.

Prefect reads its settings once, at import, so ``prefect_server`` points PREFECT_HOME at a
session temp folder before it imports Prefect.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_eutils import FakeEutils, start_fake_eutils

from litmine.cli import build_parser
from litmine.config import Settings

QUERY = "leukemia resistance"
N_TOPIC = 400
# Two references of the seed list that the fake's ECitMatch resolves, and their neighbours.
REFERENCES = [
    {"ref": "1", "first_author": "Nakayama KI", "authors": "Nakayama KI, Nakayama K",
     "title": "Ubiquitin ligases: Cell-cycle control and cancer", "journal": "Nat Rev Cancer",
     "year": "2006", "volume": "6", "issue": "5", "first_page": "369", "last_page": "381"},
    {"ref": "2", "first_author": "Frescas D", "authors": "Frescas D, Pagano M",
     "title": "Deregulated proteolysis by the F-box proteins SKP2 and beta-TrCP",
     "journal": "Nat Rev Cancer", "year": "2008", "volume": "8", "issue": "6",
     "first_page": "438", "last_page": "449"},
]  # fmt: skip


@pytest.fixture(name="prefect_server", scope="session")
def prefect_server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Prefect's test harness (temporary database and API server) for the whole session,
    with PREFECT_HOME (persisted results) in a temp folder instead of ~/.prefect."""
    home = tmp_path_factory.mktemp("prefect-home")
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "DO_NOT_TRACK")}
    os.environ.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@dataclasses.dataclass
class FlowWorld:
    """The fake PubMed plus the ids the tests reason about."""

    fake: FakeEutils
    topic: list[str]  # what the topic query returns (one of them malformed)
    spare: list[str]  # recorded articles no query returns yet ("next week's papers")
    references: dict[str, str]  # reference number -> PMID
    neighbours: list[str]
    malformed: str
    references_csv: Path

    def settings(self, work_dir: Path) -> Settings:
        return dataclasses.replace(self.fake.settings(), work_dir=work_dir)


def make_world(fake: FakeEutils, folder: Path) -> FlowWorld:
    ids = sorted(fake.articles)
    refs = {"1": ids[0], "2": ids[1]}
    neighbours = ids[2:8]
    topic = ids[8 : 8 + N_TOPIC]
    spare = ids[8 + N_TOPIC :]
    fake.searches[QUERY] = topic
    fake.citations[("nat rev cancer", "2006", "6", "369")] = refs["1"]
    fake.citations[("nat rev cancer", "2008", "8", "438")] = refs["2"]
    fake.neighbors[refs["1"]] = [(p, 900 - i) for i, p in enumerate(neighbours[:4])]
    fake.neighbors[refs["2"]] = [(p, 800 - i) for i, p in enumerate(neighbours[2:])]
    malformed = topic[17]
    fake.malformed.add(malformed)
    path = folder / "references.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(REFERENCES[0]))
        writer.writeheader()
        writer.writerows(REFERENCES)
    return FlowWorld(fake, topic, spare, refs, neighbours, malformed, path)


@pytest.fixture(name="world")
def world_fixture(tmp_path: Path) -> Iterator[FlowWorld]:
    """A fresh fake PubMed answering the test query with 400 records."""
    data_dir = Settings.from_env().data_dir
    if not (data_dir / "pubmed_xml").is_dir():
        pytest.skip("shared pubmed_xml recordings not present")
    fake, server = start_fake_eutils(data_dir)
    try:
        yield make_world(fake, tmp_path)
    finally:
        server.shutdown()
        server.server_close()


def run_args(
    out: Path, world: FlowWorld, *extra: str, use_model: bool = False
) -> argparse.Namespace:
    """``litmine run`` arguments as the CLI parses them, plus the flow-only knobs tests use."""
    args = build_parser().parse_args(
        ["run", "--query", QUERY, "--max-results", str(N_TOPIC), "--neighbours", "5",
         "--out", str(out), "--batch-size", "100", *extra]
    )  # fmt: skip
    args.no_model = not use_model
    args.references = world.references_csv
    return args
