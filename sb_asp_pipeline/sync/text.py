"""Text cleaning for values that come from rich-text editors and hand-typed forms."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

import nh3

# Every Unicode space plus the invisible format characters (zero-width space, joiners, BOM,
# word joiner) that str.strip() keeps.
_EDGE = r"[\s\u200b-\u200f\u2028-\u202f\u205f-\u2064\ufeff\u00a0\u180e]"
_EDGES = re.compile(rf"^{_EDGE}+|{_EDGE}+$")
_MASKED_EMAIL = re.compile(r"\*{2,}")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HANDLE = re.compile(r"^@?(?P<handle>[A-Za-z0-9_.\-]{1,60})$")

SOCIAL_PROFILE_BASES = {
    "twitter": "https://x.com/",
    "linkedin": "https://www.linkedin.com/in/",
    "facebook": "https://www.facebook.com/",
}


def clean_text(value: object) -> str:
    """Text without surrounding spaces of any kind; None becomes an empty string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _EDGES.sub("", unicodedata.normalize("NFC", str(value)))


def is_blank(value: object) -> bool:
    """R15: blank once every kind of Unicode space and invisible character is removed."""
    text = clean_text(value)
    return not any(
        not char.isspace() and unicodedata.category(char) not in ("Cf", "Zs", "Zl", "Zp")
        for char in text
    )


def email_key(value: object) -> str:
    """R14a: emails compare without case and surrounding spaces."""
    return clean_text(value).casefold()


def is_masked_email(value: object) -> bool:
    """A token without the personal-data scope masks emails like j***@a***.com."""
    return bool(_MASKED_EMAIL.search(clean_text(value)))


def is_email(value: object) -> bool:
    return bool(_EMAIL.match(clean_text(value)))


def sanitize_html(value: object) -> str:
    """Keep ordinary formatting; drop scripts, iframes, styles and event-handler attributes."""
    text = clean_text(value)
    return nh3.clean(text).strip() if text else ""


def normalize_url(value: object, *, social: str | None = None) -> str | None:
    """A URL ASP can take: scheme added when missing, spaces encoded, a bare social handle
    turned into its profile URL. None when nothing usable is left."""
    text = clean_text(value)
    if not text:
        return None

    handle = _HANDLE.match(text)
    if social and handle and "." not in text.lstrip("@"):
        return SOCIAL_PROFILE_BASES[social] + handle.group("handle")
    if "://" not in text:
        text = "https://" + text.lstrip("/")

    parts = urlsplit(text)
    if not parts.netloc or " " in parts.netloc:
        return None
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc,
            quote(parts.path, safe="/%:@!$&'()*+,;=-._~"),
            quote(parts.query, safe="=&%+/:@!$'()*,;-._~"),
            quote(parts.fragment, safe="%/:@!$&'()*+,;=-._~"),
        )
    )
