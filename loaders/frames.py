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

:func:`interaction_ties` hands such a frame to the model on its own,
:func:`loaders.interactions.derive_strengths` (P(close) from the tie's share of both
people's time), as one load of the whole frame would; the loaders go through
:func:`write_channel_load`, which combines it with the other channels (below). A group of
``n`` people weighs ``1/(n - 1)`` per tie, durations count
their minutes, rows of the same ``message_id`` count once, and the channels whose rows
are not ``directed`` (meetings) count for both people.

**Loads combined.** :func:`combined_interaction_ties` (what ``load-mail`` and
``load-calendar`` call) keeps each load's raw signals on the tie as one *part*, under
the part's name (``signal_<part>_*``: :data:`SIGNAL_PROPERTIES`; the list
``signal_loads`` names the parts a tie has): ``calendar``, and one part per mailbox,
``mail:<owner's person id>`` (:func:`loaders.mail.mailbox_owner`). It re-derives
P(close) from all parts (:func:`loaders.interactions.combine_parts`) for every tie of
the people the load names. So mail and meetings of the same pair, or two people's
mailboxes, add up as if given in one log; a message in two mailboxes counts once (each
part keeps its pair's latest :data:`loaders.interactions.PART_ENTRIES` interactions:
message key, time, direction and channel, minutes); and loading the same mailbox again
replaces its own part (never counted twice).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from powerconnect.engine.db import Database
from powerconnect.loaders.addresses import FileSummary, write_people_and_ties
from powerconnect.loaders.interactions import (
    HALF_LIFE_DAYS,
    PART_COLUMNS,
    combine_parts,
    derive_strengths,
    tie_signals,
)
from powerconnect.loaders.model import Progress, Ties
from powerconnect.loaders.tables import ProblemLog

__all__ = [
    "FRAME_COLUMNS",
    "SIGNAL_PROPERTIES",
    "combined_interaction_ties",
    "empty_frame",
    "interaction_frame",
    "interaction_ties",
    "write_channel_load",
]

#: A load's raw signals on a tie: ``signal_<load>_<name>``, one per part column.
SIGNAL_PROPERTIES = {
    "amounts": "amounts",
    "as_of": "as_of",
    "channels": "channels",
    "day_list": "days",
    "day_weights": "day_weights",
    "n": "n",
    "last": "last",
    "keys": "keys",
    "times": "times",
    "kinds": "kinds",
    "values": "values",
}
_LIST_COLUMNS = (
    "amounts",
    "channels",
    "day_list",
    "day_weights",
    "keys",
    "times",
    "kinds",
    "values",
)

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
    model, undirected = _model_frame(frame)
    derived = derive_strengths(
        model,
        undirected_channels=undirected,
        half_life_days=half_life_days,
        as_of=as_of,
    )
    return derived.ties, derived.left_out.get("after_as_of", 0)


def _model_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """The frame as :func:`derive_strengths` takes it, and its undirected channels."""
    undirected = set(frame.loc[~frame["directed"].astype(bool), "channel"].dropna())
    return (
        frame.drop(columns=["directed"]).assign(
            group=frame["group"].fillna("").astype(str),
            message_id=frame["message_id"].fillna("").astype(str),
        ),
        undirected,
    )


def combined_interaction_ties(
    db: Database,
    frame: pd.DataFrame,
    load: str,
    *,
    half_life_days: float = HALF_LIFE_DAYS,
    as_of: datetime | None = None,
    replaces: Collection[str] = (),
) -> tuple[Ties, int]:
    """Ties (source ``'interactions'``) from an interaction frame combined with what
    earlier loads left on the same people's ties (module doc), and how many rows fall
    after ``as_of``. ``load`` names this load's part (``calendar``, ``mail:<owner id>``):
    on the pairs in the frame it replaces the stored part of that name, and those named
    in ``replaces`` (a name earlier versions gave the same data). The ties returned are
    every tie of the people the frame names: their strength, ``interactions`` /
    ``last_interaction`` / ``channels`` over all loads, and, for the pairs in the frame,
    this load's ``signal_<load>_*`` properties.
    """
    if len(frame) == 0:
        return Ties.empty("interactions"), 0
    model, undirected = _model_frame(frame)
    signals, left_out, ref = tie_signals(
        model,
        undirected_channels=undirected,
        half_life_days=half_life_days,
        as_of=as_of,
        with_days=True,
    )
    after = left_out.get("after_as_of", 0)
    if len(signals) == 0:
        return Ties.empty("interactions"), after
    mine = signals.assign(as_of=ref)[list(PART_COLUMNS)]
    names = sorted(set(mine["a"]) | set(mine["b"]))
    stored = _stored_parts(db, names)
    fresh = set(zip(mine["a"], mine["b"], strict=True))
    if len(stored):
        ours = stored["load"].isin({load, *replaces}).to_numpy()
        pairs = list(zip(stored["a"], stored["b"], strict=True))
        replaced = ours & np.array([p in fresh for p in pairs], dtype=bool)
        stored = stored.loc[~replaced]
    parts = pd.concat([stored, mine.assign(load=load)], ignore_index=True)
    loads: dict[tuple[str, str], set[str]] = {}
    for a, b, kind in zip(stored["a"], stored["b"], stored["load"], strict=True):
        loads.setdefault((a, b), set()).add(kind)
    combined = combine_parts(parts, half_life_days=half_life_days)
    touched = set(names)
    keep = combined["a"].isin(touched) | combined["b"].isin(touched)
    combined = combined.loc[keep].reset_index(drop=True)
    own = {
        (r.a, r.b): r
        for r in mine.itertuples(index=False)  # this load's part, written on its pairs
    }
    props: list[dict[str, Any]] = []
    for a, b, n, last, channels in zip(
        combined["a"],
        combined["b"],
        combined["n"].tolist(),
        combined["last"].tolist(),
        combined["channels"].tolist(),
        strict=True,
    ):
        p: dict[str, Any] = {
            "interactions": int(n),
            "last_interaction": last.to_pydatetime().astimezone(UTC),
            "channels": channels,
        }
        part = own.get((a, b))
        if part is not None:
            p["signal_loads"] = sorted(loads.get((a, b), set()) | {load})
            for column, name in SIGNAL_PROPERTIES.items():
                value = getattr(part, column)
                if isinstance(value, pd.Timestamp):
                    value = value.to_pydatetime().astimezone(UTC)
                elif isinstance(value, np.integer | np.floating):
                    value = value.item()
                p[f"signal_{load}_{name}"] = value
        props.append(p)
    ties = Ties(
        combined["a"].to_numpy(dtype=object),
        combined["b"].to_numpy(dtype=object),
        combined["strength"].to_numpy(dtype=np.float64),
        "interactions",
        props,
    )
    return ties, after


def _stored_parts(db: Database, ids: list[str]) -> pd.DataFrame:
    """The parts (:data:`PART_COLUMNS` and ``load``) stored on the ties near ``ids``."""
    rows: list[dict[str, Any]] = []
    for record in db.query("interaction_signals_near", ids=ids):
        props = record["properties"]
        for load in props.get("signal_loads") or []:
            part: dict[str, Any] = {"a": record["a"], "b": record["b"], "load": load}
            for column, name in SIGNAL_PROPERTIES.items():
                value = props.get(f"signal_{load}_{name}")
                if hasattr(value, "to_native"):  # neo4j.time.DateTime
                    value = value.to_native()
                part[column] = value
            legacy = props.get(f"signal_{load}_amount")  # before the directions were kept
            if part["amounts"] is None and legacy is not None:
                part["amounts"] = [legacy, 0.0, 0.0]
            if part["amounts"] is not None and part["as_of"] is not None:
                rows.append(part)
    if not rows:
        return pd.DataFrame(columns=[*PART_COLUMNS, "load"])
    parts = pd.DataFrame(rows)
    for column in _LIST_COLUMNS:
        parts[column] = parts[column].map(lambda v: list(v) if v is not None else [])
    return parts


def write_channel_load(
    db: Database,
    frame: pd.DataFrame,
    people: Mapping[str, dict[str, Any]],
    load: str,
    *,
    state: Any,
    started: float,
    problems: ProblemLog,
    rejects_files: list[Path],
    counts: Mapping[str, int],
    half_life_days: float,
    as_of: datetime | None,
    batch_size: int,
    progress: Progress | None,
    dry_run: bool,
    replaces: Collection[str] = (),
) -> FileSummary:
    """Write one channel's load (``load-mail``, ``load-calendar``): its ties combined with
    what the other loads left on the same people's ties (:func:`combined_interaction_ties`,
    ``load`` naming this load's part), and the people it names, leaving the properties they
    already have (:func:`loaders.addresses.write_people_and_ties` without ``overwrite``)."""
    ties, after = combined_interaction_ties(
        db, frame, load, half_life_days=half_life_days, as_of=as_of, replaces=replaces
    )
    return write_people_and_ties(
        db,
        people,
        ties,
        state=state,
        overwrite=False,
        started=started,
        problems=problems,
        rejects_files=rejects_files,
        counts=counts,
        after_as_of=after,
        batch_size=batch_size,
        progress=progress,
        dry_run=dry_run,
    )
