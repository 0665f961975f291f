"""Where the pipeline keeps its files: SB_ASP_HOME holds the ledger and DAGSTER_HOME."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECRET_NAMES = ("SESSIONBOARD_API_TOKEN", "ASP_API_KEY", "ASP_API_SECRET")


def home() -> Path:
    return Path(os.environ.get("SB_ASP_HOME") or PROJECT_ROOT / ".sb-asp").resolve()


def ledger_path() -> Path:
    return Path(os.environ.get("SB_ASP_LEDGER") or home() / "ledger.duckdb")


def ensure_dagster_home() -> Path:
    """Point DAGSTER_HOME inside SB_ASP_HOME (unless set) and give it the project's
    dagster.yaml, so runs started from the CLI show in `make ui`."""
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or home() / "dagster")
    dagster_home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(dagster_home)

    template = PROJECT_ROOT / "dagster.yaml"
    target = dagster_home / "dagster.yaml"
    if template.exists() and template.resolve() != target.resolve():
        shutil.copyfile(template, target)
    return dagster_home
