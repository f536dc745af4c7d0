"""Word segmentation: jieba with a domain dictionary generated from the gazetteers.

The dictionary is jieba's own word list plus every Chinese gazetteer name and alias
with a high frequency, so that names such as 河北软件职业技术学院 stay whole. It is
written once to the temp directory under a name keyed by a hash of the gazetteer
(jieba then caches its prefix dictionary next to it), and loaded once per process
into a private ``jieba.Tokenizer`` (the global jieba instance is left alone).

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
_lock = threading.Lock()
_tokenizer = None


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


def segment(text: str) -> list[str]:
    """Cut ``text`` into words (precise mode); gazetteer names stay whole, whitespace is kept out.

    >>> segment("保定国家高新技术产业开发区")
    ['保定国家高新技术产业开发区']
    """
    return [w for w in get_tokenizer().cut(text) if w.strip()]


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: search-mode cut (words and their sub-words), ASCII lower-cased,
    whitespace and punctuation dropped."""
    out = []
    for w in get_tokenizer().cut_for_search(text):
        w = w.strip().lower()
        if w and not _DROP.match(w):
            out.append(w)
    return out
