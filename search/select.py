"""Positions of the ``k`` largest values of a long score array, without a full selection pass.

``np.argpartition`` over ~10^5 scores costs about a millisecond, and a search asks for such a
selection several times (the 1,024 best chunks of the 8-bit scan, the 500 units of the clause rerank
pool). A strided sample gives a floor that, on any ordering of the scores, is exact or falls back:
when at least ``k`` scores reach the floor, the ``k`` best are among them, and only those few are
partitioned; otherwise the whole array is.
"""

from __future__ import annotations

import numpy as np

#: Sample every STRIDE-th score for the floor; OVERSHOOT times ``k`` scores are expected to reach it.
STRIDE = 16
OVERSHOOT = 2


def best(arr: np.ndarray, k: int) -> np.ndarray:
    """Ascending positions of the ``k`` largest values of ``arr`` and of every value tied with the
    ``k``-th (all positions if it has no more than ``k``). Taking the ties whole makes the answer
    independent of the selection algorithm: 8-bit scores tie often.

    >>> best(np.array([0.5, 3.0, 1.0, 2.0, -1.0]), 2).tolist()
    [1, 3]
    >>> best(np.array([1.0, 2.0, 1.0, 0.0]), 2).tolist()
    [0, 1, 2]
    """
    n = len(arr)
    if n <= k:
        return np.arange(n)
    sample = arr[::STRIDE]
    rank = OVERSHOOT * k // STRIDE  # the floor: the rank-th largest of the sample
    if 0 < rank < len(sample):
        floor = np.partition(sample, len(sample) - rank)[len(sample) - rank]
        cand = np.flatnonzero(arr >= floor)
        if len(cand) >= k:  # the k-th largest value is >= floor, so every one of the k best is here
            vals = arr[cand]
            return cand[vals >= np.partition(vals, len(vals) - k)[len(vals) - k]]
    return np.flatnonzero(arr >= np.partition(arr, n - k)[n - k])
