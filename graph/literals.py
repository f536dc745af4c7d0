"""RDF literals the graph builders share: integers (cached), decimals, Chinese text, labels tagged by script.

>>> int_literal(3).value, decimal_literal(2.0).value, label_literal("Hebei").language
('3', '2', 'en')
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyoxigraph import Literal

from graph import vocab as V

_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1 << 16)
def int_literal(n: int) -> Literal:
    return Literal(str(int(n)), datatype=V.XSD_INTEGER)


def decimal_literal(x: float) -> Literal:
    s = repr(float(x))
    if s.endswith(".0"):
        s = s[:-2]
    return Literal(s, datatype=V.XSD_DECIMAL)


def zh_literal(s: str) -> Literal:
    return Literal(s, language="zh")


def label_literal(s: str) -> Literal:
    """A label tagged ``zh`` when it contains Chinese characters, else ``en``."""
    return Literal(s, language="zh" if _CJK.search(s) else "en")
