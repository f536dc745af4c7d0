"""Entity, role and target extraction with character spans.

Two passes over the text:

1. **Gazetteer**: an Aho-Corasick automaton over every Chinese name and alias finds the
   leftmost-longest matches, so every occurrence of a gazetteer name yields a mention keyed
   by the gazetteer id. A match that contains the name of its own parent organisation
   (百度定兴大型数据中心 → 百度) also yields a mention of the parent.
2. **Patterns** for names not in a gazetteer: a name suffix (学院, 职教中心, 集团, 开发区,
   政府, 厅, 局 …) whose left part starts with an anchor (a place or body name, 国家, 省, 市 …)
   after a boundary (punctuation, a verb such as 支持 / 推动 / 依托, 的, 等, a number).
   Generic phrases (职业学校, 中职学校, 保定市职业学校, 国家优质中职学校) are rejected: the
   part between the anchor and the suffix must contain something besides generic words.
   Then the rules of :mod:`ingest.entity_rules` (cited titles, word boundaries, generic roles,
   departments of a named place, shared-suffix lists as one generic role).

Roles come from the words around an organisation (or around the list it is part of):
``X牵头`` / ``由X牵头`` → lead, ``支持X`` / ``鼓励X`` → support target, ``X负责`` /
``责任单位`` → responsible, ``X参与`` / ``X配合`` → participant, else involved.

>>> [(m.text, m.entity, m.role.value) for m in extract_mentions("支持保定电力职业技术学院与企业合作")]
[('保定电力职业技术学院', 'baoding-electric-power-vocational-college', 'support_target'), ('企业', 'generic:企业', 'involved')]
>>> [(m.text, m.source) for m in extract_mentions("由石家庄市人力资源和社会保障局牵头")]
[('石家庄市人力资源和社会保障局', 'pattern')]
"""

from __future__ import annotations

import re

from ingest.entity_names import defined_mentions, document_names
from ingest.entity_rules import apply_rules
from ingest.entity_lexicon import (GENERIC_ANCHORS, GENERIC_ONLY as _GENERIC_ONLY, STOP_WORDS, Anchors as _Anchors, gazetteer_mentions as _gazetteer_mentions,
                                   matcher as _matcher, mention as _mention, normalize_key)
from ingest.entity_words import on_word_boundaries
from ingest.model import Document, EntityType, Mention, Role
from ingest.targets import extract_targets
from ontology.gazetteer import Entry, Gazetteer

ET = EntityType
# Suffix → type, longest first. Government suffixes allow an empty middle (石家庄市政府).
SUFFIXES: dict[str, EntityType] = {
    "职业技术学院": ET.VOCATIONAL_COLLEGE, "职业学院": ET.VOCATIONAL_COLLEGE, "技师学院": ET.VOCATIONAL_COLLEGE,
    "职业技术学校": ET.VOCATIONAL_COLLEGE, "职业学校": ET.VOCATIONAL_COLLEGE, "技工学校": ET.VOCATIONAL_COLLEGE,
    "职业中专": ET.VOCATIONAL_COLLEGE, "中等专业学校": ET.VOCATIONAL_COLLEGE, "职教中心": ET.VOCATIONAL_COLLEGE,
    "职业技术教育中心": ET.VOCATIONAL_COLLEGE, "职业教育中心": ET.VOCATIONAL_COLLEGE,
    "大学科技园": ET.PARK, "职教园区": ET.PARK, "数据中心": ET.PARK, "研究院": ET.SCHOOL, "研究所": ET.SCHOOL, "大学": ET.UNIVERSITY, "学院": ET.UNIVERSITY, "学校": ET.SCHOOL, "中学": ET.SCHOOL, "小学": ET.SCHOOL,
    "集团": ET.ALLIANCE, "联盟": ET.ALLIANCE,
    "股份有限公司": ET.ENTERPRISE, "有限公司": ET.ENTERPRISE, "有限责任公司": ET.ENTERPRISE, "公司": ET.ENTERPRISE,
    "高新技术产业开发区": ET.PLACE, "高新技术产业示范区": ET.PLACE, "经济技术开发区": ET.PLACE, "开发区": ET.PLACE, "园区": ET.PARK, "示范区": ET.PARK,
    "试验区": ET.PARK, "高新区": ET.PLACE, "国家公园": ET.PLACE, "城市副中心": ET.PLACE, "科技园": ET.PARK, "产业园": ET.PARK, "物流园": ET.PARK, "软件园": ET.PARK,
    "人民政府": ET.GOVERNMENT_BODY, "政府": ET.GOVERNMENT_BODY, "管委会": ET.GOVERNMENT_BODY,
    "管理委员会": ET.GOVERNMENT_BODY, "委员会": ET.GOVERNMENT_BODY, "办公厅": ET.GOVERNMENT_BODY,
    "厅": ET.GOVERNMENT_BODY, "局": ET.GOVERNMENT_BODY, "联席会议": ET.GOVERNMENT_BODY,
    "领导小组": ET.GOVERNMENT_BODY, "工作小组": ET.GOVERNMENT_BODY, "联席会议办公室": ET.GOVERNMENT_BODY, "领导小组办公室": ET.GOVERNMENT_BODY,
    "办公室": ET.GOVERNMENT_BODY, "总署": ET.GOVERNMENT_BODY, "总局": ET.GOVERNMENT_BODY,
    "协会": ET.ORGANISATION, "学会": ET.ORGANISATION, "研究会": ET.ORGANISATION, "基金会": ET.ORGANISATION,
    "联合会": ET.ORGANISATION, "商会": ET.ORGANISATION, "总工会": ET.ORGANISATION, "交易所": ET.ORGANISATION,
    "管理所": ET.ORGANISATION, "事务所": ET.ORGANISATION, "基金": ET.ORGANISATION, "银行": ET.ORGANISATION, "中心": ET.ORGANISATION, "医院": ET.ORGANISATION,
    "服务平台": ET.ORGANISATION, "平台": ET.ORGANISATION,
}
# Suffixes naming a body only in a quoted name (“海峡基金业综合服务平台”); unquoted they are systems.
QUOTED_ONLY = {"服务平台", "平台"}
_GOV_SUFFIXES = {s for s, t in SUFFIXES.items() if t is ET.GOVERNMENT_BODY}
# Suffixes of a single named body: <place> + suffix is a name (保定学院, 阜平职教中心, 保定职教园区),
# whereas <place> + 职业学校 / 中职学校 / 园区 is a generic plural (保定市职业学校).
SINGULAR = {"职业技术学院", "职业学院", "技师学院", "学院", "大学", "职教中心", "职业技术教育中心", "职业教育中心",
            "职教园区", "大学科技园", "高新区", "高新技术产业示范区", "研究院", "经济技术开发区", "高新技术产业开发区", "开发区",
            "总工会", "领导小组", "联席会议办公室", "领导小组办公室", "国家公园", "城市副中心", "工作小组"}
# Suffixes that after a place usually make a generic plural: these need a specific middle part.
PLURAL_PRONE = {"学校", "职业学校", "技工学校", "职业技术学校", "中等专业学校", "中学", "小学", "园区", "示范区", "试验区",
                "公司", "研究所", "协会", "学会", "研究会", "基金会", "联合会", "商会", "交易所", "基金", "银行", "中心",
                "医院", "办公室"}
# A body named after another one (省政府职业教育工作厅 + 联席会议, 保定国家大学 + 科技园) takes the outer suffix.
CONTAINERS = {"联席会议", "委员会", "科技园", "大学科技园", "产业园", "园区", "集团", "联盟", "示范区", "试验区", "研究院",
              "领导小组", "工作小组", "办公室", "联席会议办公室", "领导小组办公室", "中心", "协会", "学会", "联合会", "商会", "研究会",
              "基金会", "交易所"}
_SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True)))
# Words that end a name on its left: verbs, prepositions, particles, conjunctions, determiners.
_STOP_END = re.compile("(?:" + "|".join(map(re.escape, STOP_WORDS)) + ")$")
# Words that never occur inside a name (a name is not a verb phrase).
_INNER_VERBS = re.compile(
    "共建|建设|举办|开展|推进|推动|支持|打造|组建|建立|成立|依托|面向|实施|提升|加快|鼓励|引导|提高|逐步|规划|促进|构建|"
    "延伸|服务|加强|等|的|个|所|及其|征求|责成|参与|通过|依法|竞争|以及|会同|启动|纳入|报告|要求|指导|组成"
)
_WEAK_ANCHOR = re.compile(r"[\u4e00-\u9fff]{2,3}[省市县]")
# Anchors that do not name one place: the name needs a specific middle part (not 国家政府, 全国大学).
_WEAK_VERB = re.compile("[认决征报批同组经按根由向对在为于应将把被使让请求送交日月年届上下前后]")
# Function words never inside a name (a candidate containing one spans two phrases).
_FUNCTION = re.compile("关于|设立|了|有关|相关|或者|或|由|向|经|对|在|报|应当|以上|以下|列入|授权|制定|规定|批准|负责|其他|各|之|该|将|把")
# Between a body's name and a suffix: a list or a person, not one longer name (教育部部长和河北省政府).
_NOT_IN_BODY_NAME = re.compile("[和与及、，长]|相关|有关")
_LIST_JOIN = re.compile("[和与及、]")
_JOIN_LEVEL = re.compile("[和与及、](?:省|市|县|区)")
_SUFFIX_THEN_JOIN = re.compile("(?:中心|学院|大学|学校|医院|基金|公司|集团|协会|银行)[和与及、]")
_COMPOUNDS = re.compile("自由|经济|经营|对外|在线|报告|各类|将来|对口")
_WEAK_BLOCK = re.compile(r"^(?:城市|超市|都市|强市|全市|本市|该市|各市|上市|门市|全省|本省|该省|各省|外省|全县|本县|该县|各县|郡县|市县|全区|本区|该区|各区|园区|新区|城区|社区|景区|山区|辖区|地区|市区|市域|县域)")
_CLAUSE_START = re.compile(r"[，。；：！？,;:!?\n（）()“”]")
_CJK_NAME_CHAR = re.compile(r"[\u4e00-\u9fff（）()·\-]")
_MAX_NAME = 24
# Characters that, before a one-character suffix, make an ordinary word rather than a body (格局, 展厅).
_NOT_BEFORE = {"局": "格布全大当结开僵时政骗赌残终出入变危战饭", "厅": "大餐客展舞门", "政府": "非", "人民政府": "非"}


def _accept(name: str, suffix: str, anchor_re: _Anchors, quoted: bool = False) -> bool:
    """Whether ``name`` (ending in ``suffix``) is a proper name rather than a generic phrase."""
    stem = name[: -len(suffix)]
    bare = _COMPOUNDS.sub("", stem)  # 自由贸易 holds 由, 经济 holds 经: words, not function words
    if _INNER_VERBS.search(bare) or _FUNCTION.search(bare):
        return False
    if quoted:  # “祖冲之学院”: a quoted name needs no anchor, only a non-generic stem
        return bool(stem) and _GENERIC_ONLY.fullmatch(stem) is None
    m = anchor_re.match(name)
    if m is None:
        m = _WEAK_ANCHOR.match(name)
        if m is None or _WEAK_BLOCK.match(name) or _WEAK_VERB.search(m.group(0)[:-1]) or \
                not on_word_boundaries(name, m.end(), m.end()):
            return False
    if m.end() > len(stem):
        return False
    middle = stem[m.end() :]
    if _LIST_JOIN.match(middle) or _LIST_JOIN.search(stem[-1:]) or _SUFFIX_THEN_JOIN.search(stem) or \
            _JOIN_LEVEL.search(middle):
        return False  # 国家和地方…基金, 市场机制和政府, 国家医学中心和区域医疗中心: lists, not one name
    specific = bool(middle) and _GENERIC_ONLY.fullmatch(middle) is None
    if m.group(0) in GENERIC_ANCHORS:
        return specific
    if suffix in _GOV_SUFFIXES or suffix in SINGULAR:
        return True
    if suffix in PLURAL_PRONE:
        return specific
    return bool(middle)


def _suffix_matches(text: str) -> list[tuple[int, int, str]]:
    """Suffix occurrences, each extended to a container suffix that follows closely (厅 + 联席会议)."""
    found = [(m.start(), m.end(), m.group(0)) for m in _SUFFIX_RE.finditer(text)]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(found):
        s, e, suf = found[i]
        j = i
        while j + 1 < len(found):
            ns, ne, nsuf = found[j + 1]
            between = text[found[j][1] : ns]
            if nsuf in CONTAINERS and ns - found[j][1] <= 4 and all(_CJK_NAME_CHAR.match(c) for c in between) and not (
                between and (_STOP_END.search(between) or re.search("[和与及、]", between))
            ):
                j += 1
                e, suf = ne, nsuf
            else:
                break
        out.append((s, e, suf))
        i = j + 1
    return out


def _pattern_mentions(text: str, offset: int, taken: list[tuple[int, int]],
                      gov_spans: tuple[tuple[int, int], ...] = (), place_starts: tuple[int, ...] = ()) -> list[Mention]:
    gov_starts = {a for a, _ in gov_spans} | set(place_starts)
    _, _, anchor_re = _matcher()
    blocked = sorted(taken)
    out: list[Mention] = []
    for s_start, s_end, suffix in _suffix_matches(text):
        if any(a < s_end and s_start < b for a, b in blocked):
            continue
        if any(a <= s_start and s_end <= b for a, b in gov_spans):
            continue  # the suffix of a body the gazetteer already names (河北省教育厅)
        if s_start > 0 and text[s_start - 1] in _NOT_BEFORE.get(text[s_start:s_end], ""):
            continue  # 格局, 布局, 大厅 …
        if text[s_end : s_end + 1] == "业" or (s_end - s_start == 1 and not on_word_boundaries(text, s_end, s_end)):
            continue  # 银行业, 就业局势: the suffix is part of a longer word
        lo = s_start
        while lo > 0 and s_start - lo < _MAX_NAME and _CJK_NAME_CHAR.match(text[lo - 1]):
            if any(a < lo <= b for a, b in blocked):
                break
            lo -= 1
        cands = [p for p in range(s_start - 1, lo, -1) if _STOP_END.search(text, lo, p)]
        if lo == 0 or not _CJK_NAME_CHAR.match(text[lo - 1]) or any(a < lo <= b for a, b in blocked):
            cands.append(lo)
        # a government body's or a place's name inside the window is also a left edge (报告国务院 + 深化…领导小组,
        # 建议 + 湖北省人民政府)
        cands += [p for p in range(s_start - 1, lo, -1)
                  if p not in cands and p in gov_starts and not _NOT_IN_BODY_NAME.search(text, p, s_start)]
        for p in cands:
            if any(p <= a and b < s_start and text[b] in "和与及、，" for a, b in gov_spans):
                continue  # 国务院和地方政府: a list, not one name
            name = text[p:s_end]
            if name.count("（") != name.count("）") or name.count("(") != name.count(")"):
                continue
            quoted = p > 0 and text[p - 1] == "“" and text[s_end : s_end + 1] == "”"
            if suffix in QUOTED_ONLY and not quoted:
                continue
            if _accept(name, suffix, anchor_re, quoted):
                etype = SUFFIXES[suffix]
                if etype is ET.ALLIANCE and suffix == "集团" and not re.search("教育|职教|产教", name):
                    etype = ET.ENTERPRISE
                out += _named(text, p, s_end, offset, etype)
                blocked.append((p, s_end))
                break
    return out


def _named(text: str, p: int, e: int, offset: int, etype: EntityType) -> list[Mention]:
    """The pattern mention of ``text[p:e]``; the divisions it opens with that are followed by another
    division are mentions of their own (湖北省 + 武汉东湖新技术开发区, 重庆市 + 巫山县 + 培石乡政府)."""
    out = []
    gaz = Gazetteer.default()
    while True:
        name = text[p:e]
        div = _leading_division(name, gaz)
        if div is None or len(name) - len(div.zh) < 3:
            break
        rest = name[len(div.zh) :]
        if etype is not ET.PLACE and _leading_division(rest, gaz) is None:
            break  # 宁波市教育局: a body's own place is part of its name
        out.append(_mention(text, p, p + len(div.zh), offset, div))
        p += len(div.zh)
    name = text[p:e]
    return out + [Mention(text=name, start=offset + p, end=offset + e, entity=normalize_key(name), type=etype,
                          label=name, source="pattern")]


def _leading_division(name: str, gaz) -> Entry | None:
    """The division whose full name ``name`` opens with (the longest)."""
    for n in range(min(len(name) - 1, 9), 1, -1):
        div = gaz.lookup(name[:n])
        if div is not None and div.type is ET.PLACE and div.code and name[:n] == div.zh:
            return div
    return None


def _roles(text: str, mentions: list[Mention], offset: int) -> None:
    """Assign roles to organisation mentions from the words around them (or around their list)."""
    mentions.sort(key=lambda x: (x.start, -x.end))
    chain_start: dict[int, int] = {}
    for i, m in enumerate(mentions):
        cs = m.start
        for j in range(i - 1, -1, -1):
            prev = mentions[j]
            gap = text[prev.end - offset : cs - offset]
            if gap in ("", "、", "和", "及", "与", "以及"):
                cs = chain_start[j]
                break
            if prev.end - offset < cs - offset - 3:
                break
        chain_start[i] = cs
    # chain end: the end of the last mention of the same list
    chain_end = {}
    for i, m in enumerate(mentions):
        chain_end[chain_start[i]] = max(chain_end.get(chain_start[i], 0), m.end)
    for i, m in enumerate(mentions):
        if not m.type.is_organization:
            continue
        cs, ce = chain_start[i] - offset, chain_end[chain_start[i]] - offset
        before = text[max(0, cs - 12) : cs]
        clause = _CLAUSE_START.split(before)[-1]
        after = text[ce : ce + 6]
        if re.match(r"(等(单位|部门)?)?牵头", after):
            m.role = Role.LEAD
        elif re.match(r"(等(单位|部门)?)?负责", after) or re.search(r"责任单位[:：]?$", before):
            m.role = Role.RESPONSIBLE
        elif re.match(r"(等(单位|部门)?)?(参与|配合)", after):
            m.role = Role.PARTICIPANT
        elif re.search(r"(支持|鼓励|扶持)$", clause):
            m.role = Role.SUPPORT_TARGET


def extract_mentions(text: str, offset: int = 0, home: Entry | None = None, names: dict | None = None) -> list[Mention]:
    """Every entity mention in ``text``, sorted by position; spans are shifted by ``offset``.

    ``home``: the place of the issuing government, if any (see :func:`home_place`); ``names``: the
    names the document defines (:func:`ingest.entity_names.document_names`).
    """
    mentions = _gazetteer_mentions(text, offset)
    # a pattern name may start with a place or a government body (国务院 + …领导小组)
    taken = [(m.start - offset, m.end - offset) for m in mentions
             if m.type not in (ET.PLACE, ET.INDUSTRY, ET.GOVERNMENT_BODY, ET.GENERIC)]
    gov_spans = tuple((m.start - offset, m.end - offset) for m in mentions if m.type is ET.GOVERNMENT_BODY)
    place_starts = tuple(m.start - offset for m in mentions if m.type is ET.PLACE and m.source == "gazetteer")
    found = _pattern_mentions(text, offset, taken, gov_spans, place_starts)
    found = [f for f in found if not any(m.start <= f.start and f.end <= m.end and (m.start, m.end) != (f.start, f.end)
                                         for m in mentions)]  # inside a longer gazetteer name
    if found:  # a pattern name swallows the places, bodies and industries inside it (石家庄 in 石家庄职业技术学院)
        spans = [(f.start, f.end) for f in found]
        mentions = [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)]
        mentions.extend(found)
    if names:
        mentions = defined_mentions(text, mentions, offset, names)
    mentions = apply_rules(text, mentions, offset, home)
    _roles(text, mentions, offset)
    mentions.sort(key=lambda x: (x.start, -x.end))
    return mentions


def home_place(doc: Document) -> Entry | None:
    """The place whose government issued ``doc``, named at the start of its title (宁波市…条例 → 宁波市)."""
    gaz = Gazetteer.default()
    title = re.sub(r"\s+", "", doc.title or "")
    for n in range(min(len(title), 12), 1, -1):
        e = gaz.lookup(title[:n])
        if e is not None and e.type is ET.PLACE and e.code and e.code != "CN":
            return e
    return None


def annotate(doc: Document) -> None:
    """Fill ``mentions`` and ``targets`` of every measure of ``doc`` (spans into ``doc.text``).

    Targets inside a named entity (the 十条 of “人才十条”) are dropped.
    """
    home = home_place(doc)
    names = document_names(doc.text, home, extract=extract_mentions)
    for measure in doc.measures:
        text = doc.text[measure.start : measure.end]
        measure.mentions = extract_mentions(text, offset=measure.start, home=home, names=names)
        spans = [(m.start, m.end) for m in measure.mentions]
        measure.targets = [
            t for t in extract_targets(text, offset=measure.start)
            if not any(a <= t.start and t.end <= b for a, b in spans)
        ]
