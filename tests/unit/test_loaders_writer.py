"""The writer's pure helpers (no database)."""

from __future__ import annotations

import numpy as np

from powerconnect.loaders.writer import _positions


def test_each_pair_is_found_at_its_first_place_or_not_at_all() -> None:
    # found: (1, 2) twice (a tie stored twice by hand: the first one counts), (2, 1) is
    # another pair (direction matters: ties are stored from the smaller id), (5, 7)
    found_a, found_b = [1, 2, 1, 5], [2, 1, 2, 7]
    a = np.array([1, 5, 2, 7, 1], dtype=object)  # internal ids, as write_ties holds them
    b = np.array([2, 7, 1, 5, 3], dtype=object)
    assert _positions(found_a, found_b, a, b).tolist() == [0, 3, 1, -1, -1]


def test_nothing_found_means_minus_one_everywhere() -> None:
    a = np.array([1, 2], dtype=object)
    assert _positions([], [], a, a).tolist() == [-1, -1]
