"""LinkedIn data exports: one directory per team member ("Get a copy of your data").

What is read from each directory:

* ``Connections.csv`` (required): after LinkedIn's ``Notes:`` preamble, the columns
  ``First Name, Last Name, URL, Email Address, Company, Position, Connected On``.
  Each row is a person, and a tie between them and the member;
* ``messages.csv`` (optional): only the metadata columns ``CONVERSATION ID, FROM,
  SENDER PROFILE URL, RECIPIENT PROFILE URLS, DATE``; the subject and content are never
  read into the graph;
* ``Profile.csv`` and ``Email Addresses.csv`` (optional): the member's own name and
  primary email.

Who the member is: an export does not list its owner among their connections, but
the owner takes part in every message, so the member's profile URL is the URL that
appears in most messages and is not one of their connections (when messages leave it
ambiguous, the member is known by email, else by the directory name).

The same person across exports (and people already in the database) are merged by
profile URL, else by email address (compared in lower case). A new person's id is
``linkedin:<profile slug>`` (``https://www.linkedin.com/in/ann-lee`` gives
``linkedin:ann-lee``), else ``email:<address>``. Properties: ``name``,
``linkedin_url``, ``email``, ``organization`` (the Company, also an
``(:Organization)`` the person ``WORKS_AT``) and ``title`` (the Position); where exports
disagree the directory given last wins, and an empty cell never erases a value.

Tie strength: the messages between the member and the connection go through the
interaction model of :mod:`loaders.interactions` (frequency, recency, reciprocity;
one channel) with base 0.1, so a connection with no messages is a weak tie of 0.1 and
messages only make it stronger. Ties also get ``connected_on`` (a date),
``linkedin_messages`` and ``last_linkedin_message``.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.db import Database
from engine.errors import InvalidInput, UsageError
from loaders.interactions import (
    HALF_LIFE_DAYS,
    Interactions,
    count_after,
    derive_ties,
    parse_timestamps,
)
from loaders.model import LoadSummary, People, Progress, Ties, canonical
from loaders.tables import Problem, ProblemLog, Table, read_table
from loaders.writer import DEFAULT_BATCH_SIZE, preparing, write_load

__all__ = [
    "DEFAULT_STRENGTH",
    "Connection",
    "Contact",
    "Export",
    "Message",
    "load_linkedin",
    "plan_linkedin",
    "profile_id",
    "read_export",
]

#: A LinkedIn connection alone is a weak tie.
DEFAULT_STRENGTH = 0.1
CONNECTION_COLUMNS = ("First Name", "Last Name", "URL")
MESSAGE_COLUMNS = ("FROM", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS", "DATE")


@dataclass(frozen=True)
class Contact:
    """A person as one export describes them (``url`` and ``email`` normalised)."""

    name: str | None = None
    url: str | None = None
    email: str | None = None
    company: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class Connection:
    contact: Contact
    connected_on: date | None
    file: Path
    line: int
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    conversation: str
    sender: str  # profile URL (normalised)
    recipients: tuple[str, ...]
    timestamp: pd.Timestamp


@dataclass
class Export:
    directory: Path
    member: Contact
    connections: list[Connection] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


# ------------------------------------------------------------------------ identity
def normalise_url(url: str) -> str | None:
    """A profile URL in one canonical spelling (``None`` for an empty cell).

    >>> normalise_url(" HTTPS://www.LinkedIn.com/in/Ann-Lee/?trk=x ")
    'https://www.linkedin.com/in/ann-lee'
    """
    u = url.strip().lower()
    if not u:
        return None
    u = re.sub(r"^https?://", "", u).split("?")[0].split("#")[0].rstrip("/")
    u = re.sub(r"^([a-z]{2,3}\.)?(www\.)?linkedin\.com", "www.linkedin.com", u)
    return "https://" + u


def profile_id(url: str | None, email: str | None) -> str | None:
    """The id a new person gets: from the profile URL, else the email address.

    >>> profile_id("https://www.linkedin.com/in/ann-lee", "ann@example.org")
    'linkedin:ann-lee'
    >>> profile_id(None, "ann@example.org")
    'email:ann@example.org'
    """
    if url:
        m = re.match(r"https://www\.linkedin\.com/in/([^/]+)$", url)
        return "linkedin:" + (m.group(1) if m else url.removeprefix("https://"))
    if email:
        return "email:" + email
    return None


# ------------------------------------------------------------------------ reading
def read_export(directory: Path, problems: ProblemLog) -> Export:
    """Read one member's export directory; rejected rows go to ``problems``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidInput(str(directory), None, "not a directory")
    connections_file = _find(directory, "Connections.csv")
    if connections_file is None:
        raise InvalidInput(
            str(directory), None, "no Connections.csv here: is this a LinkedIn data export?"
        )
    table = read_table(
        connections_file, problems, find_header=_connections_header, allow_no_rows=True
    )
    table.require(CONNECTION_COLUMNS)
    connections = _read_connections(table, problems)

    messages: list[Message] = []
    names: dict[str, str] = {}
    messages_file = _find(directory, "messages.csv")
    if messages_file is not None:
        messages, names = _read_messages(messages_file, problems)

    member = _member(directory, connections, messages, names)
    return Export(directory, member, connections, messages)


def _find(directory: Path, name: str) -> Path | None:
    for p in directory.iterdir():
        if p.name.lower() == name.lower() and p.is_file():
            return p
    return None


def _connections_header(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line.lstrip('\ufeff"').lower().startswith("first name"):
            return i
    return None


def _text(table: Table, name: str) -> np.ndarray:
    if name in table.columns:
        return table.column(name)
    return np.full(len(table), "", dtype=object)


def _read_connections(table: Table, problems: ProblemLog) -> list[Connection]:
    first, last = _text(table, "First Name"), _text(table, "Last Name")
    urls, emails = _text(table, "URL"), _text(table, "Email Address")
    companies, positions = _text(table, "Company"), _text(table, "Position")
    raw_dates = _text(table, "Connected On")
    dates = pd.to_datetime(pd.Series(raw_dates, dtype=object), format="%d %b %Y", errors="coerce")
    iso = parse_timestamps(raw_dates)
    out: list[Connection] = []
    problems.headers.setdefault(table.path, table.header)
    for i in range(len(table)):
        url = normalise_url(urls[i])
        email = emails[i].lower() or None
        if url is None and email is None:
            problems.add(table, [i], "no profile URL and no email address: cannot tell who this is")
            continue
        connected: date | None = None
        if raw_dates[i]:
            when = dates.iloc[i] if not pd.isna(dates.iloc[i]) else iso[i]
            if pd.isna(when):
                problems.add(
                    table,
                    [i],
                    f"Connected On {raw_dates[i]!r} is not a date like '12 Mar 2021'",
                )
                continue
            connected = when.date()
        name = " ".join(x for x in (first[i], last[i]) if x) or None
        contact = Contact(name, url, email, companies[i] or None, positions[i] or None)
        out.append(Connection(contact, connected, table.path, int(table.lines[i]), table.values(i)))
    return out


def _read_messages(path: Path, problems: ProblemLog) -> tuple[list[Message], dict[str, str]]:
    table = read_table(path, problems, allow_no_rows=True)
    table.require(MESSAGE_COLUMNS)
    senders = table.column("SENDER PROFILE URL")
    recipients = table.column("RECIPIENT PROFILE URLS")
    from_names = table.column("FROM")
    conversations = _text(table, "CONVERSATION ID")
    raw = table.column("DATE")
    stamps = parse_timestamps(
        pd.Series(raw, dtype=object).str.replace(r"\s*UTC$", "Z", regex=True).to_numpy(dtype=object)
    )
    out: list[Message] = []
    names: dict[str, str] = {}
    for i in range(len(table)):
        sender = normalise_url(senders[i])
        if sender is None:
            continue  # LinkedIn's own notices carry no sender: nothing to attribute
        if pd.isna(stamps[i]):
            problems.add(
                table, [i], f"DATE {raw[i]!r} is not a date and time like '2024-03-01 09:30:00 UTC'"
            )
            continue
        to = tuple(u for u in (normalise_url(x) for x in re.split(r"[,\s]+", recipients[i])) if u)
        out.append(Message(conversations[i], sender, to, stamps[i]))
        if from_names[i]:
            names.setdefault(sender, from_names[i])
    return out, names


def _member(
    directory: Path, connections: list[Connection], messages: list[Message], names: dict[str, str]
) -> Contact:
    connected = {c.contact.url for c in connections}
    seen: Counter[str] = Counter()
    for m in messages:
        seen.update({m.sender, *m.recipients} - connected)
    url: str | None = None
    if seen:
        ranked = seen.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            url = ranked[0][0]
    name = _profile_name(directory) or (names.get(url) if url else None) or directory.name
    return Contact(name=name, url=url, email=_primary_email(directory))


def _optional_table(directory: Path, name: str) -> Table | None:
    """An export's optional file (Profile.csv, Email Addresses.csv) read as a table; None
    when it is missing or unreadable: the member is then known by what else there is."""
    path = _find(directory, name)
    if path is None:
        return None
    try:
        return read_table(path, ProblemLog())
    except InvalidInput:
        return None


def _profile_name(directory: Path) -> str | None:
    table = _optional_table(directory, "Profile.csv")
    if table is None or not len(table) or "First Name" not in table.columns:
        return None
    name = " ".join(x for x in (_text(table, "First Name")[0], _text(table, "Last Name")[0]) if x)
    return name or None


def _primary_email(directory: Path) -> str | None:
    table = _optional_table(directory, "Email Addresses.csv")
    if table is None or "Email Address" not in table.columns:
        return None
    emails = _text(table, "Email Address")
    primary = _text(table, "Primary")
    for e, p in zip(emails, primary, strict=True):
        if e and p.lower() == "yes":
            return str(e).lower()
    return str(emails[0]).lower() if len(emails) and emails[0] else None


# ------------------------------------------------------------------------ planning
@dataclass(frozen=True)
class Plan:
    """What a set of exports amounts to: people to write and ties to write."""

    people: People
    ties: Ties
    #: messages later than ``as_of``, left out of the strengths
    after_as_of: int = 0


class _Groups:
    """Union-find over identity keys (``url:...``, ``email:...``)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, keys: Sequence[str]) -> None:
        roots = sorted({self.find(k) for k in keys})
        for r in roots[1:]:
            self.parent[r] = roots[0]


def _keys(c: Contact) -> list[str]:
    return [k for k in (c.url and "url:" + c.url, c.email and "email:" + c.email) if k]


def plan_linkedin(
    exports: Sequence[Export],
    known: Sequence[tuple[str, str | None, str | None]] = (),
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    problems: ProblemLog | None = None,
) -> Plan:
    """Merge the exports into people and ties (pure: no database).

    ``known`` lists people already in the database as ``(id, linkedin_url, email)``: a
    contact with the same URL (else email) becomes that person.
    """
    problems = problems if problems is not None else ProblemLog()
    groups = _Groups()
    members: list[tuple[Export, list[str]]] = []
    for ex in exports:
        keys = _keys(ex.member) or ["export:" + str(ex.directory.resolve())]
        groups.union(keys)
        members.append((ex, keys))
        for c in ex.connections:
            groups.union(_keys(c.contact))
    # people already in the database join the group of any key they share with it
    matched: list[tuple[str, list[str], set[str]]] = []
    for pid, url, email in known:
        keys = _keys(Contact(url=normalise_url(url or ""), email=(email or "").lower() or None))
        present = {k for k in keys if k in groups.parent}
        if present:
            groups.union(keys)
            matched.append((pid, keys, present))
    by_root: dict[str, list[str]] = {}
    for k in list(groups.parent):
        by_root.setdefault(groups.find(k), []).append(k)
    # a group that holds someone from the database is that person (URL match first)
    db_id: dict[str, tuple[int, str]] = {}
    for pid, keys, present in matched:
        root = groups.find(keys[0])
        rank = 0 if any(k.startswith("url:") for k in present) else 1
        db_id[root] = min(db_id.get(root, (rank, pid)), (rank, pid))

    def resolve(keys: list[str], fallback: str) -> str:
        root = groups.find(keys[0])
        if root in db_id:
            return db_id[root][1]
        return _id_for(by_root[root]) or fallback

    props: dict[str, dict[str, Any]] = {}

    def describe(pid: str, c: Contact) -> None:
        p = props.setdefault(pid, {})
        for key, value in (
            ("name", c.name),
            ("linkedin_url", c.url),
            ("email", c.email),
            ("organization", c.company),
            ("title", c.position),
        ):
            if value:
                p[key] = value

    ties: dict[tuple[str, str], date | None] = {}
    url_person: dict[str, str] = {}
    for ex, keys in members:
        member_id = resolve(keys, "linkedin-member:" + ex.directory.name)
        describe(member_id, ex.member)
        if ex.member.url:
            url_person[ex.member.url] = member_id
        for c in ex.connections:
            pid = resolve(_keys(c.contact), "")
            describe(pid, c.contact)
            if c.contact.url:
                url_person[c.contact.url] = pid
            if pid == member_id:
                problems.add_problem(
                    Problem(c.file, c.line, "this connection is the export's own member", c.values)
                )
                continue
            pair = (member_id, pid) if member_id < pid else (pid, member_id)
            earlier = ties.get(pair)
            if pair not in ties or (
                c.connected_on and (earlier is None or c.connected_on < earlier)
            ):
                ties[pair] = c.connected_on

    # messages between the two people of a tie, each message counted once
    sent: set[tuple[str, str, pd.Timestamp]] = set()
    events: list[tuple[str, str, pd.Timestamp]] = []
    for ex in exports:
        for m in ex.messages:
            key = (m.conversation, m.sender, m.timestamp)
            if key in sent:
                continue
            sent.add(key)
            s = url_person.get(m.sender)
            if s is None:
                continue
            for r_url in m.recipients:
                r = url_person.get(r_url)
                if r is not None and r != s and ((s, r) if s < r else (r, s)) in ties:
                    events.append((s, r, m.timestamp))
    pairs = sorted(ties)
    a = np.array([p[0] for p in pairs], dtype=object)
    b = np.array([p[1] for p in pairs], dtype=object)
    strength = np.full(len(pairs), DEFAULT_STRENGTH)
    extra: list[dict[str, Any]] = [
        {"connected_on": ties[p], "linkedin_messages": 0, "last_linkedin_message": None}
        for p in pairs
    ]
    after = 0
    if events:
        timestamps = pd.DatetimeIndex([e[2] for e in events]).as_unit("us")
        after = count_after(timestamps, as_of)
        derived = derive_ties(
            Interactions(
                np.array([e[0] for e in events], dtype=object),
                np.array([e[1] for e in events], dtype=object),
                timestamps,
                np.full(len(events), "linkedin", dtype=object),
                has_channels=False,
            ),
            half_life_days=half_life_days,
            as_of=as_of,
            base=DEFAULT_STRENGTH,
            source="linkedin",
        )
        index = {pair: slot for slot, pair in enumerate(pairs)}
        assert derived.properties is not None
        for da, db_, s, dp in zip(
            derived.a, derived.b, derived.strength.tolist(), derived.properties, strict=True
        ):
            slot = index[(da, db_)]
            strength[slot] = s
            extra[slot]["linkedin_messages"] = dp["interactions"]
            extra[slot]["last_linkedin_message"] = dp["last_interaction"]
    ca, cb = canonical(a, b)
    people = People(sorted(props), [props[pid] for pid in sorted(props)])
    return Plan(people, Ties(ca, cb, strength.astype(np.float64), "linkedin", extra), after)


def _id_for(keys: list[str]) -> str | None:
    urls = sorted(k[4:] for k in keys if k.startswith("url:"))
    emails = sorted(k[6:] for k in keys if k.startswith("email:"))
    return profile_id(urls[0] if urls else None, emails[0] if emails else None)


# ------------------------------------------------------------------------ loading
def load_linkedin(
    db: Database,
    directories: Sequence[Path],
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> LoadSummary:
    """Load LinkedIn data exports (one directory per team member).

    Validation, ``skip_invalid`` and ``dry_run`` work as in :func:`loaders.csv_files.load_csv`.
    Loading the same exports again changes nothing.
    """
    if not directories:
        raise UsageError("no LinkedIn export directory to load")
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        exports = [read_export(Path(d), problems) for d in directories]
        if not skip_invalid:
            problems.settle(False)
        urls = sorted({c.url for ex in exports for c in _contacts(ex) if c.url})
        emails = sorted({c.email for ex in exports for c in _contacts(ex) if c.email})
        known = [
            (r["id"], r["linkedin_url"], r["email"])
            for r in db.query("load_linkedin_known_people", urls=urls, emails=emails)
        ]
        plan = plan_linkedin(
            exports, known, half_life_days=half_life_days, as_of=as_of, problems=problems
        )
        rejects = problems.settle(skip_invalid)

        summary = write_load(
            db,
            plan.people,
            plan.ties,
            state=state,
            batch_size=batch_size,
            progress=progress,
            read_seconds=time.perf_counter() - started,
            rejected=len(problems),
            rejects_files=rejects,
            dry_run=dry_run,
        )
        summary.after_as_of = plan.after_as_of
        return summary


def _contacts(ex: Export) -> list[Contact]:
    return [ex.member, *(c.contact for c in ex.connections)]
