"""`load-calendar`: Google and Outlook .ics fixtures (``tests/data/calendar``, see its
README). Expected rows are read off the fixtures by hand, each named in a comment."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from powerconnect.cli import main
from powerconnect.load_commands import register
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.calendars import calendar_interactions, read_calendar
from powerconnect.loaders.tables import ProblemLog

register(main)
DATA = Path(__file__).resolve().parent.parent / "data" / "calendar"
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
