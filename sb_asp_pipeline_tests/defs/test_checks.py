"""Asset checks in real runs against the sandbox: the preconditions block the load and say why;
the load's checks report refusals and failed writes without failing the run."""

from __future__ import annotations

import dagster as dg
import pytest

from sb_asp_pipeline.defs.failures import INTERACTIVE_TAG, as_failure
from sb_asp_pipeline.defs.launch import failure_message, materialize_mapping
from sb_asp_pipeline.errors import ConfigurationError
from sb_asp_pipeline.http import TransientError


def run(env):
    return materialize_mapping(env.seeded.sb_event_id, instance=env.instance)


def evaluations(result) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_a_good_sync_passes_every_check_of_its_partition(synced_sample):
    result, report = run(synced_sample)

    assert report is not None
    checks = evaluations(result)
    assert {name: e.passed for name, e in checks.items()} == {
        "timezones_match": True,
        "seminar_has_sessionboard_id": True,
        "rejected_share": True,
        "no_failed_writes": True,
    }
    assert {e.partition for e in checks.values()} == {f"sb-{synced_sample.seeded.sb_event_id}"}


def test_the_load_reports_typed_counts_the_rejections_table_the_seminar_and_its_duration(
    synced_sample,
):
    result, report = run(synced_sample)

    metadata = result.asset_materializations_for_node("asp_sync")[0].metadata
    assert report is not None
    assert metadata["sessions_created"] == dg.MetadataValue.int(report.sessions["created"])
    assert metadata["speakers_rejected"] == dg.MetadataValue.int(report.speakers["rejected"])
    assert metadata["asp_writes"] == dg.MetadataValue.int(report.writes)
    assert metadata["seminar_id"] == dg.MetadataValue.text(synced_sample.seeded.seminar_id)
    assert isinstance(metadata["duration_s"], dg.FloatMetadataValue)
    table = metadata["rejections"]
    assert isinstance(table, dg.TableMetadataValue)
    assert len(table.records) == len(report.rejections) > 0


def test_different_timezones_fail_the_blocking_check_and_nothing_downstream_runs(synced_sample):
    env = synced_sample
    env.admin.asp_update_event(env.seeded.asp_event_id, {"timezone": "Europe/London"})

    result, report = run(env)

    assert report is None
    checks = evaluations(result)
    assert not checks["timezones_match"].passed
    assert "Europe/Paris" in checks["timezones_match"].description
    assert "Europe/London" in checks["timezones_match"].description
    assert checks["seminar_has_sessionboard_id"].passed, "each precondition is judged alone"
    assert "rejected_share" not in checks, "the load never ran"
    assert [m.asset_key.to_user_string() for m in result.get_asset_materialization_events()] == [
        "asp_seminar"
    ]
    assert env.admin.asp_writes() == []
    assert env.ledger.sync_runs().empty
    assert failure_message(result).startswith("asp_seminar: timezones differ:")


def test_a_seminar_without_the_sessionboard_id_field_fails_its_blocking_check(synced_sample):
    env = synced_sample
    env.admin.asp_update_seminar(env.seeded.seminar_id, {"customFields": []})

    result, report = run(env)

    assert report is None
    check = evaluations(result)["seminar_has_sessionboard_id"]
    assert not check.passed
    assert "add a custom text field with that slug" in check.description
    assert env.admin.asp_writes() == []


def test_a_failed_asp_write_fails_its_check_but_not_the_run(synced_sample):
    env = synced_sample
    env.sync()
    session = env.admin.asp_sessions(env.seeded.seminar_id)[0]
    sb_id = session["customFields"]["sessionboard_id"]
    env.admin.update_session(env.seeded.sb_event_id, sb_id, {"title": "Changed"})
    env.admin.add_fault("asp", "/public/seminars/", 503, method="PUT", retry_after="0", count=50)

    result, report = run(env)

    assert report is not None and report.failed == 1
    check = evaluations(result)["no_failed_writes"]
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.ERROR
    assert check.description.startswith("1 of 1 ASP writes failed")
    assert result.success


@pytest.mark.parametrize(
    ("error", "tags", "attempts"),
    [
        (TransientError("ASP answered 503", status=503, url="u"), {}, 3),
        (TransientError("ASP answered 503", status=503, url="u"), {INTERACTIVE_TAG: "true"}, 1),
        (ConfigurationError("the organization is disconnected"), {}, 1),
    ],
    ids=["transient-unattended", "transient-interactive", "configuration"],
)
def test_only_a_transient_error_in_an_unattended_run_is_retried(error, tags, attempts):
    calls = []

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky(context) -> None:
        calls.append(context.retry_number)
        with as_failure(context):
            raise error

    result = dg.materialize([flaky], tags=tags, raise_on_error=False)

    assert len(calls) == attempts
    assert not result.success
