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

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders import load_csv, load_linkedin

pytestmark = pytest.mark.neo4j

EXPORTS = Path(__file__).resolve().parent.parent / "data" / "loaders" / "linkedin"
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


def p_close(share: float, frequency: float) -> float:
    """The P(close) model (loaders.interactions, COEFFICIENTS 2026-12-03), by hand."""
    return 1 / (1 + math.exp(-(3.88 + 0.99 * math.log(share) + 1.04 * frequency)))


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
        "linkedin_keys": ["ann lee|2021-03-12"],  # name|Connected On, from bob's export
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
    # Each message counts 2^(-age/180) (untimed: 1 minute); the directed amount is scaled
    # by (1 + r)/2; Ann's total is her two ties' amounts. Ann met Bob on 05-01 and 05-03,
    # Carla on 04-03: each pair met on every day the less active one was active
    # (frequency 1). share = sqrt(x/(240 + X_a) * x/(240 + X_b)).
    w_ab = 2 ** (-2.125 / 180) + 1.0
    w_ba = 2 ** (-(2 + 2 / 24) / 180)
    r = 2 * min(w_ab, w_ba) / (w_ab + w_ba)
    x_ab = (w_ab + w_ba) * (1 + r) / 2
    x_ac = 2 ** (-30 / 180) * 0.5  # one message from Ann to Carla, 30 days old, unanswered
    ann = x_ab + x_ac
    ab = ties[("linkedin:ann-lee", "linkedin:bob-stone")]
    share_ab = math.sqrt(x_ab / (240 + ann) * x_ab / (240 + x_ab))
    assert ab["strength"] == pytest.approx(p_close(share_ab, 1.0))
    assert ab["linkedin_messages"] == 3
    assert ab["last_linkedin_message"].to_native() == datetime(2024, 5, 3, 12, tzinfo=UTC)
    assert ab["connected_on"].to_native() == date(2021, 3, 12)
    assert ab["source"] == "linkedin"
    # one message from Ann to Carla, 30 days old, never answered
    ac = ties[("linkedin:ann-lee", "linkedin:carla-diaz")]
    share_ac = math.sqrt(x_ac / (240 + ann) * x_ac / (240 + x_ac))
    assert ac["strength"] == pytest.approx(max(p_close(share_ac, 1.0), 0.05))
    # no messages: the prior for a bare connection, loaders.linkedin.DEFAULT_STRENGTH
    assert ties[("linkedin:ann-lee", "linkedin:dev-patel")]["strength"] == 0.05
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
    assert (tie["strength"], tie.get("source"), tie["strength_linkedin"]) == (0.9, None, 0.05)


# ------------------------------------------------------------------ real layouts
# tests/data/linkedin/<layout>: one invented member's export in each layout LinkedIn has
# shipped, copied from real public exports (tests/data/linkedin/README.md says which).
LAYOUTS = Path(__file__).resolve().parent.parent / "data" / "linkedin"
SPONSORED, HIDDEN, SPAM, DRAFT = "sponsored", "hidden", "spam", "draft"
IN_WORDS = {
    HIDDEN: "hidden connections (blank rows)",
    SPAM: "messages in SPAM",
    DRAFT: "draft messages",
    SPONSORED: "messages from senders who are not connections (sponsored, LinkedIn Member)",
}


def messages_per_tie(db: Database) -> dict[tuple[str, str], int]:
    return {pair: p["linkedin_messages"] for pair, p in ties_of(db).items()}


# Expected values read off each fixture by hand (the comments say which rows count).
LAYOUT_CASES = {
    # 2018: names only; Priya's two messages, one to "Jon  Bell" (two spaces, as the real
    # export writes a first name with a trailing space); "Premium Team" and "Hiring Desk"
    # are not connections (sponsored). Mira has an urn:li:member id, no e-mail.
    "2018": (
        {
            ("email:priya.raman@example.com", "email:ravi.kolar@example.org"): 2,
            ("email:jon.bell@example.net", "email:ravi.kolar@example.org"): 1,
            ("email:ravi.kolar@example.org", "linkedin-name:mira-sol:2018-08-18"): 0,
        },
        {SPONSORED: 2},
    ),
    # 2021: no URL column; two blank rows; Omar's two messages are matched by his name,
    # the recipients by name (no RECIPIENT PROFILE URLS); "Event Host" (no URL) and
    # "LinkedIn Member" are sponsored.
    "2021": (
        {
            ("email:priya.raman@example.com", "linkedin:nora-quill"): 1,
            ("linkedin-name:omar-haddad:2021-06-17", "linkedin:nora-quill"): 2,
            ("linkedin-name:sam-o-neill:2014-02-05", "linkedin:nora-quill"): 0,
        },
        {HIDDEN: 2, SPONSORED: 2},
    ),
    # Excel re-save: CRLF, no preamble, 23-Apr-23; one message in SPAM, one from
    # "LinkedIn Member"; the senders' URLs are not in Connections.csv, their names are.
    "2023-excel": (
        {
            ("linkedin-name:abel-mathis:2023-04-10", "linkedin:tess-ward"): 1,
            ("linkedin-name:adela-moreno-iot-mba:2023-04-14", "linkedin:tess-ward"): 0,
            ("linkedin-name:kavya-desai:2023-04-23", "linkedin:tess-ward"): 2,
        },
        {HIDDEN: 2, SPAM: 1, SPONSORED: 1},
    ),
    # 2024: percent-encoded URL (José), a draft to Priya, one SPAM, a group message from
    # Omar to Nora and Priya (counts for Omar-Nora only: Omar-Priya is not a tie), a
    # "LinkedIn Member" and a sender-less system message; coach_messages.csv is not read.
    "2024": (
        {
            ("linkedin:josé-ruiz-7a", "linkedin:nora-quill"): 2,
            ("linkedin:nora-quill", "linkedin:omar-haddad-4b1a2c"): 2,
            ("linkedin:nora-quill", "linkedin:priya-raman"): 0,
            ("linkedin:nora-quill", "linkedin:sam-oneill"): 0,
        },
        {HIDDEN: 2, SPAM: 1, DRAFT: 1, SPONSORED: 2},
    ),
    # 2026: every field quoted, ATTACHMENTS, a two-line message; one draft, one sponsored.
    "2026": (
        {
            ("linkedin:ken-ito", "linkedin:lina-voss"): 2,
            ("linkedin:ken-ito", "linkedin:omar-haddad-4b1a2c"): 1,
            ("linkedin:ken-ito", "linkedin:theobrandt"): 0,
        },
        {DRAFT: 1, SPONSORED: 1},
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUT_CASES))
def test_each_real_layout_loads(db: Database, layout: str) -> None:
    ties, left_out = LAYOUT_CASES[layout]
    summary = load_linkedin(db, [LAYOUTS / layout])
    assert summary.rejected == 0
    assert messages_per_tie(db) == ties
    assert summary.left_out == left_out
    assert summary.people_created == len(ties) + 1  # the connections and the member
    for what, n in left_out.items():
        assert f"{n} {IN_WORDS[what]} left out" in str(summary)


def test_the_member_comes_from_profile_and_email_addresses(db: Database) -> None:
    load_linkedin(db, [LAYOUTS / "2024"])
    nora = query(db, "MATCH (p:Person {id: 'linkedin:nora-quill'}) RETURN properties(p) AS p")
    assert nora[0]["p"]["name"] == "Nora Quill"  # Profile.csv
    assert nora[0]["p"]["email"] == "nora.quill@example.com"  # the primary address
    jose = query(db, "MATCH (p:Person {id: 'linkedin:josé-ruiz-7a'}) RETURN p.linkedin_url AS u")
    assert jose == [{"u": "https://www.linkedin.com/in/josé-ruiz-7a"}]


def test_nothing_but_metadata_reaches_the_database(db: Database) -> None:
    import csv

    load_linkedin(db, [LAYOUTS / d for d in sorted(LAYOUT_CASES)])
    secrets: set[str] = set()
    for path in LAYOUTS.glob("*/*essages.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for column in ("Subject", "Content", "SUBJECT", "CONTENT", "ATTACHMENTS"):
                    if row.get(column):
                        secrets.add(row[column])
    assert len(secrets) >= 25  # every layout has texts to leak
    rows = query(
        db,
        "MATCH (n) RETURN properties(n) AS p UNION ALL MATCH ()-[r]->() RETURN properties(r) AS p",
    )
    stored = [str(v) for r in rows for v in r["p"].values()]
    stored += [str(x) for r in rows for v in r["p"].values() if isinstance(v, list) for x in v]
    for secret in secrets:
        if len(secret) < 8:  # "hi", "Yes! 3pm": stored nowhere as a value
            assert secret not in stored, secret
        else:
            assert not any(secret in s for s in stored), secret


def test_re_exports_in_other_layouts_give_the_same_people(db: Database) -> None:
    # Nora's network exported in 2021 (no URLs) and again in 2024 (URLs): loaded one after
    # the other, in either order, the same five people.
    load_linkedin(db, [LAYOUTS / "2021"])
    first = {r["id"] for r in query(db, "MATCH (p:Person) RETURN p.id AS id")}
    load_linkedin(db, [LAYOUTS / "2024"])
    after = query(db, "MATCH (p:Person) RETURN p.id AS id, properties(p) AS p")
    assert {r["id"] for r in after} == first | {"linkedin:josé-ruiz-7a"}
    omar = next(r["p"] for r in after if r["id"] == "linkedin-name:omar-haddad:2021-06-17")
    # the URL turned up and merged into the person the 2021 export made
    assert omar["linkedin_url"] == "https://www.linkedin.com/in/omar-haddad-4b1a2c"
    assert omar["organization"] == "Quillfeather AI"
    assert omar["linkedin_keys"] == ["omar haddad|2021-06-17"]
    assert len(ties_of(db)) == 4
    # the 2021 export again, then both: nothing new
    again = load_linkedin(db, [LAYOUTS / "2021"])
    assert (again.people_created, again.ties_created) == (0, 0)
    both = load_linkedin(db, [LAYOUTS / "2021", LAYOUTS / "2024"])
    assert (both.people_created, both.ties_created) == (0, 0)
    twice = load_linkedin(db, [LAYOUTS / "2021", LAYOUTS / "2024"])
    assert (twice.people_updated, twice.ties_updated) == (0, 0)


def test_re_exports_in_the_other_order(db: Database) -> None:
    load_linkedin(db, [LAYOUTS / "2024"])
    load_linkedin(db, [LAYOUTS / "2021"])
    ids = sorted(r["id"] for r in query(db, "MATCH (p:Person) RETURN p.id AS id"))
    assert ids == [
        "linkedin:josé-ruiz-7a",
        "linkedin:nora-quill",
        "linkedin:omar-haddad-4b1a2c",
        "linkedin:priya-raman",
        "linkedin:sam-oneill",
    ]


def test_exports_of_different_members_merge_by_email_and_url(db: Database) -> None:
    load_linkedin(db, [LAYOUTS / d for d in sorted(LAYOUT_CASES)])
    people = {r["id"] for r in query(db, "MATCH (p:Person) RETURN p.id AS id")}
    # 4 + 4 + 4 + 5 + 4 = 21 people in the five exports (2018, 2021, 2023, 2024, 2026),
    # of whom these are seen again: Priya (by e-mail in 2018, 2021 and 2024: 2 more),
    # Omar (by connection key in 2021 and 2024, by URL with a trailing slash in 2026:
    # 2 more), Nora (2021 and 2024: 1 more) and Sam (2021 and 2024: 1 more).
    assert len(people) == 21 - 2 - 2 - 1 - 1
    assert "linkedin:omar-haddad-4b1a2c" in people


def test_a_bad_row_names_file_and_line_and_skip_invalid_loads_the_rest(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    import shutil

    export = tmp_path / "nora"
    shutil.copytree(LAYOUTS / "2024", export)
    path = export / "Connections.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("16 Dec 2024", "someday"), encoding="utf-8"
    )
    refused = CliRunner().invoke(main, ["load-linkedin", str(export)], env=cli_env)
    assert refused.exit_code == 1
    assert f"{path}:5: Connected On 'someday' is not a date" in refused.output
    assert query(db, "MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]
    dry = CliRunner().invoke(
        main, ["load-linkedin", "--skip-invalid", "--dry-run", str(export)], env=cli_env
    )
    assert dry.exit_code == 0, dry.output
    assert query(db, "MATCH (p:Person) RETURN count(p) AS n") == [{"n": 0}]
    loaded = CliRunner().invoke(main, ["load-linkedin", "--skip-invalid", str(export)], env=cli_env)
    assert loaded.exit_code == 0, loaded.output
    assert "people: 4 created" in loaded.stdout and "1 rejected" in loaded.stdout
    rejects = (export / "Connections.rejected.csv").read_text(encoding="utf-8")
    assert rejects.splitlines()[1].startswith("5,Connected On 'someday'")


def test_rank_reads_linkedin_strengths_as_p_close_and_takes_even_odds(
    db: Database, cli_env: dict[str, str]
) -> None:
    # load-linkedin's strengths are on the interactions model's P(close) scale (messages
    # through derive_strengths, a bare connection at its prior 0.05), so --strong auto
    # takes 0.5 as for a message log, not the quartile rule for a ties file of any scale.
    loaded = CliRunner().invoke(main, ["load-linkedin", str(ANN), str(BOB)], env=cli_env)
    assert loaded.exit_code == 0, loaded.output
    result = CliRunner().invoke(main, ["rank", "--top", "1"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "strong threshold 0.5 derived from the strengths (--strong auto: strengths are" in (
        result.stderr
    )
