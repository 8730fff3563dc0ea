"""`load-contacts`: Google and Outlook CSV, Apple 3.0, Android 2.1 and UTF-16 4.0 vCards
(``tests/data/contacts``, see its README); then mail resolving to those people."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from unit.test_loaders_contacts import DATA, FILES

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders.contacts import load_contacts
from powerconnect.loaders.mail import load_mail

register(main)


@pytest.mark.neo4j
def test_a_csv_that_is_no_contacts_export_is_refused(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    bad = tmp_path / "ties.csv"
    bad.write_text("source,target,strength\na,b,0.5\n")
    result = CliRunner().invoke(main, ["load-contacts", str(bad)], env=cli_env)
    assert result.exit_code == 1
    assert "ties.csv:1: not a Google or Outlook contacts export" in result.output
    assert "Traceback" not in result.output


def people_of(db: Database) -> dict[str, dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) OPTIONAL MATCH (p)-[:WORKS_AT]->(o:Organization) "
        "RETURN p.id AS id, properties(p) AS p, o.name AS org",
        database_=db.settings.database,
    )
    return {r["id"]: {**r["p"], "works_at": r["org"]} for r in records}


@pytest.mark.neo4j
def test_contacts_then_mail_resolve_to_the_same_people(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    for n in FILES:
        shutil.copy(DATA / n, tmp_path / n)
    result = CliRunner().invoke(
        main, ["load-contacts", *(str(tmp_path / n) for n in FILES)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "people: 9 created" in result.stdout and "ties: 0 created" in result.stdout
    assert (tmp_path / "google-contacts.rejected.csv").exists()
    people = people_of(db)
    assert people["email:juergen@example.org"]["works_at"] == "Example GmbH"
    assert people["email:juergen@example.org"]["title"] == "Geschäftsführer"
    assert not any("PCMARKER" in str(v) for p in people.values() for v in p.values())

    # a mail from bob's second address and to ann's home address reaches the contacts
    mbox = tmp_path / "extra.mbox"
    mbox.write_text(
        "From bob.baker@example.com Mon Apr  1 09:00:00 2024\n"
        "From: B. Baker <bob.baker@example.com>\n"
        "To: Ann (home) <ann@home.example.net>\n"
        "Date: Mon, 1 Apr 2024 09:00:00 +0000\n"
        "Message-ID: <extra-1@example.com>\n\nhello\n"
    )
    summary = load_mail(db, [mbox])
    assert (summary.people_created, summary.ties_created) == (0, 1)
    after = people_of(db)
    assert after["email:bob@example.org"]["name"] == "Bob Baker"  # the contact's name stays
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b",
        database_=db.settings.database,
    )
    assert [(r["a"], r["b"]) for r in records] == [
        ("email:ann@example.org", "email:bob@example.org")
    ]

    again = load_contacts(db, [tmp_path / n for n in FILES])
    assert (again.people_created, again.people_updated, again.people_unchanged) == (0, 0, 9)
