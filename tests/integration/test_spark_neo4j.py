"""``rank --engine spark`` against the real Neo4j: read through the Neo4j Connector for
Apache Spark, rank on Spark, write back; the stored run equals the local engine's.

The expected values are those the local engine stores for the same database (its own
correctness is checked in test_rank_neo4j.py and tests/unit); this test checks that the
Spark path reads, ranks and writes the same thing: measures to 1e-9, the rest identical.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.engine.analysis import SCORE_COLUMNS, rank_database
from powerconnect.engine.db import Database

pytestmark = pytest.mark.spark

FLOATS = {"score", "constraint", "effective_size", "efficiency", "hierarchy"}
STORED = (
    "MATCH (p:Person) RETURN p.id AS id, labels(p) AS labels, p.pc_run AS run, "
    + ", ".join(f"p.pc_{c} AS {c}" for c in SCORE_COLUMNS)
    + " ORDER BY id"
)
RUN = (
    "MATCH (r:Run) RETURN r.strong AS strong, r.group_by AS group_by, r.people AS people,"
    " r.ties AS ties"
)


def _load_random_network(db: Database) -> None:
    """A seeded random graph: 80 people in four organizations (one in nine without one), 300
    ties of a few strengths, one tie stored twice (both ways, the stronger wins) and one
    isolated person."""
    rng = np.random.default_rng(11)
    graph = nx.gnm_random_graph(80, 300, seed=11)
    people = [
        {"id": f"p{v:02d}", "name": f"P{v}", "organization": f"Org {v % 4}" if v % 9 else None}
        for v in graph
    ] + [{"id": "alone", "name": "Alone", "organization": "Org 1"}]
    ties = [
        {"a": f"p{u:02d}", "b": f"p{v:02d}", "s": float(rng.choice([0.1, 0.3, 0.55, 0.8, 1.0]))}
        for u, v in graph.edges()
    ]
    first = ties[0]
    ties.append({"a": first["b"], "b": first["a"], "s": 0.95})
    db.driver.execute_query(
        "UNWIND $people AS p CREATE (x:Person {id: p.id, name: p.name}) "
        "SET x.organization = p.organization",
        people=people,
    )
    db.driver.execute_query(
        "UNWIND $ties AS t MATCH (a:Person {id: t.a}), (b:Person {id: t.b}) "
        "CREATE (a)-[:KNOWS {strength: t.s}]->(b)",
        ties=ties,
    )


def _stored(db: Database) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    people = [record.data() for record in db.driver.execute_query(STORED).records]
    run = db.driver.execute_query(RUN).records[0].data()
    return people, run


@pytest.mark.parametrize("group_by", ["organization", None])
def test_spark_engine_stores_the_same_run_as_the_local_engine(
    db: Database, cli_env: dict[str, str], spark: Any, group_by: str | None
) -> None:
    """With groups from a property, and without (both engines detect communities)."""
    _load_random_network(db)
    rank_database(db, group_by=group_by)
    local_people, local_run = _stored(db)

    grouping = ["--group-by", group_by] if group_by else []
    result = CliRunner().invoke(
        main, ["rank", "--engine", "spark", *grouping, "--top", "3"], env=cli_env
    )
    assert result.exit_code == 0, result.output
    spark_people, spark_run = _stored(db)

    assert spark_run == local_run
    assert len(spark_people) == len(local_people) == 81
    assert {p["run"] for p in spark_people} != {p["run"] for p in local_people}  # a new run
    for ours, theirs in zip(local_people, spark_people, strict=True):
        assert sorted(ours["labels"]) == sorted(theirs["labels"]), ours["id"]
        for column in SCORE_COLUMNS:
            if column in FLOATS and ours[column] is not None:
                assert theirs[column] == pytest.approx(ours[column], abs=1e-9), column
            else:
                assert theirs[column] == ours[column], (ours["id"], column)
    assert any(p["role"] == "power connector" for p in spark_people)
    if group_by is None:
        assert all(p["group"].startswith("community ") for p in spark_people)
        assert len({p["group"] for p in spark_people}) > 2


# ------------------------------------------------------------- load-interactions --engine spark
#: A small log with each rule of the strength model in it: durations, an undirected channel
#: (meeting), both kinds of duplicate, a group, a self row, placeholders, one-sided and
#: reciprocated pairs, several channels; and a pair (ann, bob) whose tie was given explicitly.
INTERACTIONS = """from,to,timestamp,channel,duration,group,message_id
ann,bob,2024-03-01T09:00:00Z,email,,,<m1>
bob,ann,2024-03-01T09:01:00Z,email,,,<m1>
ann,bob,2024-03-02T10:00:00Z,call,600,,
ann,bob,2024-03-02T10:00:05Z,call,600,,
bob,ann,2024-03-03T11:00:00Z,email,,,
ann,cid,2024-03-04T12:00:00Z,meeting,3600,g1,
bob,cid,2024-03-04T12:00:00Z,meeting,3600,g1,
ann,dee,2024-03-04T12:00:00Z,meeting,3600,g1,
cid,dee,2024-04-01,email,,,
cid,dee,2024-04-02,email,,,
dee,eve,2024-05-01T08:00:00Z,chat,,,
eve,eve,2024-05-01T08:00:00Z,chat,,,
eve,unknown,2024-05-02,email,,,
,eve,2024-05-03,email,,,
fay,ann,2024-06-01T09:00:00+02:00,email,,,
ann,fay,2024-06-01T18:00:00Z,meeting,1800,,
"""
TIES = (
    "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p"
    " ORDER BY a, b"
)


def _ties_and_people(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ties = [r.data() for r in db.driver.execute_query(TIES).records]
    people = [
        r.data()
        for r in db.driver.execute_query(
            "MATCH (p:Person) RETURN p.id AS id, properties(p) AS p ORDER BY id"
        ).records
    ]
    return ties, people


def test_spark_load_interactions_stores_what_the_local_load_stores(
    db: Database, cli_env: dict[str, str], spark: Any, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(INTERACTIONS)
    explicit = "CREATE (:Person {id: 'ann'})-[:KNOWS {strength: 0.9}]->(:Person {id: 'bob'})"
    args = ["load-interactions", str(log), "--undirected-channel", "meeting"]
    db.driver.execute_query(explicit)
    local = CliRunner().invoke(main, args, env=cli_env)
    assert local.exit_code == 0, local.output
    local_ties, local_people = _ties_and_people(db)

    db.driver.execute_query("MATCH (n) DETACH DELETE n")
    db.driver.execute_query(explicit)
    result = CliRunner().invoke(main, [*args, "--engine", "spark"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "left out" in result.output and "left out" in local.output
    spark_ties, spark_people = _ties_and_people(db)

    assert spark_people == local_people
    assert [(t["a"], t["b"]) for t in spark_ties] == [(t["a"], t["b"]) for t in local_ties]
    assert len(local_ties) == 7
    for ours, theirs in zip(local_ties, spark_ties, strict=True):
        assert set(theirs["p"]) == set(ours["p"]), ours
        for key, value in ours["p"].items():
            if isinstance(value, float):
                assert theirs["p"][key] == pytest.approx(value, abs=1e-9), (ours, key)
            else:
                assert theirs["p"][key] == value, (ours, key)
    ann_bob = spark_ties[0]["p"]
    assert ann_bob["strength"] == 0.9 and "source" not in ann_bob  # the explicit one stays


COUNTS = "MATCH (n) OPTIONAL MATCH (n)-[k]->() RETURN count(DISTINCT n) AS nodes, count(k) AS rels"


def _counts(db: Database) -> dict[str, int]:
    return db.driver.execute_query(COUNTS).records[0].data()


def test_spark_dry_run_writes_nothing_and_counts_what_the_load_would_do(
    db: Database, cli_env: dict[str, str], spark: Any, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(INTERACTIONS)
    db.driver.execute_query(
        "CREATE (:Person {id: 'ann'})-[:KNOWS {strength: 0.9}]->(:Person {id: 'bob'})"
    )
    before = _counts(db)
    args = ["load-interactions", str(log), "--undirected-channel", "meeting", "--engine", "spark"]
    dry = CliRunner().invoke(main, [*args, "--dry-run"], env=cli_env)
    assert dry.exit_code == 0, dry.output
    assert _counts(db) == before  # nothing written, not even the load's state
    # the log names six people, two of them stored, and seven pairs, one of them stored
    assert "people: 4 to create, 0 to update, 2 unchanged" in dry.output
    assert "ties: 6 to create, 1 to update" in dry.output


def test_spark_load_refuses_a_bad_row_or_skips_it_as_the_local_load_does(
    db: Database, cli_env: dict[str, str], spark: Any, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    lines = INTERACTIONS.splitlines()
    lines.insert(5, "ann,cid,yesterday,email,,,")  # line 6 of the file: not a timestamp
    log.write_text("\n".join(lines) + "\n")
    args = ["load-interactions", str(log), "--undirected-channel", "meeting"]
    before = _counts(db)
    refused = CliRunner().invoke(main, [*args, "--engine", "spark"], env=cli_env)
    assert refused.exit_code == 1
    assert f"{log}:6: timestamp 'yesterday' is not an ISO 8601 date" in refused.output
    assert "Traceback" not in refused.output
    assert _counts(db) == before  # a refused log writes nothing

    local = CliRunner().invoke(main, [*args, "--skip-invalid"], env=cli_env)
    assert local.exit_code == 0, local.output
    local_ties, local_people = _ties_and_people(db)
    db.driver.execute_query("MATCH (n) DETACH DELETE n")
    skipped = CliRunner().invoke(main, [*args, "--skip-invalid", "--engine", "spark"], env=cli_env)
    assert skipped.exit_code == 0, skipped.output
    assert "1 rejected" in skipped.output and "1 rejected" in local.output
    spark_ties, spark_people = _ties_and_people(db)
    assert spark_people == local_people
    assert [(t["a"], t["b"]) for t in spark_ties] == [(t["a"], t["b"]) for t in local_ties]
    for ours, theirs in zip(local_ties, spark_ties, strict=True):
        assert theirs["p"]["strength"] == pytest.approx(ours["p"]["strength"], abs=1e-9)
