"""The layering contracts (pyproject.toml, docs/architecture.md) hold, and they do catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["cases", "motions", "papers", "meetings", "administration", "reading", "signin", "audit", "alingsas_ale"]


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


def copy_of_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")
    assert contracts >= 4
    assert f"Contracts: {contracts} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("cases/_probe.py", "import meetings.models\n", "The core (cases) imports none of the apps built on it"),
        ("cases/_probe.py", "from motions import models\n", "The core (cases) imports none of the apps built on it"),
        ("papers/_probe.py", "from meetings.models import Meeting\n", "Motions and papers do not import meetings"),
        ("motions/_probe.py", "import meetings.services\n", "Motions and papers do not import meetings"),
        ("cases/_probe.py", "from alingsas_ale import settings\n", "never the project's settings or urls"),
        ("meetings/_probe.py", "import reading.views\n", "No other app imports the reading room"),
    ],
)
def test_a_copy_of_the_tree_with_an_upward_import_breaks_the_contract(tmp_path, module, line, contract):
    tree = copy_of_tree(tmp_path)
    assert lint_imports(tree).returncode == 0, "the copy alone must pass, or the probe proves nothing"
    (tree / module).write_text(line)
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) == 1 and contract in broken[0], result.stdout
