"""Text cleaning for values that come from rich-text editors and hand-typed forms."""

from __future__ import annotations

import ipaddress
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
# Characters that show nothing on their own although they are not spaces: Hangul and
# Mongolian fillers, the blank Braille pattern, the combining grapheme joiner.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn"})
_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|br|div|ul|ol|li|h[1-6]|table|pre|blockquote)\b", re.I)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
# What a removed iframe or script leaves behind: a paragraph with nothing to show.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_PAGE_RELATIVE = ("#", "/", "?", ".")
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")  # mailto:, tel:; not host:port

# A value without a slash in a social field is a handle when it fits that network's handles;
# otherwise it is read as a URL.
SOCIAL_PROFILES = {
    "twitter": ("https://x.com/", re.compile(r"^@?(?P<handle>[A-Za-z0-9_]{1,15})$")),
    "linkedin": ("https://www.linkedin.com/in/", re.compile(r"^@?(?P<handle>[\w-]{3,100})$")),
    "facebook": ("https://www.facebook.com/", re.compile(r"^@?(?P<handle>[\w.]{1,50})$")),
}


def clean_text(value: object) -> str:
    """Text without surrounding spaces of any kind; None becomes an empty string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _EDGES.sub("", unicodedata.normalize("NFC", str(value)))


def is_invisible(char: str) -> bool:
    """A character that shows nothing by itself: spaces, format and control characters,
    lone combining marks, fillers."""
    return char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _FILLERS


def is_blank(value: object) -> bool:
    """R15: blank once every kind of Unicode space and invisible character is removed."""
    return all(is_invisible(char) for char in clean_text(value))


def email_key(value: object) -> str:
    """R14a: emails compare without case and surrounding spaces."""
    return clean_text(value).casefold()


def is_masked_email(value: object) -> bool:
    """A token without the personal-data scope masks emails like j***@a***.com."""
    return bool(_MASKED_EMAIL.search(clean_text(value)))


def is_email(value: object) -> bool:
    return bool(_EMAIL.match(clean_text(value)))


def sanitize_html(value: object) -> str:
    """Keep ordinary formatting; drop scripts, iframes, styles and event-handler attributes.
    Plain text keeps its paragraphs and line breaks, and a link written without a scheme
    (`www.example.org`) points at that site rather than at a page of the ASP website."""
    text = clean_text(value)
    if not text:
        return ""
    # Limitation: Markdown inside HTML (`**bold**`, `[text](url)`, as pretalx exports hold it) is
    # published as typed; converting it needs a Markdown parser run on the text of each
    # paragraph without touching the HTML around it. And plain text that mixes blank-line
    # paragraphs with block tags (a few `<li>`) keeps its tags but loses its paragraph breaks.
    if "\n" in text and not _BLOCK_TAG.search(text):
        text = _paragraphs(text)
    cleaned = nh3.clean(text, attribute_filter=_absolute_links)
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def normalize_url(value: object, *, social: str | None = None) -> str | None:
    """A URL ASP can take: scheme added when missing, spaces encoded, a bare social handle
    turned into its profile URL. None when nothing usable is left (`n/a`, `-`, no host)."""
    text = clean_text(value)
    if not text:
        return None

    if social and "/" not in text:
        base, pattern = SOCIAL_PROFILES[social]
        handle = pattern.match(text)
        if handle:
            return base + handle.group("handle")
    if "://" not in text:
        if _OTHER_SCHEME.match(text):
            return None
        text = "https://" + text.lstrip("/")

    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not is_host(parts.hostname):
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


def is_host(host: str | None) -> bool:
    """An IP address or a domain name with a top-level domain (`example.org`, `ünï.de`)."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    top = labels[-1]
    return (
        len(labels) >= 2
        and all(_HOST_LABEL.match(label) for label in labels)
        and ((top.isalpha() and len(top) >= 2) or top.startswith("xn--"))
    )


def _paragraphs(text: str) -> str:
    blocks = [block.strip() for block in _BLANK_LINE.split(text)]
    return "".join(f"<p>{'<br>'.join(b.splitlines())}</p>" for b in blocks if b)


def _absolute_links(element: str, attribute: str, value: str) -> str:
    if attribute not in ("href", "src"):
        return value
    link = value.strip()
    first = link.split("/", 1)[0]
    if not link or link.startswith(_PAGE_RELATIVE) or ":" in first or not is_host(first):
        return link
    return "https://" + link
