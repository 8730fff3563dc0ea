"""The calibrated strength model of ``loaders/interactions.py`` (no database).

Expected numbers are computed by hand in each test from the model's documented formula:
each row counts its minutes (or ``UNTIMED_MINUTES`` = 1 without a duration) times
``2^(-age/h)`` times ``1/(n - 1)`` for a group of ``n``; the directed part of a pair's
amount is scaled by ``(1 + r)/2``; the share is
``sqrt(x/(240 + X_a) * x/(240 + X_b))``; the frequency is the pair's recency-weighted
days met over the less active one's weighted active days; P(close) =
sigmoid(3.88 + 0.99 ln share + 1.04 frequency).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from powerconnect.engine.errors import UsageError
from powerconnect.loaders import interactions
from powerconnect.loaders.interactions import (
    COEFFICIENTS,
    PART_COLUMNS,
    SHARE_PRIOR_MINUTES,
    combine_parts,
    derive_strengths,
    tie_signals,
)

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def frame(rows: list[tuple], columns: tuple[str, ...] = ("source", "target", "timestamp")):
    df = pd.DataFrame(rows, columns=list(columns))
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    return df


def p_close(share: float, frequency: float = 1.0) -> float:
    b0, bs, bf = COEFFICIENTS
    return 1 / (1 + math.exp(-(b0 + bs * math.log(share) + bf * frequency)))


def by_pair(df: pd.DataFrame, **kw) -> dict[tuple[str, str], pd.Series]:
    signals, _, _ = tie_signals(df, now=NOW, **kw)
    return {(r.a, r.b): r for r in signals.itertuples()}


def test_the_coefficients_and_prior_are_the_documented_ones() -> None:
    assert COEFFICIENTS == (3.88, 0.99, 1.04)
    assert SHARE_PRIOR_MINUTES == 240.0


def test_strength_by_hand_for_a_timed_undirected_pair() -> None:
    # a-b: 60 minutes face to face, fresh; a-c: 20 minutes; nothing else
    df = frame(
        [("a", "b", "2024-01-01", "contact", 3600.0), ("c", "a", "2024-01-01", "contact", 1200.0)],
        ("source", "target", "timestamp", "channel", "duration"),
    )
    ties = derive_strengths(df, undirected_channels=["contact"], now=NOW).ties
    got = dict(zip(zip(ties.a, ties.b, strict=True), ties.strength, strict=True))
    # totals: a 80, b 60, c 20 minutes; everyone active on one day, so frequency 1
    ab = math.sqrt(60 / (240 + 80) * 60 / (240 + 60))
    ac = math.sqrt(20 / (240 + 80) * 20 / (240 + 20))
    assert got[("a", "b")] == pytest.approx(p_close(ab))
    assert got[("a", "c")] == pytest.approx(p_close(ac))
    assert ties.properties is not None and ties.properties[0]["minutes"] == 60.0


def test_undirected_rows_count_in_full_whichever_way_they_are_written() -> None:
    rows = [("a", "b", "2024-01-01"), ("a", "b", "2024-01-02"), ("b", "a", "2024-01-03")]
    cols = ("source", "target", "timestamp")
    forward = frame([(*r, "meet") for r in rows], (*cols, "channel"))
    flipped = frame([(r[1], r[0], r[2], "meet") for r in rows], (*cols, "channel"))
    one_way = by_pair(forward)[("a", "b")]
    # directed, reference date 01-03, half-life 180: x_ab = 2^(-2/180) + 2^(-1/180),
    # x_ba = 1, r = 2 x_ba / (x_ab + x_ba), amount = (x_ab + x_ba) (1 + r) / 2
    x_ab, x_ba = 2 ** (-2 / 180) + 2 ** (-1 / 180), 1.0
    r = 2 * x_ba / (x_ab + x_ba)
    assert one_way.amount == pytest.approx((x_ab + x_ba) * (1 + r) / 2)
    und = by_pair(forward, undirected_channels=["meet"])[("a", "b")]
    assert und.amount == pytest.approx(x_ab + x_ba)  # all three count in full
    assert by_pair(flipped, undirected_channels=["meet"])[("a", "b")].amount == und.amount


def test_the_same_interaction_logged_twice_counts_once() -> None:
    cols = ("source", "target", "timestamp", "channel", "message_id")
    df = frame(
        [
            ("a", "b", "2024-01-01T10:00:00", "call", ""),
            ("a", "b", "2024-01-01T10:00:04", "call", ""),  # the other phone, 4 s later
            ("a", "b", "2024-01-01T10:05:00", "call", ""),  # another call
            ("a", "c", "2024-01-01T09:00:00", "email", "<m1>"),
            ("a", "c", "2024-01-01T09:03:00", "email", "<m1>"),  # c's copy, received later
            ("a", "d", "2024-01-01T09:00:00", "email", "<m1>"),  # same message, other pair
        ],
        cols,
    )
    derived = derive_strengths(df, now=NOW)
    assert derived.left_out == {"duplicate": 2}
    assert [p["interactions"] for p in derived.ties.properties or []] == [2, 1, 1]


def test_self_placeholder_and_future_rows_are_left_out_and_counted() -> None:
    df = frame(
        [
            ("a", "b", "2024-01-01"),
            ("0", "0", "2024-01-02"),  # voicemail
            ("a", "", "2024-01-02"),
            ("a", "Unknown", "2024-01-02"),
            (None, "b", "2024-01-02"),
            ("a", "b", "2099-01-01"),  # mistyped
        ]
    )
    derived = derive_strengths(df, now=NOW)
    assert derived.left_out == {"placeholder": 3, "self": 1, "future": 1}
    assert list(zip(derived.ties.a, derived.ties.b, strict=True)) == [("a", "b")]
    assert derived.as_of == datetime(2024, 1, 1, tzinfo=UTC)  # never the 2099 row


def test_a_future_row_does_not_change_the_strength() -> None:
    # issue 16, defect 7: 60 exchanges in 2024 and one row dated 2099
    rows = [
        (*("ab" if i % 2 else "ba"), f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:00") for i in range(60)
    ]
    base = derive_strengths(frame(rows), now=NOW).ties.strength
    typo = derive_strengths(frame([*rows, ("a", "b", "2099-03-01T00:00")]), now=NOW).ties.strength
    assert typo == pytest.approx(base)


def test_a_group_message_weighs_one_over_the_others_in_it() -> None:
    cols = ("source", "target", "timestamp", "group")
    df = frame(
        [("a", x, "2024-01-01", "g1") for x in "bcde"] + [("a", "f", "2024-01-01", "")], cols
    )
    got = by_pair(df)
    # g1 has 5 participants: each of its ties gets 1/4 of a one-to-one
    assert got[("a", "b")].amount == pytest.approx(got[("a", "f")].amount / 4)
    ties = derive_strengths(df, now=NOW).ties
    s = dict(zip(ties.b, ties.strength, strict=True))
    assert s["f"] > s["b"]


def test_recency_halves_per_half_life() -> None:
    df = frame([("a", "b", "2024-01-01"), ("a", "c", "2024-01-31")])
    got = by_pair(df, half_life_days=30)
    assert got[("a", "b")].amount == pytest.approx(got[("a", "c")].amount / 2)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 0.0, -5.0])
def test_a_half_life_that_is_not_a_finite_positive_number_is_refused(bad: float) -> None:
    with pytest.raises(UsageError, match="finite positive number of days"):
        derive_strengths(frame([("a", "b", "2024-01-01")]), half_life_days=bad)


def test_strength_is_a_probability_that_grows_with_the_share() -> None:
    df = frame([("a", "b", "2024-01-01")])
    s = derive_strengths(df, now=NOW).ties.strength
    # one untimed one-way row between two people with nobody else: amount 1 * (1 + 0)/2,
    # share 0.5 / (240 + 0.5)
    assert s[0] == pytest.approx(p_close(0.5 / 240.5))
    assert np.all((s > 0) & (s < 1))


def test_frequency_is_the_days_met_over_the_less_active_ones_days() -> None:
    # a is active on 01-01, 01-02 and 01-04 (ages 3, 2, 0 at the reference date 01-04),
    # b on 01-02, 01-03 and 01-04 (ages 2, 1, 0), c on 01-04 only. a-b met on 01-02 and
    # 01-04, a-c on 01-04. Half-life 30 days, w(age) = 2^(-age/30):
    # f_ab = (w(2) + w(0)) / min(w(3) + w(2) + w(0), w(2) + w(1) + w(0)), a's being the
    # smaller (the older day weighs less); f_ac = w(0) / min(.., w(0)) = 1
    df = frame(
        [
            ("a", "d", "2024-01-01T10:00"),
            ("a", "b", "2024-01-02T10:00"),
            ("b", "d", "2024-01-03T10:00"),
            ("a", "b", "2024-01-04T10:00"),
            ("a", "c", "2024-01-04T11:00"),
        ]
    )
    got = by_pair(df, half_life_days=30)

    def w(age: int) -> float:
        return 2 ** (-age / 30)

    assert got[("a", "b")].frequency == pytest.approx((w(2) + w(0)) / (w(3) + w(2) + w(0)))
    assert got[("a", "b")].days == 2
    assert got[("a", "c")].frequency == pytest.approx(1.0)
    ties = derive_strengths(df, half_life_days=30, now=NOW).ties
    s = dict(zip(zip(ties.a, ties.b, strict=True), ties.strength, strict=True))
    ab = got[("a", "b")]
    assert s[("a", "b")] == pytest.approx(p_close(ab.share, ab.frequency))


def test_a_day_met_only_in_a_group_counts_one_over_the_others() -> None:
    # a and b meet one to one on 01-01 and only in a meeting of 5 on 01-02: the group
    # day counts 1/4 (its rows' largest group weight), both are active on both days
    cols = ("source", "target", "timestamp", "group")
    df = frame(
        [("a", "b", "2024-01-01T10:00", "")]
        + [(x, y, "2024-01-02T10:00", "g") for x, y in ("ab", "ac", "ad", "ae")],
        cols,
    )
    ab = by_pair(df, half_life_days=1e9)[("a", "b")]
    assert ab.frequency == pytest.approx((1 + 1 / 4) / 2)


def parts_of(df: pd.DataFrame, **kw) -> pd.DataFrame:
    signals, _, ref = tie_signals(df, now=NOW, with_days=True, **kw)
    return signals.assign(as_of=ref)[list(PART_COLUMNS)]


def test_two_loads_combine_to_what_one_load_of_both_gives() -> None:
    # the combination's rule (combine_parts): bases decayed to the latest reference
    # date and summed, multiplexity over the union of channels, frequency over the union
    # of days; mail is directed, meetings are not, so the sum of the two loads' bases is
    # exactly the one-load amount, and the strengths must agree to rounding
    cols = ("source", "target", "timestamp", "channel", "group", "duration")
    mail = frame(
        [
            ("a", "b", "2024-01-02T09:00", "email", "m1", None),
            ("b", "a", "2024-01-03T09:00", "email", "m2", None),
            ("a", "c", "2024-01-03T10:00", "email", "m3", None),
            ("a", "d", "2024-01-03T10:00", "email", "m3", None),
        ],
        cols,
    )
    meetings = frame(
        [
            ("a", "b", "2024-01-05T09:00", "meeting", "e1", 3600.0),
            ("a", "c", "2024-01-05T09:00", "meeting", "e1", 3600.0),
            ("b", "c", "2024-01-05T09:00", "meeting", "e1", 3600.0),
            ("c", "e", "2024-01-08T09:00", "meeting", "e2", 1800.0),
        ],
        cols,
    )
    both = pd.concat([mail, meetings], ignore_index=True)
    one = derive_strengths(both, undirected_channels=["meeting"], now=NOW).ties
    parts = pd.concat(
        [parts_of(mail), parts_of(meetings, undirected_channels=["meeting"])], ignore_index=True
    )
    combined = combine_parts(parts)
    assert list(zip(combined["a"], combined["b"], strict=True)) == list(
        zip(one.a, one.b, strict=True)
    )
    assert combined["strength"].to_numpy() == pytest.approx(one.strength, rel=1e-12)
    assert combined["channels"].tolist()[0] == ["email", "meeting"]
    # the same load twice is not counted twice: the loader replaces a load's own part
    assert combine_parts(parts_of(mail))["strength"].to_numpy() == pytest.approx(
        derive_strengths(mail, now=NOW).ties.strength, rel=1e-12
    )


def test_a_message_in_two_loads_counts_once_as_in_one_load_of_both() -> None:
    # two mailboxes: m1 (a->b) and m2 (b->a) are in both, m3 only in the first, and a
    # message without an id (c->a) is in both, 4 s apart (DUPLICATE_SECONDS is 10). One
    # load of both (derive_strengths on the rows concatenated) counts each once; the two
    # parts combined must give the same strengths and counts
    cols = ("source", "target", "timestamp", "channel", "group", "message_id")
    first = frame(
        [
            ("a", "b", "2024-01-02T09:00:00", "email", "m1", "m1"),
            ("b", "a", "2024-01-03T09:00:00", "email", "m2", "m2"),
            ("a", "b", "2024-01-04T09:00:00", "email", "m3", "m3"),
            ("c", "a", "2024-01-05T09:00:00", "email", "x1", ""),
        ],
        cols,
    )
    second = frame(
        [
            ("a", "b", "2024-01-02T09:00:00", "email", "m1", "m1"),
            ("b", "a", "2024-01-03T09:00:00", "email", "m2", "m2"),
            ("c", "a", "2024-01-05T09:00:04", "email", "x2", ""),
            ("b", "d", "2024-01-06T09:00:00", "email", "m4", "m4"),
        ],
        cols,
    )
    one = derive_strengths(pd.concat([first, second], ignore_index=True), now=NOW).ties
    parts = pd.concat(
        [parts_of(first).assign(load="mail:a"), parts_of(second).assign(load="mail:b")],
        ignore_index=True,
    )
    combined = combine_parts(parts)
    assert list(zip(combined["a"], combined["b"], strict=True)) == list(
        zip(one.a, one.b, strict=True)
    )
    assert combined["strength"].to_numpy() == pytest.approx(one.strength, rel=1e-12)
    # by hand: a-b m1, m2, m3; a-c one message; b-d m4
    assert combined["n"].tolist() == [3, 1, 1]
    # a load given twice under two names still counts once
    twice = pd.concat([parts_of(first).assign(load="x"), parts_of(first).assign(load="y")])
    assert combine_parts(twice)["strength"].to_numpy() == pytest.approx(
        derive_strengths(first, now=NOW).ties.strength, rel=1e-12
    )


def test_a_part_keeps_the_latest_entries_of_a_busy_pair(monkeypatch) -> None:
    # the entries kept for de-duplication are bounded: the latest PART_ENTRIES per pair
    monkeypatch.setattr(interactions, "PART_ENTRIES", 2)
    cols = ("source", "target", "timestamp", "message_id")
    df = frame([("a", "b", f"2024-01-0{d}T09:00", f"m{d}") for d in (3, 1, 4, 2)], cols)
    (times,) = parts_of(df)["times"].tolist()
    assert times == [pd.Timestamp(f"2024-01-0{d}T09:00", tz="UTC").value // 1000 for d in (4, 3)]


def test_a_row_with_a_message_id_between_two_copies_does_not_hide_them() -> None:
    # the call at 10:00:00 and its copy 4 s later are one interaction even with an
    # e-mail (with a message id) on the same pair and channel between them
    cols = ("source", "target", "timestamp", "channel", "message_id")
    df = frame(
        [
            ("a", "b", "2024-01-01T10:00:00", "call", ""),
            ("a", "b", "2024-01-01T10:00:02", "call", "<x>"),
            ("a", "b", "2024-01-01T10:00:04", "call", ""),
        ],
        cols,
    )
    derived = derive_strengths(df, now=NOW)
    assert derived.left_out == {"duplicate": 1}
