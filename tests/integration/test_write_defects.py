"""Issue 16, "Nothing half-written, nothing leaked": the write path and run consistency,
against the real Neo4j (fixtures ``db`` and ``cli_env`` of ``tests/integration/conftest.py``).

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

import pandas as pd
import pytest
from click.testing import CliRunner
from neo4j.exceptions import Neo4jError

from powerconnect import engine
from powerconnect.cli import main
from powerconnect.engine.analysis import rank_database, result_parts, settle, write_results
from powerconnect.engine.db import Database
from powerconnect.engine.errors import database_failure
from powerconnect.engine.recommend import recommend_database, write_introductions
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
def test_a_write_waiting_for_a_lock_nobody_releases_ends_with_a_message(
    db: Database, tmp_path: Path
) -> None:
    """The hang of issue 16: a transaction the server never rolled back held the locks of
    20,000 people, and the next load waited for them for ever. Here a test transaction holds
    one person's lock for the whole write; the write must end, with a message."""
    _network(db, tmp_path)
    bounded = Database(db.driver, db.settings)
    bounded.write_timeout, bounded.write_tries = 1.0, 2  # seconds per try; tries
    session, tx = _holding_lock(db, "a1")
    try:
        rows = [[f"a{k}", {"name": f"New {k}"}] for k in range(1, 5)]
        thread, out = _in_thread(
            lambda: bounded.run_batches(
                "load_people_update", [([[_node(db, r[0]), r[1]] for r in rows], 4)]
            )
        )
        thread.join(timeout=30)
        assert not thread.is_alive(), "the write still waits after 30 s"
    finally:
        tx.rollback()
        session.close()
    thread.join(timeout=30)
    assert isinstance(out.get("error"), Neo4jError)
    message = str(database_failure(out["error"]))
    assert "waited too long for locks" in message and "restart Neo4j" in message


def _node(db: Database, person: str) -> int:
    return int(
        db.driver.execute_query(
            "MATCH (p:Person {id: $id}) RETURN id(p) AS n",
            id=person,
            database_=db.settings.database,
        )[0][0]["n"]
    )


# ---------------------------------------------------------------- 11: transient failures
def test_a_write_stopped_by_a_lock_wait_is_tried_again_and_says_so(
    db: Database, tmp_path: Path
) -> None:
    """A rank during a load: the load's batch cannot get a person's lock in time (here a test
    transaction holds it for HOLD = 6 s, the write's timeout is 1 s). The call is tried
    again with a pause, completes once the lock is released, and the retry is counted."""
    _network(db, tmp_path)
    patient, release = _patient_while_locked(db, "b3")
    # four batches of one person each; b3 is in the third, so two are committed first
    batches = [([[_node(db, p), {"name": f"Renamed {p}"}]], 1) for p in ("b1", "b2", "b3", "b4")]
    try:
        written = patient.run_batches("load_people_update", batches)
    finally:
        release.join()
    assert written.retries >= 1 and patient.retries == written.retries
    names = db.driver.execute_query(
        "MATCH (p:Person) WHERE p.id STARTS WITH 'b' RETURN p.id AS id, p.name AS name",
        database_=db.settings.database,
    )[0]
    renamed = {p: f"Renamed {p}" for p in ("b1", "b2", "b3", "b4")}
    assert {r["id"]: r["name"] for r in names} == renamed


def test_a_resumed_create_writes_each_batch_once(db: Database, tmp_path: Path) -> None:
    """A retried call of a CREATE query resumes after the batches whose row came back, so
    that no person is created twice (the unique constraint would refuse) and no tie twice."""
    _network(db, tmp_path)
    patient, release = _patient_while_locked(db, "a4")
    a = {p: _node(db, p) for p in ("a1", "a2", "a3", "a4")}
    # ties x-a1 exists already: make new ones a1-b4 (batch 1), a2-b4, a4-b4 (batch 3: locked)
    b4 = _node(db, "b4")
    batches = [
        ([[a["a1"], [b4], [0.5]]], 1),
        ([[a["a2"], [b4], [0.5]]], 1),
        ([[a["a4"], [b4], [0.5]]], 1),
    ]
    try:
        written = patient.run_batches("load_ties_create", batches, source=None)
    finally:
        release.join()
    assert written.retries >= 1
    count = db.driver.execute_query(
        "MATCH (:Person {id: 'b4'})-[k:KNOWS]-(p:Person) WHERE k.strength = 0.5 "
        "RETURN count(k) AS n",
        database_=db.settings.database,
    )[0][0]["n"]
    assert count == 3  # one per batch, none twice


# ---------------------------------------------------------------- 12: runs visible when complete
def _report_run(db: Database) -> tuple[set[str], set[str]]:
    rows = db.query("report_people")
    return {r["run_id"] for r in rows}, {r["id"] for r in rows}


def test_an_interrupted_rank_leaves_the_previous_run_whole(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rank's write fails in its last batch (a value Neo4j cannot store, in a
    batch of 2 people), after earlier batches were committed. Readers (report_people,
    Browser's top_power_connectors) still see the first run, for everyone."""
    _network(db, tmp_path)
    first = rank_database(db, group_by="organization")
    everyone = set(first.table["id"])
    assert _report_run(db) == ({first.run_id}, everyone)
    second = first.table.copy()
    second["explanation"] = second["explanation"].astype(object)
    second.at[second.index[-1], "explanation"] = {"not": "storable"}  # Neo4j refuses a map
    monkeypatch.setattr(engine.analysis, "WRITE_BATCH", 2)
    with pytest.raises(Neo4jError):
        write_results(
            db, second, "interrupted", {"strong": 0.5, "group_by": None, "seed": 0}, ties=0
        )
    assert _report_run(db) == ({first.run_id}, everyone)
    runs = db.driver.execute_query(
        "MATCH (p:Person) WHERE p.pc_run IS NOT NULL RETURN DISTINCT p.pc_run AS run",
        database_=db.settings.database,
    )[0]
    assert [r["run"] for r in runs] == [first.run_id]
    shown = db.query("browser/mega_vs_power", top=5)
    assert {r["id"] for r in shown} <= everyone
    third = rank_database(db, group_by="organization")  # drops what the stopped run staged
    parts = db.driver.execute_query(
        "MATCH (s:RunPart) RETURN count(s) AS n", database_=db.settings.database
    )[0][0]["n"]
    assert parts == 0 and _report_run(db) == ({third.run_id}, everyone)


def _published_not_settled(db: Database, tmp_path: Path) -> Any:
    """A first run, then a second one ("second", explanation "staged by the second run")
    stopped between publish_run and settle_run: 3 parts staged, the :Run names it. Returns
    the first run."""
    _network(db, tmp_path)
    first = rank_database(db, group_by="organization")
    second = first.table.copy()
    second["explanation"] = "staged by the second run"
    db.run_batches("write_scores", result_parts(second, 4), run="second")  # 3 parts
    db.write(
        "publish_run", id="second", parameters="{}", strong=0.5, group_by=None, people=9, ties=0
    )
    return first


def test_a_rank_stopped_after_publishing_is_settled_by_the_next_reader(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """A rank stopped between publish_run (the :Run names it) and settle_run (pc_* not
    written yet): `report` and `explain` settle it first and show the new run for everyone,
    not a mix."""
    first = _published_not_settled(db, tmp_path)
    shown = CliRunner().invoke(main, ["explain", "x", "--format", "json"], env=cli_env)
    assert shown.exit_code == 0, shown.output
    assert "staged by the second run" in shown.output
    out = tmp_path / "report.html"
    reported = CliRunner().invoke(main, ["report", "--out", str(out)], env=cli_env)
    assert reported.exit_code == 0, reported.output
    assert "run second (9 people)" in reported.output
    assert _report_run(db) == ({"second"}, set(first.table["id"]))
    explanations = db.driver.execute_query(
        "MATCH (p:Person) RETURN DISTINCT p.pc_explanation AS e", database_=db.settings.database
    )[0]
    assert [r["e"] for r in explanations] == ["staged by the second run"]
    left = db.driver.execute_query(
        "MATCH (s:RunPart) RETURN count(s) AS n", database_=db.settings.database
    )[0][0]["n"]
    assert left == 0  # every part written and deleted


def test_a_rank_after_a_run_stopped_after_publishing_settles_that_run_first(
    db: Database, tmp_path: Path
) -> None:
    """write_results settles first: a run published but not settled (3 parts left) is
    settled before the new run is staged, so no part is left behind, and the new run ends
    on everyone. On an empty database (no :Run) settling writes nothing and does not
    fail."""
    settle(db)
    nodes = db.driver.execute_query(
        "MATCH (n) RETURN count(n) AS n", database_=db.settings.database
    )
    assert nodes[0][0]["n"] == 0
    first = _published_not_settled(db, tmp_path)
    third = first.table.copy()
    third["explanation"] = "written by the third run"
    write_results(db, third, "third", {"strong": 0.5, "group_by": None}, ties=0)
    rows = db.driver.execute_query(
        "MATCH (p:Person) RETURN DISTINCT p.pc_run AS run, p.pc_explanation AS e",
        database_=db.settings.database,
    )[0]
    assert [(r["run"], r["e"]) for r in rows] == [("third", "written by the third run")]
    left = db.driver.execute_query(
        "MATCH (s:RunPart) RETURN count(s) AS n", database_=db.settings.database
    )[0][0]["n"]
    assert left == 0  # the second run's parts were settled, not left behind


def test_an_interrupted_recommend_shows_only_the_previous_introductions(
    db: Database, tmp_path: Path
) -> None:
    """A second `recommend` whose write fails in its last batch (of 1 introduction) leaves
    Browser's recommended_introductions showing the first run's introductions only."""
    _network(db, tmp_path)
    rank_database(db, group_by="organization")
    first = recommend_database(db, group_by="organization")
    assert first.introductions, "the sample has a hole to recommend across"
    before = {r["i"]["id"] for r in db.query("browser/recommended_introductions", limit=100)}
    assert before and all(i.startswith(first.run_id) for i in before)
    intros = list(first.introductions) * 2  # two batches at least
    bad = intros[-1]
    intros[-1] = type(bad)(**{**bad.__dict__, "reason": {"not": "storable"}})
    with pytest.raises(Neo4jError):
        write_introductions(
            db,
            intros,
            run_id="interrupted",
            at="2026-01-01T00:00:00+00:00",
            group_by="organization",
            batch_size=1,
        )
    after = {r["i"]["id"] for r in db.query("browser/recommended_introductions", limit=100)}
    assert after == before
    # the next complete run replaces both the first and the interrupted one
    third = recommend_database(db, group_by="organization")
    runs = db.driver.execute_query(
        "MATCH (i:Introduction) RETURN DISTINCT i.run AS run", database_=db.settings.database
    )[0]
    assert [r["run"] for r in runs] == [third.run_id]


def test_an_interrupted_load_is_reported_by_info_and_completed_by_running_it_again(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    """A load stopped after its people (the progress hook raises as the ties start) leaves
    `info` saying the last load did not finish; the same load again completes it."""
    people, ties = _files(tmp_path)

    def stop_at_ties(stage: str, done: int, total: int) -> None:
        if stage == "ties":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_csv(db, people, ties, batch_size=2, progress=stop_at_ties)
    shown = CliRunner().invoke(main, ["info"], env=cli_env)
    assert shown.exit_code == 0, shown.output
    assert "the last load did not finish" in shown.output
    again = CliRunner().invoke(
        main, ["load", "--people", str(people), "--ties", str(ties)], env=cli_env
    )
    assert again.exit_code == 0, again.output
    shown = CliRunner().invoke(main, ["info"], env=cli_env)
    assert "did not finish" not in shown.output
    assert shown.output.startswith(f"9 people, {len(TIES) - 1} ties")


# ---------------------------------------------------------------- 6: readers check types
def test_a_stored_score_that_is_not_a_number_does_not_crash_introduce_or_report(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _network(db, tmp_path)
    rank_database(db, group_by="organization")
    db.driver.execute_query(
        "MATCH (p:Person {id: $id}) SET p.pc_score = $bad, p.pc_strong_ties = $bad",
        id="x",
        bad="abc",
        database_=db.settings.database,
    )
    runner = CliRunner()
    introduced = runner.invoke(main, ["introduce", "--person", "a2", "--to", "b1"], env=cli_env)
    assert introduced.exit_code == 0, introduced.output
    assert "not a number" in introduced.output  # the warning (stderr, mixed in by CliRunner)
    recommended = runner.invoke(main, ["recommend", "--group-by", "organization"], env=cli_env)
    assert recommended.exit_code == 0, recommended.output
    out = tmp_path / "report.html"
    reported = runner.invoke(main, ["report", "--out", str(out)], env=cli_env)
    assert reported.exit_code == 0, reported.output
    assert out.exists()


# ---------------------------------------------------------------- 10, 14: report
def test_report_of_a_run_where_nobody_has_a_tie_says_so(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    people, _ = _files(tmp_path)
    load_csv(db, people, None)
    rank_database(db, group_by="organization")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--out", str(out)], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Nobody in this run has a tie" in out.read_text(encoding="utf-8")


def test_report_refuses_to_overwrite_a_file_without_force(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _network(db, tmp_path)
    rank_database(db, group_by="organization")
    out = tmp_path / "report.png"
    out.write_bytes(b"mine")
    refused = CliRunner().invoke(main, ["report", "--out", str(out)], env=cli_env)
    assert refused.exit_code == 1 and "--force" in refused.output
    assert out.read_bytes() == b"mine"
    forced = CliRunner().invoke(main, ["report", "--out", str(out), "--force"], env=cli_env)
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes().startswith(b"\x89PNG")


# ---------------------------------------------------------------- reset
def test_reset_empties_the_database_in_batches_and_keeps_the_schema(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    from powerconnect.engine.db import reset_database

    _network(db, tmp_path)
    constraints = {
        r["name"]
        for r in db.driver.execute_query(
            "SHOW CONSTRAINTS YIELD name", database_=db.settings.database
        )[0]
    }
    done = reset_database(db, batch=4)
    # 9 people, 2 organizations and the load's record; 6 + 6 + 3 ties and 8 WORKS_AT
    assert (done.nodes, done.relationships) == (12, len(TIES) - 1 + 8)
    # batches of at most 4: ceil(23 / 4) = 6 for the relationships, ceil(12 / 4) = 3 nodes
    assert done.transactions == 6 + 3
    counts = db.query("database_counts")[0]
    assert (counts["people"], counts["ties"], counts["organizations"]) == (0, 0, 0)
    after = {
        r["name"]
        for r in db.driver.execute_query(
            "SHOW CONSTRAINTS YIELD name", database_=db.settings.database
        )[0]
    }
    assert after == constraints


def test_reset_asks_first_and_refuses_in_a_script_without_yes(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    _network(db, tmp_path)
    refused = CliRunner().invoke(main, ["reset"], env=cli_env)
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert db.query("database_counts")[0]["people"] == 9
    done = CliRunner().invoke(main, ["reset", "--yes"], env=cli_env)
    assert done.exit_code == 0, done.output
    assert db.query("database_counts")[0]["people"] == 0


def test_readers_settling_the_same_run_at_once_all_succeed(db: Database) -> None:
    """Several readers (report, explain, introduce ...) that start while a published run is
    still staged all settle it at once: each part is written by one of them and deleted, and
    none fails on a part another one deleted under it (two of two runs failed so before
    settle() tried again)."""
    ids = [f"p{i}" for i in range(2000)]
    db.driver.execute_query(
        "UNWIND $ids AS id CREATE (:Person {id: id})", ids=ids, database_=db.settings.database
    )
    rows = [
        {
            "id": i,
            "rank": k + 1,
            "score": 0.0,
            "role": "",
            "constraint": float("nan"),
            "effective_size": float("nan"),
            "efficiency": float("nan"),
            "hierarchy": float("nan"),
            "strong_ties": 0,
            "weak_ties": 0,
            "groups_bridged": 0,
            "open_pairs": 0,
            "simmelian_ties": 0,
            "group": "",
            "explanation": "staged",
        }
        for k, i in enumerate(ids)
    ]
    db.run_batches("write_scores", result_parts(pd.DataFrame(rows), 20), run="r2")  # 100 parts
    db.write(
        "publish_run", id="r2", parameters="{}", strong=0.5, group_by=None, people=2000, ties=0
    )
    readers = [_in_thread(lambda: settle(db)) for _ in range(8)]
    for thread, _ in readers:
        thread.join(timeout=120)
    assert [out.get("error") for _, out in readers] == [None] * 8
    left = db.driver.execute_query(
        "MATCH (s:RunPart) RETURN count(s) AS n", database_=db.settings.database
    )[0][0]["n"]
    assert left == 0
    settled = db.driver.execute_query(
        "MATCH (p:Person {pc_run: 'r2', pc_explanation: 'staged'}) RETURN count(p) AS n",
        database_=db.settings.database,
    )[0][0]["n"]
    assert settled == 2000
