"""Every Cypher file: documented, parameters only, used by the code, valid on the real server."""

from __future__ import annotations

import pytest

from powerconnect.engine import queries
from powerconnect.engine.db import Database


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
