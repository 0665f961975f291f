"""Rejections are data (R15, R20): each sync keeps one row per refused record, in the ledger's
DuckDB table and in the Dagster materialization's metadata table, with the record's Sessionboard
id, the field, the rule, the offending value (shortened) and a message a person can act on."""

from __future__ import annotations

import dagster as dg
import duckdb

from sb_asp_pipeline_tests.agenda import event_doc, person, talk

ADA = person("Ada", "Lovelace")
BRUNO = person("Bruno", "")
WHEN = "sometime in the second week of June, after lunch, probably around two o'clock or so"


def broken_agenda(agenda):
    return agenda(
        event_doc(
            [
                talk("R-1", ADA, BRUNO),
                talk("R-2", ADA, title="\u200b\u00a0"),
                talk("R-3", ADA, starts_at=WHEN),
            ]
        )
    )


def expected_rows(env):
    return [
        (
            "session",
            env.sb_id("R-2"),
            "R-2",
            "title",
            "R15",
            "<U+200B><U+00A0>",
            "session R-2: title is empty or only invisible characters: give it a title",
        ),
        (
            "session",
            env.sb_id("R-3"),
            "R-3",
            "starts_at",
            "R10a",
            WHEN[:79] + "…",
            "session R-3: start is not an ISO-8601 date-time: set it again in Sessionboard",
        ),
        (
            "speaker",
            BRUNO["id"],
            "Bruno",
            "last_name",
            "R14",
            "",
            "speaker Bruno: last name is required: add it to the contact in Sessionboard; "
            "left off session(s) R-1, which are still written",
        ),
    ]


def test_r20_each_refused_record_is_a_row_of_the_ledger_rejections_table_per_sync(
    agenda, ledger_path
):
    env = broken_agenda(agenda)

    env.sync()
    env.sync()

    with duckdb.connect(str(ledger_path), read_only=True) as db:
        rows = db.execute(
            "SELECT r.sync_id, kind, record_id, label, field, rule, value, message "
            "FROM rejections r JOIN sync_runs USING (sync_id) ORDER BY started_at, kind, label"
        ).fetchall()
        syncs = db.execute("SELECT sync_id FROM sync_runs ORDER BY started_at").fetchall()
    assert [row[0] for row in rows] == [syncs[0][0]] * 3 + [syncs[1][0]] * 3
    assert [row[1:] for row in rows] == expected_rows(env) * 2


def test_r20_each_refused_record_is_a_row_of_the_sync_metadata_table_in_dagster(agenda):
    env = broken_agenda(agenda)

    env.sync()

    event = env.env.instance.get_latest_materialization_event(dg.AssetKey("asp_sync"))
    assert event is not None and event.asset_materialization is not None
    table = event.asset_materialization.metadata["rejections"]
    assert isinstance(table, dg.TableMetadataValue)
    columns = ["kind", "record_id", "label", "field", "rule", "value", "message"]
    assert [column.name for column in table.schema.columns] == columns
    rows = sorted(tuple(record.data[c] for c in columns) for record in table.records)
    assert rows == expected_rows(env)
