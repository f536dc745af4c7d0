"""Numbered lines of a policy text: the numbering schemes, their candidates and the runs accepted.

Schemes, recognised at the start of a line (see :data:`SCHEMES`):

- ``sec_cn`` 一、 · ``chapter`` 第一章 · ``jie`` 第一节 · ``md`` a Markdown ``##`` heading;
- ``article`` 第一条 / 第一百二十条之一 · ``paren`` （一） · ``arabic`` 1. · ``paren_ar`` （1） · ``circled`` ①;
- ``decimal`` 1 / 1.1 / 1.1.1 (a bare ``1　总则`` counts only as a short heading line).

A candidate is accepted only where it continues its scheme's numbering (``n`` after ``n-1``; ``1``
again after a new section; a decimal number after its parent or previous sibling), which rejects
false starts such as a sentence opening with "3. ".

>>> units = scan(["1　总则", "1.1　目的", "1.2　范围", "2　组织", "2.1　机构"])
>>> [u.label for u in accept_decimal(units.decimal)]
['1', '1.1', '1.2', '2', '2.1']
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

N_CHARS = "零〇○一二两三四五六七八九十百千"
_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@functools.lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int:
    """Value of a Chinese (or Arabic) numeral; raises ValueError on anything else.

    >>> cn_to_int("一百零一"), cn_to_int("二十"), cn_to_int("十一"), cn_to_int("二〇二一"), cn_to_int("12")
    (101, 20, 11, 2021, 12)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in _UNITS for c in text):  # digit by digit: 二〇二一
        return int("".join(str(_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


_N = N_CHARS
SEC_CN_RE = re.compile(r"([一二三四五六七八九十]{1,3})、")
# a number is Chinese or Arabic, not both (第一百零1十条 is no heading: its number means nothing)
CHAPTER_RE = re.compile(rf"(#{{1,6}}[ \t]*)?第([{_N}]{{1,5}}|\d{{1,5}})(编|章|节)(?:[ \t\u3000]+|$)?")
MD_HEADING_RE = re.compile(r"(#{1,6})[ \t]+\S")
ARTICLE_RE = re.compile(rf"第([{_N}]{{1,6}}|\d{{1,6}})条(之[一二三四五六七八九十]{{1,3}})?(?:[ \t\u3000]+|$)")
PAREN_RE = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[）)]")
ARABIC_RE = re.compile(r"(\d{1,3})[.．、](?![\d%])[ \t\u3000]*")
PAREN_AR_RE = re.compile(r"[（(](\d{1,2})[）)](?![\d%])")
CIRCLED_RE = re.compile(rf"([{_CIRCLED}])")
# 1.1 / 1.2.3 followed by a heading or text (not by a digit, %, or a unit such as 倍 / cm)
DECIMAL_RE = re.compile(r"(\d{1,2}(?:[.．]\d{1,2}){1,3})[ \t\u3000]*(?=[\u4e00-\u9fff（(“《【])")
# 1　总则: a bare number, a gap, a short heading line
BARE_RE = re.compile(r"(\d{1,2})[ \t\u3000]+(?=[\u4e00-\u9fff])")
DATE_LINE_RE = re.compile(rf"(?:\d{{4}}|[{_N}]{{4}})年[\d{_N}]{{1,3}}月[\d{_N}]{{1,3}}日")
_TOC_RE = re.compile(r"目[ \t\u3000]*录")

#: Schemes that may number items inside a measure of a scheme, in order of preference.
ITEM_SCHEMES = {
    "article": ("paren", "arabic", "paren_ar", "circled"),
    "chapter": ("sec_cn", "paren", "arabic", "paren_ar", "circled"),
    "sec_cn": ("paren", "arabic", "paren_ar", "circled"),
    "paren": ("arabic", "paren_ar", "circled"),
    "arabic": ("paren_ar", "circled"),
    "decimal": ("decimal", "paren_ar", "circled"),
    "md": ("arabic", "paren_ar", "circled"),
}
SCHEMES = ("sec_cn", "chapter", "jie", "md", "article", "paren", "arabic", "paren_ar", "circled", "decimal")


@dataclass(slots=True)
class Unit:
    """A numbered line: where it starts, its number as printed and as an integer, where its label ends."""

    start: int
    label: str
    number: int
    label_end: int
    scheme: str = ""
    sub: bool = False  # 之一 variant of a law article
    parts: tuple[int, ...] = ()  # decimal numbering: (1, 2, 3) for 1.2.3


@dataclass(slots=True)
class Candidates:
    """Every numbered line of a text, by scheme, and where headings (第N章/编/节, Markdown) start."""

    sec_cn: list[Unit] = field(default_factory=list)
    chapter: list[Unit] = field(default_factory=list)
    jie: list[Unit] = field(default_factory=list)
    md: list[Unit] = field(default_factory=list)
    article: list[Unit] = field(default_factory=list)
    paren: list[Unit] = field(default_factory=list)
    arabic: list[Unit] = field(default_factory=list)
    paren_ar: list[Unit] = field(default_factory=list)
    circled: list[Unit] = field(default_factory=list)
    decimal: list[Unit] = field(default_factory=list)
    heading_starts: list[int] = field(default_factory=list)

    def first_start(self, default: int) -> int:
        """Start of the first numbered line of a measure-like scheme."""
        lists = (self.sec_cn, self.chapter, self.article, self.paren, self.arabic, self.decimal)
        return min((c[0].start for c in lists if c), default=default)

    def before(self, end: int) -> None:
        """Drop every candidate at or after ``end``."""
        for name in SCHEMES:
            setattr(self, name, [u for u in getattr(self, name) if u.start < end])


def _add(cands: Candidates, scheme: str, start: int, label: str, number: int, label_end: int, **kw) -> None:
    getattr(cands, scheme).append(Unit(start, label, number, label_end, scheme, **kw))


def _scan_heading(cands: Candidates, start: int, t: str) -> bool:
    """第N章 / 第N节 / 第N编 and Markdown headings; True if the line is a heading."""
    m = CHAPTER_RE.match(t)
    if m and (m.group(1) or (len(t) <= 40 and "。" not in t)):
        cands.heading_starts.append(start)
        kind = {"章": "chapter", "节": "jie"}.get(m.group(3))
        if kind:
            _add(cands, kind, start, f"第{m.group(2)}{m.group(3)}", cn_to_int(m.group(2)), start + m.end())
        return True
    md = MD_HEADING_RE.match(t) if t[0] == "#" else None
    if md:
        cands.heading_starts.append(start)
        if t.startswith("## "):
            _add(cands, "md", start, "", len(cands.md) + 1, start + 3)
        rest = t[len(md.group(1)) :].lstrip()
        if rest[:1] in "一二三四五六七八九十（(" or rest[:1].isdigit():  # ## 一、… : the number after the marks
            scan_line(cands, start + len(t) - len(rest), rest)
        return True
    return False


def _scan_digits(cands: Candidates, start: int, t: str) -> None:
    m = DECIMAL_RE.match(t)
    if m:
        parts = tuple(int(p) for p in re.split(r"[.．]", m.group(1)))
        _add(cands, "decimal", start, m.group(1), parts[-1], start + m.end(), parts=parts)
        return
    m = BARE_RE.match(t)
    if m and len(t) <= 30 and not re.search(r"[。，；：]", t):
        _add(cands, "decimal", start, m.group(1), int(m.group(1)), start + m.end(), parts=(int(m.group(1)),))
        return
    m = ARABIC_RE.match(t)
    if m and not DATE_LINE_RE.match(t):
        _add(cands, "arabic", start, m.group(0).rstrip(), int(m.group(1)), start + m.end())


def scan_line(cands: Candidates, start: int, t: str) -> None:
    """Add the candidate (if any) of one stripped line starting at ``start``."""
    c0 = t[0]
    if c0 == "#" or c0 == "第":
        if _scan_heading(cands, start, t):
            return
        m = ARTICLE_RE.match(t)
        if m:
            sub = m.group(2) or ""
            _add(cands, "article", start, f"第{m.group(1)}条{sub}", cn_to_int(m.group(1)), start + m.end(), sub=bool(sub))
    elif c0 in "一二三四五六七八九十":
        m = SEC_CN_RE.match(t)
        if m:
            _add(cands, "sec_cn", start, m.group(0), cn_to_int(m.group(1)), start + m.end())
    elif c0 in "（(":
        m = PAREN_RE.match(t)
        if m:
            _add(cands, "paren", start, m.group(0), cn_to_int(m.group(1)), start + m.end())
            return
        m = PAREN_AR_RE.match(t)
        if m:
            _add(cands, "paren_ar", start, m.group(0), int(m.group(1)), start + m.end())
    elif c0.isdigit():
        _scan_digits(cands, start, t)
    elif c0 in _CIRCLED:
        _add(cands, "circled", start, c0, _CIRCLED.index(c0) + 1, start + 1)


def scan(lines: list[str]) -> Candidates:
    """Candidates of a list of stripped lines, as if they were joined by newlines (for tests)."""
    cands, pos = Candidates(), 0
    for t in lines:
        if t:
            scan_line(cands, pos, t)
        pos += len(t) + 1
    return cands


def toc_zone(lines: list) -> tuple[int, int] | None:
    """The table of contents (目录 and the heading lines after it), as a (start, end) zone.

    It ends before the first heading repeated in the body, else after its last short line.
    """
    n = len(lines)
    for i, ln in enumerate(lines):
        if len(ln.text) <= 6 and _TOC_RE.fullmatch(ln.text) and i + 1 < n:
            first = re.sub(r"\s+", "", lines[i + 1].text)
            j, end = i + 1, lines[i].end
            while j < n and len(lines[j].text) <= 40 and "。" not in lines[j].text:
                if j > i + 1 and re.sub(r"\s+", "", lines[j].text) == first:
                    break
                end = lines[j].end
                j += 1
            return (ln.start, end)
    return None


def accept(cands: list[Unit], section_starts: list[int], *, law: bool = False) -> list[Unit]:
    """Keep the candidates that continue the numbering (n after n-1; 1 again after a new section)."""
    out: list[Unit] = []
    for c in cands:
        if not out:
            ok = law or c.number == 1
        else:
            last = out[-1].number
            new_section = bisect.bisect_right(section_starts, c.start) > bisect.bisect_right(section_starts, out[-1].start)
            if law:  # articles: increasing; a gap (an excerpt) only at a new chapter; 之一 repeats the number
                ok = (last < c.number <= last + 10) or (new_section and c.number > last) or (c.sub and c.number == last)
            else:
                ok = c.number == last + 1 or (c.number == 1 and new_section)
        if ok:
            out.append(c)
    return out


def _decimal_follows(p: tuple[int, ...], path: tuple[int, ...]) -> bool:
    """Does decimal number ``p`` follow ``path`` (a child, a sibling, an ancestor's sibling)?"""
    if not path:
        return p in ((1,), (1, 1))
    k = len(p)
    if k > len(path) + 1:
        return False
    if p[:-1] == path[: k - 1] and p[-1] == (path[k - 1] + 1 if len(path) >= k else 1):
        return True
    # 2.1 right after 1.4 with no "2 …" heading line: the parent is implied
    return k >= 2 and p[:-2] == path[: k - 2] and p[-2] == path[k - 2] + 1 and p[-1] == 1


def accept_decimal(cands: list[Unit]) -> list[Unit]:
    """Keep the decimal numbers that continue the tree (1, 1.1, 1.2, 1.2.1, 2, 2.1 …)."""
    out: list[Unit] = []
    path: tuple[int, ...] = ()
    for c in cands:
        if _decimal_follows(c.parts, path):
            out.append(c)
            path = c.parts
    return out


def items_of(measures: list[tuple[int, int, str]], cands: Candidates, decimal_items: list[Unit]) -> list[list[Unit]]:
    """Numbered items inside each measure, given as (start, end, scheme).

    A measure's items are the first run (by position) of a scheme below the measure's own: starting
    at 1, or continuing the numbering of that scheme's items in an earlier measure, then consecutive;
    two items at least unless the run continues. Decimal measures take their 1.2.x children first.
    """
    starts = {name: [u.start for u in getattr(cands, name)] for name in SCHEMES}
    dec_starts = [u.start for u in decimal_items]
    last: dict[str, int] = {}
    out: list[list[Unit]] = []
    for start, end, scheme in measures:
        best: list[Unit] = []
        for name in ITEM_SCHEMES.get(scheme, ()):
            pool, pos = (decimal_items, dec_starts) if name == "decimal" else (getattr(cands, name), starts[name])
            inside = pool[bisect.bisect_right(pos, start) : bisect.bisect_left(pos, end)]
            run = _item_run(inside, last.get(name, 0))
            if run and (len(run) >= 2 or run[0].number > 1) and (not best or run[0].start < best[0].start):
                best = run
        if best:
            last[best[0].scheme] = best[-1].number
        out.append(best)
    return out


def _item_run(inside: list[Unit], continues: int) -> list[Unit]:
    run: list[Unit] = []
    for u in inside:
        if not run:
            if u.number == 1 or (continues and u.number == continues + 1):
                run.append(u)
        elif u.number == run[-1].number + 1:
            run.append(u)
    return run
