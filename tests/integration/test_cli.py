"""The CLI as a whole: every command documented with an example, errors as one-line messages."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from powerconnect.cli import main
from powerconnect.engine.db import Database


def test_a_wrong_password_is_exit_2(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "NEO4J_PASSWORD": "certainly-wrong"}
    result = CliRunner().invoke(main, ["info"], env=env)
    assert result.exit_code == 2
    assert "refused the login" in result.output
    assert "certainly-wrong" not in result.output


def test_a_missing_file_is_exit_1_not_a_traceback(cli_env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["load", "--people", "/no/such/people.csv"], env=cli_env)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "people.csv" in result.output


def test_the_demo_loads_ranks_recommends_and_prints_both_tops(
    cli_env: dict[str, str], db: Database
) -> None:
    # `db` empties the test database first; with NEO4J_URI set, the demo uses it and does
    # not start a server of its own.
    result = CliRunner().invoke(main, ["demo", "--top", "5"], env=cli_env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Top 5 of 326 people by power-connector score" in out
    # bench/make_sample.py plants 5 power connectors; the ranking finds them all (README)
    assert "puts 5 of them in its top 5" in out
    assert "recommended introductions" in out
    intro_rows = out.split("recommended introductions", 1)[1].split("Look at it", 1)[0]
    assert "broker" in intro_rows and "introduces" in intro_rows
    assert "INTRODUCES" in out and "CAN_INTRODUCE" in out  # the Browser query


def test_the_demo_stores_introductions_for_browser(cli_env: dict[str, str], db: Database) -> None:
    result = CliRunner().invoke(main, ["demo"], env=cli_env)
    assert result.exit_code == 0, result.output
    records = db.query("browser/recommended_introductions", limit=25)
    assert records, "the saved Browser query finds the demo's introductions"


def test_a_write_refused_by_the_database_is_one_line_and_exit_2(
    cli_env: dict[str, str], db: Database, tmp_path: Path
) -> None:
    # A constraint of the user's own (unique names) refuses the loader's write: the CLI says
    # so in one line, exit 2, no traceback (before, the driver's exception escaped).
    db.driver.execute_query(
        "CREATE CONSTRAINT test_unique_name IF NOT EXISTS FOR (p:Person) REQUIRE p.name IS UNIQUE"
    )
    try:
        people = tmp_path / "people.csv"
        people.write_text("id,name\na,Same Name\nb,Same Name\n")
        result = CliRunner().invoke(main, ["load", "--people", str(people)], env=cli_env)
    finally:
        db.driver.execute_query("DROP CONSTRAINT test_unique_name IF EXISTS")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: Neo4j refused a write"), lines
