"""The seam between the mail, calendar and contacts parsers and the tie-strength model.

The parsers (:mod:`loaders.mail`, :mod:`loaders.calendar`) produce one pandas DataFrame
of interactions, with the columns

* ``source``, ``target``: person ids;
* ``timestamp``: tz-aware UTC;
* ``channel``: ``'email'`` or ``'meeting'``;
* ``group``: the message or meeting occurrence the row comes from (every row of one
  message shares it, so the model can discount a tie by the group's size);
* ``message_id``: a key that is the same for the same message or occurrence seen twice
  (the model counts it once);
* ``duration``: seconds (a meeting's DTEND - DTSTART), NaN where unknown (mail,
  all-day events);
* ``directed``: ``False`` for a meeting (no direction), ``True`` for an email.

:func:`interaction_ties` is the one place that hands such a frame to the model,
:func:`loaders.interactions.derive_strengths` (P(close) from the tie's share of both
people's time): a group of ``n`` people weighs ``1/(n - 1)`` per tie, durations count
their minutes, rows of the same ``message_id`` count once, and the channels whose rows
are not ``directed`` (meetings) count for both people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from powerconnect.loaders.interactions import HALF_LIFE_DAYS, derive_strengths
from powerconnect.loaders.model import Ties

__all__ = ["FRAME_COLUMNS", "empty_frame", "interaction_frame", "interaction_ties"]

FRAME_COLUMNS = (
    "source",
    "target",
    "timestamp",
    "channel",
    "group",
    "message_id",
    "duration",
    "directed",
)


def empty_frame() -> pd.DataFrame:
    """A frame with :data:`FRAME_COLUMNS` and no rows."""
    return pd.DataFrame(
        {
            "source": pd.Series([], dtype=object),
            "target": pd.Series([], dtype=object),
            "timestamp": pd.DatetimeIndex([], tz="UTC").as_unit("us"),
            "channel": pd.Series([], dtype=object),
            "group": pd.Series([], dtype=object),
            "message_id": pd.Series([], dtype=object),
            "duration": pd.Series([], dtype=float),
            "directed": pd.Series([], dtype=bool),
        }
    )


def interaction_frame(
    rows: Sequence[tuple[str, str, datetime, str, float]], channel: str, *, directed: bool
) -> pd.DataFrame:
    """A frame from ``(source, target, timestamp, key, duration)`` rows of one channel;
    the key is both ``group`` and ``message_id``."""
    if not rows:
        return empty_frame()
    frame = pd.DataFrame(rows, columns=["source", "target", "timestamp", "group", "duration"])
    frame["timestamp"] = pd.DatetimeIndex(pd.to_datetime(frame["timestamp"], utc=True)).as_unit(
        "us"
    )
    frame["channel"] = channel
    frame["message_id"] = frame["group"]
    frame["directed"] = directed
    return frame[list(FRAME_COLUMNS)]


def interaction_ties(
    frame: pd.DataFrame,
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
) -> tuple[Ties, int]:
    """Ties (source ``'interactions'``) from an interaction frame, and how many rows fall
    after ``as_of``.

    >>> t = pd.Timestamp("2024-03-01", tz="UTC")
    >>> f = pd.DataFrame({"source": ["a", "a", "c"], "target": ["b", "b", "a"],
    ...     "timestamp": [t, t, t], "channel": ["email", "email", "meeting"],
    ...     "group": ["m1", "m1", "e1"], "message_id": ["m1", "m1", "e1"],
    ...     "duration": [float("nan")] * 3, "directed": [True, True, False]})
    >>> ties, after = interaction_ties(f)
    >>> list(zip(ties.a, ties.b, [p["interactions"] for p in ties.properties]))
    [('a', 'b', 1), ('a', 'c', 1)]
    """
    if len(frame) == 0:
        return Ties.empty("interactions"), 0
    undirected = set(frame.loc[~frame["directed"].astype(bool), "channel"].dropna())
    derived = derive_strengths(
        frame.drop(columns=["directed"]).assign(
            group=frame["group"].fillna("").astype(str),
            message_id=frame["message_id"].fillna("").astype(str),
        ),
        undirected_channels=undirected,
        half_life_days=half_life_days,
        as_of=as_of,
    )
    return derived.ties, derived.left_out.get("after_as_of", 0)
