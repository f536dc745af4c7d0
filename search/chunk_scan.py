"""The first dense stage: a query against every chunk vector, as 8-bit blocks on onnxruntime.

A float32 matrix product over the full corpus's 114,648 x 384 chunk vectors reads 176 MB per
query and is bound by memory bandwidth (16-34 ms on this machine's 2 cores; numpy has no BLAS
path for float16, which took ~700 ms). Here the vectors are kept as 8-bit blocks (32 values per
float32 scale, zero point 128: 44 MB + 5.5 MB) and scored by onnxruntime's ``MatMulNBits`` with
``accuracy_level=4`` (the query quantised to int8 per block, VNNI dot products), ~4 ms. The error
of a score is below 0.002; the :data:`EXACT_TOP` best chunks are then rescored exactly from the
float32 vectors, so every score that can reach a page or the clause rerank pool is the exact one
(recall against the exact scan: ``bench/bench_dense_scan.py``).

onnxruntime is a dependency of the project (the query encoder runs on it); the session is built
on the first query, so opening an index reads none of the vectors. The two graphs (the scan with its
blocks, and :func:`half_dot`'s) are serialised when the index is saved (``chunk_scan.onnx``,
``half_dot.onnx``), so a query never imports the ``onnx`` package: its import alone took 1.0 s of
the first search (ml_dtypes' types). Indexes saved before hold the blocks as ``.npy`` files; their
graphs are built on the first query, as then.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from search.select import best

#: values per scale (MatMulNBits' block along the vector)
BLOCK = 32
#: best chunks by the 8-bit scores that are rescored exactly
EXACT_TOP = 1024
#: rows quantised per step (bounds the float32 temporaries)
_STEP = 8192


def quantize(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """8-bit blocks of float vectors ``[n, dim]``: ``(uint8 [n, dim], float32 scales [n, dim / BLOCK])``,
    value ``(q - 128) * scale``.

    >>> q, s = quantize(np.array([[0.5] * 16 + [-1.0] * 16], dtype=np.float32))
    >>> int(q[0, 0]), int(q[0, 31]), round(float(s[0, 0]) * 127, 3)
    (192, 1, 1.0)
    """
    n, dim = vecs.shape
    q = np.empty((n, dim), dtype=np.uint8)
    scales = np.empty((n, dim // BLOCK), dtype=np.float32)
    for a in range(0, n, _STEP):
        blocks = np.asarray(vecs[a : a + _STEP], dtype=np.float32).reshape(-1, dim // BLOCK, BLOCK)
        s = np.abs(blocks).max(axis=-1) / 127.0
        s[s == 0] = 1.0
        q[a : a + _STEP] = (np.rint(blocks / s[..., None]) + 128).clip(1, 255).astype(np.uint8).reshape(-1, dim)
        scales[a : a + _STEP] = s
    return q, scales


def scannable(vecs: np.ndarray | None) -> bool:
    """Whether the 8-bit scan applies: a 2-D matrix with rows, its length a multiple of :data:`BLOCK`."""
    return vecs is not None and vecs.ndim == 2 and len(vecs) > 0 and vecs.shape[1] % BLOCK == 0


#: the files :func:`save_blocks` writes in an index version folder
FILES = ("chunk_scan.onnx", "half_dot.onnx")
#: the blocks as indexes saved before the serialised graphs hold them
OLD_FILES = ("chunk_q8.npy", "chunk_q8_scales.npy")


def scan_model(q8: np.ndarray, scales: np.ndarray) -> bytes:
    """The serialised onnx graph scoring a query ``[1, dim]`` against the blocks: ``[1, n]``."""
    from onnx import TensorProto, helper, numpy_helper

    n, dim = q8.shape
    node = helper.make_node("MatMulNBits", ["q", "w", "s"], ["y"], domain="com.microsoft", K=dim, N=n, bits=8,
                            block_size=BLOCK, accuracy_level=4)
    weights = [numpy_helper.from_array(np.asarray(q8).reshape(n, dim // BLOCK, BLOCK), "w"),
               numpy_helper.from_array(np.asarray(scales, dtype=np.float32).reshape(-1), "s")]
    graph = helper.make_graph([node], "chunk_scan",
                              [helper.make_tensor_value_info("q", TensorProto.FLOAT, [1, dim])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model.SerializeToString()


def half_dot_model() -> bytes:
    """The serialised onnx graph of :func:`half_dot`: float16 rows ``[n, dim]`` times a float32 query."""
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Cast", ["rows"], ["rows32"], to=TensorProto.FLOAT),
         helper.make_node("MatMul", ["rows32", "q"], ["y"])],
        "half_dot", [helper.make_tensor_value_info("rows", TensorProto.FLOAT16, ["n", "dim"]),
                     helper.make_tensor_value_info("q", TensorProto.FLOAT, ["dim", 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def save_blocks(vdir: Path, vecs: np.ndarray) -> None:
    """Write the scan graph of ``vecs`` (its :func:`quantize` blocks inside) and :func:`half_dot`'s graph
    beside them (nothing if :func:`scannable` is false)."""
    if scannable(vecs):
        (vdir / FILES[0]).write_bytes(scan_model(*quantize(vecs)))
        (vdir / FILES[1]).write_bytes(half_dot_model())


def load_blocks(vdir: Path, manifest: dict, vecs: np.ndarray | None) -> dict | None:
    """What the index saved for the scan of ``vecs`` (the :class:`ChunkScan` keyword arguments): the
    graph files, or an older index's memory-mapped blocks; None if it has neither (made on first use then).

    Raises:
        ValueError: the older blocks' shapes do not match ``vecs``.
    """
    if vecs is None:
        return None
    if all(name in manifest for name in FILES):
        return {"model": vdir / FILES[0], "half_dot_model": vdir / FILES[1]}
    if not all(name in manifest for name in OLD_FILES):
        return None
    q8, scales = (np.load(vdir / name, mmap_mode="r", allow_pickle=False) for name in OLD_FILES)
    if q8.shape != vecs.shape or scales.shape != (len(vecs), vecs.shape[1] // BLOCK):
        raise ValueError(f"8-bit chunk blocks {q8.shape} do not match the chunk vectors {vecs.shape}")
    return {"q8": q8, "scales": scales}


def _session(model: bytes | Path, threads: int = 1):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    source = str(model) if isinstance(model, Path) else model
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


class ChunkScan:
    """Scores of a query against every row of ``vecs`` (float32, L2-normalised rows).

    Args:
        vecs: the chunk vectors (a memory map is read only for the exact rescoring).
        q8, scales: their :func:`quantize` blocks (an index saved before the graph files), or
        model: the saved graph (:func:`scan_model`); with neither, the blocks are made on first use.
        half_dot_model: the saved graph of :func:`half_dot` (a query then never builds one).
        threads: onnxruntime intra-op threads.
        exact_top: how many of the best rows are rescored exactly (default :data:`EXACT_TOP`).
    """

    def __init__(self, vecs: np.ndarray, q8: np.ndarray | None = None, scales: np.ndarray | None = None,
                 threads: int = 1, exact_top: int = EXACT_TOP, model: Path | None = None,
                 half_dot_model: Path | None = None) -> None:
        self.vecs, self.q8, self.scales, self.threads, self.exact_top = vecs, q8, scales, threads, exact_top
        self.model, self.half_dot_model = model, half_dot_model
        self._session = None

    def _build(self):
        if self.model is not None:
            return _session(self.model, self.threads)
        if self.q8 is None or self.scales is None:
            self.q8, self.scales = quantize(self.vecs)
        data = scan_model(self.q8, self.scales)
        self.q8 = self.scales = None  # the session holds its own (packed) copy
        return _session(data, self.threads)

    def scores(self, q: np.ndarray) -> np.ndarray:
        """Cosine of ``q`` with every row: 8-bit for all, exact for the ``exact_top`` best."""
        if self._session is None:
            self._session = self._build()
        q = np.asarray(q, dtype=np.float32).reshape(1, -1)
        out = self._session.run(["y"], {"q": q})[0][0]
        top = best(out, self.exact_top)
        out[top] = np.asarray(self.vecs[top], dtype=np.float32) @ q[0]
        return out


_HALF_DOT = None


def half_dot(rows: np.ndarray, q: np.ndarray, model: Path | None = None) -> np.ndarray:
    """``rows @ q`` for float16 ``rows`` (the clause vectors of the rerank pool) as float32.

    numpy converts float16 one value at a time: on ~4,500 clause rows (a pool of 500 units on the full
    corpus) the conversion alone took 15 ms of CPU; onnxruntime's Cast (vectorised) and MatMul take 1.6 ms.
    ``model``: the index's saved graph (:func:`half_dot_model`); without it the graph is built here once.
    """
    global _HALF_DOT
    if rows.dtype != np.float16:
        return np.asarray(rows, dtype=np.float32) @ np.asarray(q, dtype=np.float32)
    if _HALF_DOT is None:  # the same graph for every index: one session for the process
        _HALF_DOT = _session(model if model is not None else half_dot_model())
    if not len(rows):
        return np.zeros(0, dtype=np.float32)
    q = np.asarray(q, dtype=np.float32).reshape(-1, 1)
    return _HALF_DOT.run(["y"], {"rows": np.ascontiguousarray(rows), "q": q})[0][:, 0]
