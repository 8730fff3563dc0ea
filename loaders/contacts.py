"""Address books as people: vCard (2.1 to 4.0) and Google or Outlook contacts CSV.

Each contact becomes a person with ``name``, ``email`` (the preferred address, else
the first), ``emails`` (all of them, when there are several), ``organization`` (also a
``WORKS_AT`` organization) and ``title``; no ties. Later mail and calendar loads then
resolve every one of those addresses to this person.

* **vCard** is parsed by :mod:`vobject`, one card at a time so that one broken card is
  a problem named by its line and the others load. Before that, the file is decoded
  (UTF-16 with its BOM, UTF-8 with or without a BOM, else Windows-1252) and vCard 2.1
  quoted-printable soft line breaks (a line ending in ``=`` continued on the next) are
  joined, as Android and Outlook write them. Apple's ``item1.EMAIL`` groups are e-mails
  like any other.
* **Google CSV** (both layouts: ``First Name, ..., Organization Name, Organization Title,
  ..., E-mail 1 - Value`` and the older ``Name, Given Name, ..., E-mail 1 - Value,
  Organization 1 - Name, Organization 1 - Title``; several values in a cell are
  separated by ``:::``) and **Outlook CSV** (``First Name, Middle Name, Last Name,
  Title, ..., Company, Department, Job Title, ..., E-mail Address, E-mail 2 Address``;
  Outlook's ``Title`` is a courtesy title such as "Dr.", so the job is ``Job Title``).

A person is found by any of their addresses: a contact whose address is already on a
person in the database (from LinkedIn, an earlier contacts load) updates that person;
two contacts sharing an address are one person. A contact without an address is
``contact:<name in lower case>``; one with neither name nor address is a problem.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vobject

from powerconnect.engine.db import Database
from powerconnect.engine.errors import InvalidInput, UsageError
from powerconnect.loaders.addresses import (
    AddressBook,
    FileSummary,
    normalise_address,
    write_people_and_ties,
)
from powerconnect.loaders.model import Progress, Ties
from powerconnect.loaders.tables import Problem, ProblemLog
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, preparing

__all__ = ["Contact", "contact_people", "load_contacts", "read_contacts"]

REJECTS_HEADER = ["contact"]
_MULTI = re.compile(r"\s*:::\s*")


@dataclass
class Contact:
    """One address-book entry (what powerconnect keeps of it)."""

    file: Path
    line: int
    name: str = ""
    emails: list[str] = field(default_factory=list)  # preferred first
    organization: str = ""
    title: str = ""


# ------------------------------------------------------------------------ decoding
def decode_text(raw: bytes) -> str:
    """Bytes of a contacts file as text: UTF-16 (BOM), UTF-8 (BOM or not), Windows-1252.

    >>> decode_text("BEGIN:VCARD".encode("utf-16"))
    'BEGIN:VCARD'
    >>> decode_text(b"\\xef\\xbb\\xbfN\\xc3\\xa4me"), decode_text(b"N\\xe4me")
    ('Näme', 'Näme')
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":  # UTF-16-LE, no BOM
        return raw.decode("utf-16-le", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def join_soft_breaks(text: str) -> str:
    """Join vCard 2.1 quoted-printable lines ending in a soft break ``=``.

    >>> join_soft_breaks("FN;ENCODING=QUOTED-PRINTABLE:J=C3=BC=\\nrgen\\nEMAIL:j@x.org")
    'FN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen\\nEMAIL:j@x.org'
    """
    out: list[str] = []
    joining = False
    for line in text.splitlines():
        if joining and line.strip().upper() not in ("END:VCARD", "BEGIN:VCARD"):
            out[-1] = out[-1][:-1] + line.lstrip()
        else:
            out.append(line)
        joining = (
            "QUOTED-PRINTABLE" in out[-1].upper()
            and out[-1].endswith("=")
            and not out[-1].upper().startswith(("END:VCARD", "BEGIN:VCARD"))
        )
    return "\n".join(out)


# ------------------------------------------------------------------------ vCard
def _cards(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each BEGIN:VCARD ... END:VCARD block."""
    cards: list[tuple[int, str]] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            start, lines = number, [line.strip()]
        elif start is not None:
            lines.append(line)
            if upper == "END:VCARD":
                cards.append((start, "\r\n".join(lines) + "\r\n"))
                start = None
    return cards


def _value(card: Any, name: str) -> Any:
    entries = card.contents.get(name)
    return entries[0].value if entries else None


def _vcard(path: Path, line: int, text: str) -> Contact:
    # vobject logs each line it skips at ERROR level; the card is judged here instead
    logging.getLogger("vobject").setLevel(logging.CRITICAL)
    card = vobject.readOne(join_soft_breaks(text), ignoreUnreadable=True)
    emails: list[tuple[int, str]] = []
    for entry in card.contents.get("email", []):
        address = normalise_address(str(entry.value))
        if address is None:
            continue
        types = [str(t).lower() for v in entry.params.values() for t in v]
        preferred = "pref" in types or "PREF" in entry.params
        emails.append((0 if preferred else 1, address))
    ordered = [a for _, a in sorted(emails, key=lambda e: e[0])]
    name = str(_value(card, "fn") or "").strip()
    n = _value(card, "n")
    if not name and n is not None:
        name = " ".join(p for p in (n.prefix, n.given, n.additional, n.family, n.suffix) if p)
    org = _value(card, "org")
    organization = (org[0] if isinstance(org, list) and org else str(org or "")).strip()
    title = str(_value(card, "title") or "").strip()
    return Contact(
        path,
        line,
        " ".join(name.split()),
        list(dict.fromkeys(ordered)),
        organization,
        " ".join(title.split()),
    )


def _read_vcards(path: Path, text: str, problems: ProblemLog) -> list[Contact]:
    cards = _cards(join_soft_breaks(text))
    if not cards:
        raise InvalidInput(str(path), None, "no BEGIN:VCARD ... END:VCARD in this file")
    out: list[Contact] = []
    for line, card in cards:
        try:
            out.append(_vcard(path, line, card))
        except Exception as exc:  # vobject raises several kinds; one card never stops the rest
            problems.add_problem(
                Problem(path, line, f"this contact cannot be read: {exc}", (f"line {line}",)),
                REJECTS_HEADER,
            )
    return out


# ------------------------------------------------------------------------ CSV
def _columns(header: list[str]) -> dict[str, Any]:
    """Which columns hold what, for Google (both layouts) and Outlook exports."""
    h = {name.strip().lower(): i for i, name in enumerate(header)}

    def col(*names: str) -> int | None:
        return next((h[n] for n in names if n in h), None)

    emails = [
        i
        for name, i in h.items()
        if re.fullmatch(r"e-mail( \d+)? - value|e-mail( \d)? address|email address", name)
    ]
    return {
        "name": col("name", "display name", "file as"),
        "parts": [
            c
            for c in (
                col("first name", "given name"),
                col("middle name", "additional name"),
                col("last name", "family name"),
            )
            if c is not None
        ],
        "emails": emails,
        "organization": col("organization name", "organization 1 - name", "company"),
        "title": col("organization title", "organization 1 - title", "job title"),
    }


def _read_csv(path: Path, text: str, problems: ProblemLog) -> list[Contact]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(str(path), None, "the file is empty") from None
    cols = _columns(header)
    if not cols["emails"] and cols["name"] is None and not cols["parts"]:
        raise InvalidInput(
            str(path),
            1,
            "not a Google or Outlook contacts export: no name or e-mail column "
            f"(the header has: {', '.join(header[:8])}...)",
        )
    out: list[Contact] = []
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue

        def cell(i: int | None, row: list[str] = row) -> str:
            return row[i].strip() if i is not None and i < len(row) else ""

        emails: list[str] = []
        for i in cols["emails"]:
            for value in _MULTI.split(cell(i)):
                address = normalise_address(value.lstrip("* "))
                if address is not None and address not in emails:
                    emails.append(address)
        name = cell(cols["name"]) or " ".join(p for p in map(cell, cols["parts"]) if p)
        out.append(
            Contact(
                path,
                line,
                " ".join(name.split()),
                emails,
                _MULTI.split(cell(cols["organization"]))[0],
                _MULTI.split(cell(cols["title"]))[0],
            )
        )
    return out


def read_contacts(paths: Sequence[Path], problems: ProblemLog) -> list[Contact]:
    """The contacts of vCard and contacts-CSV files (by content, not by file name)."""
    contacts: list[Contact] = []
    for path in paths:
        path = Path(path)
        try:
            text = decode_text(path.read_bytes())
        except OSError as exc:
            raise InvalidInput(str(path), None, f"cannot read this file: {exc}") from None
        if "BEGIN:VCARD" in text[:4096].upper():
            found = _read_vcards(path, text, problems)
        else:
            found = _read_csv(path, text, problems)
        for c in found:
            if not c.name and not c.emails:
                problems.add_problem(
                    Problem(
                        path,
                        c.line,
                        "a contact with neither a name nor an e-mail address",
                        (f"line {c.line}",),
                    ),
                    REJECTS_HEADER,
                )
            else:
                contacts.append(c)
    return contacts


# ------------------------------------------------------------------------ people
def contact_people(
    contacts: Sequence[Contact], book: AddressBook
) -> tuple[dict[str, dict[str, Any]], Counter[str]]:
    """The people of ``contacts`` with their properties (pure: ``book`` knows the
    database's people already). Contacts sharing an address are one person; where they
    disagree, the later one wins, and an empty field never erases a value."""
    counts: Counter[str] = Counter()
    for c in contacts:
        book.add_group(c.emails)
    people: dict[str, dict[str, Any]] = {}
    for c in contacts:
        counts["contacts"] += 1
        if c.emails:
            pid = book.resolve(c.emails[0])
        else:
            pid = "contact:" + c.name.lower()
            counts["contacts without an e-mail address"] += 1
        if pid in people:
            counts["contacts merged into another"] += 1
        p = people.setdefault(pid, {})
        for key, value in (("name", c.name), ("organization", c.organization), ("title", c.title)):
            if value:
                p[key] = value
        if c.emails:
            everyone = book.addresses_of(c.emails[0])
            p.setdefault("email", c.emails[0])
            if len(everyone) > 1:
                p["emails"] = everyone
    return people, counts


def load_contacts(
    db: Database,
    paths: Sequence[Path],
    *,
    skip_invalid: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FileSummary:
    """Load address books (vCard, Google or Outlook CSV) as people; no ties.

    Unreadable contacts are written to ``NAME.rejected.csv`` beside each input and
    counted (``skip_invalid=False`` refuses the load instead).
    """
    if not paths:
        raise UsageError("no contacts file to load")
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        contacts = read_contacts(paths, problems)
        rejects = problems.settle(skip_invalid)
        book = AddressBook()
        for c in contacts:
            book.add_group(c.emails)
        book.learn(db, {a for c in contacts for a in c.emails})
        people, counts = contact_people(contacts, book)
        return write_people_and_ties(
            db,
            people,
            Ties.empty("interactions"),
            state=state,
            overwrite=True,
            started=started,
            problems=problems,
            rejects_files=rejects,
            counts=counts,
            batch_size=batch_size,
            progress=progress,
            dry_run=dry_run,
        )
