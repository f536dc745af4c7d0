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


def segment_rows(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``starts[i] .. starts[i] + sizes[i]`` laid end to end, and where each segment begins in
    them (for ``np.maximum.reduceat``). Every size must be positive.

    >>> [a.tolist() for a in segment_rows(np.array([5, 0]), np.array([2, 3]))]
    [[5, 6, 0, 1, 2], [0, 2]]
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    firsts = np.cumsum(sizes) - sizes
    rows = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(np.asarray(starts) - firsts, sizes)
    return rows, firsts


class SegmentMax:
    """The largest of each unit's rows, for units that own contiguous rows ``offsets[i] .. offsets[i+1]``.

    Most units own one row: its value is read directly; only the others are reduced
    (``ufunc.reduceat`` costs ~9 ns a segment, ~1 ms over the full corpus).

    >>> m = SegmentMax(np.array([0, 1, 1, 4]))
    >>> m.units.tolist(), m(np.array([0.5, 0.1, 0.9, 0.2]), np.zeros(3)).tolist()
    ([0, 2], [0.5, 0.0, 0.9])
    """

    def __init__(self, offsets: np.ndarray) -> None:
        counts = np.diff(offsets)
        #: positions of the units that own at least one row
        self.units = np.flatnonzero(counts > 0)
        starts = offsets[:-1][self.units]
        many = counts[self.units] > 1
        self._single_units, self._single_rows = self.units[~many], starts[~many]
        self._many_units = self.units[many]
        self._many_rows, self._many_firsts = segment_rows(starts[many], counts[self._many_units])

    def __call__(self, values: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write each unit's largest row value of ``values`` into ``out`` (others untouched)."""
        out[self._single_units] = values[self._single_rows]
        if len(self._many_units):
            out[self._many_units] = np.maximum.reduceat(values[self._many_rows], self._many_firsts)
        return out
