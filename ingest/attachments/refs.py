"""Explicit references from a task row to the measures of its parent document.

A 对应措施 cell names measures as ``5``, ``5、7``, ``措施5``, ``第五条``, ``（五）`` or
``第5项``; task text may say ``落实措施5`` or ``（对应第7条）``.

>>> refs_from_cell("5、7")
[5, 7]
>>> refs_from_cell("措施5，第十二条；（五）")
[5, 12]
>>> refs_from_cell("第3-4项")
[3, 4]
>>> refs_in_text("按照第7条要求，落实措施12。")
[7, 12]
>>> refs_in_text("建设6个职业启蒙教育基地")
[]
>>> cn_number("十八"), cn_number("二十一"), cn_number("7")
(18, 21, 7)
"""

from __future__ import annotations

import re
import unicodedata

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十百]{1,5})"

_CELL_TOKEN = re.compile(
    r"(?:措施|第|[（(])?\s*" + _NUM + r"\s*(?:[-—~～至到]\s*" + _NUM + r")?\s*(?:条|项|点|[）)])?"
)
_TEXT_REF = re.compile(
    r"(?:措施\s*" + _NUM + r"|第\s*" + _NUM + r"\s*(?:条|项)(?:措施)?|对应措施\s*[：:]?\s*" + _NUM + r")"
)


def cn_number(s: str) -> int | None:
    """Integer value of an Arabic or Chinese numeral (up to 999)."""
    s = unicodedata.normalize("NFKC", s).strip()
    if s.isdigit():
        return int(s)
    if not s or any(ch not in _CN and ch not in "十百" for ch in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN[ch]
    return total + current


def _add(out: list[int], value: int | None) -> None:
    if value is not None and 0 < value < 1000 and value not in out:
        out.append(value)


def refs_from_cell(cell: str | None) -> list[int]:
    """Measure numbers listed in a 对应措施 / 落实措施 cell, in order."""
    if not cell:
        return []
    out: list[int] = []
    for m in _CELL_TOKEN.finditer(unicodedata.normalize("NFKC", cell)):
        lo = cn_number(m.group(1))
        hi = cn_number(m.group(2)) if m.group(2) else None
        if lo is not None and hi is not None and lo <= hi <= lo + 20:
            for v in range(lo, hi + 1):
                _add(out, v)
        else:
            _add(out, lo)
    return out


def refs_in_text(text: str | None) -> list[int]:
    """Measure numbers cited in running task text (措施5, 第5条, 第五项)."""
    if not text:
        return []
    out: list[int] = []
    for m in _TEXT_REF.finditer(unicodedata.normalize("NFKC", text)):
        _add(out, cn_number(next(g for g in m.groups() if g)))
    return out
