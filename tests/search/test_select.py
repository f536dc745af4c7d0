"""search.select: the k largest and their ties, whatever the order or the ties of the scores; the largest row of each unit."""

import numpy as np
import pytest

from search.select import STRIDE, SegmentMax, best


def expected(arr: np.ndarray, k: int) -> list[int]:
    if len(arr) <= k:
        return list(range(len(arr)))
    kth = np.sort(arr)[::-1][k - 1]
    return np.flatnonzero(arr >= kth).tolist()


@pytest.mark.parametrize("seed", range(20))
def test_best_matches_a_full_sort(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 50_000))
    k = int(rng.integers(1, 2_000))
    kind = seed % 4
    if kind == 0:
        arr = rng.standard_normal(n).astype(np.float32)
    elif kind == 1:  # 8-bit-like scores: ties everywhere
        arr = rng.integers(-20, 20, n).astype(np.float32) / 10
    elif kind == 2:  # ascending: the strided sample sees the smallest of each stride
        arr = np.sort(rng.standard_normal(n)).astype(np.float32)
    else:  # the best values all off the sampled positions
        arr = np.zeros(n, dtype=np.float32)
        arr[np.arange(n) % STRIDE != 0] = rng.random(n)[np.arange(n) % STRIDE != 0]
    assert best(arr, k).tolist() == expected(arr, k)


def test_best_of_a_short_array_is_all_of_it():
    assert best(np.array([3.0, 1.0]), 5).tolist() == [0, 1]
    assert best(np.zeros(0), 3).tolist() == []


@pytest.mark.parametrize("seed", range(5))
def test_segment_max_is_the_largest_row_of_each_unit_and_leaves_units_without_rows_alone(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 4, 300)  # units with no, one and several rows
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    values = rng.standard_normal(int(offsets[-1])).astype(np.float32)
    out = np.full(len(counts), -9.0, dtype=np.float32)
    SegmentMax(offsets)(values, out)
    for i, c in enumerate(counts):
        assert out[i] == (values[offsets[i] : offsets[i + 1]].max() if c else -9.0)
    assert SegmentMax(offsets).units.tolist() == np.flatnonzero(counts).tolist()
