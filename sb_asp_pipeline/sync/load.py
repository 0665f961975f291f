"""Load: the only step that writes to ASP. Idempotent by construction: it reads what the
ledger says was written, writes only the difference, and looks a record up in ASP before
creating it, so a sync killed between a write and its ledger row never duplicates it."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from sb_asp_pipeline.asp import AspClient, Seminar, SessionRecord, SpeakerRecord
from sb_asp_pipeline.asp.records import session_sessionboard_id
from sb_asp_pipeline.errors import NotFoundError, ValidationRefused
from sb_asp_pipeline.http import TransientError
from sb_asp_pipeline.ledger import TOMBSTONE, WRITTEN, Ledger, LedgerRecord, Mapping
from sb_asp_pipeline.sync.plan import Action, matches, payload_hash, plan_records
from sb_asp_pipeline.sync.programme import AspPlan, outcomes_frame
from sb_asp_pipeline.sync.rules import RULES, left_off_sessions, shorten
from sb_asp_pipeline.sync.text import clean_text

log = logging.getLogger(__name__)

LEDGER_BATCH = 50  # ledger rows are flushed this often; a crash loses at most these, and the
# lookup before each create recovers them.
CREATE_ATTEMPTS = 3
# R20: attempted = succeeded + skipped + rejected + failed; succeeded = created + updated +
# unchanged (a record already right in ASP has succeeded too).
COUNT_NAMES = (
    "attempted",
    "succeeded",
    "created",
    "updated",
    "unchanged",
    "skipped",
    "rejected",
    "failed",
)


@dataclass
class SyncReport:
    """R20: per kind, how many records were attempted and what became of each."""

    sessions: dict[str, int]
    speakers: dict[str, int]
    writes: int
    rejections: pd.DataFrame
    skips: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        flat = {f"sessions_{k}": v for k, v in self.sessions.items()}
        flat.update({f"speakers_{k}": v for k, v in self.speakers.items()})
        flat["asp_writes"] = self.writes
        return flat

    @property
    def failed(self) -> int:
        return self.sessions["failed"] + self.speakers["failed"]


def load_plan(
    plan: AspPlan,
    seminar: Seminar,
    mapping: Mapping,
    asp: AspClient,
    ledger: Ledger,
    sync_id: str,
) -> SyncReport:
    """Write the plan into the seminar and the ledger; report what happened to every record."""
    loader = _Loader(seminar, mapping, asp, ledger, sync_id)
    places = loader.ensure_places(plan.sessions)
    speaker_uuids = loader.load_speakers(plan.speakers, sessions_by_speaker(plan.sessions))
    loader.load_sessions(plan.sessions, speaker_uuids, places)
    loader.apply_withdrawn_policy(plan.skips)
    return loader.report(plan)


class _Loader:
    def __init__(
        self, seminar: Seminar, mapping: Mapping, asp: AspClient, ledger: Ledger, sync_id: str
    ) -> None:
        self.seminar = seminar
        self.mapping = mapping
        self.asp = asp
        self.ledger = ledger
        self.sync_id = sync_id
        self.counts = {kind: dict.fromkeys(COUNT_NAMES, 0) for kind in ("session", "speaker")}
        self.writes = 0
        self.rejections: list[dict[str, Any]] = []
        self.skips: list[dict[str, Any]] = []
        self.pending: list[LedgerRecord] = []
        self.known_speakers: dict[str, LedgerRecord] = {}
        self.speaker_subjects: dict[str, _Subject] = {}
        self.speaker_keys: dict[str, str] = {}  # ASP uuid -> email key
        self.deleted_speakers: set[str] = set()
        self.live_speakers: set[str] = set()
        self.unchanged_speakers: set[str] = set()
        self.known_sessions: dict[str, LedgerRecord] = {}
        self.looked_up: set[str] = set()

    # --- locations and streams -----------------------------------------------------------

    def ensure_places(self, sessions: pd.DataFrame) -> dict[str, dict[str, str]]:
        """Create the locations and streams the sessions use that ASP does not have (R12).
        Matched by name without case, so a rerun never creates a second one."""
        # Read afresh, not from the preflight: another sync of this seminar may have created
        # some while this one waited for its turn to write.
        current_locations, current_streams = self.asp.places(self.seminar.uuid)
        locations = _by_folded_name({place["name"]: place["uuid"] for place in current_locations})
        streams = _by_folded_name({place["name"]: place["uuid"] for place in current_streams})
        for name in sorted(set(sessions["location"].dropna())):
            if name.casefold() not in locations:
                locations[name.casefold()] = self._write(
                    partial(self.asp.create_location, self.seminar.uuid, name)
                )
        colours = sessions.dropna(subset=["stream"]).drop_duplicates("stream")
        for name, colour in zip(colours["stream"], colours["stream_colour"], strict=True):
            if name.casefold() not in streams:
                streams[name.casefold()] = self._write(
                    partial(self.asp.create_stream, self.seminar.uuid, name, colour)
                )
        log.info("load locations=%s streams=%s", len(locations), len(streams))
        return {"location": locations, "stream": streams}

    # --- speakers ------------------------------------------------------------------------

    def load_speakers(
        self, speakers: pd.DataFrame, sessions_of: dict[str, list[str]]
    ) -> dict[str, str]:
        """Upsert one ASP speaker per person; the uuid of each usable one, by email key.
        A speaker without a uuid is left off its sessions, and its outcome says which."""
        rows = {row["email_key"]: row for row in speakers.to_dict("records")}
        desired = {key: _speaker_record(row).to_payload() for key, row in rows.items()}
        self.known_speakers = self.ledger.records(self.seminar.uuid, "speaker")
        uuids: dict[str, str] = {}
        for action in plan_records(desired, self.known_speakers):
            row = rows[action.key]
            subject = _Subject(
                "speaker",
                row["speaker_id"],
                f"{row['first_name']} {row['last_name']}",
                left_off_sessions(sessions_of.get(action.key, [])),
            )
            self.speaker_subjects[action.key] = subject
            if action.operation == "unchanged":
                self.unchanged_speakers.add(action.key)
            uuid = self._apply(
                subject,
                action,
                find=partial(self.asp.find_speaker, desired[action.key]["email"]),
                create=self.asp.create_speaker,
                replace=self.asp.replace_speaker,
            )
            if uuid:
                uuids[action.key] = uuid
        self.speaker_keys = {uuid: key for key, uuid in uuids.items()}
        self._flush()
        self._log_counts("speaker")
        return uuids

    # --- sessions ------------------------------------------------------------------------

    def load_sessions(
        self,
        sessions: pd.DataFrame,
        speaker_uuids: dict[str, str],
        places: dict[str, dict[str, str]],
    ) -> None:
        desired = {
            row["session_id"]: _session_record(row, speaker_uuids, places).to_payload()
            for row in sessions.to_dict("records")
        }
        labels = dict(zip(sessions["session_id"], sessions["friendly_id"], strict=True))
        self.known_sessions = self.ledger.records(self.seminar.uuid, "session")
        actions = plan_records(desired, self.known_sessions)
        in_asp = self._sessions_in_asp() if any(a.operation == "create" for a in actions) else {}

        # Limitation: records are written one at a time, so a first sync of thousands of sessions
        # takes one ASP round trip per record (97 s for 2,000 sessions against the sandbox, see
        # `make bench`). A bounded thread pool per kind, within the Dagster pool, would lift it.
        for action in actions:
            self._apply(
                _Subject("session", action.key, labels[action.key] or action.key),
                action,
                find=partial(self._find_session, in_asp, action.key),
                create=partial(self.asp.create_session, self.seminar.uuid),
                replace=partial(self.asp.replace_session, self.seminar.uuid),
                repair=self._without_deleted_speakers,
            )
        self._flush()
        self._log_counts("session")

    def apply_withdrawn_policy(self, skips: pd.DataFrame) -> None:
        """R18a: with `deactivate`, a synced session that is no longer accepted is set inactive
        in ASP. With `keep` (the default) ASP is left as it is."""
        if self.mapping.withdrawn_policy != "deactivate":
            return
        withdrawn = skips[(skips["kind"] == "session") & (skips["field"] == "status")]
        # load_sessions never writes a withdrawn session, so its ledger rows are still current.
        known = self.known_sessions
        desired = {
            key: {**known[key].payload, "isActive": False}  # type: ignore[dict-item]
            for key in withdrawn["record_id"]
            if key in known and known[key].state == WRITTEN and known[key].payload
        }
        labels = dict(zip(withdrawn["record_id"], withdrawn["label"], strict=True))
        for action in plan_records(desired, known):
            if action.operation != "update":
                continue
            self._apply(
                _Subject("session", action.key, labels.get(action.key) or action.key),
                action,
                find=_nothing,
                create=_no_create,
                replace=partial(self.asp.replace_session, self.seminar.uuid),
                repair=self._without_deleted_speakers,
                count=False,
            )
            log.info("load deactivated session=%s", action.key)
        self._flush()

    def _without_deleted_speakers(self, action: Action, error: ValidationRefused) -> Action | None:
        """R18: a speaker deleted in ASP since its last write makes ASP refuse every session
        that still names it. Such speakers are tombstoned and the session written without
        them, rather than the session being refused until the speaker changes."""
        if "speakerUuids" not in error.fields:
            return None
        named = list(action.payload.get("speakerUuids") or [])
        gone = {uuid for uuid in named if self._speaker_deleted(uuid)}
        if not gone:
            return None
        payload = {**action.payload, "speakerUuids": [u for u in named if u not in gone]}
        return dataclasses.replace(action, payload=payload, payload_hash=payload_hash(payload))

    def _speaker_deleted(self, uuid: str) -> bool:
        if uuid in self.deleted_speakers:
            return True
        if uuid in self.live_speakers:
            return False
        if self.asp.speaker(uuid) is not None:
            # Asked once per sync: each refused session naming it would ask again otherwise.
            self.live_speakers.add(uuid)
            return False
        self.deleted_speakers.add(uuid)
        key = self.speaker_keys.get(uuid)
        if key is None:
            return True
        known = self.known_speakers.get(key)
        subject = self.speaker_subjects[key]
        if key in self.unchanged_speakers:
            # Counted unchanged earlier in this sync, from its ledger row; it is a skip now.
            self.counts["speaker"]["unchanged"] -= 1
            self.counts["speaker"]["skipped"] += 1
            self.skips.append(subject.outcome("speaker_deleted_in_asp", dropped=True))
        self.pending.append(
            LedgerRecord(
                seminar_id=self.seminar.uuid,
                kind="speaker",
                source_key=key,
                sb_event_id=self.mapping.sb_event_id,
                asp_uuid=uuid,
                payload_hash=known.payload_hash if known else None,
                payload=known.payload if known else None,
                state=TOMBSTONE,
                sync_id=self.sync_id,
            )
        )
        log.warning("load tombstoned kind=speaker id=%s uuid=%s", subject.record_id, uuid)
        return True

    # --- one record ----------------------------------------------------------------------

    def _apply(
        self,
        subject: _Subject,
        action: Action,
        *,
        find: Callable[[], dict[str, Any] | None],
        create: Callable[[dict[str, Any]], str],
        replace: Callable[[str, dict[str, Any]], None],
        repair: Callable[[Action, ValidationRefused], Action | None] | None = None,
        count: bool = True,
    ) -> str | None:
        """Apply one planned action; returns the record's ASP uuid, or None if it has none.
        When ASP refuses the payload, `repair` may offer a corrected action, tried once."""
        kind = subject.kind
        counts = self.counts[kind] if count else dict.fromkeys(COUNT_NAMES, 0)
        try:
            if action.operation == "unchanged":
                counts["unchanged"] += 1
                return action.asp_uuid
            if action.operation == "tombstoned":
                counts["skipped"] += 1
                self.skips.append(subject.outcome(f"{kind}_deleted_in_asp", dropped=True))
                return None
            if action.operation == "update":
                assert action.asp_uuid is not None
                self._write(partial(replace, action.asp_uuid, action.payload))
                counts["updated"] += 1
                return self._remember(kind, action, action.asp_uuid)
            return self._create(kind, action, counts, find, create, replace)
        except NotFoundError:
            counts["skipped"] += 1
            self.skips.append(subject.outcome(f"{kind}_deleted_in_asp", dropped=True))
            self._remember(kind, action, action.asp_uuid, state=TOMBSTONE)
            log.warning("load tombstoned kind=%s id=%s uuid=%s", kind, action.key, action.asp_uuid)
            return None
        except ValidationRefused as error:
            repaired = repair(action, error) if repair else None
            if repaired is not None:
                return self._apply(
                    subject, repaired, find=find, create=create, replace=replace, count=count
                )
            counts["rejected"] += 1
            self.rejections.append(
                subject.refused(error, action.payload, dropped=action.asp_uuid is None)
            )
            return action.asp_uuid
        except TransientError as error:
            counts["failed"] += 1
            self.rejections.append(
                subject.outcome("write_failed", str(error), dropped=action.asp_uuid is None)
            )
            log.error("load failed kind=%s id=%s error=%s", kind, action.key, error)
            return action.asp_uuid

    def _create(
        self,
        kind: str,
        action: Action,
        counts: dict[str, int],
        find: Callable[[], dict[str, Any] | None],
        create: Callable[[dict[str, Any]], str],
        replace: Callable[[str, dict[str, Any]], None],
    ) -> str:
        """Create a record, unless ASP already has it (an earlier sync died before its ledger
        row was saved, or a timed-out create landed after all)."""
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            existing = find()
            if existing is not None:
                uuid = str(existing["uuid"])
                if matches(existing, action.payload):
                    counts["unchanged"] += 1
                else:
                    self._write(partial(replace, uuid, action.payload))
                    counts["updated"] += 1
                return self._remember(kind, action, uuid)
            try:
                uuid = self._write(partial(create, action.payload))
            except TransientError:
                if attempt == CREATE_ATTEMPTS:
                    raise
                log.warning("load create_retry kind=%s id=%s attempt=%s", kind, action.key, attempt)
                continue
            counts["created"] += 1
            return self._remember(kind, action, uuid)
        raise AssertionError("unreachable")

    def _write(self, call: Callable[[], Any]) -> Any:
        self.writes += 1
        return call()

    def _remember(
        self, kind: str, action: Action, uuid: str | None, *, state: str = WRITTEN
    ) -> str:
        self.pending.append(
            LedgerRecord(
                seminar_id=self.seminar.uuid,
                kind=kind,
                source_key=action.key,
                sb_event_id=self.mapping.sb_event_id,
                asp_uuid=uuid,
                payload_hash=action.payload_hash,
                payload=action.payload,
                state=state,
                sync_id=self.sync_id,
            )
        )
        if len(self.pending) >= LEDGER_BATCH:
            self._flush()
        return uuid or ""

    def _flush(self) -> None:
        self.ledger.save_records(self.pending)
        self.pending = []

    def _sessions_in_asp(self) -> dict[str, dict[str, Any]]:
        """The seminar's sessions by Sessionboard id: one paged read instead of one lookup per
        new session."""
        found: dict[str, dict[str, Any]] = {}
        for record in self.asp.sessions(self.seminar.uuid):
            key = session_sessionboard_id(record)
            if key:
                found.setdefault(key, record)
        return found

    def _find_session(
        self, prefetched: dict[str, dict[str, Any]], key: str
    ) -> dict[str, Any] | None:
        """The first lookup of a session is answered by the list read before the creates (this
        load holds the seminar's write slot); a lookup after a failed create asks ASP again,
        since that create may have landed."""
        if key not in self.looked_up:
            self.looked_up.add(key)
            return prefetched.get(key)
        return self.asp.find_session(self.seminar.uuid, key)

    def _log_counts(self, kind: str) -> None:
        counts = " ".join(f"{k}={v}" for k, v in self.counts[kind].items() if k != "attempted")
        log.info("load kind=%s %s writes=%s", kind, counts, self.writes)

    def report(self, plan: AspPlan) -> SyncReport:
        rejections = pd.concat(
            [plan.rejections, outcomes_frame(self.rejections)], ignore_index=True
        )
        skips = pd.concat([plan.skips, outcomes_frame(self.skips)], ignore_index=True)
        for kind, attempted in (
            ("session", plan.attempted_sessions),
            ("speaker", plan.attempted_speakers),
        ):
            counts = self.counts[kind]
            counts["attempted"] = attempted
            counts["skipped"] += int((plan.skips["kind"] == kind).sum())
            counts["rejected"] += int((plan.rejections["kind"] == kind).sum())
            counts["succeeded"] = counts["created"] + counts["updated"] + counts["unchanged"]
        return SyncReport(
            sessions=self.counts["session"],
            speakers=self.counts["speaker"],
            writes=self.writes,
            rejections=rejections,
            skips=skips,
            notes=[str(n) for n in plan.sessions["note"].dropna()],
        )


def _speaker_record(row: dict[str, Any]) -> SpeakerRecord:
    return SpeakerRecord(
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        job_title=row["job_title"],
        company=row["company"],
        website=row["website"],
        mobile=row["mobile"],
        biography=row["biography"],
        photo_url=row["photo_url"],
        facebook_url=row["facebook_url"],
        linkedin_url=row["linkedin_url"],
        twitter_url=row["twitter_url"],
    )


def _session_record(
    row: dict[str, Any], speaker_uuids: dict[str, str], places: dict[str, dict[str, str]]
) -> SessionRecord:
    location = row["location"]
    stream = row["stream"]
    return SessionRecord(
        sessionboard_id=row["session_id"],
        title=row["title"],
        description=row["description"],
        date=row["date"],
        start=row["start"],
        end=row["end"],
        session_type_uuid=row["session_type_uuid"],
        location_uuid=places["location"][location.casefold()] if location else None,
        stream_uuids=(places["stream"][stream.casefold()],) if stream else (),
        speaker_uuids=tuple(speaker_uuids[k] for k in row["speaker_keys"] if k in speaker_uuids),
        client_session_id=row["client_session_id"],
        content_url=row["content_url"],
        key_takeaways=row["key_takeaways"],
    )


def _nothing() -> None:
    return None


def _no_create(payload: dict[str, Any]) -> str:
    raise AssertionError("a withdrawn session is only ever updated")


def _by_folded_name(names: dict[str, str]) -> dict[str, str]:
    return {clean_text(name).casefold(): uuid for name, uuid in names.items()}


@dataclass(frozen=True)
class _Subject:
    """The record an action is about, as a person reads it in a rejection or skip."""

    kind: str
    record_id: str  # the Sessionboard id
    label: str
    left_off: str = ""  # for a speaker: the sessions written without it, if it gets no uuid

    def outcome(
        self, rule_key: str, detail: str | None = None, *, dropped: bool = False
    ) -> dict[str, Any]:
        rule = RULES[rule_key]
        message = f"{rule.message}" + (f" ({detail})" if detail else "")
        return self._row(rule.field, rule.code, "", message, dropped)

    def refused(
        self, error: ValidationRefused, payload: dict[str, Any], *, dropped: bool
    ) -> dict[str, Any]:
        fields = ", ".join(f"{name}: {reason}" for name, reason in error.fields.items())
        log.warning("load refused kind=%s id=%s fields=%s", self.kind, self.record_id, fields)
        message = (
            f"ASP refused it ({fields or error}); fix the value in Sessionboard or the "
            "seminar's settings in ASP"
        )
        values = [str(payload[name]) for name in error.fields if name in payload]
        value = shorten(", ".join(values) or fields)
        return self._row(", ".join(error.fields), "R15", value, message, dropped)

    def _row(
        self, field_name: str, rule: str, value: str, message: str, dropped: bool
    ) -> dict[str, Any]:
        suffix = f"; {self.left_off}" if dropped and self.left_off else ""
        return {
            "kind": self.kind,
            "record_id": self.record_id,
            "label": self.label,
            "field": field_name,
            "rule": rule,
            "value": value,
            "message": f"{self.kind} {self.label}: {message}{suffix}",
        }


def sessions_by_speaker(sessions: pd.DataFrame) -> dict[str, list[str]]:
    """The labels of the sessions each speaker (by email key) is on, in programme order."""
    labels: dict[str, list[str]] = {}
    for row in sessions.to_dict("records"):
        for key in row["speaker_keys"]:
            labels.setdefault(key, []).append(str(row["friendly_id"] or row["session_id"]))
    return labels
