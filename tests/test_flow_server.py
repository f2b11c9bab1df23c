"""The pipeline on a REAL Prefect server: `prefect server start` in a subprocess (temp home,
SQLite database, free loopback port); the deployment registered both ways a team would (by
`litmine serve` and by `prefect deploy` with prefect.yaml and a process worker); runs
triggered through the API and watched until they complete."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flow_support import QUERY, FlowWorld, world_fixture  # noqa: F401 (fixture)

from litmine.config import PROJECT_ROOT
from litmine.orchestration import DEFAULT_CRON, FLOW_NAME

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
SMALL_RUN = {"queries": [QUERY], "max_results": 60, "neighbours": 0, "use_model": False}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(what: str, check: Any, timeout: float, proc: subprocess.Popen[str] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: process exited with {proc.returncode}")
        try:
            value = check()
        except httpx.HTTPError:
            value = None
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)


@pytest.fixture(name="server")
def server_fixture(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real Prefect server; yields its API URL and the environment that points at it."""
    port = _free_port()
    home = tmp_path / "prefect-home"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'server.db'}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
    }
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        api = env["PREFECT_API_URL"]
        _wait(
            "the Prefect server", lambda: httpx.get(f"{api}/health").status_code == 200, 180, proc
        )
        yield api, env
    finally:
        _stop(proc)
        log.close()


def _deployment(api: str, name: str) -> dict[str, Any] | None:
    response = httpx.get(f"{api}/deployments/name/{FLOW_NAME}/{name}")
    return response.json() if response.status_code == 200 else None


def _create_flow_run(api: str, deployment_id: str, parameters: dict[str, Any]) -> httpx.Response:
    """POST create_flow_run; a busy server (SQLite locked under load) answers 503: try again."""
    for attempt in range(8):
        created = httpx.post(
            f"{api}/deployments/{deployment_id}/create_flow_run",
            json={"parameters": parameters},
            timeout=60,
        )
        if created.status_code != 503:
            break
        time.sleep(2 + 2 * attempt)
    created.raise_for_status()
    return created


def _run_and_wait(api: str, deployment_id: str, parameters: dict[str, Any]) -> dict[str, Any]:
    created = _create_flow_run(api, deployment_id, parameters)
    run_id = created.json()["id"]

    def finished() -> dict[str, Any] | None:
        run = httpx.get(f"{api}/flow_runs/{run_id}").json()
        return run if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED") else None

    return _wait("the flow run", finished, 600)


def _litmine_env(env: dict[str, str], world: FlowWorld, home: Path) -> dict[str, str]:
    return {
        **env,
        "LITMINE_EUTILS_URL": world.fake.url,
        "LITMINE_HOME": str(home),
        "NCBI_EMAIL": "dev@example.org",
    }


def test_litmine_serve_registers_the_weekly_deployment_and_runs_it(
    server: tuple[str, dict[str, str]], world: FlowWorld, tmp_path: Path
) -> None:
    api, env = server
    home = tmp_path / "serve-home"
    serve_log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "litmine.cli", "serve", "--name", "test-weekly"],
        env=_litmine_env(env, world, home), cwd=tmp_path, stdout=serve_log,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deployment = _wait("the deployment", lambda: _deployment(api, "test-weekly"), 180, serve)
        [schedule] = deployment["schedules"]
        assert schedule["schedule"]["cron"] == DEFAULT_CRON
        assert deployment["parameters"]["reldate"] == 14

        out = tmp_path / "serve-out"
        run = _run_and_wait(api, deployment["id"], {**SMALL_RUN, "out": str(out)})
        assert run["state"]["type"] == "COMPLETED", (tmp_path / "serve.log").read_text()[-3000:]
        assert (out / "triples.csv").read_text().startswith("doc_id,")
        assert (home / "litmine.sqlite").is_file()
    finally:
        _stop(serve)
        serve_log.close()


def test_prefect_yaml_deploys_the_same_deployment_and_a_worker_runs_it(
    server: tuple[str, dict[str, str]], world: FlowWorld, tmp_path: Path
) -> None:
    api, env = server
    prefect = str(BIN / "prefect")
    subprocess.run(
        [prefect, "work-pool", "create", "litmine", "--type", "process"],
        env=env, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    deployed = subprocess.run(
        [prefect, "--no-prompt", "deploy", "--all"],
        env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    deployment = _deployment(api, "weekly")
    assert deployment is not None
    [schedule] = deployment["schedules"]
    assert schedule["schedule"]["cron"] == DEFAULT_CRON
    assert deployment["work_pool_name"] == "litmine"

    out = tmp_path / "worker-out"
    created = _create_flow_run(api, deployment["id"], {**SMALL_RUN, "out": str(out)})
    worker = subprocess.run(
        [prefect, "worker", "start", "--pool", "litmine", "--run-once"],
        env=_litmine_env(env, world, tmp_path / "worker-home"), cwd=tmp_path,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    run = httpx.get(f"{api}/flow_runs/{created.json()['id']}").json()
    assert run["state"]["type"] == "COMPLETED", worker.stdout[-3000:] + worker.stderr[-3000:]
    rows = (out / "triples.csv").read_text().splitlines()
    assert rows[0].startswith("doc_id,") and len(rows) > 1
