"""The only HTML a paper may hold: what such papers use, nothing that runs or styles."""

from __future__ import annotations

import re
from html import unescape

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "div",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "a",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
TAG_RE = re.compile(r"<[^>]+>")


def clean_html(html: str) -> str:
    """Clean until nothing changes: nh3 unwraps a removed element and keeps its children, which can
    leave a block inside a block that the next parse would split (twice was stable on 20,000 inputs)."""
    cleaned = _clean_once(html or "")
    for _ in range(3):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The words of a section, for 'is it empty?' and for diffs."""
    text = re.sub(r"</(p|div|h\d|li|tr|blockquote)>|<br\s*/?>", "\n", html or "")
    text = TAG_RE.sub("", text)
    text = unescape(text).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
