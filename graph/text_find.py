"""Which measures contain a piece of text: a character-bigram index over the measures' texts.

"Which measures involve X" for a name that is no entity answers with every measure whose text
contains it, spaces and case ignored. Scanning all 93,000 measure texts of the full reference
corpus with a regular expression per query took hundreds of milliseconds. Here each measure's
text is normalised (spaces removed, lower case) once; every pair of adjacent characters (a
*bigram*) maps to the sorted list of measures holding it. A query intersects the lists of its
bigrams, rarest first, and checks only the measures left with the regular expression, which
also gives the evidence spans. The answer is exact: a measure containing the name contains
every bigram of it.

The index is built on first use per graph view (a numpy sort of one key per character: about a
second on the full corpus) and kept with the view.
"""

from __future__ import annotations

import re
import threading
import weakref

import numpy as np

_SPACE = re.compile(r"\s+")
_MID_BITS = 24  # up to 16 M measures
_lock = threading.Lock()
_finders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the normalised texts joined by NUL, and the measure of each position."""
    norm = [_SPACE.sub("", t).lower() for t in texts]
    joined = "\0".join(norm)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(norm), dtype=np.int64), [len(t) + 1 for t in norm])[: len(codes)]
    return codes, owner


class TextFinder:
    """Finds the measures whose text contains a string (spaces and case ignored).

    >>> f = TextFinder(["推进 人工智能发展", "加强教师队伍建设", "人工 智能与 Big Data"])
    >>> f.find("人工智能")
    [(0, [(3, 7)]), (2, [(0, 5)])]
    >>> f.find("bigdata"), f.find("不存在"), f.find("人")
    ([(2, [(7, 15)])], [], [(0, [(3, 4)]), (2, [(0, 1)])])
    """

    def __init__(self, texts: list[str], iris: list[str] | None = None, doc_keys: list[str] | None = None) -> None:
        self.texts = texts
        self.iris = iris  # what each position is (measure IRIs), and its document
        self.doc_keys = doc_keys
        codes, owner = _codes(texts)
        # characters as dense numbers (0 is the NUL between measures), so a bigram and a measure fit one int64;
        # a table and a sort, not np.unique: numpy 2 hashes there, many times slower on 14 M keys
        present = np.zeros(0x110000, dtype=bool)
        present[codes] = True
        self._cid_of = (np.cumsum(present, dtype=np.int32) - 1).astype(np.int32)
        self._width = int(self._cid_of[-1]) + 1
        cid = self._cid_of[codes].astype(np.int64)
        ok = (codes[:-1] != 0) & (codes[1:] != 0)  # no bigram across two measures
        keys = np.sort(((cid[:-1][ok] * self._width + cid[1:][ok]) << _MID_BITS) | owner[:-1][ok])
        if len(keys):
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        grams = keys >> _MID_BITS
        starts = np.flatnonzero(np.concatenate(([True], grams[1:] != grams[:-1]))) if len(keys) else \
            np.zeros(0, dtype=np.int64)
        self._grams = grams[starts]
        self._off = np.append(starts, len(keys))
        self._mids = (keys & ((1 << _MID_BITS) - 1)).astype(np.int32)
        self._present = present

    def _cid(self, ch: str) -> int | None:
        cp = ord(ch)
        return int(self._cid_of[cp]) if cp and self._present[cp] else None

    def _postings(self, gram: int) -> np.ndarray:
        i = int(np.searchsorted(self._grams, gram))
        if i == len(self._grams) or int(self._grams[i]) != gram:
            return self._mids[:0]
        return self._mids[int(self._off[i]) : int(self._off[i + 1])]

    def candidates(self, norm: str) -> np.ndarray:
        """Measures (positions) holding every bigram of the normalised ``norm``; all for one character."""
        cids = [self._cid(c) for c in norm]
        if not cids or None in cids:
            return np.zeros(0, dtype=np.int64)
        if len(cids) == 1:
            return np.arange(len(self.texts))
        width = self._width
        lists = sorted((self._postings(a * width + b) for a, b in zip(cids, cids[1:])), key=len)
        out = lists[0]
        for other in lists[1:]:
            if not len(out):
                break
            out = np.intersect1d(out, other, assume_unique=True)
        return out

    def find(self, name: str, documents=None) -> list[tuple[int, list[tuple[int, int]]]]:
        """``(measure position, [(start, end) of each match in its text])`` for every measure whose
        text contains ``name`` (spaces and case ignored), in position order; ``documents`` (keys),
        when given, keeps only the measures of those documents."""
        chars = [c for c in name if not c.isspace()]
        if not chars:
            return []
        rx = re.compile(r"\s*".join(map(re.escape, chars)), re.IGNORECASE)
        out = []
        for m in self.candidates("".join(chars).lower()).tolist():
            if documents is not None and self.doc_keys[m] not in documents:
                continue
            spans = [(h.start(), h.end()) for h in rx.finditer(self.texts[m])]
            if spans:
                out.append((m, spans))
        return out


def finder_for(view) -> TextFinder:
    """The :class:`TextFinder` over a graph view's measures, sorted by document key and ordinal
    (built once per view; ``iris`` and ``doc_keys`` say what each position is)."""
    with _lock:
        finder = _finders.get(view)
        if finder is None:
            ms = view.measures()
            finder = _finders[view] = TextFinder([m.text for m in ms], [m.iri for m in ms], [m.doc_key for m in ms])
    return finder
