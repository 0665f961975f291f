"""Backfills from the command line: `dagster job backfill` over any set of mapping partitions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg

from sb_asp_pipeline.defs.partitions import MAPPINGS
from sb_asp_pipeline.settings import PROJECT_ROOT

DAGSTER = Path(sys.executable).with_name("dagster")
# The runs are only queued here, so no API is called; the resources still want their settings.
SETTINGS = {
    "SESSIONBOARD_BASE_URL": "http://127.0.0.1:9",
    "SESSIONBOARD_API_TOKEN": "unused",
    "ASP_BASE_URL": "http://127.0.0.1:9",
    "ASP_API_KEY": "unused",
    "ASP_API_SECRET": "unused",
}


def backfill(home: Path, *selection: str) -> subprocess.CompletedProcess[str]:
    command = [str(DAGSTER), "job", "backfill", "-w", "workspace.yaml", "-j", "sync_mapping"]
    return subprocess.run(
        [*command, *selection, "--noprompt"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **SETTINGS, "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_backfills_the_chosen_mappings_then_all_one_queued_run_each(tmp_path):
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        instance.add_dynamic_partitions(MAPPINGS, ["sb-4101", "sb-4102", "sb-4103"])

    chosen = backfill(tmp_path, "--partitions", "sb-4101,sb-4103")
    every = backfill(tmp_path, "--all", "all")

    assert chosen.returncode == 0, chosen.stderr
    assert every.returncode == 0, every.stderr
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        runs = instance.get_runs(ascending=True)
    by_backfill: dict[str, list[str]] = {}
    for run in runs:
        assert run.status == dg.DagsterRunStatus.QUEUED, "the daemon launches them"
        assert run.job_name == "sync_mapping"
        by_backfill.setdefault(run.tags["dagster/backfill"], []).append(
            run.tags["dagster/partition"]
        )
    assert sorted(sorted(keys) for keys in by_backfill.values()) == [
        ["sb-4101", "sb-4102", "sb-4103"],
        ["sb-4101", "sb-4103"],
    ]
