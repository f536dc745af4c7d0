"""What the graph store's bulk load alone costs: the floor under a full ingest's CPU time.

    python bench/bench_store_load.py DATA        # the current generation of an ingested data folder
    python bench/bench_store_load.py DATA --repeat 3

Dumps the generation's store to N-Quads once (not timed), then bulk-loads that file into a fresh
on-disk store, as one file and as the ingest's 32 MB spool chunks, and into an in-memory store
(no disk, for comparison); prints wall and CPU seconds of each (the process's own CPU: the bulk
loader and the storage engine work in threads of their own, which a thread's clock misses) and
quads per second; medians over ``--repeat``. An ingest loads the same quads, so its CPU time
can fall no lower than this on the same machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _chunks(data: bytes, size: int) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        j = data.find(b"\n", min(i + size, len(data) - 1))
        j = len(data) if j < 0 else j + 1
        out.append(data[i:j])
        i = j
    return out


def main() -> int:
    from pyoxigraph import RdfFormat, Store

    from policykg.datadir import DataDir
    from policykg.merge import SPOOL_CHUNK

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="an ingested data folder")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    gen = DataDir(args.data).current()
    if gen is None:
        sys.exit(f"{args.data} holds no generation: ingest something first")
    with tempfile.TemporaryDirectory(prefix="pkg-store-load-") as tmp:
        dump = Path(tmp) / "all.nq"
        src = Store.read_only(str(gen.store))
        quads = len(src)
        src.dump(str(dump), format=RdfFormat.N_QUADS)
        del src
        data = dump.read_bytes()
        parts = _chunks(data, SPOOL_CHUNK)
        print(f"{quads:,} quads, {len(data) / 1e6:,.0f} MB of N-Quads, {len(parts)} spool chunks")
        runs: dict[str, list[tuple[float, float]]] = {"disk, one file": [], "disk, spool chunks": [], "memory": []}
        for _ in range(args.repeat):
            for name in runs:
                folder = Path(tmp) / "store"
                shutil.rmtree(folder, ignore_errors=True)
                store = Store() if name == "memory" else Store(str(folder))
                wall, cpu = time.perf_counter(), _cpu()
                if name == "disk, one file":
                    store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
                else:
                    for part in parts:
                        store.bulk_load(part, format=RdfFormat.N_QUADS)
                if name != "memory":
                    store.flush()
                runs[name].append((time.perf_counter() - wall, _cpu() - cpu))
                assert len(store) == quads, (name, len(store), quads)
                del store
        for name, got in runs.items():
            w = statistics.median(x[0] for x in got)
            c = statistics.median(x[1] for x in got)
            print(f"{name:>20}: {w:6.1f} s wall, {c:6.1f} CPU s, {quads / w:,.0f} quads/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
