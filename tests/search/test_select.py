"""search.select.best: the k largest and their ties, whatever the order or the ties of the scores."""

import numpy as np
import pytest

from search.select import STRIDE, best


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
