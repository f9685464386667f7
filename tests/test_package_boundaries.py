"""Package boundaries: loading never depends on the queries or on evaluation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_packages(package: str) -> dict[str, set[str]]:
    """Module path → top-level packages it imports (including imports inside functions)."""
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
        out[str(path.relative_to(ROOT))] = found
    return out


@pytest.mark.parametrize("forbidden", ["queries", "evaluation", "app"])
def test_loaders_import_neither_queries_nor_evaluation_nor_the_app(forbidden: str) -> None:
    modules = imported_packages("loaders")
    assert modules, "no module found under loaders/"
    offenders = sorted(path for path, packages in modules.items() if forbidden in packages)
    assert offenders == []


def test_evaluation_is_a_package_of_its_own() -> None:
    modules = imported_packages("evaluation")
    assert {"evaluation/gold.py", "evaluation/scores.py", "evaluation/hooks.py",
            "evaluation/render.py"} <= set(modules)
    for moved in ("evaluation.py", "gold.py", "scoring.py"):
        assert not (ROOT / "loaders" / moved).exists()
