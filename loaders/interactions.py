r"""Tie strength derived from an interaction history (metadata only).

A log has one row per interaction (an email, a meeting, a call, a message)::

    from,to,timestamp,channel,duration,group,message_id
    ann,bob,2024-03-01T09:30:00Z,email,,m-17,<abc@mail>
    bob,ann,2024-03-02,call,340,,

``from``, ``to`` and ``timestamp`` are required; the other columns are optional. Nothing
about the content is needed. Other loaders (mail, calendars) call
:func:`derive_strengths` with a :class:`pandas.DataFrame` of the same rows (columns
``source``, ``target``, ``timestamp`` ...), and :func:`load_interaction_frame` to write
the result.

The strength model (calibrated)
-------------------------------
A derived strength is **the estimated probability that the tie is a close one**: a
logistic model of the tie's interaction signals whose coefficients were fit on
SocioPatterns' high-school contacts with the students' friendship survey as truth
(close = either named the other a friend; Mastrandrea et al. 2015), and checked on a
held-out half of the pairs (``bench/bench_strength.py``). So a tie of strength 0.5 is,
on that calibration, as likely close as not, and :data:`STRONG_PROBABILITY` (0.5) is the
natural "strong" threshold. The signals follow Granovetter (1973) ("the amount of time,
the emotional intensity, the intimacy ... and the reciprocal services") as measured by
Marsden and Campbell (1984), who found time spent and closeness the best indicators, and
Gilbert and Karahalios (2009), who predicted strength from interaction records:

* **amount** ``x``: each interaction counts :math:`2^{-\Delta t / h} / (n_g - 1)`: its age
  :math:`\Delta t` in days at the reference date against the half-life ``h``, divided
  by the number of *other* people in its group :math:`n_g - 1` (a message to four
  people, or a meeting of five, says a quarter as much about each tie as a one-to-one;
  Newman 2001 weighs co-authorships the same way); the directed part of the amount is
  scaled by :math:`(1 + r)/2` with the reciprocity :math:`r = 2\min(w_{ab}, w_{ba})/w`
  (one-sided exchanges count half), while undirected interactions (face to face,
  meetings, calls logged by both ends) count in full for both people; and the whole by
  :math:`1 + (k - 1)/2` for ``k`` channels (multiplexity, Haythornthwaite 2002);
* **share** ``s``: :math:`\sqrt{s_{ab} s_{ba}}`, the pair's amount (rows with a
  ``duration`` count its minutes, others one minute) over each person's total plus a
  prior of :data:`SHARE_PRIOR_MINUTES` (:func:`_share`; Burt's 1992 proportional
  strength);
* **frequency** ``f``: the recency-weighted days the pair met over the less active
  one's weighted active days (:func:`_frequency`; Marsden and Campbell 1984);

.. math::

    p = \sigma\big(\beta_0 + \beta_s \ln s + \beta_f f\big)

with the coefficients :data:`COEFFICIENTS` (:func:`probability_from_signals`, the
formula's one home). :func:`combine_parts` re-derives the same from the raw signals of
several loads (mail and calendars, :mod:`loaders.frames`).

The reference date is ``as_of`` or else the latest interaction, never a date after the
time of the load: such rows are refused (or, in a frame, left out and counted).

A strength given explicitly in a ties file wins over this one (see
:func:`loaders.model.tie_properties`). Each load replaces the derived strength of the
pairs in its logs; give every log of the same history in one command.

:func:`derive_ties` keeps the earlier saturating model, :func:`strength_from_signals`,
as the benchmarks' "old model".

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*
78(6), 1360-1380. Marsden, P. V. and Campbell, K. E. (1984). Measuring tie strength.
*Social Forces* 63(2), 482-501. Gilbert, E. and Karahalios, K. (2009). Predicting tie
strength with social media. *Proc. CHI 2009*, 211-220. Haythornthwaite, C. (2002).
Strong, weak, and latent ties and the impact of new media. *The Information Society*
18(5), 385-401. Newman, M. E. J. (2001). Scientific collaboration networks. II.
*Physical Review E* 64, 016132. Mastrandrea, R., Fournet, J. and Barrat, A. (2015).
Contact patterns in a high school. *PLoS ONE* 10(9), e0136497.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerconnect.engine.db import Database
from powerconnect.engine.errors import UsageError
from powerconnect.loaders.model import (
    MAX_ID_BYTES,
    LoadSummary,
    People,
    Progress,
    Ties,
    canonical,
    oversize,
)
from powerconnect.loaders.tables import ProblemLog, read_table
from powerconnect.loaders.writer import DEFAULT_BATCH_SIZE, preparing, write_load

__all__ = [
    "DUPLICATE_SECONDS",
    "FLOOR",
    "FUTURE_TOLERANCE",
    "HALF_LIFE_DAYS",
    "PLACEHOLDERS",
    "SCALE",
    "STRONG_PROBABILITY",
    "COEFFICIENTS",
    "UNTIMED_MINUTES",
    "DerivedTies",
    "Interactions",
    "PART_COLUMNS",
    "PART_ENTRIES",
    "check_half_life",
    "combine_parts",
    "count_after",
    "derive_strengths",
    "derive_ties",
    "load_interaction_frame",
    "load_interactions",
    "parse_timestamps",
    "probability_from_signals",
    "read_interaction_frame",
    "read_interactions",
    "strength_from_signals",
    "tie_signals",
    "with_left_out",
]

#: Default half-life of an interaction's weight, in days (see loaders/README.md).
HALF_LIFE_DAYS = 180.0
#: Two rows of the same pair and channel (and direction, on a directed channel) at most
#: this many seconds apart are one interaction logged twice (both parties' logs).
DUPLICATE_SECONDS = 10.0
#: Timestamps later than the time of the load by more than this are refused.
FUTURE_TOLERANCE = timedelta(days=1)
#: Values of ``from``/``to`` that name nobody (compared stripped, in lower case).
PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "?",
        "nan",
        "none",
        "null",
        "n/a",
        "na",
        "unknown",
        "anonymous",
        "private",
        "private number",
        "withheld",
        "undisclosed-recipients",
        "undisclosed-recipients:;",
    }
)
#: The derived strength is P(close); a tie is strong when it is more likely close than not.
STRONG_PROBABILITY = 0.5
#: A row without a duration counts as this many minutes together.
UNTIMED_MINUTES = 1.0
#: Added to each person's total when taking a tie's share of it, so that one short
#: interaction with one person is not a whole life's worth.
SHARE_PRIOR_MINUTES = 240.0
#: (intercept, coefficient of ln(share), coefficient of the frequency): maximum likelihood
#: on the training half of the high-school contact episodes (``bench/bench_strength.py
#: --fit``, 2026-12-03; the frequency term chosen by cross-validation inside that half).
COEFFICIENTS = (3.88, 0.99, 1.04)

# The earlier saturating model (LinkedIn, and the benchmark's "old model").
SCALE = 10.0
FLOOR = 0.001
LOG_COLUMNS = ("from", "to", "timestamp")
OPTIONAL_COLUMNS = ("channel", "duration", "group", "message_id")
FRAME_COLUMNS = ("source", "target", "timestamp")


@dataclass(frozen=True)
class Interactions:
    """Interaction events: who to whom, when (UTC) and on which channel ("" if unknown)."""

    sender: np.ndarray  # object array of person ids
    recipient: np.ndarray
    timestamp: pd.DatetimeIndex  # tz-aware, UTC
    channel: np.ndarray  # object array of str
    has_channels: bool = True

    def __len__(self) -> int:
        return len(self.sender)


@dataclass
class DerivedTies:
    """What :func:`derive_strengths` returns: the ties and the rows it left out.

    ``left_out`` counts rows by reason: ``"self"`` (an interaction with oneself),
    ``"placeholder"`` (the other side empty or a placeholder such as ``unknown``),
    ``"duplicate"`` (the same interaction logged twice), ``"future"`` (later than the
    time of the load), ``"after_as_of"`` (later than ``as_of``).
    """

    ties: Ties
    left_out: dict[str, int] = field(default_factory=dict)
    #: the reference date used for recency (None when no row was left to use)
    as_of: datetime | None = None


def check_half_life(half_life_days: float) -> float:
    """The half-life, if it is a finite positive number of days; else :class:`UsageError`.

    >>> check_half_life(90)
    90.0
    >>> try:
    ...     check_half_life(float("nan"))
    ... except UsageError as refused:
    ...     print(refused)
    the half-life must be a finite positive number of days, not nan
    """
    value = float(half_life_days)
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"the half-life must be a finite positive number of days, not {value}")
    return value


def probability_from_signals(
    share: np.ndarray | float, frequency: np.ndarray | float = 0.0
) -> np.ndarray:
    r"""P(close) from a tie's share of its two people's interactions and its frequency.

    .. math:: p = \sigma(\beta_0 + \beta_s \ln s + \beta_f f)

    with :math:`(\beta_0, \beta_s, \beta_f)` = :data:`COEFFICIENTS`, the share ``s``
    (:func:`_share`) and the frequency ``f`` in [0, 1] (:func:`_frequency`). A share
    of 1% gives 0.36 when the pair met on one day in ten of the less active one's
    days, 0.59 when they met on all of them:

    >>> [round(float(p), 2) for p in probability_from_signals([0.001, 0.01, 0.01], [0.1, 0.1, 1])]
    [0.05, 0.36, 0.59]

    This function is the formula's one home: change it here and in
    :data:`COEFFICIENTS` (the Spark re-implementation follows this docstring).
    """
    b0, bs, bf = COEFFICIENTS
    sh = np.log(np.clip(np.atleast_1d(np.asarray(share, dtype=np.float64)), 1e-12, 1.0))
    f = np.atleast_1d(np.asarray(frequency, dtype=np.float64))
    return 1.0 / (1.0 + np.exp(-(b0 + bs * sh + bf * f)))


_DAY_US = 86_400_000_000  # microseconds in a day


def tie_signals(
    interactions: pd.DataFrame,
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    duplicate_seconds: float = DUPLICATE_SECONDS,
    with_days: bool = False,
) -> tuple[pd.DataFrame, dict[str, int], pd.Timestamp | None]:
    r"""The model's signals per pair (see :func:`derive_strengths` for the frame).

    Returns ``(signals, left_out, reference date)``; ``signals`` has one row per pair
    ``a < b`` (sorted) with ``amount`` (weighted minutes, module doc), ``share``
    (:math:`\sqrt{s_{ab} s_{ba}}`), ``frequency`` (weighted days met over the less
    active one's weighted active days), ``days`` (days met), ``reciprocity``, ``n``
    (interactions after de-duplication), ``last`` (UTC), ``k`` (channels),
    ``channels`` (sorted list), ``minutes`` (weighted minutes of the rows with a
    duration) and ``timed`` (how many rows had one). ``with_days`` adds the raw signals
    that :func:`combine_parts` re-derives strengths from: ``amounts`` (``[undirected,
    a to b, b to a]``, the amount before reciprocity and multiplexity), ``day_list`` (the
    days met, as days since 1970-01-01 UTC), ``day_weights`` (each day's group weight)
    and the pair's latest :data:`PART_ENTRIES` interactions, to recognise them in another
    load: ``keys`` (a hash of the message id, 0 without one), ``times`` (microseconds
    since 1970, UTC), ``kinds`` (0 undirected, 1 a to b, 2 b to a, plus 3 times the
    channel's index in ``channels``) and ``values`` (minutes times group weight, before
    the decay).
    """
    half_life = check_half_life(half_life_days)
    missing = [c for c in FRAME_COLUMNS if c not in interactions.columns]
    if missing:
        raise UsageError(f"an interaction frame needs the columns {missing}")
    left_out: dict[str, int] = {}
    n = len(interactions)
    src, dst, people, nobody = _people(interactions["source"], interactions["target"])
    ts = pd.DatetimeIndex(pd.to_datetime(interactions["timestamp"], utc=True)).as_unit("us")
    chan, chan_names = _codes(interactions, "channel", n)
    duration = (
        pd.to_numeric(interactions["duration"], errors="coerce").to_numpy(dtype=np.float64)
        if "duration" in interactions.columns
        else np.full(n, np.nan)
    )

    keep = np.ones(n, dtype=bool)

    def drop(mask: np.ndarray, reason: str) -> None:
        hit = mask & keep
        left_out[reason] = left_out.get(reason, 0) + int(hit.sum())
        keep[hit] = False

    drop(nobody[src] | nobody[dst], "placeholder")
    drop(src == dst, "self")
    drop(np.asarray(ts.isna()), "no_timestamp")
    limit = _in_utc(pd.Timestamp(now if now is not None else datetime.now(UTC)))
    t_all = ts.asi8
    drop(t_all > (limit + FUTURE_TOLERANCE).value // 1000, "future")
    ref: pd.Timestamp | None = None
    if keep.any():
        ref = _in_utc(pd.Timestamp(as_of)) if as_of is not None else ts[keep].max()
        drop(t_all > ref.value // 1000, "after_as_of")
    left_out = {k: v for k, v in left_out.items() if v}
    if not keep.any() or ref is None:
        return _NO_SIGNALS.copy(), left_out, ref

    rows = np.flatnonzero(keep)
    s, d = src[rows], dst[rows]
    ia, ib = np.minimum(s, d), np.maximum(s, d)  # codes follow the ids' string order
    forward = s <= d
    c = chan[rows]
    und_names = set(undirected_channels)
    undirected = np.array([name in und_names for name in chan_names], dtype=bool)[c]
    t = t_all[rows]
    pair = ia * len(people) + ib
    groups = _group_weight(interactions, rows, s, d)
    message_codes, message_names = _codes(interactions, "message_id", n)
    message = message_codes[rows] if "message_id" in interactions else None

    # one sort by (pair, channel, direction, time) serves de-duplication and grouping
    direction = np.where(undirected, 2, forward.astype(np.int64))
    has_id = message > 0 if message is not None else np.zeros(len(rows), dtype=bool)
    # rows with a message id after those without, so that the latter stay adjacent
    code = ((pair * max(len(chan_names), 1) + c) * 3 + direction) * 2 + has_id
    order = _order(code, t)
    code, t = code[order], t[order]
    dup = np.zeros(len(rows), dtype=bool)
    by_id = has_id[order]
    if message is not None:
        m_sorted = message[order]
        if by_id.any():
            ids = pd.DataFrame({"m": m_sorted[by_id], "p": pair[order][by_id]})
            dup[by_id] = ids.duplicated().to_numpy()
    same = np.concatenate([[False], (code[1:] == code[:-1]) & ~by_id[1:] & ~by_id[:-1]])
    gap_ok = np.concatenate([[False], np.diff(t) <= duplicate_seconds * 1e6])
    dup |= same & gap_ok & ~by_id
    if dup.any():
        left_out["duplicate"] = int(dup.sum())
    order = order[~dup]
    t = t[~dup]
    pair = pair[order]
    ia, ib, c, forward, undirected = (
        ia[order],
        ib[order],
        c[order],
        forward[order],
        undirected[order],
    )

    age_days = (ref.value // 1000 - t) / 86400e6
    weight = np.exp2(-age_days / half_life) * groups[order]
    dur = duration[rows][order]
    timed = ~np.isnan(dur)
    amount = weight * np.where(timed, np.nan_to_num(dur) / 60.0, UNTIMED_MINUTES)

    starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
    pa, pb = ia[starts], ib[starts]

    def per_pair(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts) if len(values) else values

    x_und = per_pair(np.where(undirected, amount, 0.0))
    x_ab = per_pair(np.where(~undirected & forward, amount, 0.0))
    x_ba = per_pair(np.where(~undirected & ~forward, amount, 0.0))
    minutes = per_pair(np.where(timed, amount, 0.0))
    timed_n = per_pair(timed.astype(np.int64))
    count = np.diff(np.append(starts, len(pair)))
    last = np.maximum.reduceat(t, starts)
    channels, k = _channel_lists(c, starts, chan_names)
    x, r = _pair_amount(x_und, x_ab, x_ba, k)
    total = np.bincount(pa, x, len(people)) + np.bincount(pb, x, len(people))
    pair_index = np.cumsum(np.concatenate([[False], pair[1:] != pair[:-1]]))
    met, days, (pd_pair, pd_day, pd_g) = _frequency(
        pair_index, pa, pb, t, groups[order], ref, half_life, len(people)
    )
    signals = pd.DataFrame(
        {
            "a": people[pa],
            "b": people[pb],
            "amount": x,
            "share": _share(x, total[pa], total[pb]),
            "frequency": met,
            "days": days,
            "reciprocity": r,
            "n": count,
            "last": pd.to_datetime(last, unit="us", utc=True),
            "k": k.astype(np.int64),
            "channels": channels,
            "minutes": minutes,
            "timed": timed_n,
        }
    )
    if with_days:  # what a later load needs to combine this one with others (frames.py)
        signals["amounts"] = np.stack([x_und, x_ab, x_ba], axis=1).tolist()
        signals["day_list"] = _per_pair_lists(pd_pair, pd_day, len(pa))
        signals["day_weights"] = _per_pair_lists(pd_pair, pd_g, len(pa))
        new_channel = np.concatenate([[True], (pair[1:] != pair[:-1]) | (c[1:] != c[:-1])])
        channel_rank = np.cumsum(new_channel) - 1
        channel_index = channel_rank - channel_rank[starts][pair_index]
        kind = np.where(undirected, 0, np.where(forward, 1, 2)) + 3 * channel_index
        keys = (
            _message_keys(message_names)[message[order]]
            if message is not None
            else np.zeros(len(t), dtype=np.int64)
        )
        values = groups[order] * np.where(timed, np.nan_to_num(dur) / 60.0, UNTIMED_MINUTES)
        entries = _entries(pair_index, len(pa), keys=keys, times=t, kinds=kind, values=values)
        for name, lists in entries.items():
            signals[name] = lists
    return signals, left_out, ref


#: The interactions of a pair that one load keeps for de-duplication across loads (the
#: latest ones; older copies of one message in two loads of a busy pair count twice).
PART_ENTRIES = 1000


def _message_keys(names: list[str]) -> np.ndarray:
    """A 63-bit hash of each message id (0 for "", no id): what a part keeps to
    recognise the same message in another load."""
    keys = [
        int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest()) >> 1 or 1
        if name
        else 0
        for name in names
    ]
    return np.array(keys, dtype=np.int64)


def _entries(
    pair_index: np.ndarray, pairs: int, *, times: np.ndarray, **columns: np.ndarray
) -> dict[str, list[list[Any]]]:
    """Each pair's latest :data:`PART_ENTRIES` rows (``pair_index`` numbers the rows'
    pairs 0..), as one list per pair and column: ``times`` and ``columns``."""
    order = np.lexsort((-times, pair_index))
    index = pair_index[order]
    first = np.searchsorted(index, index)
    kept = order[np.arange(len(order)) - first < PART_ENTRIES]
    index = pair_index[kept]
    out = {"times": _per_pair_lists(index, times[kept], pairs)}
    for name, values in columns.items():
        out[name] = _per_pair_lists(index, values[kept], pairs)
    return out


_NO_SIGNALS = pd.DataFrame(
    columns=[
        "a",
        "b",
        "amount",
        "share",
        "frequency",
        "days",
        "reciprocity",
        "n",
        "last",
        "k",
        "channels",
        "minutes",
        "timed",
    ]
)


def _pair_amount(
    x_und: np.ndarray, x_ab: np.ndarray, x_ba: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A pair's amount ``x`` and reciprocity ``r`` from its undirected amount and its
    amounts each way (module doc): undirected in full, directed times ``(1 + r)/2`` with
    ``r = 2 min(x_ab, x_ba) / (x_ab + x_ba)`` (1 without directed amounts), all times
    ``1 + (k - 1)/2`` for ``k`` channels (Haythornthwaite 2002).

    >>> x, r = _pair_amount(np.array([0.0]), np.array([3.0]), np.array([1.0]), np.array([2.0]))
    >>> x.tolist(), r.tolist()
    ([4.5], [0.5])
    """
    x_dir = x_ab + x_ba
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(x_dir > 0, 2.0 * np.minimum(x_ab, x_ba) / x_dir, 1.0)
    return (x_und + x_dir * (1.0 + r) / 2.0) * (1.0 + (k - 1.0) / 2.0), r


def _share(x: np.ndarray, total_a: np.ndarray, total_b: np.ndarray) -> np.ndarray:
    r""":math:`\sqrt{s_{ab} s_{ba}}`, :math:`s_{ab} = x_{ab} / (x_0 + X_a)`, :math:`X_a` the
    sum of a's amounts: the tie's share of each person's interactions (Burt's 1992
    proportional tie strength), with the prior :math:`x_0` = :data:`SHARE_PRIOR_MINUTES`.
    Here a spends 300 minutes with b and 100 with c (b and c nobody else):
    :math:`\sqrt{300/640 \cdot 300/540}` and :math:`\sqrt{100/640 \cdot 100/340}`:

    >>> ab_ac = _share(np.array([300.0, 100.0]), np.array([400.0, 400.0]), np.array([300.0, 100.0]))
    >>> [round(float(x), 3) for x in ab_ac]
    [0.51, 0.214]
    """
    return np.sqrt(x / (total_a + SHARE_PRIOR_MINUTES) * x / (total_b + SHARE_PRIOR_MINUTES))


def _frequency(
    pair_index: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    t: np.ndarray,
    group: np.ndarray,
    ref: pd.Timestamp,
    half_life: float,
    people: int,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    r"""(frequency, days met, (pair, day, g) of each day a pair met): how regularly
    the pair met (Marsden and Campbell 1984: frequency of contact beside its duration).

    .. math:: f_{ab} = \frac{\sum_{d \in D_{ab}} w_d\, g_{ab}(d)}
                            {\min(\sum_{d \in D_a} w_d, \sum_{d \in D_b} w_d)}

    :math:`D_{ab}` the (UTC) days the pair interacted, :math:`D_a` the days a
    interacted with anyone, :math:`w_d = 2^{-\Delta d / h}` the day's recency weight and
    :math:`g_{ab}(d)` the largest group weight of the pair's rows that day (1 for a
    one-to-one, ``1/(n - 1)`` when they only met in a group of ``n``). Rows are sorted
    by pair; ``pair_index`` numbers the pairs 0.. and ``pa``, ``pb`` are each pair's
    people. Here a met b on both of a's two days and c on one of them:

    >>> t = np.array([0, 1, 0]) * _DAY_US
    >>> f, days, _ = _frequency(np.array([0, 0, 1]), np.array([0, 0]), np.array([1, 2]), t,
    ...     np.ones(3), pd.Timestamp(_DAY_US * 1000, tz="UTC"), 1e9, 3)
    >>> [round(float(x), 3) for x in f], days.tolist()
    ([1.0, 1.0], [2, 1])

    (c was active on one day only, and met a on it.)
    """
    day = t // _DAY_US
    first, span = int(day.min()), int(day.max() - day.min()) + 1
    key = pair_index * span + (day - first)
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    starts = np.flatnonzero(np.concatenate([[True], key_sorted[1:] != key_sorted[:-1]]))
    pd_key = key_sorted[starts]
    pd_pair, pd_day = pd_key // span, pd_key % span
    g = np.maximum.reduceat(group[order], starts)
    ref_day = ref.value // 1000 // _DAY_US - first
    w = np.exp2(-(ref_day - pd_day) / half_life)
    npairs = len(pa)
    met = np.bincount(pd_pair, w * g, npairs)
    days = np.bincount(pd_pair, minlength=npairs)
    person_day = np.unique(np.concatenate([pa[pd_pair], pb[pd_pair]]) * span + np.tile(pd_day, 2))
    active = np.bincount(
        person_day // span, np.exp2(-(ref_day - person_day % span) / half_life), people
    )
    return met / np.minimum(active[pa], active[pb]), days, (pd_pair, pd_day + first, g)


def _per_pair_lists(index: np.ndarray, values: np.ndarray, pairs: int) -> list[list[Any]]:
    """``values`` grouped by their (sorted) pair ``index`` into one list per pair."""
    bounds = np.searchsorted(index, np.arange(1, pairs))
    return [part.tolist() for part in np.split(values, bounds)]


def derive_strengths(
    interactions: pd.DataFrame,
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    duplicate_seconds: float = DUPLICATE_SECONDS,
    source: str = "interactions",
) -> DerivedTies:
    """One tie per pair of people who interacted, with strength = P(close) (module doc).

    ``interactions`` has one row per interaction and the columns

    * ``source``, ``target``: person ids (str). Rows with oneself, or whose other side is
      empty, NaN or a :data:`PLACEHOLDERS` value, are left out and counted;
    * ``timestamp``: when (datetime64, UTC; naive values are taken as UTC);
    * ``channel`` (optional, str): ``email``, ``meeting``, ... Rows on a channel named in
      ``undirected_channels`` have no direction: they count for both people and never
      as one-sided (face to face, meetings, calls logged by both ends);
    * ``duration`` (optional, float seconds, NaN where unknown): a row counts its minutes;
      a row without a duration counts :data:`UNTIMED_MINUTES`;
    * ``group`` (optional, str, "" where none): a shared message, meeting or
      conversation id. A group with ``n`` participants (all the people its rows name)
      weighs ``1/(n - 1)`` per tie;
    * ``message_id`` (optional, str, "" where none): rows of the same pair with the same
      message id are one interaction. Without one, rows of the same pair, channel (and
      direction, on a directed channel) at most ``duplicate_seconds`` apart are one.

    ``as_of`` (default: the latest interaction) is the reference date for recency;
    later rows are left out. Rows later than ``now`` (default: the clock) by more than
    :data:`FUTURE_TOLERANCE` are left out and counted, and never set the reference
    date. Each tie carries ``interactions`` (count after de-duplication),
    ``last_interaction`` (UTC), ``channels`` (when the frame has a channel column) and
    ``minutes`` (weighted minutes, when the pair's rows have durations).

    >>> frame = pd.DataFrame({"source": ["ann", "ann", "bob"], "target": ["bob", "bob", "bob"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02"], utc=True)})
    >>> derived = derive_strengths(frame)
    >>> derived.left_out, len(derived.ties)
    ({'self': 1, 'duplicate': 1}, 1)
    """
    signals, left_out, ref = tie_signals(
        interactions,
        undirected_channels=undirected_channels,
        half_life_days=half_life_days,
        as_of=as_of,
        now=now,
        duplicate_seconds=duplicate_seconds,
    )
    if len(signals) == 0 or ref is None:
        return DerivedTies(Ties.empty(source), left_out, None if ref is None else _utc(ref))
    strength = np.clip(
        probability_from_signals(signals["share"].to_numpy(), signals["frequency"].to_numpy()),
        FLOOR,
        1.0,
    )
    lasts = signals["last"].dt.tz_localize(None).to_numpy().astype("datetime64[us]").astype(object)
    has_channel = "channel" in interactions.columns
    props: list[dict[str, Any]] = []
    for n, last, channels, timed, minutes in zip(
        signals["n"].tolist(),
        lasts.tolist(),
        signals["channels"].tolist(),
        signals["timed"].tolist(),
        signals["minutes"].tolist(),
        strict=True,
    ):
        p: dict[str, Any] = {"interactions": int(n), "last_interaction": last.replace(tzinfo=UTC)}
        if has_channel:
            p["channels"] = channels
        if timed:
            p["minutes"] = round(float(minutes), 1)
        props.append(p)
    ties = Ties(
        signals["a"].to_numpy(dtype=object),
        signals["b"].to_numpy(dtype=object),
        strength.astype(np.float64),
        source,
        props,
    )
    return DerivedTies(ties, left_out, _utc(ref))


#: The columns of :func:`combine_parts`'s input: one row per pair and load.
PART_COLUMNS = (
    "a",
    "b",
    "amounts",
    "as_of",
    "channels",
    "day_list",
    "day_weights",
    "n",
    "last",
    "keys",
    "times",
    "kinds",
    "values",
)


def combine_parts(parts: pd.DataFrame, *, half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    r"""P(close) of each pair from the raw signals of several loads (mailboxes, calendars).

    ``parts`` has one row per pair ``a < b`` and load, with :data:`PART_COLUMNS`
    (:func:`tie_signals` with ``with_days``) and optionally ``load`` (the part's name):
    ``amounts`` (undirected, a to b, b to a, decayed to that load's reference date
    ``as_of``), ``channels``, ``day_list`` / ``day_weights`` (days met since
    1970-01-01 UTC, and each day's group weight), ``n``, ``last`` and the entries
    ``keys`` / ``times`` / ``kinds`` / ``values`` of the pair's latest interactions. The
    loads add up as one log of all of them would:

    * at the latest ``as_of`` :math:`T`, each amount decays by
      :math:`2^{-(T - as\_of)/h}` (exact, for an exponential decay) and the pair's
      amounts are summed per direction, then weighed by the reciprocity of the sums and
      :math:`1 + (k - 1)/2` for the union of its ``k`` channels;
    * **an interaction in two loads counts once** (the same message in two mailboxes):
      an entry with the same message key as an entry of an earlier load of the pair (in
      ``load`` order), or, without a key, of the same channel and direction at most
      :data:`DUPLICATE_SECONDS` from one, is taken off its load's amount and count
      (:func:`_cross_load_duplicates`);
    * the frequency is taken over the union of the days (a day met in two loads counts
      once, with its larger group weight).

    So one load alone gives :func:`derive_strengths`'s strengths, and loading the same
    data again (its part replaced) changes nothing.

    Returns one row per pair: ``a``, ``b``, ``strength``, ``n`` (sum, less the
    duplicates), ``last`` (latest), ``channels`` (union, sorted).

    >>> day = pd.Timestamp("2024-03-01", tz="UTC")
    >>> t = int(day.value // 1000)
    >>> mail = ("a", "b", [0, 1, 0], day, ["email"], [19783], [1.0], 1, day, [7], [t], [1], [1])
    >>> meeting = ("a", "b", [60, 0, 0], day, ["meeting"], [19783], [1.0], 1, day, [9], [t],
    ...     [0], [60])
    >>> both = combine_parts(pd.DataFrame([mail, meeting, mail], columns=PART_COLUMNS))
    >>> both[["a", "b", "n"]].values.tolist(), both["channels"][0]
    ([['a', 'b', 2]], ['email', 'meeting'])

    (The mail part given twice: its message, key 7, counts once.)
    """
    half_life = check_half_life(half_life_days)
    if len(parts) == 0:
        return pd.DataFrame(columns=["a", "b", "strength", "n", "last", "channels"])
    if "load" in parts.columns:  # which load keeps a duplicate: the first by name
        parts = parts.sort_values("load", kind="stable").reset_index(drop=True)
    as_of = pd.DatetimeIndex(pd.to_datetime(parts["as_of"], utc=True)).as_unit("us").asi8
    ref = int(as_of.max())
    src, dst, people, _ = _people(parts["a"].astype(str), parts["b"].astype(str))
    ia, ib = np.minimum(src, dst), np.maximum(src, dst)
    pair, inverse = np.unique(ia * len(people) + ib, return_inverse=True)
    pa, pb = pair // len(people), pair % len(people)
    npairs = len(pair)
    decay = np.exp2(-(ref - as_of) / 86400e6 / half_life)
    amounts = np.array(parts["amounts"].tolist(), dtype=np.float64).reshape(-1, 3)
    amounts *= decay[:, None]
    counts = parts["n"].to_numpy(dtype=np.float64)
    less, fewer = _cross_load_duplicates(parts, inverse, ref, half_life)
    amounts = np.maximum(amounts - less, 0.0)
    x_und, x_ab, x_ba = (np.bincount(inverse, amounts[:, i], npairs) for i in range(3))
    union: list[set[str]] = [set() for _ in range(npairs)]
    for i, chans in zip(inverse.tolist(), parts["channels"].tolist(), strict=True):
        union[i].update(chans)
    channels = [sorted(c) for c in union]
    k = np.array([max(len(c), 1) for c in channels], dtype=np.float64)
    x, _ = _pair_amount(x_und, x_ab, x_ba, k)
    total = np.bincount(pa, x, len(people)) + np.bincount(pb, x, len(people))
    lengths = parts["day_list"].map(len).to_numpy()
    day_pair = np.repeat(inverse, lengths)
    days = np.fromiter(itertools.chain.from_iterable(parts["day_list"]), dtype=np.int64)
    weights = np.fromiter(itertools.chain.from_iterable(parts["day_weights"]), dtype=np.float64)
    if len(days):
        frequency, _, _ = _frequency(
            day_pair,
            pa,
            pb,
            days.astype(np.int64) * _DAY_US,
            weights,
            pd.Timestamp(ref, unit="us", tz="UTC"),
            half_life,
            len(people),
        )
    else:
        frequency = np.zeros(npairs)
    strength = np.clip(
        probability_from_signals(_share(x, total[pa], total[pb]), frequency), FLOOR, 1.0
    )
    last = pd.DatetimeIndex(pd.to_datetime(parts["last"], utc=True)).as_unit("us").asi8
    latest = np.full(npairs, np.iinfo(np.int64).min)
    np.maximum.at(latest, inverse, last)
    return pd.DataFrame(
        {
            "a": people[pa],
            "b": people[pb],
            "strength": strength,
            "n": np.bincount(inverse, counts - fewer, npairs).astype(np.int64),
            "last": pd.to_datetime(latest, unit="us", utc=True),
            "channels": channels,
        }
    )


def _cross_load_duplicates(
    parts: pd.DataFrame, inverse: np.ndarray, ref: int, half_life: float
) -> tuple[np.ndarray, np.ndarray]:
    """What each part (row of ``parts``, pair ``inverse``) counts that an earlier part of
    the same pair counts already (:func:`combine_parts`): its amounts ``[undirected, a to
    b, b to a]`` at the reference date ``ref`` (microseconds) and its number of
    interactions. Parts without entries (written before they were kept) match nothing."""
    less = np.zeros((len(parts), 3))
    fewer = np.zeros(len(parts))
    if not {"keys", "times", "kinds", "values"} <= set(parts.columns):
        return less, fewer
    shared = np.bincount(inverse)[inverse] > 1
    window = DUPLICATE_SECONDS * 1e6
    columns = [parts[c].tolist() for c in ("keys", "times", "kinds", "values", "channels")]
    seen_keys: dict[int, set[int]] = {}
    seen_times: dict[int, dict[tuple[str, int], list[int]]] = {}
    for row in np.flatnonzero(shared).tolist():
        keys, times, kinds, values, channels = (column[row] for column in columns)
        if not isinstance(keys, list) or not keys:
            continue
        pair = int(inverse[row])
        by_key = seen_keys.setdefault(pair, set())
        by_time = seen_times.setdefault(pair, {})
        new_keys: list[int] = []
        new_times: list[tuple[tuple[str, int], int]] = []
        for key, when, code, value in zip(keys, times, kinds, values, strict=True):
            kind = int(code)  # Neo4j may give a one-item list of ints back as floats
            direction = kind % 3
            channel = channels[kind // 3] if kind // 3 < len(channels) else ""
            if key:
                duplicate = key in by_key
                new_keys.append(key)
            else:
                near = by_time.get((channel, direction), ())
                duplicate = any(abs(when - other) <= window for other in near)
                new_times.append(((channel, direction), when))
            if duplicate:
                less[row, direction] += value * 2.0 ** (-(ref - when) / 86400e6 / half_life)
                fewer[row] += 1
        by_key.update(new_keys)
        for slot, when in new_times:
            by_time.setdefault(slot, []).append(when)
    return less, fewer


def _people(
    source: pd.Series, target: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(source codes, target codes, people, nobody): each id stripped ("" where missing)
    and coded by its rank in string order, so that comparing codes compares ids;
    ``nobody[code]`` is true for "" and the :data:`PLACEHOLDERS` (any case)."""
    n = len(source)
    codes, uniques = pd.factorize(pd.concat([source, target], ignore_index=True))
    names = [u.strip() if isinstance(u, str) else str(u).strip() for u in uniques]
    names.append("")  # code -1: a missing value
    people = np.array(sorted(set(names)), dtype=object)
    rank = {name: i for i, name in enumerate(people)}
    code = np.array([rank[name] for name in names], dtype=np.int64)[codes]
    nobody = np.array([p.lower() in PLACEHOLDERS for p in people], dtype=bool)
    return code[:n], code[n:], people, nobody


def _codes(frame: pd.DataFrame, name: str, n: int) -> tuple[np.ndarray, list[str]]:
    """A text column as codes into its sorted distinct values, stripped; code 0 is ""
    (missing or empty, also when the column is absent)."""
    if name not in frame.columns:
        return np.zeros(n, dtype=np.int64), [""]
    codes, uniques = pd.factorize(frame[name])
    raw = [u.strip() if isinstance(u, str) else str(u).strip() for u in uniques]
    raw.append("")
    names = ["", *sorted(set(raw) - {""})]
    rank = {value: i for i, value in enumerate(names)}
    return np.array([rank[value] for value in raw], dtype=np.int64)[codes], names


def _group_weight(
    frame: pd.DataFrame, rows: np.ndarray, s: np.ndarray, d: np.ndarray
) -> np.ndarray:
    """``1/(n - 1)`` for a row of a group of ``n`` participants (all the people its
    rows name); 1 without a group. ``rows`` are the frame's rows kept, ``s``, ``d``
    their people's codes."""
    weight = np.ones(len(rows))
    if "group" not in frame.columns:
        return weight
    g = _codes(frame, "group", len(frame))[0][rows]
    grouped = g > 0
    if grouped.any():
        width = int(max(s.max(), d.max())) + 1
        gg = g[grouped]
        members = np.unique(np.concatenate([gg * width + s[grouped], gg * width + d[grouped]]))
        size = np.bincount(members // width, minlength=int(g.max()) + 1)
        weight[grouped] = 1.0 / np.maximum(size[gg] - 1.0, 1.0)
    return weight


def _order(code: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The order that sorts rows by ``code`` then ``t`` (one integer sort when the
    combined key fits in 64 bits, else :func:`numpy.lexsort`)."""
    n = len(code)
    if n and (int(code.max()) + 1) * n < 2**62:
        rank = np.empty(n, dtype=np.int64)
        rank[np.argsort(t, kind="stable")] = np.arange(n)
        return np.argsort(code * n + rank)
    return np.lexsort((t, code))


def _channel_lists(
    c: np.ndarray, starts: np.ndarray, names: list[str]
) -> tuple[list[list[str]], np.ndarray]:
    """Each pair's channels (sorted names) and their number, from the rows' channel
    codes ``c`` (rows sorted by pair, each pair starting at ``starts``)."""
    if len(names) <= 62:
        mask = np.bitwise_or.reduceat(np.left_shift(np.int64(1), c), starts)
        distinct, inverse = np.unique(mask, return_inverse=True)
        lists = [[nm for i, nm in enumerate(names) if m >> i & 1] for m in distinct.tolist()]
    else:
        pair = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(c))))
        combos = np.unique(pair * len(names) + c)
        split = np.flatnonzero(np.diff(combos // len(names), prepend=-1))[1:]
        per = [[names[i] for i in part] for part in np.split(combos % len(names), split)]
        distinct_lists: dict[tuple[str, ...], int] = {}
        inverse = np.array([distinct_lists.setdefault(tuple(p), len(distinct_lists)) for p in per])
        lists = [list(p) for p in distinct_lists]
    k = np.array([len(x) for x in lists], dtype=np.float64)[inverse]
    return [list(lists[i]) for i in inverse.tolist()], k


# ------------------------------------------------------------------------ the earlier model
def strength_from_signals(
    w_ab: np.ndarray | float,
    w_ba: np.ndarray | float,
    channels: np.ndarray | int,
    *,
    scale: float = SCALE,
    base: float = 0.0,
) -> np.ndarray:
    """The earlier saturating strength in (0, 1] (the benchmarks' "old model").

    .. math:: x = w \\frac{1 + r}{2} \\big(1 + \\frac{k - 1}{2}\\big), \\quad
              s = \\max(\\epsilon, 1 - (1 - s_0) e^{-x/x_0})

    with :math:`w = w_{ab} + w_{ba}`, :math:`r = 2\\min(w_{ab}, w_{ba})/w`.

    >>> s = strength_from_signals([1, 5, 15, 0], [0, 5, 15, 0], [1, 1, 2, 1])
    >>> [round(float(x), 3) for x in s]
    [0.049, 0.632, 0.989, 0.001]
    >>> round(float(strength_from_signals(0, 0, 1, base=0.1)[0]), 3)  # no interactions: the base
    0.1
    """
    w_ab = np.atleast_1d(np.asarray(w_ab, dtype=np.float64))
    w_ba = np.atleast_1d(np.asarray(w_ba, dtype=np.float64))
    k = np.atleast_1d(np.asarray(channels, dtype=np.float64))
    w = w_ab + w_ba
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(w > 0, 2.0 * np.minimum(w_ab, w_ba) / w, 0.0)
    x = w * (1.0 + r) / 2.0 * (1.0 + (np.maximum(k, 1.0) - 1.0) / 2.0)
    s = 1.0 - (1.0 - base) * np.exp(-x / scale)
    return np.clip(s, max(FLOOR, base), 1.0)


def count_after(timestamps: pd.DatetimeIndex, as_of: datetime | None) -> int:
    """How many of ``timestamps`` (UTC) fall after ``as_of`` (so that the model ignores
    them); 0 without ``as_of``. A naive ``as_of`` is taken as UTC.

    >>> ts = pd.DatetimeIndex(["2024-01-01", "2024-06-01"], tz="UTC")
    >>> count_after(ts, datetime(2024, 3, 1)), count_after(ts, None)
    (1, 0)
    """
    if as_of is None or len(timestamps) == 0:
        return 0
    return int((timestamps > _in_utc(pd.Timestamp(as_of))).sum())


def _in_utc(when: pd.Timestamp) -> pd.Timestamp:
    """``when`` in UTC; a naive one is taken as UTC already."""
    return when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")


def derive_ties(
    events: Interactions,
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    base: float = 0.0,
    source: str = "interactions",
) -> Ties:
    """One tie per pair with the earlier saturating strength (:func:`strength_from_signals`).

    The benchmarks' "old model". Each tie also carries ``interactions``,
    ``last_interaction`` (UTC) and, when the events name channels, ``channels``.
    """
    check_half_life(half_life_days)
    if len(events) == 0:
        return Ties.empty(source)
    ts = events.timestamp
    ref = _in_utc(pd.Timestamp(as_of) if as_of is not None else ts.max())
    keep = np.asarray(ts <= ref)
    if not keep.any():
        return Ties.empty(source)
    sender = events.sender[keep]
    recipient = events.recipient[keep]
    ts = ts[keep]
    a, b = canonical(sender, recipient)
    age_days = np.asarray((ref - ts).total_seconds(), dtype=np.float64) / 86400.0
    w = np.exp2(-age_days / half_life_days)
    forward = sender == a
    df = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "w_ab": np.where(forward, w, 0.0),
            "w_ba": np.where(forward, 0.0, w),
            "t": ts,
            "channel": events.channel[keep],
        }
    )
    g = df.groupby(["a", "b"], sort=True)
    agg = g.agg(
        w_ab=("w_ab", "sum"),
        w_ba=("w_ba", "sum"),
        n=("t", "size"),
        last=("t", "max"),
        k=("channel", "nunique"),
    )
    strength = strength_from_signals(
        agg["w_ab"].to_numpy(), agg["w_ba"].to_numpy(), agg["k"].to_numpy(), base=base
    )
    channels: list[list[str]] | None = None
    if events.has_channels:
        channels = [sorted(set(c)) for c in g["channel"].agg(list).tolist()]
    pairs = agg.index.to_frame(index=False)
    props: list[dict[str, Any]] = []
    for i, (n, last) in enumerate(zip(agg["n"].tolist(), agg["last"].tolist(), strict=True)):
        p: dict[str, Any] = {"interactions": int(n), "last_interaction": _utc(last)}
        if channels is not None:
            p["channels"] = channels[i]
        props.append(p)
    return Ties(
        pairs["a"].to_numpy(dtype=object),
        pairs["b"].to_numpy(dtype=object),
        strength.astype(np.float64),
        source,
        props,
    )


def _utc(ts: pd.Timestamp) -> datetime:
    return ts.to_pydatetime().astimezone(UTC)


def parse_timestamps(values: np.ndarray) -> pd.DatetimeIndex:
    """ISO 8601 dates or date-times to UTC (NaT where a value cannot be read).

    >>> raw = ["2024-03-01", "2024-03-01T10:00+02:00", "soon"]
    >>> ts = parse_timestamps(np.array(raw, dtype=object))
    >>> [str(t) for t in ts]
    ['2024-03-01 00:00:00+00:00', '2024-03-01 08:00:00+00:00', 'NaT']
    """
    parsed = pd.to_datetime(
        pd.Series(values, dtype=object), format="ISO8601", utc=True, errors="coerce"
    )
    return pd.DatetimeIndex(parsed).as_unit("us")


# ------------------------------------------------------------------------ reading logs
def read_interaction_frame(
    paths: Sequence[Path], problems: ProblemLog, *, now: datetime | None = None
) -> pd.DataFrame:
    """Read and check interaction logs into the frame :func:`derive_strengths` takes.

    Unreadable rows go to ``problems`` with their line: an empty or unreadable
    timestamp, one later than ``now`` (default: the clock) by more than
    :data:`FUTURE_TOLERANCE`, a duration that is not a number of seconds >= 0.
    Rows with oneself or a placeholder are kept: the model leaves them out and counts them.
    """
    if not paths:
        raise UsageError("no interaction log to read")
    limit = _in_utc(pd.Timestamp(now if now is not None else datetime.now(UTC)))
    parts: list[pd.DataFrame] = []
    for path in paths:
        table = read_table(Path(path), problems)
        table.require(LOG_COLUMNS)
        raw_ts = table.column("timestamp")
        ts = parse_timestamps(raw_ts)
        bad = np.zeros(len(table), dtype=bool)

        def reject(mask: np.ndarray, reason: Any, table: Any = table, bad: Any = bad) -> None:
            rows = np.flatnonzero(mask & ~bad)
            problems.add(table, rows, reason)
            bad[rows] = True

        reject(raw_ts == "", "empty timestamp")
        reject(
            np.asarray(ts.isna()),
            lambda i, raw_ts=raw_ts: (
                f"timestamp {raw_ts[i]!r} is not an ISO 8601 date or date-time "
                "(like 2024-03-01 or 2024-03-01T09:30:00Z)"
            ),
        )
        reject(
            np.asarray(ts > limit + FUTURE_TOLERANCE),
            lambda i, raw_ts=raw_ts: (
                f"timestamp {raw_ts[i]!r} is in the future (after the time of the load, "
                f"{limit:%Y-%m-%d %H:%M} UTC)"
            ),
        )
        for side in ("from", "to"):
            ids = table.column(side)
            reject(
                oversize(ids, MAX_ID_BYTES),
                lambda i, ids=ids, side=side: (
                    f"{side} id is {len(ids[i].encode('utf-8', 'surrogateescape')):,} bytes "
                    f"long; Neo4j's index takes ids of at most {MAX_ID_BYTES:,} bytes"
                ),
            )
        frame = pd.DataFrame(
            {"source": table.column("from"), "target": table.column("to"), "timestamp": ts}
        )
        if "duration" in table.columns:
            raw = table.column("duration")
            seconds = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(
                dtype=np.float64
            )
            wrong = (raw != "") & ~(np.isfinite(seconds) & (seconds >= 0))
            reject(
                wrong,
                lambda i, raw=raw: f"duration {raw[i]!r} is not a number of seconds (>= 0)",
            )
            frame["duration"] = seconds
        for name in ("channel", "group", "message_id"):
            if name in table.columns:
                frame[name] = table.column(name)
        parts.append(frame.loc[~bad])
    frame = pd.concat(parts, ignore_index=True)
    if "channel" in frame.columns:
        frame["channel"] = frame["channel"].fillna("")
    return frame


def read_interactions(paths: Sequence[Path], problems: ProblemLog) -> Interactions:
    """Read and check interaction logs as :class:`Interactions` (for the earlier model)."""
    frame = read_interaction_frame(paths, problems)
    frame = frame.loc[(frame["source"] != "") & (frame["target"] != "")]
    frame = frame.loc[frame["source"] != frame["target"]]
    has_channels = "channel" in frame.columns
    return Interactions(
        frame["source"].to_numpy(dtype=object),
        frame["target"].to_numpy(dtype=object),
        pd.DatetimeIndex(frame["timestamp"]),
        frame["channel"].to_numpy(dtype=object)
        if has_channels
        else np.full(len(frame), "", dtype=object),
        has_channels,
    )


# ------------------------------------------------------------------------ loading
def load_interaction_frame(
    db: Database,
    interactions: pd.DataFrame,
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    source: str = "interactions",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> LoadSummary:
    """Derive strengths from a frame of interactions (:func:`derive_strengths`) and write
    them, creating the people they name (with just their ``id``) when missing.

    Each pair's ``strength_<source>`` is set; its ``strength`` follows unless a ties file
    gave it explicitly. The summary counts the rows the model left out.
    """
    check_half_life(half_life_days)
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        return _derive_and_write(
            db,
            state,
            interactions,
            started=started,
            undirected_channels=undirected_channels,
            half_life_days=half_life_days,
            as_of=as_of,
            now=now,
            source=source,
            batch_size=batch_size,
            progress=progress,
            dry_run=dry_run,
        )


def load_interactions(
    db: Database,
    paths: Sequence[Path],
    *,
    undirected_channels: Collection[str] = (),
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    now: datetime | None = None,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> LoadSummary:
    """Derive tie strengths from interaction logs (:func:`read_interaction_frame`) and
    write them (:func:`load_interaction_frame`).

    Validation, ``skip_invalid`` and ``dry_run`` work as in
    :func:`loaders.csv_files.load_csv`.
    """
    if not paths:
        raise UsageError("no interaction log to load")
    check_half_life(half_life_days)
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        frame = read_interaction_frame(paths, problems, now=now)
        rejects = problems.settle(skip_invalid)
        return _derive_and_write(
            db,
            state,
            frame,
            started=started,
            undirected_channels=undirected_channels,
            half_life_days=half_life_days,
            as_of=as_of,
            now=now,
            batch_size=batch_size,
            progress=progress,
            dry_run=dry_run,
            rejected=len(problems),
            rejects_files=rejects,
        )


def _derive_and_write(
    db: Database,
    state: Any,
    interactions: pd.DataFrame,
    *,
    started: float,
    undirected_channels: Collection[str],
    half_life_days: float,
    as_of: datetime | None,
    now: datetime | None,
    batch_size: int,
    progress: Progress | None,
    dry_run: bool,
    source: str = "interactions",
    rejected: int = 0,
    rejects_files: list[Path] | None = None,
) -> LoadSummary:
    derived = derive_strengths(
        interactions,
        undirected_channels=undirected_channels,
        half_life_days=half_life_days,
        as_of=as_of,
        now=now,
        source=source,
    )
    ties = derived.ties
    ids = pd.unique(np.concatenate([ties.a, ties.b])).tolist() if len(ties) else []
    summary = write_load(
        db,
        People.bare(sorted(ids)),
        ties,
        state=state,
        batch_size=batch_size,
        progress=progress,
        read_seconds=time.perf_counter() - started,
        rejected=rejected,
        rejects_files=rejects_files or [],
        dry_run=dry_run,
    )
    return with_left_out(summary, derived.left_out)


def with_left_out(summary: LoadSummary, left_out: dict[str, int]) -> LoadSummary:
    """``summary`` with the rows the model left out (:func:`tie_signals`' counts): those
    after ``as_of`` apart, the others by reason."""
    left = dict(left_out)
    summary.after_as_of = left.pop("after_as_of", 0)
    summary.left_out = left
    return summary
