"""The entity recogniser's lexicon: the gazetteer automaton, the anchor names, the stop and generic
words and the key of a pattern-found name.

The lowest module of the recogniser: :mod:`ingest.entities` and the rule phases
(``ingest/entity_*.py``) read it; it reads only the gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.model import EntityType, Mention
from ontology.gazetteer import Entry, Gazetteer, cleared_on_change

ET = EntityType

STOP_WORDS = sorted({
    "支持", "鼓励", "推动", "推进", "依托", "引导", "加强", "加快", "建设", "建立", "打造", "培育", "发挥", "服务",
    "促进", "借鉴", "利用", "通过", "按照", "根据", "围绕", "面向", "实施", "落实", "会同", "牵头", "负责", "配合",
    "参与", "组织", "组成", "联合", "启动", "以", "持续", "全力", "着力", "深化", "健全", "筹建", "创建", "争创", "推广", "探索", "委托", "设立", "成立", "组建", "举办", "指导", "督促", "要求", "协调", "统筹", "优化",
    "提升", "完善", "开展", "积极", "重点", "继续", "扶持", "与", "和", "及", "以及", "同", "由", "在", "对", "向",
    "为", "的", "等", "应当", "或者", "以上", "列入", "授权", "将", "把", "被", "了", "是", "从", "经", "各", "其他", "有关", "相关", "所在", "当地", "本",
    "该", "其", "并", "或", "到", "至", "于", "据", "入选", "进入", "认定", "遴选", "报", "请", "共建", "合作",
}, key=len, reverse=True)
GENERIC_WORDS = sorted({
    "职业", "技术", "中职", "高职", "中等", "高等", "普通", "本科", "技工", "职教", "优质", "特色", "示范性", "示范",
    "公办", "民办", "省级", "市级", "县级", "国家级", "重点", "各类", "相关", "有关", "各级", "现代", "应用型", "二级",
    "产业", "海外", "驻保", "高水平", "一流", "教育", "专业", "农业", "工业", "科技", "创新", "产教融合", "培训",
    "实训", "综合", "大型", "中小", "新型", "地方", "区域", "城乡", "农村", "城市", "县域", "市域",
    "三级", "公立", "医学", "医疗", "金融", "商业", "社会", "行业",
}, key=len, reverse=True)
GENERIC_ONLY = re.compile("(?:" + "|".join(map(re.escape, GENERIC_WORDS)) + ")*")
GENERIC_ANCHORS = {"国家", "国务院", "中央", "全国", "中国", "中华"}
# The great regions, which name universities and bodies (华中科技大学, 东北大学, 西南交通大学).
REGION_ANCHORS = {"华北", "华东", "华中", "华南", "西南", "西北", "东北"}

@cleared_on_change
@lru_cache(maxsize=1)
def matcher():
    """The gazetteer automaton (every Chinese name, leftmost-longest), plus the anchor names.

    The automaton is a :class:`Lexicon`; a name two entries share belongs to the one listed last.
    """
    gaz = Gazetteer.default()
    forms: dict[str, tuple] = {}
    for e in gaz.entries:
        parent = gaz.get(e.parent) if e.parent else None
        parent = parent if parent is not None and parent.type is ET.ENTERPRISE else None
        for name in e.zh_names:
            for form in {name, unicodedata.normalize("NFKC", name)}:
                forms[form] = (e, parent)
    auto = Lexicon(forms)
    strong = sorted(
        {n for e in gaz.entries if e.type in (ET.PLACE, ET.GOVERNMENT_BODY) for n in e.zh_names}
        | GENERIC_ANCHORS | REGION_ANCHORS,
        key=len,
        reverse=True,
    )
    return gaz, auto, Anchors(frozenset(strong))


class Lexicon:
    """Leftmost-longest, non-overlapping matches of a fixed set of names, by a compiled automaton.

    >>> [(s, e, v) for s, e, v in Lexicon({"河北": 1, "河北省": 2, "保定": 3}).matches("河北省保定市")]
    [(0, 3, 2), (3, 5, 3)]
    """

    def __init__(self, names: dict[str, object]):
        import ahocorasick_rs

        self.values = list(names.values())
        self._auto = ahocorasick_rs.AhoCorasick(list(names), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def matches(self, text: str):
        """``(start, end, value)`` of each match, left to right (spans in characters)."""
        values = self.values
        return [(s, e, values[i]) for i, s, e in self._auto.find_matches_as_indexes(text)]


class Anchors:
    """The longest anchor name (a place, a government body, 国家 …) a name starts with: set look-ups
    from the longest prefix down, as a regex alternation of the names sorted longest first would find."""

    def __init__(self, names: frozenset[str]):
        self.names = names
        self.longest = max(map(len, names))

    def match(self, text: str) -> re.Match | None:
        for n in range(min(self.longest, len(text)), 0, -1):
            if text[:n] in self.names:
                return re.match(re.escape(text[:n]), text)
        return None


def normalize_key(name: str) -> str:
    """Key of a pattern-found name: NFKC, no spaces, 人民政府 folded to 政府.

    >>> normalize_key("石家庄市人民政府") == normalize_key("石家庄市政府")
    True
    """
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return s.replace("人民政府", "政府")


def gazetteer_mentions(text: str, offset: int) -> list[Mention]:
    _, auto, _ = matcher()
    out: list[Mention] = []
    for start, end, (e, parent) in auto.matches(text):
        out.append(Mention(text=text[start:end], start=offset + start, end=offset + end, entity=e.id, type=e.type,
                           label=e.zh))
        if parent is not None:  # nested parent enterprise: 百度 in 百度定兴大型数据中心
            for name in parent.zh_names:
                i = text.find(name, start, end)
                if i >= 0:
                    out.append(mention(text, i, i + len(name), offset, parent))
                    break
    return out


def mention(text: str, start: int, end: int, offset: int, e: Entry) -> Mention:
    return Mention(text=text[start:end], start=offset + start, end=offset + end, entity=e.id, type=e.type, label=e.zh)
