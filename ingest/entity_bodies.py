"""Rules for specific bodies (phases of :func:`ingest.entity_rules.apply_rules`).

- **Functional names of State Council departments** (国务院专利行政部门, 国务院负责…的部门) are one
  mention of that department, never 国务院 itself; 国务院 distributes over the list that follows
  (国务院教育行政部门、人力资源社会保障行政部门 → two ministries).
- **A department of a named place or body** (福建省药品监督管理部门, 中国人民解放军卫生主管部门) is a
  specific government body; without it (教育行政部门) it is a generic role.
- **Bodies of the issuing place** named by level and function (市教育行政主管部门 in a 宁波市 regulation
  → 宁波市教育局), and the level word distributed over its list (会同财政部门 → 河南省财政厅).
- **Party committees of a place** (河北省委) → 中国共产党河北省委员会.
- **An office of a body** (…联席会议 + 办公室) is one mention.
- **A class of a body** (各级红十字会) is generic; **a charter** (中国共产党章程) names no party.

>>> [(m.text, m.label) for m in party_committees("河北省委和省政府", _places("河北省委和省政府"), 0)]
[('河北省委', '中国共产党河北省委员会')]
"""

from __future__ import annotations

import re

from ingest.entity_words import CJK, LEFT_OK, on_word_boundaries
from ingest.model import EntityType, Mention

ET = EntityType
#: a State Council department named by its function, listed stem or not (国务院负责中小企业促进工作综合管理的部门,
#: 国务院标准化行政主管部门); with 有关 / 其他 it is the generic 国务院有关部门
_STATE_COUNCIL_FUNCTION = re.compile(
    r"国务院(?:(?:负责|主管)[^，。；、\n“”《》]{2,24}?的(?:部门|机构)|(?!有关|其他|各|相关)[\u4e00-\u9fff]{2,12}?"
    r"(?:行政主管部门|行政部门|主管部门|监督管理机构))"
)
_FUNCTION_ITEM = re.compile(r"^[、和及与](?P<stem>[\u4e00-\u9fff]{2,12}?)(?P<tail>行政主管部门|行政部门|主管部门)")
_CLAUSE_END = re.compile(r"[。；;\n]")
_LIST_DEPT = re.compile(r"(?:会同|、|和|与)(?P<stem>[\u4e00-\u9fff]{2,10}?)(?P<shared>等)?(?:行政主管部门|行政部门|主管部门|部门)")
_OFFICE = re.compile(r"^(?:办公室|办公厅|秘书处|秘书局)")
_PARTY_COMMITTEE = re.compile(r"^委(?!员|托|派|屈|任|办)")


def _places(text: str) -> list[Mention]:
    from ingest.entity_lexicon import gazetteer_mentions as _gazetteer_mentions

    return [m for m in _gazetteer_mentions(text, 0) if m.type is ET.PLACE]


def state_council_functions(text: str, mentions: list[Mention], offset: int, gaz) -> list[Mention]:
    """国务院 + a function phrase is one mention of that department, never 国务院 itself."""
    add = []
    for x in _STATE_COUNCIL_FUNCTION.finditer(text):
        s, e = x.span()
        if not any(m.start - offset == s and m.end - offset >= e for m in mentions) and not any(
                m.start - offset < e and s < m.end - offset and m.end - offset > e for m in mentions):
            add.append(_function_mention(x.group(0), offset + s, gaz))
        add += _distributed_functions(text, e, offset, gaz)
    if not add:
        return mentions
    spans = [(m.start, m.end) for m in add]
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)] + add


def _function_mention(name: str, start: int, gaz, text: str | None = None) -> Mention:
    entry = gaz.lookup(name)
    return Mention(text=text or name, start=start, end=start + len(text or name), entity=entry.id if entry else name,
                   type=entry.type if entry else ET.GOVERNMENT_BODY, label=entry.zh if entry else name,
                   source="gazetteer" if entry else "pattern")


def _distributed_functions(text: str, e: int, offset: int, gaz) -> list[Mention]:
    """国务院教育行政部门、人力资源社会保障行政部门: 国务院 applies to every item of the list."""
    out = []
    while True:
        item = _FUNCTION_ITEM.match(text[e:])
        if item is None:
            return out
        entry = gaz.lookup("国务院" + item.group("stem") + item.group("tail"))
        if entry is None or entry.type is not ET.GOVERNMENT_BODY:
            return out
        name = item.group(0)[1:]
        out.append(_function_mention("国务院" + name, offset + e + 1, gaz, text=name))
        e += item.end()


def department_of_place(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """A generic department preceded by a specific place or body (or a bare deictic 省/市/县) is a
    government body: 福建省药品监督管理部门, 中国人民解放军卫生主管部门."""
    by_end = {m.end - offset: m for m in mentions
              if m.type is ET.PLACE or (m.type.is_organization and m.source == "gazetteer")}
    out = []
    drop: set[int] = set()
    for m in mentions:
        if m.type is not ET.GENERIC or not m.text.endswith("部门") or m.source != "gazetteer" or m.text[0] in "各有相":
            out.append(m)
            continue
        s = m.start - offset
        place = by_end.get(s)
        if place is not None:
            start = place.start
            drop.add(id(place))
        elif s > 0 and text[s - 1] in "省市县区" and LEFT_OK.search(text[: s - 1]):
            start = offset + s - 1
        else:
            out.append(m)
            continue
        name = text[start - offset : m.end - offset]
        out.append(Mention(text=name, start=start, end=m.end, entity=re.sub(r"\s+", "", name),
                           type=ET.GOVERNMENT_BODY, label=name, role=m.role, source="pattern"))
    return [m for m in out if id(m) not in drop]


def party_committees(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """河北省委 / 保定市委 (a division + 委): the party committee of that place."""
    out = []
    for m in mentions:
        end = m.end - offset
        if (m.type is ET.PLACE and m.text[-1:] in "省市县区州" and _PARTY_COMMITTEE.match(text[end:])
                and on_word_boundaries(text, end + 1, end + 1)
                and not any(o.start - offset == end for o in mentions)):
            name = "中国共产党" + m.label + "委员会"
            m = Mention(text=m.text + "委", start=m.start, end=m.end + 1, entity=name, type=ET.GOVERNMENT_BODY,
                        label=name, role=m.role, source="pattern", aliases=(m.label + "委",))
        out.append(m)
    return out


def offices(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """A named body + 办公室 / 秘书处 is that body's office (国务院…联席会议 + 办公室), one mention."""
    out = []
    for m in mentions:
        tail = _OFFICE.match(text[m.end - offset :]) if m.type is ET.GOVERNMENT_BODY else None
        if tail and not any(o is not m and o.start < m.end + tail.end() and m.end <= o.start for o in mentions):
            name = text[m.start - offset : m.end - offset + tail.end()]
            m = Mention(text=name, start=m.start, end=m.end + tail.end(), entity=re.sub(r"\s+", "", name),
                        type=ET.GOVERNMENT_BODY, label=name, role=m.role, source="pattern")
        out.append(m)
    return out


def classes_and_charters(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """各级红十字会: a class of bodies (generic); 中国共产党章程: a document, no mention; 中国地质大学（武汉）:
    a campus named by its place is part of the name."""
    from ingest.entity_classes import generic_key

    places = {m.start - offset: m for m in mentions if m.type is ET.PLACE}
    out, merged = [], set()
    for m in mentions:
        s, e = m.start - offset, m.end - offset
        if m.type.is_organization and text[e : e + 2] == "章程":
            continue
        campus = places.get(e + 1) if m.type.is_organization and text[e : e + 1] in "（(" else None
        if campus is not None and text[campus.end - offset : campus.end - offset + 1] in "）)":
            name = text[s : campus.end - offset + 1]
            m = Mention(text=name, start=m.start, end=campus.end + 1, entity=re.sub(r"\s+", "", name), type=m.type,
                        label=name, role=m.role, source="pattern")
            merged.add(id(campus))
        elif m.type.is_organization and m.source == "gazetteer" and text[max(0, s - 2) : s] == "各级":
            name = text[s - 2 : e]
            m = Mention(text=name, start=m.start - 2, end=m.end, entity=generic_key(name), type=ET.GENERIC,
                        label=name, role=m.role, source="pattern")
        out.append(m)
    return [m for m in out if id(m) not in merged]


def home_bodies(text: str, mentions: list[Mention], offset: int, home) -> list[Mention]:
    """省人民政府 / 市教育行政主管部门 / 市总工会 in a document of ``home``: that place's own bodies."""
    found = _home_heads(text, offset, home)
    found += _home_list_items(text, mentions, found, offset, home)
    if not found:
        return mentions
    spans = [(f.start, f.end) for f in found]
    kept = [m for m in mentions if not any(a < m.end and m.start < b for a, b in spans)]
    return kept + found


def _local(home, stem: str, text: str, start: int, role=None) -> Mention | None:
    from ingest.entity_lexicon import normalize_key
    from ingest.local_bodies import local_body

    body = local_body(home, stem)
    if body is None:
        return None
    etype = ET.ORGANISATION if stem == "总工会" else ET.GOVERNMENT_BODY
    return Mention(text=text, start=start, end=start + len(text), entity=normalize_key(body.name), type=etype,
                   label=body.name, role=role, source="pattern", aliases=(body.en, *body.aliases))


def _home_heads(text: str, offset: int, home) -> list[Mention]:
    """The level word + a function stem (+ 部门): 省人民政府, 市教育行政主管部门, 市总工会."""
    from ingest.local_bodies import DEPT_TAIL, level_word, stem_of

    level = level_word(home)
    found: list[Mention] = []
    for i in [k for k, c in enumerate(text) if c == level]:
        if i > 0 and CJK.match(text[i - 1]) and not LEFT_OK.search(text[:i]):
            continue
        rest = text[i + 1 : i + 30]
        stem = stem_of(rest)
        if stem is None or (stem == "政府" and rest.startswith("政府性")):
            continue
        end = i + 1 + len(stem)
        if stem not in ("人民政府", "政府", "总工会"):
            tail = DEPT_TAIL.match(text, end)
            if tail is None:
                continue
            end = tail.end()
        if any(a <= i < b or a < end <= b for a, b in ((m.start - offset, m.end - offset) for m in found)):
            continue
        m = _local(home, stem, text[i:end], offset + i)
        if m is not None:
            found.append(m)
    return found


def _home_list_items(text: str, mentions: list[Mention], found: list[Mention], offset: int, home) -> list[Mention]:
    """The level word distributes over the rest of its list (市教育行政主管部门应当会同人力资源社会保障等
    行政部门、总工会…: the city's labour department and the city's federation)."""
    from ingest.local_bodies import stem_of

    out: list[Mention] = []
    for head in found:
        he = head.end - offset
        stop = _CLAUSE_END.search(text, he)
        clause_end = stop.start() if stop else len(text)
        for m in mentions:
            if he <= m.start - offset < clause_end and m.text == "总工会":
                union = _local(home, "总工会", m.text, m.start, m.role)
                if union is not None:
                    out.append(union)
        for x in _LIST_DEPT.finditer(text, he, clause_end):
            stem = stem_of(x.group("stem"))
            if not stem or stem != x.group("stem") or stem in ("人民政府", "政府", "总工会"):
                continue
            a, b = (x.start("stem"), x.end("stem")) if x.group("shared") else (x.start("stem"), x.end())
            if any(o.start - offset < b and a < o.end - offset for o in out):
                continue
            body = _local(home, stem, text[a:b], offset + a)
            if body is not None:
                out.append(body)
    return out


def with_local_aliases(m: Mention, gaz) -> Mention:
    """宁波市教育局 written out: the same key and names as when named by function."""
    from ingest.local_bodies import _BY_STEM

    if m.source != "pattern" or m.aliases or m.type not in (ET.GOVERNMENT_BODY, ET.ORGANISATION) or \
            not m.text.endswith(("厅", "局", "委员会", "政府", "总工会", "委")):
        return m
    for n in range(min(len(m.text) - 1, 12), 1, -1):
        home = gaz.lookup(m.text[:n])
        if home is None or home.type is not ET.PLACE or not home.code:
            continue
        rest = m.text[n:]
        for stem, row in _BY_STEM.items():
            if rest and rest in (row[1], row[2], row[3][0], row[3][1]):
                local = _local(home, stem, m.text, m.start, m.role)
                return local if local is not None else m
        break
    return m
