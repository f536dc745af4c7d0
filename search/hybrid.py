"""Hybrid search: graph traversal + BM25 + dense retrieval, fused, with an explanation per hit.

"Which measures involve X" (intent ``involving``) is answered by the graph alone and is
exact. Everything else fuses the retrievers' scores: each retriever's top ``DEPTH`` units
are min-max normalised to [0, 1] and summed with per-query weights (``Searcher._fuse``).

BM25's weight is scaled by its *coverage*: the share of the query's word characters that
fall in tokens BM25 knows. A query in the corpus's own words (a term, a name) keeps BM25's
full weight; a paraphrase or an English question, of which BM25 matches only a few common
words, leans on dense retrieval instead.

How the fusion was chosen (dev half, odd ids of ``tests/data/questions.jsonl``; the test half
only checked afterwards): once dense retrieval rescored clauses (``search.passages``),
dense-only beat the old rank fusion on dev (MRR 0.951 vs 0.936) because rank fusion turns a
near-tie in dense scores into a whole-rank gap that BM25's or the graph's ranks overturn.
Score fusion with dense weight 2 to 8 gave the same dev figures (hybrid = dense 0.951 MRR,
recall@5 0.97 vs 0.95); 4 is the middle of that plateau. Scaling the graph's weight by the
linked entities' IDF changed nothing on dev, so it was left out. Test half: hybrid MRR 0.938
vs dense 0.870 and BM25 0.61.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from policykg.errors import BadInputError
from search.index import SearchIndex, Unit
from search.query import LabelMatcher, QueryAnalysis, analyse

MODES = ("hybrid", "bm25", "dense", "graph")
#: How deep each retriever's ranking is taken into the fusion.
DEPTH = 100
#: Weights of the retrievers in the fusion (see the module docstring for how they were chosen).
#: Earlier, with rank fusion and chunk-only dense scores, a lower graph weight (0.5, 0.25) cost
#: English questions naming a programme (MRR 0.73 -> 0.56).
WEIGHTS = {"bm25": 1.0, "dense": 4.0, "graph": 1.0, "related": 0.1, "target": 0.5}
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)\s*((?:19|20)\d{2})\s*年")
_WORD = re.compile(r"\w")
_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")


@dataclass
class SearchResponse:
    query: str
    analysis: QueryAnalysis
    results: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"query": self.query, "analysis": self.analysis.to_dict(), "results": self.results}


class Searcher:
    """Answers queries over a :class:`SearchIndex`, a ``graph.view.GraphView`` and an encoder.

    Args:
        index: the search index.
        view: the graph view, or None (no entity linking or graph retrieval).
        encoder: the query encoder (same model as the index's embeddings), or None.
    """

    def __init__(self, index: SearchIndex, view=None, encoder=None) -> None:
        self.index = index
        self.view = view
        self.encoder = encoder if index.embeddings is not None else None
        if encoder is not None and index.encoder_name and encoder.name != index.encoder_name:
            raise BadInputError(
                f"The index was embedded with encoder {index.encoder_name!r} but the query encoder is "
                f"{encoder.name!r}. Use the same encoder, or run `policykg ingest --rebuild`."
            )
        self._labels = LabelMatcher(view.label_index()) if view is not None else None
        self._qcache: dict[str, np.ndarray] = {}
        self._qlock = threading.Lock()  # requests run in several threads: eviction must not race

    # -- retrievers -------------------------------------------------------------------------
    def _graph(self, qa: QueryAnalysis) -> tuple[dict[str, float], dict[str, dict]]:
        """Entity → its measures (weight 1 per entity), plus one hop to related measures (lower)."""
        scores: dict[str, float] = {}
        info: dict[str, dict] = {}
        if self.view is None:
            return scores, info
        for ent in qa.entities:
            for iri in ent.iris:
                e = self.view.entity(iri)
                label = e.label_zh if e else ent.text
                for inv in self.view.measures_involving(iri):
                    scores[inv.measure_iri] = scores.get(inv.measure_iri, 0.0) + 1.0 + 0.01 * len(inv.evidence)
                    d = info.setdefault(inv.measure_iri, {"entities": [], "path": [], "evidence": [], "roles": []})
                    d["entities"].append({"label": label, "iri": iri})
                    d["path"].append(f"{label} —involves→ measure")
                    d["evidence"].extend({"text": ev.text, "start": ev.start, "end": ev.end} for ev in inv.evidence)
                    d["roles"].extend(inv.roles)
        return scores, info

    def _related(self, direct: dict[str, float], info: dict[str, dict]) -> dict[str, float]:
        rel: dict[str, float] = {}
        if self.view is None:
            return rel
        for iri in list(direct)[:20]:
            for other, weight, shared in self.view.related_measures(iri, limit=5):
                if other in direct:
                    continue
                rel[other] = max(rel.get(other, 0.0), float(weight))
                d = info.setdefault(other, {"entities": [], "path": [], "evidence": [], "roles": []})
                if len(d["path"]) < 3:
                    d["path"].append(f"related to {self._label(iri)} via {len(shared)} shared entit{'y' if len(shared) == 1 else 'ies'}")
        return rel

    def _label(self, iri: str) -> str:
        pos = self.index.position.get(iri)
        if pos is not None:
            u = self.index.units[pos]
            return f"{u.docno or u.doc_title} {u.label or ''}".strip()
        return iri

    def _targets(self, year: int) -> np.ndarray:
        """Units stating a deadline ``到YYYY年`` no later than ``year`` (score = 1)."""
        out = np.zeros(len(self.index.units), dtype=np.float32)
        for i, u in enumerate(self.index.units):
            years = [int(y) for y in _TARGET_YEAR.findall(u.text)]
            if any(y <= year for y in years):
                out[i] = 1.0 + 0.1 * sum(1 for y in years if y == year)
        return out

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, mode: str = "hybrid") -> SearchResponse:
        """Rank units for ``query``.

        Args:
            query: free text, a name, or a question ("哪些措施涉及X", "which measures involve X").
            k: results wanted (an ``involving`` question returns its whole exact set).
            mode: ``hybrid`` (default), or one retriever alone: ``bm25``, ``dense``, ``graph``.

        Raises:
            BadInputError: unknown mode, or k out of range.
        """
        if mode not in MODES:
            raise BadInputError(f"Unknown search mode {mode!r}. Choose from {', '.join(repr(m) for m in MODES)}.")
        if not isinstance(k, int) or not 1 <= k <= 1000:
            raise BadInputError(f"k must be an integer from 1 to 1000, got {k!r}.")
        qa = analyse(query, self._labels)
        resp = SearchResponse(query=qa.text, analysis=qa)
        if qa.empty or not self.index.units:
            return resp
        words = [t for t in self.index.tokenizer(qa.text) if _WORD.search(t)]
        vocab = self.index.bm25.vocab_dict
        tokens = [t for t in dict.fromkeys(words) if t in vocab]
        coverage = sum(len(t) for t in words if t in vocab) / max(1, sum(len(t) for t in words))
        graph_scores, ginfo = ({}, {}) if mode in ("bm25", "dense") else self._graph(qa)

        if mode in ("hybrid", "graph") and qa.intent == "involving":
            bm = self.index.bm25_scores(tokens)
            order = sorted(graph_scores, key=lambda i: (-graph_scores[i], -self._at(bm, i), self._order(i)))
            resp.results = [self._result(i, graph_scores[i], qa, tokens, ginfo.get(i), {"graph": graph_scores[i]})
                            for i in order]
            return resp

        comp: dict[str, np.ndarray] = {}
        gvec = self._vector(graph_scores) if graph_scores else None
        if mode in ("hybrid", "bm25"):
            comp["bm25"] = self.index.bm25_scores(tokens)
        if mode in ("hybrid", "dense") and self.encoder is not None:
            # BM25's best (and the graph's measures) join the dense retriever's clause rerank pool
            pool = [self._top(arr) for arr in comp.values()]
            if gvec is not None:
                pool.append(self._top(gvec))
            comp["dense"] = self.index.dense_scores(self._query_vector(qa.text),
                                                    np.concatenate(pool) if pool else ())
        if mode in ("hybrid", "graph") and gvec is not None:
            comp["graph"] = gvec
            related = self._related(graph_scores, ginfo)
            if related:
                comp["related"] = self._vector(related)
        if mode == "hybrid" and qa.intent == "targets_due" and qa.year:
            comp["target"] = self._targets(qa.year)

        fused = self._fuse(comp, {"bm25": WEIGHTS["bm25"] * coverage})
        top = [i for i in np.argsort(-fused, kind="stable")[:k] if fused[i] > 0]
        for i in top:
            uid = self.index.units[i].id
            scores = {name: float(arr[i]) for name, arr in comp.items()}
            scores["fused"] = float(fused[i])
            if "bm25" in comp:
                scores["bm25_coverage"] = coverage
            resp.results.append(self._result(uid, float(fused[i]), qa, tokens, ginfo.get(uid), scores))
        return resp

    def _query_vector(self, text: str) -> np.ndarray:
        """Encoded query, remembered for the last 256 distinct queries."""
        with self._qlock:
            vec = self._qcache.get(text)
        if vec is None:
            vec = self.encoder.encode_queries([text])[0]
            with self._qlock:
                while len(self._qcache) >= 256:
                    self._qcache.pop(next(iter(self._qcache)))
                self._qcache[text] = vec
        return vec

    @staticmethod
    def _fuse(comp: dict[str, np.ndarray], weights: dict[str, float] | None = None) -> np.ndarray:
        weights = {**WEIGHTS, **(weights or {})}
        n = len(next(iter(comp.values()))) if comp else 0
        fused = np.zeros(n, dtype=np.float64)
        if len(comp) == 1:  # one retriever: keep its own order
            (arr,) = comp.values()
            return np.where(arr > 0, arr, 0.0) if arr.min() >= 0 else arr - arr.min() + 1e-9
        for name, arr in comp.items():
            idx = Searcher._top(arr)
            if not len(idx):
                continue
            top, low = float(arr[idx].max()), float(arr[idx].min())
            norm = (arr[idx] - low) / (top - low) if top > low else np.ones(len(idx))
            fused[idx] += weights.get(name, 1.0) * (norm + 1e-6)
        return fused

    @staticmethod
    def _top(arr: np.ndarray, depth: int = DEPTH) -> np.ndarray:
        """Positions of the ``depth`` best units with a positive score."""
        idx = np.argpartition(-arr, depth - 1)[:depth] if len(arr) > depth else np.arange(len(arr))
        return idx[arr[idx] > 0]

    def _vector(self, scores: dict[str, float]) -> np.ndarray:
        out = np.zeros(len(self.index.units), dtype=np.float32)
        for iri, s in scores.items():
            pos = self.index.position.get(iri)
            if pos is not None:
                out[pos] = s
        return out

    def _at(self, arr: np.ndarray, iri: str) -> float:
        pos = self.index.position.get(iri)
        return float(arr[pos]) if pos is not None else 0.0

    def _order(self, iri: str) -> tuple:
        pos = self.index.position.get(iri)
        return (0, pos) if pos is not None else (1, iri)

    # -- results ------------------------------------------------------------------------------
    def _unit(self, iri: str) -> Unit | None:
        pos = self.index.position.get(iri)
        if pos is not None:
            return self.index.units[pos]
        m = self.view.measure(iri) if self.view is not None else None
        if m is None:
            return None
        return Unit(id=m.iri, doc_key=m.doc_key, docno=m.docno, doc_title=m.doc_title, number=m.number,
                    label=m.label, ordinal=m.ordinal, section=m.section, heading=m.heading, text=m.text,
                    start=m.start, end=m.end)

    def _result(self, iri: str, score: float, qa: QueryAnalysis, tokens: list[str], ginfo: dict | None,
                scores: dict[str, float]) -> dict:
        u = self._unit(iri)
        if u is None:  # the graph knows a measure the index does not: report it plainly
            u = Unit(id=iri, doc_key="", docno=None, doc_title="", number=None, label=None, ordinal=None,
                     section=None, heading="", text="", start=0, end=0)
        ginfo = ginfo or {}
        terms = [t for t in tokens if t.lower() in u.text.lower()]
        evidence = ginfo.get("evidence") or self._evidence(u, terms)
        return {
            "document": u.docno or u.doc_title,
            "measure": u.number,
            "title": u.heading or u.doc_title,
            "text": u.text,
            "score": round(float(score), 6),
            "why": {
                "intent": qa.intent,
                "entities": _dedup(ginfo.get("entities", [])),
                "terms": terms,
                "graph_path": list(dict.fromkeys(ginfo.get("path", []))),
                "roles": sorted(set(ginfo.get("roles", []))),
                "scores": {name: round(v, 6) for name, v in scores.items()},
            },
            "document_key": u.doc_key,
            "document_title": u.doc_title,
            "measure_label": u.label,
            "section": u.section,
            "iri": u.id,
            "evidence": evidence[:5],
        }

    @staticmethod
    def _evidence(u: Unit, terms: list[str]) -> list[dict]:
        """The sentence of the unit holding most matched terms (offsets into the document text)."""
        best, best_n = None, 0
        for m in _SENT.finditer(u.text):
            n = sum(1 for t in terms if t.lower() in m.group().lower())
            if n > best_n:
                best, best_n = m, n
        if best is None:
            return []
        return [{"text": best.group(), "start": u.start + best.start(), "end": u.start + best.end()}]


def _dedup(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for d in items:
        if d["iri"] not in seen:
            seen.add(d["iri"])
            out.append(d)
    return out
