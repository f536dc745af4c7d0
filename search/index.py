"""The persisted search index: units (measures), BM25 over jieba tokens, unit embeddings.

A *unit* is what search returns: one measure, or, for a document without measures,
its preamble (or whole text). Units are split into sentence-aligned chunks of at most
~200 characters for the encoder, and a unit's dense score is the best cosine of any of
its chunks with the query (a question usually matches one or two sentences of a
measure; one vector for the whole measure blurs them). On the question set of
``tests/data/questions.jsonl`` (dev half) this lifted dense-only MRR from 0.64 to 0.85
over one max-pooled vector per unit of 400-character chunks; 400-character chunks
scored by their best chunk reached 0.71, the measure's heading as an extra chunk hurt
(short headings match many queries), and single sentences or overlapping 200-character
windows did no better than 200-character chunks at up to 2.7 times the encoding cost.
The units that reach the rerank pool (the best :data:`RERANK_POOL` by chunk score, plus any
candidates the caller adds) also score their best *clause* (``search.passages``).
Embeddings are cached by ``sha1(encoder name + text)`` under
``DATA/index/embeddings/<encoder>/`` so unchanged text is never re-embedded.

On disk (``save``/``load``), a version folder holds the units (``search.unit_table``: numpy
columns and a string blob, memory-mapped at load), ``bm25/`` (bm25s's
own ``.npy`` + JSON), ``embeddings.npy`` (one max-pooled vector per unit),
``chunk_embeddings.npy`` with ``chunk_offsets.npy`` (unit ``i`` owns chunk rows
``offsets[i]:offsets[i+1]``), ``clause_embeddings.npy`` (float16, memory-mapped at load) with
``clause_offsets.npy``, ``chunk_scan.onnx`` (the chunk vectors in 8-bit blocks inside the graph that
scans them first: ``search.chunk_scan``) with ``half_dot.onnx`` and ``meta.json``, plus ``manifest.json`` with
the size and sha256 of every file; ``CURRENT`` names the live version and is replaced
atomically, so a killed save leaves the previous index usable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import BadInputError, IndexCorruptError
from search.chunk_scan import ChunkScan, half_dot, load_blocks, save_blocks, scannable
from search.encoders import Encoder
from search.passages import EmbeddingCache, atomic_write, unit_chunks, unit_clauses
from search.select import SegmentMax, best, segment_rows
from search.unit_table import FILES as UNIT_FILES
from search.unit_table import UnitTable
from search.unit_table import save_units as save_unit_table

Tokenizer = Callable[[str], list[str]]

#: Largest index file whose sha256 :meth:`SearchIndex.load` checks (larger ones: their size).
VERIFY_MAX_BYTES = 64 << 20
#: How many units (best by chunk score) are rescored with their clauses.
RERANK_POOL = 200

_REBUILD = "run `policykg ingest --rebuild`"
_STOP = frozenset("的 和 与 及 等 在 为 对 了 是 把 将 以 由 从 向 并 或 其 之 于 中 有 要 也 都 而 上 下 个".split())


@dataclass(slots=True)
class Unit:
    """One retrievable unit: a measure, or a whole document without measures (``ordinal`` None)."""

    id: str  # measure IRI (graph.iri.measure_iri), or the document IRI for a document without measures
    doc_key: str
    docno: str | None
    doc_title: str
    number: int | None
    label: str | None
    ordinal: int | None
    section: str | None
    heading: str
    text: str
    start: int
    end: int
    ref: str | None = None  # unique in the document (measure_label); a section's ref for its lead paragraph
    section_number: str | None = None


def default_tokenizer() -> Tokenizer:
    """``ingest.segment.tokenize`` (jieba + domain dictionary) with stop-words dropped."""
    from ingest.segment import tokenize

    return lambda text: [t for t in tokenize(text) if t not in _STOP]


def units_from_document(doc) -> list[Unit]:
    """Units of an ``ingest.model.Document``: its measures and its sections' lead paragraphs (in text
    order), else its preamble or whole text."""
    from graph.iri import document_iri, measure_iri, section_iri

    sections = {s.ordinal: s.title for s in doc.sections}
    units = [
        Unit(
            id=measure_iri(doc.key, m.ordinal),
            doc_key=doc.key,
            docno=doc.docno,
            doc_title=doc.title,
            number=m.number,
            label=m.label,
            ordinal=m.ordinal,
            section=sections.get(m.section) if m.section is not None else None,
            heading=m.heading,
            text=m.text,
            start=m.start,
            end=m.end,
            ref=m.ref or m.label,
            section_number=m.section_number,
        )
        for m in doc.measures
    ]
    leads = [
        Unit(id=section_iri(doc.key, s.ordinal), doc_key=doc.key, docno=doc.docno, doc_title=doc.title, number=None,
             label=s.label, ordinal=None, section=f"{s.label}{s.title}", heading=s.title,
             text=doc.text[s.lead[0] : s.lead[1]], start=s.lead[0], end=s.lead[1], ref=s.ref, section_number=s.ref)
        for s in doc.sections if s.lead
    ]
    units = sorted(units + leads, key=lambda u: u.start) if leads else units
    if units:
        return units
    start, end = doc.preamble if doc.preamble and doc.preamble[1] > doc.preamble[0] else (0, len(doc.text))
    text = doc.text[start:end]
    if not text.strip():
        return []
    return [Unit(id=document_iri(doc.key), doc_key=doc.key, docno=doc.docno, doc_title=doc.title, number=None, label=None,
                 ordinal=None, section=None, heading=doc.title, text=text, start=start, end=end)]


class SearchIndex:
    """Units, a BM25 index over their tokens, and (optionally) their embeddings."""

    def __init__(self, units: list[Unit], bm25, embeddings: np.ndarray | None, encoder_name: str | None,
                 tokenizer: Tokenizer | None = None, chunk_embeddings: np.ndarray | None = None,
                 chunk_offsets: np.ndarray | None = None, clause_embeddings: np.ndarray | None = None,
                 clause_offsets: np.ndarray | None = None,
                 chunk_q8: dict | None = None) -> None:
        self.units = units
        self.bm25 = bm25
        self.embeddings = embeddings
        self.chunk_embeddings = chunk_embeddings if chunk_offsets is not None else None
        self.chunk_offsets = chunk_offsets if chunk_embeddings is not None else None
        self._scan = ChunkScan(self.chunk_embeddings, **(chunk_q8 or {})) \
            if self.chunk_offsets is not None and scannable(self.chunk_embeddings) else None
        self._chunk_max = SegmentMax(self.chunk_offsets) if self.chunk_offsets is not None else None
        ok = clause_embeddings is not None and clause_offsets is not None and self.chunk_embeddings is not None
        self.clause_embeddings = clause_embeddings if ok else None
        self.clause_offsets = clause_offsets if ok else None
        self.embedded = 0  # texts sent to the encoder by build()
        self.encoder_name = encoder_name
        self._tokenizer = tokenizer
        self._position: dict[str, int] | None = None

    @property
    def position(self) -> dict[str, int]:
        """Unit id → its position (built on first use: a lazily opened index reads only the ids)."""
        if self._position is None:
            ids = self.units.ids() if isinstance(self.units, UnitTable) else [u.id for u in self.units]
            self._position = {uid: i for i, uid in enumerate(ids)}
        return self._position

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = default_tokenizer()
        return self._tokenizer

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, units: Iterable[Unit], encoder: Encoder | None, data_dir: str | Path | None = None,
              progress: bool = True, tokenizer: Tokenizer | None = None,
              embed_where: Callable[[Unit], bool] | None = None,
              tokens: Sequence[list[str]] | None = None) -> SearchIndex:
        """Tokenise and (with an encoder) embed ``units``.

        Args:
            units: what to index (see :func:`units_from_document`).
            encoder: sentence encoder, or None for BM25 and graph only.
            data_dir: the DATA folder; embeddings are cached in ``DATA/index/embeddings/``.
            progress: show progress bars.
            tokenizer: text → tokens (default: jieba with the domain dictionary).
            embed_where: embed only the units it accepts (others get a zero vector, so dense
                retrieval never returns them); for benchmarks over corpora too large to embed.
            tokens: the units' tokens, already made by the same tokenizer (one list per unit,
                e.g. cached with each parsed document); the units are then not tokenised again.
        """
        from search.bm25_build import BM25

        units = list(units)
        ids = [u.id for u in units]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise BadInputError(f"Duplicate unit id {dup!r}: two documents share a key; give each its own 发文字号.")
        tok = tokenizer or default_tokenizer()
        if tokens is not None and len(tokens) != len(units):
            raise BadInputError(f"Got {len(tokens)} token lists for {len(units)} units; give one list per unit.")
        corpus = [t or [""] for t in tokens] if tokens is not None else [tok(u.text) or [""] for u in units]
        bm25 = BM25()  # bm25s's, built on whole arrays (search.bm25_build)
        if units:
            bm25.index(corpus, show_progress=False)
        embeddings = chunk_vecs = offsets = clause_vecs = clause_offsets = None
        embedded = 0
        if encoder is not None:
            cache = EmbeddingCache(Path(data_dir) / "index" / "embeddings" if data_dir else None, encoder)
            wanted = [embed_where is None or embed_where(u) for u in units]
            chunks = [unit_chunks(u) if w else [] for u, w in zip(units, wanted)]
            clauses = [unit_clauses(u) if w else [] for u, w in zip(units, wanted)]
            flat = [c for cs in chunks for c in cs]
            # one call: the encoder batches chunks and clauses together (by length)
            all_vecs = cache.embed(flat + [c for cs in clauses for c in cs], progress=progress, dtype=np.float16)
            embedded = cache.embedded
            chunk_vecs = all_vecs[: len(flat)].astype(np.float32)
            clause_vecs = all_vecs[len(flat) :]
            clause_offsets = np.zeros(len(units) + 1, dtype=np.int64)
            clause_offsets[1:] = np.cumsum([len(cs) for cs in clauses])
            embeddings = np.zeros((len(units), encoder.dim), dtype=np.float32)
            offsets = np.zeros(len(units) + 1, dtype=np.int64)
            offsets[1:] = np.cumsum([len(cs) for cs in chunks])
            pos = 0
            for i, cs in enumerate(chunks):
                if not cs:
                    continue
                pooled = chunk_vecs[pos : pos + len(cs)].max(axis=0)
                embeddings[i] = pooled / (np.linalg.norm(pooled) or 1.0)
                pos += len(cs)
        index = cls(units, bm25, embeddings, encoder.name if encoder else None, tok, chunk_vecs, offsets,
                    clause_vecs, clause_offsets)
        index.embedded = embedded
        return index

    # -- scoring ------------------------------------------------------------------------------
    def query_tokens(self, text: str) -> list[str]:
        """Tokens of ``text`` that occur in the BM25 vocabulary (deduplicated, in order)."""
        vocab = self.bm25.vocab_dict if self.units else {}
        return [t for t in dict.fromkeys(self.tokenizer(text)) if t and t in vocab]

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit for already-tokenised query ``tokens``."""
        if not tokens or not self.units:
            return np.zeros(len(self.units), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, query_vec: np.ndarray, candidates: Iterable[int] = ()) -> np.ndarray:
        """Dense score of every unit for an encoded query.

        First the best cosine of each unit's chunks; then the :data:`RERANK_POOL` best units,
        and ``candidates`` (unit positions, e.g. BM25's best), add the best cosine of their
        clauses (a unit without clauses adds its chunk score again). Units outside the pool
        keep their chunk score minus 1, so they rank below every rescored unit. Units without
        embedded chunks score 0. An index saved without chunk vectors falls back to one
        pooled vector per unit.
        """
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        if self.chunk_embeddings is not None:
            out = np.zeros(len(self.units), dtype=np.float32)
            if len(self._chunk_max.units):
                sims = self._scan.scores(q) if self._scan is not None else self.chunk_embeddings @ q
                self._chunk_max(sims, out)
            if self.clause_embeddings is not None and len(self._chunk_max.units):
                out = self._rescore_clauses(q, out, candidates)
            return out
        if self.embeddings is None:
            return np.zeros(len(self.units), dtype=np.float32)
        return self.embeddings @ q

    def _rescore_clauses(self, q: np.ndarray, chunk: np.ndarray, candidates: Iterable[int]) -> np.ndarray:
        n = len(chunk)
        pool = best(chunk, RERANK_POOL)
        extra = np.fromiter(candidates, dtype=np.int64)
        pool = np.unique(np.concatenate([pool, extra[(extra >= 0) & (extra < n)]]))
        pool = pool[chunk[pool] > 0]  # units never embedded stay at 0
        out = np.where(chunk > 0, chunk - 1.0, 0.0).astype(np.float32)
        if not len(pool):
            return out
        starts, ends = self.clause_offsets[pool], self.clause_offsets[pool + 1]
        counts = ends - starts
        score = chunk[pool].copy()  # no clauses: the chunk score stands in
        has = counts > 0
        if has.any():
            rows, firsts = segment_rows(starts[has], counts[has])
            sims = half_dot(self.clause_embeddings[rows], q, self._scan.half_dot_model if self._scan else None)
            score[has] = np.maximum.reduceat(sims, firsts)
        out[pool] = chunk[pool] + score
        return out

    # -- persistence --------------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write a new version under ``folder`` and switch ``folder/CURRENT`` to it atomically."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        version = f"v{time.time_ns():020d}-{os.getpid()}"
        vdir = folder / version
        vdir.mkdir()
        save_unit_table(self.units, vdir, Unit)
        if self.units:
            self.bm25.save(str(vdir / "bm25"), show_progress=False)
        if self.embeddings is not None:
            np.save(vdir / "embeddings.npy", self.embeddings, allow_pickle=False)
        if self.chunk_embeddings is not None:
            np.save(vdir / "chunk_embeddings.npy", self.chunk_embeddings, allow_pickle=False)
            np.save(vdir / "chunk_offsets.npy", self.chunk_offsets, allow_pickle=False)
            save_blocks(vdir, self.chunk_embeddings)  # the first dense stage's graph (8-bit blocks) and half_dot's
        if self.clause_embeddings is not None:
            np.save(vdir / "clause_embeddings.npy", np.asarray(self.clause_embeddings, dtype=np.float16),
                    allow_pickle=False)
            np.save(vdir / "clause_offsets.npy", self.clause_offsets, allow_pickle=False)
        meta = {"units": len(self.units), "encoder": self.encoder_name,
                "dim": None if self.embeddings is None else int(self.embeddings.shape[1])}
        (vdir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        files = {}
        for p in sorted(vdir.rglob("*")):
            if p.is_file():
                files[p.relative_to(vdir).as_posix()] = {"size": p.stat().st_size, "sha256": _sha256(p)}
        atomic_write(vdir / "manifest.json", json.dumps({"files": files}, ensure_ascii=False, indent=1))
        atomic_write(folder / "CURRENT", version)
        for old in folder.glob("v*"):
            if old.is_dir() and old.name != version:
                shutil.rmtree(old, ignore_errors=True)
        return vdir

    @classmethod
    def load(cls, folder: str | Path, tokenizer: Tokenizer | None = None, verify: bool = True) -> SearchIndex:
        """Load the current version under ``folder``, checking every file against the manifest: its
        size, and with ``verify`` the sha256 of every file up to :data:`VERIFY_MAX_BYTES` (the vector
        files are larger: reading them whole took most of a start-up; ``policykg verify`` reads them).

        Raises:
            IndexCorruptError: a missing or damaged file (named in the message).
        """
        import bm25s

        folder = Path(folder)
        current = folder / "CURRENT"
        if not current.is_file():
            raise IndexCorruptError(f"No search index in {folder} (missing {current.name}); {_REBUILD}.")
        vdir = folder / current.read_text(encoding="utf-8").strip()
        manifest_path = vdir / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError) as e:
            raise IndexCorruptError(f"Search index file {manifest_path} is missing or damaged ({e}); {_REBUILD}.") from e
        for name, info in manifest.items():
            p = vdir / name
            if not p.is_file():
                raise IndexCorruptError(f"Search index file {p} is missing; {_REBUILD}.")
            size = p.stat().st_size
            if size != info["size"] or (verify and size <= VERIFY_MAX_BYTES and _sha256(p) != info["sha256"]):
                raise IndexCorruptError(f"Search index file {p} is damaged (checksum mismatch); {_REBUILD}.")
        try:
            units = _load_units(vdir, manifest)
            meta = json.loads((vdir / "meta.json").read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(vdir / "bm25"), show_progress=False) if units else bm25s.BM25()
            # one pooled vector per unit: read only by indexes without chunk vectors, so mapped, not loaded
            # (136 MB on the full corpus)
            emb = (np.load(vdir / "embeddings.npy", mmap_mode="r", allow_pickle=False)
                   if "embeddings.npy" in manifest else None)
            chunks = offsets = None
            if emb is not None and "chunk_embeddings.npy" in manifest and "chunk_offsets.npy" in manifest:
                # mapped too: the first query reads it from the page cache instead of every start-up
                chunks = np.load(vdir / "chunk_embeddings.npy", mmap_mode="r", allow_pickle=False)
                offsets = np.load(vdir / "chunk_offsets.npy", allow_pickle=False)
                if offsets.shape != (len(units) + 1,) or int(offsets[-1]) != len(chunks):
                    raise ValueError(f"chunk offsets {offsets.shape} do not match {len(units)} units, {len(chunks)} chunks")
            q8 = load_blocks(vdir, manifest, chunks)
            clauses = clause_offsets = None
            if chunks is not None and "clause_embeddings.npy" in manifest and "clause_offsets.npy" in manifest:
                clauses = np.load(vdir / "clause_embeddings.npy", mmap_mode="r", allow_pickle=False)
                clause_offsets = np.load(vdir / "clause_offsets.npy", allow_pickle=False)
                if clause_offsets.shape != (len(units) + 1,) or int(clause_offsets[-1]) != len(clauses):
                    raise ValueError(f"clause offsets {clause_offsets.shape} do not match {len(units)} units, "
                                     f"{len(clauses)} clauses")
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise IndexCorruptError(f"Search index in {vdir} cannot be read ({e}); {_REBUILD}.") from e
        return cls(units, bm25, emb, meta.get("encoder"), tokenizer, chunks, offsets, clauses, clause_offsets, q8)


def _load_units(vdir: Path, manifest: dict) -> Sequence[Unit]:
    """The units of a version folder: the memory-mapped table, or the JSON list older versions wrote."""
    if all(name in manifest for name in UNIT_FILES):
        return UnitTable(vdir, Unit)
    return [Unit(**d) for d in json.loads((vdir / "units.json").read_text(encoding="utf-8"))]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
