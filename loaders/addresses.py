"""E-mail addresses as people: what mail, calendar and contacts loaders share.

* one person per address, id ``email:<address in lower case>`` (the id LinkedIn exports
  give a contact known by e-mail, so the loaders meet on the same person);
* several addresses are one person when the user says so (an alias file, ``--me``) or
  when the database already holds a person with one of them in ``email`` or ``emails``
  (contacts loaded earlier): then the address resolves to that person's id;
* display names decoded from RFC 2047 words, also when the charset label lies.

:class:`FileSummary` is the load summary with the counts these loaders add (duplicates,
automated messages, declined attendees, ...).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.header import decode_header
from email.utils import getaddresses
from functools import lru_cache
from pathlib import Path
from typing import Any

from powerconnect.engine.db import Database
from powerconnect.engine.errors import InvalidInput
from powerconnect.loaders.model import LoadSummary, People, Progress, Ties
from powerconnect.loaders.tables import ProblemLog
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, read_existing, write_load

__all__ = [
    "AddressBook",
    "FileSummary",
    "Participants",
    "decode_words",
    "is_automated_address",
    "normalise_address",
    "parse_addresses",
    "person_id",
    "read_aliases",
    "write_people_and_ties",
]

_ADDRESS = re.compile(r"[^@\s<>(),;:\"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\Z")
#: pipermail hides addresses as ``user at example.org``
_PIPERMAIL = re.compile(r"([\w.+'=-]+) at ([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_AUTOMATED = re.compile(
    r"(?:^|[._+-])(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?)"
    r"(?:$|[._+-])",
    re.IGNORECASE,
)


def normalise_address(text: str) -> str | None:
    """The address in lower case, or None when ``text`` is not an address.

    >>> normalise_address(" MAILTO:Ann.Lee@Example.ORG "), normalise_address("ann")
    ('ann.lee@example.org', None)
    >>> normalise_address("ann at example.org")  # pipermail
    'ann@example.org'
    """
    text = text.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "@" not in text:
        text = _PIPERMAIL.sub(r"\1@\2", text)
    text = text.lower()
    return text if _ADDRESS.match(text) else None


def person_id(address: str) -> str:
    """The id of a person known only by ``address`` (lower case)."""
    return "email:" + address


def is_automated_address(address: str) -> bool:
    """Whether an address belongs to a robot (noreply, mailer-daemon, bounces).

    >>> is_automated_address("no-reply@example.com"), is_automated_address("noreply.x@a.org")
    (True, True)
    >>> is_automated_address("nora@example.com")
    False
    """
    return bool(_AUTOMATED.search(address.split("@", 1)[0]))


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words; a wrong charset label falls back to UTF-8, then
    Latin-1 (never an error).

    >>> decode_words("=?utf-8?q?J=C3=BCrgen?= Ko")
    'Jürgen Ko'
    >>> decode_words("=?iso-8859-1?q?J=C3=BCrgen?=")  # labelled Latin-1, really UTF-8
    'Jürgen'
    >>> decode_words("=?x-unknown?q?Ren=E9?=")
    'René'
    """
    if "=?" not in text:
        return " ".join(text.split())
    try:
        parts = decode_header(text)
    except Exception:  # a malformed word: keep the text as it is
        return " ".join(text.split())
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        out.append(_decode_bytes(chunk, charset))
    return " ".join("".join(out).split())


def _decode_bytes(raw: bytes, charset: str | None) -> str:
    label = (charset or "ascii").lower()
    if label in ("ascii", "us-ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252"):
        try:  # mislabelled UTF-8 is the commonest lie
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for codec in (label, "utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")  # unreachable: latin-1 decodes every byte


def parse_addresses(value: str) -> list[tuple[str, str]]:
    """``(display name, address)`` pairs from a header value (To, Cc, From, ...).

    Handles RFC 2047 names, Outlook's ``;`` separators, group syntax
    (``undisclosed-recipients:;`` gives nothing) and pipermail's ``user at host``.

    >>> parse_addresses('"Lee, Ann" <Ann@example.org>; =?utf-8?q?Bj=C3=B6rn?= <b@example.org>')
    [('Lee, Ann', 'ann@example.org'), ('Björn', 'b@example.org')]
    >>> parse_addresses("undisclosed-recipients:;"), parse_addresses("ann at example.org (Ann)")
    ([], [('Ann', 'ann@example.org')])
    >>> parse_addresses("Ann Lee <ann@example.org>, bob@example.org")  # the fast path
    [('Ann Lee', 'ann@example.org'), ('', 'bob@example.org')]
    """
    return list(_parse_addresses(value))


#: A plain ``Name <addr>`` or ``addr`` (most headers): no quotes, comments, groups or
#: escapes, so a split on commas is exact and ``getaddresses`` (ten times slower) is not
#: needed.
_SIMPLE = re.compile(r"\s*(?:([^<>]*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*\Z")


@lru_cache(maxsize=65_536)
def _parse_addresses(value: str) -> tuple[tuple[str, str], ...]:
    if "@" not in value:
        value = _PIPERMAIL.sub(r"\1@\2", value)
    pairs: list[tuple[str, str]] | None = None
    if not any(c in value for c in '"(:;\\'):
        pairs = []
        for part in value.split(","):
            if not part.strip():
                continue
            m = _SIMPLE.match(part)
            if m is None:
                pairs = None
                break
            pairs.append((m.group(1) or "", m.group(2) or m.group(3)))
    if pairs is None:
        pairs = getaddresses([value])
    out: list[tuple[str, str]] = []
    for name, addr in pairs:
        address = normalise_address(addr)
        if address is None:
            continue
        name = decode_words(name).strip().strip("'\"").strip()
        if name.lower() == address or normalise_address(name) == address:
            name = ""
        out.append((name, address))
    return tuple(out)


def read_aliases(path: Path) -> list[list[str]]:
    """An alias file: one person per line, their addresses separated by commas or spaces
    (the first is the one they are known by); ``#`` starts a comment."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(str(path), None, f"cannot read the alias file: {exc}") from None
    groups: list[list[str]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0]
        words = [w for w in re.split(r"[,;\s]+", line) if w]
        if not words:
            continue
        addresses = [normalise_address(w) for w in words]
        bad = [w for w, a in zip(words, addresses, strict=True) if a is None]
        if bad:
            raise InvalidInput(str(path), line_no, f"{bad[0]!r} is not an e-mail address")
        groups.append([a for a in addresses if a is not None])
    return groups


@dataclass
class AddressBook:
    """Which person each address is: alias groups first, then people in the database."""

    groups: dict[str, str] = field(default_factory=dict)  # address -> first of its group
    known: dict[str, str] = field(default_factory=dict)  # address -> person id in the db

    def add_group(self, addresses: Sequence[str]) -> None:
        """These addresses are one person (a later group joining an earlier one merges)."""
        addresses = [a for a in addresses if a]
        if not addresses:
            return
        roots = [self.canonical(a) for a in addresses]
        first = roots[0]
        for address, root in list(self.groups.items()):
            if root in roots:
                self.groups[address] = first
        for a in addresses:
            self.groups[a] = first

    def canonical(self, address: str) -> str:
        return self.groups.get(address, address)

    def addresses_of(self, address: str) -> list[str]:
        if address not in self.groups:  # every address of a group, its root too, is a key
            return [address]
        root = self.canonical(address)
        same = sorted(a for a, r in self.groups.items() if r == root)
        return same or [address]

    def resolve(self, address: str) -> str:
        """The person id of ``address``."""
        if self.known:
            for a in [address, *self.addresses_of(address)]:
                if a in self.known:
                    return self.known[a]
        return person_id(self.canonical(address))

    def learn(self, db: Database, addresses: Iterable[str]) -> None:
        """Look up who in the database has one of ``addresses`` (or an alias of one)."""
        wanted = sorted({x for a in addresses for x in self.addresses_of(a)})
        if not wanted:
            return
        for rec in db.query("load_people_by_email", emails=wanted):
            for email in [rec["email"], *(rec["emails"] or [])]:
                if isinstance(email, str) and email.lower() in wanted:
                    self.known.setdefault(email.lower(), rec["id"])
        # an address taken as an id already (email:...) is that person too
        for rec in db.query("load_people_existing", rows=[person_id(a) for a in wanted]):
            for pid, _eid, _props, _orgs in rec["people"]:
                self.known.setdefault(pid[len("email:") :], pid)


@dataclass
class Participants:
    """The people a mail or calendar load names: each address resolved through ``book``,
    with the display names seen for them (the commonest becomes ``name``)."""

    book: AddressBook
    names: dict[str, Counter[str]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)

    def person(self, name: str, address: str) -> str:
        """The person id of ``address``, noting ``name`` for them."""
        pid = self.book.resolve(address)
        self.emails.setdefault(pid, self.book.canonical(address))
        if name:
            self.names.setdefault(pid, Counter())[name] += 1
        return pid

    def properties(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``name``, ``email`` (and ``emails`` for an alias group) of each of ``ids``."""
        people: dict[str, dict[str, Any]] = {}
        for pid in sorted(ids):
            props: dict[str, Any] = {}
            if pid in self.names:
                props["name"] = self.names[pid].most_common(1)[0][0]
            if pid.startswith("email:"):
                props["email"] = self.emails.get(pid, pid[len("email:") :])
                also = self.book.addresses_of(props["email"])
                if len(also) > 1:
                    props["emails"] = also
            people[pid] = props
        return people


@dataclass
class FileSummary(LoadSummary):
    """A load summary with the counts of what a mail, calendar or contacts file held."""

    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        text = super().__str__()
        shown = ", ".join(f"{v} {k}" for k, v in self.counts.items() if v)
        return f"{text}; read: {shown}" if shown else text

    @classmethod
    def of(cls, summary: LoadSummary, counts: Mapping[str, int]) -> FileSummary:
        return cls(**vars(summary), counts=dict(counts))


def write_people_and_ties(
    db: Database,
    people: Mapping[str, dict[str, Any]],
    ties: Ties,
    *,
    state: Any,
    overwrite: bool,
    started: float,
    problems: ProblemLog,
    rejects_files: list[Path],
    counts: Mapping[str, int],
    after_as_of: int = 0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FileSummary:
    """Write people (with properties) and ties through :func:`loaders.writer.write_load`,
    and sum up with ``counts`` (``started``: ``time.perf_counter()`` when reading began).

    Without ``overwrite`` (mail, calendars), a property a person already has in the
    database is left alone: a display name in a header does not replace the name a
    contacts file or a people file gave.
    """
    ids = sorted(set(people) | set(ties.a.tolist()) | set(ties.b.tolist()))
    existing = read_existing(db, ids)
    props: list[dict[str, Any]] = []
    for pid in ids:
        wanted = dict(people.get(pid, {}))
        if not overwrite and pid in existing:
            have = existing[pid][1]
            wanted = {k: v for k, v in wanted.items() if have.get(k) in (None, "", [])}
        props.append(wanted)
    summary = write_load(
        db,
        People(ids, props),
        ties,
        state=state,
        batch_size=batch_size,
        progress=progress,
        read_seconds=time.perf_counter() - started,
        rejected=len(problems),
        rejects_files=rejects_files,
        dry_run=dry_run,
        existing=existing,
    )
    summary.after_as_of = after_as_of
    return FileSummary.of(summary, counts)
