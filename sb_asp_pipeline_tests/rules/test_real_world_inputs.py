"""Inputs that real agendas contain and naive syncs get wrong, each handled as a kind. Times at
DST changes and start/end offsets are in test_time.py, invisible titles and two spellings of
one email in test_fields_and_speakers.py."""

from __future__ import annotations

from sb_asp_pipeline_tests.agenda import event_doc, person, talk

ADA = person("Ada", "Lovelace")

DIRTY = (
    '<p onclick="steal()">Intro with <strong>bold</strong>, <em>em</em>, '
    '<a href="https://x.org" onmouseover="x()">a link</a> and '
    '<a href="www.example.org/docs">docs</a>.</p>'
    "<script>alert(1)</script>"
    '<iframe src="https://evil.example/embed" width="100%"></iframe>'
    "<ul><li>one</li><li>two</li></ul>"
    '<img src="https://img.example.org/a.png" onerror="alert(1)">'
    "<style>p{color:red}</style>"
    '<p><a href="javascript:alert(1)">js</a> <span style="color:red">red</span><br>'
    "<code>x &lt; y</code></p>"
    '<form action="https://evil.example"><input name="q"></form>'
)
CLEAN = (
    '<p>Intro with <strong>bold</strong>, <em>em</em>, <a href="https://x.org" '
    'rel="noopener noreferrer">a link</a> and <a href="https://www.example.org/docs" '
    'rel="noopener noreferrer">docs</a>.</p><ul><li>one</li><li>two</li></ul>'
    '<img src="https://img.example.org/a.png"><p><a rel="noopener noreferrer">js</a> '
    "<span>red</span><br><code>x &lt; y</code></p>"
)


def test_r11_descriptions_lose_scripts_iframes_and_handlers_and_keep_their_formatting(agenda):
    speaker = person("Grace", "Hopper", about=DIRTY)
    env = agenda(
        event_doc(
            [
                talk("D-1", speaker, description=DIRTY),
                talk("D-2", description="First paragraph,\r\nsame one.\r\n\r\nSecond & last."),
            ]
        )
    )

    env.sync()

    assert env.asp()["D-1"]["description"] == CLEAN
    assert env.speakers()["grace.hopper@example.org"]["biography"] == CLEAN
    assert env.asp()["D-2"]["description"] == (
        "<p>First paragraph,<br>same one.</p><p>Second &amp; last.</p>"
    )


def test_r14_urls_with_spaces_or_without_a_scheme_are_written_as_urls_that_work(agenda, caplog):
    speaker = person(
        "Ada",
        "Lovelace",
        website_url=" example.org/my talks/index.html ",
        photo_url="cdn.example.org/pics/ada lovelace.jpg",
        linkedin_url="www.linkedin.com/in/ada lovelace",
        facebook_url="n/a",
        twitter_url="-",
    )
    env = agenda(event_doc([talk("U-1", speaker)]))

    env.sync()

    written = env.speakers()["ada.lovelace@example.org"]
    assert {key: written[key] for key in ("website", "photoUrl", "linkedinUrl")} == {
        "website": "https://example.org/my%20talks/index.html",
        "photoUrl": "https://cdn.example.org/pics/ada%20lovelace.jpg",
        "linkedinUrl": "https://www.linkedin.com/in/ada%20lovelace",
    }
    assert (written["facebookUrl"], written["twitterUrl"]) == (None, None)
    dropped = [r.getMessage() for r in caplog.records if "url_dropped" in r.getMessage()]
    assert dropped == [
        f"transform url_dropped speaker={speaker['id']} field=facebook_url value='n/a'",
        f"transform url_dropped speaker={speaker['id']} field=twitter_url value='-'",
    ]


def test_r14_a_social_handle_where_a_url_is_expected_becomes_the_profile_url(agenda):
    speaker = person(
        "Ada",
        "Lovelace",
        twitter_url="@ada_lovelace",
        linkedin_url="ada-lovelace-1815",
        facebook_url="ada.lovelace.1815",
    )
    env = agenda(event_doc([talk("U-1", speaker)]))

    env.sync()

    written = env.speakers()["ada.lovelace@example.org"]
    assert {key: written[key] for key in ("twitterUrl", "linkedinUrl", "facebookUrl")} == {
        "twitterUrl": "https://x.com/ada_lovelace",
        "linkedinUrl": "https://www.linkedin.com/in/ada-lovelace-1815",
        "facebookUrl": "https://www.facebook.com/ada.lovelace.1815",
    }


def test_r11_names_and_titles_in_any_script_or_with_emoji_are_kept_intact(agenda):
    people = [
        person("Ελένη", "Παπαδοπούλου", email="eleni@example.org"),
        person("小龙", "李", email="li@example.org"),
        person("محمد", "عبد الله", email="mohammed@example.org"),
        person("Zoë 🐍", "Ångström", email="zoe@example.org"),
        person("Dev 👩\u200d💻", "O'Brien-Núñez", email="dev@example.org"),
        # Decomposed accents are written composed (NFC): the same letters, one code point each.
        person("Nguye\u0302\u0303n", "Thi\u0323", email="nguyen@example.org"),
    ]
    env = agenda(
        event_doc(
            [
                talk("N-1", *people, title="Gestion de groupe de musique 🎼🎷 — 日本語のトーク"),
                talk("N-2", title="«\u202fEt si on codait\u202f?\u202f»\u202f\u2013 مرحبا"),
            ]
        )
    )

    report = env.sync()

    assert {key: s["title"] for key, s in env.asp().items()} == {
        "N-1": "Gestion de groupe de musique 🎼🎷 — 日本語のトーク",
        "N-2": "«\u202fEt si on codait\u202f?\u202f»\u202f\u2013 مرحبا",
    }
    assert [(s["firstName"], s["lastName"]) for s in env.admin.asp_speakers()] == [
        ("Ελένη", "Παπαδοπούλου"),
        ("小龙", "李"),
        ("محمد", "عبد الله"),
        ("Zoë 🐍", "Ångström"),
        ("Dev 👩\u200d💻", "O'Brien-Núñez"),
        ("Nguyễn", "Thị"),
    ]
    assert report.rejections.empty


def test_r16_a_record_the_api_repeats_across_pages_is_synced_once(agenda):
    grace = person("Grace", "Hopper")
    env = agenda(event_doc([talk(f"P-{n}", ADA if n % 2 else grace) for n in range(1, 8)]))
    env.admin.configure_sessionboard(max_page_size=2, repeat_across_pages=True)

    report = env.sync()
    again = env.sync()

    assert sorted(env.asp()) == [f"P-{n}" for n in range(1, 8)]
    assert len(env.admin.asp_sessions(env.seminar_id)) == 7
    assert sorted(env.speakers()) == ["ada.lovelace@example.org", "grace.hopper@example.org"]
    assert (report.sessions["attempted"], report.sessions["created"]) == (7, 7)
    assert (report.speakers["attempted"], report.speakers["created"]) == (2, 2)
    assert again.writes == 0
