"""What a person does to the organization: connect or disconnect ASP, add or remove a mapping.
The CLI and the Dagster launchpad jobs both call these, so rules and messages are the same."""

from __future__ import annotations

import logging

from sb_asp_pipeline.asp import AspClient
from sb_asp_pipeline.errors import ConfigurationError
from sb_asp_pipeline.ledger import Ledger, Mapping

log = logging.getLogger(__name__)


def connect(ledger: Ledger, asp: AspClient) -> None:
    """R1/R6: check the key and secret against ASP, then mark the organization connected."""
    asp.check_credentials()
    ledger.set_connected(True, asp.http.base_url)
    log.info("organization connected asp=%s", asp.http.base_url)


def disconnect(ledger: Ledger) -> None:
    """R6: every later sync fails until the organization connects again; ASP is untouched."""
    ledger.set_connected(False)
    log.info("organization disconnected")


def require_connected(ledger: Ledger) -> None:
    if ledger.connection_state() is False:
        raise ConfigurationError(
            "the organization is disconnected from ASP, so nothing is synced: reconnect with "
            "`sb-asp connect` (or the connect_organization job) after setting ASP_API_KEY and "
            "ASP_API_SECRET"
        )


def add_mapping(
    ledger: Ledger,
    asp: AspClient,
    sb_event_id: int,
    asp_event_id: str,
    seminar_id: str,
    withdrawn_policy: str = "keep",
) -> Mapping:
    """R2/R3: map an event. The first mapping connects the organization (credentials checked)."""
    if ledger.connection_state() is None:
        connect(ledger, asp)
    require_connected(ledger)
    mapping = ledger.add_mapping(sb_event_id, asp_event_id, seminar_id, withdrawn_policy)
    log.info(
        "mapping added sb_event=%s asp_event=%s seminar=%s", sb_event_id, asp_event_id, seminar_id
    )
    return mapping


def remove_mapping(ledger: Ledger, sb_event_id: int) -> Mapping:
    """R4: stop syncing the mapping; ASP and the mapping's history stay as they are."""
    mapping = ledger.remove_mapping(sb_event_id)
    log.info("mapping removed sb_event=%s", sb_event_id)
    return mapping
