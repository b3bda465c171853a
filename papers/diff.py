"""Readable differences: word by word, as a redline with <del> and <ins>."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .sanitize import plain_text

TOKEN = re.compile(r"\s+|[^\s]+")


def redline(old: str, new: str) -> SafeString:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped above


@dataclass
class PartDiff:
    label: str
    changed: bool
    html: SafeString


def content_diff(
    template_sections: list[Any], old: dict[str, Any], new: dict[str, Any], addressee: Any = None
) -> list[PartDiff]:
    """One redline per part of the paper, in the template's order."""
    parts = []
    for section in template_sections:
        label = section.label_for(addressee)
        a, b = _text_of(section, old), _text_of(section, new)
        parts.append(PartDiff(label=label, changed=a != b, html=redline(a, b)))
    return parts


def _text_of(section: Any, content: dict[str, Any]) -> str:
    kind = section.block_type
    if kind in ("text", "summary"):
        return plain_text(content.get("sections", {}).get(section.key, ""))
    if kind == "proposal":
        return "\n".join(f"{n}. {s}" for n, s in enumerate(content.get("proposal", []), start=1))
    if kind == "basis":
        return "\n".join(item["text"] for item in content.get("basis", []))
    if kind == "dispatch":
        return "\n".join(content.get("dispatch", []))
    return "\n".join(f"{s['name']}, {s['title']}" for s in content.get("signatories", []))


def satser_redline(old: list[str], new: list[str]) -> SafeString:
    return redline("\n".join(old), "\n".join(new))


def three_way(base: dict[str, Any], theirs: dict[str, Any], mine: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Merge part by part: a part only one side changed takes that side's text; a part both changed
    keeps mine and is reported, for the user to merge by hand with both texts in view."""
    merged: dict[str, Any] = {"sections": {}}
    conflicts: list[str] = []
    keys = set(base.get("sections", {})) | set(theirs.get("sections", {})) | set(mine.get("sections", {}))
    for key in sorted(keys):
        value, clash = _pick(
            base.get("sections", {}).get(key, ""),
            theirs.get("sections", {}).get(key, ""),
            mine.get("sections", {}).get(key, ""),
        )
        merged["sections"][key] = value
        if clash:
            conflicts.append(f"section:{key}")
    for part in ("proposal", "basis", "dispatch", "signatories"):
        value, clash = _pick(base.get(part, []), theirs.get(part, []), mine.get(part, []))
        merged[part] = value
        if clash:
            conflicts.append(part)
    return merged, conflicts


def _pick(base: Any, theirs: Any, mine: Any) -> tuple[Any, bool]:
    if mine == base or mine == theirs:
        return theirs, False
    if theirs == base:
        return mine, False
    return mine, True
