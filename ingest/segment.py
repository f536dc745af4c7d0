"""Word segmentation: jieba with a domain dictionary generated from the gazetteers.

The dictionary is jieba's own word list plus every Chinese gazetteer name and alias
with a high frequency, so that names such as 河北软件职业技术学院 stay whole. It is
written once to the temp directory under a name keyed by a hash of the gazetteer
(jieba then caches its prefix dictionary next to it), and loaded once per process
into a private ``jieba.Tokenizer`` (the global jieba instance is left alone).

Speed: about 60% of jieba's time goes to its dictionary lookup and best-path search
(``get_DAG`` + ``calc``). When the C extension of the ``jieba-fast`` package is installed,
that step runs in C on jieba's own prefix dictionary, and the rest of jieba's precise and
search-mode cut (its regexes, its HMM for unknown words, its sub-words) is done here, line
for line, in one pass: the tokens are jieba's, about twice as fast. Without ``jieba-fast``
the same code runs on jieba's Python search (logged once). See ``bench/bench_segment.py``.

>>> "河北软件职业技术学院" in segment("支持河北软件职业技术学院建设祖冲之学院")
True
>>> tokenize("推进 IoT 与大数据，")
['推进', 'iot', '与', '大数', '数据', '大数据']
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

#: Frequency given to gazetteer names; high enough that jieba keeps them whole.
DOMAIN_FREQ = 200_000
#: jieba-fast's C search keeps at most this many dictionary words starting at one character.
C_DAG_LIMIT = 12
_JIEBA_WORD = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
_DROP = re.compile(r"^[\W_]+$")
_lock = threading.Lock()
_tokenizer = None
_segmenter: Segmenter | None = None
log = logging.getLogger(__name__)


def dictionary_path() -> Path:
    """Path of the combined dictionary (jieba's words + gazetteer names), written if missing."""
    import jieba

    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    words = [w for w in gaz.names() if _JIEBA_WORD.match(w) and len(w) > 1]
    digest = hashlib.sha1(("\n".join(words) + f"\n{DOMAIN_FREQ}").encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"policykg-jieba-{digest}.txt"
    if not path.exists():
        base = Path(jieba.__file__).resolve().parent / "dict.txt"
        text = base.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        text += "".join(f"{w} {DOMAIN_FREQ} nz\n" for w in words)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # atomic: concurrent processes never read a half-written file
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


def c_route() -> Callable | None:
    """jieba-fast's C best-path search ``(FREQ, block, route, total)``, or None if not installed."""
    try:
        from _jieba_fast_functions_py3 import _get_DAG_and_calc
    except ImportError:
        return None
    return _get_DAG_and_calc


def fits_c_route(freq: dict[str, int]) -> bool:
    """True if no dictionary word has more than :data:`C_DAG_LIMIT` prefixes that are words
    (the C search would drop the longer ones; only words that long can have that many)."""
    return not any(
        len(w) > C_DAG_LIMIT and sum(1 for i in range(1, len(w) + 1) if freq.get(w[:i])) > C_DAG_LIMIT
        for w in freq
    )


class HMMCutter:
    """jieba's ``finalseg.cut`` (HMM over B/M/E/S for runs of characters not in the dictionary):
    the same sums in the same order and the same tie-breaks, unrolled, with a bounded memo.

    >>> from jieba import finalseg
    >>> HMMCutter().cut("王小二在ABC1.5%衞") == list(finalseg.cut("王小二在ABC1.5%衞"))
    True
    """

    def __init__(self, memo: int = 200_000) -> None:
        from jieba import finalseg

        self._fs = finalseg
        e, t, s = finalseg.emit_P, finalseg.trans_P, finalseg.start_P
        self._emit = e["B"].get, e["M"].get, e["E"].get, e["S"].get
        self._start = s["B"], s["M"], s["E"], s["S"]
        self._trans = (t["E"]["B"], t["S"]["B"], t["M"]["M"], t["B"]["M"],
                       t["B"]["E"], t["M"]["E"], t["S"]["S"], t["E"]["S"])
        self._memo: dict[str, list[str]] = {}
        self._limit = memo

    def states(self, obs: str) -> list[str]:
        """jieba's ``finalseg.viterbi(obs, "BMES", ...)[1]``: the best state of each character."""
        low = self._fs.MIN_FLOAT
        eb, em, ee, es = self._emit
        teb, tsb, tmm, tbm, tbe, tme, tss, tes = self._trans
        sb, sm, se, ss = self._start
        o = obs[0]
        vb, vm, ve, vs = sb + eb(o, low), sm + em(o, low), se + ee(o, low), ss + es(o, low)
        back = []
        for o in obs[1:]:
            b, m, e, s = eb(o, low), em(o, low), ee(o, low), es(o, low)
            # jieba: max((V[y0] + trans[y0][y] + emit, y0) for y0 in PrevStatus[y]); ties go to the larger y0
            p, q = ve + teb + b, vs + tsb + b
            nb, kb = (q, 3) if q >= p else (p, 2)
            p, q = vm + tmm + m, vb + tbm + m
            nm, km = (p, 1) if p >= q else (q, 0)
            p, q = vb + tbe + e, vm + tme + e
            ne, ke = (q, 1) if q >= p else (p, 0)
            p, q = vs + tss + s, ve + tes + s
            ns, ks = (p, 3) if p >= q else (q, 2)
            back.append((kb, km, ke, ks))
            vb, vm, ve, vs = nb, nm, ne, ns
        k = 3 if vs >= ve else 2
        path = [k]
        for row in reversed(back):
            k = row[k]
            path.append(k)
        path.reverse()
        return ["BMES"[k] for k in path]

    def _cut_han(self, text: str, out: list[str]) -> None:
        begin = nexti = 0
        for i, pos in enumerate(self.states(text)):
            if pos == "B":
                begin = i
            elif pos == "E":
                out.append(text[begin:i + 1])
                nexti = i + 1
            elif pos == "S":
                out.append(text[i])
                nexti = i + 1
        if nexti < len(text):
            out.append(text[nexti:])

    def cut(self, text: str) -> list[str]:
        """Exactly ``list(jieba.finalseg.cut(text))``."""
        return list(self.words(text))

    def words(self, text: str) -> list[str]:
        """:meth:`cut`, memoised: the list returned may be shared, do not change it."""
        fs = self._fs
        if fs.Force_Split_Words:  # set by jieba.del_word: rare, leave it to jieba
            return list(fs.cut(text))
        out = self._memo.get(text)
        if out is not None:
            return out
        out = []
        for i, blk in enumerate(fs.re_han.split(text)):
            if i & 1:
                self._cut_han(blk, out)
            elif blk:
                out.extend(x for x in fs.re_skip.split(blk) if x)
        if len(self._memo) >= self._limit:
            self._memo.clear()
        self._memo[text] = out
        return out


class Segmenter:
    """jieba's precise cut (``Tokenizer.cut``) and search-mode tokens, same output, less overhead.

    Args:
        tok: an initialised ``jieba.Tokenizer``.
        fast: None: jieba-fast's C best-path search if it is installed and the dictionary
            fits it (:func:`fits_c_route`); True: the C search whenever installed; False:
            jieba's own ``get_DAG`` + ``calc``. :attr:`backend` says which is used.
    """

    def __init__(self, tok, fast: bool | None = None) -> None:
        from jieba import re_han_default, re_skip_default

        tok.check_initialized()
        self.freq: dict[str, int] = tok.FREQ
        self._tok = tok
        self._total = float(tok.total)
        self._hmm = HMMCutter().words
        self._han_split = re_han_default.split
        self._skip_split = re_skip_default.split
        self._skip_match = re_skip_default.match
        route = c_route() if fast is not False else None
        if route is not None and fast is None and not fits_c_route(self.freq):
            log.warning("the segmentation dictionary has a word with more than %d word prefixes; "
                        "using jieba's own (slower) path search", C_DAG_LIMIT)
            route = None
        self._c_route = route
        self.backend = "jieba-fast" if route is not None else "jieba"

    def _route(self, blk: str) -> list[int]:
        """End index (inclusive) of the best word starting at each position of ``blk``."""
        if self._c_route is not None:
            route: list[int] = []
            self._c_route(self.freq, blk, route, self._total)
            return route
        tok = self._tok
        best: dict = {}
        tok.calc(blk, tok.get_DAG(blk), best)
        return [best[i][1] for i in range(len(blk) + 1)]

    def _cut_block(self, blk: str, out: list[str]) -> None:
        """jieba's ``Tokenizer.__cut_DAG`` (HMM on) for one block matched by ``re_han_default``."""
        route = self._route(blk)
        get = self.freq.get
        n = len(blk)
        x = 0
        b = -1  # start of a run of single characters, or -1
        while x < n:
            y = route[x] + 1
            if y - x == 1:
                if b < 0:
                    b = x
            else:
                if b >= 0:
                    self._flush(blk[b:x], out, get)
                    b = -1
                out.append(blk[x:y])
            x = y
        if b >= 0:
            self._flush(blk[b:], out, get)

    def _flush(self, buf: str, out: list[str], get) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not get(buf):
            out.extend(self._hmm(buf))
        else:
            out.extend(buf)

    def cut(self, text: str) -> list[str]:
        """Exactly ``list(jieba.Tokenizer.cut(text))`` (precise mode, HMM on)."""
        out: list[str] = []
        for i, blk in enumerate(self._han_split(text)):
            if not blk:
                continue
            if i & 1:  # re.split with one group: odd items are the matches
                self._cut_block(blk, out)
            else:
                for x in self._skip_split(blk):
                    if self._skip_match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def tokens(self, text: str) -> list[str]:
        """``cut_for_search`` (sub-words of 2 and 3 characters that are words, then the word),
        each stripped and lower-cased, empty and punctuation-only ones dropped."""
        get = self.freq.get
        out: list[str] = []
        app = out.append
        drop = _DROP.match
        for w in self.cut(text):
            n = len(w)
            if n > 2:
                for i in range(n - 1):
                    g = w[i:i + 2]
                    if get(g) and (g.isalnum() or not drop(g)):  # no spaces inside a word of 3+
                        app(g.lower())
                if n > 3:
                    for i in range(n - 2):
                        g = w[i:i + 3]
                        if get(g) and (g.isalnum() or not drop(g)):
                            app(g.lower())
            if w.isalnum():  # has a word character that is not "_": never dropped, nothing to strip
                app(w.lower())
            else:
                w = w.strip().lower()
                if w and not drop(w):
                    app(w)
        return out


def get_segmenter() -> Segmenter:
    """The process-wide :class:`Segmenter` over :func:`get_tokenizer` (built on first use)."""
    global _segmenter
    if _segmenter is None:
        tok = get_tokenizer()
        with _lock:
            if _segmenter is None:
                seg = Segmenter(tok)
                if seg.backend == "jieba":
                    log.warning("jieba-fast is not installed: word segmentation uses jieba alone "
                                "(same words, about half the speed); fix: pip install jieba-fast")
                _segmenter = seg
    return _segmenter


def segment(text: str) -> list[str]:
    """Cut ``text`` into words (precise mode); gazetteer names stay whole, whitespace is kept out.

    >>> segment("保定国家高新技术产业开发区")
    ['保定国家高新技术产业开发区']
    """
    return [w for w in get_segmenter().cut(text) if w.strip()]


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: search-mode cut (words and their sub-words), ASCII lower-cased,
    whitespace and punctuation dropped."""
    return get_segmenter().tokens(text)
