"""Issue 16, "Nothing half-written, nothing leaked": the write path and run consistency,
against the real Neo4j (fixtures ``db`` and ``cli_env`` of ``tests/conftest.py``).

Each test was written before its fix and failed on the code before it: a write waiting for
a lock nobody releases waited for ever; a transient failure ended the command; an
interrupted rank or recommend left old and new results mixed; a load cut short left no
trace; a stored ``pc_score`` of "abc" crashed ``introduce`` and ``report``; ``report``
crashed without ties and overwrote files; there was no ``reset``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from powerconnect.engine.db import Database
from powerconnect.engine.errors import database_failure
from powerconnect.loaders.csv_files import load_csv

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


def _files(tmp_path: Path) -> tuple[Path, Path]:
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("\n".join(PEOPLE) + "\n", encoding="utf-8")
    ties.write_text("\n".join(TIES) + "\n", encoding="utf-8")
    return people, ties


def _network(db: Database, tmp_path: Path) -> None:
    people, ties = _files(tmp_path)
    load_csv(db, people, ties)


def _holding_lock(db: Database, person: str) -> Any:
    """An open transaction that holds the write lock of one person (the caller rolls back)."""
    session = db.driver.session(database=db.settings.database)
    tx = session.begin_transaction()
    tx.run("MATCH (p:Person {id: $id}) SET p.held = true", id=person).consume()
    return session, tx


#: How long the retry tests hold a lock: longer than the write's 1 s timeout plus the server's
#: check of timeouts (every 2 s by default, db.transaction.monitor.check.interval).
HOLD = 6.0


def _patient_while_locked(db: Database, person: str) -> tuple[Database, threading.Timer]:
    """A connection whose writes time out after 1 s (5 tries), and a timer that releases the
    lock on ``person``, held meanwhile, after :data:`HOLD` seconds (join it)."""
    patient = Database(db.driver, db.settings)
    patient.write_timeout, patient.write_tries = 1.0, 5
    session, tx = _holding_lock(db, person)
    release = threading.Timer(HOLD, lambda: (tx.rollback(), session.close()))
    release.start()
    return patient, release


def _in_thread(work: Any) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["result"] = work()
        except Exception as exc:  # the test looks at it
            out["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


# ---------------------------------------------------------------- 2: no wait without a bound


def _node(db: Database, person: str) -> int:
    return int(
        db.driver.execute_query(
            "MATCH (p:Person {id: $id}) RETURN id(p) AS n",
            id=person,
            database_=db.settings.database,
        )[0][0]["n"]
    )


# ---------------------------------------------------------------- 11: transient failures


# ---------------------------------------------------------------- 12: runs visible when complete
def _report_run(db: Database) -> tuple[set[str], set[str]]:
    rows = db.query("report_people")
    return {r["run_id"] for r in rows}, {r["id"] for r in rows}


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
