"""`powerconnect load` against the real Neo4j: what is written, updates, idempotence,
and every kind of bad input (message, exit code, database unchanged)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from powerconnect.cli import main
from powerconnect.engine import queries
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders import load_csv, load_interactions
from powerconnect.loaders.model import LoadSummary

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parent.parent / "data" / "loaders"
register(main)  # until powerconnect/cli.py does it; a second call changes nothing


def people_of(db: Database) -> dict[str, dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, properties(p) AS props",
        database_=db.settings.database,
    )
    return {r["id"]: r["props"] for r in records}


def ties_of(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p",
        database_=db.settings.database,
    )
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        assert (r["a"], r["b"]) not in out, "a tie is stored twice"
        out[(r["a"], r["b"])] = r["p"]
    return out


def works_at(db: Database) -> dict[str, list[str]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (o:Organization) OPTIONAL MATCH (p:Person)-[:WORKS_AT]->(o) "
        "RETURN o.name AS org, collect(p.id) AS people",
        database_=db.settings.database,
    )
    return {r["org"]: sorted(r["people"]) for r in records}


def snapshot(db: Database) -> tuple[Any, ...]:
    return people_of(db), ties_of(db), works_at(db)


def run(cli_env: dict[str, str], *args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=cli_env)


# ------------------------------------------------------------------------ what is written
def test_people_and_ties_are_written_as_the_files_say(db: Database) -> None:
    summary = load_csv(db, DATA / "people.csv", DATA / "ties.csv")

    assert (summary.people_created, summary.ties_created, summary.duplicates_merged) == (4, 4, 1)
    people = people_of(db)
    assert people["ann"] == {
        "id": "ann",
        "name": "Ann Lee",
        "email": "ann@example.org",
        "organization": "Acme",
        "title": "CEO",
    }
    assert people["bob"] == {  # the empty title is no property at all
        "id": "bob",
        "name": "Bob Stone",
        "email": "bob@example.org",
        "organization": "Globex",
    }
    # explicit strengths carry no source (loaders/README.md: only derived ones do)
    assert ties_of(db) == {
        ("ann", "bob"): {"strength": 0.8, "context": "board"},
        ("ann", "cy"): {"strength": 0.9, "context": "team"},
        ("cy", "dee"): {"strength": 0.2},
        ("bob", "dee"): {"strength": 1.0},  # the file says "dee,bob"
    }
    assert works_at(db) == {"Acme": ["ann", "cy"], "Globex": ["bob"]}


def test_the_command_prints_a_one_line_summary(db: Database, cli_env: dict[str, str]) -> None:
    result = run(cli_env, "load", "--people", DATA / "people.csv", "--ties", DATA / "ties.csv")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Loaded people: 4 created, 0 updated, 0 unchanged; ties: 4 created, 0 updated, "
        r"0 unchanged; 0 rejected; 1 duplicate ties merged; "
        r"\d+\.\d s \(read \d+\.\d, people \d+\.\d, ties \d+\.\d\)\.\n",
        result.stdout,
    )


def test_loading_the_same_files_twice_changes_nothing(
    db: Database, cli_env: dict[str, str]
) -> None:
    args = ("load", "--people", DATA / "people.csv", "--ties", DATA / "ties.csv")
    assert run(cli_env, *args).exit_code == 0
    before = snapshot(db)
    second = run(cli_env, *args)
    assert second.exit_code == 0
    assert "people: 0 created, 0 updated, 4 unchanged; ties: 0 created, 0 updated, 4 unchanged" in (
        second.stdout
    )
    assert snapshot(db) == before


def test_an_updated_file_updates_what_changed(db: Database, tmp_path: Path) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,email,organization,title\n"
        "ann,Ann Lee,,Initech,CEO\n"  # email emptied, moved to Initech
        "bob,Bob Stone,bob@example.org,Globex,CTO\n"  # title added
        "cy,Cy Young,,Globex,Engineer\n"  # moved to Globex: Acme is left empty
        "dee,Dee Park,dee@example.org,,Analyst\n"  # unchanged
    )
    ties = tmp_path / "ties.csv"
    ties.write_text(
        "source,target,strength,context\n"
        "ann,bob,0.8,board\nann,cy,0.5,\ncy,dee,0.2,\nbob,dee,1,\n"  # ann-cy changed
        "ann,dee,0.3,new\n"  # a new tie between people already there
    )
    summary = load_csv(db, people, ties)

    assert (summary.people_created, summary.people_updated, summary.people_unchanged) == (0, 3, 1)
    assert (summary.ties_created, summary.ties_updated, summary.ties_unchanged) == (1, 1, 3)
    got = people_of(db)
    assert "email" not in got["ann"]
    assert got["bob"]["title"] == "CTO"
    assert ties_of(db)[("ann", "cy")] == {"strength": 0.5}
    assert ties_of(db)[("ann", "dee")] == {"strength": 0.3, "context": "new"}
    # Acme lost its last member and is gone; the others follow the organization column
    assert works_at(db) == {"Globex": ["bob", "cy"], "Initech": ["ann"]}
    assert got["cy"]["organization"] == "Globex"


def test_ties_can_reach_people_already_loaded_without_duplicates(
    db: Database, tmp_path: Path
) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    more = tmp_path / "more.csv"
    more.write_text("source,target,strength\nbob,ann,0.8\ndee,ann,0.4\nann,zed,0.7\n")
    summary = load_csv(db, None, more, create_missing=True)

    assert (summary.people_created, summary.people_unchanged) == (1, 3)  # zed, with just an id
    assert people_of(db)["zed"] == {"id": "zed"}
    # bob-ann exists (0.8, and the file has no context column to change it); two new ties
    assert (summary.ties_created, summary.ties_updated, summary.ties_unchanged) == (2, 0, 1)
    assert len(ties_of(db)) == 6


def test_a_ties_file_alone_reads_its_people_from_the_database_once(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,strength\nbob,ann,0.3\ndee,ann,0.4\n")
    reads: list[str] = []
    real = db.read_batches

    def counted(name: str, batches: Any) -> Any:  # the real database, its calls counted
        reads.append(name)
        return real(name, batches)

    monkeypatch.setattr(db, "read_batches", counted)
    summary = load_csv(db, None, ties)
    # once to check that the ties' people exist, reused to write them (unchanged)
    assert [r for r in reads if r.startswith("load_people")] == ["load_people_existing"]
    assert (summary.people_unchanged, summary.ties_created, summary.ties_updated) == (3, 1, 1)


def test_a_ties_file_alone_may_name_people_already_in_the_database(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    before = people_of(db)
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,strength\nbob,ann,0.3\ndee,ann,0.4\n")

    result = run(cli_env, "load", "--ties", ties)

    assert result.exit_code == 0, result.output
    assert "people: 0 created, 0 updated, 3 unchanged; ties: 1 created, 1 updated" in result.output
    assert people_of(db) == before  # named by the ties only: their properties are kept
    got = ties_of(db)
    assert got[("ann", "bob")]["strength"] == 0.3
    assert got[("ann", "dee")] == {"strength": 0.4}

    # someone neither in the database nor in a people file is still refused, whole
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("source,target,strength\nann,bob,0.9\nann,zed,0.5\n")
    state = snapshot(db)
    result = run(cli_env, "load", "--ties", unknown)
    assert result.exit_code == 1
    assert "unknown.csv:3: person 'zed' is not in the database" in result.output
    assert snapshot(db) == state
    # --skip-invalid loads the good row and sets the other aside
    result = run(cli_env, "load", "--ties", unknown, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert ties_of(db)[("ann", "bob")]["strength"] == 0.9
    assert "zed" not in people_of(db)
    rejected = (tmp_path / "unknown.rejected.csv").read_text()
    assert "3,\"person 'zed' is not in the database" in rejected


def test_a_reload_without_extra_columns_changes_only_what_the_file_says(
    db: Database, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name\na,A\nb,B\nc,C\nd,D\ne,E\n")
    first = tmp_path / "first.csv"
    first.write_text("source,target,strength\na,b,0.5\na,c,0.6\na,d,0.7\nc,d,0.5\n")
    load_csv(db, people, first)
    for by_hand in (  # in Neo4j Browser, say: a note, an integer strength, a bare tie
        "MATCH (:Person {id: 'a'})-[k:KNOWS]->(:Person {id: 'c'}) SET k.note = 'met in Rome'",
        "MATCH (:Person {id: 'c'})-[k:KNOWS]->(:Person {id: 'd'}) SET k.strength = 1",
        "MATCH (d:Person {id: 'd'}), (e:Person {id: 'e'}) CREATE (d)-[:KNOWS]->(e)",
    ):
        db.driver.execute_query(by_hand)
    log = tmp_path / "log.csv"
    log.write_text("from,to,timestamp\na,e,2024-01-01T09:00:00Z\n")
    load_interactions(db, [log])  # a-e: derived only
    assert ties_of(db)[("a", "e")]["source"] == "interactions"
    later = tmp_path / "later.csv"
    later.write_text(
        "source,target,strength\n"
        "b,a,0.5\n"  # the same: unchanged
        "a,c,0.6\n"  # the same strength; the hand-set note stays
        "a,d,0.9\n"  # changed
        "a,e,0.8\n"  # an explicit strength now: it wins over the derived one
        "b,c,0.3\n"  # new
        "c,d,1\n"  # the same as the integer 1
        "d,e,0.4\n"  # the bare tie gets a strength
    )

    summary = load_csv(db, None, later)

    assert (summary.ties_created, summary.ties_updated, summary.ties_unchanged) == (1, 3, 3)
    got = ties_of(db)
    assert got[("a", "b")] == {"strength": 0.5}
    assert got[("a", "c")] == {"strength": 0.6, "note": "met in Rome"}
    assert got[("a", "d")] == {"strength": 0.9}
    assert got[("a", "e")]["strength"] == 0.8 and "source" not in got[("a", "e")]
    assert got[("b", "c")] == {"strength": 0.3}
    assert got[("c", "d")] == {"strength": 1}
    assert got[("d", "e")] == {"strength": 0.4}
    again = load_csv(db, None, later)
    assert (again.ties_created, again.ties_updated, again.ties_unchanged) == (0, 0, 7)


def test_a_hub_whose_file_names_few_of_its_ties_is_updated_in_place(
    db: Database, tmp_path: Path
) -> None:
    # hub has 13 ties; a later file names 2 of them and 1 new one: fewer than a quarter of
    # hub's ties, so they are looked up pair by pair rather than by reading all of hub's
    people = tmp_path / "people.csv"
    people.write_text("id,name\nhub,Hub\n" + "".join(f"p{i:02d},P{i}\n" for i in range(14)))
    star = tmp_path / "star.csv"
    rows = "".join(f"hub,p{i:02d},0.5\n" for i in range(13))
    star.write_text("source,target,strength\n" + rows)
    load_csv(db, people, star)
    later = tmp_path / "later.csv"
    later.write_text("source,target,strength\np03,hub,0.9\nhub,p04,0.5\nhub,p13,0.7\n")

    summary = load_csv(db, None, later, create_missing=True)

    assert (summary.ties_created, summary.ties_updated, summary.ties_unchanged) == (1, 1, 1)
    ties = ties_of(db)
    assert len(ties) == 14
    assert ties[("hub", "p03")]["strength"] == 0.9
    assert ties[("hub", "p13")]["strength"] == 0.7


def _sync_network(db: Database, tmp_path: Path) -> tuple[Path, Path]:
    """ann, bob, cy, dee (alone at Solo); explicit ties ann-bob, ann-cy, bob-cy, cy-dee; an
    interaction log gives ann-cy a derived strength too; dee takes part in an introduction.
    Returns the reduced files: dee and the ties bob-cy and ann-cy are gone from them."""
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name,organization\nann,Ann,Acme\nbob,Bob,Acme\ncy,Cy,\ndee,Dee,Solo\n")
    ties.write_text("source,target,strength\nann,bob,0.8\nann,cy,0.9\nbob,cy,0.4\ncy,dee,0.7\n")
    load_csv(db, people, ties)
    log = tmp_path / "log.csv"
    log.write_text("from,to,timestamp\nann,cy,2024-01-01T09:00:00Z\ncy,ann,2024-01-02T09:00:00Z\n")
    load_interactions(db, [log])
    db.driver.execute_query(
        "MATCH (b:Person {id: 'cy'}), (a:Person {id: 'ann'}), (c:Person {id: 'dee'}) "
        "CREATE (b)-[:CAN_INTRODUCE]->(i:Introduction {id: 'x'})-[:INTRODUCES]->(a), "
        "(i)-[:TO]->(c)"
    )
    fewer_people, fewer_ties = tmp_path / "people2.csv", tmp_path / "ties2.csv"
    fewer_people.write_text("id,name,organization\nann,Ann,Acme\nbob,Bob,Acme\ncy,Cy,\n")
    fewer_ties.write_text("source,target,strength\nbob,ann,0.8\n")
    return fewer_people, fewer_ties


def test_sync_deletes_what_the_files_no_longer_list(db: Database, tmp_path: Path) -> None:
    people, ties = _sync_network(db, tmp_path)
    derived = ties_of(db)[("ann", "cy")]["strength_interactions"]

    summary = load_csv(db, people, ties, sync=True, allow_deletions=True)

    # dee is gone with her tie and her introduction; Solo had only her
    assert sorted(people_of(db)) == ["ann", "bob", "cy"]
    assert works_at(db) == {"Acme": ["ann", "bob"]}
    records, _, _ = db.driver.execute_query("MATCH (i:Introduction) RETURN count(i) AS n")
    assert records[0]["n"] == 0
    # bob-cy had only its explicit strength: deleted; ann-cy falls back to the derived one
    got = ties_of(db)
    assert set(got) == {("ann", "bob"), ("ann", "cy")}
    assert got[("ann", "cy")]["strength"] == derived
    assert got[("ann", "cy")]["source"] == "interactions"
    assert got[("ann", "bob")] == {"strength": 0.8}
    # ties deleted: cy-dee, with dee, and bob-cy
    assert summary.synced == (1, 2, 1)
    assert "--sync: 1 people and 2 ties deleted, 1 ties back to their derived strength" in str(
        summary
    )
    # in sync now: doing it again deletes nothing
    assert load_csv(db, people, ties, sync=True, allow_deletions=True).synced == (0, 0, 0)


def test_sync_counts_each_tie_of_the_people_it_deletes_once(db: Database, tmp_path: Path) -> None:
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\nann,Ann\nbob,Bob\ncy,Cy\n")
    ties.write_text("source,target,strength\nann,bob,0.8\nann,cy,0.9\nbob,cy,0.4\n")
    load_csv(db, people, ties)
    only_ann = tmp_path / "people2.csv"
    only_ann.write_text("id,name\nann,Ann\n")

    summary = load_csv(db, only_ann, None, sync=True, allow_deletions=True)

    # bob and cy go, and with them all 3 ties: bob-cy once, though both its people go
    assert summary.synced == (2, 3, 0)
    assert list(people_of(db)) == ["ann"] and ties_of(db) == {}


def _counts(summary: LoadSummary) -> tuple[Any, ...]:
    return (
        summary.people_created,
        summary.people_updated,
        summary.people_unchanged,
        summary.ties_created,
        summary.ties_updated,
        summary.ties_unchanged,
        summary.synced,
    )


def test_a_dry_run_writes_nothing_and_counts_what_the_load_then_does(
    db: Database, tmp_path: Path
) -> None:
    # a first load into an empty database
    dry = load_csv(db, DATA / "people.csv", DATA / "ties.csv", dry_run=True)
    assert people_of(db) == {} and ties_of(db) == {}
    real = load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    assert _counts(dry) == _counts(real) and dry.dry_run and not real.dry_run
    assert real.people_created > 0 and real.ties_created > 0
    # updates, derived strengths to fall back on, and deletions
    db.clear()
    people, ties = _sync_network(db, tmp_path)
    before = snapshot(db)
    dry = load_csv(db, people, ties, sync=True, dry_run=True)
    assert snapshot(db) == before
    real = load_csv(db, people, ties, sync=True, allow_deletions=True)
    assert _counts(dry) == _counts(real)
    assert real.synced == (1, 2, 1)
    assert "--sync: 1 people and 2 ties to delete, 1 ties to go back" in str(dry)


def test_a_dry_run_does_not_create_the_schema_either(db: Database) -> None:
    def constraints() -> list[str]:
        records, _, _ = db.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
        return sorted(r["name"] for r in records)

    ours = ["organization_name", "person_id", "run_id"]  # cypher/constraints.cypher
    assert set(ours) <= set(constraints())
    try:
        for name in ours:
            db.driver.execute_query(f"DROP CONSTRAINT {name}")  # names only, no values
        dry = load_csv(db, DATA / "people.csv", DATA / "ties.csv", dry_run=True)
        assert not set(ours) & set(constraints()) and people_of(db) == {}
        assert dry.people_created > 0
    finally:
        db.setup_schema()


def test_a_dry_run_of_an_interaction_log_writes_nothing(db: Database) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    before = snapshot(db)
    dry = load_interactions(db, [DATA / "interactions.csv"], dry_run=True)
    assert snapshot(db) == before
    real = load_interactions(db, [DATA / "interactions.csv"])
    assert _counts(dry) == _counts(real) and real.ties_updated > 0


def test_the_cli_dry_run_says_so(db: Database, cli_env: dict[str, str]) -> None:
    result = run(cli_env, "load", "--people", DATA / "people.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Dry run (nothing written to the database): people: ")
    assert people_of(db) == {}


def test_without_sync_a_load_never_deletes(db: Database, tmp_path: Path) -> None:
    people, ties = _sync_network(db, tmp_path)
    before = snapshot(db)
    summary = load_csv(db, people, ties)
    assert summary.synced is None
    assert snapshot(db) == before


def test_sync_cannot_go_with_skip_invalid(db: Database, cli_env: dict[str, str]) -> None:
    result = run(cli_env, "load", "--people", DATA / "people.csv", "--sync", "--skip-invalid")
    assert result.exit_code == 1
    assert "--sync cannot go with --skip-invalid" in result.output
    assert people_of(db) == {}


def test_progress_is_reported_per_stage(db: Database) -> None:
    calls: list[tuple[str, int, int]] = []
    load_csv(db, DATA / "people.csv", DATA / "ties.csv", progress=lambda *a: calls.append(a))
    stages = {stage for stage, _, _ in calls}
    assert stages == {"people", "ties"}
    assert calls[-1] == ("ties", 4, 4)


def test_every_load_query_is_valid_cypher(db: Database) -> None:
    names = [n for n in queries.names() if n.startswith("load_")]
    assert len(names) >= 10
    with db.session() as session:
        for name in names:
            text = queries.load(name)
            assert text.startswith(f"// {name}:"), name
            session.run("EXPLAIN " + text).consume()


# ------------------------------------------------------------------------ bad input
BAD_INPUT = [
    pytest.param(
        {"people.csv": "id,email\nx,x@example.org\n"},
        ["--people", "{people.csv}"],
        "people.csv:1: missing column 'name' (the header has: id, email)",
        id="missing-column",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\nann,bob,0.5\nann,cy,strong\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv:3: strength 'strong' is not a number",
        id="non-numeric-strength",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\nann,bob,1.5\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv:2: strength 1.5 is out of range: it must be in (0, 1]",
        id="strength-above-one",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\nann,bob,0\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv:2: strength 0 is out of range: it must be in (0, 1]",
        id="strength-zero",
    ),
    pytest.param(
        {"people.csv": "id,name\nann,Ann\n ,Nobody\n"},
        ["--people", "{people.csv}"],
        "people.csv:3: empty id",
        id="empty-id",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\ncy,cy,0.5\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv:2: tie of 'cy' to itself",
        id="tie-to-itself",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\nann,bob,0.5\nann,zed,0.5\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv:3: person 'zed' is not in the people file; add them there, "
        "or use --create-missing",
        id="unknown-person",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\nann,bob,0.5\nann,zed,0.5\n"},
        ["--ties", "{ties.csv}"],
        "ties.csv:3: person 'zed' is not in the database, and no people file was given; "
        "load them with --people, or use --create-missing",
        id="ties-without-people",
    ),
    pytest.param(
        {"people.csv": b"id,name\nann,Ann\nren,Ren\xe9e\n"},
        ["--people", "{people.csv}"],
        "people.csv:3: bytes that are not UTF-8 (0xE9); save the file as UTF-8",
        id="not-utf8",
    ),
    pytest.param(
        {"people.csv": ""},
        ["--people", "{people.csv}"],
        "people.csv: the file is empty",
        id="empty-file",
    ),
    pytest.param(
        {"ties.csv": "source,target,strength\n"},
        ["--people", "{people}", "--ties", "{ties.csv}"],
        "ties.csv: the file has a header but no rows",
        id="header-only",
    ),
    pytest.param(
        {"people.csv": "id,name,title\nann,Ann\n"},
        ["--people", "{people.csv}"],
        "people.csv:2: 2 fields, but the header has 3",
        id="missing-field",
    ),
    pytest.param(
        {"people.csv": "id,name,Email Address\nann,Ann,a@example.org\n"},
        ["--people", "{people.csv}"],
        "people.csv:1: column 'Email Address' is not a usable property name",
        id="bad-property-name",
    ),
    pytest.param(
        {"log.csv": "from,to,timestamp\nann,bob,2024-01-01\nann,bob,last tuesday\n"},
        ["@load-interactions", "{log.csv}"],
        "log.csv:3: timestamp 'last tuesday' is not an ISO 8601 date or date-time",
        id="unparsable-timestamp",
    ),
    pytest.param(
        {"log.csv": "from,to,when\nann,bob,2024-01-01\n"},
        ["@load-interactions", "{log.csv}"],
        "log.csv:1: missing column 'timestamp'",
        id="log-missing-column",
    ),
    pytest.param(
        {"zoe/Connections.csv": "Notes:\n\nFirst Name,Last Name,URL\nAl,Bo,\n"},
        ["@load-linkedin", "{zoe}"],
        "Connections.csv:4: no profile URL, no e-mail address and no name with a Connected On "
        "date: cannot tell who this is",
        id="linkedin-unidentifiable",
    ),
    pytest.param(
        {"zoe/notes.txt": "not an export"},
        ["@load-linkedin", "{zoe}"],
        "zoe: no Connections.csv here: is this a LinkedIn data export?",
        id="linkedin-not-an-export",
    ),
]


def fill(arg: str, paths: dict[str, Path]) -> str:
    for name, path in paths.items():
        arg = arg.replace("{" + name + "}", str(path))
    return arg


@pytest.mark.parametrize(("files", "args", "message"), BAD_INPUT)
def test_bad_input_is_refused_and_leaves_the_database_as_it_was(
    db: Database,
    cli_env: dict[str, str],
    tmp_path: Path,
    files: dict[str, str | bytes],
    args: list[str],
    message: str,
) -> None:
    load_csv(db, DATA / "people.csv", DATA / "ties.csv")
    before = snapshot(db)
    paths = {"people": DATA / "people.csv"}
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        paths[name] = path
        paths[name.split("/")[0]] = path.parent if "/" in name else path
    command = args[0][1:] if args[0].startswith("@") else "load"
    rest = args[1:] if args[0].startswith("@") else args
    argv = [command, *(fill(a, paths) for a in rest)]

    result = run(cli_env, *argv)

    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert snapshot(db) == before


def test_skip_invalid_loads_the_good_rows_and_writes_the_rejected_ones(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    shutil.copy(DATA / "people.csv", tmp_path / "people.csv")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,strength\nann,bob,0.5\nann,zed,0.5\ncy,dee,2\nbob,cy,0.7\n")

    result = run(
        cli_env, "load", "--people", tmp_path / "people.csv", "--ties", ties, "--skip-invalid"
    )

    assert result.exit_code == 0, result.output
    rejects = tmp_path / "ties.rejected.csv"
    assert f"ties: 2 created, 0 updated, 0 unchanged; 2 rejected (see {rejects})" in result.stdout
    assert rejects.read_text().splitlines() == [
        "line,reason,source,target,strength",
        "3,\"person 'zed' is not in the people file; add them there, or use --create-missing\","
        "ann,zed,0.5",
        '4,"strength 2 is out of range: it must be in (0, 1]",cy,dee,2',
    ]
    assert set(ties_of(db)) == {("ann", "bob"), ("bob", "cy")}


def test_without_any_file_the_command_says_what_to_give(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "load")
    assert result.exit_code == 1
    assert "nothing to load: give a people file, a ties file, or both" in result.stderr
