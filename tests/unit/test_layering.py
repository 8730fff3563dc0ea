"""The layering holds: engine below loaders below the CLI, no import running back up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = "powerconnect."  # the CLI and launcher modules, less the mapped library packages
LIBRARY = ("powerconnect.engine", "powerconnect.loaders", "powerconnect.cypher")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _cli(module: str) -> bool:
    return module.startswith(CLI) and not module.startswith(LIBRARY) or module == "powerconnect"


@pytest.mark.parametrize("path", sorted((ROOT / "engine").glob("*.py")), ids=lambda p: p.name)
def test_engine_imports_neither_the_loaders_nor_the_cli(path: Path) -> None:
    bad = {m for m in _imports(path) if m.startswith("powerconnect.loaders") or _cli(m)}
    assert bad == set()


@pytest.mark.parametrize("path", sorted((ROOT / "loaders").glob("*.py")), ids=lambda p: p.name)
def test_loaders_do_not_import_the_cli(path: Path) -> None:
    assert {m for m in _imports(path) if _cli(m)} == set()


def test_no_module_imports_the_old_top_level_names() -> None:
    sources = [
        p
        for d in ("engine", "loaders", "powerconnect", "tests", "bench")
        for p in (ROOT / d).rglob("*.py")
    ]
    old = {
        str(p.relative_to(ROOT))
        for p in sources
        if any(m.split(".")[0] in {"engine", "loaders", "cypher"} for m in _imports(p))
    }
    assert old == set()
