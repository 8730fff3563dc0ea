"""Every Cypher file: documented, parameters only, used by the code, valid on the real server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from powerconnect.engine import queries

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = [p for d in ("engine", "loaders", "powerconnect") for p in (ROOT / d).rglob("*.py")]


@pytest.mark.parametrize("name", queries.names())
def test_query_file_starts_with_a_header_naming_it_and_its_parameters(name: str) -> None:
    query = queries.get(name)
    first = query.text.splitlines()[0]
    assert first.startswith(f"// {query.stem}:"), first
    assert query.summary, f"{name} has no summary sentence after its name"
    assert any("Parameters" in line for line in query.header)
    for param in query.parameters:
        assert param in query.documented, f"${param} is not documented in the header of {name}"


def test_header_is_parsed_into_summary_returns_parameters_and_examples() -> None:
    # Read from cypher/strong_open_pairs.cypher's own header, by hand.
    query = queries.get("strong_open_pairs")
    assert query.summary.startswith("The structural holes one person spans")
    assert query.returns is not None and query.returns.startswith("a, a_name, a_group")
    assert query.parameters == ("id", "strong", "group_by", "limit")
    assert query.documented == {"id", "strong", "group_by", "limit"}
    assert query.examples["strong"] == "0.5"
    assert "//" not in query.code


@pytest.mark.parametrize("name", queries.names())
def test_query_file_is_used_by_the_code(name: str) -> None:
    pattern = re.compile(rf"[\"']{re.escape(name)}[\"']")
    assert any(pattern.search(p.read_text()) for p in SOURCES), f"{name}.cypher is never used"
