"""`load-calendar`: Google and Outlook .ics fixtures (``tests/data/calendar``, see its
README). Expected rows are read off the fixtures by hand, each named in a comment."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from unit.test_loaders_calendar import DATA, FILES, UNTIL

from powerconnect.cli import main
from powerconnect.engine.db import Database
from powerconnect.load_commands import register
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.calendars import calendar_interactions, load_calendar, read_calendar
from powerconnect.loaders.frames import interaction_ties
from powerconnect.loaders.tables import ProblemLog

register(main)


@pytest.mark.neo4j
def test_a_file_that_is_no_calendar_is_refused(
    db: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    bad = tmp_path / "notes.ics"
    bad.write_text("hello\n")
    result = CliRunner().invoke(main, ["load-calendar", str(bad)], env=cli_env)
    assert result.exit_code == 1
    assert "notes.ics: not an iCalendar file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.neo4j
def test_load_calendar_against_neo4j(db: Database, tmp_path: Path, cli_env: dict[str, str]) -> None:
    for n in FILES:
        shutil.copy(DATA / n, tmp_path / n)
    paths = [tmp_path / n for n in FILES]
    summary = load_calendar(db, paths, until=UNTIL)
    # ann bob cy dee eve fay gus; ties ann-bob ann-cy bob-cy ann-fay ann-gus ann-dee
    # ann-eve dee-eve dee-gus
    assert (summary.people_created, summary.ties_created) == (7, 9)
    assert summary.rejected == 1 and (tmp_path / "google-ann.rejected.csv").exists()
    records, _, _ = db.driver.execute_query(
        "MATCH (a:Person {id: 'email:ann@example.org'})-[k:KNOWS]-(b:Person "
        "{id: 'email:bob@example.org'}) RETURN properties(k) AS k",
        database_=db.settings.database,
    )
    k = records[0]["k"]
    # The strength is the model's (loaders.interactions.derive_strengths, tested on its
    # own in test_interaction_model.py) for the meetings the parser read, with meetings
    # undirected: three occurrences of the ann-bob series.
    assert k["interactions"] == 3
    meetings = read_calendar(paths, ProblemLog(), until=UNTIL, counts=Counter())
    frame, _, _ = calendar_interactions(meetings, AddressBook())
    expected, _ = interaction_ties(frame)
    want = dict(zip(zip(expected.a, expected.b, strict=True), expected.strength, strict=True))
    key = ("email:ann@example.org", "email:bob@example.org")
    assert k["strength"] == pytest.approx(want.get(key, want.get(key[::-1])))
    assert 0 < k["strength"] < 1
    # No direction: the same meetings written the other way round give the same strength.
    flipped = frame.assign(source=frame["target"], target=frame["source"])
    again, _ = interaction_ties(flipped)
    assert sorted(again.strength) == pytest.approx(sorted(expected.strength))
    assert k["channels"] == ["meeting"]

    records, _, _ = db.driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]-() "
        "RETURN collect(properties(n)) + collect(properties(r)) AS props",
        database_=db.settings.database,
    )
    assert not any("PCMARKER" in str(v) for p in records[0]["props"] for v in p.values())

    again = CliRunner().invoke(
        main, ["load-calendar", *map(str, paths), "--until", "2024-03-26"], env=cli_env
    )
    assert again.exit_code == 0, again.output
    assert "people: 0 created, 0 updated, 7 unchanged" in again.stdout
    assert "ties: 0 created, 0 updated, 9 unchanged" in again.stdout
