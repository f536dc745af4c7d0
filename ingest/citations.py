"""Citations of other documents in a document's text, with their kind and article target.

What counts as a citation:

- every 《…》 title that names a document: it ends with a document-type word (法, 条例, 规定,
  办法, 决定, 方案, 意见, 通知, …; see :data:`DOC_SUFFIX`), so 《企业法人营业执照》 is not one;
- a short law name without 《》 in a citing clause (``根据教育法和劳动法，制定本法``,
  ``依照治安管理处罚法的规定``): kept with ``short=True`` and only resolved downstream when a
  document of that name (or 中华人民共和国 + name) is in the index;
- the title of the citing document itself when it says so (``上海市实施《义务教育法》办法``).

Kinds (one per citation, the strongest the sentence states):

- ``repeals``: the title is followed, in the same clause, by 同时废止 / 予以废止 / 废止;
- ``based_on``: 根据 / 依据 / 依照 before the title and 制定 after it in the same sentence;
- ``implements``: 贯彻 / 落实 / 实施 right before the title in the opening purpose sentence
  (``为全面落实《国家职业教育改革实施方案》，…``), or 实施《X》 in the citing document's title;
- ``amended_by``: an amending decision named in the citing document's history, ``根据《…关于修改
  …的决定》(第二次)修正 / 修订``: the cited decision changed the citing document;
- ``changes``: the citing document amends the title: 关于修改《X》的决定 as its own title, or
  ``对《X》作如下修改`` in its text;
- ``cites``: any other.

``article`` holds the article target when the text names one (依照《…》第十二条).

>>> from ingest.model import Document
>>> text = "第一条 根据《中华人民共和国教育法》第十二条，制定本法。第九条 本法自2022年5月1日起施行，《职业教育暂行条例》同时废止。"
>>> [(c.title, c.kind, c.article) for c in extract_citations(Document(key="k", title="t", text=text))]
[('中华人民共和国教育法', 'based_on', '第十二条'), ('职业教育暂行条例', 'repeals', None)]
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

KINDS = ("cites", "based_on", "repeals", "implements", "changes", "amended_by")
#: A 《…》 title names a document when it ends with one of these (after a trailing （试行） etc.).
DOC_SUFFIX = ("法", "法典", "条例", "规定", "办法", "细则", "规则", "决定", "决议", "方案", "意见", "通知",
              "规划", "纲要", "公约", "协定", "议定书", "章程", "准则", "计划", "批复", "公告", "通告",
              "令", "指南", "纪要", "宪法", "规程", "目录", "标准", "要点", "意见稿", "解释", "答复", "函")
_SUFFIX = re.compile("(?:" + "|".join(sorted(map(re.escape, DOC_SUFFIX), key=len, reverse=True)) + ")$")
_PAREN_TAIL = re.compile(r"[（(][^（()）]{1,12}[)）]$")
_TITLE = re.compile(r"《((?:[^《》]|《[^《》]*》){2,120})》")
_INNER = str.maketrans({"〈": "《", "〉": "》", "<": "《", ">": "》", "＜": "《", "＞": "》"})
_CN = "一二三四五六七八九十百千零〇\\d"
_ARTICLE = re.compile(rf"\s*(第[{_CN}]+条(?:之[{_CN}]+)?)")
_LEAD_LABEL = re.compile(rf"^[\s#]*(?:第[{_CN}]+[章节条]\s*[^\s]*\s+)*")
_SENT_END = re.compile(r"[。；;！？\n]")
_REPEAL = re.compile(r"^(?:[^。；，,]{0,60}?)(?:同时|即行|予以|一并|相应)?(?:废止|停止执行)")
_BASIS_CUE = re.compile(r"(?:根据|依据|依照)")
_MADE = re.compile(r"制定本|制定|特制定|作如下规定|作出如下规定")
_IMPL_CUE = re.compile(r"(?:贯彻|落实|实施|执行)\s*$")
_SHORT = re.compile(
    r"(?:根据|依据|依照|按照|违反|参照|适用|触犯)((?:[\u4e00-\u9fff]{1,18}?(?:法典|法|条例|实施细则))"
    r"(?:(?:[、和及与]|以及)(?:[\u4e00-\u9fff]{1,18}?(?:法典|法|条例|实施细则)))*)"
    r"(?=的|规定|第|有关|关于|，|。|；|、|制定|和|及|或者|等|中|之|《|\s|对|向|给予|予以|处理|处罚|执行|办理|追究)"
)
_SHORT_SPLIT = re.compile(r"以及|[、和及与]")
_NAME_END = re.compile(r"(?:法典|法|条例|实施细则)$")
#: Words that make a "name" generic (本法, 有关法律 …); 行政 / 民事 / 刑事 begin real names (行政复议法).
_GENERIC = re.compile(r"^(?:本|有关|相关|其他|其它|国家有关|国家|该|上述|前款|前述|法律|各|现行|原|新|此)")
#: A bare document-type word (《规划》, 《实施方案》) refers back to a document named earlier, not to a title.
_GENERIC_TITLE = re.compile(r"^(?:总体|专项|实施|工作|行动|管理|试点|发展|建设|暂行|本|该|上述)?"
                            r"(?:规划|方案|计划|意见|办法|细则|决定|通知|规定|条例|纲要|目录|清单|标准|法)$")
_TITLE_IMPL = re.compile(r"实施《((?:[^《》]){2,80})》")
_TITLE_CHANGE = re.compile(r"关于修改《((?:[^《》]){2,80})》(?:等[^《》]{1,12})?的决定")
_AMENDED = re.compile(r"^\s*(?:第[一二三四五六七八九十]+次)?(?:修正|修订|修改)")
_CHANGES = re.compile(r"^\s*(?:的部分条款)?(?:作如下修改|作出如下修改|作如下修订|修改如下)")


@dataclass(slots=True)
class Citation:
    title: str  # the cited title, normalised (NFKC, no spaces, inner 〈〉 as 《》), without 《》
    kind: str  # one of KINDS
    start: int  # span in Document.text (the title with its 《》); -1 for a title-derived citation
    end: int
    measure: int | None  # ordinal of the measure the citation is in
    article: str | None = None  # 第十二条, when the text names one
    short: bool = False  # a short name without 《》 in a citing clause


def norm(title: str) -> str:
    """NFKC, no spaces, inner 〈〉 folded to 《》.

    >>> norm("广东省实施〈中华人民共和国 土地管理法〉办法")
    '广东省实施《中华人民共和国土地管理法》办法'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", title)).translate(_INNER)


def is_document_title(title: str) -> bool:
    """Whether a 《…》 title names a document (see :data:`DOC_SUFFIX`).

    >>> is_document_title("中华人民共和国教育法（试行）"), is_document_title("企业法人营业执照")
    (True, False)
    """
    t = _PAREN_TAIL.sub("", title)
    return bool(_SUFFIX.search(t)) and not _GENERIC_TITLE.match(t)


def _measure_at(starts: list[int], ordinals: list[int], ends: list[int], pos: int) -> int | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and pos < ends[i]:
        return ordinals[i]
    return None


def _kind(text: str, s_start: int, start: int, end: int, s_end: int) -> str:
    after = text[end:s_end]
    before = text[s_start:start]
    if _AMENDED.match(after) and re.search("修改|修正|修订", text[start:end]):
        return "amended_by"
    if _CHANGES.match(after):
        return "changes"
    if _REPEAL.match(after) and "修改" not in after[:20]:
        return "repeals"
    if _BASIS_CUE.search(before) and _MADE.search(after):
        return "based_on"
    if start < 1500 and _IMPL_CUE.search(before[-6:]) and _LEAD_LABEL.sub("", before).startswith("为"):
        return "implements"
    return "cites"


def extract_citations(doc) -> list[Citation]:
    """Every citation in ``doc.text`` (and its title), in text order."""
    text = doc.text
    measures = sorted(doc.measures, key=lambda m: m.start)
    starts = [m.start for m in measures]
    ends = [m.end for m in measures]
    ordinals = [m.ordinal for m in measures]
    out: list[Citation] = []
    own = norm(doc.title or "")
    for pattern, kind in ((_TITLE_IMPL, "implements"), (_TITLE_CHANGE, "changes")):
        for m in pattern.finditer(own):
            if is_document_title(m.group(1)):
                out.append(Citation(m.group(1), kind, -1, -1, None))
    history = (getattr(doc, "metadata", None) or {}).get("promulgation", "")
    for m in _TITLE.finditer(history):  # the amendment history of the page's header (…《…的决定》第一次修正)
        if is_document_title(norm(m.group(1))) and _AMENDED.match(history[m.end():m.end() + 12]):
            out.append(Citation(norm(m.group(1)), "amended_by", -1, -1, None))
    bounds = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
    taken: list[tuple[int, int]] = []
    for m in _TITLE.finditer(text):
        title = norm(m.group(1))
        if not is_document_title(title) or title == own:
            continue
        i = bisect.bisect_right(bounds, m.start()) - 1
        s_start, s_end = bounds[i], bounds[min(i + 1, len(bounds) - 1)]
        kind = _kind(text, s_start, m.start(), m.end(), s_end)
        art = _ARTICLE.match(text, m.end())
        out.append(Citation(title, kind, m.start(), m.end(), _measure_at(starts, ordinals, ends, m.start()),
                            art.group(1) if art else None))
        taken.append((m.start(), m.end()))
    out += _short_citations(text, taken, bounds, (starts, ordinals, ends))
    out.sort(key=lambda c: c.start)
    return out


def split_names(names: str) -> list[tuple[int, str]]:
    """(offset, name) of each law name in a run joined by 、和及与以及; a 和 inside a name stays.

    >>> split_names("中华人民共和国国务院组织法和教育法")
    [(0, '中华人民共和国国务院组织法'), (14, '教育法')]
    """
    out, start = [], 0
    for m in _SHORT_SPLIT.finditer(names):
        if _NAME_END.search(names[start:m.start()]):
            out.append((start, names[start:m.start()]))
            start = m.end()
    out.append((start, names[start:]))
    return out


def _short_citations(text: str, taken: list[tuple[int, int]], bounds: list[int], at) -> list[Citation]:
    """Short law names without 《》 in citing clauses (根据教育法和劳动法，…)."""
    out = []
    for m in _SHORT.finditer(text):
        if any(a <= m.start(1) < b for a, b in taken) or "《" in m.group(1):
            continue
        pos = m.start(1)
        i = bisect.bisect_right(bounds, pos) - 1
        s_start, s_end = bounds[i], bounds[min(i + 1, len(bounds) - 1)]
        for off, name in split_names(m.group(1)):
            if name.startswith("以"):
                name, off = name[1:], off + 1
            if len(name) < 2 or _GENERIC.match(name) or name in ("宪法和法",):
                continue
            a, b = pos + off, pos + off + len(name)
            kind = _kind(text, s_start, a, b, s_end)
            art = _ARTICLE.match(text, m.end(1)) if b == m.end(1) else None
            out.append(Citation(name, kind, a, b, _measure_at(*at, a), art.group(1) if art else None, short=True))
    return out
