"""What the encoder sees of a unit (chunks and clauses) and the content-addressed embedding cache.

A unit is embedded at two granularities:

- **chunks**: sentence-aligned pieces of at most :data:`CHUNK_CHARS` characters; the first-stage
  dense score of a unit is the best cosine of any of its chunks;
- **clauses**: the pieces between Chinese clause punctuation (，。；、：！？), which is where
  one policy statement ends and the next begins. A paraphrase usually restates one clause
  ("进城务工人员继续深造拿文凭" ~ "提升农民工学历层次"), and a 200-character chunk dilutes it
  with its neighbours. The best clause cosine is added to the best chunk cosine for the
  units that reach the rerank pool (``search.index.SearchIndex.dense_scores``).

Measured on the dev half (odd ids) of ``tests/data/questions.jsonl``, dense only: MRR 0.872 ->
0.952 (paraphrase 0.635 -> 0.881); the test half agreed (0.818 -> 0.872). Clauses alone were
worse than chunks on English questions (0.71 vs 0.76 MRR), and 40- or 80-character windows
of clauses gained less (dev 0.945 / 0.946) — so both granularities are kept.

Vectors are cached by ``sha1(encoder name + text)`` under ``DATA/index/embeddings/<encoder>/``
(float16 shards), so unchanged text is never embedded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.files import replacing, write_atomic
from search.encoders import Encoder

#: Longest chunk handed to the encoder, in characters.
CHUNK_CHARS = 200
#: Shortest clause embedded (characters, punctuation included); shorter ones ("二是，") carry nothing.
CLAUSE_MIN = 5
_SENT_END = re.compile(r"(?<=[。！？；!?;\n])")
_CLAUSE_END = re.compile(r"(?<=[，。；、：！？,;:!?\n])")


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


def clause_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Split ``text`` at clause punctuation; drop pieces shorter than :data:`CLAUSE_MIN`.

    >>> clause_text("开展农民工求学圆梦行动，提升农民工学历层次。二是，")
    ['开展农民工求学圆梦行动，', '提升农民工学历层次。']
    """
    return [text[a:b] for a, b in clause_spans(text, limit)]


def clause_spans(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Where the clauses of :func:`clause_text` lie in ``text`` (``text[a:b]`` is one).

    >>> clause_spans(" 甲乙丙丁戊，  己庚辛壬癸。")
    [(1, 7), (9, 15)]
    """
    out = []
    pos = 0
    for piece in _CLAUSE_END.split(text):
        a = pos + len(piece) - len(piece.lstrip())
        b = pos + len(piece.rstrip())
        pos += len(piece)
        while b - a > limit:
            out.append((a, a + limit))
            a += limit
        if b - a >= CLAUSE_MIN:
            out.append((a, b))
    return out


def unit_chunks(unit) -> list[str]:
    """Chunks embedded for a unit (its heading or title if it has no text)."""
    return chunk_text(unit.text) or [t for t in (unit.heading or unit.doc_title,) if t.strip()]


def unit_clauses(unit) -> list[str]:
    """Clauses embedded for a unit (none when it has at most one: its chunk score stands in)."""
    clauses = clause_text(unit.text)
    return [] if len(clauses) <= 1 else clauses


def clauses_in_chunks(text: str, chunks: list[str]) -> list[tuple[int, int, int]]:
    """For each clause of :func:`unit_clauses` (same order), ``(chunk index, a, b)``: the chunk holding most
    of its characters and where they lie in it (``chunks[k][a:b]``), so a clause's vector can be pooled from
    its chunk's forward pass (``search.e5model.E5Runtime.encode_spans``).

    >>> clauses_in_chunks("一二三，四五六七八。九十甲乙丙，丁戊己庚辛。", ["一二三，四五六七八。", "九十甲乙丙，丁戊己庚辛。"])
    [(0, 4, 10), (1, 0, 6), (1, 6, 12)]
    """
    spans = clause_spans(text)
    if len(spans) <= 1:
        return []
    places = np.empty(sum(map(len, chunks)), dtype=np.int64)  # the index in text of each chunk character
    owner = np.repeat(np.arange(len(chunks)), [len(c) for c in chunks])
    starts = np.concatenate([[0], np.cumsum([len(c) for c in chunks])])
    pos = j = 0
    for chunk in chunks:  # chunks drop the spaces between sentences: find each character in turn
        for ch in chunk:
            pos = text.index(ch, pos)
            places[j] = pos
            pos += 1
            j += 1
    out = []
    for a, b in spans:
        lo, hi = int(np.searchsorted(places, a)), int(np.searchsorted(places, b))
        k = int(np.bincount(owner[lo:hi]).argmax()) if hi > lo else int(owner[min(lo, len(owner) - 1)])
        out.append((k, int(max(lo, starts[k]) - starts[k]), int(min(hi, starts[k + 1]) - starts[k])))
    return out


class EmbeddingCache:
    """Passage embeddings keyed by ``sha1(encoder name + text)``, stored as ``.npy`` + JSON shards.

    Attributes:
        embedded: texts sent to the encoder by this cache (the rest came from disk).
    """

    def __init__(self, folder: Path | None, encoder: Encoder) -> None:
        self.folder = Path(folder) / encoder.cache_dir_name() if folder is not None else None
        self.encoder = encoder
        self.embedded = 0
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

    def embed(self, texts: Sequence[str], progress: bool = False, batch: int = 2048,
              dtype: type = np.float32) -> np.ndarray:
        """Vectors (L2-normalised, ``dtype``) for ``texts``; only texts not in the cache go to the encoder."""
        keys = [self.key(t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if todo:
            by_key = dict(zip(keys, texts))
            # the bar counts characters, so its rate and remaining time are the encoder's own, whatever
            # the mix of 200-character chunks and short clauses
            bar = progress_bar(sum(len(by_key[k]) for k in todo), "embedding", progress, unit="char")
            for i in range(0, len(todo), batch):
                part = todo[i : i + batch]
                arr = self.encoder.encode_passages([by_key[k] for k in part]).astype(np.float16)
                self._vectors.update(zip(part, arr))
                self._write_shard(part, arr)  # per batch: a killed ingest keeps what it embedded
                self.embedded += len(part)
                bar.set_postfix_str(f"{self.embedded:,}/{len(todo):,} texts", refresh=False)
                bar.update(sum(len(by_key[k]) for k in part))
            bar.close()
        if not keys:
            return np.zeros((0, self.encoder.dim), dtype=dtype)
        return np.vstack([self._vectors[k] for k in keys]).astype(dtype, copy=False)

    def span_key(self, text: str, a: int, b: int) -> str:
        """Key of the vector of ``text[a:b]`` pooled inside ``text``'s forward pass (it depends on ``text``)."""
        return hashlib.sha1(f"{self.encoder.name}\x00span\x00{a}:{b}\x00{text}".encode("utf-8")).hexdigest()

    def embed_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], progress: bool = False,
                    batch: int = 2048, dtype: type = np.float16) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of ``texts`` and of their ``spans`` (flattened in order), each span pooled from its
        text's forward pass (:meth:`search.encoders.Encoder.encode_passage_spans`); only texts whose
        vector or a span's is not in the cache go to the encoder."""
        keys = [self.key(t) for t in texts]
        skeys = [[self.span_key(t, a, b) for a, b in sp] for t, sp in zip(texts, spans)]
        todo = list({(k, tuple(sk)): i for i, (k, sk) in enumerate(zip(keys, skeys))
                     if k not in self._vectors or any(x not in self._vectors for x in sk)}.values())
        if todo:
            bar = progress_bar(sum(len(texts[i]) for i in todo), "embedding", progress, unit="char")
            done = 0
            for lo in range(0, len(todo), batch):
                part = todo[lo : lo + batch]
                vecs, svecs = self.encoder.encode_passage_spans([texts[i] for i in part], [spans[i] for i in part])
                got_keys = [keys[i] for i in part] + [x for i in part for x in skeys[i]]
                arr = np.concatenate([vecs, svecs]).astype(np.float16)
                self._vectors.update(zip(got_keys, arr))
                self._write_shard(got_keys, arr)  # per batch: a killed ingest keeps what it embedded
                self.embedded += len(part)
                done += len(part)
                bar.set_postfix_str(f"{done:,}/{len(todo):,} chunks", refresh=False)
                bar.update(sum(len(texts[i]) for i in part))
            bar.close()
        dim = self.encoder.dim
        chunk = np.vstack([self._vectors[k] for k in keys]).astype(dtype, copy=False) if keys \
            else np.zeros((0, dim), dtype=dtype)
        flat = [x for sk in skeys for x in sk]
        span = np.vstack([self._vectors[k] for k in flat]).astype(dtype, copy=False) if flat \
            else np.zeros((0, dim), dtype=dtype)
        return chunk, span

    def _write_shard(self, keys: list[str], arr: np.ndarray) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"shard-{time.time_ns():020d}-{os.getpid()}"
        atomic_save_npy(self.folder / f"{stem}.npy", arr)
        atomic_write(self.folder / f"{stem}.json", json.dumps(keys, ensure_ascii=False))


def embed_units(units: list, wanted: list[bool], cache: EmbeddingCache, progress: bool, late: bool):
    """Chunk vectors (float32) and clause vectors (float16) of the wanted units, with their offsets.

    Late (the default where the encoder supports it): a clause's vector is the mean of its tokens' final
    hidden states inside the forward pass of the chunk holding most of it (``search.passages.clauses_in_chunks``),
    so only the chunks are encoded: about half the characters of encoding every clause again.
    """
    chunks = [unit_chunks(u) if w else [] for u, w in zip(units, wanted)]
    flat = [c for cs in chunks for c in cs]
    chunk_offsets = offsets_of([len(cs) for cs in chunks])
    late = late and cache.encoder.encode_passage_spans([], []) is not None
    if late:
        spans: list[list[tuple[int, int]]] = [[] for _ in flat]
        slots: list[list[int]] = [[] for _ in flat]  # flat clause row of each span
        counts = []
        row = 0
        for i, (u, cs) in enumerate(zip(units, chunks)):
            placed = clauses_in_chunks(u.text, cs) if cs and wanted[i] else []
            for k, a, b in placed:
                spans[chunk_offsets[i] + k].append((a, b))
                slots[chunk_offsets[i] + k].append(row)
                row += 1
            counts.append(len(placed))
        vecs, span_vecs = cache.embed_spans(flat, spans, progress=progress, dtype=np.float16)
        clause_vecs = np.empty_like(span_vecs)
        clause_vecs[np.fromiter((r for sl in slots for r in sl), dtype=np.int64, count=row)] = span_vecs
    else:
        clauses = [unit_clauses(u) if w else [] for u, w in zip(units, wanted)]
        counts = [len(cs) for cs in clauses]
        # one call: the encoder batches chunks and clauses together (by length)
        vecs = cache.embed(flat + [c for cs in clauses for c in cs], progress=progress, dtype=np.float16)
        clause_vecs, vecs = vecs[len(flat) :], vecs[: len(flat)]
    return vecs.astype(np.float32), chunk_offsets, clause_vecs, offsets_of(counts)


def offsets_of(counts: list[int]) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    out[1:] = np.cumsum(counts)
    return out


def pooled_vectors(chunk_vecs: np.ndarray, offsets: np.ndarray, dim: int) -> np.ndarray:
    """One max-pooled, L2-normalised vector per unit (read by indexes without chunk vectors)."""
    embeddings = np.zeros((len(offsets) - 1, dim), dtype=np.float32)
    for i in np.flatnonzero(np.diff(offsets)):
        pooled = chunk_vecs[offsets[i] : offsets[i + 1]].max(axis=0)
        embeddings[i] = pooled / (np.linalg.norm(pooled) or 1.0)
    return embeddings


def atomic_write(path: Path, text: str) -> None:
    """``core.files.write_atomic`` without fsync (index files: the commit's checksums catch a torn one)."""
    write_atomic(path, text, durable=False)


def atomic_save_npy(path: Path, arr: np.ndarray) -> None:
    with replacing(path, suffix=".npy") as tmp:
        np.save(tmp, arr, allow_pickle=False)


def progress_bar(total: int, desc: str, enabled: bool, unit: str = "text"):
    """A tqdm bar, or a do-nothing stand-in."""
    if enabled:
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit=unit, unit_scale=unit == "char")

    class _Null:
        def update(self, n: int) -> None: ...
        def set_postfix_str(self, s: str, refresh: bool = True) -> None: ...
        def close(self) -> None: ...

    return _Null()
