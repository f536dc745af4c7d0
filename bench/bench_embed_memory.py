"""Peak memory of building the search index's vectors for a whole corpus, without the model's own.

Usage::

    python bench/bench_embed_memory.py --data DIR        # DIR: a data folder ingested with --no-embed

Reads the units of DIR's index and runs ``SearchIndex.build`` on them with every chunk and clause
embedded, then ``save``, printing the peak resident memory over the process's resident memory
before (what the vectors, the embedding cache and the lists of texts cost) and the wall time.
The encoder here is a stand-in that returns deterministic unit vectors at once (a random
projection of each text's character hashes), so a corpus of 23 M characters is measured in
minutes; the model's own memory is printed by ``bench/bench_doc_encoder.py`` (RSS column). Run it
with the baseline's code on ``PYTHONPATH`` (a checkout of the previous release) for the figure
to compare.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmRSS")) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="a data folder ingested with --no-embed")
    args = ap.parse_args()
    from search.encoders import Encoder
    from search.index import SearchIndex

    class Stand_in(Encoder):
        name, dim = "stand-in-384", 384
        _proj = np.random.default_rng(0).standard_normal((4096, 384)).astype(np.float32)

        def encode_queries(self, texts):
            return self.encode_passages(texts)

        def encode_passages(self, texts):
            rows = [self._proj[[hash(c) % 4096 for c in t[:8] or " "]].sum(0) for t in texts]
            out = np.asarray(rows, dtype=np.float32)
            return out / np.linalg.norm(out, axis=1, keepdims=True)

    gen = sorted((Path(args.data) / "generations").iterdir(), key=lambda p: int(p.name))[-1]
    index = SearchIndex.load(gen / "index", verify=False)
    units = [index.units[i] for i in range(len(index.units))]
    tokens = [[""] for _ in units]  # BM25 is not what is measured: one empty token per unit
    del index
    before = rss_mb()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        built = SearchIndex.build(units, Stand_in(), tmp, progress=False, tokens=tokens)
        built.save(Path(tmp) / "out")
        n_chunks, n_clauses = len(built.chunk_embeddings), len(built.clause_embeddings)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(units):,} units, {n_chunks:,} chunk and {n_clauses:,} clause vectors; {time.perf_counter() - t0:.0f} s; "
          f"RSS before build {before:,.0f} MB, peak {peak:,.0f} MB: the build's vectors, cache and texts +{peak - before:,.0f} MB")


if __name__ == "__main__":
    main()
