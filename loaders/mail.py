"""Mailboxes as interactions: who wrote to whom, when, from message headers only.

Inputs: mbox files (Google Takeout, Thunderbird, Apple Mail's ``X.mbox/mbox``,
mailing-list archives, also ``.gz``) and directories of maildir messages (``cur/``,
``new/``), ``.eml`` or ``.emlx`` files. Only these headers are read: From, To, Cc, Date,
Message-ID, In-Reply-To, References, and to recognise lists and robots List-Id,
List-Post, Precedence, Auto-Submitted. Bodies and subjects are skipped unread (an mbox
is scanned line by line and only each message's header block is kept).

From a message to interactions (channel ``email``):

* the sender writes to each To and Cc recipient (not to themself, a list's own address
  or a robot);
* a **reply** (In-Reply-To, else the last References entry naming a message in the
  input) is also an interaction with that message's author, on a mailing list too: that
  is how a list archive, where every message goes to the list, becomes a network;
* a message from a robot (Precedence ``bulk``/``junk``, Auto-Submitted other than
  ``no``, a noreply/mailer-daemon sender) adds nothing, and one with List-Id, no reply
  relation and no recipient but the list adds nothing; both are counted;
* the same message twice (two mailboxes, an archive storing it twice) counts once: its
  key is the Message-ID with the sender, or without a Message-ID the sender, date and
  recipients. Every row of a message carries that key as ``group`` and ``message_id``.

What cannot be read (no sender address, no date in the headers nor in the mbox ``From``
line) is a problem named by file and message number (and line for an mbox).
"""

from __future__ import annotations

import gzip
import hashlib
import mmap
import os
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

import pandas as pd

from powerconnect.engine.db import Database
from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.loaders.addresses import (
    AddressBook,
    FileSummary,
    Participants,
    decode_words,
    is_automated_address,
    parse_addresses,
    read_aliases,
)
from powerconnect.loaders.frames import interaction_frame, write_channel_load
from powerconnect.loaders.interactions import HALF_LIFE_DAYS
from powerconnect.loaders.model import Progress
from powerconnect.loaders.tables import Problem, ProblemLog
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, preparing

__all__ = [
    "MailMessage",
    "load_mail",
    "mail_interactions",
    "parse_headers",
    "read_mail",
]

#: The only headers kept; everything else (Subject first of all) is dropped unread.
KEPT = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "list-id",
        "list-post",
        "precedence",
        "auto-submitted",
    }
)
REJECTS_HEADER = ["message"]
#: This loader's part of a tie's interaction signals is ``mail:<mailbox owner's id>``
#: (:func:`mailbox_owner`, :mod:`loaders.frames`); ``mail`` alone is the part earlier
#: versions wrote for every mailbox, replaced by the next load of any mailbox.
LOAD = "mail"
_HEADER = re.compile(rb"^[!-9;-~]+[ \t]*:")  # a header field name, then a colon
_MSGID = re.compile(r"<([^<>\s]+)>")
_ENVELOPE_DATE = re.compile(
    r"([A-Z][a-z]{2})\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}:\d\d(?::\d\d)?)\s+"
    r"(?:([+-]\d{4}|[A-Z]{2,5})\s+)?(\d{4})"
)


@dataclass(frozen=True)
class MailMessage:
    """The metadata of one message (nothing else is kept)."""

    file: Path  # the input it came from (an mbox, or a directory of messages)
    where: str  # "message 3" or a file name inside the directory
    line: int | None  # the envelope line in an mbox
    sender: tuple[str, str] | None  # (display name, address)
    recipients: tuple[tuple[str, str], ...]
    date: datetime | None  # UTC
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    list_addresses: frozenset[str]
    listed: bool  # has List-Id
    automated: bool


# ------------------------------------------------------------------------ reading
def parse_headers(block: bytes) -> dict[str, list[str]]:
    """The kept headers of a raw header block, unfolded and decoded (UTF-8, else
    Windows-1252), by lower-case name.

    >>> parse_headers(b"From: Ann <a@example.org>\\r\\nTo: b@example.org,\\r\\n c@example.org\\r\\n"
    ...               b"Subject: secret\\r\\n")
    {'from': ['Ann <a@example.org>'], 'to': ['b@example.org, c@example.org']}
    """
    text = _decode(block)
    out: dict[str, list[str]] = {}
    name: str | None = None
    value: list[str] = []
    for line in text.splitlines():
        if line[:1] in (" ", "\t"):
            if name is not None:
                value.append(line.strip())
            continue
        if name is not None and name in KEPT:
            out.setdefault(name, []).append(" ".join(value).strip())
        head, sep, rest = line.partition(":")
        if sep and head.strip() and " " not in head.strip():
            name, value = head.strip().lower(), [rest.strip()]
        else:
            name, value = None, []
    if name is not None and name in KEPT:
        out.setdefault(name, []).append(" ".join(value).strip())
    return out


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def envelope_date(envelope: str) -> datetime | None:
    """The date of an mbox ``From`` line, in UTC (asctime, Thunderbird's ``From -``,
    Takeout's ``From 1583290388308606088@xxx Mon Nov 06 04:42:58 +0000 2017``).

    >>> envelope_date("From 1583290388308606088@xxx Mon Nov 06 04:42:58 +0000 2017")
    datetime.datetime(2017, 11, 6, 4, 42, 58, tzinfo=datetime.timezone.utc)
    >>> envelope_date("From - Tue Mar  5 10:00:00 2024").isoformat()
    '2024-03-05T10:00:00+00:00'
    >>> envelope_date("From MAILER-DAEMON") is None
    True
    """
    m = _ENVELOPE_DATE.search(envelope)
    if m is None:
        return None
    dow, mon, day, hms, zone, year = m.groups()
    return _utc_date(f"{dow}, {day} {mon} {year} {hms} {zone or '+0000'}")


def _utc_date(text: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _message(
    file: Path, where: str, line: int | None, block: bytes, envelope: str | None
) -> MailMessage:
    h = parse_headers(block)

    def first(name: str) -> str:
        values = h.get(name)
        return values[0] if values else ""

    senders = parse_addresses(first("from"))
    recipients = tuple(
        r for name in ("to", "cc") for v in h.get(name, []) for r in parse_addresses(v)
    )
    date = _utc_date(decode_words(first("date"))) if first("date") else None
    if date is None and envelope:
        date = envelope_date(envelope)
    ids = _MSGID.findall(first("message-id"))
    message_id = ids[0] if ids else (first("message-id").strip() or None)
    lists: set[str] = set()
    for v in h.get("list-post", []):
        lists.update(a for _, a in parse_addresses(v.replace("mailto:", "")))
    for v in h.get("list-id", []):
        for list_id in _MSGID.findall(v) or [v.strip()]:
            head, dot, tail = list_id.partition(".")
            if dot:
                lists.add(f"{head}@{tail}".lower())
    precedence = first("precedence").strip().lower()
    auto = first("auto-submitted").strip().lower()
    sender = senders[0] if senders else None
    automated = (
        precedence in ("bulk", "junk")
        or (auto != "" and not auto.startswith("no"))
        or (sender is not None and is_automated_address(sender[1]))
    )
    return MailMessage(
        file=file,
        where=where,
        line=line,
        sender=sender,
        recipients=recipients,
        date=date,
        message_id=message_id,
        in_reply_to=tuple(_MSGID.findall(" ".join(h.get("in-reply-to", [])))),
        references=tuple(_MSGID.findall(" ".join(h.get("references", [])))),
        list_addresses=frozenset(lists),
        listed=bool(h.get("list-id")),
        automated=automated,
    )


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


#: a candidate envelope: "From " at the start of the file or after an empty line
_ENVELOPE_AT = re.compile(rb"(?:\A|\n\r?\n)(From [^\n]*)\n")
_BLOCK_END = re.compile(rb"\n\r?\n")


@contextmanager
def _contents(path: Path) -> Iterator[Any]:
    """The file's bytes without reading them into memory (mmap); a ``.gz`` decompressed."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            yield fh.read()
        return
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            yield b""
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            yield mm


def _mbox_blocks(path: Path) -> Iterator[tuple[int, str, bytes]]:
    """(envelope line number, envelope, header block) of each message of an mbox.

    A ``From `` line starts a message when it is the first line or follows an empty
    line, and the next line is a header (so an unescaped ``From `` in a body, after an
    empty line, stays in the body). Only the header blocks are copied out of the file;
    bodies are skipped by searching for the next envelope.
    """
    with _contents(path) as data:
        starts: list[tuple[int, int, bytes]] = []  # (envelope start, header start, envelope)
        for m in _ENVELOPE_AT.finditer(data):
            after = m.end()
            end = data.find(b"\n", after)
            following = data[after : end if end >= 0 else len(data)]
            if _HEADER.match(following) and not following.startswith(b"From "):
                starts.append((m.start(1), after, m.group(1)))
        line, counted = 1, 0
        for i, (envelope_at, header_at, envelope) in enumerate(starts):
            limit = starts[i + 1][0] if i + 1 < len(starts) else len(data)
            end_of_block = _BLOCK_END.search(data, header_at, limit)
            header_end = end_of_block.start() + 1 if end_of_block else limit
            line += data[counted:envelope_at].count(b"\n")
            counted = envelope_at
            yield line, _decode(bytes(envelope)).strip(), bytes(data[header_at:header_end])


def _header_block(path: Path) -> bytes:
    """The header block of a single-message file (.eml, maildir; .emlx skips its count)."""
    lines: list[bytes] = []
    with path.open("rb") as fh:
        for i, raw in enumerate(fh):
            if i == 0 and path.suffix == ".emlx" and raw.strip().isdigit():
                continue
            if raw.strip() == b"":
                if lines:
                    break
                continue
            lines.append(raw)
    return b"".join(lines)


def _looks_like_mbox(path: Path) -> bool:
    try:
        with _open(path) as fh:
            return fh.readline().startswith(b"From ")
    except OSError:
        return False


def _message_files(directory: Path) -> Iterator[Path]:
    for p in sorted(directory.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        message = p.suffix.lower() in (".eml", ".emlx") or p.parent.name in ("cur", "new")
        if message or p.name == "mbox" or p.suffix.lower() in (".mbox", ".mbx"):
            yield p


def read_mail(paths: Sequence[Path], problems: ProblemLog) -> list[MailMessage]:
    """The messages of mbox files and message directories (headers only).

    Unreadable messages go to ``problems``; a path that is no mailbox at all raises
    :class:`InvalidInput`.
    """
    messages: list[MailMessage] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = 0
            for f in _message_files(path):
                found += 1
                if _looks_like_mbox(f):
                    messages.extend(_read_mbox(f, problems))
                else:
                    messages.extend(_read_single(f, path, problems))
            if not found:
                raise InvalidInput(
                    str(path),
                    None,
                    "no messages here: expected an mbox file, or maildir folders (cur/, new/) "
                    "or .eml files",
                )
        elif _looks_like_mbox(path):
            messages.extend(_read_mbox(path, problems))
        else:
            messages.extend(_read_single(path, path, problems))
    return messages


def _read_mbox(path: Path, problems: ProblemLog) -> list[MailMessage]:
    out: list[MailMessage] = []
    try:
        for n, (line, envelope, block) in enumerate(_mbox_blocks(path), start=1):
            m = _checked(_message(path, f"message {n}", line, block, envelope), problems)
            if m is not None:
                out.append(m)
    except (OSError, EOFError, ValueError, gzip.BadGzipFile) as exc:
        raise InvalidInput(str(path), None, f"cannot read this mailbox: {exc}") from None
    return out


def _read_single(path: Path, container: Path, problems: ProblemLog) -> list[MailMessage]:
    where = str(path.relative_to(container)) if path != container else path.name
    try:
        block = _header_block(path)
    except OSError as exc:
        problems.add_problem(
            Problem(container, None, f"{where}: cannot read: {exc}", (where,)), REJECTS_HEADER
        )
        return []
    checked = _checked(_message(container, where, None, block, None), problems)
    return [checked] if checked is not None else []


def _checked(m: MailMessage, problems: ProblemLog) -> MailMessage | None:
    reason = None
    if m.sender is None:
        reason = "no sender: the From header has no e-mail address"
    elif m.date is None:
        reason = "no date: neither a readable Date header nor a date in the mbox 'From ' line"
    if reason is None:
        return m
    problems.add_problem(
        Problem(m.file, m.line, f"{m.where}: {reason}", (m.where,)), REJECTS_HEADER
    )
    return None


# ------------------------------------------------------------------------ interactions
def _key(m: MailMessage) -> str:
    assert m.sender is not None and m.date is not None
    if m.message_id:
        return f"{m.message_id}|{m.sender[1]}"
    text = "|".join([m.sender[1], m.date.isoformat(), *sorted(a for _, a in m.recipients)])
    return _NO_ID + hashlib.sha1(text.encode()).hexdigest()


_NO_ID = "sha1:"  # the key of a message without a Message-ID


def mail_interactions(
    messages: Sequence[MailMessage], book: AddressBook
) -> tuple[pd.DataFrame, dict[str, dict[str, Any]], Counter[str]]:
    """The interaction frame (:mod:`loaders.frames`), the people it names with their
    ``name`` and ``email``, and counts of what the messages held (pure: no database)."""
    counts: Counter[str] = Counter()
    unique: dict[str, MailMessage] = {}
    author: dict[str, str] = {}  # Message-ID -> person id of its (first) author
    for m in messages:
        key = _key(m)
        if key in unique:
            counts["duplicate messages"] += 1
            continue
        unique[key] = m
        assert m.sender is not None
        if m.message_id:
            author.setdefault(m.message_id, book.resolve(m.sender[1]))
    counts["messages"] = len(unique)
    rows: list[tuple[str, str, datetime, str, float]] = []
    participants = Participants(book)
    person = participants.person

    for key, m in unique.items():
        assert m.sender is not None and m.date is not None
        if m.automated:
            counts["automated messages"] += 1
            continue
        sender = person(*m.sender)
        parent = next(
            (author[p] for p in (*m.in_reply_to, *reversed(m.references)) if p in author), None
        )
        targets: list[str] = []
        for name, address in m.recipients:
            if address in m.list_addresses or is_automated_address(address):
                continue
            pid = person(name, address)
            if pid != sender and pid not in targets:
                targets.append(pid)
        if parent is not None and parent != sender:
            counts["replies"] += 1
            if parent not in targets:
                targets.append(parent)
        if not targets:
            counts["list-only messages" if m.listed else "messages to no one else"] += 1
            continue
        rows.extend((sender, t, m.date, key, float("nan")) for t in targets)
    frame = interaction_frame(rows, "email", directed=True)
    # without a Message-ID, the copy in another mailbox may have another date (the
    # envelope's): no message id, so the model matches it by pair, direction and time
    frame.loc[frame["group"].str.startswith(_NO_ID), "message_id"] = ""
    return frame, participants.properties(set(frame["source"]) | set(frame["target"])), counts


def mailbox_owner(messages: Sequence[MailMessage], book: AddressBook, me: Sequence[str]) -> str:
    """The person whose mailbox ``messages`` are, which names the load's part of each tie
    (``mail:<person id>``, :mod:`loaders.frames`): the first ``me`` address, else the
    person in the most messages, as sender or recipient (the smallest id on a tie).

    >>> m = [MailMessage(Path("x"), "message 1", None, ("", "bob@example.org"),
    ...     (("", "ann@example.org"),), None, None, (), (), frozenset(), False, False)]
    >>> mailbox_owner(m, AddressBook(), ()), mailbox_owner(m, AddressBook(), ["bob@example.org"])
    ('email:ann@example.org', 'email:bob@example.org')
    """
    if me:
        found = parse_addresses(me[0])
        if found:
            return book.resolve(found[0][1])
    seen: Counter[str] = Counter()
    for m in messages:
        people = {book.resolve(address) for _, address in m.recipients}
        if m.sender is not None:
            people.add(book.resolve(m.sender[1]))
        seen.update(people)
    if not seen:
        return ""
    return min(seen, key=lambda person: (-seen[person], person))


# ------------------------------------------------------------------------ loading
def address_book(me: Sequence[str] = (), aliases: Path | None = None) -> AddressBook:
    """The alias groups of ``--me`` addresses and an alias file."""
    book = AddressBook()
    if aliases is not None:
        for group in read_aliases(Path(aliases)):
            book.add_group(group)
    if me:
        mine: list[str] = []
        for text in me:
            found = parse_addresses(text)
            if not found:
                raise UsageError(f"{text!r} is not an e-mail address")
            mine.extend(address for _, address in found)
        book.add_group(mine)
    return book


def load_mail(
    db: Database,
    paths: Sequence[Path],
    *,
    me: Sequence[str] = (),
    aliases: Path | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    skip_invalid: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FileSummary:
    """Load mailboxes: people by address, ties from who wrote to whom (channel ``email``).

    ``me``: the mailbox owner's addresses (one person); ``aliases``: a file of address
    groups (see :func:`loaders.addresses.read_aliases`). Unreadable messages are written
    to ``NAME.rejected.csv`` beside each input and counted (``skip_invalid=False``
    refuses the load instead). A person already in the database with one of the
    addresses (a contact) is that person, and keeps the name the database gives them.
    """
    if not paths:
        raise UsageError("no mailbox to load")
    started = time.perf_counter()
    book = address_book(me, aliases)
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        messages = read_mail(paths, problems)
        rejects = problems.settle(skip_invalid)
        addresses = {a for m in messages for _, a in m.recipients}
        addresses |= {m.sender[1] for m in messages if m.sender is not None}
        book.learn(db, addresses)
        frame, people, counts = mail_interactions(messages, book)
        return write_channel_load(
            db,
            frame,
            people,
            f"{LOAD}:{mailbox_owner(messages, book, me)}",
            replaces=(LOAD,),
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
