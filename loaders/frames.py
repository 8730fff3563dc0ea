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

:func:`interaction_ties` is the one place that hands such a frame to the model. Today it
feeds :func:`loaders.interactions.derive_ties` (frequency, recency, reciprocity,
multiplexity); that model has no group discount or durations yet, so ``group`` and
``duration`` are carried but not used, and an undirected row counts once in each
direction (a meeting is an exchange both ways). When the reworked model lands
(``derive_strengths(frame, undirected_channels={"meeting"}, ...)``), only this function
changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from loaders.interactions import HALF_LIFE_DAYS, Interactions, count_after, derive_ties
from loaders.model import Ties

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

    Rows with the same ``message_id``, ``source`` and ``target`` count once.

    >>> t = pd.Timestamp("2024-03-01", tz="UTC")
    >>> f = pd.DataFrame({"source": ["a", "a", "c"], "target": ["b", "b", "a"],
    ...     "timestamp": [t, t, t], "channel": ["email", "email", "meeting"],
    ...     "group": ["m1", "m1", "e1"], "message_id": ["m1", "m1", "e1"],
    ...     "directed": [True, True, False]})
    >>> ties, after = interaction_ties(f)
    >>> list(zip(ties.a, ties.b, [p["interactions"] for p in ties.properties]))
    [('a', 'b', 1), ('a', 'c', 2)]
    """
    if len(frame) == 0:
        return Ties.empty("interactions"), 0
    frame = frame.drop_duplicates(["message_id", "source", "target"])
    back = frame[~frame["directed"].astype(bool)]
    back = back.assign(source=back["target"], target=back["source"])
    both = pd.concat([frame, back], ignore_index=True)
    timestamps = pd.DatetimeIndex(both["timestamp"]).as_unit("us")
    events = Interactions(
        both["source"].to_numpy(dtype=object),
        both["target"].to_numpy(dtype=object),
        timestamps,
        both["channel"].to_numpy(dtype=object),
        has_channels=True,
    )
    after = count_after(pd.DatetimeIndex(frame["timestamp"]), as_of)
    return derive_ties(events, half_life_days=half_life_days, as_of=as_of), after
