"""Word segmentation speed and agreement with jieba, per backend, with the domain dictionary.

    python bench/bench_segment.py            # gov-policy + every 4th report + every 40th law (~0.8 M characters)
    python bench/bench_segment.py --quick    # a tenth of that, one run

For each backend that is installed it measures, on the same fixed sample of ../shared/corpus,
characters/s of ``segment`` (precise cut, whitespace dropped) and ``tokenize`` (search-mode cut,
lower-cased, punctuation dropped: what BM25 indexes), median of --repeat runs, by wall clock and by
CPU time of this process (the figure to trust on a shared machine). Then it compares each backend's
words and tokens with plain jieba's: documents that differ, the share of jieba's tokens not matched,
and the first few differences; and it checks that gazetteer names stay whole.

Backends: ``jieba`` (the baseline: ``jieba.Tokenizer`` with the domain dictionary); ``policykg``
(``ingest.segment``: jieba's algorithm with jieba-fast's C path search); ``policykg-py`` (the same
code on jieba's Python path search: the fallback); and, if installed, ``jieba_fast``,
``jieba_fast_dat`` and ``rjieba`` used as their own segmenters with the same dictionary.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
NAMES = [("支持河北软件职业技术学院建设祖冲之学院", "河北软件职业技术学院"),
         ("依托保定国家高新技术产业开发区等产业园区", "保定国家高新技术产业开发区")]


def sample(quick: bool) -> list[str]:
    """The fixed sample: all of gov-policy, every 4th report, every 40th law (sorted by path)."""
    step = 10 if quick else 1
    files = sorted((CORPUS / "gov-policy").rglob("*.txt"))[::step]
    files += sorted((CORPUS / "reports").rglob("*.txt"))[:: 4 * step]
    files += sorted((CORPUS / "laws").rglob("*.txt"))[:: 40 * step]
    return [f.read_text("utf-8", errors="replace") for f in files]


def search_tokens(words) -> list[str]:
    """The project's post-processing of a search-mode cut (as ``ingest.segment.tokenize``)."""
    from ingest.segment import _DROP

    out = []
    for w in words:
        w = w.strip().lower()
        if w and not _DROP.match(w):
            out.append(w)
    return out


def backends(dic: str) -> dict[str, tuple[Callable, Callable]]:
    """name → (segment, tokenize), for every backend that imports."""
    import jieba

    from ingest.segment import Segmenter, get_tokenizer

    jieba.setLogLevel(logging.WARNING)
    tok = get_tokenizer()
    out: dict[str, tuple[Callable, Callable]] = {
        "jieba": (lambda t: [w for w in tok.cut(t) if w.strip()], lambda t: search_tokens(tok.cut_for_search(t)))}
    for name, fast in (("policykg", True), ("policykg-py", False)):
        seg = Segmenter(tok, fast=fast)
        if fast and seg.backend != "jieba-fast":
            print("policykg: jieba-fast not installed, skipped")
            continue
        out[name] = (lambda t, s=seg: [w for w in s.cut(t) if w.strip()], seg.tokens)
    for mod in ("jieba_fast", "jieba_fast_dat"):
        try:
            m = __import__(mod)
        except ImportError:
            print(f"{mod}: not installed, skipped")
            continue
        if hasattr(m, "setLogLevel"):
            m.setLogLevel(logging.WARNING)
        t = m.Tokenizer(dictionary=dic)
        t.initialize()
        out[mod] = (lambda x, t=t: [w for w in t.cut(x) if w.strip()],
                    lambda x, t=t: search_tokens(t.cut_for_search(x)))
    try:
        import rjieba
    except ImportError:
        print("rjieba: not installed, skipped")
    else:
        r = rjieba.Jieba.empty()
        with open(dic, encoding="utf-8") as fh:
            for line in fh:
                p = line.split()
                if p:
                    r.add_word(p[0], int(p[1]) if len(p) > 1 else None, p[2] if len(p) > 2 else None)
        out["rjieba"] = (lambda x: [w for w in r.cut(x) if w.strip()], lambda x: search_tokens(r.cut_for_search(x)))
    return out


def timed(fn: Callable, texts: list[str], repeat: int) -> tuple[float, float, list[list[str]]]:
    """Median wall and CPU seconds over ``repeat`` runs, and the last run's output."""
    walls, cpus = [], []
    res: list[list[str]] = []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        res = [fn(t) for t in texts]
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), res


def agreement(ref: list[list[str]], got: list[list[str]]) -> tuple[int, float, list[str]]:
    """(documents that differ, share of reference tokens not matched, up to 3 examples)."""
    docs, missed, examples = 0, 0, []
    for a, b in zip(ref, got):
        if a == b:
            continue
        docs += 1
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        missed += len(a) - sum(m.size for m in sm.get_matching_blocks())
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "equal" and len(examples) < 3:
                examples.append(f"jieba {a[max(0, i1 - 1):i2 + 1]} vs {b[max(0, j1 - 1):j2 + 1]}")
    return docs, missed / max(1, sum(map(len, ref))), examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a tenth of the sample, one run")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    from ingest.segment import dictionary_path

    texts = sample(args.quick)
    chars = sum(map(len, texts))
    print(f"sample: {len(texts)} documents, {chars:,} characters; median of {repeat}")
    found = backends(str(dictionary_path()))
    ref: dict[str, list[list[str]]] = {}
    rows = []
    for name, fns in found.items():
        row = [name]
        for mode, fn in zip(("segment", "tokenize"), fns):
            fn(texts[0])  # warm up (lazy loading)
            wall, cpu, res = timed(fn, texts, repeat)
            row += [chars / wall, chars / cpu]
            if name == "jieba":
                ref[mode] = res
                row.append("reference")
            else:
                docs, rate, ex = agreement(ref[mode], res)
                row.append(f"{docs}/{len(texts)} docs differ, {rate:.3%} tokens" + ("" if not ex else f"; {ex[0]}"))
                for e in ex[1:]:
                    print(f"  {name} {mode}: {e}")
        whole = all(word in fns[0](text) for text, word in NAMES)
        row.append("names whole" if whole else "NAMES SPLIT")
        rows.append(row)
        print(f"{name:15s} segment {row[1]:>11,.0f}/s wall {row[2]:>11,.0f}/s CPU  [{row[3]}]\n"
              f"{'':15s} tokenize {row[4]:>10,.0f}/s wall {row[5]:>11,.0f}/s CPU  [{row[6]}]  {row[7]}", flush=True)
    base = rows[0]
    for row in rows[1:]:
        print(f"{row[0]}: segment {row[2] / base[2]:.2f}x, tokenize {row[5] / base[5]:.2f}x jieba (CPU time)")


if __name__ == "__main__":
    main()
