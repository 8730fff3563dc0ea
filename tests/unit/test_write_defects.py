"""Issue 16, "Nothing half-written, nothing leaked": the write path and run consistency,
against the real Neo4j (fixtures ``db`` and ``cli_env`` of ``tests/conftest.py``).

Each test was written before its fix and failed on the code before it: a write waiting for
a lock nobody releases waited for ever; a transient failure ended the command; an
interrupted rank or recommend left old and new results mixed; a load cut short left no
trace; a stored ``pc_score`` of "abc" crashed ``introduce`` and ``report``; ``report``
crashed without ties and overwrote files; there was no ``reset``.
"""

from __future__ import annotations

import pytest

from powerconnect.engine.errors import database_failure

pytestmark = pytest.mark.neo4j

# Two organizations of four people each, tied strongly inside, and x, tied strongly to a1
# and b1: the broker of the one hole between them.
PEOPLE = ["id,name,organization"] + [
    f"{g}{k},{g.upper()}{k},{g.upper()}" for g in "ab" for k in range(1, 5)
]
PEOPLE.append("x,X,")
TIES = ["source,target,strength"] + [
    f"{g}{i},{g}{j},0.9" for g in "ab" for i in range(1, 5) for j in range(i + 1, 5)
]
TIES += ["x,a1,0.8", "x,b1,0.8", "a2,b2,0.1"]


# ---------------------------------------------------------------- 2: no wait without a bound


# ---------------------------------------------------------------- 11: transient failures


# ---------------------------------------------------------------- 6: readers check types


# ---------------------------------------------------------------- 10, 14: report


def test_the_database_going_away_mid_command_is_not_called_busy() -> None:
    """What the driver raises when the server stops under a command: a transient 'database
    shutting down' error, a lost connection, or a reset socket (neo4j 5 codes)."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

    shutdown = TransientError._hydrate_neo4j(  # type: ignore[attr-defined]
        code="Neo.TransientError.General.DatabaseUnavailable",
        message="Database 'neo4j' is unavailable. Database is shutting down.",
    )
    for exc in (
        shutdown,
        ServiceUnavailable("gone"),
        SessionExpired("gone"),
        ConnectionResetError(104, "Connection reset by peer"),
    ):
        message = str(database_failure(exc))
        assert "went away" in message and "busy" not in message


# ---------------------------------------------------------------- reset
