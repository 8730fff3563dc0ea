"""`powerconnect load` against the real Neo4j: what is written, updates, idempotence,
and every kind of bad input (message, exit code, database unchanged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from powerconnect.cli import main
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


@pytest.mark.parametrize("command", ["load", "load-interactions", "load-linkedin"])
def test_each_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"powerconnect {command}" in result.output


def test_registering_twice_is_harmless() -> None:
    before = dict(main.commands)
    register(main)
    assert main.commands == before
