"""Word segmentation: jieba with a domain dictionary generated from the gazetteers.

The dictionary is jieba's own word list plus every Chinese gazetteer name and alias
with a high frequency, so that names such as 河北软件职业技术学院 stay whole. It is
written once to the temp directory under a name keyed by a hash of the gazetteer
(jieba then caches its prefix dictionary next to it), and loaded once per process
into a private ``jieba.Tokenizer`` (the global jieba instance is left alone).

BM25's tokens (:func:`tokenize`) are cut by jieba-rs (the ``rjieba`` binding: the same
algorithm, HMM and dictionary file, about ten times faster) for runs of Chinese characters, and
by jieba itself for runs mixing in Latin letters, digits or symbols, where the two differ
(jieba splits 1996-2019 and UTF-8 at the hyphen, jieba-rs keeps them whole). Over every run of
the shipped corpus (644,646 distinct runs) the cut is jieba's but for 2 runs, both ties
(用足用好: 用/足用/好 against 用足/用/好).

>>> "河北软件职业技术学院" in segment("支持河北软件职业技术学院建设祖冲之学院")
True
>>> tokenize("推进 IoT 与大数据，")
['推进', 'iot', '与', '大数', '数据', '大数据']
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import threading
from pathlib import Path

from core.files import write_atomic

#: Frequency given to gazetteer names; high enough that jieba keeps them whole.
DOMAIN_FREQ = 200_000
_JIEBA_WORD = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
_DROP = re.compile(r"^[\W_]+$")
#: a run of Chinese characters only (jieba's ``re_han_default`` without its Latin and symbols)
_CJK_RUN = re.compile(r"^[\u4E00-\u9FD5]+$")
#: jieba's ``re_han_default``: the runs it cuts one by one (the rest is cut character by character)
_RUNS = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)", re.U)
#: What jieba yields whole between runs (a line break, one whitespace character); any other character
#: between runs is yielded alone (``jieba.Tokenizer.cut``, ``re_skip_default``)
_SKIP = re.compile(r"(\r\n|\s)", re.U)
_lock = threading.Lock()
_tokenizer = None
_fast = None


def domain_words() -> list[str]:
    """The gazetteer names added to jieba's dictionary (at :data:`DOMAIN_FREQ`)."""
    from ontology.gazetteer import Gazetteer

    return [w for w in Gazetteer.default().names() if _JIEBA_WORD.match(w) and len(w) > 1]


def dictionary_path() -> Path:
    """Path of the combined dictionary (jieba's words + gazetteer names), written if missing."""
    import jieba

    words = domain_words()
    digest = hashlib.sha1(("\n".join(words) + f"\n{DOMAIN_FREQ}").encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"policykg-jieba-{digest}.txt"
    if not path.exists():
        base = Path(jieba.__file__).resolve().parent / "dict.txt"
        text = base.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        text += "".join(f"{w} {DOMAIN_FREQ} nz\n" for w in words)
        write_atomic(path, text, durable=False)  # concurrent processes never read a half-written file
    return path


def get_tokenizer():
    """The process-wide ``jieba.Tokenizer`` with the domain dictionary (built on first use)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer(dictionary=str(dictionary_path()))
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def get_fast_tokenizer():
    """The process-wide ``rjieba.Jieba`` with the words of :func:`dictionary_path`: jieba-rs's own
    dictionary (jieba's ``dict.txt``, loaded in 0.1 s of CPU against 1.5 s for adding its 360,000
    lines one by one; the same cut on 100,000 random Chinese runs of the corpus) plus the gazetteer
    names."""
    global _fast
    if _fast is None:
        with _lock:
            if _fast is None:
                import rjieba

                tok = rjieba.Jieba()
                for w in domain_words():
                    tok.add_word(w, DOMAIN_FREQ, "nz")
                _fast = tok
    return _fast


def _cut_runs(text: str):
    """(words, chinese) for each run of ``text`` in order, as jieba's search mode cuts it: a run of
    Chinese characters through jieba-rs (``chinese`` True), the whitespace and punctuation between runs
    as jieba cuts them, any other run (Latin letters, digits) through jieba."""
    fast, slow = get_fast_tokenizer(), None
    for blk in _RUNS.split(text):
        if not blk:
            continue
        if _CJK_RUN.match(blk):
            yield fast.cut_for_search(blk), True
        elif not _RUNS.match(blk):  # between runs: whitespace and punctuation, cut as jieba cuts them, so
            # a query of Chinese words and spaces never waits for jieba's own dictionary (~1 s to load)
            yield [c for x in _SKIP.split(blk) for c in ((x,) if _SKIP.match(x) else x)], False
        else:
            slow = slow or get_tokenizer()
            yield slow.cut_for_search(blk), False


def cut_for_search(text: str) -> list[str]:
    """jieba's search-mode cut of ``text`` (words and their dictionary sub-words), punctuation and
    whitespace included.

    >>> cut_for_search("支持IoT、大数据")
    ['支持', 'IoT', '、', '大数', '数据', '大数据']
    """
    return [w for words, _ in _cut_runs(text) for w in words]


def segment(text: str) -> list[str]:
    """Cut ``text`` into words (precise mode); gazetteer names stay whole, whitespace is kept out.

    >>> segment("保定国家高新技术产业开发区")
    ['保定国家高新技术产业开发区']
    """
    return [w for w in get_tokenizer().cut(text) if w.strip()]


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: search-mode cut (words and their sub-words), ASCII lower-cased,
    whitespace and punctuation dropped.

    A Chinese run's words (jieba-rs) need none of that; only the other runs' words are filtered."""
    out: list[str] = []
    for words, chinese in _cut_runs(text):
        if chinese:
            out += words
            continue
        for w in words:
            w = w.strip().lower()
            if w and not _DROP.match(w):
                out.append(w)
    return out
