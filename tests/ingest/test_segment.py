from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.segment import dictionary_path, get_tokenizer, segment, tokenize


@pytest.mark.parametrize(
    "text, word",
    [
        ("支持河北软件职业技术学院建设祖冲之学院", "河北软件职业技术学院"),
        ("依托保定国家高新技术产业开发区等产业园区", "保定国家高新技术产业开发区"),
        ("推动河北省新一代信息技术职业教育集团实体化运作", "河北省新一代信息技术职业教育集团"),
        ("实施京畿人才计划", "京畿人才计划"),
    ],
)
def test_gazetteer_names_stay_whole(text, word):
    words = segment(text)
    assert word in words, f"expected {word!r} as one word, got {words}"


def test_tokenize_lowercases_and_drops_punctuation():
    tokens = tokenize("推进 IoT、大数据，  发展。")
    assert "iot" in tokens and "IoT" not in tokens, tokens
    assert not any(t.strip("，。、 ") == "" for t in tokens), f"punctuation or space left: {tokens}"
    assert "大数据" in tokens, tokens


def test_segment_keeps_every_character():
    text = "到2022年，市域内26所公办中职学校办学条件全部达到省定标准。"
    assert "".join(segment(text)) == text


def test_tokenizer_built_once_and_dictionary_cached():
    assert get_tokenizer() is get_tokenizer()
    path = dictionary_path()
    assert path.exists() and path == dictionary_path()
    assert "河北软件职业技术学院 " in path.read_text(encoding="utf-8")


def test_fast_cut_is_jiebas_on_real_documents():
    """Chinese runs go through jieba-rs; on these documents (laws, a State Council policy, the
    seed, a government report) every token is the one jieba itself gives."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    files = sorted((corpus / "seed").glob("*.txt")) + sorted((corpus / "gov-policy").glob("*.txt"))[:3] + \
        sorted((corpus / "laws").rglob("*.txt"))[:200:50] + sorted((corpus / "reports").rglob("*.txt"))[-1:]
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert len(texts) >= 6 and sum(map(len, texts)) > 40_000
    from ingest.segment import cut_for_search

    jieba_cut = get_tokenizer().cut_for_search
    for text in texts:
        assert cut_for_search(text) == list(jieba_cut(text))


def test_fast_tokenizer_holds_the_domain_dictionary():
    from ingest.segment import get_fast_tokenizer

    fast = get_fast_tokenizer()
    assert fast is get_fast_tokenizer()
    assert fast.has_word("河北软件职业技术学院") and fast.has_word("教育")
    assert "河北软件职业技术学院" in fast.cut_for_search("支持河北软件职业技术学院建设")


def test_runs_are_jiebas():
    import jieba

    from ingest.segment import _RUNS

    text = "推进IoT、大数据（2021-2025年）+5G 和 C# 10.5%的_项目\n㐀①Ⅱ"
    assert _RUNS.split(text) == jieba.re_han_default.split(text)
    assert _RUNS.flags == jieba.re_han_default.flags


def test_separators_are_cut_as_jieba_cuts_them_without_loading_it():
    """Whitespace and punctuation between Chinese runs: jieba's own cut, and jieba's dictionary (a
    second of loading) is not needed for a query of Chinese words and spaces."""
    import subprocess
    import sys

    text = "产教融合 职业，校企合作\r\n（试点）\t \u3000、“双高”…—"
    code = ("import json, ingest.segment as s; out = s.cut_for_search(%r); "
            "print(json.dumps([out, s._tokenizer is None]))" % text)
    root = Path(__file__).resolve().parents[2]
    got, untouched = json.loads(subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                                               text=True, check=True).stdout)
    assert untouched
    assert got == list(get_tokenizer().cut_for_search(text))
