"""`powerconnect load-linkedin` against the real Neo4j, on two hand-made exports.

``tests/data/loaders/linkedin/ann`` and ``.../bob``: the real "Notes:" preamble, a
``messages.csv`` with a message whose content spans two lines (and LinkedIn's
"2024-05-01 09:00:00 UTC" dates), and the same people seen from both sides: Bob and
Ann are members who are each other's connections, Carla is in both exports under two
spellings of her URL, Frank is in bob's export by email only.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from engine.db import Database
from loaders import load_csv, load_linkedin
from powerconnect.cli import main
from powerconnect.load_commands import register

pytestmark = pytest.mark.neo4j

EXPORTS = Path(__file__).parent / "data" / "loaders" / "linkedin"
ANN, BOB = EXPORTS / "ann", EXPORTS / "bob"
register(main)


def query(db: Database, text: str) -> list[dict[str, Any]]:
    records, _, _ = db.driver.execute_query(text, database_=db.settings.database)
    return [r.data() for r in records]


def ties_of(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    rows = query(
        db, "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p"
    )
    return {(r["a"], r["b"]): r["p"] for r in rows}


def with_base(x: float) -> float:
    """The model with LinkedIn's base 0.1: 1 - 0.9 exp(-x / 10)."""
    return 1 - 0.9 * math.exp(-x / 10)


def test_members_and_connections_become_people_and_ties(db: Database) -> None:
    summary = load_linkedin(db, [ANN, BOB])

    assert (summary.people_created, summary.ties_created, summary.rejected) == (5, 6, 0)
    people = {
        r["id"]: r["p"] for r in query(db, "MATCH (p:Person) RETURN p.id AS id, properties(p) AS p")
    }
    assert people["linkedin:ann-lee"] == {
        "id": "linkedin:ann-lee",
        "name": "Ann Lee",  # Profile.csv
        "linkedin_url": "https://www.linkedin.com/in/ann-lee",
        "email": "ann.lee@example.org",  # from bob's export
        "organization": "Acme",
        "title": "CEO",
    }
    assert people["linkedin:frank-ng"]["email"] == "frank@example.org"
    assert people["linkedin:dev-patel"]["organization"] == "Acme, Inc."

    ties = ties_of(db)
    assert set(ties) == {
        ("linkedin:ann-lee", "linkedin:bob-stone"),
        ("linkedin:ann-lee", "linkedin:carla-diaz"),
        ("linkedin:ann-lee", "linkedin:dev-patel"),
        ("linkedin:ann-lee", "linkedin:frank-ng"),
        ("linkedin:bob-stone", "linkedin:carla-diaz"),
        ("linkedin:bob-stone", "linkedin:frank-ng"),
    }
    # Reference date: the latest message, 2024-05-03 12:00Z. Ann and Bob's three messages
    # are in both exports and count once: ann->bob 2.125 and 0 days old, bob->ann 2.0833.
    w_ab = 2 ** (-2.125 / 180) + 1.0
    w_ba = 2 ** (-(2 + 2 / 24) / 180)
    r = 2 * min(w_ab, w_ba) / (w_ab + w_ba)
    ab = ties[("linkedin:ann-lee", "linkedin:bob-stone")]
    assert ab["strength"] == pytest.approx(with_base((w_ab + w_ba) * (1 + r) / 2))
    assert ab["linkedin_messages"] == 3
    assert ab["last_linkedin_message"].to_native() == datetime(2024, 5, 3, 12, tzinfo=UTC)
    assert ab["connected_on"].to_native() == date(2021, 3, 12)
    assert ab["source"] == "linkedin"
    # one message from Ann to Carla, 30 days old, never answered
    ac = ties[("linkedin:ann-lee", "linkedin:carla-diaz")]
    assert ac["strength"] == pytest.approx(with_base(2 ** (-30 / 180) * 0.5))
    # no messages: a weak tie
    assert ties[("linkedin:ann-lee", "linkedin:dev-patel")]["strength"] == 0.1
    assert ties[("linkedin:bob-stone", "linkedin:frank-ng")]["linkedin_messages"] == 0


def test_company_becomes_an_organization(db: Database) -> None:
    load_linkedin(db, [ANN, BOB])
    rows = query(
        db,
        "MATCH (p:Person)-[:WORKS_AT]->(o:Organization) RETURN o.name AS org, count(p) AS n "
        "ORDER BY org",
    )
    assert [(r["org"], r["n"]) for r in rows] == [
        ("Acme", 1),
        ("Acme, Inc.", 1),
        ("Globex", 1),
        ("Hooli", 1),
        ("Initech", 1),
    ]


def test_loading_the_same_exports_twice_changes_nothing(
    db: Database, cli_env: dict[str, str]
) -> None:
    first = CliRunner().invoke(main, ["load-linkedin", str(ANN), str(BOB)], env=cli_env)
    assert first.exit_code == 0, first.output
    before = ties_of(db)
    second = CliRunner().invoke(main, ["load-linkedin", str(ANN), str(BOB)], env=cli_env)
    assert second.exit_code == 0, second.output
    assert (
        "people: 0 created, 0 updated, 5 unchanged; ties: 0 created, 0 updated, 6 unchanged"
        in second.stdout
    )
    assert ties_of(db) == before


def test_exports_loaded_one_by_one_merge_like_together(db: Database) -> None:
    load_linkedin(db, [ANN])
    load_linkedin(db, [BOB])
    ids = sorted(r["id"] for r in query(db, "MATCH (p:Person) RETURN p.id AS id"))
    # Frank, known by email only in bob's export, is found again by his email
    assert ids == [
        "linkedin:ann-lee",
        "linkedin:bob-stone",
        "linkedin:carla-diaz",
        "linkedin:dev-patel",
        "linkedin:frank-ng",
    ]
    assert len(ties_of(db)) == 6


def test_a_person_from_a_people_file_is_merged_by_email(db: Database, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,name,email\nc1,Carla D.,carla@example.org\n")
    load_csv(db, people, None)
    load_linkedin(db, [ANN, BOB])
    carla = query(db, "MATCH (p:Person {id: 'c1'}) RETURN properties(p) AS p")[0]["p"]
    assert carla["linkedin_url"] == "https://www.linkedin.com/in/carla-diaz"
    assert carla["organization"] == "Initech"
    assert query(db, "MATCH (p:Person {id: 'linkedin:carla-diaz'}) RETURN p") == []
    assert ("linkedin:ann-lee", "c1") not in ties_of(db)
    assert ("c1", "linkedin:ann-lee") in ties_of(db)  # stored from the smaller id


def test_an_explicit_strength_wins_over_linkedin(db: Database, tmp_path: Path) -> None:
    load_linkedin(db, [ANN, BOB])
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,strength\nlinkedin:dev-patel,linkedin:ann-lee,0.9\n")
    load_csv(db, None, ties, create_missing=True)
    load_linkedin(db, [ANN, BOB])
    tie = ties_of(db)[("linkedin:ann-lee", "linkedin:dev-patel")]
    assert (tie["strength"], tie.get("source"), tie["strength_linkedin"]) == (0.9, None, 0.1)
