"""Retrieval: the query's BM25 terms (with the glossary's Chinese terms for an English query) and
the graph retrievers (a linked entity's measures, one hop to related measures, targets due)."""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np

from graph.text_find import TextFinder, finder_for
from search.fusion import GLOSSARY_WEIGHT
from search.glossary import GlossaryMatch, default_glossary, is_english
from search.graph_hits import GraphInfo, graph_hits
from search.index import SearchIndex, Unit
from search.query import LabelMatcher, LinkedEntity, QueryAnalysis, link_entities
from search.unit_table import UnitTable

_WORD = re.compile(r"\w")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+")
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)\s*((?:19|20)\d{2})\s*年")
_EN_STOP = frozenset("a an the of for to in on at by with and or as is are be do does which what who how "
                     "when where can should will that this these those from into about any all".split())


@dataclass
class QueryTerms:
    """What BM25 can match of a query."""

    tokens: list[str]  # the query's own tokens BM25 knows
    coverage: float  # BM25's weight factor: share of the query's word characters BM25 knows (English: glossary x 3)
    lexical: float  # share of the query BM25 can match (English: of its content words, via the glossary)
    glossary: list[GlossaryMatch] = field(default_factory=list)
    gtokens: list[str] = field(default_factory=list)  # the glossary terms' tokens not already in ``tokens``
    #: each word of the query (a Chinese token, an English content word) as the BM25 tokens that
    #: stand for it ([] for a word BM25 cannot match): what ``search.threshold.words_together`` counts
    words: list[list[str]] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        return self.tokens + self.gtokens


class TermAnalyser:
    """A query's BM25 terms; an English query's glossary phrases become Chinese terms, and those
    naming a specific graph entity link it."""

    def __init__(self, index: SearchIndex, view=None, labels: LabelMatcher | None = None) -> None:
        self.index = index
        self.view = view
        self.labels = labels
        self._tcache: dict[str, list[str]] = {}  # glossary term -> its BM25 tokens ([] if unknown)
        self._lock = threading.Lock()

    def terms(self, qa: QueryAnalysis, mode: str) -> QueryTerms:
        """The BM25 terms of ``qa`` (may add glossary-linked entities to ``qa.entities``)."""
        words = [t for t in self.index.tokenizer(qa.text) if _WORD.search(t)]
        vocab = self.index.bm25.vocab_dict
        tokens = [t for t in dict.fromkeys(words) if t in vocab]
        coverage = sum(len(t) for t in words if t in vocab) / max(1, sum(len(t) for t in words))
        out = QueryTerms(tokens=tokens, coverage=coverage, lexical=coverage,
                         words=[[t] if t in vocab else [] for t in words])
        if is_english(qa.text) and mode != "dense":
            out.glossary, gtokens, gcoverage = self._glossary_terms(qa)
            out.lexical = max(coverage, gcoverage)
            out.coverage = max(coverage, GLOSSARY_WEIGHT * gcoverage)
            out.gtokens = [t for t in gtokens if t not in tokens]
            out.words = self._english_words(qa, out.glossary)
        return out

    def _english_words(self, qa: QueryAnalysis, matches: list[GlossaryMatch]) -> list[list[str]]:
        """Each content word of an English query as the BM25 tokens of the glossary terms of the
        phrase covering it (every occurrence counts: a word the query repeats weighs more)."""
        out = []
        for w in _EN_WORD.finditer(qa.text):
            if w.group().lower() in _EN_STOP:
                continue
            toks = [t for m in matches if m.start <= w.start() < m.end for term in m.terms for t in self._term_tokens(term)]
            out.append(list(dict.fromkeys(toks)))
        return out

    def _glossary_terms(self, qa: QueryAnalysis) -> tuple[list[GlossaryMatch], list[str], float]:
        """Glossary phrases of an English query, the BM25 tokens of their Chinese terms, and the
        share of the query's content words they cover."""
        glossary = default_glossary()
        if glossary is None:
            return [], [], 0.0
        matches = glossary.expand(qa.text, keep=self._known_term, weight=self._term_weight)
        tokens = list(dict.fromkeys(t for m in matches for term in m.terms for t in self._term_tokens(term)))
        words = [w for w in _EN_WORD.finditer(qa.text) if w.group().lower() not in _EN_STOP]
        covered = sum(1 for w in words if any(m.start <= w.start() < m.end for m in matches))
        if self.labels:
            self._link_terms(qa, matches)
        return matches, tokens, covered / max(1, len(words))

    def _link_terms(self, qa: QueryAnalysis, matches: list[GlossaryMatch]) -> None:
        """Glossary terms that are a specific entity's name link it (not inside a linked name)."""
        linked = {i for e in qa.entities for i in e.iris}
        spans = [(e.start, e.end) for e in qa.entities]
        for m in matches:
            if any(s <= m.start and m.end <= e for s, e in spans):
                continue  # inside a name the query already links ("… Vocational College" of a college)
            for term in m.terms:
                for e in link_entities(term, self.labels):
                    iris = [i for i in e.iris if self._specific(i)]
                    if e.text == term and iris and not set(iris) <= linked:
                        qa.entities.append(LinkedEntity(m.phrase, m.start, m.end, iris))
                        linked.update(iris)

    def _specific(self, iri: str) -> bool:
        """A glossary term links only a specific entity, never a generic role (职业院校, 有关部门)."""
        return not is_generic(self.view, iri)

    def _term_tokens(self, term: str) -> list[str]:
        toks = self._tcache.get(term)
        if toks is None:
            vocab = self.index.bm25.vocab_dict
            toks = [t for t in self.index.tokenizer(term) if _WORD.search(t)]
            toks = toks if toks and all(t in vocab for t in toks) else []
            with self._lock:
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


def graph_retrieve(view, qa: QueryAnalysis, generic: bool = True) -> tuple[dict[str, float], GraphInfo | dict]:
    """Each linked entity's measures (1 per entity, a little more per evidence span), and what
    the graph says of each (entities, path, evidence, roles), explained only when asked
    (:mod:`search.graph_hits`). ``generic=False`` leaves out generic roles (学校, 企业): in free
    text they are words BM25 already matches, not names."""
    if view is None:
        return {}, {}
    linked = []
    for ent in qa.entities:
        for iri in ent.iris:
            if not generic and is_generic(view, iri):
                continue
            e = view.entity(iri)
            linked.append((iri, e.label_zh if e else ent.text))
    return graph_hits(view, linked)


def text_retrieve(index: SearchIndex, view, name: str) -> tuple[dict[str, float], dict[str, dict]]:
    """Units whose text contains ``name`` (spaces and case ignored), in index order, with the
    spans as evidence: the answer for a name that is no entity.

    The view's measures are found through its bigram index (``graph.text_find.finder_for``, the
    one :func:`graph.results.measures_containing` uses), which reads only the measures that hold
    every pair of adjacent characters of the name; the few units that are no measure of the view
    (sections' lead paragraphs, documents without measures) have a bigram index of their own."""
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return {}, {}
    finder = finder_for(view)
    found = [(pos, spans) for m, spans in finder.find(name) if (pos := index.position.get(finder.iris[m])) is not None]
    positions, others = _units_outside(index, finder)
    found += [(positions[m], spans) for m, spans in others.find(name)]
    scores: dict[str, float] = {}
    info: dict[str, dict] = {}
    for pos, spans in sorted(found, key=lambda f: f[0]):
        u = index.units[pos]
        scores[u.id] = 1.0 + 0.01 * len(spans)
        info[u.id] = {"entities": [], "path": [f"text contains {name}"], "roles": [],
                      "evidence": [{"text": u.text[a:b], "start": u.start + a, "end": u.start + b} for a, b in spans]}
    return scores, info


_outside: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_outside_lock = threading.Lock()


def _units_outside(index: SearchIndex, finder: TextFinder) -> tuple[list[int], TextFinder]:
    """The index's units that are no measure of the finder's view (sections' leads, documents without
    measures: 483 on the full corpus, whole reports among them): their positions and a bigram index
    over their texts, built once per index and view."""
    with _outside_lock:
        known = _outside.get(index)
        if known is None or known[0]() is not finder:
            measures = set(finder.iris)
            rest = [i for uid, i in index.position.items() if uid not in measures]
            known = _outside[index] = (weakref.ref(finder), rest, TextFinder([index.units[i].text for i in rest]))
    return known[1], known[2]


def related_retrieve(index: SearchIndex, view, direct: dict[str, float], info: dict[str, dict]) -> dict[str, float]:
    """Measures sharing entities with the graph's best 20 (one hop), by the related weight."""
    rel: dict[str, float] = {}
    if view is None:
        return rel
    for iri in list(direct)[:20]:
        for other, weight, shared in view.related_measures(iri, limit=5):
            if other in direct:
                continue
            rel[other] = max(rel.get(other, 0.0), float(weight))
            d = info.setdefault(other, {"entities": [], "path": [], "evidence": [], "roles": []})
            if len(d["path"]) < 3:
                d["path"].append(f"related to {_label(index, iri)} via {len(shared)} shared "
                                 f"entit{'y' if len(shared) == 1 else 'ies'}")
    return rel


def is_generic(view, iri: str) -> bool:
    """Whether ``iri`` is a generic role (职业院校, 有关部门, 企业) rather than a named entity."""
    info = view.entity(iri) if view is not None else None
    return info is not None and info.type == "generic"


def named_weight(view, iris: list[str]) -> float:
    """How much a mention counts in the share of the query that names something: 1 for a named
    entity, 0 for a generic role. (Weighting names by log(N / n) / log(N), n the measures they
    involve, changed nothing on dev once generic roles were left out, and on the full corpus let
    BM25 matches of an English name's common words outrank the measures of a body involved in
    hundreds: National Medical Products Administration, 274 measures.)"""
    return 1.0 if any(not is_generic(view, i) for i in iris) else 0.0


def deadline_years(units) -> np.ndarray:
    """(unit position, year) of every deadline ``到YYYY年`` the units state, one row each."""
    texts = units.column("text") if isinstance(units, UnitTable) else [u.text for u in units]
    pairs = [(i, int(y)) for i, t in enumerate(texts) for y in _TARGET_YEAR.findall(t)]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def target_scores(years: np.ndarray, n_units: int, year: int) -> np.ndarray:
    """Units stating a deadline no later than ``year`` (score = 1, + 0.1 per deadline in ``year``
    itself), from the rows of :func:`deadline_years`.

    >>> rows = np.array([[0, 2025], [0, 2025], [2, 2030]])
    >>> target_scores(rows, 3, 2025).tolist()
    [1.2000000476837158, 0.0, 0.0]
    """
    pos, years_ = years[:, 0], years[:, 1]
    out = np.zeros(n_units, dtype=np.float32)
    out[pos[years_ <= year]] = 1.0
    np.add.at(out, pos[(years_ == year) & (out[pos] > 0)], 0.1)
    return out


def as_vector(index: SearchIndex, scores: dict[str, float]) -> np.ndarray:
    """Scores by unit IRI as an array over the index's units (units the index lacks dropped)."""
    out = np.zeros(len(index.units), dtype=np.float32)
    for iri, s in scores.items():
        pos = index.position.get(iri)
        if pos is not None:
            out[pos] = s
    return out


def _label(index: SearchIndex, iri: str) -> str:
    pos = index.position.get(iri)
    if pos is not None:
        u = index.units[pos]
        return f"{u.docno or u.doc_title} {u.label or ''}".strip()
    return iri
