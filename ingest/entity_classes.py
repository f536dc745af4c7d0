"""Generic roles: classes of bodies, not one body (phases of :func:`ingest.entity_rules.apply_rules`).

- **Governments of a level** (县级以上地方人民政府, 市和区县（市）人民政府, 乡镇人民政府) are generic; a
  bare 省政府 / 市人民政府 is the government of the issuing place itself.
- **Shared-suffix lists** naming no specific body (财政、教育、卫生健康等部门) are one generic mention.
- **The party's organisations in a class of bodies** (中国共产党职业学校基层组织, 公立医院党组织).
- **Class nouns** (小微企业, 三级公立医院, 医疗机构): a head noun with its modifiers.

>>> [(m.text, m.type.value) for m in level_and_list_generics("由市和区县（市）人民政府负责", [], 0, lambda s, e: False)]
[('市和区县（市）人民政府', 'generic')]
"""

from __future__ import annotations

import re

from ingest.entity_words import CJK, LEFT_OK, pos_table, word_bounds
from ingest.model import EntityType, Mention

ET = EntityType
_LEVEL = r"(?:省|市|县|区|乡|镇|乡镇|区县|县区|街道|自治区|直辖市|自治州|自治县|设区的市|县级市|地级市)"
_LEVEL_GOV = re.compile(
    rf"(?:各|县级以上|县级|市级|省级|乡级|地方)?(?:地方)?(?:各级)?{_LEVEL}(?:[（(][^（）()\n]{{1,8}}[）)])?"
    rf"(?:(?:[和、及与]|以及){_LEVEL}(?:[（(][^（）()\n]{{1,8}}[）)])?)*(?:两级|三级)?(?:人民)?政府"
)
#: the party's organisations in a class of bodies (中国共产党职业学校基层组织, 公立医院党组织): generic
_PARTY_UNITS = re.compile(r"中国共产党[\u4e00-\u9fff]{0,10}?基层组织|[\u4e00-\u9fff]{2,8}?(?:基层党组织|党组织)")
_SEVERAL = re.compile(r"^(?:各|县级|市级|省级|乡级|地方)|[和、及与（(]|两级|三级|各级|以上")
_LIST_ITEM = r"[\u4e00-\u9fff]{2,10}"
_SHARED_LIST = re.compile(rf"{_LIST_ITEM}(?:、{_LIST_ITEM})+等(?:有关)?部门")
_CLASS_HEAD = re.compile(r"企业|机构|医院|院校|高校|学校|主体")
_CLASS_MAX = 10
_QUANTIFIER = re.compile(r"^(?:各|所有|其他|全国|有关|相关|各类)+")
_MODIFIER_POS = {"n", "nz", "b", "a", "an", "ng", "nt", "ns", "j"}


def generic_key(phrase: str) -> str:
    """The gazetteer id of a generic phrase, else ``generic:`` + the phrase."""
    from ontology.gazetteer import Gazetteer

    e = Gazetteer.default().lookup(phrase)
    return e.id if e is not None else "generic:" + re.sub(r"\s+", "", phrase)


def level_and_list_generics(text: str, out: list[Mention], offset: int, inside_title) -> list[Mention]:
    """Governments of a level, shared-suffix lists and the party's units of a class: generic mentions
    (a bare 省政府 is the issuing place's government). Mentions inside them are dropped."""
    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    added: list[Mention] = []
    for rx, cues in ((_LEVEL_GOV, ("政府",)), (_SHARED_LIST, ("等部门", "等有关部门")), (_PARTY_UNITS, ("党组织", "基层组织"))):
        if not any(c in text for c in cues):
            continue
        for x in rx.finditer(text):
            s, e = x.span()
            if rx is _LEVEL_GOV and s > 0 and CJK.match(text[s - 1]) and not LEFT_OK.search(text[:s]):
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
            out = [m for m in out if not (s <= m.start - offset and m.end - offset <= e)]
            if rx is _LEVEL_GOV and not _SEVERAL.search(phrase):  # 省政府 alone: the issuing place's own
                added.append(Mention(text=phrase, start=offset + s, end=offset + e, entity=re.sub(r"\s+", "", phrase),
                                     type=ET.GOVERNMENT_BODY, label=phrase, source="pattern"))
            else:
                added.append(Mention(text=phrase, start=offset + s, end=offset + e, entity=generic_key(phrase),
                                     type=ET.GENERIC, label=phrase, source="pattern"))
    return out + added


def _strip_leading_verbs(text: str, s: int, e: int) -> int:
    """Start of a phrase after the verbs and particles it opens with (加强中国共产党… → 中国共产党…)."""
    from ingest.entity_lexicon import STOP_WORDS

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
    from ingest.entity_lexicon import STOP_WORDS

    first = text[s : text.index("、", s)]
    cut = max((i + len(w) for w in STOP_WORDS if w != "和" for i in [first.rfind(w)] if i >= 0), default=0)
    return s + cut


def _modifier_start(text: str, s: int, spans: list[tuple[int, int]]) -> int:
    """Left edge of the modifiers of a class noun: the nouns and adjectives before it (三级 + 公立 + 医院)."""
    lo = max(0, s - _CLASS_MAX)
    while lo < s and not CJK.match(text[lo]):
        lo += 1
    for k in range(s - 1, lo - 1, -1):  # the window starts after the nearest punctuation
        if not CJK.match(text[k]):
            lo = k + 1
            break
    window = text[lo:s]
    cuts = sorted(word_bounds(window)) if window else [0]
    pos = pos_table()
    start = s
    for a, b in reversed(list(zip(cuts, cuts[1:]))):
        word = window[a:b]
        tag = pos.get(word, "")
        adjacent = lo + b == s  # the word right before the head may be a participle (公立医院, 民办学校)
        ok = ((tag in _MODIFIER_POS and len(word) > 1) or (not tag and len(word) > 1)
              or (tag.startswith("m") and word.endswith("级"))
              or word in ("全国", "各", "所有", "其他") or (adjacent and tag == "v" and len(word) == 2))
        if not ok or any(x < lo + b and lo + a < y for x, y in spans):
            break
        start = lo + a
    return start


def class_nouns(text: str, mentions: list[Mention], offset: int) -> list[Mention]:
    """Classes of bodies named by a head noun (小微企业, 三级公立医院, 医疗机构): generic roles.

    The phrase runs left from the head over name characters up to a verb, particle or punctuation.
    """
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
        add.append(Mention(text=name, start=offset + lo, end=offset + e, entity=generic_key(key), type=ET.GENERIC,
                           label=key, source="pattern"))
        spans.append((lo, e))
    return mentions + add
