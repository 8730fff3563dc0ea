"""`load-mail`: mbox (Takeout, pipermail, Mailman 3, Thunderbird) and maildir fixtures.

The fixtures in ``tests/data/mail`` copy the layouts and quirks of public files (see the
README there) with invented people. The expected rows below are read off the fixtures
by hand; each message is named in a comment.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from powerconnect.cli import main
from powerconnect.engine.errors import InvalidInput
from powerconnect.load_commands import register
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.mail import address_book, mail_interactions, read_mail
from powerconnect.loaders.tables import ProblemLog

register(main)
DATA = Path(__file__).resolve().parent.parent / "data" / "mail"
MARKER = "PCMARKER"


def rows(paths: Sequence[Path], book: AddressBook | None = None) -> tuple[Any, ...]:
    problems = ProblemLog()
    messages = read_mail(paths, problems)
    frame, people, counts = mail_interactions(messages, book or AddressBook())
    pairs = [
        (s.removeprefix("email:").split("@")[0], t.removeprefix("email:").split("@")[0])
        for s, t in zip(frame["source"], frame["target"], strict=True)
    ]
    return messages, problems, frame, pairs, people, dict(counts)


# ------------------------------------------------------------------------ parsing
def test_takeout_mbox_replies_duplicates_robots_and_quirks() -> None:
    messages, problems, frame, pairs, people, counts = rows([DATA / "takeout.mbox"])
    # ten envelopes; the unescaped "From the desk" line after a blank line is body text
    assert len(messages) + len(problems) == 10
    assert [(p.line, p.reason) for p in problems.problems] == [
        (96, "message 9: no sender: the From header has no e-mail address")
    ]
    assert pairs == [
        ("ann", "bob"),  # message 1 (its copy, message 4, counts once)
        ("ann", "cy"),  # message 1, Cc "Cy, Chen" <CY@Example.org>
        ("bob", "ann"),  # message 2, a reply and addressed to ann: one row
        ("juergen", "ann"),  # message 5, no Date: the envelope's
        ("dee", "ann"),  # message 7, Outlook ";" separators, no Message-ID
        ("dee", "eve"),  # (message 8 is its copy: sender + date + recipients)
        *[("ann", x) for x in ("bob", "cy", "dee", "eve", "fay", "gus")],  # message 10
    ]
    assert counts == {
        "messages": 7,
        "duplicate messages": 2,  # messages 4 and 8
        "automated messages": 1,  # message 3, Precedence: bulk from no-reply@
        "messages to no one else": 1,  # message 6, undisclosed-recipients:;
        "replies": 1,  # message 2
    }
    when = dict(zip(pairs, frame["timestamp"], strict=False))
    assert when[("bob", "ann")] == pd.Timestamp("2024-03-06T16:15Z")  # "6 Mar 24 09:15 PDT"
    assert when[("juergen", "ann")] == pd.Timestamp("2024-03-08T08:30Z")  # envelope line
    assert when[("dee", "ann")] == pd.Timestamp("2024-03-08T11:00Z")  # 12:00 +0100
    # one group per message: the six rows of the all-hands message share one
    assert frame["group"].iloc[6:].nunique() == 1 and frame["group"].nunique() == 5
    assert set(frame["channel"]) == {"email"} and frame["directed"].all()
    # names decoded: RFC 2047 labelled ISO-8859-1 but UTF-8 inside, a quoted comma
    assert people["email:juergen@example.org"]["name"] == "Jürgen Müller"
    assert people["email:cy@example.org"]["name"] == "Cy, Chen"
    assert "name" not in people["email:eve@example.org"]  # never had a display name


def test_pipermail_archive_becomes_a_network_through_replies() -> None:
    messages, problems, _, pairs, people, counts = rows([DATA / "pipermail-2024-March.txt"])
    assert len(problems) == 0 and len(messages) == 5
    # bob answers alice (In-Reply-To); cy answers bob (last References entry); dee
    # answers a message outside the archive: no tie
    assert pairs == [("bob", "alice"), ("cy", "bob")]
    assert counts["replies"] == 2 and counts["duplicate messages"] == 1
    assert people["email:cy@example.org"]["name"] == "Cy Chén"  # "=?utf-8?b?...?=" comment


def test_mailman_list_messages_count_only_as_replies() -> None:
    _, _, frame, pairs, _, counts = rows([DATA / "mailman3-dev.mbox"])
    # alice's post only goes to the list; bob replies on the list; cy replies To alice
    # (a direct recipient and the replied-to author: one row); the list address is no one
    assert pairs == [("bob", "alice"), ("cy", "alice")]
    assert counts["list-only messages"] == 1
    assert not frame["target"].str.contains("lists.example.org").any()


def test_maildir_directory_and_thunderbird_envelopes() -> None:
    messages, problems, _, pairs, people, counts = rows([DATA / "maildir"])
    assert [p.reason for p in problems.problems] == [
        "new/1710493200.M400P4242.mail.example.org: no sender: the From header has no "
        "e-mail address"
    ]
    assert pairs == [("eve", "ann"), ("eve", "fay"), ("ann", "eve"), ("ann", "fay"), ("fay", "eve")]
    assert counts["automated messages"] == 1  # Auto-Submitted: auto-replied
    assert people["email:fay@example.org"]["name"] in ("Fay Fox", "Fay Fox-Böhm")  # cp1252 8-bit
    assert {m.sender[1] for m in messages if m.sender} >= {"fay@example.org"}

    messages, problems, frame, pairs, _, _ = rows([DATA / "thunderbird-Inbox"])
    assert pairs == [("hal", "ann"), ("ann", "hal")]
    assert frame["timestamp"].iloc[1] == pd.Timestamp("2024-03-18T10:00Z")  # "From - ..." line
    assert [(p.line, p.reason.split(":")[0]) for p in problems.problems] == [(22, "message 3")]


def test_nothing_but_metadata_is_read() -> None:
    paths = [DATA / n for n in ("takeout.mbox", "pipermail-2024-March.txt", "maildir")]
    messages = read_mail(paths, ProblemLog())
    assert messages
    assert not any(MARKER in repr(astuple(m)) for m in messages)


def test_aliases_and_me_merge_addresses(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.txt"
    aliases.write_text("# one person per line\nbob@example.org, bob.baker@example.com\n")
    book = address_book(["ann@example.org", "ANN@home.example.net"], aliases)
    assert book.resolve("ann@home.example.net") == "email:ann@example.org"
    assert book.resolve("bob.baker@example.com") == "email:bob@example.org"
    _, _, _, _, people, _ = rows([DATA / "takeout.mbox"], book)
    assert people["email:ann@example.org"]["emails"] == ["ann@example.org", "ann@home.example.net"]


def test_gzipped_archive_reads_like_the_plain_one(tmp_path: Path) -> None:
    gz = tmp_path / "2024-March.txt.gz"
    gz.write_bytes(gzip.compress((DATA / "pipermail-2024-March.txt").read_bytes()))
    assert rows([gz])[3] == rows([DATA / "pipermail-2024-March.txt"])[3]


def test_a_directory_without_messages_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InvalidInput, match="no messages here"):
        read_mail([tmp_path], ProblemLog())


@pytest.mark.parametrize("name", ["addresses", "mail", "calendars", "contacts", "frames"])
def test_docstring_examples(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"powerconnect.loaders.{name}")
    failures, tried = doctest.testmod(module)
    assert failures == 0 and tried > 0


def test_apple_mail_export_and_single_eml_files(tmp_path: Path) -> None:
    # Apple Mail "Export Mailbox..." writes Inbox.mbox/mbox (plus a table of contents)
    apple = tmp_path / "Inbox.mbox"
    apple.mkdir()
    shutil.copy(DATA / "thunderbird-Inbox", apple / "mbox")
    (apple / "table_of_contents").write_bytes(b"\x00\x01binary")
    assert rows([apple])[3] == [("hal", "ann"), ("ann", "hal")]
    eml = tmp_path / "saved.eml"
    src = DATA / "maildir" / "cur" / "1710234000.M100P4242.mail.example.org:2,S"
    shutil.copy(src, eml)
    assert rows([eml])[3] == [("eve", "ann"), ("eve", "fay")]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage \x00" * 50,
        b"From \n\n",
        b"From x Mon Jan  1 00:00:00 2024\nFrom: \nDate: yesterday\n\nbody",
        b"From: =?bogus?Q?=ZZ?= <a@example.org>\nTo: ,,;;<>\nDate: Mon, 99 Foo 2024\n\n",
    ],
)
def test_garbage_is_a_problem_or_nothing_never_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.mbox"
    path.write_bytes(content)
    problems = ProblemLog()
    messages = read_mail([path], problems)
    mail_interactions(messages, AddressBook())
    assert all(p.file == path for p in problems.problems)
