"""Place rules (phases of :func:`ingest.entity_rules.apply_rules`).

- **Chains of divisions** (河北省邢台市, 北京市西城区): one mention per division, so the province is
  involved wherever one of its cities is named.
- **Renamed units** (宁乡 + 市 for the county 宁乡县 made a city, 梁平 + 区): the short form and the
  new level word are one mention of that unit.
- **Places with a facility or area word** (平潭口岸, 郑州机场, 台湾地区, 辽宁自贸试验区营口片区,
  北京大兴国际机场) are one place mention.
- **Set phrases**: the country in a national slogan (健康中国, 中国特色社会主义) names no place; nor does
  港澳台资 (capital from a place). A local slogan names its place (数字保定, “雄安质量”).
- **One-character abbreviations** in runs (港澳专业人才): one mention per character.

>>> from ontology.gazetteer import Gazetteer
>>> [m.text for m in split_chains(_gaz_mentions("河北省邢台市"), Gazetteer.default())]
['河北省', '邢台市']
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.entity_words import on_word_boundaries
from ingest.model import EntityType, Mention

ET = EntityType
_PLACE_TAIL = re.compile(r"^(?:国际机场|机场|口岸|大陆地区|地区|片区|综合实验区)")
_SUB_AREA = re.compile(r"(?:片区|国际机场|机场)$")
#: set phrases in which a country or place name names no place (中国特色社会主义, 健康中国战略, 美丽雄安)
_SET_PHRASE = re.compile(r"中国特色|(?:健康|美丽|平安|数字|法治|智慧|幸福)中国")
_ABBR_RUN = re.compile(r"[港澳台]{2,3}")
_LEVEL_CHAR = "市区县"


def _gaz_mentions(text: str) -> list[Mention]:
    from ingest.entity_lexicon import gazetteer_mentions as _gazetteer_mentions

    return _gazetteer_mentions(text, 0)


def split_chains(mentions: list[Mention], gaz) -> list[Mention]:
    """河北省邢台市 (a division written after its parent): a mention of the parent and one of the division."""
    out = []
    for m in mentions:
        e = gaz.get(m.entity) if m.type is ET.PLACE and m.source == "gazetteer" else None
        parent = gaz.get(e.parent) if e is not None and e.parent else None
        head = parent.zh if parent is not None and parent.type is ET.PLACE and parent.code else None
        head = head if head and m.text.startswith(head) and len(m.text) > len(head) else None
        rest = m.text[len(head):] if head else ""
        if not head or not (rest in e.zh_names or e.zh.endswith(rest)):
            out.append(m)
            continue
        cut = m.start + len(head)
        out.append(Mention(text=head, start=m.start, end=cut, entity=parent.id, type=ET.PLACE, label=parent.zh,
                           role=m.role))
        out.append(Mention(text=rest, start=cut, end=m.end, entity=e.id, type=ET.PLACE, label=e.zh, role=m.role))
    return out


@lru_cache(maxsize=1)
def _children_by_name() -> dict[tuple[str, str], object]:
    """(parent or grandparent id, the division's own name) -> division, for every division: 南山区 under
    深圳市 (a name shared with other districts) and 钟祥市 under 湖北省 are found after them."""
    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    out: dict[tuple[str, str], object] = {}
    for e in gaz.entries:
        parent = gaz.get(e.parent) if e.type is ET.PLACE and e.code and e.parent else None
        if parent is None:
            continue
        own = e.zh[len(parent.zh) :] if e.zh.startswith(parent.zh) and e.zh != parent.zh else e.zh
        grand = gaz.get(parent.parent) if parent.parent else None
        for anc in (parent, grand):
            if anc is not None and len(own) >= 2:
                out.setdefault((anc.id, own), e)
    return out


def chain_continuations(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """A division written right after its parent or grandparent by its own name (深圳市 + 南山区,
    湖北省 + 钟祥市), where the name alone is ambiguous or an ordinary word."""
    index = _children_by_name()
    starts = {m.start for m in mentions}
    add = []
    for m in mentions:
        if m.type is not ET.PLACE or m.end in starts:
            continue
        e = m.end - offset
        for n in range(min(8, len(text) - e), 1, -1):
            child = index.get((m.entity, text[e : e + n]))
            if child is not None and not any(o.start < m.end + n and m.end < o.end for o in mentions):
                add.append(Mention(text=text[e : e + n], start=m.end, end=m.end + n, entity=child.id, type=ET.PLACE,
                                   label=child.zh, role=m.role))
                break
    return mentions + add if add else mentions


def renamed_units(text: str, mentions: list[Mention], offset: int, gaz) -> list[Mention]:
    """宁乡 + 市 (the county 宁乡县 made a city): the short form and the new level word, one mention."""
    out = []
    for m in mentions:
        e = gaz.get(m.entity) if m.type is ET.PLACE and m.source == "gazetteer" else None
        s, end = m.start - offset, m.end - offset
        if (e is not None and e.code and not e.code.endswith("00") and m.text != e.zh and len(m.text) >= 2
                and text[end : end + 1] in tuple(_LEVEL_CHAR) and text[end : end + 1] != e.zh[-1:]
                and on_word_boundaries(text, s, end + 1)):
            m = Mention(text=text[s : end + 1], start=m.start, end=m.end + 1, entity=e.id, type=ET.PLACE, label=e.zh,
                        role=m.role, source="pattern")
        out.append(m)
    return out


def abbreviation_runs(text: str, mentions: list[Mention], offset: int, gaz) -> list[Mention]:
    """港澳 (港澳专业人才): one place mention per one-character abbreviation, like 冀 for 河北省."""
    out = []
    for x in _ABBR_RUN.finditer(text):
        s, e = x.span()
        if len(set(x.group(0))) != e - s or text[e : e + 1] in "资地" or not on_word_boundaries(text, s, e):
            continue
        if any(m.start - offset < e and s < m.end - offset for m in mentions):
            continue
        for k, ch in enumerate(x.group(0)):
            place = gaz.lookup(ch)
            if place is not None and place.type is ET.PLACE:
                out.append(Mention(text=ch, start=offset + s + k, end=offset + s + k + 1, entity=place.id,
                                   type=ET.PLACE, label=place.zh))
    return out


def needs_boundary(m: Mention, gaz) -> bool:
    """Whether ``m`` must start and end on word boundaries (short names, short forms of places)."""
    if len(m.text) == 1:
        return False  # one-character abbreviations come from runs already checked (港澳)
    if len(m.text) <= 2:
        return True
    if m.type is ET.PLACE and m.source == "gazetteer" and len(m.text) <= 3:
        e = gaz.get(m.entity)  # 南部县 (a county) is no place in 南部县市; 保定市 is one in 保定市区
        return not (e is not None and m.text == e.zh and e.code and e.code.endswith("00"))
    return False


def follows_ancestor(prev: Mention, m: Mention, gaz) -> bool:
    """湖北省 + 钟祥市: a division written right after one of its ancestors (a chain needs no word
    boundary between its links)."""
    if prev.end != m.start or prev.type is not ET.PLACE or m.type is not ET.PLACE:
        return False
    e = gaz.get(m.entity)
    for _ in range(3):
        e = gaz.get(e.parent) if e is not None and e.parent else None
        if e is not None and e.id == prev.entity:
            return True
    return False


def place_tails(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """平潭 + 口岸, 郑州 + 机场, 台湾 + 地区: one place mention; then a place + its sub-area or facility
    (辽宁自贸试验区 + 营口片区, 北京 + 大兴国际机场): one mention."""
    out: list[Mention] = []
    for m in mentions:
        if m.type is ET.PLACE:
            tail = _PLACE_TAIL.match(text[m.end - offset :])
            if tail and not any(o is not m and o.start == m.end for o in mentions):
                name = text[m.start - offset : m.end - offset + tail.end()]
                m = Mention(text=name, start=m.start, end=m.end + tail.end(), entity=name, type=ET.PLACE, label=name,
                            role=m.role, source="pattern")
        prev = out[-1] if out else None
        if (prev is not None and prev.type is ET.PLACE and m.type is ET.PLACE and prev.end == m.start
                and _SUB_AREA.search(m.text) and not _SUB_AREA.search(prev.text)):
            name = prev.text + m.text
            out[-1] = Mention(text=name, start=prev.start, end=m.end, entity=name, type=ET.PLACE, label=name,
                              role=prev.role, source="pattern")
            continue
        out.append(m)
    return out


def slogan_spans(text: str) -> list[tuple[int, int]]:
    """Spans in which a place name names no place: the national set phrases."""
    return [x.span() for x in _SET_PHRASE.finditer(text)]


def is_slogan_place(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """A place at ``[s, e)`` inside a set phrase (健康中国战略)."""
    return any(a <= s and e <= b for a, b in spans)
