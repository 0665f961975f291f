"""The ledger's tables. Each is meant to be read by a person with the DuckDB CLI."""

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS mapping_ids START 1;

-- One row per mapping ever added; a removed mapping keeps its row (active = false), so
-- its history stays readable (R4).
CREATE TABLE IF NOT EXISTS mappings (
    mapping_id       BIGINT PRIMARY KEY,
    sb_event_id      BIGINT NOT NULL,
    asp_event_id     VARCHAR NOT NULL,
    seminar_id       VARCHAR NOT NULL,
    withdrawn_policy VARCHAR NOT NULL DEFAULT 'keep',
    active           BOOLEAN NOT NULL,
    added_at         TIMESTAMPTZ NOT NULL,
    removed_at       TIMESTAMPTZ
);

-- Every record written to ASP, per seminar: its ASP uuid and the payload last written.
-- state = 'tombstone' marks a record deleted in ASP, never written again (R18).
CREATE TABLE IF NOT EXISTS records (
    seminar_id   VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    source_key   VARCHAR NOT NULL,
    sb_event_id  BIGINT NOT NULL,
    asp_uuid     VARCHAR,
    payload_hash VARCHAR,
    payload      JSON,
    state        VARCHAR NOT NULL,
    sync_id      VARCHAR NOT NULL,
    written_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (seminar_id, kind, source_key)
);

-- One row per sync with its counts (R20).
CREATE TABLE IF NOT EXISTS sync_runs (
    sync_id     VARCHAR PRIMARY KEY,
    mapping_id  BIGINT NOT NULL,
    sb_event_id BIGINT NOT NULL,
    seminar_id  VARCHAR NOT NULL,
    run_id      VARCHAR,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,
    counts      JSON
);

-- One row per record a sync refused, with the rule and a message a person can act on.
CREATE TABLE IF NOT EXISTS rejections (
    sync_id     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    record_id   VARCHAR,
    label       VARCHAR,
    field       VARCHAR,
    rule        VARCHAR NOT NULL,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- The ASP connection of the organization (R1, R6). Only its state: the key and secret live in
-- the environment and never in this file.
CREATE TABLE IF NOT EXISTS connections (
    organization VARCHAR PRIMARY KEY,
    connected    BOOLEAN NOT NULL,
    asp_base_url VARCHAR,
    changed_at   TIMESTAMPTZ NOT NULL
);
"""
