"""Remove web-page chrome and header blocks from a document's text, keeping them as metadata.

Page chrome is recognised by pattern, not by the strings of one site: lines made only of
Markdown links (site navigation), "您当前所在位置" breadcrumbs, the 【字体：大 中 小】 widget,
attachment download links (``附件.pdf``), "相关图解/相关链接" lists, and the footer (from the
first 版权所有 / ICP备 / 关于本站 / 主办 line, and the link lists just above it, to the end).
Header blocks (``名称：… 发文字号：…`` on government sites, ``标题：… 来源URL：…`` in crawled
policy text, the laws' ``# 标题`` + promulgation lines + ``<!-- INFO END -->``) become metadata.

>>> text, meta = clean_page("标题：关于X的通知\\n发文字号：国发〔2019〕4号\\n\\n关于X的通知\\n\\n正文。")
>>> text
'关于X的通知\\n\\n正文。'
>>> meta == {"title": "关于X的通知", "docno": "国发〔2019〕4号"}
True
"""

from __future__ import annotations

import re

# Header keys as printed → normalised metadata keys.
METADATA_KEYS: dict[str, str] = {
    "名称": "title",
    "标题": "title",
    "题名": "title",
    "文件名称": "title",
    "发文字号": "docno",
    "文号": "docno",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "成文机关": "issuer",
    "发布日期": "date",
    "发文日期": "date",
    "成文日期": "date",
    "主题分类": "subjects",
    "主题词": "keywords",
    "来源URL": "source_url",
    "来源网址": "source_url",
    "原文链接": "source_url",
    "索引号": "index_no",
    "有效性": "validity",
    "时效性": "validity",
}

_HEADER_SCAN_LINES = 60  # header blocks and top chrome live in the first lines of a page

_KV_RE = re.compile(r"^(" + "|".join(sorted(map(re.escape, METADATA_KEYS), key=len, reverse=True)) + r")\s*[：:]\s*(.*)$")
_MD_LINK = r"\[[^\]\n]*\]\([^)\n]*\)"
_NAV_RE = re.compile(rf"^(?:{_MD_LINK}[\s|>»/·>-]*){{2,}}$")
_NAV_PLAIN_RE = re.compile(r"^(?:[^\s|｜。，；：:]{1,10}[ \t]*[|｜][ \t]*){2,}[^\s|｜。，；：:]{1,10}$")
_BREADCRUMB_RE = re.compile(r"^(?:您?当前所在位置|您?当前位置|您的位置|您现在的位置|当前页面|所在位置)\s*[：:]")
_FONT_WIDGET_RE = re.compile(r"【?\s*字[体号]\s*[：:]\s*大\s*中\s*小\s*】?|\b打印本页\b|【\s*打印\s*】|【\s*关闭\s*】")
_FILE_LINK_RE = re.compile(r"^[^\s。，；]{0,60}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar|txt|et)$", re.I)
_RELATED_RE = re.compile(r"^(?:相关(?:图解|链接|文件|阅读|新闻|解读|稿件)|扫一扫在手机打开当前页)\s*[：:]?$")
_LIST_ITEM_RE = re.compile(r"^[-*•]\s+")
_FOOTER_RE = re.compile(r"版权所有|ICP\s*备|ICP证|公网安备|备案号|网站标识码|网站标码|关于本站|联系我们|网站地图|^主办[：:]|^承办[：:]|Copyright|©")
_ENGLISH_ONLY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 '’&.,()-]*$")
_DATE_RE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_YAML_RE = re.compile(r"\A---\n.*?\n---[ \t]*(?:\n|\Z)", re.S)
_INFO_END = "<!-- INFO END -->"
_BOLD_RE = re.compile(r"\*\*([^*\n]*)\*\*")

# Paragraph joining: a body line broken mid-sentence continues on the next line.
_BREAK_OK_END = frozenset("。！？；：:…”’」』）)]】>.!?;*|")
_STRUCT_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百千零〇\d]+[条章节编]|#|附件|"
    r"\d{4}年\d{1,2}月\d{1,2}日$|[-*•] )"
)


def iso_date(text: str) -> str | None:
    """The first ``yyyy年m月d日`` (or ``yyyy-mm-dd``) date in ``text`` as ISO ``yyyy-mm-dd``.

    >>> iso_date("2021年11月04日")
    '2021-11-04'
    >>> iso_date("no date") is None
    True
    """
    m = _DATE_RE.search(text)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _put(meta: dict[str, str], key: str, value: str) -> None:
    value = _BOLD_RE.sub(r"\1", value).strip()
    if not value or key in meta:
        return
    if key == "date":
        value = iso_date(value) or value
    elif key == "docno":
        value = normalise_docno(value)
    meta[key] = value


def normalise_docno(docno: str) -> str:
    """Print a 发文字号 with the standard brackets 〔〕 and no spaces.

    >>> normalise_docno("国发[2019] 4号")
    '国发〔2019〕4号'
    """
    docno = re.sub(r"\s+", "", docno)
    return re.sub(r"[\[［【(（](\d{4})[\]］】)）]", r"〔\1〕", docno)


def _law_header(lines: list[str], end: int, meta: dict[str, str]) -> None:
    """Read ``# title`` and the promulgation lines above ``<!-- INFO END -->``."""
    promulgation = []
    for line in lines[:end]:
        if line.startswith("#") and "title" not in meta:
            _put(meta, "title", line.lstrip("#"))
        elif line:
            promulgation.append(line)
    if promulgation:
        meta["promulgation"] = "\n".join(promulgation)
        dates = [iso_date(m.group(0)) for m in _DATE_RE.finditer(meta["promulgation"])]
        dates = [d for d in dates if d]
        if dates:
            meta.setdefault("date", max(dates))


def _join_broken(lines: list[str]) -> list[str]:
    """Join a body line broken mid-sentence (across a blank line or not) with its continuation."""
    out: list[str] = []
    blank_run = 0
    for line in lines:
        if not line:
            blank_run += 1
            continue
        prev = out[-1] if out else ""
        if (
            prev
            and prev[-1] not in _BREAK_OK_END
            and ("。" in prev or "；" in prev or (blank_run == 0 and "，" in prev))
            and not _STRUCT_START.match(line)
        ):
            out[-1] += line
        else:
            if out and blank_run:
                out.extend([""] * min(blank_run, 1))
            out.append(line)
        blank_run = 0
    return out


def clean_page(text: str) -> tuple[str, dict[str, str]]:
    """Drop page chrome and header blocks; return the cleaned text and the metadata read from them.

    Metadata keys: ``title, docno, issuer, date`` (ISO), ``subjects, keywords, source_url,
    index_no, validity``, and for laws ``promulgation``. Lines are stripped, paragraphs are
    separated by one blank line, and a paragraph broken mid-sentence is joined again.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = _YAML_RE.sub("", text, count=1)
    lines = [line.strip(" \t\u3000\xa0\u200b") for line in text.split("\n")]
    meta: dict[str, str] = {}
    lines = _drop_law_header(lines, meta)
    lines = _drop_top_chrome(lines)
    lines = _drop_footer(lines)
    kept = _join_broken(_body_lines(lines, meta))
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept), meta


def _drop_law_header(lines: list[str], meta: dict[str, str]) -> list[str]:
    """Laws: everything above ``<!-- INFO END -->`` is the header, read into ``meta``."""
    head = lines[:_HEADER_SCAN_LINES]
    if _INFO_END not in head:
        return lines
    end = head.index(_INFO_END)
    _law_header(lines, end, meta)
    return lines[end + 1 :]


def _drop_top_chrome(lines: list[str]) -> list[str]:
    """Drop everything above the last navigation / breadcrumb line in the header region."""
    top = 0
    for i, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if "。" in line:
            break
        if _NAV_RE.match(line) or _BREADCRUMB_RE.match(line) or _NAV_PLAIN_RE.match(line):
            top = i + 1
    return lines[top:]


def _drop_footer(lines: list[str]) -> list[str]:
    """Drop from the first footer line after which no sentence follows, plus the link lists above it.

    A signature block stays: going up from the footer, the first date line (or a line with
    punctuation) and what is above it are kept.
    """
    last_sentence = max((i for i, line in enumerate(lines) if "。" in line), default=-1)
    footer = next((i for i in range(last_sentence + 1, len(lines)) if _FOOTER_RE.search(lines[i])), len(lines))
    if footer == len(lines):
        return lines
    j = footer - 1
    while j > last_sentence and (
        not lines[j] or (len(lines[j]) <= 30 and not re.search(r"[。，；：:]", lines[j]) and not _DATE_RE.search(lines[j]))
    ):
        j -= 1
    return lines[: j + 1]


def _body_lines(lines: list[str], meta: dict[str, str]) -> list[str]:
    """The lines that are neither header metadata (read into ``meta``) nor in-page chrome."""
    kept: list[str] = []
    in_header = True
    skipping_list = False
    for i, line in enumerate(lines):
        if in_header and ("。" in line or i >= _HEADER_SCAN_LINES):
            in_header = False
        if in_header and _header_line(line, meta):
            continue
        if _font_widget_line(line, meta):
            continue
        if (line[:1] == "[" and _NAV_RE.match(line)) or _BREADCRUMB_RE.match(line) or ("." in line and _FILE_LINK_RE.match(line)):
            continue
        if _RELATED_RE.match(line):
            skipping_list = True
            continue
        if skipping_list:
            if not line or _LIST_ITEM_RE.match(line):
                continue
            skipping_list = False
        kept.append(line)
    return kept


def _header_line(line: str, meta: dict[str, str]) -> bool:
    """A header line: a ``key：value`` pair (read into ``meta``) or the site's English name."""
    m = _KV_RE.match(line)
    if m:
        _put(meta, METADATA_KEYS[m.group(1)], m.group(2))
        return True
    return bool(_ENGLISH_ONLY_RE.match(line)) and line.upper() == line


def _font_widget_line(line: str, meta: dict[str, str]) -> bool:
    """A line made only of the 【字体：大 中 小】 / 打印 / 关闭 widget and a date (read into ``meta``)."""
    if not (("字" in line or "打印" in line or "关闭" in line) and _FONT_WIDGET_RE.search(line)):
        return False
    if len(_FONT_WIDGET_RE.sub("", _DATE_RE.sub("", _BOLD_RE.sub(r"\1", line))).strip(" *|")) != 0:
        return False
    if "date" not in meta and iso_date(line):
        meta["date"] = iso_date(line) or ""
    return True
