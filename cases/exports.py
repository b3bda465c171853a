"""Exports that cannot attack: every CSV the system writes goes through :func:`csv_writer`.

A spreadsheet program runs a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). Such a cell gets a leading apostrophe, which spreadsheets
show as text and never evaluate (the OWASP advice); nothing else is changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    def __init__(self, stream: _Writable, *, delimiter: str = ";") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])


def csv_writer(stream: _Writable, *, delimiter: str = ";") -> SafeCsvWriter:
    return SafeCsvWriter(stream, delimiter=delimiter)
