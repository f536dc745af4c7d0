"""Boundary and type rules applied after the gazetteer and suffix passes of :mod:`ingest.entities`.

- **Cited titles**: nothing inside 《…》 is a mention (the title of another document names its
  issuer and subject, not a party of this one).
- **Document numbers**: 国办 in 国办发〔2019〕4号 is no mention.
- **Word boundaries**: a short name (two characters, or a place's short form such as 和政 for 和政县)
  must start and end on word boundaries of jieba's general dictionary: 和政 is not found in
  贸易和政策, 新平 not in 创新平台.
- **Shared-suffix lists** naming no specific body (财政、教育、卫生健康等部门) are one generic mention.
- **A department of a named place** (福建省药品监督管理部门, 市教育行政主管部门 in a city's regulation)
  is a specific government body; without the place (教育行政部门) it is a generic role.
- **Governments of a level** (县级以上地方人民政府, 市和区县（市）人民政府, 乡镇人民政府) are generic.
- **The Party**: 党 as a word (坚持党的领导) is the Communist Party of China.
- **Places with a facility or area word** (平潭口岸, 郑州机场, 台湾地区) are one place mention.

>>> [(m.text, m.type.value) for m in apply_rules("依据《国务院关于X的通知》，国务院办公厅", [])]
[]
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.model import EntityType, Mention

ET = EntityType
_TITLE = re.compile(r"《[^《》\n]{1,120}》")
_DOCNO_AFTER = re.compile(r"^(?:发|函|字|电)?〔")
_LEVEL = r"(?:省|市|县|区|乡|镇|乡镇|区县|县区|街道|自治区|直辖市|自治州|自治县|设区的市|县级市|地级市)"
_LEVEL_GOV = re.compile(
    rf"(?:各|县级以上|县级|市级|省级|乡级|地方)?(?:地方)?(?:各级)?{_LEVEL}(?:[（(][^（）()\n]{{1,8}}[）)])?"
    rf"(?:(?:[和、及与]|以及){_LEVEL}(?:[（(][^（）()\n]{{1,8}}[）)])?)*(?:两级|三级)?(?:人民)?政府"
)
#: the party's organisations in a class of bodies (中国共产党职业学校基层组织, 公立医院党组织): generic
_PARTY_UNITS = re.compile(r"中国共产党[\u4e00-\u9fff]{0,10}?基层组织|[\u4e00-\u9fff]{2,8}?(?:基层党组织|党组织)")
#: a State Council department named by its function, listed stem or not (国务院负责中小企业促进工作综合管理的部门,
#: 国务院标准化行政主管部门); with 有关 / 其他 it is the generic 国务院有关部门
_STATE_COUNCIL_FUNCTION = re.compile(
    r"国务院(?:(?:负责|主管)[^，。；、\n“”《》]{2,24}?的(?:部门|机构)|(?!有关|其他|各|相关)[\u4e00-\u9fff]{2,12}?(?:行政主管部门|行政部门|主管部门|监督管理机构))"
)
_CLAUSE_END = re.compile(r"[。；;\n]")
_LIST_DEPT = re.compile(r"(?:会同|、|和|与)(?P<stem>[\u4e00-\u9fff]{2,10}?)(?:等)?(?:行政主管部门|行政部门|主管部门)")
_SEVERAL = re.compile(r"^(?:各|县级|市级|省级|乡级|地方)|[和、及与（(]|两级|三级|各级|以上")
_LIST_ITEM = r"[\u4e00-\u9fff]{2,10}"
_SHARED_LIST = re.compile(rf"{_LIST_ITEM}(?:、{_LIST_ITEM})+等(?:有关)?部门")
_PLACE_TAIL = re.compile(r"^(?:国际机场|机场|口岸|地区|片区|综合实验区)")
_PARTY = re.compile(r"党(?=的|对|和国家|和政府)")
#: set phrases in which a country or place name names no place (中国特色社会主义, 健康中国战略)
_SET_PHRASE = re.compile(r"中国特色|(?:健康|美丽|平安|数字|法治|智慧|幸福)中国")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Words ending the left context of a bare level word (市教育行政主管部门): the level word is deictic.
_LEFT_OK = re.compile(r"(?:^|[^\u4e00-\u9fff]|由|和|与|及|或者|或|会同|经|向|对|的|并|应当|负责|报|请|协助|配合)$")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()  # jieba's general dictionary, without the gazetteer words
    tok.initialize()
    return tok


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends where jieba's general segmentation puts a boundary."""
    if (start == 0 or not _CJK.match(text[start - 1])) and (end >= len(text) or not _CJK.match(text[end])):
        return True  # delimited by punctuation on both sides
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    bounds = {lo + b for b in _bounds(text[lo:hi])}
    return start in bounds and end in bounds


@lru_cache(maxsize=4096)
def _bounds(window: str) -> frozenset[int]:
    tok = _jieba()  # jieba's dictionary segmentation (its DAG and best route), without the HMM
    dag = tok.get_DAG(window)
    route: dict = {}
    tok.calc(window, dag, route)
    out, x = {0, len(window)}, 0
    while x < len(window):
        x = route[x][1] + 1
        out.add(x)
    return frozenset(out)


_ABBR_RUN = re.compile(r"[港澳台]{2,3}")


def _abbreviation_runs(text: str, mentions: list[Mention], offset: int, gaz) -> list[Mention]:
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


def _needs_boundary(m: Mention, gaz) -> bool:
    if len(m.text) == 1:
        return False  # one-character abbreviations come from runs already checked (港澳)
    if len(m.text) <= 2:
        return True
    if m.type is ET.PLACE and m.source == "gazetteer" and len(m.text) <= 3:
        e = gaz.get(m.entity)  # 南部县 (a county) is no place in 南部县市; 保定市 is one in 保定市区
        return not (e is not None and m.text == e.zh and e.code and e.code.endswith("00"))
    return False


def apply_rules(text: str, mentions: list[Mention], offset: int = 0, home=None) -> list[Mention]:
    """The mentions of ``text`` after the rules above (spans shifted by ``offset``).

    ``home``: the gazetteer place of the issuing government (宁波市 for a 宁波市 regulation); its bodies
    named by level and function (市教育行政主管部门, 省人民政府) become mentions of those bodies.
    """
    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    titles = [t.span() for t in _TITLE.finditer(text)]

    def inside_title(s: int, e: int) -> bool:
        return any(a < s and e < b for a, b in titles)

    phrases = [x.span() for x in _SET_PHRASE.finditer(text)]
    mentions = mentions + _abbreviation_runs(text, mentions, offset, gaz)
    out: list[Mention] = []
    for m in _place_tails(text, mentions, offset):
        s, e = m.start - offset, m.end - offset
        if inside_title(s, e) or _DOCNO_AFTER.match(text[e : e + 2]):
            continue
        if m.type is ET.PLACE and (any(a <= s and e <= b for a, b in phrases) or text[e : e + 1] == "资"):
            continue  # 健康中国战略; 港澳台资企业 (capital from a place names no place)
        if _needs_boundary(m, gaz) and not on_word_boundaries(text, s, e):
            continue
        out.append(m)
    added: list[Mention] = []
    # generic governments of a level; shared-suffix lists of no specific body
    for rx, cue in ((_LEVEL_GOV, "政府"), (_SHARED_LIST, "等"), (_PARTY_UNITS, "组织")):
        if cue not in text:
            continue
        for x in rx.finditer(text):
            s, e = x.span()
            if rx is _LEVEL_GOV and s > 0 and _CJK.match(text[s - 1]) and not _LEFT_OK.search(text[:s]):
                continue
            if inside_title(s, e):
                continue
            inner = [m for m in out if s <= m.start - offset and m.end - offset <= e]
            if rx is _PARTY_UNITS:
                s = _strip_leading_verbs(text, s, e)
            elif rx is _SHARED_LIST:
                if any(m.type.is_organization for m in inner):
                    continue  # 发展改革委、财政部等部门: the named bodies are the mentions
                s = _list_left_edge(text, s)
            elif any(m.type is ET.PLACE and m.source == "gazetteer" and gaz.get(m.entity) and
                     gaz.get(m.entity).parent for m in inner):
                continue  # 河北省人民政府: a specific government
            if any(m.start - offset < e and s < m.end - offset and not (s <= m.start - offset and m.end - offset <= e)
                   for m in out):
                continue  # part of a longer name (省政府职业教育工作厅联席会议)
            phrase = text[s:e]
            if rx is _LEVEL_GOV and not _SEVERAL.search(phrase):
                # 省政府 / 市人民政府 alone: the government of the issuing place itself
                out = [m for m in out if not (s <= m.start - offset and m.end - offset <= e)]
                added.append(Mention(text=phrase, start=offset + s, end=offset + e, entity=re.sub(r"\s+", "", phrase),
                                     type=ET.GOVERNMENT_BODY, label=phrase, source="pattern"))
                continue
            out = [m for m in out if not (s <= m.start - offset and m.end - offset <= e)]
            phrase = text[s:e]
            added.append(Mention(text=phrase, start=offset + s, end=offset + e, entity=_generic_key(phrase),
                                 type=ET.GENERIC, label=phrase, source="pattern"))
    out += added
    if "国务院" in text:
        out = _state_council_functions(text, out, offset, gaz)
    out = _class_nouns(text, out, offset)
    out = _offices(text, out, offset)
    if home is not None:
        out = _home_bodies(text, out, offset, home)
    out = _department_of_place(text, out, offset)
    out = [_with_local_aliases(m, gaz) for m in out]
    for x in _PARTY.finditer(text) if "党" in text else ():
        s = x.start()
        if inside_title(s, s + 1) or any(m.start - offset <= s < m.end - offset for m in out):
            continue
        if on_word_boundaries(text, s, s) or s == 0:  # a word starts here (党的领导 is one jieba word)
            cpc = gaz.get("communist-party-of-china")
            if cpc is not None:
                out.append(Mention(text="党", start=offset + s, end=offset + s + 1, entity=cpc.id, type=cpc.type,
                                   label=cpc.zh))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _generic_key(phrase: str) -> str:
    from ontology.gazetteer import Gazetteer

    e = Gazetteer.default().lookup(phrase)
    return e.id if e is not None else "generic:" + re.sub(r"\s+", "", phrase)


def _strip_leading_verbs(text: str, s: int, e: int) -> int:
    """Start of a phrase after the verbs and particles it opens with (加强中国共产党… → 中国共产党…)."""
    from ingest.entities import STOP_WORDS

    moved = True
    while moved and e - s > 4:
        moved = False
        for w in STOP_WORDS:
            if text.startswith(w, s):
                s += len(w)
                moved = True
                break
    return s


def _list_left_edge(text: str, s: int) -> int:
    """Start of a shared-suffix list, after a leading verb or particle (会同财政、… → 财政、…)."""
    from ingest.entities import STOP_WORDS

    first = text[s : text.index("、", s)]
    cut = max((i + len(w) for w in STOP_WORDS if w != "和" for i in [first.rfind(w)] if i >= 0), default=0)
    return s + cut


def _department_of_place(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """A generic department preceded by a specific place (or a bare deictic 省/市/县) is a government body."""
    by_end = {m.end - offset: m for m in mentions if m.type is ET.PLACE}
    out = []
    drop: set[int] = set()
    for i, m in enumerate(mentions):
        if m.type is not ET.GENERIC or not m.text.endswith("部门") or m.source != "gazetteer" or m.text[0] in "各有相":
            out.append(m)
            continue
        s = m.start - offset
        place = by_end.get(s)
        if place is not None:
            start = place.start
            drop.add(id(place))
        elif s > 0 and text[s - 1] in "省市县区" and _LEFT_OK.search(text[: s - 1]):
            start = offset + s - 1
        else:
            out.append(m)
            continue
        name = text[start - offset : m.end - offset]
        out.append(Mention(text=name, start=start, end=m.end, entity=re.sub(r"\s+", "", name),
                           type=ET.GOVERNMENT_BODY, label=name, role=m.role, source="pattern"))
    return [m for m in out if id(m) not in drop]


def _place_tails(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """平潭 + 口岸, 郑州 + 机场, 台湾 + 地区: one place mention."""
    out = []
    for m in mentions:
        if m.type is ET.PLACE:
            tail = _PLACE_TAIL.match(text[m.end - offset :])
            if tail and not any(o is not m and o.start == m.end for o in mentions):
                name = text[m.start - offset : m.end - offset + tail.end()]
                m = Mention(text=name, start=m.start, end=m.end + tail.end(), entity=name, type=ET.PLACE, label=name,
                            role=m.role, source="pattern")
        out.append(m)
    return out


def _state_council_functions(text: str, mentions: list[Mention], offset: int, gaz) -> list[Mention]:
    """国务院 + a function phrase is one mention of that department, never 国务院 itself."""
    add = []
    for x in _STATE_COUNCIL_FUNCTION.finditer(text):
        s, e = x.span()
        if any(m.start - offset == s and m.end - offset >= e for m in mentions):
            continue  # the gazetteer knows it (国务院教育行政部门)
        if any(m.start - offset < e and s < m.end - offset and m.end - offset > e for m in mentions):
            continue
        name = x.group(0)
        entry = gaz.lookup(name)
        add.append(Mention(text=name, start=offset + s, end=offset + e, entity=entry.id if entry else name,
                           type=entry.type if entry else ET.GOVERNMENT_BODY, label=entry.zh if entry else name,
                           source="gazetteer" if entry else "pattern"))
    if not add:
        return mentions
    spans = [(m.start, m.end) for m in add]
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)] + add


_CLASS_HEAD = re.compile(r"企业|机构|医院|院校|高校|学校|主体")
_CLASS_MAX = 10
_QUANTIFIER = re.compile(r"^(?:各|所有|其他|全国|有关|相关|各类)+")


@lru_cache(maxsize=1)
def _pos() -> dict[str, str]:
    """Part of speech of every word of jieba's general dictionary."""
    from pathlib import Path

    import jieba

    out = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = parts[2]
    return out


_MODIFIER_POS = {"n", "nz", "b", "a", "an", "ng", "nt", "ns", "j"}


def _modifier_start(text: str, s: int, spans: list[tuple[int, int]]) -> int:
    """Left edge of the modifiers of a class noun: the nouns and adjectives before it (三级 + 公立 + 医院)."""
    lo = max(0, s - _CLASS_MAX)
    while lo < s and not _CJK.match(text[lo]):
        lo += 1
    for k in range(s - 1, lo - 1, -1):  # the window starts after the nearest punctuation
        if not _CJK.match(text[k]):
            lo = k + 1
            break
    window = text[lo:s]
    cuts = sorted(_bounds(window)) if window else [0]
    pos = _pos()
    start = s
    for a, b in reversed(list(zip(cuts, cuts[1:]))):
        word = window[a:b]
        tag = pos.get(word, "")
        adjacent = lo + b == s  # the word right before the head may be a participle (公立医院, 民办学校)
        ok = ((tag in _MODIFIER_POS and len(word) > 1) or (not tag and len(word) > 1) or (tag.startswith("m") and word.endswith("级"))
              or word in ("全国", "各", "所有", "其他") or (adjacent and tag == "v" and len(word) == 2))
        if not ok or any(x < lo + b and lo + a < y for x, y in spans):
            break
        start = lo + a
    return start


def _class_nouns(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """Classes of bodies named by a head noun (小微企业, 三级公立医院, 医疗机构): generic roles.

    The phrase runs left from the head over name characters up to a verb, particle or punctuation.
    """
    from ingest.entities import _STOP_END

    spans = [(m.start - offset, m.end - offset) for m in mentions]
    add = []
    for x in _CLASS_HEAD.finditer(text):
        s, e = x.span()
        if any(a < e and s < b for a, b in spans):
            continue
        lo = _modifier_start(text, s, spans)
        name = text[lo:e]
        if len(name) < 2:
            continue
        key = _QUANTIFIER.sub("", name) or name  # 各三级公立医院, 全国三级公立医院: the class 三级公立医院
        add.append(Mention(text=name, start=offset + lo, end=offset + e, entity=_generic_key(key), type=ET.GENERIC,
                           label=key, source="pattern"))
        spans.append((lo, e))
    return mentions + add


_OFFICE = re.compile(r"^(?:办公室|办公厅|秘书处|秘书局)")


def _offices(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
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


def _home_bodies(text: str, mentions: list[Mention], offset: int, home) -> list[Mention]:
    """省人民政府 / 市教育行政主管部门 / 市总工会 in a document of ``home``: that place's own bodies."""
    from ingest.entities import normalize_key
    from ingest.local_bodies import DEPT_TAIL, level_word, local_body, stem_of

    level = level_word(home)
    found: list[Mention] = []
    for i in [k for k, c in enumerate(text) if c == level]:
        if i > 0 and _CJK.match(text[i - 1]) and not _LEFT_OK.search(text[:i]):
            continue
        rest = text[i + 1 : i + 30]
        stem = stem_of(rest)
        if stem is None:
            continue
        end = i + 1 + len(stem)
        if stem in ("人民政府", "政府", "总工会"):
            if stem == "政府" and rest.startswith("政府性"):
                continue
        else:
            tail = DEPT_TAIL.match(text, end)
            if tail is None:
                continue
            end = tail.end()
        if any(a <= i < b or a < end <= b for a, b in ((m.start - offset, m.end - offset) for m in found)):
            continue
        body = local_body(home, stem)
        if body is None:
            continue
        etype = ET.ORGANISATION if stem == "总工会" else ET.GOVERNMENT_BODY
        found.append(Mention(text=text[i:end], start=offset + i, end=offset + end, entity=normalize_key(body.name),
                             type=etype, label=body.name, source="pattern", aliases=(body.en, *body.aliases)))
    # the level word distributes over the rest of its list (市教育行政主管部门应当会同人力资源社会保障等
    # 行政部门、总工会…: the city's labour department and the city's federation)
    union = local_body(home, "总工会")
    for head in list(found):
        hs, he = head.start - offset, head.end - offset
        stop = _CLAUSE_END.search(text, he)
        clause_end = stop.start() if stop else len(text)
        for m in mentions:
            if he <= m.start - offset < clause_end and m.text == "总工会" and union is not None:
                found.append(Mention(text=m.text, start=m.start, end=m.end, entity=normalize_key(union.name),
                                     type=ET.ORGANISATION, label=union.name, role=m.role, source="pattern",
                                     aliases=(union.en, *union.aliases)))
        for x in _LIST_DEPT.finditer(text, he, clause_end):
            stem = stem_of(x.group("stem"))
            body = local_body(home, stem) if stem and stem == x.group("stem") else None
            if body is None or stem in ("人民政府", "政府", "总工会"):
                continue
            found.append(Mention(text=x.group("stem"), start=offset + x.start("stem"), end=offset + x.end("stem"),
                                 entity=normalize_key(body.name), type=ET.GOVERNMENT_BODY, label=body.name,
                                 source="pattern", aliases=(body.en, *body.aliases)))
    if not found:
        return mentions
    spans = [(f.start, f.end) for f in found]
    kept = [m for m in mentions if not any(a < m.end and m.start < b for a, b in spans)]
    return kept + found


def _with_local_aliases(m: Mention, gaz) -> Mention:
    """宁波市教育局 written out: the same key and names as when named by function."""
    from ingest.local_bodies import _BY_STEM, local_body

    if m.source != "pattern" or m.aliases or m.type not in (ET.GOVERNMENT_BODY, ET.ORGANISATION) or \
            not m.text.endswith(("厅", "局", "委员会", "政府", "总工会", "委")):
        return m
    for n in range(min(len(m.text) - 1, 12), 1, -1):
        home = gaz.lookup(m.text[:n])
        if home is None or home.type is not ET.PLACE or not home.code:
            continue
        rest = m.text[n:]
        for stem, row in _BY_STEM.items():
            if rest in (row[1], row[2], row[3][0], row[3][1]) and rest:
                body = local_body(home, stem)
                from ingest.entities import normalize_key

                return Mention(text=m.text, start=m.start, end=m.end, entity=normalize_key(body.name), type=m.type,
                               label=body.name, role=m.role, source=m.source, aliases=(body.en, *body.aliases))
        break
    return m
