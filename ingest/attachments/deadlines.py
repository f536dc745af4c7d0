"""Normalise the deadlines printed in task tables (完成时限 / 时间节点).

A deadline becomes a :class:`Deadline`: the text as printed, an ISO date for the end of
the period it names (or ``None`` for open-ended work), and its kind:

- ``"date"``: one point or period (2022年底, 2022年6月, 2023年上半年);
- ``"range"``: a span of years (2021—2025年), dated at the end of its last year;
- ``"ongoing"``: standing work with no end (长期坚持, 持续推进, 每年).

>>> parse_deadline("2022年底")
Deadline(text='2022年底', date='2022-12-31', kind='date')
>>> parse_deadline("2022年6月").date
'2022-06-30'
>>> parse_deadline("2021—2025年")
Deadline(text='2021—2025年', date='2025-12-31', kind='range')
>>> parse_deadline("2021-2025年").date
'2025-12-31'
>>> parse_deadline("长期坚持")
Deadline(text='长期坚持', date=None, kind='ongoing')
>>> parse_deadline("持续推进").kind, parse_deadline("每年").kind, parse_deadline("长期").kind
('ongoing', 'ongoing', 'ongoing')
>>> parse_deadline("2023年上半年").date
'2023-06-30'
>>> parse_deadline("2022年第三季度").date
'2022-09-30'
>>> parse_deadline("2022年3月15日").date
'2022-03-15'
>>> parse_deadline("2024年").date
'2024-12-31'
>>> parse_deadline("视情况而定")
Deadline(text='视情况而定', date=None, kind=None)
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_ONGOING = re.compile(r"长期|持续|常态化|每年|每学期|逐年|经常性|不定期|定期")
_DASH = r"\s*(?:—|–|-|－|~|～|至|到)+\s*"
_RANGE = re.compile(r"(20\d\d)\s*年?" + _DASH + r"(20\d\d)\s*年?")
_DAY = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月")
_HALF = re.compile(r"(20\d\d)\s*年\s*(上|下)半年")
_QUARTER = re.compile(r"(20\d\d)\s*年\s*第?\s*([一二三四1-4])\s*季度")
_YEAR = re.compile(r"(20\d\d)\s*年")
_FROM = re.compile(r"年\s*(?:起|开始|以来)")
_ISO = re.compile(r"(20\d\d)[-./](\d{1,2})(?:[-./](\d{1,2}))?")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A normalised deadline."""

    text: str
    date: str | None  # ISO date at the end of the period, None if open-ended or unknown
    kind: str | None  # "date" | "range" | "ongoing" | None (not understood)


def _month_end(year: int, month: int) -> str:
    month = min(max(month, 1), 12)
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _day(year: int, month: int, day: int) -> str:
    month = min(max(month, 1), 12)
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_deadline(text: str | None) -> Deadline | None:
    """Parse a printed deadline; ``None`` for an empty cell.

    When a cell names several dates (``2022年6月底前启动，2023年底前完成``) the latest
    one counts: the task is done when its last step is.

    >>> parse_deadline("2022年6月底前启动，2023年底前完成").date
    '2023-12-31'
    >>> parse_deadline("2022年起每年").kind
    'ongoing'
    >>> parse_deadline("  ") is None
    True
    """
    if text is None:
        return None
    shown = " ".join(text.split())
    if not shown:
        return None
    norm = unicodedata.normalize("NFKC", shown)
    m = _RANGE.search(norm)
    if m and int(m.group(2)) >= int(m.group(1)):
        return Deadline(shown, f"{int(m.group(2)):04d}-12-31", "range")
    if _ONGOING.search(norm) and _FROM.search(norm):
        return Deadline(shown, None, "ongoing")
    dates: list[str] = []
    consumed = norm
    for rx, conv in (
        (_DAY, lambda g: _day(int(g[0]), int(g[1]), int(g[2]))),
        (_MONTH, lambda g: _month_end(int(g[0]), int(g[1]))),
        (_HALF, lambda g: f"{int(g[0]):04d}-{'06-30' if g[1] == '上' else '12-31'}"),
        (_QUARTER, lambda g: _month_end(int(g[0]), 3 * _CN_DIGITS[g[1]])),
        (_YEAR, lambda g: f"{int(g[0]):04d}-12-31"),
    ):
        for m in rx.finditer(consumed):
            dates.append(conv(m.groups()))
        consumed = rx.sub(" ", consumed)
    if not dates:
        for m in _ISO.finditer(norm):
            y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
            dates.append(_day(y, mo, int(d)) if d else _month_end(y, mo))
    if dates:
        return Deadline(shown, max(dates), "date")
    if _ONGOING.search(norm):
        return Deadline(shown, None, "ongoing")
    return Deadline(shown, None, None)
