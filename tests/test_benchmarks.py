"""Every benchmark in bench/ runs at its tiny size and prints its figures (issue 15: none may rot).

Numbers are not asserted — speed is the benchmarks' business, reported by scripts/bench — but a
benchmark that crashes, or prints none of its figures, fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import LIBRARIES, runnable

ROOT = Path(__file__).resolve().parent.parent

# A line each benchmark prints only when it got to its figures.
FIGURES = {
    "audit": "audit_seal:",
    "diarium_list": "första sidan",
    "pages": "median mot referensen",
    "papers": "saves/s",
    "papers_diff": "compared in",
    "protocol": "ratio application / bare",
    "reading": "handlingar; sammanträdet har",
    "route_remisser": "remisser routed:",
}

pytestmark = pytest.mark.bench


def test_every_benchmark_is_smoke_tested():
    assert set(runnable()) == set(FIGURES), "a new benchmark needs its figures line here"
    assert "pages" in runnable() and "clone" in LIBRARIES


@pytest.fixture(scope="module")
def runs():
    """All benchmarks started at once (each makes its own database and servers), so the smoke run
    costs the slowest of them rather than their sum."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)  # the benchmarks make their own databases on the embedded server
    env.pop("DJANGO_SETTINGS_MODULE", None)
    procs = {
        name: subprocess.Popen(  # noqa: S603
            [sys.executable, f"bench/{name}.py", "--tiny"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in sorted(FIGURES)
    }
    yield procs
    for proc in procs.values():
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_benchmark_runs_at_tiny_size(runs, name):
    stdout, stderr = runs[name].communicate(timeout=900)
    output = stdout + stderr
    assert runs[name].returncode == 0, output[-4000:]
    assert FIGURES[name] in stdout, output[-4000:]
