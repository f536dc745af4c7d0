"""Quantified and dated commitments: 到2022年, 26所, 不低于50%, 10家左右, 5-6所, 超过一半.

>>> [(t.text, t.quantity, t.quantity_max, t.unit, t.comparator) for t in extract_targets("建成3-5个团队，占比不低于50%")]
[('3-5个', 3.0, 5.0, '个', 'range'), ('不低于50%', 50.0, None, '%', 'ge')]
>>> t = extract_targets("到2022年，26所学校达标")
>>> (t[0].text, t[0].year), (t[1].text, t[1].quantity, t[1].comparator)
(('到2022年', 2022), ('26所', 26.0, 'eq'))
"""

from __future__ import annotations

import re

from ingest.model import Target

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# Bounded: no numeral is longer, and an unbounded class made the scan quadratic on long runs of 一.
_CN_NUM = "[零〇一二两三四五六七八九十百千]{1,16}"
_AR_NUM = r"\d+(?:\.\d+)?"

# Longest units first so 万人 wins over 人 and 个月 over 个.
UNITS = [
    "万人次", "万人", "万名", "亿元", "万元", "个月", "学时", "课时", "小时", "平方米", "万吨", "公里",
    "所", "个", "家", "名", "人", "位", "项", "门", "支", "条", "次", "元", "倍", "天", "亩", "吨", "%", "％",
]
_UNIT = "|".join(re.escape(u) for u in UNITS)
_DASH = r"\s*(?:-|—|–|－|～|~|至|到)\s*"

GE = ("不低于", "不少于", "至少", "不小于", "达到", "力争")
LE = ("不超过", "不高于", "不多于", "最多", "控制在")
GT = ("超过", "高于", "多于")
LT = ("低于", "少于")
_COMPARATORS = sorted(GE + LE + GT + LT, key=len, reverse=True)
_CMP_VALUE = {**{w: "ge" for w in GE}, **{w: "le" for w in LE}, **{w: "gt" for w in GT}, **{w: "lt" for w in LT}}
# Only these comparator words set the comparator; 达到 / 力争 merely introduce a number.
_NEUTRAL = {"达到", "力争"}

_NUMBER = rf"(?:{_AR_NUM}|{_CN_NUM})"
_QUANTITY = re.compile(
    rf"(?<![\d.+＋\-])(?P<a>{_NUMBER})(?:{_DASH}(?P<b>{_NUMBER}))?\s*(?P<unit>{_UNIT})"
    r"(?P<suffix>左右|以上|以下|以内|之内)?"
)
_HALF = re.compile(r"(?P<pre>超过|过|达到)?(?P<half>一半|半数)(?P<suffix>以上)?")
_YEAR = re.compile(r"(?P<pre>到|至|截至|截止到|截止)?(?P<year>(?:19|20)\d{2})\s*年(?P<end>底|末|年底)?(?P<post>前|以前)?")
# Words after 一/两 + unit that are not quantities (一个 before a noun is an article).
_SKIP_CN_ONE = {"一", "两"}
_LOOKBACK = 8


def cn_to_number(s: str) -> float | None:
    """Parse Arabic or Chinese numerals.

    >>> cn_to_number("二十六"), cn_to_number("十"), cn_to_number("3.5"), cn_to_number("一百二十")
    (26.0, 10.0, 3.5, 120.0)
    """
    if re.fullmatch(_AR_NUM, s):
        return float(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


def _comparator_before(text: str, start: int) -> tuple[int, str | None]:
    """A comparator word ending at most a few characters before ``start`` with no punctuation between."""
    window = text[max(0, start - _LOOKBACK - 3) : start]
    best: tuple[int, str | None] = (start, None)
    for word in _COMPARATORS:
        i = window.rfind(word)
        if i < 0:
            continue
        between = window[i + len(word) :]
        if re.search(r"[\d，。；、：,;:！？（）()\s]", between) or len(between) > _LOOKBACK:
            continue
        pos = start - len(window) + i
        if pos < best[0]:
            best = (pos, word)
    return best


def extract_targets(text: str, offset: int = 0) -> list[Target]:
    """Every deadline year and quantity in ``text``; spans are shifted by ``offset``."""
    out: list[Target] = []
    for m in _YEAR.finditer(text):
        deadline = bool(m.group("pre")) or bool(m.group("post"))
        if not deadline:
            continue
        out.append(
            Target(text=m.group(0), start=offset + m.start(), end=offset + m.end(), year=int(m.group("year")), unit="年")
        )
    taken = [(t.start - offset, t.end - offset) for t in out]
    for m in _QUANTITY.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            target = _quantity(text, m, offset)
            if target is not None:
                out.append(target)
    for m in _HALF.finditer(text):
        if not (m.group("pre") or m.group("suffix")):
            continue
        comparator = "ge" if m.group("suffix") or m.group("pre") == "达到" else "gt"
        out.append(
            Target(
                text=m.group(0),
                start=offset + m.start(),
                end=offset + m.end(),
                quantity=50.0,
                unit="%",
                comparator=comparator,
            )
        )
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _quantity(text: str, m: re.Match, offset: int) -> Target | None:
    """The quantity target of one ``_QUANTITY`` match, with the comparator word before it; None if it is no target."""
    a, b, unit, suffix = m.group("a"), m.group("b"), m.group("unit"), m.group("suffix")
    if b is None and a in _SKIP_CN_ONE:
        return None
    if not re.fullmatch(_AR_NUM, a) and m.start() > 0 and text[m.start() - 1] in "第每周逐统唯单初":
        return None
    qa, qb = cn_to_number(a), cn_to_number(b) if b else None
    if qa is None:
        return None
    start, word = _comparator_before(text, m.start())
    comparator = "range" if qb is not None else "eq"
    if suffix == "左右":
        comparator = "about" if qb is None else "range"
    elif suffix == "以上":
        comparator = "ge"
    elif suffix in ("以下", "以内", "之内"):
        comparator = "le"
    if word and word not in _NEUTRAL and qb is None:
        comparator = _CMP_VALUE[word]
    elif not word or word in _NEUTRAL:
        start = m.start()
    return Target(
        text=text[start : m.end()],
        start=offset + start,
        end=offset + m.end(),
        quantity=qa,
        quantity_max=qb,
        unit="%" if unit == "％" else unit,
        comparator=comparator,
    )
