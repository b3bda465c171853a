"""The only HTML a paper may hold: what such papers use, nothing that runs or styles."""

from __future__ import annotations

import base64
import binascii
import io
import re
from functools import lru_cache
from html import unescape

import nh3
from PIL import Image, UnidentifiedImageError

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
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "img": {"src", "alt"},
}
# "data" only for an image's src, and only as the PNG that data_image() writes (attribute_filter).
URL_SCHEMES = {"http", "https", "mailto", "data"}
TAG_RE = re.compile(r"<[^>]+>")

# Images live in the paper itself, as data: URIs that the server decodes and writes anew as PNG.
# Not links to uploads: a paper's PDF is archived as PDF/A and must render with no request made, a
# picture must not change after approval, and a link would leak nothing but could break when a
# document of the case is made secret or removed. Re-encoding drops whatever the file carried besides
# its pixels (metadata, a polyglot payload). PNG is lossless, so writing one again gives the same bytes
# and an autosave that changed nothing stays a no-op.
IMAGE_DATA_RE = re.compile(r"^data:image/(png|jpeg|gif);base64,([A-Za-z0-9+/=\s]+)$")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 1600
IMG_WITHOUT_SRC_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


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
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return IMG_WITHOUT_SRC_RE.sub("", cleaned).strip()


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return data_image(value)
    if attribute in ("href", "src") and value.strip().lower().startswith("data:"):
        return None
    return value


@lru_cache(maxsize=128)
def data_image(value: str) -> str | None:
    """A data: image as a clean PNG data URI, or None for anything else (then the src is dropped)."""
    match = IMAGE_DATA_RE.match(value.strip())
    if match is None or len(match.group(2)) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.b64decode(match.group(2), validate=False)
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ("PNG", "JPEG", "GIF"):
                return None
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
            out = io.BytesIO()
            picture.save(out, format="PNG", optimize=False)
    except (binascii.Error, OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def plain_text(html: str) -> str:
    """The words of a section, for 'is it empty?' and for diffs."""
    text = re.sub(r"</(p|div|h\d|li|tr|blockquote)>|<br\s*/?>", "\n", html or "")
    text = TAG_RE.sub("", text)
    text = unescape(text).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
