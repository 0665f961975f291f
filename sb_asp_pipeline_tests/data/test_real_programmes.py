"""The three real programmes of ../shared/data, moved into the future and synced through the
sandbox: the ASP state each must end in, written out in full. Days count from the event's first
day; times are wall times in the event's timezone, as the programmes publish them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sb_asp_pipeline.sandbox.events import load_event_file
from sb_asp_pipeline_tests.agenda import Agenda
from sb_asp_pipeline_tests.conftest import SHARED_DATA

FR, EN = ("Français",), ("English",)
CLAIRE = "claire.morvan@example.org"

# friendly id: (day, start, end, session type, location, streams, speakers in order)
PYCONFR: dict[str, tuple[Any, ...]] = {
    "PYFR-101": (2, "08:50", "09:35", "Short plenary", "B003", FR, (CLAIRE,)),
    "PYFR-102": (2, "10:30", "12:55", "Workshop", "B422", FR, ("yanis.belkacem",)),
    "PYFR-103": (2, "10:30", "10:55", "Short talk", "B421", FR, ("etienne.charbonnel",)),
    "PYFR-104": (2, "10:30", "12:55", "Workshop", "B420", FR, ("loic.marchal.aubert",)),
    "PYFR-105": (2, "10:30", "12:55", "Workshop", "B419", FR, ("fatoumata.sarre",)),
    "PYFR-106": (2, "11:00", "11:55", "Long talk", "B316", EN, ("krisjanis.berzins",)),
    "PYFR-107": (
        2,
        "12:00",
        "12:25",
        "Short talk",
        "B003",
        FR,
        ("ines.ben.kowalczyk", "margaux.tessier"),
    ),
    "PYFR-108": (
        2,
        "12:30",
        "13:55",
        "Lunch",
        "C437",
        FR,
        ("nadia.bensaid", CLAIRE, "prisca.nguema"),
    ),
    # Bruno, Rémi and Didier have no last name: refused, the workshop written without them.
    "PYFR-109": (2, "14:00", "16:55", "Workshop", "B422", FR, ("solene.garnier", "hugo.lasserre")),
    "PYFR-110": (2, "15:00", "15:55", "Long talk", "B316", EN, ("krisjanis.berzins",)),
    "PYFR-111": (2, "17:00", "17:45", "Plenary", "B003", FR, ("fiona.calder",)),
    "PYFR-112": (3, "09:00", "09:55", "General Assembly", "B316", FR, (CLAIRE,)),
    "PYFR-113": (3, "11:00", "12:55", "Lightning Talk", "B419", FR, ("vous.you",)),
    "PYFR-114": (3, "11:30", "12:25", "Long talk", "B421", FR, ("maxime.ducrocq",)),
    "PYFR-115": (3, "11:30", "12:25", "Long talk", "B316", EN, ("noa.levin", "eyal.baram")),
    "PYFR-116": (3, "14:00", "14:25", "Short talk", "B316", EN, ("thibault.ancel",)),
    "PYFR-117": (3, "14:00", "16:25", "Workshop", "B422", EN, ("marco.delli.carri",)),
    "PYFR-118": (3, "15:00", "15:55", "Long talk", "C436", FR, ("arnaud.quesnel",)),
    "PYFR-119": (3, "16:30", "17:00", "Short plenary", "B003", FR, (CLAIRE,)),
    # Sprints over two days are written on their first day, keeping their end time (R10).
    "PYFR-120": (0, "10:00", "17:00", "Sprint", "B418", FR, ("jean.marc.roussel",)),
    "PYFR-121": (
        0,
        "10:00",
        "17:00",
        "Sprint",
        "B419",
        FR,
        ("baptiste.royer", "nadia.bensaid", "prisca.nguema"),
    ),
    "PYFR-122": (0, "10:00", "17:00", "Sprint", "B411", FR, ("gilles.vandamme",)),
}

CAMP: dict[str, tuple[Any, ...]] = {
    # Opening and closing are given by two people with one name each: both refused.
    "CAMP-10386": (0, "11:00", "11:30", "Lecture", "Curie", ("CCC",), ()),
    "CAMP-10178": (0, "13:00", "13:45", "Lecture", "Curie", ("Security",), ("jonas.verhoeven",)),
    "CAMP-10186": (
        0,
        "18:00",
        "18:45",
        "Lecture",
        "Curie",
        ("Hardware & Making",),
        ("milan.okafor",),
    ),
    "CAMP-10413": (
        0,
        "22:00",
        "23:30",
        "Lecture",
        "Curie",
        ("CCC",),
        ("henrik.aalto", "jean.luc.wroblewski", "ole.brandt"),
    ),
    "CAMP-10213": (0, "17:00", "17:45", "Lecture", "Meitner", ("Security",), ("falk.reinholz",)),
    "CAMP-10378": (
        1,
        "16:00",
        "16:45",
        "Lecture",
        "Curie",
        ("Hardware & Making",),
        ("ravi.castellano.moore",),
    ),
    "CAMP-10211": (
        1,
        "20:00",
        "20:45",
        "Lecture",
        "Curie",
        ("Ethics, Society & Politics",),
        ("konrad.eibl",),
    ),
    "CAMP-10380": (1, "12:00", "15:00", "Lecture", "Meitner", ("CCC",), ()),
    "CAMP-10292": (1, "22:00", "22:45", "Lecture", "Meitner", ("Security",), ()),
    # 23:00 to 00:30: written on its start day, ending at 23:59 (R10).
    "CAMP-10344": (
        1,
        "23:00",
        "23:59",
        "Lecture",
        "Meitner",
        ("Entertainment",),
        ("arne.k.l.voss", "hanna.lindqvist"),
    ),
    "CAMP-10317": (4, "12:00", "12:45", "Lecture", "Curie", ("Security",), ("noor.haddad",)),
    "CAMP-10390": (4, "17:00", "17:45", "Lecture", "Curie", ("CCC",), ()),
    "CAMP-10387": (4, "18:00", "18:30", "Lecture", "Curie", ("CCC",), ()),
}

AZURE: dict[str, tuple[Any, ...]] = {
    "GAA-658419": (0, "09:00", "09:45", "Talk", "Aula", (), ("theo.marsh", "nadia.okonkwo")),
    "GAA-646535": (0, "10:00", "10:45", "Talk", "Aula", (), ("bernhard.eichinger",)),
    "GAA-655642": (0, "10:00", "10:45", "Talk", "Breakout Room 1", (), ("florian.weidinger.haas",)),
    "GAA-641128": (0, "10:00", "10:45", "Talk", "Breakout Room 2", (), ("johanna.reiter",)),
    "GAA-649740": (0, "11:00", "11:45", "Talk", "Aula", (), ("lukas.brandauer",)),
    "GAA-650719": (0, "11:00", "11:45", "Talk", "Breakout Room 1", (), ("daniela.hofer",)),
    "GAA-652285": (0, "11:00", "11:45", "Talk", "Breakout Room 2", (), ("stefan.pichlmayr",)),
    "GAA-651098": (0, "12:00", "12:30", "Talk", "Aula", (), ("miriam.kollmann",)),
    "GAA-655759": (0, "13:30", "14:15", "Talk", "Aula", (), ("sophie.lindner",)),
    "GAA-650626": (0, "13:30", "14:15", "Talk", "Breakout Room 1", (), ("rafael.gruber",)),
    "GAA-653019": (0, "13:30", "14:15", "Talk", "Breakout Room 2", (), ("clemens.wallner",)),
    "GAA-648654": (0, "14:30", "15:15", "Talk", "Aula", (), ("gernot.lackner",)),
    "GAA-641462": (0, "14:30", "15:15", "Talk", "Breakout Room 1", (), ("dominik.auer",)),
    "GAA-655696": (0, "14:30", "15:15", "Talk", "Breakout Room 2", (), ("matthias.ebner",)),
}


def refusals(*names_and_sessions: tuple[str, str]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (
            name,
            "R14",
            "last_name",
            f"speaker {name}: last name is required: add it to the contact in Sessionboard; "
            f"left off session(s) {sessions}, which are still written",
        )
        for name, sessions in names_and_sessions
    )


PROGRAMMES = {
    "pyconfr-2025": (
        PYCONFR,
        refusals(("Bruno", "PYFR-109"), ("Rémi", "PYFR-109"), ("Didier", "PYFR-109")),
    ),
    "camp-2019": (
        CAMP,
        refusals(
            ("nebula", "CAMP-10386, CAMP-10387"),
            ("quill", "CAMP-10386, CAMP-10387"),
            ("pixelfox", "CAMP-10380"),
            ("marmot", "CAMP-10380"),
            ("Tobias", "CAMP-10292"),
            ("lena", "CAMP-10292"),
        ),
    ),
    "azure-at-2024": (AZURE, []),
}


def first_day(doc: dict[str, Any]) -> dt.date:
    """The first day of the (moved) event, in its own timezone."""
    zone = ZoneInfo(doc["event"]["timezone"])
    starts = [dt.datetime.fromisoformat(s["starts_at"]) for s in doc["sessions"]]
    return min(s.astimezone(zone) if s.tzinfo else s for s in starts).date()


def expected_state(table: dict[str, tuple[Any, ...]], day0: dt.date) -> dict[str, tuple]:
    return {
        key: (
            (day0 + dt.timedelta(days=day)).isoformat(),
            f"{start}:00",
            f"{end}:00",
            kind,
            location,
            list(streams),
            [e if "@" in e else f"{e}@example.org" for e in speakers],
        )
        for key, (day, start, end, kind, location, streams, speakers) in table.items()
    }


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_a_real_programme_syncs_into_the_asp_state_it_publishes(name, sandbox, sync_env_for):
    table, expected_refusals = PROGRAMMES[name]
    source = load_event_file(SHARED_DATA / f"{name}.sessionboard.json")
    env = Agenda(sync_env_for(sandbox.seed(source, start_in_days=30)))
    doc = env.admin.sessionboard_event(env.sb_event_id)

    report = env.sync(now=None)

    written = env.asp()
    state = {
        key: (
            s["date"],
            s["start"],
            s["end"],
            s["type"],
            s["location"],
            s["streams"],
            s["speakers"],
        )
        for key, s in written.items()
    }
    assert state == expected_state(table, first_day(doc))
    titles = {s["friendly_id"]: s["title"].strip(" ") for s in source["sessions"]}
    assert {key: s["title"] for key, s in written.items()} == titles
    speakers = [s["email"].casefold() for s in env.admin.asp_speakers()]
    assert len(speakers) == len(set(speakers)), "no person twice"
    assert (
        sorted(
            zip(
                report.rejections["label"],
                report.rejections["rule"],
                report.rejections["field"],
                report.rejections["message"],
                strict=True,
            )
        )
        == expected_refusals
    )
    assert report.skips.empty
    assert report.sessions["failed"] == report.speakers["failed"] == 0
    for record in written.values():
        assert "<script" not in record["description"] and "<iframe" not in record["description"]


def test_pyconfr_carries_its_content_files_and_key_takeaways(sandbox, sync_env_for):
    source = load_event_file(SHARED_DATA / "pyconfr-2025.sessionboard.json")
    env = Agenda(sync_env_for(sandbox.seed(source, start_in_days=30)))

    env.sync(now=None)

    custom = {key: s["custom"] for key, s in env.asp().items() if s["custom"]}
    assert custom == {
        "PYFR-103": {
            "sessionboard_content": "https://files.example.org/pyconfr-2025/87KRHE/slides-66.pdf",
            "key-takeaways": "Write the test first; keep fixtures small.",
        },
        "PYFR-104": {
            "sessionboard_content": "https://files.example.org/pyconfr-2025/FLKC7B/slides-67.pdf"
        },
        "PYFR-107": {"key-takeaways": "Profile before optimising; measure twice."},
        "PYFR-111": {"key-takeaways": "Packaging metadata lives in pyproject.toml."},
    }
    # The talk whose abstract embeds a drawing keeps its text, not the iframe.
    assert env.asp()["PYFR-117"]["description"].endswith(
        "let's glue these pieces together to build our own voice assistant.</p>"
    )
