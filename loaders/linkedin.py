"""LinkedIn data exports: one directory per team member ("Get a copy of your data").

Every layout LinkedIn has shipped since 2018 loads as it comes (the fixtures in
``tests/data/linkedin/`` copy each one; their README says from where):

* ``Connections.csv`` (required): ``First Name, Last Name, [URL,] Email Address, Company,
  Position, Connected On``, with or without LinkedIn's ``Notes:`` preamble (or re-saved
  by Excel without it). ``Connected On`` may read ``12 Mar 2021``, ``23-Apr-23`` (Excel)
  or ``1/8/18, 6:14 PM`` (2018); an ``urn:li:member:...`` in the e-mail column (2018) is
  not an e-mail. A row with no name, URL or e-mail is a member who hides themselves
  from exports: it is skipped and counted, never refused. Each other row is a person,
  and a tie between them and the member;
* ``messages.csv`` (optional; ``Messages.csv`` in 2018): only who wrote to whom and
  when. The 2018 layout (``From, To, Date, ..., Direction, Folder``) names people;
  later ones give the sender's profile URL, and from 2023 the recipients' URLs too; a
  name is matched to the connection (or the member) of that name in the same export.
  Messages in ``SPAM``, drafts (``IS MESSAGE DRAFT`` / ``IS CONVERSATION DRAFT``) and
  messages from senders who are neither the member nor a connection (sponsored
  messages, "LinkedIn Member") are left out and counted. The subject, content and
  attachments are never read into the graph, and ``coach_messages.csv`` and
  ``learning_*_messages.csv`` (LinkedIn's bots) are not read at all;
* ``Profile.csv`` and ``Email Addresses.csv`` (optional): the member's own name and
  e-mail addresses.

Who the member is: an export does not list its owner among their connections. Their
e-mail addresses come from ``Email Addresses.csv``, their name from ``Profile.csv``,
and their profile URL from their messages: the sender URL written under their name,
else the URL that appears in most messages and is not a connection's.

Identity. The same person across exports (and people already in the database) are
merged by profile URL, else e-mail address (lower case), else their **connection
key**: ``<name>|<connected on>`` (the name with case and spacing folded, and the date
as ``YYYY-MM-DD``), e.g. ``ann lee|2021-03-12``. Most connections have neither URL
nor e-mail in exports before 2022, and the name with the day they connected is what
every export repeats unchanged (Company and Position change with jobs). Each person
keeps their keys in ``linkedin_keys``, so a later export that has the URL merges into
the person an earlier export made. (Two homonyms who connected with the team on the
same day would be taken for one person.)

A new person's id is readable: ``linkedin:<profile slug>`` (percent-encoding decoded:
``https://www.linkedin.com/in/jos%C3%A9-ruiz`` gives ``linkedin:josé-ruiz``), else
``email:<address>``, else ``linkedin-name:<name>:<connected on>``
(``linkedin-name:ann-lee:2021-03-12``). Properties: ``name``, ``linkedin_url``,
``email``, ``organization`` (the Company, also an ``(:Organization)`` the person
``WORKS_AT``), ``title`` (the Position) and ``linkedin_keys``; where exports disagree
the directory given last wins, and an empty cell never erases a value.

Tie strength, on the same scale as every derived strength (P(close), strong at 0.5): the
messages between the member and the connection go through
:func:`loaders.interactions.derive_strengths` (channel ``linkedin``, directed); a
connection with no messages gets the prior :data:`DEFAULT_STRENGTH` (0.05), and messages
only make it stronger (the larger of the two). Ties also get ``connected_on`` (a date),
``linkedin_messages`` and ``last_linkedin_message``. Dates without a time zone (2018)
are taken as UTC.
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

from powerconnect.engine.db import Database
from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.engine.people import normalise_name, normalise_url
from powerconnect.loaders.interactions import (
    HALF_LIFE_DAYS,
    count_after,
    derive_strengths,
    parse_timestamps,
)
from powerconnect.loaders.model import LoadSummary, People, Progress, Ties, canonical
from powerconnect.loaders.tables import Problem, ProblemLog, Table, read_table
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, preparing, write_load

__all__ = [
    "DEFAULT_STRENGTH",
    "Connection",
    "Contact",
    "Export",
    "Known",
    "Message",
    "connection_key",
    "load_linkedin",
    "normalise_name",
    "normalise_url",
    "plan_linkedin",
    "profile_id",
    "read_export",
]

#: P(close) of a LinkedIn connection with no messages: a prior, not a fit. It sits below
#: the weakest band of the model's calibration (of the high-school pairs given P < 0.1,
#: 6% were close: ``bench/bench_strength.py``), since a connection is not even a logged
#: contact; messages can only raise it (the strength is the larger of the two).
DEFAULT_STRENGTH = 0.05
CONNECTION_COLUMNS = ("First Name", "Last Name")
#: The columns every messages layout has (2018 spells them ``From, To, Date``).
MESSAGE_COLUMNS = ("FROM", "TO", "DATE")
#: ``Connected On`` as LinkedIn (2019-), Excel and the 2018 exports write it.
CONNECTED_ON_FORMATS = ("%d %b %Y", "%d-%b-%y", "%m/%d/%y, %I:%M %p")
#: ``Date`` of the 2018 messages layout.
MESSAGE_DATE_FORMAT = "%m/%d/%y, %I:%M %p"
#: The sender LinkedIn shows for members it does not name (sponsored InMail and the like).
UNNAMED_SENDERS = frozenset({"linkedin member", "linkedin"})
_YES = frozenset({"yes", "true", "1"})

#: Why rows and messages are left out (the summary says it in words: loaders.model).
HIDDEN, SPAM, DRAFTS, SPONSORED = "hidden", "spam", "draft", "sponsored"


@dataclass(frozen=True)
class Contact:
    """A person as one export describes them (``url`` and ``email`` normalised).

    ``key`` is the connection key (``name|connected on``), ``emails`` any further
    addresses (the member's, from ``Email Addresses.csv``).
    """

    name: str | None = None
    url: str | None = None
    email: str | None = None
    company: str | None = None
    position: str | None = None
    key: str | None = None
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Connection:
    contact: Contact
    connected_on: date | None
    file: Path
    line: int
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """Who wrote to whom, when: sender and recipients as identity keys
    (``url:...``, ``email:...``, ``key:...``, ``export:...``), never the text."""

    conversation: str
    sender: str
    recipients: tuple[str, ...]
    timestamp: pd.Timestamp


@dataclass
class Export:
    directory: Path
    member: Contact
    connections: list[Connection] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    #: rows and messages left out, by reason (:data:`HIDDEN`, :data:`SPAM`, ...)
    left_out: Counter[str] = field(default_factory=Counter)


# ------------------------------------------------------------------------ identity
def connection_key(name: str | None, connected_on: date | None) -> str | None:
    """The key of a connection known by neither URL nor e-mail: ``name|YYYY-MM-DD``.

    >>> connection_key("Ann  Lee", date(2021, 3, 12))
    'ann lee|2021-03-12'
    >>> connection_key("Ann Lee", None) is None
    True
    """
    if not name or connected_on is None or not normalise_name(name):
        return None
    return f"{normalise_name(name)}|{connected_on.isoformat()}"


def profile_id(url: str | None, email: str | None, key: str | None = None) -> str | None:
    """The id a new person gets: from the profile URL, else the e-mail, else the key.

    >>> profile_id("https://www.linkedin.com/in/ann-lee", "ann@example.org")
    'linkedin:ann-lee'
    >>> profile_id(None, "ann@example.org")
    'email:ann@example.org'
    >>> profile_id(None, None, "ann o'neill (iot)|2021-03-12")
    'linkedin-name:ann-o-neill-iot:2021-03-12'
    """
    if url:
        m = re.match(r"https://www\.linkedin\.com/in/([^/]+)$", url)
        return "linkedin:" + (m.group(1) if m else url.removeprefix("https://"))
    if email:
        return "email:" + email
    if key:
        name, _, day = key.rpartition("|")
        slug = re.sub(r"[\W_]+", "-", name).strip("-")
        return f"linkedin-name:{slug}:{day}"
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
    left_out: Counter[str] = Counter()
    connections = _read_connections(table, problems, left_out)

    raw: _RawMessages | None = None
    messages_file = _find(directory, "messages.csv")
    if messages_file is not None:
        raw = _read_messages(messages_file, problems, left_out)

    member = _member(directory, connections, raw)
    messages = _attribute(member, connections, raw, left_out) if raw is not None else []
    return Export(directory, member, connections, messages, left_out)


def _find(directory: Path, name: str) -> Path | None:
    for p in sorted(directory.iterdir()):
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


def parse_connected_on(values: np.ndarray) -> pd.DatetimeIndex:
    """``Connected On`` in any of :data:`CONNECTED_ON_FORMATS` or ISO (NaT otherwise).

    >>> raw = np.array(["12 Mar 2021", "23-Apr-23", "1/8/18, 6:14 PM", "2020-02-01", "?"])
    >>> [str(d.date()) if d is not pd.NaT else "NaT" for d in parse_connected_on(raw)]
    ['2021-03-12', '2023-04-23', '2018-01-08', '2020-02-01', 'NaT']
    """
    series = pd.Series(values, dtype=object)
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    for fmt in CONNECTED_ON_FORMATS:
        out = out.fillna(pd.to_datetime(series, format=fmt, errors="coerce"))
    iso = pd.Series(parse_timestamps(values).tz_localize(None), index=series.index)
    return pd.DatetimeIndex(out.fillna(iso))


def _read_connections(
    table: Table, problems: ProblemLog, left_out: Counter[str]
) -> list[Connection]:
    first, last = _text(table, "First Name"), _text(table, "Last Name")
    urls, emails = _text(table, "URL"), _text(table, "Email Address")
    companies, positions = _text(table, "Company"), _text(table, "Position")
    raw_dates = _text(table, "Connected On")
    dates = parse_connected_on(raw_dates)
    out: list[Connection] = []
    problems.headers.setdefault(table.path, table.header)
    for i in range(len(table)):
        url = normalise_url(urls[i])
        email = emails[i].lower() or None
        if email is not None and email.startswith("urn:li:"):
            email = None  # 2018: LinkedIn's member id where no e-mail is shared
        name = " ".join(x for x in (first[i], last[i]) if x) or None
        if name is None and url is None and email is None:
            left_out[HIDDEN] += 1  # a member who hides themselves from exports
            continue
        connected: date | None = None
        if raw_dates[i]:
            if pd.isna(dates[i]):
                problems.add(
                    table,
                    [i],
                    f"Connected On {raw_dates[i]!r} is not a date like '12 Mar 2021'",
                )
                continue
            connected = dates[i].date()
        key = connection_key(name, connected)
        if url is None and email is None and key is None:
            problems.add(
                table,
                [i],
                "no profile URL, no e-mail address and no name with a Connected On date: "
                "cannot tell who this is",
            )
            continue
        contact = Contact(name, url, email, companies[i] or None, positions[i] or None, key)
        out.append(Connection(contact, connected, table.path, int(table.lines[i]), table.values(i)))
    return out


@dataclass
class _RawMessages:
    """The metadata columns of a messages file, as read (before anyone is identified)."""

    conversation: np.ndarray
    sender_name: np.ndarray
    sender_url: np.ndarray  # normalised URL or None
    to_names: np.ndarray
    to_urls: list[tuple[str, ...]]
    stamps: pd.DatetimeIndex


def _read_messages(path: Path, problems: ProblemLog, left_out: Counter[str]) -> _RawMessages:
    table = read_table(path, problems, allow_no_rows=True)
    upper = {h.upper(): h for h in table.header}
    missing = [c for c in MESSAGE_COLUMNS if c not in upper]
    if missing:
        table.require(missing)

    def col(name: str) -> np.ndarray:
        return _text(table, upper.get(name, name))

    raw = col("DATE")
    iso = parse_timestamps(
        pd.Series(raw, dtype=object).str.replace(r"\s*UTC$", "Z", regex=True).to_numpy(dtype=object)
    )
    us = pd.to_datetime(pd.Series(raw, dtype=object), format=MESSAGE_DATE_FORMAT, errors="coerce")
    stamps = pd.DatetimeIndex(
        pd.Series(iso).fillna(pd.Series(pd.DatetimeIndex(us).tz_localize("UTC").as_unit("us")))
    )
    folder = pd.Series(col("FOLDER"), dtype=object).str.upper()
    draft = pd.Series(col("IS MESSAGE DRAFT"), dtype=object).str.lower().isin(_YES) | pd.Series(
        col("IS CONVERSATION DRAFT"), dtype=object
    ).str.lower().isin(_YES)
    spam = (folder == "SPAM").to_numpy()
    drafts = draft.to_numpy() & ~spam
    left_out[SPAM] += int(spam.sum())
    left_out[DRAFTS] += int(drafts.sum())
    bad = np.asarray(stamps.isna()) & ~spam & ~drafts
    problems.add(
        table,
        np.flatnonzero(bad),
        lambda i: f"DATE {raw[i]!r} is not a date and time like '2024-03-01 09:30:00 UTC'",
    )
    keep = ~(spam | drafts | bad)
    recipients = col("RECIPIENT PROFILE URLS")
    return _RawMessages(
        conversation=col("CONVERSATION ID")[keep],
        sender_name=col("FROM")[keep],
        sender_url=np.array(
            [normalise_url(u) for u in col("SENDER PROFILE URL")[keep]], dtype=object
        ),
        to_names=col("TO")[keep],
        to_urls=[
            tuple(u for u in (normalise_url(x) for x in re.split(r"[,\s]+", r)) if u)
            for r in recipients[keep]
        ],
        stamps=stamps[keep],
    )


def _member(directory: Path, connections: list[Connection], raw: _RawMessages | None) -> Contact:
    """The export's owner: name from Profile.csv, e-mails from Email Addresses.csv, and
    the profile URL (and, without Profile.csv, the name) from their messages."""
    name = _profile_name(directory)
    primary, emails = _member_emails(directory)
    url: str | None = None
    if raw is not None and len(raw.stamps):
        connected_names = {normalise_name(c.contact.name) for c in connections if c.contact.name}
        connected = {c.contact.url for c in connections if c.contact.url} | {
            u
            for u, n in zip(raw.sender_url, raw.sender_name, strict=True)
            if u and normalise_name(n) in connected_names
        }
        if name is not None:
            mine = Counter(
                u
                for u, n in zip(raw.sender_url, raw.sender_name, strict=True)
                if u and normalise_name(n) == normalise_name(name)
            )
            if mine:
                url = mine.most_common(1)[0][0]
        if url is None:
            seen: Counter[str] = Counter()
            for s, to in zip(raw.sender_url, raw.to_urls, strict=True):
                seen.update({u for u in (s, *to) if u} - connected)
            ranked = seen.most_common(2)
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                url = ranked[0][0]
        if name is None and url is not None:
            names = Counter(
                n for u, n in zip(raw.sender_url, raw.sender_name, strict=True) if u == url and n
            )
            name = names.most_common(1)[0][0] if names else None
        if name is None and not any(raw.sender_url):
            # 2018: names only; the owner is in nearly every message, and not a connection
            counts = Counter(
                normalise_name(n)
                for n in (*raw.sender_name, *raw.to_names)
                if n and normalise_name(n) not in connected_names
            )
            ranked_names = counts.most_common(2)
            if ranked_names and (len(ranked_names) == 1 or ranked_names[0][1] > ranked_names[1][1]):
                top = ranked_names[0][0]
                name = next(
                    n for n in (*raw.sender_name, *raw.to_names) if normalise_name(n) == top
                )
    return Contact(
        name=name or directory.name,
        url=url,
        email=primary,
        emails=tuple(e for e in emails if e != primary),
    )


def _attribute(
    member: Contact, connections: list[Connection], raw: _RawMessages, left_out: Counter[str]
) -> list[Message]:
    """Messages with their sender and recipients as identity keys; a message whose
    sender is neither the member nor a connection of this export is left out."""
    member_key = _keys(member)[0] if _keys(member) else None
    by_name: dict[str, str | None] = {}
    for c in connections:
        if c.contact.name:
            n = normalise_name(c.contact.name)
            keys = _keys(c.contact)
            by_name[n] = None if n in by_name else keys[0]  # None: two connections share it
    by_url = {c.contact.url: "url:" + c.contact.url for c in connections if c.contact.url}
    if member.url:
        by_url[member.url] = "url:" + member.url
    if member.name and member_key is not None:
        by_name[normalise_name(member.name)] = member_key

    def who(url: str | None, name: str) -> str | None:
        """A URL of this export's people, else a name of theirs, else the URL itself."""
        if url and url in by_url:
            return by_url[url]
        n = normalise_name(name)
        if n and n not in UNNAMED_SENDERS and by_name.get(n):
            return by_name[n]
        return "url:" + url if url else None

    out: list[Message] = []
    for i in range(len(raw.stamps)):
        url, name = raw.sender_url[i], raw.sender_name[i]
        sender = who(url, name)
        if sender is None:  # no URL and not a name of this export: sponsored, unnamed
            left_out[SPONSORED] += 1
            continue
        recipients = {by_url[u] for u in raw.to_urls[i] if u in by_url}
        if len(recipients) < len(raw.to_urls[i]) or not raw.to_urls[i]:
            # recipients without URLs (2018, 2021), or URLs their connection rows lack
            whole = who(None, raw.to_names[i])
            parts = {who(None, p) for p in raw.to_names[i].split(",")}
            recipients |= {whole} if whole else {p for p in parts if p}
        out.append(Message(raw.conversation[i], sender, tuple(sorted(recipients)), raw.stamps[i]))
    return out


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


def _member_emails(directory: Path) -> tuple[str | None, list[str]]:
    """The member's primary address and all their addresses (lower case)."""
    table = _optional_table(directory, "Email Addresses.csv")
    if table is None or "Email Address" not in table.columns:
        return None, []
    emails = [str(e).lower() for e in _text(table, "Email Address") if e and "@" in e]
    primary = _text(table, "Primary")
    chosen = next(
        (
            str(e).lower()
            for e, p in zip(_text(table, "Email Address"), primary, strict=True)
            if e and "@" in e and p.lower() == "yes"
        ),
        emails[0] if emails else None,
    )
    return chosen, emails


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
    """A contact's identity keys, the strongest first (URL, e-mail, connection key)."""
    keys = [c.url and "url:" + c.url, c.email and "email:" + c.email]
    keys += ["email:" + e for e in c.emails]
    keys.append(c.key and "key:" + c.key)
    return [k for k in keys if k]


@dataclass(frozen=True)
class Known:
    """A person already in the database, as an export may name them."""

    id: str
    linkedin_url: str | None = None
    email: str | None = None
    linkedin_keys: tuple[str, ...] = ()

    def keys(self) -> list[str]:
        contact = Contact(
            url=normalise_url(self.linkedin_url or ""), email=(self.email or "").lower() or None
        )
        return _keys(contact) + ["key:" + k for k in self.linkedin_keys]


def plan_linkedin(
    exports: Sequence[Export],
    known: Sequence[Known] = (),
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    problems: ProblemLog | None = None,
) -> Plan:
    """Merge the exports into people and ties (pure: no database).

    ``known`` lists people already in the database: a contact who shares a URL (else
    an e-mail, else a connection key) with one of them becomes that person.
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
    matched: list[tuple[Known, list[str], set[str]]] = []
    for person in known:
        keys = person.keys()
        present = {k for k in keys if k in groups.parent}
        if present:
            groups.union(keys)
            matched.append((person, keys, present))
    by_root: dict[str, list[str]] = {}
    for k in list(groups.parent):
        by_root.setdefault(groups.find(k), []).append(k)
    # a group that holds someone from the database is that person (URL match first)
    db_id: dict[str, tuple[int, str]] = {}
    for person, keys, present in matched:
        root = groups.find(keys[0])
        rank = next(
            r
            for r, kind in enumerate(("url:", "email:", "key:", ""))
            if not kind or any(k.startswith(kind) for k in present)
        )
        db_id[root] = min(db_id.get(root, (rank, person.id)), (rank, person.id))

    def resolve(keys: list[str], fallback: str) -> str:
        root = groups.find(keys[0])
        if root in db_id:
            return db_id[root][1]
        return _id_for(by_root[root]) or fallback

    props: dict[str, dict[str, Any]] = {}
    person_keys: dict[str, set[str]] = {}

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
        if c.key:
            person_keys.setdefault(pid, set()).add(c.key)

    ties: dict[tuple[str, str], date | None] = {}
    key_person: dict[str, str] = {}
    for ex, keys in members:
        member_id = resolve(keys, "linkedin-member:" + ex.directory.name)
        describe(member_id, ex.member)
        key_person.update(dict.fromkeys(keys, member_id))
        for c in ex.connections:
            pid = resolve(_keys(c.contact), "")
            describe(pid, c.contact)
            key_person.update(dict.fromkeys(_keys(c.contact), pid))
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
    for person, _, _ in matched:
        pid = resolve(person.keys(), person.id)
        if pid in person_keys:
            person_keys[pid].update(person.linkedin_keys)
    for pid, ks in person_keys.items():
        props[pid]["linkedin_keys"] = sorted(ks)

    # messages between the two people of a tie, each message counted once
    sent: set[tuple[str, str, tuple[str, ...], pd.Timestamp]] = set()
    events: list[tuple[str, str, pd.Timestamp]] = []
    for ex in exports:
        for m in ex.messages:
            s = key_person.get(m.sender)
            if s is None:
                continue
            to = tuple(sorted({r for r in map(key_person.get, m.recipients) if r and r != s}))
            key = (m.conversation, s, to, m.timestamp)
            if key in sent:
                continue
            sent.add(key)
            for r in to:
                if ((s, r) if s < r else (r, s)) in ties:
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
        derived = derive_strengths(
            pd.DataFrame(
                {
                    "source": [e[0] for e in events],
                    "target": [e[1] for e in events],
                    "timestamp": timestamps,
                    "channel": "linkedin",
                }
            ),
            half_life_days=half_life_days,
            as_of=as_of,
            source="linkedin",
        ).ties
        index = {pair: slot for slot, pair in enumerate(pairs)}
        assert derived.properties is not None
        for da, db_, s, dp in zip(
            derived.a, derived.b, derived.strength.tolist(), derived.properties, strict=True
        ):
            slot = index[(da, db_)]
            strength[slot] = max(s, DEFAULT_STRENGTH)
            extra[slot]["linkedin_messages"] = dp["interactions"]
            extra[slot]["last_linkedin_message"] = dp["last_interaction"]
    ca, cb = canonical(a, b)
    people = People(sorted(props), [props[pid] for pid in sorted(props)])
    return Plan(people, Ties(ca, cb, strength.astype(np.float64), "linkedin", extra), after)


def _id_for(keys: list[str]) -> str | None:
    urls = sorted(k[4:] for k in keys if k.startswith("url:"))
    emails = sorted(k[6:] for k in keys if k.startswith("email:"))
    names = sorted(k[4:] for k in keys if k.startswith("key:"))
    return profile_id(
        urls[0] if urls else None, emails[0] if emails else None, names[0] if names else None
    )


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
        keys = {k for ex in exports for c in _contacts(ex) for k in _keys(c)}
        known = [
            Known(r["id"], r["linkedin_url"], r["email"], tuple(r["linkedin_keys"] or ()))
            for r in db.query(
                "load_linkedin_known_people",
                urls=sorted(k[4:] for k in keys if k.startswith("url:")),
                emails=sorted(k[6:] for k in keys if k.startswith("email:")),
                keys=sorted(k[4:] for k in keys if k.startswith("key:")),
            )
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
        left_out: Counter[str] = Counter()
        for ex in exports:
            left_out.update(ex.left_out)
        summary.left_out = {k: v for k, v in left_out.items() if v}
        return summary


def _contacts(ex: Export) -> list[Contact]:
    return [ex.member, *(c.contact for c in ex.connections)]
