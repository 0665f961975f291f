"""Text rules: blank titles (R15), names kept intact (R11), emails (R14a), HTML and URLs."""

from __future__ import annotations

import pytest

from sb_asp_pipeline.sync.rules import shorten
from sb_asp_pipeline.sync.text import (
    clean_text,
    email_key,
    is_blank,
    is_masked_email,
    normalize_url,
    sanitize_html,
)


@pytest.mark.parametrize(
    "title",
    [
        "",
        "   ",
        "\u200b",
        "\u200b\u2060\ufeff",
        "\u00a0\u202f\u3000",
        "\t\n",
        None,
        "\u3164\u115f",  # Hangul fillers
        "\u2800",  # blank Braille pattern
        "\u034f\ufe0f",  # combining grapheme joiner, variation selector
    ],
)
def test_r15_a_title_of_only_invisible_characters_is_blank(title):
    assert is_blank(title)


@pytest.mark.parametrize(
    "title", ["A", " x ", "🐍", "❤\ufe0f", "e\u0301", "Ελληνικά", "日本語のトーク", "👩\u200d💻"]
)
def test_r15_a_title_with_any_visible_character_is_not_blank(title):
    assert not is_blank(title)


def test_r11_titles_and_names_lose_surrounding_spaces_of_every_kind_and_keep_the_rest():
    assert (
        clean_text("\u200b\u00a0 Accueil\u202f/ Welcome 🐍 \u202f") == "Accueil\u202f/ Welcome 🐍"
    )
    assert clean_text("  Zoë Ångström-Nguyễn ") == "Zoë Ångström-Nguyễn"


def test_r14a_emails_compare_without_case_and_surrounding_spaces():
    assert email_key("  Claire.Morvan@Example.ORG ") == email_key("claire.morvan@example.org")


@pytest.mark.parametrize("email", ["j***@a***.com", "c*****@example.org"])
def test_r15_a_masked_email_is_recognised(email):
    assert is_masked_email(email)


def test_descriptions_lose_scripts_iframes_and_handlers_but_keep_formatting():
    dirty = (
        '<p onclick="steal()">Hello <strong>world</strong> <a href="https://x.org">link</a></p>'
        '<script>alert(1)</script><iframe src="https://evil.example"></iframe><ul><li>one</li></ul>'
    )

    clean = sanitize_html(dirty)

    assert "script" not in clean and "iframe" not in clean and "onclick" not in clean
    assert "<strong>world</strong>" in clean and "<li>one</li>" in clean
    assert 'href="https://x.org"' in clean


@pytest.mark.parametrize(
    ("value", "social", "expected"),
    [
        ("example.org", None, "https://example.org"),
        ("https://example.org/a b", None, "https://example.org/a%20b"),
        ("@jdoe", "twitter", "https://x.com/jdoe"),
        ("jdoe", "linkedin", "https://www.linkedin.com/in/jdoe"),
        ("https://www.linkedin.com/in/jdoe", "linkedin", "https://www.linkedin.com/in/jdoe"),
        ("zoe.angstrom.9", "facebook", "https://www.facebook.com/zoe.angstrom.9"),
        ("jdoe.com", "twitter", "https://jdoe.com"),
        ("example.org:8080/a", None, "https://example.org:8080/a"),
        ("n/a", None, None),
        ("-", None, None),
        ("mailto:a@example.org", None, None),
        ("https://exa mple.org/", None, None),
        ("   ", None, None),
        (None, None, None),
    ],
)
def test_urls_get_a_scheme_encoded_spaces_and_handles_become_profile_urls(value, social, expected):
    assert normalize_url(value, social=social) == expected


def test_links_without_a_scheme_point_at_their_site_and_page_links_stay():
    clean = sanitize_html(
        '<p><a href="www.example.org/x">a</a> <a href="#top">b</a> <a href="/page">c</a></p>'
    )

    assert clean == (
        '<p><a href="https://www.example.org/x" rel="noopener noreferrer">a</a> '
        '<a href="#top" rel="noopener noreferrer">b</a> '
        '<a href="/page" rel="noopener noreferrer">c</a></p>'
    )


def test_plain_text_descriptions_keep_their_paragraphs_and_line_breaks():
    assert sanitize_html("One\r\nline two\r\n\r\nTwo < three") == (
        "<p>One<br>line two</p><p>Two &lt; three</p>"
    )
    assert sanitize_html("Just one line") == "Just one line"
    assert sanitize_html('Text.\r\n\r\n<iframe src="https://x.org"></iframe>') == "<p>Text.</p>"


def test_a_rejected_value_spells_out_invisible_characters_and_is_shortened():
    assert shorten("\u200b\u00a0 x") == "<U+200B><U+00A0> x"
    assert shorten("x" * 100) == "x" * 79 + "…"
    assert shorten(None) == shorten(float("nan")) == ""
