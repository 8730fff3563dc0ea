"""Mail and meetings of the same pair combine (``loaders.frames.combined_interaction_ties``).

The mail fixtures (``tests/data/mail``) and the calendar fixtures (``tests/data/calendar``)
share people (ann, bob, cy, dee, eve, fay, gus @example.org). Loading one after the other
must give each tie the strength that one load of both frames gives
(``loaders.frames.interaction_ties`` of the two frames concatenated: the model's own
result, tested on its own in ``tests/unit/test_interaction_model.py``), in either
order, and loading a mailbox again must change nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from unit.test_loaders_calendar import DATA as CALENDARS
from unit.test_loaders_calendar import FILES, UNTIL

from integration.test_loaders_mail import copy_fixtures, ties_of
from powerconnect.engine.db import Database
from powerconnect.loaders.addresses import AddressBook
from powerconnect.loaders.calendars import calendar_interactions, load_calendar, read_calendar
from powerconnect.loaders.frames import interaction_ties
from powerconnect.loaders.mail import address_book, load_mail, mail_interactions, read_mail
from powerconnect.loaders.tables import ProblemLog

ME = ["ann@example.org"]


def paths_of(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    mail = copy_fixtures(tmp_path, "takeout.mbox", "maildir")
    calendars = []
    for name in FILES:
        (tmp_path / name).write_bytes((CALENDARS / name).read_bytes())
        calendars.append(tmp_path / name)
    return mail, calendars


def one_load_of_both(mail: list[Path], calendars: list[Path]) -> dict[tuple[str, str], float]:
    mail_frame, _, _ = mail_interactions(read_mail(mail, ProblemLog()), address_book(me=ME))
    meetings = read_calendar(calendars, ProblemLog(), until=UNTIL, counts=Counter())
    meeting_frame, _, _ = calendar_interactions(meetings, AddressBook())
    ties, _ = interaction_ties(pd.concat([mail_frame, meeting_frame], ignore_index=True))
    return dict(zip(zip(ties.a, ties.b, strict=True), ties.strength.tolist(), strict=True))


@pytest.mark.neo4j
@pytest.mark.parametrize("mail_first", [True, False])
def test_mail_and_meetings_of_a_pair_combine_in_either_order(
    db: Database, tmp_path: Path, mail_first: bool
) -> None:
    mail, calendars = paths_of(tmp_path)
    if mail_first:
        load_mail(db, mail, me=ME)
        load_calendar(db, calendars, until=UNTIL)
    else:
        load_calendar(db, calendars, until=UNTIL)
        load_mail(db, mail, me=ME)
    want = one_load_of_both(mail, calendars)
    got = {pair: p["strength_interactions"] for pair, p in ties_of(db).items()}
    assert set(got) == set(want)
    for pair, strength in want.items():
        assert got[pair] == pytest.approx(strength, rel=1e-9), pair
    ab = ties_of(db)[("email:ann@example.org", "email:bob@example.org")]
    # ann-bob: 3 e-mails (test_loaders_mail) and 3 meetings (test_loaders_calendar)
    assert ab["channels"] == ["email", "meeting"] and ab["interactions"] == 6
    assert ab["signal_loads"] == ["calendar", "mail:email:ann@example.org"]


@pytest.mark.neo4j
def test_loading_a_mailbox_again_counts_it_once(db: Database, tmp_path: Path) -> None:
    mail, calendars = paths_of(tmp_path)
    load_mail(db, mail, me=ME)
    load_calendar(db, calendars, until=UNTIL)
    before = ties_of(db)
    again = load_mail(db, mail, me=ME)
    assert (again.ties_created, again.ties_updated) == (0, 0)
    assert ties_of(db) == before
