"""R15 on a whole agenda: the sample event plus a set of deliberately broken records. The sync
completes, writes every valid record and names the reason of every record it leaves out."""

from __future__ import annotations

from sb_asp_pipeline.sync.text import email_key
from sb_asp_pipeline_tests.agenda import Agenda, person, talk

CLAIRE = "claire.morvan@example.org"


def broken_records(starts_at: str, ends_at: str) -> list[dict]:
    """Sessions of the sample event's first talk slot, each broken in one way (or not at all)."""
    speakers = [
        person("Bruno", "Sans-Prénom", first_name=""),
        person("Mononym", ""),
        person("No", "Email", email=None),
        person("Bad", "Email", email="bad-at-example.org"),
        person("Masked", "Email", email="m***@e***.org"),
        person("Odd", "Domain", email="odd@exa_mple.org"),
        person("Hidden", "Speaker", _hidden=True),
        person("Claire", "Morvan", email=f"  {CLAIRE.upper()} "),
        person(
            "Ирина",
            "Соколова",
            email="irina@example.org",
            website_url="n/a",
            twitter_url="@irina_s",
        ),
    ]
    slot = {"starts_at": starts_at, "ends_at": ends_at}
    return [
        talk("BRK-1", title="", **slot),
        talk("BRK-2", title="\u200b\u2060\u3164", **slot),
        talk("BRK-3", client_session_id=None, **slot),
        talk("BRK-4", starts_at=None, ends_at=ends_at),
        talk("BRK-5", starts_at=starts_at, ends_at=None),
        talk("BRK-6", starts_at=ends_at, ends_at=starts_at),
        talk("BRK-7", starts_at="31/12/2027 10h", ends_at=ends_at),
        talk("BRK-8", is_abstract=True, **slot),
        talk("BRK-9", parent_id="3f9b0759-a31f-53e2-814b-73f5c6043455", **slot),
        talk("BRK-10", status="declined", **slot),
        talk("BRK-11", format={"id": "x", "name": "Fireside chat"}, **slot),
        talk("BRK-12", *speakers, description="<p>Hi<script>alert(1)</script></p>", **slot),
    ]


def test_r15_the_sample_with_broken_records_writes_every_valid_one_and_names_every_refusal(
    sync_env_for, seeded
):
    env = Agenda(sync_env_for(seeded))
    doc = env.admin.sessionboard_event(env.sb_event_id)
    [opening] = [s for s in doc["sessions"] if s["friendly_id"] == "PYFR-101"]
    for session in broken_records(opening["starts_at"], opening["ends_at"]):
        env.add(session)
    env.admin.configure_sessionboard(max_page_size=7, repeat_across_pages=True)

    report = env.sync(now=None)

    written = env.asp()
    sample_sessions = {f"PYFR-{n}" for n in range(101, 123)}
    assert set(written) == sample_sessions | {"BRK-11", "BRK-12"}
    assert written["BRK-11"]["type"] == "Session"
    assert written["BRK-12"]["description"] == "<p>Hi</p>"
    # Claire's second contact (another spelling of her email) is the later edited one: its
    # details win, and she stays one ASP speaker.
    assert [email_key(e) for e in written["BRK-12"]["speakers"]] == [CLAIRE, "irina@example.org"]
    irina = env.speakers()["irina@example.org"]
    assert (irina["website"], irina["twitterUrl"]) == (None, "https://x.com/irina_s")

    assert sorted(
        zip(
            report.rejections["label"],
            report.rejections["rule"],
            report.rejections["field"],
            strict=True,
        )
    ) == [
        ("BRK-1", "R15", "title"),
        ("BRK-2", "R15", "title"),
        ("BRK-3", "R11", "client_session_id"),
        ("BRK-4", "R7", "starts_at"),
        ("BRK-5", "R7", "ends_at"),
        ("BRK-6", "R15", "ends_at"),
        ("BRK-7", "R10a", "starts_at"),
        ("Bad Email", "R15", "email"),
        ("Bruno", "R14", "last_name"),
        ("Didier", "R14", "last_name"),
        ("Masked Email", "R15", "email"),
        ("Mononym", "R14", "last_name"),
        ("No Email", "R14", "email"),
        ("Odd Domain", "R15", "email"),
        ("PYFR-904", "R7", "starts_at"),
        ("Rémi", "R14", "last_name"),
        ("Sans-Prénom", "R14", "first_name"),
    ]
    assert all(report.rejections["message"].str.len() > 0)
    assert sorted(zip(report.skips["label"], report.skips["rule"], strict=True)) == [
        ("BRK-10", "R7"),
        ("BRK-8", "R15a"),
        ("BRK-9", "R15a"),
        ("PYFR-901", "R7"),
        ("PYFR-902", "R7"),
        ("PYFR-903", "R9"),
    ]

    emails = [email_key(s["email"]) for s in env.admin.asp_speakers()]
    assert len(emails) == len(set(emails)), "one ASP speaker per person"
    for counts in (report.sessions, report.speakers):
        assert counts["failed"] == 0
        assert counts["attempted"] == (
            counts["succeeded"] + counts["skipped"] + counts["rejected"] + counts["failed"]
        )
    assert (report.sessions["attempted"], report.sessions["succeeded"]) == (38, 24)
