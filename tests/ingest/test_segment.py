from __future__ import annotations

import random
from pathlib import Path

import pytest

from ingest.segment import (
    C_DAG_LIMIT,
    HMMCutter,
    Segmenter,
    c_route,
    dictionary_path,
    fits_c_route,
    get_segmenter,
    get_tokenizer,
    segment,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
# Text that exercises every branch of jieba's cut: dictionary words, unknown names (HMM),
# traditional characters missing from the HMM tables, runs of "-", URLs and percent-encoding,
# mixed scripts, full-width letters, CJK outside jieba's range, every kind of whitespace.
TRICKY = [
    "支持河北软件职业技术学院建设祖冲之学院，王小二在保定国家高新技术产业开发区工作。",
    "了保衞我們的國家建設事業不受破壞，註意反對帝國主義的口號，瀋陽汽車製造廠",
    "END-->  !--INFO a--b ---- —— …… 5-6所 1.5% 50%以上 C++ 5G+ IoT a_b __ _",
    "http://www.gov.cn/zhengce/content/2018-11/19/content_5341736.htm?x=%E5%85%A8%E9",
    "ＡＢＣ１２３ 〇 㐀㐁 \U0001F600 é Ünïcode\r\n第一条\t\u3000\u00a0\x0b\x1c 附件1：\n\n",
    "",
    "   ",
    "到2022年，市域内26所公办中职学校办学条件全部达到省定标准。",
]


def search_tokens(text: str) -> list[str]:
    """What ``tokenize`` returned when it was written directly on jieba's ``cut_for_search``."""
    from ingest.segment import _DROP

    words = (w.strip().lower() for w in get_tokenizer().cut_for_search(text))
    return [w for w in words if w and not _DROP.match(w)]


def first_difference(want: list[str], got: list[str]) -> str:
    k = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    return f"at token {k}: expected {want[max(0, k - 2):k + 3]}, got {got[max(0, k - 2):k + 3]}"


def corpus_texts(limit: int) -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    gov = CORPUS / "gov-policy"
    if gov.is_dir():
        texts += [p.read_text("utf-8", errors="replace") for p in sorted(gov.rglob("*.txt"))[:limit]]
    return texts


def backends() -> list[bool]:
    return [False, True] if c_route() is not None else [False]


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
    assert word in tokenize(text), f"expected {word!r} among the search tokens, got {tokenize(text)}"


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
    assert get_segmenter() is get_segmenter()
    path = dictionary_path()
    assert path.exists() and path == dictionary_path()
    assert "河北软件职业技术学院 " in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fast", backends())
@pytest.mark.parametrize("text", TRICKY)
def test_cut_is_jiebas_cut(text, fast):
    tok = get_tokenizer()
    seg = Segmenter(tok, fast=fast)
    assert seg.backend == ("jieba-fast" if fast else "jieba")
    want = list(tok.cut(text))
    assert seg.cut(text) == want, f"backend {seg.backend}: expected {want}, got {seg.cut(text)}"


@pytest.mark.parametrize("fast", backends())
@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_jiebas_search_tokens(text, fast):
    want = search_tokens(text)
    got = Segmenter(get_tokenizer(), fast=fast).tokens(text)
    assert got == want, f"expected {want}, got {got}"


@pytest.mark.parametrize("fast", backends())
def test_same_words_as_jieba_on_the_corpus(fast):
    tok = get_tokenizer()
    seg = Segmenter(tok, fast=fast)
    for i, text in enumerate(corpus_texts(limit=8)):
        want, got = list(tok.cut(text)), seg.cut(text)
        assert got == want, f"document {i}, words {first_difference(want, got)}"
        want, got = search_tokens(text), seg.tokens(text)
        assert got == want, f"document {i}, search tokens {first_difference(want, got)}"


def test_hmm_is_jiebas_hmm():
    from jieba import finalseg

    # Characters known to every state, to some states only, or to none: the sums then reach jieba's
    # -3.14e100 floor and the Viterbi's tie-breaks decide, which any slip in their order shows.
    emit = finalseg.emit_P
    pools = [
        [c for c in emit["S"] if all(c in emit[s] for s in "BME")][:200],
        [c for c in emit["S"] if not any(c in emit[s] for s in "BME")][:200],
        [c for c in emit["B"] if c not in emit["S"]][:50],
        [c for c in emit["E"] if c not in emit["S"]][:50],
        list("衞註製綫瀋鶏汚擧駡羣鬆"),
        list("abXY09.%-_ ，"),
    ]
    rnd = random.Random(7)
    cutter = HMMCutter(memo=50)
    for _ in range(4000):
        text = "".join(rnd.choice(rnd.choice(pools)) for _ in range(rnd.randint(1, 10)))
        want = list(finalseg.cut(text))
        assert cutter.cut(text) == want, f"{text!r}: expected {want}, got {cutter.cut(text)}"
    assert len(cutter._memo) <= 50, f"memo grew past its bound: {len(cutter._memo)}"


def test_dictionary_with_long_word_chains_is_refused_by_the_c_search():
    word = "一二三四五六七八九十百千万亿"
    assert len(word) > C_DAG_LIMIT
    freq = {word[:i]: 5 for i in range(1, len(word) + 1)}
    assert not fits_c_route(freq), "every prefix is a word: the C search would drop some"
    freq = {word[:i]: 0 for i in range(1, len(word))} | {word: 5}
    assert fits_c_route(freq), "prefixes that are not words do not count"
    assert fits_c_route(get_tokenizer().FREQ), "the shipped dictionary should fit the C search"
    if c_route() is not None:
        class Tok:  # the minimum Segmenter needs from a jieba.Tokenizer
            def __init__(self) -> None:
                self.FREQ = {word[:i]: 5 for i in range(1, len(word) + 1)}
                self.total = 5 * len(word)

            def check_initialized(self) -> None:
                pass

        assert Segmenter(Tok()).backend == "jieba", "a dictionary that does not fit must not use the C search"


def test_without_jieba_fast_falls_back_to_jieba_and_says_so_once(monkeypatch, caplog):
    import sys

    import ingest.segment as seg

    monkeypatch.setitem(sys.modules, "_jieba_fast_functions_py3", None)  # import fails
    monkeypatch.setattr(seg, "_segmenter", None)
    assert seg.c_route() is None
    with caplog.at_level("WARNING", logger="ingest.segment"):
        first, again = seg.get_segmenter(), seg.get_segmenter()
        tokens = tokenize("依托保定国家高新技术产业开发区")
    assert first is again and first.backend == "jieba", first.backend
    assert "保定国家高新技术产业开发区" in tokens, tokens
    notes = [r.getMessage() for r in caplog.records if "jieba-fast" in r.getMessage()]
    assert len(notes) == 1 and "pip install jieba-fast" in notes[0], notes
