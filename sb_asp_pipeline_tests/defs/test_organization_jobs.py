"""The launchpad jobs change the organization with the same rules and messages as `sb-asp`,
and keep the mapping partitions in step."""

from __future__ import annotations

import dagster as dg
import pytest
from click.testing import CliRunner

from sb_asp_pipeline import cli
from sb_asp_pipeline.definitions import defs
from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.defs.partitions import MAPPINGS
from sb_asp_pipeline.ledger import Ledger


@pytest.fixture
def launchpad(sandbox, seeded, ledger_path, tmp_path, monkeypatch):
    """The sandbox's settings in the environment, an empty ledger and a Dagster instance."""
    for name, value in sandbox.settings(seeded).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SB_ASP_LEDGER", str(ledger_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def launch(instance, job: str, config: dict | None = None) -> dg.ExecuteInProcessResult:
    op = defs.resolve_job_def(job).graph.node_defs[0].name
    return defs.resolve_job_def(job).execute_in_process(
        run_config={"ops": {op: {"config": config}}} if config else None,
        instance=instance,
        raise_on_error=False,
    )


def add_config(seeded, **changes) -> dict:
    config = {
        "sb_event": seeded.sb_event_id,
        "asp_event": seeded.asp_event_id,
        "seminar": seeded.seminar_id,
        "withdrawn": "keep",
    }
    return {**config, **changes}


def logged(instance, result) -> list[str]:
    return [entry.user_message for entry in instance.all_logs(result.run_id)]


def test_the_add_mapping_job_maps_the_event_connects_and_registers_its_partition(
    launchpad, seeded, ledger_path
):
    result = launch(launchpad, "add_mapping", add_config(seeded, withdrawn="deactivate"))

    assert result.success
    mapping = Ledger(ledger_path).mapping(seeded.sb_event_id)
    assert mapping is not None
    assert (mapping.seminar_id, mapping.withdrawn_policy) == (seeded.seminar_id, "deactivate")
    assert Ledger(ledger_path).connection_state() is True
    assert launchpad.get_dynamic_partitions(MAPPINGS) == [f"sb-{seeded.sb_event_id}"]
    assert (
        f"mapped sb_event={seeded.sb_event_id} asp_event={seeded.asp_event_id} "
        f"seminar={seeded.seminar_id} partition=sb-{seeded.sb_event_id}"
    ) in "\n".join(logged(launchpad, result))


def test_mapping_an_event_twice_fails_with_the_message_of_the_cli_and_changes_nothing(
    launchpad, seeded, ledger_path
):
    launch(launchpad, "add_mapping", add_config(seeded))

    result = launch(launchpad, "add_mapping", add_config(seeded, seminar="another-seminar"))
    args = f"--sb-event {seeded.sb_event_id} --asp-event {seeded.asp_event_id}"
    from_cli = CliRunner().invoke(
        cli.main, ["mappings", "add", *args.split(), "--seminar", "another-seminar"]
    )

    assert not result.success
    message = failure_message(result).removeprefix("map_event: ")
    assert message.startswith(f"Sessionboard event {seeded.sb_event_id} is already mapped")
    assert from_cli.exit_code == 1
    assert from_cli.output.strip() == f"Error: {message}"
    assert Ledger(ledger_path).mapping(seeded.sb_event_id).seminar_id == seeded.seminar_id


def test_a_withdrawn_policy_outside_keep_and_deactivate_is_refused_by_the_launchpad(
    launchpad, seeded
):
    with pytest.raises(dg.DagsterInvalidConfigError, match="withdrawn"):
        launch(launchpad, "add_mapping", add_config(seeded, withdrawn="delete"))


def test_the_remove_mapping_job_stops_the_mapping_and_drops_its_partition(
    launchpad, seeded, ledger_path
):
    launch(launchpad, "add_mapping", add_config(seeded))

    removed = launch(launchpad, "remove_mapping", {"sb_event": seeded.sb_event_id})
    again = launch(launchpad, "remove_mapping", {"sb_event": seeded.sb_event_id})

    assert removed.success
    assert Ledger(ledger_path).mapping(seeded.sb_event_id) is None
    assert len(Ledger(ledger_path).mappings(include_removed=True)) == 1, "history stays"
    assert launchpad.get_dynamic_partitions(MAPPINGS) == []
    assert failure_message(again) == (
        f"unmap_event: no active mapping for Sessionboard event {seeded.sb_event_id}: "
        "`sb-asp mappings list` shows the active ones"
    )


def test_disconnecting_stops_every_sync_and_connecting_again_lets_it_write(
    launchpad, seeded, admin
):
    launch(launchpad, "add_mapping", add_config(seeded))

    assert launch(launchpad, "disconnect_organization").success
    stopped, _ = materialize_mapping(seeded.sb_event_id, instance=launchpad)
    writes_while_disconnected = admin.asp_writes()
    assert launch(launchpad, "connect_organization").success
    _, report = materialize_mapping(seeded.sb_event_id, instance=launchpad)

    assert "the organization is disconnected from ASP" in failure_message(stopped)
    assert "connect_organization job" in failure_message(stopped)
    assert writes_while_disconnected == []
    assert report is not None and report.sessions["created"] > 0
