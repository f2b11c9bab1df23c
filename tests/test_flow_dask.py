"""The pipeline flow with extraction on a real Dask ``LocalCluster`` (two worker processes)
gives exactly the triples of the default thread runner."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flow_support import (  # noqa: F401 (fixtures)
    FlowWorld,
    prefect_server_fixture,
    run_args,
    world_fixture,
)

from litmine import orchestration as steps

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]


def test_dask_runner_on_a_local_cluster_gives_the_same_triples(
    world: FlowWorld, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    threads_out = steps.run_pipeline_flow(
        world.settings(tmp_path / "threads"), run_args(tmp_path / "threads-out", world)
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        settings = world.settings(tmp_path / "dask")
        args = run_args(
            tmp_path / "dask-out",
            world,
            "--task-runner",
            "dask",
            "--dask-address",
            cluster.scheduler_address,
        )
        dask_out = steps.run_pipeline_flow(settings, args)
        with distributed.Client(cluster) as client:
            # Each worker process built its own extractor: the NLP really ran out there.
            loaded = client.run(lambda: steps.extractor_for.cache_info().currsize)
    assert len(loaded) == 2 and sum(loaded.values()) >= 1, loaded
    run = steps.store_for(settings.effective_store_url).last_run()
    assert run is not None and run.params["task_runner"] == "dask"
    assert run.counts["extract"]["batches"] == 5
    threads = _rows(threads_out / "triples.csv")
    assert threads
    assert _rows(dask_out / "triples.csv") == threads
    assert _rows(dask_out / "reconciliation.csv") == _rows(threads_out / "reconciliation.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    """Rows without the extractor version, which follows models/ (rebuilt while tests run)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {k: v for k, v in row.items() if k != "extractor_version"}
            for row in csv.DictReader(handle)
        ]
