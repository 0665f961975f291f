"""The project as its users run it: `dagster dev` (webserver and daemon) on loopback, with the
project's workspace.yaml and dagster.yaml, driven through its GraphQL API."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sb_asp_pipeline.ledger import Ledger
from sb_asp_pipeline.settings import PROJECT_ROOT

DAGSTER = Path(sys.executable).with_name("dagster")
LOCATION = {"repositoryLocationName": "sb_asp_pipeline", "repositoryName": "__repository__"}
START_TIMEOUT_S = 60
RUN_TIMEOUT_S = 90
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}
CHECKS = {"timezones_match", "seminar_has_sessionboard_id", "rejected_share", "no_failed_writes"}


class DagsterDev:
    """A running `dagster dev` and a small GraphQL client for it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def query(self, text: str, **variables: Any) -> dict[str, Any]:
        response = self.http.post(
            f"{self.url}/graphql", json={"query": text, "variables": variables}, timeout=30
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mapped_sample(sandbox, seeded, tmp_path) -> dict[str, str]:
    """The sample event mapped in a fresh ledger; the environment `dagster dev` needs."""
    ledger = Ledger(tmp_path / "ledger.duckdb")
    ledger.init()
    ledger.add_mapping(seeded.sb_event_id, seeded.asp_event_id, seeded.seminar_id)
    return {
        **sandbox.settings(seeded),
        "SB_ASP_LEDGER": str(ledger.path),
        "SB_ASP_HOME": str(tmp_path),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }


@pytest.fixture
def dagster_dev(mapped_sample, tmp_path) -> Iterator[DagsterDev]:
    """`dagster dev` on a free loopback port, stopped with its whole process group."""
    home = Path(mapped_sample["DAGSTER_HOME"])
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    log = (tmp_path / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [str(DAGSTER), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **mapped_sample},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield wait_until_up(DagsterDev(f"http://127.0.0.1:{port}"), process, tmp_path)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_until_up(dev: DagsterDev, process: subprocess.Popen, tmp_path: Path) -> DagsterDev:
    """Wait for the webserver and for the code location to have loaded."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / "dagster-dev.log").read_text()
        try:
            if dev.http.get(f"{dev.url}/server_info", timeout=2).ok and location_loaded(dev):
                return dev
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"dagster dev did not start: {(tmp_path / 'dagster-dev.log').read_text()}")


def location_loaded(dev: DagsterDev) -> bool:
    data = dev.query(
        """{ workspaceOrError { ... on Workspace { locationEntries {
             name locationOrLoadError { __typename } } } } }"""
    )
    entries = data["workspaceOrError"]["locationEntries"]
    return [e["locationOrLoadError"]["__typename"] for e in entries] == ["RepositoryLocation"]


ADD_PARTITION = """
mutation($selector: RepositorySelector!, $key: String!) {
  addDynamicPartition(repositorySelector: $selector, partitionsDefName: "mappings",
                      partitionKey: $key) { __typename }
}"""

LAUNCH_RUN = """
mutation($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""

RUN = """
query($runId: ID!) {
  runOrError(runId: $runId) { ... on Run { status startTime endTime tags { key value } } }
}"""

CHECK_EVALUATIONS = """
query($runId: ID!) {
  logsForRun(runId: $runId) { ... on EventConnection { events {
    __typename
    ... on AssetCheckEvaluationEvent { evaluation { checkName success partition description } }
  } } }
}"""

PARTITION_RUNS = """
query($key: String!) {
  runsOrError(filter: {tags: [{key: "dagster/partition", value: $key}]}) {
    ... on Runs { results { runId status startTime endTime } }
  }
}"""


def launch_partition_run(dev: DagsterDev, key: str) -> str:
    added = dev.query(ADD_PARTITION, selector=LOCATION, key=key)["addDynamicPartition"]
    # The mappings sensor may have added it first: both say the partition is there.
    assert added["__typename"] in {"AddDynamicPartitionSuccess", "DuplicateDynamicPartitionError"}
    params = {
        "selector": {**LOCATION, "jobName": "sync_mapping"},
        "runConfigData": {},
        "executionMetadata": {"tags": [{"key": "dagster/partition", "value": key}]},
    }
    launched = dev.query(LAUNCH_RUN, params=params)["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id: str = launched["run"]["runId"]
    return run_id


def wait_for_run(dev: DagsterDev, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        run: dict[str, Any] = dev.query(RUN, runId=run_id)["runOrError"]
        if run["status"] in FINISHED:
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish within {RUN_TIMEOUT_S} s")


def finished_runs(dev: DagsterDev, key: str, at_least: int) -> list[dict[str, Any]]:
    """Every run of the partition, once there are `at_least` and none is queued or running
    (the schedule may add one at :00 or :30 while the test runs)."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        runs: list[dict[str, Any]] = dev.query(PARTITION_RUNS, key=key)["runsOrError"]["results"]
        unfinished = [r for r in runs if r["status"] not in FINISHED]
        for run in unfinished:
            wait_for_run(dev, run["runId"])
        if len(runs) >= at_least and not unfinished:
            return runs
        time.sleep(0.5)
    raise AssertionError(f"expected {at_least} finished runs of {key}, found {len(runs)}")


def test_a_partition_run_launched_through_graphql_succeeds_with_every_check_passed(
    dagster_dev, seeded, admin
):
    key = f"sb-{seeded.sb_event_id}"

    run_id = launch_partition_run(dagster_dev, key)
    run = wait_for_run(dagster_dev, run_id)

    assert run["status"] == "SUCCESS"
    events = dagster_dev.query(CHECK_EVALUATIONS, runId=run_id)["logsForRun"]["events"]
    evaluations = [
        e["evaluation"] for e in events if e["__typename"] == "AssetCheckEvaluationEvent"
    ]
    assert {e["checkName"]: e["success"] for e in evaluations} == dict.fromkeys(CHECKS, True)
    assert {e["partition"] for e in evaluations} == {key}
    assert admin.asp_sessions(seeded.seminar_id), "the sessions are in ASP"

    # The sensor requested the mapping's first sync as the daemon started; the run queue let
    # it and the launched run through one after the other, never both at once.
    runs = finished_runs(dagster_dev, key, at_least=2)
    assert {r["status"] for r in runs} == {"SUCCESS"}
    spans = sorted((r["startTime"], r["endTime"]) for r in runs if r["startTime"] is not None)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans)), spans
