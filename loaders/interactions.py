"""Tie strength derived from an interaction history (metadata only).

A log has one row per interaction (an email, a meeting, a call, a message)::

    from,to,timestamp,channel
    ann,bob,2024-03-01T09:30:00Z,email
    bob,ann,2024-03-02,call

``from`` and ``to`` are person ids, ``timestamp`` is ISO 8601 (a date, or a date and
time; without an offset it is taken as UTC), ``channel`` is optional. Nothing about
the content is needed.

The strength model
------------------
Granovetter (1973) defines the strength of a tie as a combination of "the amount of
time, the emotional intensity, the intimacy (mutual confiding), and the reciprocal
services which characterize the tie"; Gilbert and Karahalios (2009) predicted it from
interaction records and found recency ("days since last communication") the single
strongest predictor, with intensity (how much is exchanged) and intimacy next. From
metadata we can measure four of those signals for a pair {a, b}:

* **frequency and recency** together: each interaction ``i`` counts
  :math:`2^{-\\Delta t_i / h}`, where :math:`\\Delta t_i` is its age in days at the
  reference date and ``h`` the half-life (``--half-life``, default 180 days), so a
  fresh interaction counts 1 and one a half-life old counts 1/2. Summed per
  direction: :math:`w_{ab}` (from a to b) and :math:`w_{ba}`, :math:`w = w_{ab} + w_{ba}`;
* **reciprocity**: :math:`r = 2 \\min(w_{ab}, w_{ba}) / w \\in [0, 1]`, 1 when the
  exchange is balanced, 0 when it only ever goes one way (reciprocal services);
* **multiplexity**: ``k``, the number of distinct channels the pair uses (a tie carried
  by email *and* meetings *and* calls is stronger than one by email alone;
  Haythornthwaite 2002 calls this media multiplexity).

They combine into an effective volume and saturate into (0, 1]:

.. math::

    x = w \\cdot \\frac{1 + r}{2} \\cdot \\Big(1 + \\frac{k - 1}{2}\\Big), \\qquad
    \\text{strength} = \\max\\big(\\epsilon,\\; 1 - (1 - s_0)\\, e^{-x / x_0}\\big)

with scale :math:`x_0 = 10`, floor :math:`\\epsilon = 0.001` (a tie that exists is never
0) and base :math:`s_0` = 0 (LinkedIn uses 0.1: a connection with no messages is a weak
tie). One fresh one-way email gives 0.049 (weak); ten balanced recent exchanges on one
channel give 0.63; thirty on two channels give 0.99. The reference date is the latest
interaction in the log (``--as-of`` to choose another; later interactions are ignored),
never the clock, so loading the same log twice gives the same strengths.

A strength given explicitly in a ties file wins over this one (see
:func:`loaders.model.tie_properties`). Each load replaces the derived strength of the
pairs in its logs; give every log of the same history in one command.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*
78(6), 1360-1380. Gilbert, E. and Karahalios, K. (2009). Predicting tie strength with
social media. *Proc. CHI 2009*, 211-220. Haythornthwaite, C. (2002). Strong, weak, and
latent ties and the impact of new media. *The Information Society* 18(5), 385-401.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.db import Database
from engine.errors import UsageError
from loaders.model import LoadSummary, People, Progress, Ties, canonical
from loaders.tables import ProblemLog, read_table
from loaders.writer import DEFAULT_BATCH_SIZE, preparing, write_load

__all__ = [
    "FLOOR",
    "HALF_LIFE_DAYS",
    "SCALE",
    "Interactions",
    "count_after",
    "derive_ties",
    "load_interactions",
    "parse_timestamps",
    "read_interactions",
    "strength_from_signals",
]

HALF_LIFE_DAYS = 180.0
SCALE = 10.0
FLOOR = 0.001
LOG_COLUMNS = ("from", "to", "timestamp")


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


def strength_from_signals(
    w_ab: np.ndarray | float,
    w_ba: np.ndarray | float,
    channels: np.ndarray | int,
    *,
    scale: float = SCALE,
    base: float = 0.0,
) -> np.ndarray:
    """Strength in (0, 1] from decayed volumes per direction and the number of channels.

    .. math:: x = w \\frac{1 + r}{2} \\big(1 + \\frac{k - 1}{2}\\big), \\quad
              s = \\max(\\epsilon, 1 - (1 - s_0) e^{-x/x_0})

    with :math:`w = w_{ab} + w_{ba}`, :math:`r = 2\\min(w_{ab}, w_{ba})/w`.

    >>> s = strength_from_signals([1, 5, 15, 0], [0, 5, 15, 0], [1, 1, 2, 1])
    >>> [round(float(x), 3) for x in s]
    [0.049, 0.632, 0.989, 0.001]
    >>> round(float(strength_from_signals(0, 0, 1, base=0.1)[0]), 3)  # LinkedIn: no messages
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
    """One tie per pair of people who interacted, with the strength of the model above.

    Each tie also carries ``interactions`` (how many, up to ``as_of``),
    ``last_interaction`` (UTC) and, when the log names channels, ``channels``.
    """
    if half_life_days <= 0:
        raise UsageError(f"the half-life must be a positive number of days, not {half_life_days}")
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


def read_interactions(paths: Sequence[Path], problems: ProblemLog) -> Interactions:
    """Read and check interaction logs; rejected rows go to ``problems``."""
    if not paths:
        raise UsageError("no interaction log to read")
    parts: list[Interactions] = []
    for path in paths:
        table = read_table(Path(path), problems)
        table.require(LOG_COLUMNS)
        src = table.column("from")
        dst = table.column("to")
        raw_ts = table.column("timestamp")
        has_channel = "channel" in table.columns
        channel = table.column("channel") if has_channel else np.full(len(table), "", dtype=object)
        ts = parse_timestamps(raw_ts)
        bad = np.zeros(len(table), dtype=bool)

        def reject(mask: np.ndarray, reason: Any, table: Any = table, bad: Any = bad) -> None:
            rows = np.flatnonzero(mask & ~bad)
            problems.add(table, rows, reason)
            bad[rows] = True

        reject(src == "", "empty 'from' id")
        reject(dst == "", "empty 'to' id")
        reject(src == dst, lambda i, src=src: f"interaction of {src[i]!r} with themself")
        reject(raw_ts == "", "empty timestamp")
        reject(
            np.asarray(ts.isna()),
            lambda i, raw_ts=raw_ts: (
                f"timestamp {raw_ts[i]!r} is not an ISO 8601 date or date-time "
                "(like 2024-03-01 or 2024-03-01T09:30:00Z)"
            ),
        )
        good = ~bad
        parts.append(Interactions(src[good], dst[good], ts[good], channel[good], has_channel))
    return Interactions(
        np.concatenate([p.sender for p in parts]),
        np.concatenate([p.recipient for p in parts]),
        pd.DatetimeIndex(parts[0].timestamp.append([p.timestamp for p in parts[1:]])),
        np.concatenate([p.channel for p in parts]),
        any(p.has_channels for p in parts),
    )


def load_interactions(
    db: Database,
    paths: Sequence[Path],
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    skip_invalid: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> LoadSummary:
    """Derive tie strengths from interaction logs and write them.

    People named in the logs are created (with just their ``id``) when missing. Each
    pair's ``strength_interactions`` is set; its ``strength`` follows unless a ties file
    gave it explicitly. Validation, ``skip_invalid`` and ``dry_run`` work as in
    :func:`loaders.csv_files.load_csv`.
    """
    if not paths:
        raise UsageError("no interaction log to load")
    if half_life_days <= 0:
        raise UsageError(f"the half-life must be a positive number of days, not {half_life_days}")
    started = time.perf_counter()
    with preparing(db, schema=not dry_run) as state:
        problems = ProblemLog()
        events = read_interactions(paths, problems)
        rejects = problems.settle(skip_invalid)
        ties = derive_ties(events, half_life_days=half_life_days, as_of=as_of)
        ids = pd.unique(np.concatenate([ties.a, ties.b])).tolist() if len(ties) else []

        summary = write_load(
            db,
            People.bare(sorted(ids)),
            ties,
            state=state,
            batch_size=batch_size,
            progress=progress,
            read_seconds=time.perf_counter() - started,
            rejected=len(problems),
            rejects_files=rejects,
            dry_run=dry_run,
        )
        summary.after_as_of = count_after(events.timestamp, as_of)
        return summary
