"""Calendars (.ics) as interactions: who met whom, from ORGANIZER and ATTENDEE lines.

Parsing is :mod:`icalendar` (RFC 5545 content lines, parameters with quoted commas,
VTIMEZONE definitions, Windows zone names such as ``W. Europe Standard Time``); the
recurrence rules (RRULE, RDATE, EXDATE, and overrides by RECURRENCE-ID) are expanded by
:mod:`recurring_ical_events`. Only the participants and the start time of each
occurrence are read; never SUMMARY, DESCRIPTION, LOCATION or attachments.

* **Participants** of an occurrence: its ORGANIZER and ATTENDEEs, except attendees who
  declined (``PARTSTAT=DECLINED``), rooms and resources (``CUTYPE=ROOM``/``RESOURCE``, or a
  Google resource calendar address) and non-participants (``ROLE=NON-PARTICIPANT``).
  Attendees of alarms (VALARM) and to-dos (VTODO) are not read at all.
* **Cancelled** events (``STATUS:CANCELLED``) and occurrences after the load's time
  (``until``) add nothing; both are counted.
* **Time**: a TZID is honoured; a TZID with no definition and no known name falls back
  to the calendar's ``X-WR-TIMEZONE``, else UTC, and is counted as a warning; floating
  times and all-day dates are taken in ``X-WR-TIMEZONE``, else UTC.
* Each occurrence with two or more participants gives one undirected row (channel
  ``meeting``) per pair, with the key ``UID|start`` as ``group`` and ``message_id``: the
  same meeting in two people's calendars counts once.

Broken line folding (a continuation line that lost its leading space) is repaired
before parsing; an event that still cannot be read is a problem named by its UID and
line.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import combinations
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import pandas as pd
import recurring_ical_events

from powerconnect.engine.db import Database
from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.loaders.addresses import (
    AddressBook,
    FileSummary,
    Participants,
    normalise_address,
)
from powerconnect.loaders.frames import interaction_frame, write_channel_load
from powerconnect.loaders.interactions import HALF_LIFE_DAYS
from powerconnect.loaders.model import Progress
from powerconnect.loaders.tables import Problem, ProblemLog
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, preparing

__all__ = ["Meeting", "calendar_interactions", "load_calendar", "read_calendar", "repair_folding"]

REJECTS_HEADER = ["uid"]
#: The name of this loader's part of a tie's interaction signals (loaders.frames).
LOAD = "calendar"
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")
_RESOURCE_DOMAINS = ("resource.calendar.google.com", "group.calendar.google.com")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Meeting:
    """One occurrence of an event: when (UTC), who (name, address), and its key."""

    key: str
    start: datetime
    participants: tuple[tuple[str, str], ...]
    duration: float = float("nan")  # seconds; NaN for all-day events or without an end


def repair_folding(text: str) -> str:
    """Join continuation lines that lost their leading space (a broken fold).

    >>> repair_folding("DESCRIPTION:a long\\nline\\nUID:1\\n")
    'DESCRIPTION:a long\\n line\\nUID:1\\n'
    """
    out: list[str] = []
    for line in text.splitlines():
        if out and line and not line[0].isspace() and not _CONTENT_LINE.match(line):
            out.append(" " + line)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _event_lines(text: str) -> dict[str, int]:
    """The line where each UID's first VEVENT begins."""
    lines: dict[str, int] = {}
    begin: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.upper()
        if upper.startswith("BEGIN:VEVENT"):
            begin = number
        elif upper.startswith("UID:") and begin is not None:
            lines.setdefault(line[4:].strip(), begin)
            begin = None
    return lines


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _utc(value: Any, default: tzinfo, tzid: str | None, counts: Counter[str]) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            if tzid:
                counts[
                    "times in an undefined time zone (warning: taken as the calendar's or UTC)"
                ] += 1
            value = value.replace(tzinfo=default)
        return value.astimezone(UTC)
    if isinstance(value, date):
        counts["all-day occurrences"] += 1
        return datetime(value.year, value.month, value.day, tzinfo=default).astimezone(UTC)
    raise ValueError(f"DTSTART {value!r} is not a date or a date-time")


def _duration(event: Any) -> float:
    """Seconds from DTSTART to DTEND (or DURATION); NaN for all-day or open events."""
    start = event.get("DTSTART")
    end = event.get("DTEND")
    if start is None or not isinstance(start.dt, datetime):
        return float("nan")
    if end is not None and isinstance(end.dt, datetime):
        try:
            seconds = (end.dt - start.dt).total_seconds()
        except TypeError:  # one naive, one aware
            return float("nan")
    elif event.get("DURATION") is not None:
        seconds = event.get("DURATION").dt.total_seconds()
    else:
        return float("nan")
    return seconds if seconds > 0 else float("nan")


def _participants(event: Any) -> list[tuple[str, str]]:
    people: list[tuple[str, str]] = []
    lines: list[Any] = []
    organizer = event.get("ORGANIZER")
    if organizer is not None:
        lines.append(organizer)
    attendees = event.get("ATTENDEE")
    if attendees is not None:
        lines.extend(attendees if isinstance(attendees, list) else [attendees])
    for line in lines:
        params = getattr(line, "params", {})
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        address = normalise_address(str(line))
        if address is None or address.endswith(_RESOURCE_DOMAINS):
            continue
        name = str(params.get("CN", "")).strip().strip('"').strip()
        if normalise_address(name) == address:
            name = ""
        if address not in (a for _, a in people):
            people.append((name, address))
    return people


def read_calendar(
    paths: Sequence[Path], problems: ProblemLog, *, until: datetime, counts: Counter[str]
) -> list[Meeting]:
    """The occurrences (up to ``until``) of the events of ``.ics`` files (or of the
    ``.ics`` files in directories), with their participants."""
    meetings: list[Meeting] = []
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        files.extend(sorted(path.rglob("*.ics")) if path.is_dir() else [path])
    for path in files:
        try:
            text = repair_folding(_read_text(path))
        except OSError as exc:
            raise InvalidInput(str(path), None, f"cannot read this calendar: {exc}") from None
        try:
            calendars = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as exc:  # icalendar raises ValueError and others on broken files
            raise InvalidInput(str(path), None, f"not an iCalendar file: {exc}") from None
        if not calendars:
            raise InvalidInput(str(path), None, "not an iCalendar file: no BEGIN:VCALENDAR")
        lines = _event_lines(text)
        for cal in calendars:
            meetings.extend(_meetings(path, cal, lines, problems, until, counts))
    return meetings


def _meetings(
    path: Path,
    cal: Any,
    lines: dict[str, int],
    problems: ProblemLog,
    until: datetime,
    counts: Counter[str],
) -> list[Meeting]:
    default = _zone(str(cal.get("X-WR-TIMEZONE", "") or "")) or UTC
    zones = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list[Any]] = {}
    for n, event in enumerate(c for c in cal.subcomponents if c.name == "VEVENT"):
        uid = str(event.get("UID", "") or f"(no UID, event {n + 1})")
        by_uid.setdefault(uid, []).append(event)
    out: list[Meeting] = []
    for uid, events in by_uid.items():
        line = lines.get(uid)
        try:
            one = icalendar.Calendar()
            for z in zones:
                one.add_component(z)
            for e in events:
                one.add_component(e)
            counts["events"] += 1
            # the occurrences lose DTSTART's parameters: take the TZID from the event
            first = events[0].get("DTSTART")
            tzid = first.params.get("TZID") if first is not None else None
            occurrences = recurring_ical_events.of(one).between(_EPOCH, until + timedelta(0, 1))
            for occ in occurrences:
                if str(occ.get("STATUS", "")).upper() == "CANCELLED":
                    counts["cancelled occurrences"] += 1
                    continue
                dtstart = occ.get("DTSTART")
                if dtstart is None:
                    raise ValueError("no DTSTART")
                start = _utc(dtstart.dt, default, tzid, counts)
                if start > until:
                    counts["occurrences after the load's time"] += 1
                    continue
                counts["occurrences"] += 1
                people = _participants(occ)
                if len(people) < 2:
                    counts["occurrences with fewer than two participants"] += 1
                    continue
                key = f"{uid}|{start.isoformat()}"
                out.append(Meeting(key, start, tuple(people), _duration(occ)))
        except Exception as exc:  # one unreadable event never stops the others
            why = f"no {exc.args[0]}" if isinstance(exc, KeyError) else str(exc)
            problems.add_problem(
                Problem(path, line, f"event {uid}: cannot be read: {why}", (uid,)),
                REJECTS_HEADER,
            )
    return out


def calendar_interactions(
    meetings: Sequence[Meeting], book: AddressBook
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], Counter[str]]:
    """The interaction frame (one undirected row per pair of participants of each
    occurrence), the people named, and counts (pure: no database)."""
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    rows: list[tuple[str, str, datetime, str, float]] = []
    participants = Participants(book)
    for m in meetings:
        if m.key in seen:
            counts["duplicate occurrences"] += 1
            continue
        seen.add(m.key)
        pids = list(dict.fromkeys(participants.person(*p) for p in m.participants))
        rows.extend((a, b, m.start, m.key, m.duration) for a, b in combinations(pids, 2))
    frame = interaction_frame(rows, "meeting", directed=False)
    return frame, participants.properties(set(frame["source"]) | set(frame["target"])), counts


def load_calendar(
    db: Database,
    paths: Sequence[Path],
    *,
    until: datetime | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    skip_invalid: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FileSummary:
    """Load calendars: people by address, ties from meetings (channel ``meeting``).

    ``until`` (UTC, default now): recurring events are expanded up to it, and later
    occurrences are left out. Unreadable events are written to ``NAME.rejected.csv``
    beside each input and counted (``skip_invalid=False`` refuses the load instead).
    """
    if not paths:
        raise UsageError("no calendar to load")
    started = time.perf_counter()
    until = until or datetime.now(UTC)
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        counts: Counter[str] = Counter()
        meetings = read_calendar(paths, problems, until=until, counts=counts)
        rejects = problems.settle(skip_invalid)
        book = AddressBook()
        book.learn(db, {a for m in meetings for _, a in m.participants})
        frame, people, more = calendar_interactions(meetings, book)
        counts.update(more)
        return write_channel_load(
            db,
            frame,
            people,
            LOAD,
            state=state,
            started=started,
            problems=problems,
            rejects_files=rejects,
            counts=counts,
            half_life_days=half_life_days,
            as_of=as_of,
            batch_size=batch_size,
            progress=progress,
            dry_run=dry_run,
        )
