"""`load-contacts`: Google and Outlook CSV, Apple 3.0, Android 2.1 and UTF-16 4.0 vCards
(``tests/data/contacts``, see its README); then mail resolving to those people."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerconnect.cli import main
from powerconnect.engine.errors import InvalidInput
from powerconnect.load_commands import register
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.contacts import contact_people, read_contacts
from powerconnect.loaders.tables import ProblemLog

register(main)
DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"
FILES = (
    "google-contacts.csv",
    "outlook-contacts.csv",
    "apple.vcf",
    "android.vcf",
    "windows-utf16.vcf",
)


def test_every_layout_gives_names_addresses_and_organizations() -> None:
    problems = ProblemLog()
    contacts = read_contacts([DATA / n for n in FILES], problems)
    got = {c.name: (c.emails, c.organization, c.title) for c in contacts}
    assert got == {
        # Google: two e-mail columns; " ::: " joins two values in one cell
        "Ann Archer": (["ann@example.org", "ann@home.example.net"], "Acme Corp.", "CEO"),
        "Bob Baker": (
            ["bob@example.org", "bob.baker@example.com"],
            "Baker, Bolt & Co",
            "Engineer",
        ),
        # Outlook, Windows-1252: "Title" is Dr., the job is "Job Title"
        "Jürgen Müller": (["juergen@example.org"], "Example GmbH", "Geschäftsführer"),
        "Cy Chen": (["cy@example.org"], "Example GmbH", "Analyst"),
        # Apple: item1.EMAIL (pref) first, then item2.EMAIL
        "Eve Evans": (["eve@example.org", "eve.evans@example.com"], "Evans Consulting", "Partner"),
        "Fay Fox": (["fay@example.org"], "", ""),
        # Android 2.1: quoted-printable UTF-8 with a soft line break inside "Mühle"
        "Güs Görz von der Mühle": (["gus@example.org"], "Grün AG", ""),
        "Hal Hill": (["hal@example.org"], "", ""),
        # UTF-16 with a BOM, vCard 4.0
        "Ivy Ito": (["ivy@example.org"], "Ito & Söhne", "Owner"),
    }
    # Google's phone-only row (line 5: Bob's quoted note spans lines 3-4) and Apple's
    # empty card
    assert [(p.file.name, p.line) for p in problems.problems] == [
        ("google-contacts.csv", 5),
        ("apple.vcf", 20),
    ]
    book = AddressBook()
    for c in contacts:
        book.add_group(c.emails)
    people, counts = contact_people(contacts, book)
    assert people["email:bob@example.org"]["emails"] == ["bob.baker@example.com", "bob@example.org"]
    assert counts["contacts"] == 9


@pytest.mark.parametrize(
    "content",
    [
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nEMAIL;TYPE=\r\nN:;;\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=ZZ=\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nBEGIN:VCARD\r\nFN:x\r\n",
        b"\xff\xfe" + "E-mail Address\r\nann@example.org\r\n".encode("utf-16-le"),
    ],
)
def test_odd_contacts_are_problems_not_tracebacks(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.vcf"
    path.write_bytes(content)
    problems = ProblemLog()
    try:
        read_contacts([path], problems)
    except InvalidInput as exc:
        assert exc.file == str(path)
