from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdftotext(path: str | Path, *, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text in reading order, hyphenation at line ends undone, whitespace collapsed."""
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    raw = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(re.sub(r"[\u2010\u00ad-]\n", "", raw).split())


def assert_in_order(text: str, pieces: list[str]) -> None:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing (or out of order) after position {position}"
        position = found + len(piece)
