"""Every Cypher file: documented, parameters only, used by the code, valid on the real server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import queries
from engine.db import Database

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("engine", "loaders", "powerconnect") for p in (ROOT / d).rglob("*.py")]


@pytest.mark.parametrize("name", queries.names())
def test_query_file_starts_with_a_header_naming_it_and_its_parameters(name: str) -> None:
    text = queries.load(name)
    first = text.splitlines()[0]
    assert first.startswith(f"// {name.rpartition('/')[2]}:"), first
    header = "\n".join(line for line in text.splitlines() if line.startswith("//"))
    assert "Parameters" in header
    for param in set(re.findall(r"\$([A-Za-z_]\w*)", _code(text))):
        assert f"${param}" in header, f"${param} is not documented in the header of {name}"


@pytest.mark.parametrize("name", queries.names())
def test_query_file_is_used_by_the_code(name: str) -> None:
    pattern = re.compile(rf"[\"']{re.escape(name)}[\"']")
    assert any(pattern.search(p.read_text()) for p in SOURCES), f"{name}.cypher is never used"


def _code(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


@pytest.mark.neo4j
def test_every_query_passes_explain_on_the_real_server(db: Database) -> None:
    failures = []
    with db.session() as session:
        for name in queries.names():
            for statement in queries.statements(name):
                try:
                    session.run("EXPLAIN " + statement).consume()
                except Exception as exc:  # collect them all, then fail once
                    failures.append(f"{name}: {exc}")
    assert failures == []
