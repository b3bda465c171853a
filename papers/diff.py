"""Readable differences: word by word, as a redline with <del> and <ins>."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .content import PARTS, PaperContent

TOKEN = re.compile(r"\s+|[^\s]+")
# The bound of issue 8.6: past this many seconds on one part, the comparison settles for a coarser but
# still correct redline (what remains is shown as deleted and inserted) instead of holding a web worker.
TIMEOUT_SECONDS = 1.0
# Below this (words changed in old × words changed in new, after the common start and end are set
# aside) difflib's quadratic matcher is fast and its alignment reads best; above it, diff-match-patch.
SMALL_CHANGE = 400 * 400
_SURROGATES = 0xD800
_LAST_CODE_POINT = 0x10FFFF - 0x800


def redline(old: str, new: str) -> SafeString:
    """Word by word: what only ``old`` has in <del>, what only ``new`` has in <ins>, all escaped.

    The common start and end are set aside in linear time; a short changed middle is compared with
    difflib; a long one paragraph by paragraph, then word by word within the changed paragraphs, with
    diff-match-patch's Myers diff (each paragraph or word becomes one character), which is bounded by
    TIMEOUT_SECONDS, so a 1 MB section compares in seconds."""
    out: list[str] = []
    for op, text in _word_diff(old, new):
        if op == 0:
            out.append(escape(text))
        elif op < 0:
            out.append(f"<del>{escape(text)}</del>")
        else:
            out.append(f"<ins>{escape(text)}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped above


def _word_diff(old: str, new: str, *, by_lines: bool = True) -> list[tuple[int, str]]:
    """(op, text) pieces: 0 equal, -1 only in old, 1 only in new."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle_a) * len(middle_b) <= SMALL_CHANGE:
        middle = _small_diff(middle_a, middle_b)
    elif by_lines:
        middle = _line_diff("".join(middle_a), "".join(middle_b))
    else:
        middle = _large_diff(middle_a, middle_b)
    pieces = [(0, "".join(a[:start])), *middle, (0, "".join(a[len(a) - end :]))]
    return [(op, text) for op, text in pieces if text]


def _small_diff(a: list[str], b: list[str]) -> list[tuple[int, str]]:
    """difflib's longest-block alignment, which pairs words the way a reader expects."""
    pieces: list[tuple[int, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append((0, "".join(a[i1:i2])))
            continue
        pieces.append((-1, "".join(a[i1:i2])))
        pieces.append((1, "".join(b[j1:j2])))
    return pieces


def _line_diff(old: str, new: str) -> list[tuple[int, str]]:
    """A long text: paragraphs first (few, so fast), then words within each changed run of them."""
    pieces: list[tuple[int, str]] = []
    removed: list[str] = []
    added: list[str] = []
    for op, text in [*_large_diff(old.splitlines(keepends=True), new.splitlines(keepends=True)), (0, "")]:
        if op < 0:
            removed.append(text)
        elif op > 0:
            added.append(text)
        else:
            if removed or added:
                pieces += _word_diff("".join(removed), "".join(added), by_lines=False)
                removed, added = [], []
            pieces.append((0, text))
    return pieces


def _large_diff(old: list[str], new: list[str]) -> list[tuple[int, str]]:
    """diff-match-patch's Myers diff over words (or lines), bounded by TIMEOUT_SECONDS."""
    index: dict[str, int] = {}
    words: list[str] = []

    def encode(tokens: list[str]) -> str | None:
        chars = []
        for word in tokens:
            number = index.get(word)
            if number is None:
                number = index[word] = len(words)
                words.append(word)
                if number > _LAST_CODE_POINT:
                    return None
            chars.append(chr(number if number < _SURROGATES else number + 0x800))
        return "".join(chars)

    matcher = diff_match_patch()
    matcher.Diff_Timeout = TIMEOUT_SECONDS
    a, b = encode(old), encode(new)
    if a is None or b is None:  # more distinct words than characters: compare characters instead
        return [(op, text) for op, text in matcher.diff_main("".join(old), "".join(new), False)]
    return [
        (op, "".join(words[ord(c) if ord(c) < _SURROGATES else ord(c) - 0x800] for c in chars))
        for op, chars in matcher.diff_main(a, b, False)
    ]


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
