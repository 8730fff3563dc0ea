"""Several mailboxes combine (``loaders.frames.combined_interaction_ties``), each one its
own part, and a message seen in two of them counts once.

The fixtures ``tests/data/mail/mailboxes/{ann,bob,cy}.mbox`` (Takeout layout, invented
people; see the README there) are three people's exports of the same April 2024:

* ann.mbox: ann->bob 1 Apr (m1), bob->ann 2 Apr (m2), ann->cy 3 Apr (m3), dee->ann+bob
  4 Apr 11:00:00 (no Message-ID, no Date: the envelope's time), ann->bob 8 Apr (m5);
* bob.mbox: m1, m2, the dee message (envelope 11:00:04: delivered 4 s later),
  bob->eve 5 Apr (m6), cy->bob 6 Apr (m7);
* cy.mbox: m7, cy->ann 9 Apr (m9), bob->ann cc cy 10 Apr (m10, after Ann's export).

The expected strengths are the model's own for one load of both mailboxes: the two
parsers' frames concatenated and derived once (``loaders.frames.interaction_ties``, which
counts rows of a pair with the same message id once, and rows without one at most 10 s
apart once: ``loaders.interactions.DUPLICATE_SECONDS``). The counts are read off the
fixtures by hand.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from unit.test_loaders_calendar import DATA as CALENDARS
from unit.test_loaders_calendar import FILES, UNTIL

from integration.test_loaders_mail import ties_of
from powerconnect.engine.db import Database
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.calendars import calendar_interactions, load_calendar, read_calendar
from powerconnect.loaders.frames import interaction_ties
from powerconnect.loaders.mail import address_book, load_mail, mail_interactions, read_mail
from powerconnect.loaders.tables import ProblemLog

MAILBOXES = Path(__file__).resolve().parent.parent / "data" / "mail" / "mailboxes"
ANN, BOB, CY, DEE = (f"email:{x}@example.org" for x in ("ann", "bob", "cy", "dee"))


def mailbox(tmp_path: Path, owner: str) -> Path:
    path = tmp_path / f"{owner}.mbox"
    path.write_bytes((MAILBOXES / f"{owner}.mbox").read_bytes())
    return path


def frame_of(path: Path, owner: str) -> pd.DataFrame:
    messages = read_mail([path], ProblemLog())
    frame, _, _ = mail_interactions(messages, address_book(me=[f"{owner}@example.org"]))
    return frame


def one_load(*frames: pd.DataFrame) -> dict[tuple[str, str], float]:
    ties, _ = interaction_ties(pd.concat(frames, ignore_index=True))
    return dict(zip(zip(ties.a, ties.b, strict=True), ties.strength.tolist(), strict=True))


def load(db: Database, path: Path, owner: str) -> None:
    load_mail(db, [path], me=[f"{owner}@example.org"])


def strengths(db: Database) -> dict[tuple[str, str], float]:
    return {pair: p["strength_interactions"] for pair, p in ties_of(db).items()}


def assert_same(got: dict[tuple[str, str], float], want: dict[tuple[str, str], float]) -> None:
    assert set(got) == set(want)
    for pair, strength in want.items():
        assert got[pair] == pytest.approx(strength, rel=1e-9), pair


@pytest.mark.neo4j
@pytest.mark.parametrize("ann_first", [True, False])
def test_two_mailboxes_with_different_messages_add_up(
    db: Database, tmp_path: Path, ann_first: bool
) -> None:
    ann, cy = mailbox(tmp_path, "ann"), mailbox(tmp_path, "cy")
    order = [(ann, "ann"), (cy, "cy")]
    for path, owner in order if ann_first else order[::-1]:
        load(db, path, owner)
    assert_same(strengths(db), one_load(frame_of(ann, "ann"), frame_of(cy, "cy")))
    ties = ties_of(db)
    # ann-bob: m1, m2, m5 from Ann's mailbox and m10 from Cy's (before the fix, Cy's one
    # message replaced Ann's three)
    assert ties[(ANN, BOB)]["interactions"] == 4
    assert ties[(ANN, CY)]["interactions"] == 2  # m3 (Ann's), m9 (Cy's)
    assert ties[(ANN, BOB)]["signal_loads"] == [f"mail:{ANN}", f"mail:{CY}"]


@pytest.mark.neo4j
def test_a_message_in_two_mailboxes_counts_once(db: Database, tmp_path: Path) -> None:
    ann, bob = mailbox(tmp_path, "ann"), mailbox(tmp_path, "bob")
    load(db, ann, "ann")
    load(db, bob, "bob")
    assert_same(strengths(db), one_load(frame_of(ann, "ann"), frame_of(bob, "bob")))
    ties = ties_of(db)
    # ann-bob: m1 and m2 are in both mailboxes, m5 in Ann's only: 3, not 5
    assert ties[(ANN, BOB)]["interactions"] == 3
    # dee's message without a Message-ID, 4 s apart in the two mailboxes: once per tie
    assert ties[(ANN, DEE)]["interactions"] == 1
    assert ties[(BOB, DEE)]["interactions"] == 1
    # and the same holds the other way round
    db.driver.execute_query("MATCH (n) DETACH DELETE n", database_=db.settings.database)
    load(db, bob, "bob")
    load(db, ann, "ann")
    assert_same(strengths(db), one_load(frame_of(ann, "ann"), frame_of(bob, "bob")))


@pytest.mark.neo4j
def test_loading_a_mailbox_again_replaces_its_own_part(db: Database, tmp_path: Path) -> None:
    ann, bob, cy = (mailbox(tmp_path, x) for x in ("ann", "bob", "cy"))
    for path, owner in ((ann, "ann"), (bob, "bob"), (cy, "cy")):
        load(db, path, owner)
    before = ties_of(db)
    want = one_load(frame_of(ann, "ann"), frame_of(bob, "bob"), frame_of(cy, "cy"))
    assert_same(strengths(db), want)
    again = load_mail(db, [bob], me=["bob@example.org"])
    assert (again.ties_created, again.ties_updated) == (0, 0)
    assert ties_of(db) == before


@pytest.mark.neo4j
def test_a_calendar_still_combines_with_two_mailboxes(db: Database, tmp_path: Path) -> None:
    ann, bob = mailbox(tmp_path, "ann"), mailbox(tmp_path, "bob")
    calendars = []
    for name in FILES:
        (tmp_path / name).write_bytes((CALENDARS / name).read_bytes())
        calendars.append(tmp_path / name)
    load(db, ann, "ann")
    load_calendar(db, calendars, until=UNTIL)
    load(db, bob, "bob")
    meetings = read_calendar(calendars, ProblemLog(), until=UNTIL, counts=Counter())
    meeting_frame, _, _ = calendar_interactions(meetings, AddressBook())
    want = one_load(frame_of(ann, "ann"), frame_of(bob, "bob"), meeting_frame)
    assert_same(strengths(db), want)
    ab = ties_of(db)[(ANN, BOB)]
    # 3 e-mails (above) and 3 meetings (test_loaders_calendar)
    assert ab["interactions"] == 6 and ab["channels"] == ["email", "meeting"]
    assert ab["signal_loads"] == ["calendar", f"mail:{ANN}", f"mail:{BOB}"]
