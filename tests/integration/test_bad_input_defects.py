"""Bad input that used to get through (issue 16, "Nothing half-written, nothing leaked"):
each test runs `powerconnect load` against the real Neo4j and checks the exit code, the
message (file, line, what is wrong) and that the database is as it was."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from powerconnect.cli import main
from powerconnect.engine.db import Database

pytestmark = pytest.mark.neo4j

#: Neo4j 5.26.30 refuses a string property over 8,164 UTF-8 bytes in a RANGE index or
#: uniqueness constraint (measured: the longest accepted value of Person.id and
#: Organization.name, in ASCII, "é" and emoji alike); a person id may take half of that,
#: since an Introduction's id joins two person ids (engine/recommend.py).
MAX_INDEXED_BYTES = 8_164
MAX_ID_BYTES = 4_000


def run(cli_env: dict[str, str], *args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=cli_env, input=stdin)


def people_of(db: Database) -> dict[str, dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, properties(p) AS props",
        database_=db.settings.database,
    )
    return {r["id"]: r["props"] for r in records}


def ties_of(db: Database) -> set[tuple[str, str]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b",
        database_=db.settings.database,
    )
    return {(r["a"], r["b"]) for r in records}


def refused(result: Result, where: str, *words: str) -> None:
    """Exit 1 with ``Error: FILE:LINE: ...`` naming ``words``, and no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{where}: " in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------ Neo4j's limits
def test_an_id_too_long_for_the_index_is_refused_before_any_person_is_written(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # 30,001 people, the last with a 10,000-character id: more than one write batch
    # (20,000) is valid, so the refusal must come before the first batch
    people = tmp_path / "people.csv"
    rows = [f"p{i:05d},Person {i}" for i in range(30_000)]
    rows.append(f"{'x' * 10_000},Too Long")
    people.write_text("id,name\n" + "\n".join(rows) + "\n")

    for extra in ([], ["--dry-run"]):
        result = run(cli_env, "load", "--people", people, *extra)
        refused(result, f"{people}:30002", "10000 bytes", str(MAX_ID_BYTES))
    assert people_of(db) == {}


def test_an_organization_too_long_for_the_index_is_refused_with_its_line(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # "é" is 2 bytes in UTF-8: 4,083 of them are 8,166 bytes, over Neo4j's limit though
    # under it in characters
    people = tmp_path / "people.csv"
    people.write_text(f"id,name,organization\nann,Ann,Acme\nbob,Bob,{'é' * 4_083}\n")
    result = run(cli_env, "load", "--people", people)
    refused(result, f"{people}:3", "organization", "8166 bytes", str(MAX_INDEXED_BYTES))
    assert people_of(db) == {}


def test_a_tie_that_creates_a_person_with_too_long_an_id_is_refused(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_text(f"source,target,strength\nann,bob,0.5\nbob,{'y' * 9_000},0.5\n")
    result = run(cli_env, "load", "--ties", ties, "--create-missing")
    refused(result, f"{ties}:3", "9000 bytes")
    assert people_of(db) == {}


# ------------------------------------------------------------------------ CSV structure
def test_an_unclosed_quote_is_reported_at_the_line_where_it_opens(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\n" + "".join(f"p{i},P{i}\n" for i in range(50)))
    rows = [f"p{i},p{i + 1},0.5,met" for i in range(49)]
    rows[0] = 'p0,p1,0.5,"met at the fair'  # the quote opens on line 2, never closes
    ties.write_text("source,target,strength,note\n" + "\n".join(rows) + "\n")
    result = run(cli_env, "load", "--people", people, "--ties", ties)
    refused(result, f"{ties}:2", "quote")
    assert people_of(db) == {} and ties_of(db) == set()


def test_a_quoted_note_over_several_lines_still_loads(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # the legitimate case next to the one above: a closed multi-line value, last in the file
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\nann,Ann\nbob,Bob\ncy,Cy\n")
    ties.write_text('source,target,strength,note\nann,bob,0.5,x\nbob,cy,0.5,"two\nlines"\n')
    result = run(cli_env, "load", "--people", people, "--ties", ties)
    assert result.exit_code == 0, result.output
    assert ties_of(db) == {("ann", "bob"), ("bob", "cy")}


def test_cr_only_line_endings_are_read(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # old Mac exports end lines with a carriage return alone
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_bytes(b"id,name,organization\rann,Ann,Acme\rbob,Bob,Acme\rcy,Cy,\r")
    ties.write_bytes(b'source,target,strength,note\rann,bob,0.5,"a, b"\rbob,cy,0.7,\r')
    result = run(cli_env, "load", "--people", people, "--ties", ties)
    assert result.exit_code == 0, result.output
    assert people_of(db)["bob"] == {"id": "bob", "name": "Bob", "organization": "Acme"}
    assert ties_of(db) == {("ann", "bob"), ("bob", "cy")}


def test_a_cr_only_file_with_a_bad_row_names_its_line(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_bytes(b"id,name\rann,Ann\rbob,Bob,extra\r")
    refused(run(cli_env, "load", "--people", people), f"{people}:3", "3 fields")
    assert people_of(db) == {}


def test_a_quoted_column_name_over_two_lines_is_refused(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text('id,name,"job\ntitle"\nann,Ann,CEO\n')
    refused(run(cli_env, "load", "--people", people), f"{people}:1", "line break")
    assert people_of(db) == {}


@pytest.mark.parametrize("column", ["id", "name", "note"])
def test_a_nul_byte_in_a_value_is_refused_with_its_line(
    db: Database, cli_env: dict[str, str], tmp_path: Path, column: str
) -> None:
    people = tmp_path / "people.csv"
    row = {"id": "bob", "name": "Bob", "note": "x"}
    row[column] = row[column][:1] + "\x00" + row[column][1:]
    people.write_text("id,name,note\nann,Ann,x\n" + ",".join(row.values()) + "\n")
    refused(run(cli_env, "load", "--people", people), f"{people}:3", "NUL", repr(column))
    assert people_of(db) == {}


# ------------------------------------------------------------------------ what a file may set
@pytest.mark.parametrize("column", ["pc_score", "pc_rank", "pc_anything"])
def test_a_people_file_cannot_set_the_engines_own_properties(
    db: Database, cli_env: dict[str, str], tmp_path: Path, column: str
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(f"id,name,{column}\nann,Ann,abc\n")
    refused(run(cli_env, "load", "--people", people), f"{people}:1", repr(column))
    assert people_of(db) == {}


@pytest.mark.parametrize("column", ["interactions", "last_interaction", "connected_on"])
def test_a_ties_file_cannot_set_properties_the_derived_loaders_own(
    db: Database, cli_env: dict[str, str], tmp_path: Path, column: str
) -> None:
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\nann,Ann\nbob,Bob\n")
    ties.write_text(f"source,target,strength,{column}\nann,bob,0.5,abc\n")
    refused(run(cli_env, "load", "--people", people, "--ties", ties), f"{ties}:1", repr(column))
    assert people_of(db) == {}


# ------------------------------------------------------------------------ one form per letter
def test_decomposed_and_precomposed_ids_are_one_person(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    composed, decomposed = "jos\u00e9", "jose\u0301"  # the same "josé", two Unicode forms
    assert composed != decomposed
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text(f"id,name,organization\n{decomposed},Jose\u0301,Cafe\u0301\nann,Ann,\n")
    ties.write_text(f"source,target,strength\nann,{composed},0.5\n")
    result = run(cli_env, "load", "--people", people, "--ties", ties)
    assert result.exit_code == 0, result.output
    got = people_of(db)
    assert sorted(got) == ["ann", composed]
    assert got[composed]["name"] == "Jos\u00e9" and got[composed]["organization"] == "Caf\u00e9"
    assert all(unicodedata.is_normalized("NFC", v) for p in got.values() for v in p.values())
    assert ties_of(db) == {("ann", composed)}


# ------------------------------------------------------------------------ --sync
def _network(tmp_path: Path, cli_env: dict[str, str]) -> tuple[Path, Path]:
    """Ten people in a ring of ten explicit ties, loaded; returns the two files."""
    people, ties = tmp_path / "people.csv", tmp_path / "ties.csv"
    people.write_text("id,name\n" + "".join(f"p{i},P{i}\n" for i in range(10)))
    ties.write_text(
        "source,target,strength\n" + "".join(f"p{i},p{(i + 1) % 10},0.5\n" for i in range(10))
    )
    assert run(cli_env, "load", "--people", people, "--ties", ties).exit_code == 0
    return people, ties


def test_a_sync_that_would_delete_most_people_stops_and_writes_nothing(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people, ties = _network(tmp_path, cli_env)
    before = people_of(db), ties_of(db)
    cut = tmp_path / "cut.csv"
    cut.write_text("id,name,title\np0,P0,CEO\np1,P1,CTO\n")  # cut short, with a new column

    result = run(cli_env, "load", "--people", cut, "--sync")
    assert result.exit_code == 1, result.output
    assert "8 of the 10 people" in result.output and "--allow-deletions" in result.output
    assert (people_of(db), ties_of(db)) == before  # not even the titles were written

    result = run(cli_env, "load", "--people", cut, "--sync", "--allow-deletions")
    assert result.exit_code == 0, result.output
    assert sorted(people_of(db)) == ["p0", "p1"] and people_of(db)["p0"]["title"] == "CEO"
    assert ties_of(db) == {("p0", "p1")}


def test_a_sync_that_would_remove_most_explicit_ties_stops(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people, ties = _network(tmp_path, cli_env)
    before = ties_of(db)
    cut = tmp_path / "cut.csv"
    cut.write_text("source,target,strength\np0,p1,0.9\np1,p2,0.5\n")
    result = run(cli_env, "load", "--ties", cut, "--sync")
    assert result.exit_code == 1, result.output
    assert "8 of the 10 explicit ties" in result.output
    assert ties_of(db) == before
    # a user at a terminal may say yes (CliRunner's stdin is no terminal: the flag decides)
    assert run(cli_env, "load", "--ties", cut, "--sync", stdin="y\n").exit_code == 1


def test_a_sync_that_removes_less_than_half_needs_no_confirmation(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    people, ties = _network(tmp_path, cli_env)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("id,name\n" + "".join(f"p{i},P{i}\n" for i in range(6)))
    result = run(cli_env, "load", "--people", fewer, "--sync")
    assert result.exit_code == 0, result.output
    assert sorted(people_of(db)) == [f"p{i}" for i in range(6)]
