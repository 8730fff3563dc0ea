"""`load-mail`: mbox (Takeout, pipermail, Mailman 3, Thunderbird) and maildir fixtures.

The fixtures in ``tests/data/mail`` copy the layouts and quirks of public files (see the
README there) with invented people. The expected rows below are read off the fixtures
by hand; each message is named in a comment.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from unit.test_loaders_mail import DATA, MARKER

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders.frames import interaction_ties
from powerconnect.loaders.mail import address_book, load_mail, mail_interactions, read_mail
from powerconnect.loaders.tables import ProblemLog

register(main)


# ------------------------------------------------------------------------ Neo4j
def copy_fixtures(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        src = DATA / name
        dst = tmp_path / name
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy(src, dst)
        out.append(dst)
    return out


def ties_of(db: Database) -> dict[tuple[str, str], dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b, properties(k) AS p",
        database_=db.settings.database,
    )
    return {(r["a"], r["b"]): r["p"] for r in records}


def people_of(db: Database) -> dict[str, dict[str, Any]]:
    records, _, _ = db.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, properties(p) AS p", database_=db.settings.database
    )
    return {r["id"]: r["p"] for r in records}


@pytest.mark.neo4j
def test_load_mail_writes_people_and_ties_once(db: Database, tmp_path: Path) -> None:
    paths = copy_fixtures(tmp_path, "takeout.mbox", "maildir")
    summary = load_mail(db, paths, me=["ann@example.org"])
    # people: ann bob cy dee eve fay gus juergen (fay, eve, ann also in the maildir)
    assert summary.people_created == 8
    # ties: ann with bob cy dee eve fay gus juergen (7), dee-eve, eve-fay
    assert summary.ties_created == 9
    assert summary.rejected == 2 and len(summary.rejects_files) == 2
    assert summary.counts["duplicate messages"] == 2
    rejected = (tmp_path / "takeout.rejected.csv").read_text()
    assert "96,message 9: no sender" in rejected
    assert "new/1710493200" in (tmp_path / "maildir.rejected.csv").read_text()

    ties = ties_of(db)
    ab = ties[("email:ann@example.org", "email:bob@example.org")]
    # The strength is the model's (loaders.interactions.derive_strengths, tested on its
    # own in test_interaction_model.py) for the rows the parser read: ann -> bob on 5 and
    # 10 March 10:00 UTC (messages 1 and 10), bob -> ann on 6 March 16:15, one e-mail each.
    problems = ProblemLog()
    frame, _, _ = mail_interactions(
        read_mail(paths, problems), address_book(me=["ann@example.org"])
    )
    pair = frame[
        frame["source"].isin(["email:ann@example.org", "email:bob@example.org"])
        & frame["target"].isin(["email:ann@example.org", "email:bob@example.org"])
    ]
    assert sorted(zip(pair["source"], pair["timestamp"].astype(str), strict=True)) == [
        ("email:ann@example.org", "2024-03-05 10:00:00+00:00"),
        ("email:ann@example.org", "2024-03-10 10:00:00+00:00"),
        ("email:bob@example.org", "2024-03-06 16:15:00+00:00"),
    ]
    expected, _ = interaction_ties(frame)
    want = dict(zip(zip(expected.a, expected.b, strict=True), expected.strength, strict=True))
    key = ("email:ann@example.org", "email:bob@example.org")
    assert ab["strength"] == pytest.approx(want.get(key, want.get(key[::-1])))
    assert 0 < ab["strength"] < 1
    assert ab["interactions"] == 3 and ab["channels"] == ["email"]
    assert people_of(db)["email:juergen@example.org"]["name"] == "Jürgen Müller"

    again = load_mail(db, paths, me=["ann@example.org"])
    assert (again.people_created, again.people_updated) == (0, 0)
    assert (again.ties_created, again.ties_updated, again.ties_unchanged) == (0, 0, 9)
    assert ties_of(db) == ties


@pytest.mark.neo4j
def test_no_subject_body_or_attachment_name_reaches_the_database(
    db: Database, tmp_path: Path
) -> None:
    paths = copy_fixtures(
        tmp_path, "takeout.mbox", "pipermail-2024-March.txt", "mailman3-dev.mbox", "maildir"
    )
    load_mail(db, paths)
    records, _, _ = db.driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]-() "
        "RETURN collect(properties(n)) + collect(properties(r)) AS props",
        database_=db.settings.database,
    )
    props = records[0]["props"]
    assert len(props) > 10
    assert not any(MARKER in str(v) for p in props for v in p.values())


@pytest.mark.neo4j
def test_strict_refuses_and_dry_run_writes_nothing(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    (mbox,) = copy_fixtures(tmp_path, "takeout.mbox")
    strict = CliRunner().invoke(main, ["load-mail", str(mbox), "--strict"], env=cli_env)
    assert strict.exit_code == 1
    assert "takeout.mbox:96: message 9: no sender" in strict.output
    assert "Traceback" not in strict.output
    assert people_of(db) == {}

    dry = CliRunner().invoke(main, ["load-mail", str(mbox), "--dry-run"], env=cli_env)
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.stdout and "people: 8 to create" in dry.stdout
    assert people_of(db) == {}

    done = CliRunner().invoke(
        main, ["load-mail", str(mbox), "--me", "ann@example.org"], env=cli_env
    )
    assert done.exit_code == 0, done.output
    assert "1 rejected" in done.stdout and "2 duplicate messages" in done.stdout
    assert len(people_of(db)) == 8


@pytest.mark.neo4j
def test_a_person_in_the_database_keeps_their_name_and_gets_their_mail(
    db: Database, tmp_path: Path
) -> None:
    db.driver.execute_query(
        "CREATE (:Person {id: 'bob', name: 'Robert Baker', emails: ['bob@example.org']})",
        database_=db.settings.database,
    )
    (mbox,) = copy_fixtures(tmp_path, "takeout.mbox")
    load_mail(db, [mbox])
    people = people_of(db)
    assert people["bob"]["name"] == "Robert Baker"
    assert "email:bob@example.org" not in people
    assert ("bob", "email:ann@example.org") in ties_of(db)
