"""The data contract, in pandera. Each check is named after a key of rules.RULES; validation
is lazy so one pass reports every failing record, and rows are matched to rules by check name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pandas as pd
import pandera.pandas as pa

from sb_asp_pipeline.sync.text import is_blank, is_email, is_masked_email
from sb_asp_pipeline.sync.times import asp_slot, ends_after

_ACCEPTED = "accepted"


def _filled(series: pd.Series) -> pd.Series:
    return ~series.map(is_blank)


def _is_true(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def _present(name: str) -> pa.Check:
    return pa.Check(_filled, name=name, ignore_na=False)


# Sessions that are deliberately left out: not accepted (R7), abstracts and subsessions (R15a).
SESSION_SCOPE = pa.DataFrameSchema(
    {
        "session_id": pa.Column(str, unique=True, description="Sessionboard session UUID"),
        "is_abstract": pa.Column(
            checks=pa.Check(lambda s: ~_is_true(s), name="session_is_abstract", ignore_na=False)
        ),
        "parent_id": pa.Column(
            nullable=True,
            checks=pa.Check(
                lambda s: s.map(is_blank), name="session_is_subsession", ignore_na=False
            ),
        ),
    },
    checks=pa.Check(
        lambda df: (df["status"] == _ACCEPTED) | (df["custom_status"] == _ACCEPTED),
        name="session_not_accepted",
    ),
)

# Sessions refused with a reason (R7, R10a, R11, R15). Times are parsed beforehand into
# start_local/end_local, with *_error naming what went wrong.
SESSION_CONTRACT = pa.DataFrameSchema(
    {
        "title": pa.Column(nullable=True, checks=_present("title_blank")),
        "client_session_id": pa.Column(nullable=True, checks=_present("client_session_id_missing")),
        "start_error": pa.Column(
            nullable=True,
            checks=[
                pa.Check(lambda s: s != "missing", name="start_missing", ignore_na=True),
                pa.Check(lambda s: s != "unreadable", name="start_unreadable", ignore_na=True),
            ],
        ),
        "end_error": pa.Column(
            nullable=True,
            checks=[
                pa.Check(lambda s: s != "missing", name="end_missing", ignore_na=True),
                pa.Check(lambda s: s != "unreadable", name="end_unreadable", ignore_na=True),
            ],
        ),
    },
    checks=[
        pa.Check(lambda df: _pairs(df, ends_after), name="end_not_after_start"),
        pa.Check(lambda df: _pairs(df, _fits_one_day), name="wall_end_not_after_start"),
    ],
)


def _pairs(df: pd.DataFrame, test: Callable[[datetime, datetime], bool]) -> pd.Series:
    """Apply `test` to each row's local start and end; rows missing either pass, since the
    start_missing and end_missing checks already name them."""
    return pd.Series(
        [
            test(start, end) if start is not None and end is not None else True
            for start, end in zip(df["start_local"], df["end_local"], strict=True)
        ],
        index=df.index,
        dtype=bool,
    )


def _fits_one_day(start: datetime, end: datetime) -> bool:
    """R10a: ASP shows one day from a start to a later end time. On the wall clock a session
    can end before it starts though it lasts 45 minutes, when the clocks go back during it."""
    slot = asp_slot(start, end) if ends_after(start, end) else None
    return slot is None or slot.end > slot.start


# Speakers refused with a reason (R14, R15).
SPEAKER_CONTRACT = pa.DataFrameSchema(
    {
        "first_name": pa.Column(nullable=True, checks=_present("first_name_missing")),
        "last_name": pa.Column(nullable=True, checks=_present("last_name_missing")),
        "email": pa.Column(
            nullable=True,
            checks=[
                _present("email_missing"),
                pa.Check(
                    lambda s: s.map(is_blank) | ~s.map(is_masked_email),
                    name="email_masked",
                    ignore_na=False,
                ),
                pa.Check(
                    lambda s: s.map(is_blank) | s.map(is_masked_email) | s.map(is_email),
                    name="email_invalid",
                    ignore_na=False,
                ),
            ],
        ),
    }
)


def failing_checks(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (row index, failed check) of the frame, in the order the schema declares its
    checks (so a row's first failure is always the same rule); empty when every row passes."""
    empty = pd.DataFrame({"index": pd.Series(dtype=object), "check": pd.Series(dtype=str)})
    if frame.empty:
        return empty
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna()]
        found = pd.DataFrame(
            {"index": cases["index"].to_numpy(), "check": cases["check"].astype(str).to_numpy()}
        )
        order = _check_order(schema)
        rank = found["check"].map(lambda name: order.get(name, len(order)))
        return found.iloc[rank.argsort(kind="stable")].reset_index(drop=True)
    return empty


def _check_order(schema: pa.DataFrameSchema) -> dict[str, int]:
    names = [check.name for column in schema.columns.values() for check in column.checks]
    names += [check.name for check in schema.checks]
    return {name: position for position, name in enumerate(dict.fromkeys(names))}
