"""A document's place in time: its edition date, entry into force, validity and amendment history.

Everything here needs nothing but the one parsed document, so it runs in the ingest workers;
grouping editions into works and deciding which one was in force when happens corpus-wide in
:mod:`graph.relations`.

- **edition (version) date**: the date in the file name (``职业教育法(2022-04-20).txt``, the naming
  of the national law database), else the last dated event of the promulgation block
  (``2022年4月20日 … 修订``), else the document's date of issue;
- **entry into force**: the ``自…起施行`` clause (``本法自2022年5月1日起施行``) when it is not older
  than the edition (an amended edition keeps the original clause: then the edition date);
  ``自公布之日起施行`` means the edition date;
- **validity**: the page's 有效性 / 时效性 field, folded to one of :data:`VALIDITY`;
- **history**: the promulgation block's dated events (通过, 公布, 修正, 修订, 废止).

>>> from ingest.model import Document
>>> doc = Document(key="k", title="中华人民共和国职业教育法", kind="law", date="2022-04-20",
...                text="第六十九条 本法自2022年5月1日起施行。", source="法/职业教育法(2022-04-20).txt")
>>> e = edition_of(doc)
>>> e.work_title, e.version_date, e.entry_into_force
('中华人民共和国职业教育法', '2022-04-20', '2022-05-01')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

#: Validity values (有效性) and the page spellings folded into them.
VALIDITY = {
    "有效": "in_force", "现行有效": "in_force", "现行": "in_force",
    "已修改": "amended", "已被修改": "amended", "尚未生效": "not_yet_in_force",
    "失效": "expired", "已失效": "expired", "部分失效": "partly_expired",
    "已废止": "repealed", "废止": "repealed", "已被废止": "repealed",
}
VALIDITY_ZH = {"in_force": "有效", "amended": "已修改", "not_yet_in_force": "尚未生效", "expired": "失效",
               "partly_expired": "部分失效", "repealed": "已废止", "superseded": "已被新版本取代"}

_N = "〇零一二三四五六七八九十○０-９"
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_FILE_DATE = re.compile(r"[(（](\d{4})-(\d{2})-(\d{2})[)）]$")
_DATE = re.compile(rf"([\d{_N}]{{4}})\s*年\s*([\d{_N}]{{1,3}})\s*月\s*([\d{_N}]{{1,3}})\s*日")
_FORCE = re.compile(rf"自\s*(?:([\d{_N}]{{4}}\s*年\s*[\d{_N}]{{1,3}}\s*月\s*[\d{_N}]{{1,3}}\s*日)|(公布|发布|颁布|通过|印发|下发)之日)起\s*(?:施行|实施|生效|执行)")
_EVENTS = ("通过", "公布", "发布", "修正", "修订", "修改", "废止", "施行", "批准")
_SPACE = re.compile(r"\s+")
_TITLE_YEAR = re.compile(r"^((?:19|20)\d{2})年")
_TRAIL = re.compile(r"[（(](?:\d{4}年)?(?:修正|修订|试行|草案)[^（()）]*[)）]$")


@dataclass(slots=True)
class Event:
    date: str  # ISO
    kind: str  # 通过 | 公布 | 修正 | 修订 | ...
    text: str  # the line as printed


@dataclass(slots=True)
class Edition:
    work_title: str  # the work's name: the title, normalised (NFKC, no spaces)
    version_date: str | None
    entry_into_force: str | None
    validity: str | None  # one of VALIDITY's values, from the page
    validity_text: str | None  # as printed
    date_source: str  # "file name" | "promulgation" | "document date" | "title year" | "none"
    history: list[Event] = field(default_factory=list)


def _num(s: str) -> int:
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGIT for c in s):  # 二〇〇四
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total = 0  # 二十七
    tens = s.split("十")
    if len(tens) == 2:
        total = (_CN_DIGIT.get(tens[0], 1) if tens[0] else 1) * 10 + (_CN_DIGIT.get(tens[1], 0) if tens[1] else 0)
        return total
    raise ValueError(s)


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as ISO, Arabic or Chinese numerals.

    >>> iso_date("自一九九四年一月一日起施行"), iso_date("2021年 11月4日"), iso_date("无")
    ('1994-01-01', '2021-11-04', None)
    """
    m = _DATE.search(text)
    if not m:
        return None
    try:
        y, mo, d = (_num(_SPACE.sub("", g)) for g in m.groups())
    except ValueError:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100 else None


def work_title(title: str) -> str:
    """The name shared by every edition: NFKC, no spaces, no trailing （2019年修正）.

    >>> work_title("中华人民共和国 职业教育法（2022年修订）")
    '中华人民共和国职业教育法'
    """
    t = _SPACE.sub("", unicodedata.normalize("NFKC", title or ""))
    t = _TRAIL.sub("", unicodedata.normalize("NFKC", t)) or t
    return t


def file_date(source: str | None) -> str | None:
    """The edition date in a file name such as ``职业教育法(1996-05-15).txt``.

    >>> file_date("laws/行政法/职业教育法(1996-05-15).txt"), file_date("a/b.txt")
    ('1996-05-15', None)
    """
    if not source:
        return None
    m = _FILE_DATE.search(PurePath(source).stem)
    return "-".join(m.groups()) if m else None


def history(promulgation: str) -> list[Event]:
    """Dated events of a promulgation block, one per line, in the order printed."""
    out = []
    for line in (promulgation or "").splitlines():
        line = line.strip(" \u3000（()）")
        d = iso_date(line)
        if not d:
            continue
        kinds = [k for k in _EVENTS if k in line]
        kind = kinds[-1] if kinds else ""
        if "第" in line and ("次修正" in line or "次修订" in line):
            kind = "修正" if "修正" in line else "修订"
        out.append(Event(d, kind, line))
    return out


def entry_into_force(text: str, version_date: str | None) -> str | None:
    """When this edition took effect: the last ``自…起施行`` clause of the text (see module doc)."""
    found = None
    for m in _FORCE.finditer(text):
        found = m
    if found is None:
        return version_date
    if found.group(2):  # 自公布之日起施行
        return version_date
    d = iso_date(found.group(1))
    if d is None:
        return version_date
    if version_date and d < version_date:  # an amended edition keeps the original clause
        return version_date
    return d


def edition_of(doc) -> Edition:
    """The edition facts of a parsed :class:`ingest.model.Document`."""
    meta = doc.metadata or {}
    events = history(meta.get("promulgation", ""))
    vdate, src = file_date(doc.source), "file name"
    if vdate is None and events:
        vdate, src = max(e.date for e in events), "promulgation"
    if vdate is None and doc.date:
        vdate, src = doc.date, "document date"
    if vdate is None:  # 1994年…政府工作报告: the year in the title, from its first day
        year = _TITLE_YEAR.search(doc.title or "")
        if year:
            vdate, src = f"{year.group(1)}-01-01", "title year"
    if vdate is None:
        src = "none"
    raw_validity = (meta.get("validity") or "").strip() or None
    validity = VALIDITY.get(_SPACE.sub("", raw_validity)) if raw_validity else None
    # the clause is near the end; the tail keeps the scan cheap on long laws
    force = entry_into_force(doc.text[-3000:], vdate)
    return Edition(work_title(doc.title), vdate, force, validity, raw_validity, src, events)
