"""What the loaders write, as typed batches, and the rules every loader shares.

The graph model (see ``loaders/README.md``):

* ``(:Person {id, name, ...})``, unique on ``id``;
* one ``(:Person)-[:KNOWS]->(:Person)`` per tie, stored once, from the smaller id to
  the larger (Python string order), so that ``MERGE`` can be directed; readers treat
  it as undirected;
* ``KNOWS.strength`` in (0, 1]; a strength given explicitly in a ties file has no
  ``source`` (it wins, and keeps winning on later loads); a derived one has
  ``KNOWS.source``, the loader it comes from, ``'interactions'`` or ``'linkedin'``, and
  each derived value is also kept as ``strength_interactions`` / ``strength_linkedin``.
  (Explicit ties carry no ``source='csv'``: a second property on each of a million
  ties costs a load seconds. Ties written by earlier versions with ``'csv'`` count as
  explicit too.)
* ``(:Person)-[:WORKS_AT]->(:Organization {name})`` mirrors ``Person.organization``.

Batches are column-oriented (:class:`People`, :class:`Ties`): a million ties as a
million small objects would cost more time than writing them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DERIVED_SOURCES",
    "MAX_ID_BYTES",
    "MAX_INDEXED_BYTES",
    "SOURCES",
    "LoadSummary",
    "People",
    "Progress",
    "Ties",
    "canonical",
    "changed_properties",
    "explicit",
    "merge_duplicate_pairs",
    "merge_duplicate_ties",
    "oversize",
    "tie_properties",
]

#: Where a tie's strength comes from; ``'csv'`` is explicit and wins over the others.
SOURCES = ("csv", "interactions", "linkedin")
DERIVED_SOURCES = ("interactions", "linkedin")

#: The longest string (UTF-8 bytes) Neo4j 5.26 takes in a RANGE index or uniqueness
#: constraint (``Person.id``, ``Organization.name``): measured on 5.26.30 as the longest
#: accepted value, ASCII, 2-byte and 4-byte characters alike (Neo4j's knowledge base gives
#: 8,167 bytes for the whole index key, which holds a small header besides the string).
MAX_INDEXED_BYTES = 8_164
#: The longest person id: half of that, less the run id and separators, since
#: ``recommend`` stores each introduction under ``<run>:<id>:<id>`` (unique too).
MAX_ID_BYTES = 4_000

#: ``progress(stage, done, total)``: called as rows are written ("people", "ties").
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class People:
    """People to write: each ``id`` with the properties to set on it.

    A value of ``None`` removes that property (the file left the cell empty); a key
    that is absent leaves the property alone. An ``organization`` key also decides the
    person's ``WORKS_AT`` relationship. Ids are unique.
    """

    ids: list[str]
    properties: list[dict[str, Any]]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def bare(cls, ids: list[str]) -> People:
        """People who only need to exist (``--create-missing``, interaction logs)."""
        return cls(list(ids), [{} for _ in ids])

    def __add__(self, other: People) -> People:
        return People(self.ids + other.ids, self.properties + other.properties)


@dataclass(frozen=True)
class Ties:
    """Ties to write, stored canonically (``a < b``), one per pair.

    ``properties`` holds the further properties of each tie (``None`` when there are
    none at all, which is the fast path); ``source`` is one of :data:`SOURCES`.
    """

    a: np.ndarray  # object array of person ids
    b: np.ndarray
    strength: np.ndarray  # float64 in (0, 1]
    source: str
    properties: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return len(self.a)

    @classmethod
    def empty(cls, source: str) -> Ties:
        none = np.array([], dtype=object)
        return cls(none, none, np.array([], dtype=np.float64), source)


@dataclass
class LoadSummary:
    """What a load did, for the one-line summary at the end."""

    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    ties_created: int = 0
    ties_updated: int = 0
    ties_unchanged: int = 0
    rejected: int = 0
    duplicates_merged: int = 0
    rejects_files: list[Path] = field(default_factory=list)
    #: wall-clock seconds per phase: "read" (parse and validate), "people", "ties"
    seconds: dict[str, float] = field(default_factory=dict)
    #: ``load --sync`` only (None otherwise): people and ties deleted because the files no
    #: longer list them, and explicit ties that fell back to their derived strength
    synced: tuple[int, int, int] | None = None
    #: a dry run: the counts say what the load would do; nothing was written
    dry_run: bool = False
    #: ``--as-of`` (load-interactions, load-linkedin): interactions (or LinkedIn messages)
    #: later than that date, left out of the strengths
    after_as_of: int = 0
    #: rows left out on purpose (not rejected), by reason: load-interactions (``"self"``,
    #: ``"placeholder"``, ``"duplicate"``, ``"future"``; see ``loaders.interactions``) and
    #: load-linkedin (``"hidden"``, ``"spam"``, ``"draft"``, ``"sponsored"``; loaders.linkedin)
    left_out: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        made, changed, gone = (
            ("to create", "to update", "to delete")
            if self.dry_run
            else ("created", "updated", "deleted")
        )
        text = (
            f"people: {self.people_created} {made}, {self.people_updated} {changed}, "
            f"{self.people_unchanged} unchanged; "
            f"ties: {self.ties_created} {made}, {self.ties_updated} {changed}, "
            f"{self.ties_unchanged} unchanged; {self.rejected} rejected"
        )
        if self.rejects_files:
            text += " (see " + ", ".join(str(p) for p in self.rejects_files) + ")"
        if self.duplicates_merged:
            text += f"; {self.duplicates_merged} duplicate ties merged"
        if self.after_as_of:
            text += f"; {self.after_as_of} interactions after --as-of ignored"
        for reason, count in self.left_out.items():
            text += f"; {count} {_LEFT_OUT.get(reason, reason + ' rows')} left out"
        if self.synced is not None:
            people, ties, fallen = self.synced
            back = "to go back" if self.dry_run else "back"
            text += (
                f"; --sync: {people} people and {ties} ties {gone}, "
                f"{fallen} ties {back} to their derived strength"
            )
        if self.seconds:
            parts = ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items())
            text += f"; {sum(self.seconds.values()):.1f} s ({parts})"
        return text


_LEFT_OUT = {
    "hidden": "hidden connections (blank rows)",
    "spam": "messages in SPAM",
    "draft": "draft messages",
    "sponsored": "messages from senders who are not connections (sponsored, LinkedIn Member)",
    "self": "interactions with oneself",
    "placeholder": "interactions with an empty or placeholder id",
    "duplicate": "duplicate interactions",
    "future": "interactions dated after the load",
    "no_timestamp": "interactions without a timestamp",
}


# ------------------------------------------------------------------------ rules
def oversize(values: np.ndarray, limit: int) -> np.ndarray:
    """Which strings of ``values`` take more than ``limit`` bytes in UTF-8 (a vectorised
    test: only those longer than ``limit // 4`` characters are encoded).

    >>> oversize(np.array(["ab", "ééé", "abcd"], dtype=object), 4).tolist()
    [False, True, False]
    """
    chars = pd.Series(values, dtype=object).str.len().to_numpy()
    out = np.zeros(len(values), dtype=bool)
    maybe = np.flatnonzero(chars > limit // 4)
    if len(maybe):
        nbytes = [len(str(v).encode("utf-8", "surrogateescape")) for v in values[maybe]]
        out[maybe] = np.asarray(nbytes) > limit  # only the few long ones loop
    return out


def canonical(source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order each pair so that ``a < b``: ``(x, y)`` and ``(y, x)`` are the same tie.

    >>> x = np.array(["bob", "ann"], dtype=object)
    >>> y = np.array(["ann", "cy"], dtype=object)
    >>> a, b = canonical(x, y)
    >>> list(a), list(b)
    (['ann', 'ann'], ['bob', 'cy'])
    """
    swap = source > target
    return np.where(swap, target, source), np.where(swap, source, target)


def merge_duplicate_ties(
    a: np.ndarray, b: np.ndarray, strength: np.ndarray
) -> tuple[np.ndarray, int]:
    """Which rows to keep when a tie is listed more than once (in either direction).

    The rule: **the largest strength wins**, and the other columns come from that same
    row; between equal strengths the first row in the file wins. A tie seen twice is
    one relationship observed twice, and its strongest reading is kept, as
    ``engine.graph.TieGraph.from_edges`` does. Returns the indices to keep (in file
    order) and how many rows were merged away. ``a, b`` must be canonical.

    >>> keep, merged = merge_duplicate_ties(
    ...     np.array(["a", "a", "b"], dtype=object), np.array(["b", "b", "c"], dtype=object),
    ...     np.array([0.2, 0.7, 0.5]))
    >>> keep.tolist(), merged
    ([1, 2], 1)
    """
    n = len(a)
    codes, uniques = pd.factorize(np.concatenate([a, b]))
    return merge_duplicate_pairs(codes[:n].astype(np.int64) * len(uniques) + codes[n:], strength)


def merge_duplicate_pairs(pair: np.ndarray, strength: np.ndarray) -> tuple[np.ndarray, int]:
    """:func:`merge_duplicate_ties` on integer pair keys (one key per unordered pair)."""
    n = len(pair)
    if n == 0:
        return np.arange(0, dtype=np.int64), 0
    if not pd.Series(pair).duplicated().any():
        return np.arange(n, dtype=np.int64), 0
    order = np.argsort(-strength, kind="stable")
    first = ~pd.Series(pair[order]).duplicated(keep="first").to_numpy()
    keep = np.sort(order[first])
    return keep, n - len(keep)


def tie_properties(
    existing: Mapping[str, Any] | None,
    source: str,
    strength: float,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The properties a load sets on a tie, given what the tie has now.

    * from a ties file (``source == 'csv'``): ``strength``, no ``source`` (None: removed
      if the tie had one), plus the file's further columns;
    * from a derived source: ``strength_<source>``, and ``strength``/``source`` become
      the largest derived value and its source, unless the tie's strength was given
      explicitly (see :func:`explicit`), which is left as it is.

    >>> tie_properties(None, "csv", 0.7)
    {'strength': 0.7, 'source': None}
    >>> tie_properties(None, "interactions", 0.4)
    {'strength_interactions': 0.4, 'strength': 0.4, 'source': 'interactions'}
    >>> tie_properties({"strength": 0.9}, "interactions", 0.4)
    {'strength_interactions': 0.4}
    >>> tie_properties({"strength": 0.6, "source": "linkedin", "strength_linkedin": 0.6},
    ...                "interactions", 0.4)
    {'strength_interactions': 0.4, 'strength': 0.6, 'source': 'linkedin'}
    """
    extra = dict(extra or {})
    if source == "csv":
        return {"strength": strength, "source": None, **extra}
    if source not in DERIVED_SOURCES:
        raise ValueError(f"unknown tie source {source!r}")
    props: dict[str, Any] = {f"strength_{source}": strength, **extra}
    existing = existing or {}
    if explicit(existing):
        return props
    best_source, best = source, strength
    for other in DERIVED_SOURCES:
        value = existing.get(f"strength_{other}") if other != source else None
        if isinstance(value, int | float) and value > best:
            best_source, best = other, float(value)
    props["strength"] = best
    props["source"] = best_source
    return props


def explicit(tie: Mapping[str, Any]) -> bool:
    """Whether a tie's strength was given explicitly: it has one, and no derived source.

    >>> explicit({"strength": 0.9}), explicit({"strength": 0.9, "source": "csv"})
    (True, True)
    >>> explicit({"strength": 0.4, "source": "interactions"}), explicit({})
    (False, False)
    """
    return tie.get("strength") is not None and tie.get("source") in (None, "csv")


def changed_properties(existing: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``wanted`` that differ from ``existing`` (``None`` = absent).

    >>> changed_properties({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None})
    {'b': 'y'}
    """
    return {k: v for k, v in wanted.items() if not _same(existing.get(k), v)}


def _same(old: Any, new: Any) -> bool:
    """Equal values of the same type (so 1 and 1.0, or a date and its string, differ)."""
    if old is None or new is None:
        return old is None and new is None
    if hasattr(old, "to_native"):  # neo4j.time values read back from the database
        old = old.to_native()
    if isinstance(old, list) and isinstance(new, list | tuple):
        return old == list(new)
    return type(old) is type(new) and bool(old == new)
