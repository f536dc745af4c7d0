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
Chunk embeddings are cached by ``sha1(encoder name + text)`` under
``DATA/index/embeddings/<encoder>/`` so unchanged text is never re-embedded.

On disk (``save``/``load``), a version folder holds ``units.json``, ``bm25/`` (bm25s's
own ``.npy`` + JSON), ``embeddings.npy`` (one max-pooled vector per unit),
``chunk_embeddings.npy`` with ``chunk_offsets.npy`` (unit ``i`` owns chunk rows
``offsets[i]:offsets[i+1]``) and ``meta.json``, plus ``manifest.json`` with
the size and sha256 of every file; ``CURRENT`` names the live version and is replaced
atomically, so a killed save leaves the previous index usable.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from policykg.errors import BadInputError, IndexCorruptError
from search.encoders import Encoder

Tokenizer = Callable[[str], list[str]]

#: Longest chunk handed to the encoder, in characters.
CHUNK_CHARS = 200
_SENT_END = re.compile(r"(?<=[。！？；!?;\n])")
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


def default_tokenizer() -> Tokenizer:
    """``ingest.segment.tokenize`` (jieba + domain dictionary) with stop-words dropped."""
    from ingest.segment import tokenize

    return lambda text: [t for t in tokenize(text) if t not in _STOP]


def units_from_document(doc) -> list[Unit]:
    """Units of an ``ingest.model.Document``: its measures, else its preamble or whole text."""
    from graph.iri import document_iri, measure_iri

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
        )
        for m in doc.measures
    ]
    if units:
        return units
    start, end = doc.preamble if doc.preamble and doc.preamble[1] > doc.preamble[0] else (0, len(doc.text))
    text = doc.text[start:end]
    if not text.strip():
        return []
    return [
        Unit(
            id=document_iri(doc.key),
            doc_key=doc.key,
            docno=doc.docno,
            doc_title=doc.title,
            number=None,
            label=None,
            ordinal=None,
            section=None,
            heading=doc.title,
            text=text,
            start=start,
            end=end,
        )
    ]


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Split ``text`` into sentence-aligned chunks of at most ``limit`` characters.

    >>> chunk_text("一二三。四五六。七八九。", limit=8)
    ['一二三。四五六。', '七八九。']
    >>> chunk_text("甲" * 10, limit=4)
    ['甲甲甲甲', '甲甲甲甲', '甲甲']
    """
    chunks: list[str] = []
    cur = ""
    for sent in _SENT_END.split(text):
        sent = sent.strip()
        while len(sent) > limit:
            if cur:
                chunks.append(cur)
                cur = ""
            chunks.append(sent[:limit])
            sent = sent[limit:]
        if len(cur) + len(sent) > limit:
            chunks.append(cur)
            cur = ""
        cur += sent
    if cur.strip():
        chunks.append(cur)
    return [c for c in chunks if c.strip()]


def unit_chunks(unit: Unit) -> list[str]:
    """Texts embedded for a unit: its sentence-aligned chunks (its heading or title if it has no text)."""
    return chunk_text(unit.text) or [t for t in (unit.heading or unit.doc_title,) if t.strip()]


class EmbeddingCache:
    """Chunk embeddings keyed by ``sha1(encoder name + text)``, stored as ``.npy`` + JSON shards."""

    def __init__(self, folder: Path | None, encoder: Encoder) -> None:
        self.folder = Path(folder) / encoder.cache_dir_name() if folder is not None else None
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        if self.folder is not None and self.folder.is_dir():
            for keys_file in sorted(self.folder.glob("shard-*.json")):
                npy = keys_file.with_suffix(".npy")
                try:
                    keys = json.loads(keys_file.read_text(encoding="utf-8"))
                    arr = np.load(npy, allow_pickle=False)
                except (OSError, ValueError):
                    continue  # a damaged shard only costs re-embedding its texts
                if arr.ndim == 2 and len(keys) == arr.shape[0] and arr.shape[1] == encoder.dim:
                    self._vectors.update(zip(keys, arr))

    def key(self, text: str) -> str:
        return hashlib.sha1((self.encoder.name + "\x00" + text).encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str], progress: bool = False, batch: int = 64) -> np.ndarray:
        """Vectors for ``texts``; only texts not in the cache go to the encoder."""
        keys = [self.key(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if todo:
            by_key = dict(zip(keys, texts))
            new_vecs = []
            bar = _progress(len(todo), "embedding", progress)
            for i in range(0, len(todo), batch):
                part = todo[i : i + batch]
                new_vecs.append(self.encoder.encode_passages([by_key[k] for k in part]))
                bar.update(len(part))
            bar.close()
            arr = np.vstack(new_vecs).astype(np.float32)
            self._vectors.update(zip(todo, arr))
            self._write_shard(todo, arr)
        if not keys:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.vstack([self._vectors[k] for k in keys])

    def _write_shard(self, keys: list[str], arr: np.ndarray) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"shard-{time.time_ns():020d}-{os.getpid()}"
        _atomic_save_npy(self.folder / f"{stem}.npy", arr)
        _atomic_write(self.folder / f"{stem}.json", json.dumps(keys, ensure_ascii=False))


class SearchIndex:
    """Units, a BM25 index over their tokens, and (optionally) their embeddings."""

    def __init__(self, units: list[Unit], bm25, embeddings: np.ndarray | None, encoder_name: str | None,
                 tokenizer: Tokenizer | None = None, chunk_embeddings: np.ndarray | None = None,
                 chunk_offsets: np.ndarray | None = None) -> None:
        self.units = units
        self.bm25 = bm25
        self.embeddings = embeddings
        self.chunk_embeddings = chunk_embeddings if chunk_offsets is not None else None
        self.chunk_offsets = chunk_offsets if chunk_embeddings is not None else None
        if self.chunk_offsets is not None:
            counts = np.diff(self.chunk_offsets)
            self._chunked = np.flatnonzero(counts > 0)
            self._chunk_starts = self.chunk_offsets[:-1][self._chunked]
        self.encoder_name = encoder_name
        self._tokenizer = tokenizer
        self.position = {u.id: i for i, u in enumerate(units)}

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
        import bm25s

        units = list(units)
        ids = [u.id for u in units]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise BadInputError(f"Duplicate unit id {dup!r}: two documents share a key; give each its own 发文字号.")
        tok = tokenizer or default_tokenizer()
        if tokens is not None and len(tokens) != len(units):
            raise BadInputError(f"Got {len(tokens)} token lists for {len(units)} units; give one list per unit.")
        corpus = [list(t) or [""] for t in tokens] if tokens is not None else [tok(u.text) or [""] for u in units]
        bm25 = bm25s.BM25()
        if units:
            bm25.index(corpus, show_progress=False)
        embeddings = chunk_vecs = offsets = None
        if encoder is not None:
            cache = EmbeddingCache(Path(data_dir) / "index" / "embeddings" if data_dir else None, encoder)
            chunks = [unit_chunks(u) if embed_where is None or embed_where(u) else [] for u in units]
            flat = [c for cs in chunks for c in cs]
            vecs = cache.embed(flat, progress=progress)
            embeddings = np.zeros((len(units), encoder.dim), dtype=np.float32)
            chunk_vecs = vecs.astype(np.float32, copy=False).reshape(-1, encoder.dim)
            offsets = np.zeros(len(units) + 1, dtype=np.int64)
            offsets[1:] = np.cumsum([len(cs) for cs in chunks])
            pos = 0
            for i, cs in enumerate(chunks):
                if not cs:
                    continue
                pooled = vecs[pos : pos + len(cs)].max(axis=0)
                embeddings[i] = pooled / (np.linalg.norm(pooled) or 1.0)
                pos += len(cs)
        return cls(units, bm25, embeddings, encoder.name if encoder else None, tok, chunk_vecs, offsets)

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

    def dense_scores(self, query_vec: np.ndarray) -> np.ndarray:
        """Cosine similarity of every unit with an encoded query: the best of its chunks.

        Units without embedded chunks score 0. An index saved without chunk vectors
        falls back to one pooled vector per unit.
        """
        q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
        if self.chunk_embeddings is not None:
            out = np.zeros(len(self.units), dtype=np.float32)
            if len(self._chunked):
                out[self._chunked] = np.maximum.reduceat(self.chunk_embeddings @ q, self._chunk_starts)
            return out
        if self.embeddings is None:
            return np.zeros(len(self.units), dtype=np.float32)
        return self.embeddings @ q

    # -- persistence --------------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write a new version under ``folder`` and switch ``folder/CURRENT`` to it atomically."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        version = f"v{time.time_ns():020d}-{os.getpid()}"
        vdir = folder / version
        vdir.mkdir()
        (vdir / "units.json").write_text(
            json.dumps([asdict(u) for u in self.units], ensure_ascii=False), encoding="utf-8"
        )
        if self.units:
            self.bm25.save(str(vdir / "bm25"), show_progress=False)
        if self.embeddings is not None:
            np.save(vdir / "embeddings.npy", self.embeddings, allow_pickle=False)
        if self.chunk_embeddings is not None:
            np.save(vdir / "chunk_embeddings.npy", self.chunk_embeddings, allow_pickle=False)
            np.save(vdir / "chunk_offsets.npy", self.chunk_offsets, allow_pickle=False)
        meta = {"units": len(self.units), "encoder": self.encoder_name,
                "dim": None if self.embeddings is None else int(self.embeddings.shape[1])}
        (vdir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        files = {}
        for p in sorted(vdir.rglob("*")):
            if p.is_file():
                files[p.relative_to(vdir).as_posix()] = {"size": p.stat().st_size, "sha256": _sha256(p)}
        _atomic_write(vdir / "manifest.json", json.dumps({"files": files}, ensure_ascii=False, indent=1))
        _atomic_write(folder / "CURRENT", version)
        for old in folder.glob("v*"):
            if old.is_dir() and old.name != version:
                shutil.rmtree(old, ignore_errors=True)
        return vdir

    @classmethod
    def load(cls, folder: str | Path, tokenizer: Tokenizer | None = None, verify: bool = True) -> SearchIndex:
        """Load the current version under ``folder``, checking every file against the manifest.

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
            if p.stat().st_size != info["size"] or (verify and _sha256(p) != info["sha256"]):
                raise IndexCorruptError(f"Search index file {p} is damaged (checksum mismatch); {_REBUILD}.")
        try:
            units = [Unit(**d) for d in json.loads((vdir / "units.json").read_text(encoding="utf-8"))]
            meta = json.loads((vdir / "meta.json").read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(vdir / "bm25"), show_progress=False) if units else bm25s.BM25()
            emb = np.load(vdir / "embeddings.npy", allow_pickle=False) if "embeddings.npy" in manifest else None
            chunks = offsets = None
            if emb is not None and "chunk_embeddings.npy" in manifest and "chunk_offsets.npy" in manifest:
                chunks = np.load(vdir / "chunk_embeddings.npy", allow_pickle=False)
                offsets = np.load(vdir / "chunk_offsets.npy", allow_pickle=False)
                if offsets.shape != (len(units) + 1,) or int(offsets[-1]) != len(chunks):
                    raise ValueError(f"chunk offsets {offsets.shape} do not match {len(units)} units, {len(chunks)} chunks")
        except (OSError, ValueError, TypeError, KeyError) as e:
            raise IndexCorruptError(f"Search index in {vdir} cannot be read ({e}); {_REBUILD}.") from e
        return cls(units, bm25, emb, meta.get("encoder"), tokenizer, chunks, offsets)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _atomic_save_npy(path: Path, arr: np.ndarray) -> None:
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npy")
    np.save(tmp, arr, allow_pickle=False)
    os.replace(tmp, path)


def _progress(total: int, desc: str, enabled: bool):
    if enabled:
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="chunk")

    class _Null:
        def update(self, n: int) -> None: ...
        def close(self) -> None: ...

    return _Null()
