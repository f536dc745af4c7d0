"""Split a unit cell (牵头单位 / 责任单位 / 配合单位) into organisations.

Cells list several bodies with 、，,；;/ or one per line; a line may also be a soft wrap
inside one name (PDF tables wrap long names). Collective bodies stay whole:
``市、县两级政府`` is one body, and ``各县（市、区）政府`` keeps its bracketed 、.

>>> split_units("省教育厅、省财政厅")
['省教育厅', '省财政厅']
>>> split_units("保定市政府，各县（市、区）政府")
['保定市政府', '各县（市、区）政府']
>>> split_units("教育部职业教育与成人教育司/省教育厅")
['教育部职业教育与成人教育司', '省教育厅']
>>> split_units("市、县两级政府")
['市、县两级政府']
>>> split_units("省发展改革委\\n省人力资源社会保障厅")
['省发展改革委', '省人力资源社会保障厅']
>>> split_units("河北软件职业技\\n术学院、保定市政府")
['河北软件职业技术学院', '保定市政府']
>>> split_units("保定市\\n人民政府、雄安新区\\n管委会")
['保定市人民政府', '雄安新区管委会']
>>> split_units("  ")
[]
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = set("、，,；;/／|｜")
_OPEN = "（("
_CLOSE = "）)"
# Endings of a complete organisation name; a line that ends otherwise is a soft wrap.
_ORG_END = re.compile(
    r"(?:部|厅|局|委|会|办|院|校|大学|司|处|府|区|县|市|省|中心|公司|集团|联盟|室|站|园|队|所|馆|社|组|科|行|署|台|单位|企业|部门|机构)"
    r"(?:[（(][^）)]*[）)])?$"
)
# A line starting like this continues the name above it (保定市 / 人民政府).
_SUFFIX_START = re.compile(r"(?:人民)?政府|管委会|管理委员会|办公厅|办公室|委员会|[厅局委院校]")
_ADMIN_LEVEL = set("省市县区乡镇")
_DROP = re.compile(r"^(?:等|及|和|与|以及)|(?:等|等单位|等部门)$")


def _join_wrapped_lines(cell: str) -> str:
    """Join soft-wrapped lines; keep a line break that ends a complete name as a separator."""
    lines = [ln.strip() for ln in cell.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    out = lines[0]
    for ln in lines[1:]:
        if out[-1] in _SEPARATORS or ln[0] in _SEPARATORS:
            out += ln
        elif len(ln) > 2 and not _SUFFIX_START.match(ln) and (_ORG_END.search(out) or out[-1] in _CLOSE):
            out += "、" + ln
        else:
            out += ln
    return out


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if ch in _SEPARATORS and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts]


def split_units(cell: str | None) -> list[str]:
    """Organisations named in one cell, in order, without duplicates."""
    if not cell:
        return []
    text = _join_wrapped_lines(unicodedata.normalize("NFC", cell))
    parts = [p for p in _split_top_level(text) if p]
    merged: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        # 市、县两级政府 / 省、市、县三级: a lone level character belongs to what follows.
        while len(part) == 1 and part in _ADMIN_LEVEL and i + 1 < len(parts):
            i += 1
            part = part + "、" + parts[i]
        merged.append(part)
        i += 1
    out: list[str] = []
    for part in merged:
        part = _DROP.sub("", part).strip()
        if part and part not in out:
            out.append(part)
    return out


def unit_key(name: str) -> tuple[str, str]:
    """``(entity key, canonical label)`` of an organisation, shared with the main text.

    Uses :func:`ingest.entities.extract_mentions` (gazetteer keys, so 保定市人民政府 and
    保定市政府 share one key) when a mention covers most of the name; otherwise the
    normalised name itself is the key, as ingest does for pattern hits.
    """
    norm = "".join(unicodedata.normalize("NFKC", name).split())
    from ingest.entities import extract_mentions

    best = None
    for m in extract_mentions(name):
        if not m.type.is_organization:
            continue
        if best is None or (m.end - m.start) > (best.end - best.start):
            best = m
    if best is not None and (best.end - best.start) >= 0.6 * len(name):
        return best.entity, best.label
    return norm, name
