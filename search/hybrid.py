"""Hybrid search: graph traversal + BM25 + dense retrieval, fused, with an explanation per hit.

"Which measures involve X" (intent ``involving``) is answered by the graph alone and is
exact. Everything else runs in named phases:

- retrieval (``search.retrieval``): the query's BM25 terms (an English query's through the
  CC-CEDICT glossary), BM25, dense retrieval, a linked entity's measures and their neighbours;
- thresholding (``search.threshold``): a query none of whose retrievers is confident gets no
  results and ``why = "no_close_match"``;
- fusion (``search.fusion``): scores made comparable per retriever and summed with per-query
  weights;
- paging (:meth:`Searcher._page`): the true ``total`` and the page from ``offset``;
- evidence (``search.evidence``): each hit as a result object quoting the span that matched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from core.errors import BadInputError
from search.evidence import best_clause, hit, unit_of
from search.fusion import fuse, fusion_weights, top
from search.glossary import GlossaryMatch, is_english
from search.index import SearchIndex
from search.modes import MODES
from search.query import LabelMatcher, QueryAnalysis, analyse, compound_subject
from search.retrieval import (QueryTerms, TermAnalyser, as_vector, deadline_years, graph_retrieve, related_retrieve, named_weight,
                              target_scores, text_retrieve)
from search.threshold import NO_CLOSE_MATCH, close_match, dense_rank, words_together

__all__ = ["MODES", "NO_CLOSE_MATCH", "SearchResponse", "Searcher"]


@dataclass
class SearchResponse:
    query: str
    analysis: QueryAnalysis
    results: list[dict] = field(default_factory=list)
    total: int = 0  # results there are in all (``results`` is the page from ``offset``)
    offset: int = 0
    why: str | None = None  # "no_close_match" when nothing is close enough to the query
    glossary: list[GlossaryMatch] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {"query": self.query, "analysis": self.analysis.to_dict(), "results": self.results,
               "total": self.total, "offset": self.offset}
        if self.glossary:
            out["analysis"]["glossary"] = [m.to_dict() for m in self.glossary]
        if self.why:
            out["why"] = self.why
        return out


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
        self._terms = TermAnalyser(index, view, self._labels)
        self._qcache: dict[str, np.ndarray] = {}
        self._qlock = threading.Lock()  # requests run in several threads: eviction must not race
        self._years: np.ndarray | None = None  # (unit position, deadline year) rows, see deadline_years

    def search(self, query: str, k: int = 10, mode: str = "hybrid", offset: int = 0,
               whole: bool = False) -> SearchResponse:
        """Rank units for ``query``.

        Args:
            query: free text, a name, or a question ("哪些措施涉及X", "which measures involve X").
            k: results wanted (an ``involving`` question pages its exact set; ``total`` counts it).
            mode: ``hybrid`` (default), or one retriever alone: ``bm25``, ``dense``, ``graph``.
            offset: results to skip (paging); ``total`` says how many there are.
            whole: an ``involving`` question returns its whole exact set from ``offset`` (for callers
                that filter it), not a page of ``k``.

        Raises:
            BadInputError: unknown mode, or k or offset out of range.
        """
        _check(mode, k, offset)
        qa = analyse(query, self._labels)
        resp = SearchResponse(query=qa.text, analysis=qa, offset=offset)
        if qa.empty or not self.index.units:
            return resp
        terms = self._terms.terms(qa, mode)
        resp.glossary = terms.glossary
        exact = mode in ("hybrid", "graph") and qa.intent == "involving"
        graph_scores, ginfo = ({}, {}) if mode in ("bm25", "dense") else graph_retrieve(self.view, qa, generic=exact)
        if exact:
            return self._exact(resp, terms, graph_scores, ginfo, None if whole else k)
        comp = self._retrieve(qa, mode, terms, graph_scores, ginfo)
        if mode == "hybrid" and not close_match(qa, comp, **self.match_evidence(qa, terms, comp)):
            resp.why = NO_CLOSE_MATCH
            return resp
        fused = fuse(comp, fusion_weights(qa, comp, terms.coverage, self._named_weight))
        return self._page(resp, fused, comp, terms, ginfo, k)

    def match_evidence(self, qa: QueryAnalysis, terms: QueryTerms, comp: dict[str, np.ndarray]) -> dict:
        """What :func:`search.threshold.close_match` weighs besides the score arrays: the query's
        language, its lexical coverage, its words found together in one unit and the dense rank of a
        unit holding them, the encoder."""
        together, units = words_together(self.index.bm25, comp["bm25"], terms.words) if "bm25" in comp else (0, ())
        agree = dense_rank(comp["dense"], units) if "dense" in comp and together else None
        return {"english": bool(terms.glossary) or is_english(qa.text), "coverage": terms.lexical,
                "together": together, "agree_rank": agree, "encoder_name": self.encoder.name if self.encoder else None}

    # -- phases ----------------------------------------------------------------------------------
    def _exact(self, resp: SearchResponse, terms: QueryTerms, graph_scores: dict[str, float],
               ginfo: dict[str, dict], k: int | None) -> SearchResponse:
        """"Which measures involve X": the graph's exact set, best evidence first, ranked whole and
        explained for the page of ``k`` only (None: all of it from the offset). X written
        as adjacent entity names (北京 + 大兴国际机场) is one name that is no entity: the measures whose
        text contains it, if any do."""
        name = compound_subject(resp.analysis)
        if name:
            text_scores, text_info = text_retrieve(self.index, self.view, name)
            if text_scores:
                graph_scores, ginfo = text_scores, text_info
        bm = self.index.bm25_scores(terms.tokens)
        order = sorted(graph_scores, key=lambda i: (-graph_scores[i], -self._at(bm, i), self._order(i)))
        resp.total = len(order)
        resp.results = [hit(unit_of(self.index, self.view, i), graph_scores[i], resp.analysis, terms.tokens,
                            ginfo.get(i), {"graph": graph_scores[i]})
                        for i in (order[resp.offset:] if k is None else order[resp.offset:resp.offset + k])]
        return resp

    def _retrieve(self, qa: QueryAnalysis, mode: str, terms: QueryTerms, graph_scores: dict[str, float],
                  ginfo: dict[str, dict]) -> dict[str, np.ndarray]:
        """Each retriever's scores over all units (the retrievers ``mode`` runs)."""
        comp: dict[str, np.ndarray] = {}
        gvec = as_vector(self.index, graph_scores) if graph_scores else None
        if mode in ("hybrid", "bm25"):
            comp["bm25"] = self.index.bm25_scores(terms.all)
        if mode in ("hybrid", "dense") and self.encoder is not None:
            # BM25's best (and the graph's measures) join the dense retriever's clause rerank pool
            pool = [top(arr) for arr in comp.values()]
            if gvec is not None:
                pool.append(top(gvec))
            comp["dense"] = self.index.dense_scores(self._query_vector(qa.text),
                                                    np.concatenate(pool) if pool else ())
        if mode in ("hybrid", "graph") and gvec is not None:
            comp["graph"] = gvec
            related = related_retrieve(self.index, self.view, graph_scores, ginfo)
            if related:
                comp["related"] = as_vector(self.index, related)
        if mode == "hybrid" and qa.intent == "targets_due" and qa.year:
            if self._years is None:  # (unit position, deadline year) of every deadline, read once
                self._years = deadline_years(self.index.units)
            comp["target"] = target_scores(self._years, len(self.index.units), qa.year)
        return comp

    def _page(self, resp: SearchResponse, fused: np.ndarray, comp: dict[str, np.ndarray], terms: QueryTerms,
              ginfo: dict[str, dict], k: int) -> SearchResponse:
        """The true total and the ``k`` results from ``resp.offset``, each with its evidence."""
        positive = np.flatnonzero(fused > 0)  # ranked among themselves: the same order as a stable sort of all
        ranked = positive[np.argsort(-fused[positive], kind="stable")]
        resp.total = len(positive)
        clause = (lambda u: best_clause(self.index, u, self._qcache.get(resp.query))) if resp.glossary else None
        for i in ranked[resp.offset:resp.offset + k]:
            if fused[i] <= 0:
                break
            scores = {name: float(arr[i]) for name, arr in comp.items()}
            scores["fused"] = float(fused[i])
            if "bm25" in comp:
                scores["bm25_coverage"] = terms.coverage
            u = self.index.units[i]
            resp.results.append(hit(u, float(fused[i]), resp.analysis, terms.all, ginfo.get(u.id), scores,
                                    resp.glossary, clause))
        return resp

    # -- helpers ---------------------------------------------------------------------------------
    def _named_weight(self, iris: list[str]) -> float:
        return named_weight(self.view, iris)

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

    def _at(self, arr: np.ndarray, iri: str) -> float:
        pos = self.index.position.get(iri)
        return float(arr[pos]) if pos is not None else 0.0

    def _order(self, iri: str) -> tuple:
        pos = self.index.position.get(iri)
        return (0, pos) if pos is not None else (1, iri)


def _check(mode: str, k: int, offset: int) -> None:
    if mode not in MODES:
        raise BadInputError(f"Unknown search mode {mode!r}. Choose from {', '.join(repr(m) for m in MODES)}.")
    if not isinstance(k, int) or not 1 <= k <= 1000:
        raise BadInputError(f"k must be an integer from 1 to 1000, got {k!r}.")
    if not isinstance(offset, int) or not 0 <= offset <= 100_000:
        raise BadInputError(f"offset must be an integer from 0 to 100000, got {offset!r}.")
