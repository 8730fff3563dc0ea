"""`load-calendar`: Google and Outlook .ics fixtures (``tests/data/calendar``, see its
README). Expected rows are read off the fixtures by hand, each named in a comment."""

from __future__ import annotations

import math
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from engine.db import Database
from loaders.addresses import AddressBook
from loaders.calendars import calendar_interactions, load_calendar, read_calendar
from loaders.frames import interaction_ties
from loaders.tables import ProblemLog
from powerconnect.cli import main
from powerconnect.load_commands import register

register(main)
DATA = Path(__file__).parent / "data" / "calendar"
FILES = ("google-ann.ics", "google-bob.ics", "outlook-dee.ics")
UNTIL = datetime(2024, 3, 26, tzinfo=UTC)


def parsed(names: tuple[str, ...] = FILES) -> tuple[Any, ...]:
    problems = ProblemLog()
    counts: Counter[str] = Counter()
    meetings = read_calendar([DATA / n for n in names], problems, until=UNTIL, counts=counts)
    frame, people, more = calendar_interactions(meetings, AddressBook())
    counts.update(more)
    short = [
        (s.removeprefix("email:").split("@")[0], t.removeprefix("email:").split("@")[0], ts)
        for s, t, ts in zip(frame["source"], frame["target"], frame["timestamp"], strict=True)
    ]
    return problems, frame, short, people, counts


def test_participants_recurrences_and_time_zones() -> None:
    problems, frame, rows, people, counts = parsed()
    t = pd.Timestamp
    assert rows == [
        # weekly sync, Mondays 10:00 Europe/Berlin: 4 March; the room is no one, eve only
        # sits in the alarm
        ("ann", "bob", t("2024-03-04T09:00Z")),
        # 11 March: the override moves it to 14:00 and adds cy (tentative still attends)
        ("ann", "bob", t("2024-03-11T13:00Z")),
        ("ann", "cy", t("2024-03-11T13:00Z")),
        ("bob", "cy", t("2024-03-11T13:00Z")),
        # 18 March is cancelled by its override (CET until 31 March)
        ("ann", "bob", t("2024-03-25T09:00Z")),
        # all-day 6 March, in the calendar's X-WR-TIMEZONE (Berlin): 5 March 23:00 UTC
        ("fay", "ann", t("2024-03-05T23:00Z")),
        # floating 12:00 in Berlin
        ("gus", "ann", t("2024-03-07T11:00Z")),
        # Outlook, "W. Europe Standard Time" 15:00; bob declined, the room and the
        # non-participant are no one
        ("dee", "ann", t("2024-03-12T14:00Z")),
        ("dee", "eve", t("2024-03-12T14:00Z")),
        ("ann", "eve", t("2024-03-12T14:00Z")),
        # "Customized Time Zone" has no definition: UTC, with a warning
        ("dee", "gus", t("2024-03-13T09:00Z")),
    ]
    assert not frame["directed"].any() and set(frame["channel"]) == {"meeting"}
    # DTEND - DTSTART in seconds: 30 minutes for the sync, none for the all-day offsite
    assert frame["duration"].iloc[0] == 1800 and math.isnan(frame["duration"].iloc[5])
    assert [(p.file.name, p.line) for p in problems.problems] == [("google-ann.ics", 116)]
    assert "broken-006@google.com" in problems.problems[0].reason
    assert counts["duplicate occurrences"] == 3  # bob's calendar holds the same series
    assert counts["cancelled occurrences"] == 3  # 18 March twice, cancelled-004 once
    assert counts["times in an undefined time zone (warning: taken as the calendar's or UTC)"] == 1
    assert people["email:dee@example.org"]["name"] == "Lee, Dee"  # quoted CN with a comma
    assert "ivy@example.org" not in str(people)  # the VTODO's attendee


def test_later_occurrences_wait_for_their_time() -> None:
    problems = ProblemLog()
    counts: Counter[str] = Counter()
    early = datetime(2024, 3, 12, tzinfo=UTC)
    meetings = read_calendar([DATA / "google-ann.ics"], problems, until=early, counts=counts)
    weekly = sorted(m.start for m in meetings if m.key.startswith("weekly"))
    assert weekly == [datetime(2024, 3, 4, 9, tzinfo=UTC), datetime(2024, 3, 11, 13, tzinfo=UTC)]


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


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nEND:VEVENT\nEND:VCALENDAR\n",
            "event x: cannot be read: no DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:y\nDTSTART:20240101T000000Z\n"
            "RRULE:FREQ=SOMETIMES\nATTENDEE:mailto:a@example.org\nEND:VEVENT\nEND:VCALENDAR\n",
            "event y: cannot be read: ",
        ),
        (  # an unterminated quote: the organizer cannot be read, the event has one person
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:z\nDTSTART:20240101T000000Z\n"
            'ORGANIZER;CN="unterminated:mailto:a@example.org\nEND:VEVENT\nEND:VCALENDAR\n',
            None,
        ),
    ],
)
def test_broken_events_are_problems_not_tracebacks(
    tmp_path: Path, content: str, problem: str | None
) -> None:
    path = tmp_path / "odd.ics"
    path.write_text(content)
    problems = ProblemLog()
    meetings = read_calendar([path], problems, until=UNTIL, counts=Counter())
    assert meetings == []
    reasons = [p.reason for p in problems.problems]
    if problem is None:
        assert reasons == []
    else:
        assert len(reasons) == 1 and reasons[0].startswith(problem)
        assert problems.problems[0].line == 2  # its BEGIN:VEVENT
