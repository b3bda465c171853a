"""Benchmarks: each ``bench/<name>.py`` with a ``main()`` is run by ``scripts/bench`` (full size) and,
with ``--tiny``, by the test suite (tests/test_benchmarks.py), so none can rot unnoticed."""

from __future__ import annotations

from pathlib import Path

LIBRARIES = {"__init__", "common", "clone", "bare_settings", "bare_urls"}  # imported by benchmarks, not run


def runnable() -> list[str]:
    """The benchmark scripts, by name: every module here that is not one of the shared libraries."""
    return sorted(p.stem for p in Path(__file__).parent.glob("*.py") if p.stem not in LIBRARIES)
