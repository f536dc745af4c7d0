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
    out = []
    for piece in _CLAUSE_END.split(text):
        piece = piece.strip()
        while len(piece) > limit:
            out.append(piece[:limit])
            piece = piece[limit:]
        if len(piece) >= CLAUSE_MIN:
            out.append(piece)
    return out


def unit_chunks(unit) -> list[str]:
    """Chunks embedded for a unit (its heading or title if it has no text)."""
    return chunk_text(unit.text) or [t for t in (unit.heading or unit.doc_title,) if t.strip()]


def unit_clauses(unit) -> list[str]:
    """Clauses embedded for a unit (none when it has at most one: its chunk score stands in)."""
    clauses = clause_text(unit.text)
    return [] if len(clauses) <= 1 else clauses


class EmbeddingCache:
    """Passage embeddings keyed by ``sha1(encoder name + text)``, stored as ``.npy`` + JSON shards.

    Memory: the shards on disk are read as arrays, with one small integer per key (shard, row);
    :meth:`embed` writes each batch of new vectors into its result and a new shard as they come, so an
    ingest holds its vectors once (the result), not a second time in the cache (the full corpus's
    760k vectors are 584 MB as float16).

    Attributes:
        embedded: texts sent to the encoder by this cache (the rest came from disk).
    """

    def __init__(self, folder: Path | None, encoder: Encoder) -> None:
        self.folder = Path(folder) / encoder.cache_dir_name() if folder is not None else None
        self.encoder = encoder
        self.embedded = 0
        self._shards: list[np.ndarray] = []
        self._where: dict[str, int] = {}  # key -> shard << 32 | row
        if self.folder is not None and self.folder.is_dir():
            for keys_file in sorted(self.folder.glob("shard-*.json")):
                npy = keys_file.with_suffix(".npy")
                try:
                    keys = json.loads(keys_file.read_text(encoding="utf-8"))
                    arr = np.load(npy, allow_pickle=False)
                except (OSError, ValueError):
                    continue  # a damaged shard only costs re-embedding its texts
                if arr.ndim == 2 and len(keys) == arr.shape[0] and arr.shape[1] == encoder.dim:
                    base = len(self._shards) << 32
                    self._shards.append(arr)
                    self._where.update(zip(keys, range(base, base + len(keys))))

    def key(self, text: str) -> str:
        return hashlib.sha1((self.encoder.name + "\x00" + text).encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str], progress: bool = False, batch: int = 2048,
              dtype: type = np.float32) -> np.ndarray:
        """Vectors (L2-normalised, ``dtype``) for ``texts``; only texts not in the cache go to the encoder."""
        rows: dict[str, list[int]] = {}  # each distinct text's rows in the result
        for i, t in enumerate(texts):
            rows.setdefault(self.key(t), []).append(i)
        out = np.zeros((len(texts), self.encoder.dim), dtype=np.float16)
        todo = []
        for k, idx in rows.items():
            where = self._where.get(k)
            if where is None:
                todo.append(k)
            else:
                out[idx] = self._shards[where >> 32][where & 0xFFFFFFFF]
        if todo:
            # the bar counts characters, so its rate and remaining time are the encoder's own; taken in key
            # (hash) order, every batch holds chunks and clauses in the corpus's proportion, so the rate
            # the bar shows from its first batches holds to the end (in text order the chunks, faster per
            # character than the short clauses, came first and the remaining time shown was too short)
            todo.sort()
            bar = progress_bar(sum(len(texts[rows[k][0]]) for k in todo), "embedding", progress, unit="char")
            for i in range(0, len(todo), batch):
                part = todo[i : i + batch]
                arr = self.encoder.encode_passages([texts[rows[k][0]] for k in part]).astype(np.float16)
                counts = [len(rows[k]) for k in part]
                out[np.concatenate([rows[k] for k in part])] = np.repeat(arr, counts, axis=0)
                self._write_shard(part, arr)  # per batch: a killed ingest keeps what it embedded
                self.embedded += len(part)
                bar.set_postfix_str(f"{self.embedded:,}/{len(todo):,} texts", refresh=False)
                bar.update(sum(len(texts[rows[k][0]]) for k in part))
            bar.close()
        return out.astype(dtype, copy=False)

    def _write_shard(self, keys: list[str], arr: np.ndarray) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"shard-{time.time_ns():020d}-{os.getpid()}"
        atomic_save_npy(self.folder / f"{stem}.npy", arr)
        atomic_write(self.folder / f"{stem}.json", json.dumps(keys, ensure_ascii=False))


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
