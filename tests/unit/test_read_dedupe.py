"""How :func:`engine.analysis.read_network` keeps one tie per unordered pair (``_dedupe``):
the strongest copy, whichever way it was stored, sorted by pair. Pure; no database."""

from __future__ import annotations

import numpy as np
import pytest

from powerconnect.engine.analysis import _dedupe


def test_a_pair_stored_both_ways_keeps_its_strongest_copy() -> None:
    # By hand: 0-1 is stored as (0, 1, 0.3) and (1, 0, 0.8): one tie 0-1 of 0.8; 0-2 once.
    lo, hi, strength = _dedupe(np.array([2, 0, 1]), np.array([0, 1, 0]), np.array([0.5, 0.3, 0.8]))
    assert lo.tolist() == [0, 0] and hi.tolist() == [1, 2] and strength.tolist() == [0.8, 0.5]


@pytest.mark.parametrize("repeats", [0, 50])
def test_dedupe_equals_a_dictionary_of_the_strongest_copy(repeats: int) -> None:
    rng = np.random.default_rng(repeats)
    src, dst = rng.integers(0, 40, 300), rng.integers(0, 40, 300)
    ok = src != dst
    src, dst = src[ok], dst[ok]
    src, dst = np.r_[src, dst[:repeats]], np.r_[dst, src[:repeats]]  # the same pairs reversed
    strength = rng.random(len(src)).round(2)
    best: dict[tuple[int, int], float] = {}
    for a, b, s in zip(src.tolist(), dst.tolist(), strength.tolist(), strict=True):
        pair = (min(a, b), max(a, b))
        best[pair] = max(best.get(pair, 0.0), s)
    lo, hi, kept = _dedupe(src, dst, strength)
    assert list(zip(lo.tolist(), hi.tolist(), kept.tolist(), strict=True)) == [
        (a, b, s) for (a, b), s in sorted(best.items())
    ]


def test_no_ties() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert all(len(x) == 0 for x in _dedupe(empty, empty, np.zeros(0)))


def test_distinct_pairs_in_any_order_and_direction_come_back_sorted_by_pair() -> None:
    # No pair repeats (the common case, which takes the single-key sort): every tie is kept,
    # ordered by (lower, higher) id. Pairs drawn without repetition from the 40*39/2 possible.
    rng = np.random.default_rng(7)
    pairs = [(a, b) for a in range(40) for b in range(a + 1, 40)]
    chosen = rng.choice(len(pairs), 300, replace=False)
    lo_hi = np.array([pairs[i] for i in chosen])
    flip = rng.random(300) < 0.5  # some stored the other way round
    src = np.where(flip, lo_hi[:, 1], lo_hi[:, 0])
    dst = np.where(flip, lo_hi[:, 0], lo_hi[:, 1])
    strength = rng.random(300).round(3)
    lo, hi, kept = _dedupe(src, dst, strength)
    expected = sorted(
        zip(lo_hi[:, 0].tolist(), lo_hi[:, 1].tolist(), strength.tolist(), strict=True)
    )
    assert list(zip(lo.tolist(), hi.tolist(), kept.tolist(), strict=True)) == expected
