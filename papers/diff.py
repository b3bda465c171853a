"""Readable differences: word by word, as a redline with <del> and <ins>."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .content import PARTS, PaperContent

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
    template_sections: list[Any],
    old: PaperContent | Mapping[str, Any],
    new: PaperContent | Mapping[str, Any],
    addressee: Any = None,
) -> list[PartDiff]:
    """One redline per part of the paper, in the template's order."""
    old, new = PaperContent.coerce(old), PaperContent.coerce(new)
    parts = []
    for section in template_sections:
        label = section.label_for(addressee)
        a, b = old.text_of(section.block_type, section.key), new.text_of(section.block_type, section.key)
        parts.append(PartDiff(label=label, changed=a != b, html=redline(a, b)))
    return parts


def satser_redline(old: list[str], new: list[str]) -> SafeString:
    return redline("\n".join(old), "\n".join(new))


def three_way(base: PaperContent, theirs: PaperContent, mine: PaperContent) -> tuple[PaperContent, list[str]]:
    """Merge part by part: a part only one side changed takes that side's text; a part both changed
    keeps mine and is reported, for the user to merge by hand with both texts in view."""
    sections: dict[str, str] = {}
    conflicts: list[str] = []
    for key in sorted(set(base.sections) | set(theirs.sections) | set(mine.sections)):
        value, clash = _pick(base.section(key), theirs.section(key), mine.section(key))
        sections[key] = value
        if clash:
            conflicts.append(f"section:{key}")
    parts: dict[str, Any] = {}
    for part in PARTS:
        parts[part], clash = _pick(getattr(base, part), getattr(theirs, part), getattr(mine, part))
        if clash:
            conflicts.append(part)
    return PaperContent(sections=sections, **parts), conflicts


def _pick(base: Any, theirs: Any, mine: Any) -> tuple[Any, bool]:
    if mine == base or mine == theirs:
        return theirs, False
    if theirs == base:
        return mine, False
    return mine, True
